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
    }
    if let EventData::NoteAdded { subject, text } = &ev.data {
        c.prepare_cached("INSERT INTO notes (seq, subject, at, actor, text) VALUES (?1, ?2, ?3, ?4, ?5)")?
            .execute(params![ev.seq as i64, subject, ts(at), actor, text])?;
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
            apply_case(&mut k, &ev.data, at, actor);
            rows::put_case(c, &k, &folded)?;
        }
    }
    Ok(())
}
