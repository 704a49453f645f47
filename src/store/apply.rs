//! Appending events to the log and folding them into the read tables.

use super::StoreError;
use super::rows::{self, ms};
use crate::domain::lifecycle::{apply_case, apply_report, new_case, new_report, touches};
use crate::domain::{Case, Report};
use crate::domain::{Event, EventData};
use rusqlite::{Connection, params};
use std::collections::HashMap;

/// Appends one event to the log.
pub fn append(c: &Connection, ev: &Event) -> Result<(), StoreError> {
    c.prepare_cached(
        "INSERT INTO events (seq, at, actor, kind, subject, related, payload) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        ev.seq as i64,
        ms(ev.at),
        ev.actor,
        ev.data.kind(),
        ev.data.subject(),
        ev.data.related(),
        payload(&ev.data, ev.seq)?
    ])?;
    Ok(())
}

/// An event's JSON payload (`seq` names the event if it cannot be written). A submission's
/// events are written by hand ([`intake_json`](super::intake_json)), byte for byte as serde_json
/// writes them; every other event by serde_json.
pub fn payload(d: &EventData, seq: u64) -> Result<String, StoreError> {
    if let Some(json) = super::intake_json::intake_payload(d) {
        return Ok(json);
    }
    serde_json::to_string(d).map_err(|e| StoreError::Corrupt {
        seq,
        message: e.to_string(),
    })
}

/// The columns a bulk write gives an event row. Not its sequence number: SQLite gives the next
/// one, which the writer checks is the one it counted ([`logged`]). A statement that gives `seq`
/// itself could fail half-way on a value that is no integer, so SQLite would keep a statement
/// journal for it: a copy of every page it changes (6% of an import's instructions).
pub const EVENT_ROW: &str = "at, actor, kind, subject, related, payload";

/// Checks that the last event written got sequence number `seq`, the one its writer counted on
/// (see [`EVENT_ROW`]).
pub fn logged(c: &Connection, seq: u64) -> Result<(), StoreError> {
    let given = c.last_insert_rowid();
    if given == seq as i64 {
        return Ok(());
    }
    Err(StoreError::Corrupt {
        seq,
        message: format!("the log gave a written event sequence number {given}"),
    })
}

/// Folds one event into the read tables. Pure in its inputs: replaying the log gives the same
/// tables.
pub fn apply(c: &Connection, ev: &Event) -> Result<(), StoreError> {
    let mut f = Folder::default();
    f.fold(c, ev)?;
    f.write(c)
}

/// Events folded into the read tables through a write-back cache. A report or case that several
/// events of one group touch is read once and written once, and nothing reaches SQL before
/// [`Folder::write`]: the command path folds a whole group and writes it only when every command
/// of the group was accepted, so a refused command leaves nothing to undo.
#[derive(Default)]
pub struct Folder {
    /// Reports read or changed, by id.
    reports: HashMap<String, Report>,
    /// Reports as read from SQL, before the folded events changed them.
    originals: HashMap<String, Report>,
    /// The receipts (`ReportReceived` sequence numbers) of the reports the folded events created.
    receipts: HashMap<String, u64>,
    /// Cases read or changed, by id, with their search text (`None`: not loaded yet).
    cases: HashMap<String, (Case, Option<String>)>,
    /// Ids to write, in first-touch order.
    dirty_reports: Vec<String>,
    dirty_cases: Vec<String>,
    /// Events with effects outside the report and case rows (notes, cameras, sightings, raised
    /// cases, the watchlist), in order.
    side: Vec<Event>,
    /// The highest report and case numbers created, and the changes of the running totals.
    max_report: u64,
    max_case: u64,
    reports_total: i64,
    cases_total: i64,
    cases_closed: i64,
}

impl Folder {
    /// A report as the folded events leave it, if the folder holds it.
    pub fn report(&self, id: &str) -> Option<&Report> {
        self.reports.get(id)
    }

    /// A case as the folded events leave it, if the folder holds it.
    pub fn case(&self, id: &str) -> Option<&Case> {
        self.cases.get(id).map(|(k, _)| k)
    }

    /// Every report the folder holds.
    pub fn reports(&self) -> impl Iterator<Item = &Report> {
        self.reports.values()
    }

    /// The folded events with effects outside the report and case rows, in order.
    pub fn side_events(&self) -> impl Iterator<Item = &Event> {
        self.side.iter()
    }

    /// The highest report and case numbers the folded events created (0 when none).
    pub fn max_ids(&self) -> (u64, u64) {
        (self.max_report, self.max_case)
    }

    /// Keeps a report read from SQL so that folding does not read it again.
    pub fn remember_report(&mut self, r: Report) {
        if !self.reports.contains_key(&r.id) {
            self.originals.insert(r.id.clone(), r.clone());
            self.reports.insert(r.id.clone(), r);
        }
    }

    /// Keeps a case read from SQL (its search text is read when it is written).
    pub fn remember_case(&mut self, k: Case) {
        self.cases.entry(k.id.clone()).or_insert((k, None));
    }

    fn load_report(&mut self, c: &Connection, id: &str) -> Result<Option<&mut Report>, StoreError> {
        if !self.reports.contains_key(id) {
            match rows::get_report(c, id)? {
                Some(r) => self.remember_report(r),
                None => return Ok(None),
            };
        }
        Ok(self.reports.get_mut(id))
    }

