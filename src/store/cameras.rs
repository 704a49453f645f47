//! Camera health, plate lookups and the inputs of the service levels.

use super::rows::{self, from_ms, ms, opt_from_ms};
use super::schema::KIND_INDEXED;
use super::{Store, StoreError};
use crate::domain::health::{CameraStatus, Health, availability};
use crate::domain::plate::{self, SightingHit};
use crate::domain::{Camera, CameraState, Case, EventData};
use chrono::{DateTime, Duration, Utc};
use rusqlite::{OptionalExtension, params};
use std::collections::HashMap;

pub use crate::domain::sli::Timeline;

impl Store {
    /// The prober's memory of one camera (default when never probed).
    pub fn camera_health(&self, id: &str) -> Result<Health, StoreError> {
        let h = self
            .conn()
            .prepare_cached(
                "SELECT id, last_seen, last_probe, latency_ms, failing_since, last_error, pending, pending_count \
                 FROM camera_health WHERE id = ?1",
            )?
            .query_row([id], |r| {
                Ok(Health {
                    id: r.get(0)?,
                    last_seen: opt_from_ms(r.get(1)?)?,
                    last_probe: opt_from_ms(r.get(2)?)?,
                    latency_ms: r.get::<_, Option<i64>>(3)?.map(|v| v.max(0) as u64),
                    failing_since: opt_from_ms(r.get(4)?)?,
                    last_error: r.get(5)?,
                    pending: r.get::<_, Option<String>>(6)?.and_then(|s| s.parse().ok()),
                    pending_count: r.get::<_, i64>(7)?.max(0) as u32,
                })
            })
            .optional()?;
        Ok(h.unwrap_or_else(|| Health {
            id: id.to_string(),
            ..Health::default()
        }))
    }

