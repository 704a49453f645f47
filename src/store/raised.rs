//! Lookups of the cases the system raised and of the plate watchlist.

use super::rows::from_ms;
use super::{Store, StoreError};
use crate::domain::{CaseSource, WatchEntry};
use rusqlite::{Connection, OptionalExtension};
use std::collections::HashMap;

/// The newest case raised for `source`/`key` that is not closed.
pub fn open_case(c: &Connection, source: CaseSource, key: &str) -> rusqlite::Result<Option<String>> {
    c.prepare_cached(
        "SELECT r.case_id FROM raised_cases r JOIN cases k ON k.id = r.case_id \
         WHERE r.source = ?1 AND r.key = ?2 AND k.state <> 'closed' ORDER BY k.opened_at DESC, r.case_id DESC LIMIT 1",
    )?
    .query_row([source.as_str(), key], |r| r.get(0))
    .optional()
}

fn entry(r: &rusqlite::Row<'_>) -> rusqlite::Result<WatchEntry> {
    Ok(WatchEntry {
        plate: r.get(0)?,
        reason: r.get(1)?,
        added_at: from_ms(r.get(2)?)?,
        added_by: r.get(3)?,
    })
}

/// The watchlist entry of a normalised plate.
pub fn watched(c: &Connection, plate: &str) -> rusqlite::Result<Option<WatchEntry>> {
    c.prepare_cached("SELECT plate, reason, added_at, added_by FROM watchlist WHERE plate = ?1")?
        .query_row([plate], entry)
        .optional()
}

impl Store {
    /// Every watched plate, in plate order.
    pub fn watchlist(&self) -> Result<Vec<WatchEntry>, StoreError> {
        let mut st = self
            .conn()
            .prepare_cached("SELECT plate, reason, added_at, added_by FROM watchlist ORDER BY plate")?;
        let rows = st.query_map([], entry)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The open case raised for each key of a source (newest when several).
    pub fn open_raised_cases(&self, source: CaseSource) -> Result<HashMap<String, String>, StoreError> {
        let mut st = self.conn().prepare_cached(
            "SELECT r.key, r.case_id FROM raised_cases r JOIN cases k ON k.id = r.case_id \
             WHERE r.source = ?1 AND k.state <> 'closed' ORDER BY k.opened_at, r.case_id",
        )?;
        let rows = st.query_map([source.as_str()], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?;
        // Later rows (newer cases) replace earlier ones.
        Ok(rows.collect::<rusqlite::Result<HashMap<_, _>>>()?)
    }
}