    fn mark_report(&mut self, id: &str) {
        if !self.dirty_reports.iter().any(|d| d == id) {
            self.dirty_reports.push(id.to_string());
        }
    }

    fn mark_case(&mut self, id: &str) {
        if !self.dirty_cases.iter().any(|d| d == id) {
            self.dirty_cases.push(id.to_string());
        }
    }

    /// Folds one event in (reading rows it does not hold yet from `c`).
    pub fn fold(&mut self, c: &Connection, ev: &Event) -> Result<(), StoreError> {
        let (at, actor) = (ev.at, ev.actor.as_str());
        if let Some(r) = new_report(&ev.data, at, actor) {
            self.max_report = self.max_report.max(rows::id_number(&r.id));
            self.reports_total += 1;
            let id = r.id.clone();
            self.receipts.insert(id.clone(), ev.seq);
            self.reports.insert(id.clone(), r);
            self.mark_report(&id);
        }
        if let Some(k) = new_case(&ev.data, at, actor) {
            let folded = match k.report_ids.first() {
                Some(id) => self
                    .load_report(c, id)?
                    .map(|r| rows::report_folded(r))
                    .unwrap_or_default(),
                None => String::new(),
            };
            self.max_case = self.max_case.max(rows::id_number(&k.id));
            self.cases_total += 1;
            let id = k.id.clone();
            self.cases.insert(id.clone(), (k, Some(folded)));
            self.mark_case(&id);
        }
        if has_side_effect(&ev.data) {
            self.side.push(ev.clone());
        }
        let (report_ids, case_ids) = touches(&ev.data);
        for id in report_ids {
            if let Some(r) = self.load_report(c, id)? {
                apply_report(r, &ev.data, at, actor);
                self.mark_report(id);
            }
        }
        for id in case_ids {
            if !self.cases.contains_key(id) {
                match rows::get_case(c, id)? {
                    Some(k) => self.cases.insert(id.to_string(), (k, None)),
                    None => continue,
                };
            }
            let (k, _) = self.cases.get_mut(id).expect("just loaded");
            let was_closed = k.state == crate::domain::CaseState::Closed;
            apply_case(k, &ev.data, at, actor);
            let is_closed = k.state == crate::domain::CaseState::Closed;
            if was_closed != is_closed {
                self.cases_closed += if is_closed { 1 } else { -1 };
            }
            self.mark_case(id);
        }
        Ok(())
    }

    /// Writes what the folded events changed.
    pub fn write(self, c: &Connection) -> Result<(), StoreError> {
        for ev in &self.side {
            side_effect(c, ev)?;
        }
        for id in &self.dirty_reports {
            match self.originals.get(id) {
                Some(old) => rows::update_report(c, old, &self.reports[id])?,
                None => rows::put_report(c, &self.reports[id], self.receipts.get(id).copied().unwrap_or_default())?,
            }
        }
        for id in &self.dirty_cases {
            let (k, folded) = &self.cases[id];
            let folded = match folded {
                Some(f) => f.clone(),
                None => rows::case_folded(c, id)?,
            };
            rows::put_case(c, k, &folded)?;
        }
        if self.max_report > 0 {
            rows::bump_counter(c, "report", self.max_report)?;
        }
        if self.max_case > 0 {
            rows::bump_counter(c, "case", self.max_case)?;
        }
        for (name, delta) in [
            ("reports_total", self.reports_total),
            ("cases_total", self.cases_total),
            ("cases_closed", self.cases_closed),
        ] {
            if delta != 0 {
                rows::add_counter(c, name, delta)?;
            }
        }
        Ok(())
    }
}

/// True for the events [`side_effect`] writes.
pub fn has_side_effect(d: &EventData) -> bool {
    matches!(
        d,
        EventData::NoteAdded { .. }
            | EventData::CameraRegistered { .. }
            | EventData::CameraStateChanged { .. }
            | EventData::SightingRecorded { .. }
            | EventData::CaseRaised { .. }
            | EventData::PlateWatched { .. }
            | EventData::PlateUnwatched { .. }
    )
}

/// The effects of a note, camera, sighting, raised-case or watchlist event on their own tables.
fn side_effect(c: &Connection, ev: &Event) -> Result<(), StoreError> {
    let (at, actor) = (ev.at, ev.actor.as_str());
    if let EventData::NoteAdded { subject, text } = &ev.data {
        c.prepare_cached("INSERT INTO notes (seq, subject, at, actor, text) VALUES (?1, ?2, ?3, ?4, ?5)")?
            .execute(params![ev.seq as i64, subject, ms(at), actor, text])?;
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
            .execute(params![id, name, site, camera_kind.as_str(), rtsp_url, snapshot_url, lat, lon, ward, ms(at)])?;
        }
        EventData::CameraStateChanged { id, state, .. } => {
            c.prepare_cached("UPDATE cameras SET state = ?2, state_since = ?3 WHERE id = ?1")?
                .execute(params![id, state.as_str(), ms(at)])?;
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
            .execute(params![ev.seq as i64, camera_id, plate, crate::domain::plate::key(plate), ms(*seen_at), confidence])?;
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
            .execute(params![plate, reason, ms(at), actor])?;
        }
        EventData::PlateUnwatched { plate } => {
            c.prepare_cached("DELETE FROM watchlist WHERE plate = ?1")?
                .execute([plate])?;
        }
        _ => {}
    }
    Ok(())
}
