//! The periodic report's figures, computed in SQL over the read tables and the event log.

use super::rows::{self, ms};
use super::schema::KIND_INDEXED;
use super::{Store, StoreError};
use crate::domain::digest::*;
use chrono::{DateTime, Utc};
use rusqlite::params;
use std::collections::BTreeMap;

impl Store {
    /// The report for `[from, to)`.
    pub fn period_report(
        &self,
        period: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<PeriodReport, StoreError> {
        let c = self.conn();
        let (f, t) = (ms(from), ms(to));
        let tallies = |sql: &str| -> Result<Vec<Tally>, StoreError> {
            let mut st = c.prepare(sql)?;
            let rows = st.query_map(params![f, t], |r| {
                Ok(Tally {
                    name: r.get(0)?,
                    count: r.get::<_, i64>(1)? as u64,
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        };
        let by_category = tallies(
            "SELECT COALESCE(category, suggested_category, 'unclassified'), COUNT(*) FROM reports \
             WHERE received_at >= ?1 AND received_at < ?2 GROUP BY 1 ORDER BY 2 DESC, 1",
        )?;
        let by_ward = tallies(
            "SELECT COALESCE(ward, 'unknown'), COUNT(*) FROM reports WHERE received_at >= ?1 AND received_at < ?2 \
             GROUP BY 1 ORDER BY 2 DESC, 1",
        )?;
        let received = by_category.iter().map(|x| x.count).sum();
        let one = |sql: &str| -> Result<u64, StoreError> {
            Ok(c.prepare(sql)?.query_row(params![f, t], |r| r.get::<_, i64>(0))? as u64)
        };
        let passed = one(
            "SELECT COUNT(*) FROM reports WHERE received_at >= ?1 AND received_at < ?2 AND state IN ('verified', 'duplicate')",
        )?;
        let decided =
            one("SELECT COUNT(*) FROM reports WHERE received_at >= ?1 AND received_at < ?2 AND state <> 'new'")?;
        let cases_opened = one("SELECT COUNT(*) FROM cases WHERE opened_at >= ?1 AND opened_at < ?2")?;
        let cases_answered =
            one("SELECT COUNT(*) FROM cases WHERE opened_at >= ?1 AND opened_at < ?2 AND answered_at IS NOT NULL")?;

        // Per agency: forwarded in the period, answered in the period by verdict, overdue at the end.
        let mut agencies: BTreeMap<String, AgencyFigures> = BTreeMap::new();
        let blank = |a: &str| AgencyFigures {
            agency: a.to_string(),
            received: 0,
            answered: 0,
            on_time: 0,
            on_time_extended: 0,
            late: 0,
            on_time_rate: None,
            on_time_rate_with_extension: None,
            overdue: 0,
        };
        {
            let mut st = c.prepare(
                "SELECT a.agency, COUNT(*) FROM case_agencies a JOIN cases k ON k.id = a.case_id \
                 WHERE k.opened_at >= ?1 AND k.opened_at < ?2 GROUP BY 1",
            )?;
            let mut rows = st.query(params![f, t])?;
            while let Some(r) = rows.next()? {
                let a: String = r.get(0)?;
                agencies.entry(a.clone()).or_insert_with(|| blank(&a)).received = r.get::<_, i64>(1)? as u64;
            }
            let mut st = c.prepare(
                "SELECT a.agency, k.verdict, COUNT(*) FROM case_agencies a JOIN cases k ON k.id = a.case_id \
                 WHERE k.answered_at >= ?1 AND k.answered_at < ?2 AND k.verdict IS NOT NULL GROUP BY 1, 2",
            )?;
            let mut rows = st.query(params![f, t])?;
            while let Some(r) = rows.next()? {
                let a: String = r.get(0)?;
                let v: String = r.get(1)?;
                let n = r.get::<_, i64>(2)? as u64;
                let e = agencies.entry(a.clone()).or_insert_with(|| blank(&a));
                e.answered += n;
                match v.as_str() {
                    "on_time" => e.on_time += n,
                    "on_time_extended" => e.on_time_extended += n,
                    _ => e.late += n,
                }
            }
            let mut st = c.prepare(
                "SELECT a.agency, COUNT(*) FROM case_agencies a JOIN cases k ON k.id = a.case_id \
                 WHERE k.opened_at < ?2 AND k.deadline < ?2 AND (k.answered_at IS NULL OR k.answered_at >= ?2) \
                 AND (k.closed_at IS NULL OR k.closed_at >= ?2) AND ?1 = ?1 GROUP BY 1",
            )?;
            let mut rows = st.query(params![f, t])?;
            while let Some(r) = rows.next()? {
                let a: String = r.get(0)?;
                agencies.entry(a.clone()).or_insert_with(|| blank(&a)).overdue = r.get::<_, i64>(1)? as u64;
            }
        }
        let agencies: Vec<AgencyFigures> = agencies
            .into_values()
            .map(|mut a| {
                a.on_time_rate = share(a.on_time, a.answered);
                a.on_time_rate_with_extension = share(a.on_time + a.on_time_extended, a.answered);
                a
            })
            .collect();

        let mut hours: Vec<f64> = {
            let mut st =
                c.prepare("SELECT opened_at, answered_at FROM cases WHERE answered_at >= ?1 AND answered_at < ?2")?;
            let rows = st.query_map(params![f, t], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))?;
            let mut v = Vec::new();
            for row in rows {
                let (o, a) = row?;
                v.push((rows::from_ms(a)? - rows::from_ms(o)?).num_seconds() as f64 / 3600.0);
            }
            v
        };
        hours.sort_by(f64::total_cmp);

        let (ratings, happy): (u64, u64) = c
            .prepare(&format!(
                "SELECT COUNT(*), COALESCE(SUM(json_extract(payload, '$.rating') >= 4), 0) FROM events \
                 WHERE kind = 'CaseRated' AND {KIND_INDEXED} AND at >= ?1 AND at < ?2"
            ))?
            .query_row(params![f, t], |r| {
                Ok((r.get::<_, i64>(0)? as u64, r.get::<_, i64>(1)? as u64))
            })?;

        let most_overdue = {
            let mut st = c.prepare(
                "SELECT id, category, ward, agencies, deadline FROM cases WHERE opened_at < ?2 AND deadline < ?2 \
                 AND (answered_at IS NULL OR answered_at >= ?2) AND (closed_at IS NULL OR closed_at >= ?2) AND ?1 = ?1 \
                 ORDER BY deadline ASC, id ASC LIMIT 10",
            )?;
            let rows = st.query_map(params![f, t], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, i64>(4)?,
                ))
            })?;
            let mut v = Vec::new();
            for row in rows {
                let (id, category, ward, ag, dl) = row?;
                let deadline = rows::from_ms(dl)?;
                v.push(OverdueCase {
                    id,
                    category,
                    ward,
                    agencies: serde_json::from_str(&ag).unwrap_or_default(),
                    deadline,
                    days_overdue: ((to - deadline).num_minutes() as f64 / 1440.0 * 10.0).round() / 10.0,
                });
            }
            v
        };
        let cameras = self.camera_availability(from, to)?;
        Ok(PeriodReport {
            period: period.to_string(),
            from,
            to,
            received,
            by_category,
            by_ward,
            verified_share: share(passed, decided),
            cases_opened,
            cases_answered,
            processed_share: share(cases_answered, cases_opened),
            agencies,
            answer_hours_p50: quantile(&hours, 0.5).map(round1),
            answer_hours_p90: quantile(&hours, 0.9).map(round1),
            ratings,
            satisfaction: share(happy, ratings),
            most_overdue,
            cameras,
        })
    }

    /// Share of camera-time online per site in `[from, to)`, from the state-change events;
    /// time in maintenance is left out of the denominator.
    pub fn camera_availability(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<SiteAvailability>, StoreError> {
        let c = self.conn();
        let mut site_of: BTreeMap<String, String> = BTreeMap::new();
        {
            let mut st = c.prepare("SELECT id, site FROM cameras")?;
            let rows = st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
            for row in rows {
                let (id, site) = row?;
                site_of.insert(id, site);
            }
        }
        // (online seconds, counted seconds) per camera.
        let mut acc: BTreeMap<String, (f64, f64)> = BTreeMap::new();
        let mut state: BTreeMap<String, (String, DateTime<Utc>)> = BTreeMap::new();
        let add = |acc: &mut BTreeMap<String, (f64, f64)>, id: &str, st: &str, a: DateTime<Utc>, b: DateTime<Utc>| {
            let (a, b) = (a.max(from), b.min(to));
            if b <= a || st == "maintenance" || st == "unknown" {
                return;
            }
            let secs = (b - a).num_seconds() as f64;
            let e = acc.entry(id.to_string()).or_insert((0.0, 0.0));
            e.1 += secs;
            if st == "online" {
                e.0 += secs;
            }
        };
        let mut st = c.prepare(
            &format!("SELECT subject, at, json_extract(payload, '$.state') FROM events WHERE kind = 'CameraStateChanged' AND {KIND_INDEXED} AND at < ?1 ORDER BY seq"),
        )?;
        let mut rows = st.query(params![ms(to)])?;
        while let Some(r) = rows.next()? {
            let id: String = r.get(0)?;
            let at = rows::from_ms(r.get(1)?)?;
            let new: String = r.get(2)?;
            if let Some((old, since)) = state.insert(id.clone(), (new, at)) {
                add(&mut acc, &id, &old, since, at);
            }
        }
        for (id, (s, since)) in &state {
            add(&mut acc, id, s, *since, to);
        }
        let mut sites: BTreeMap<String, (u64, f64, f64)> = BTreeMap::new();
        for (id, site) in &site_of {
            let e = sites.entry(site.clone()).or_insert((0, 0.0, 0.0));
            e.0 += 1;
            if let Some((on, all)) = acc.get(id) {
                e.1 += on;
                e.2 += all;
            }
        }
        Ok(sites
            .into_iter()
            .map(|(site, (n, on, all))| SiteAvailability {
                site,
                cameras: n,
                availability: (all > 0.0).then(|| (on / all * 10_000.0).round() / 10_000.0),
            })
            .collect())
    }
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}