    /// Saves the prober's memory of a camera.
    pub fn put_camera_health(&mut self, h: &Health) -> Result<(), StoreError> {
        self.conn()
            .prepare_cached(
                "INSERT OR REPLACE INTO camera_health \
                 (id, last_seen, last_probe, latency_ms, failing_since, last_error, pending, pending_count) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![
                h.id,
                h.last_seen.map(ms),
                h.last_probe.map(ms),
                h.latency_ms.map(|v| v as i64),
                h.failing_since.map(ms),
                h.last_error,
                h.pending.map(|s| s.as_str()),
                h.pending_count as i64
            ])?;
        Ok(())
    }

    /// Every camera's state timeline, from the log.
    pub fn camera_timelines(&self) -> Result<HashMap<String, Timeline>, StoreError> {
        let mut st = self.conn().prepare_cached(&format!(
            "SELECT seq, at, subject, payload FROM events \
             WHERE kind IN ('CameraRegistered', 'CameraStateChanged') AND {KIND_INDEXED} ORDER BY seq"
        ))?;
        let mut rows = st.query([])?;
        let mut out: HashMap<String, Timeline> = HashMap::new();
        while let Some(r) = rows.next()? {
            let seq = r.get::<_, i64>(0)? as u64;
            let at = from_ms(r.get(1)?)?;
            let id: String = r.get(2)?;
            let payload: String = r.get(3)?;
            let data: EventData = serde_json::from_str(&payload).map_err(|e| StoreError::Corrupt {
                seq,
                message: e.to_string(),
            })?;
            let tl = out.entry(id).or_default();
            match data {
                EventData::CameraRegistered { .. } if tl.is_empty() => tl.push((at, CameraState::Unknown)),
                EventData::CameraStateChanged { state, .. } => tl.push((at, state)),
                _ => {}
            }
        }
        Ok(out)
    }

    /// Every camera with its health and availability over the 24 hours before `now`.
    pub fn camera_statuses(&self, now: DateTime<Utc>) -> Result<Vec<CameraStatus>, StoreError> {
        let cams = self.list_cameras()?;
        let timelines = self.camera_timelines()?;
        let mut cases = self.open_raised_cases(crate::domain::CaseSource::Camera)?;
        let mut out = Vec::with_capacity(cams.len());
        for c in cams {
            let h = self.camera_health(&c.id)?;
            let case_id = cases.remove(&c.id);
            let avail = timelines
                .get(&c.id)
                .and_then(|t| availability(t, now - Duration::hours(24), now));
            out.push(CameraStatus {
                id: c.id,
                name: c.name,
                site: c.site,
                kind: c.kind,
                state: c.state,
                state_since: c.state_since,
                last_seen: h.last_seen,
                latency_ms: h.latency_ms,
                availability_24h: avail.map(|a| (a * 10_000.0).round() / 10_000.0),
                last_error: h.last_error,
                case_id,
            });
        }
        Ok(out)
    }

    /// Sightings of a plate, tolerating OCR confusions and one missing, extra or wrong
    /// character; best match first, then newest.
    pub fn search_plates(&self, query: &str, limit: usize) -> Result<Vec<SightingHit>, StoreError> {
        let keys = plate::neighbours(&plate::key(query));
        let keys = serde_json::to_string(&keys).map_err(|e| StoreError::Corrupt {
            seq: 0,
            message: e.to_string(),
        })?;
        let mut st = self.conn().prepare_cached(
            "SELECT s.plate, s.camera_id, COALESCE(c.site, ''), s.seen_at, s.confidence FROM sightings s \
             LEFT JOIN cameras c ON c.id = s.camera_id \
             WHERE s.plate_key IN (SELECT value FROM json_each(?1))",
        )?;
        let rows = st.query_map([keys], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                from_ms(r.get(3)?)?,
                r.get::<_, f64>(4)?,
            ))
        })?;
        let mut hits = Vec::new();
        for row in rows {
            let (p, camera_id, site, seen_at, confidence) = row?;
            if let Some(closeness) = plate::closeness(query, &p) {
                hits.push(SightingHit {
                    score: plate::score(closeness),
                    plate: p,
                    camera_id,
                    site,
                    seen_at,
                    confidence,
                    closeness,
                });
            }
        }
        hits.sort_by(|a, b| {
            a.closeness
                .cmp(&b.closeness)
                .then(b.seen_at.cmp(&a.seen_at))
                .then(b.confidence.total_cmp(&a.confidence))
        });
        hits.truncate(limit);
        Ok(hits)
    }

    /// Cases opened or answered since `from`, or still awaiting a unit; and the citizens' reports
    /// received since `from` (the system's own are left out): (all, verified or forwarded).
    pub fn sli_cases(&self, from: DateTime<Utc>) -> Result<(Vec<Case>, (u64, u64)), StoreError> {
        let f = ms(from);
        let mut st = self.conn().prepare_cached(&format!(
            "SELECT {} FROM cases WHERE opened_at >= ?1 OR answered_at >= ?1 OR acknowledged_at >= ?1 OR awaiting = 1",
            rows::CASE_COLS
        ))?;
        let cases = st
            .query_map([&f], rows::case_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let counts = self
            .conn()
            .prepare_cached(
                "SELECT COUNT(*), COALESCE(SUM(state = 'verified' OR case_id IS NOT NULL), 0) FROM reports \
             WHERE received_at >= ?1 AND channel <> 'system'",
            )?
            .query_row([&f], |r| Ok((r.get::<_, i64>(0)? as u64, r.get::<_, i64>(1)? as u64)))?;
        Ok((cases, counts))
    }

    /// The service levels over `[now - window, now]` from the read tables and the log; with
    /// `agency`, only that agency's cases count.
    pub fn sli_report(
        &self,
        now: DateTime<Utc>,
        window: Duration,
        slos: &[crate::domain::sli::SloSpec],
        agency: Option<&str>,
    ) -> Result<Result<crate::domain::sli::SliReport, String>, StoreError> {
        let (mut cases, reports) = self.sli_cases(now - window)?;
        if let Some(ag) = agency {
            cases.retain(|c| c.agencies.iter().any(|a| a == ag));
        }
        let cameras = self.camera_series()?;
        let inp = crate::domain::sli::Inputs {
            cases: &cases,
            reports,
            cameras: &cameras,
            slos,
        };
        Ok(crate::domain::sli::compute(&inp, now, window))
    }

    /// Every camera with its state timeline.
    pub fn camera_series(&self) -> Result<Vec<(Camera, Timeline)>, StoreError> {
        let mut tl = self.camera_timelines()?;
        Ok(self
            .list_cameras()?
            .into_iter()
            .map(|c| {
                let t = tl.remove(&c.id).unwrap_or_default();
                (c, t)
            })
            .collect())
    }
}
