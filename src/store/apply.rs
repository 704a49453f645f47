//! Appending events to the log and folding them into the read tables.

use super::StoreError;
use super::rows::{self, ts};
use crate::domain::lifecycle::{apply_case, apply_report, new_case, new_report, touches};
use crate::domain::{Event, EventData};
use rusqlite::{Connection, params};

/// Appends one event to the log.
pub fn append(c: &Connection, ev: &Event) -> Result<(), StoreError> {
    let payload = serde_json::to_string(&ev.data).map_err(|e| StoreError::Corrupt {
        seq: ev.seq,
        message: e.to_string(),
    })?;
    c.prepare_cached(
        "INSERT INTO events (seq, at, actor, kind, subject, related, payload) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        ev.seq as i64,
        ts(ev.at),
        ev.actor,
        ev.data.kind(),
        ev.data.subject(),
        ev.data.related(),
        payload
    ])?;
    Ok(())
}

/// Folds one event into the read tables. Pure in its inputs: replaying the log gives the same
/// tables.
pub fn apply(c: &Connection, ev: &Event) -> Result<(), StoreError> {
    let (at, actor) = (ev.at, ev.actor.as_str());
    if let Some(r) = new_report(&ev.data, at, actor) {
        rows::put_report(c, &r)?;
        rows::bump_counter(c, "report", rows::id_number(&r.id))?;
        rows::add_counter(c, "reports_total", 1)?;
    }
    if let Some(k) = new_case(&ev.data, at, actor) {
        let folded = match k.report_ids.first() {
            Some(id) => rows::get_report(c, id)?
                .map(|r| rows::report_folded(&r))
                .unwrap_or_default(),
            None => String::new(),
        };
        rows::put_case(c, &k, &folded)?;
        rows::bump_counter(c, "case", rows::id_number(&k.id))?;
        rows::add_counter(c, "cases_total", 1)?;
    }
    if let EventData::NoteAdded { subject, text } = &ev.data {
        c.prepare_cached("INSERT INTO notes (seq, subject, at, actor, text) VALUES (?1, ?2, ?3, ?4, ?5)")?
            .execute(params![ev.seq as i64, subject, ts(at), actor, text])?;
    }
    match &ev.data {
        EventData::CameraRegistered {
            id,
            name,
            site,
            camera_kind,
            rtsp_url,
            snapshot_url,
            lat,
            lon,
            ward,
        } => {
            c.prepare_cached(
                "INSERT INTO cameras (id, name, site, kind, rtsp_url, snapshot_url, lat, lon, ward, state, state_since) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'unknown', ?10) \
                 ON CONFLICT(id) DO UPDATE SET name = excluded.name, site = excluded.site, kind = excluded.kind, \
                 rtsp_url = excluded.rtsp_url, snapshot_url = excluded.snapshot_url, lat = excluded.lat, \
                 lon = excluded.lon, ward = excluded.ward",
            )?
            .execute(params![id, name, site, camera_kind.as_str(), rtsp_url, snapshot_url, lat, lon, ward, ts(at)])?;
        }
        EventData::CameraStateChanged { id, state, .. } => {
            c.prepare_cached("UPDATE cameras SET state = ?2, state_since = ?3 WHERE id = ?1")?
                .execute(params![id, state.as_str(), ts(at)])?;
        }
        EventData::SightingRecorded {
            camera_id,
            plate,
            seen_at,
            confidence,
        } => {
            c.prepare_cached(
                "INSERT INTO sightings (seq, camera_id, plate, plate_key, seen_at, confidence) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![ev.seq as i64, camera_id, plate, crate::domain::plate::key(plate), ts(*seen_at), confidence])?;
        }
        EventData::CaseRaised { case_id, source, key } => {
            c.prepare_cached("INSERT INTO raised_cases (case_id, source, key) VALUES (?1, ?2, ?3)")?
                .execute(params![case_id, source.as_str(), key])?;
        }
        EventData::PlateWatched { plate, reason } => {
            c.prepare_cached(
                "INSERT INTO watchlist (plate, reason, added_at, added_by) VALUES (?1, ?2, ?3, ?4) \
                 ON CONFLICT(plate) DO UPDATE SET reason = excluded.reason",
            )?
            .execute(params![plate, reason, ts(at), actor])?;
        }
        EventData::PlateUnwatched { plate } => {
            c.prepare_cached("DELETE FROM watchlist WHERE plate = ?1")?
                .execute([plate])?;
        }
        _ => {}
    }
    let (report_ids, case_ids) = touches(&ev.data);
    for id in report_ids {
        if let Some(mut r) = rows::get_report(c, id)? {
            apply_report(&mut r, &ev.data, at, actor);
            rows::put_report(c, &r)?;
        }
    }
    for id in case_ids {
        if let Some(mut k) = rows::get_case(c, id)? {
            let folded = rows::case_folded(c, id)?;
            let was_closed = k.state == crate::domain::CaseState::Closed;
            apply_case(&mut k, &ev.data, at, actor);
            rows::put_case(c, &k, &folded)?;
            let is_closed = k.state == crate::domain::CaseState::Closed;
            if was_closed != is_closed {
                rows::add_counter(c, "cases_closed", if is_closed { 1 } else { -1 })?;
            }
        }
    }
    Ok(())
}
