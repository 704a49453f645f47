//! Bulk loading (the demo seed): events appended and final rows written many to a statement, in
//! one transaction, the secondary indexes built once at the end.

use super::rows::{self, ms};
use super::{StoreError, apply, query};
use crate::domain::{Case, Event, Report};
use rusqlite::{Statement, Transaction};

/// Rows one statement inserts at a time (one statement per row spent most of a load's time
/// finding the statement again by its text and starting it).
const ROWS: usize = 32;

/// The indexes a bulk load builds at the end: an event's subject and related item, and a note's
/// subject, come in no order (the reports and cases worked on at a time are of all ages), so
/// keeping them up would write all over them; every other index of a load in time order grows
/// at its end, or at one end per state or ward (building those at the end too was 3 s slower at
/// a million reports).
const SORTED_AT_END: &[&str] = &["events_subject", "events_related", "notes_subject"];

/// A bulk load in progress; nothing is visible until [`Bulk::commit`].
pub struct Bulk<'a> {
    tx: Transaction<'a>,
    /// Indexes dropped for the load, recreated at commit.
    indexes: Vec<(String, String)>,
    /// The log's last sequence number.
    seq: u64,
    /// The highest report and case numbers written.
    top: (u64, u64),
}

impl<'a> Bulk<'a> {
    /// Starts a load in `tx`. A load writes events in time order and rows in id order (which is
    /// the order of their times too), so most indexes take their keys at their ends and are kept
    /// up as it goes; into an empty store, those whose keys land all over ([`SORTED_AT_END`]) are
    /// dropped and built once at the end, by sorting.
    pub(super) fn start(tx: Transaction<'a>) -> Result<Bulk<'a>, StoreError> {
        let seq = query::last_seq(&tx)?;
        let mut indexes = if seq == 0 {
            super::schema::secondary_indexes()
        } else {
            Vec::new()
        };
        indexes.retain(|(name, _)| SORTED_AT_END.contains(&name.as_str()));
        for (name, _) in &indexes {
            tx.execute_batch(&format!("DROP INDEX IF EXISTS {name}"))?;
        }
        Ok(Bulk {
            tx,
            indexes,
            seq,
            top: (0, 0),
        })
    }

    /// The log's last sequence number.
    pub fn last_seq(&self) -> u64 {
        self.seq
    }

    /// Appends events to the log, in order: each one's sequence number must follow the one
    /// before. Notes, cameras, sightings and the like also go to their tables; report and case
    /// rows are the caller's ([`Bulk::reports`], [`Bulk::cases`]).
    pub fn events(&mut self, evs: &[Event]) -> Result<(), StoreError> {
        for (i, ev) in evs.iter().enumerate() {
            if ev.seq != self.seq + 1 + i as u64 {
                return Err(StoreError::Corrupt {
                    seq: ev.seq,
                    message: format!(
                        "a bulk load's events must follow sequence number {}",
                        self.seq + i as u64
                    ),
                });
            }
        }
        let payloads = evs
            .iter()
            .map(|ev| apply::payload(&ev.data, ev.seq))
            .collect::<Result<Vec<_>, _>>()?;
        let rows: Vec<(&Event, &String)> = evs.iter().zip(&payloads).collect();
        insert(&self.tx, "events", apply::EVENT_ROW, &rows, |st, p, (ev, json)| {
            st.raw_bind_parameter(p, ms(ev.at))?;
            st.raw_bind_parameter(p + 1, &ev.actor)?;
            st.raw_bind_parameter(p + 2, ev.data.kind())?;
            st.raw_bind_parameter(p + 3, ev.data.subject())?;
            st.raw_bind_parameter(p + 4, ev.data.related())?;
            st.raw_bind_parameter(p + 5, json.as_str())
        })?;
        let Some(last) = evs.last() else {
            return Ok(());
        };
        apply::logged(&self.tx, last.seq)?;
        self.seq = last.seq;
        // These have no in-memory fold in the generator: they are applied here.
        for ev in evs.iter().filter(|ev| apply::has_side_effect(&ev.data)) {
            apply::apply(&self.tx, ev)?;
        }
        Ok(())
    }

    /// Writes final report rows: each with its search text ([`rows::report_folded`]) and its
    /// receipt (the sequence number of its `ReportReceived` event).
    pub fn reports(&mut self, reports: &[(Report, String, u64)]) -> Result<(), StoreError> {
        insert(
            &self.tx,
            "reports",
            rows::REPORT_ROW,
            reports,
            |st, p, (r, folded, receipt)| rows::bind_report(st, p, r, folded, *receipt),
        )?;
        for (r, ..) in reports {
            self.top.0 = self.top.0.max(rows::id_number(&r.id));
        }
        Ok(())
    }

    /// Writes final case rows, each with its search text (its first report's), and their agencies.
    pub fn cases(&mut self, cases: &[(Case, String)]) -> Result<(), StoreError> {
        insert(&self.tx, "cases", rows::CASE_ROW, cases, |st, p, (k, folded)| {
            rows::bind_case(st, p, k, folded)
        })?;
        let agencies: Vec<(&str, &str)> = cases
            .iter()
            .flat_map(|(k, _)| k.agencies.iter().map(|a| (a.as_str(), k.id.as_str())))
            .collect();
        insert(
            &self.tx,
            "case_agencies",
            "agency, case_id",
            &agencies,
            |st, p, (a, id)| {
                st.raw_bind_parameter(p, a)?;
                st.raw_bind_parameter(p + 1, id)
            },
        )?;
        for (k, _) in cases {
            self.top.1 = self.top.1.max(rows::id_number(&k.id));
        }
        Ok(())
    }

    /// Makes everything visible at once.
    pub fn commit(self) -> Result<(), StoreError> {
        if self.top.0 > 0 {
            rows::bump_counter(&self.tx, "report", self.top.0)?;
        }
        if self.top.1 > 0 {
            rows::bump_counter(&self.tx, "case", self.top.1)?;
        }
        // The running totals the apply path keeps, set once from the rows written.
        self.tx.execute_batch(
            "INSERT OR REPLACE INTO counters (name, value) SELECT 'reports_total', COUNT(*) FROM reports;
             INSERT OR REPLACE INTO counters (name, value) SELECT 'cases_total', COUNT(*) FROM cases;
             INSERT OR REPLACE INTO counters (name, value) SELECT 'cases_closed', COUNT(*) FROM cases WHERE state = 'closed';",
        )?;
        super::build_indexes(&self.tx, &self.indexes)?;
        Ok(self.tx.commit()?)
    }
}

/// Inserts `items` into `table`'s columns `cols`, [`ROWS`] to a statement and the rest one by
/// one; `bind` binds one item's values from parameter `p` on.
fn insert<T>(
    tx: &Transaction<'_>,
    table: &str,
    cols: &str,
    items: &[T],
    bind: impl Fn(&mut Statement<'_>, usize, &T) -> rusqlite::Result<()>,
) -> Result<(), StoreError> {
    let width = cols.split(',').count();
    let mut many = items.chunks_exact(ROWS);
    if many.len() > 0 {
        let mut st = tx.prepare_cached(&rows::insert_sql(table, cols, ROWS))?;
        for chunk in many.by_ref() {
            for (k, item) in chunk.iter().enumerate() {
                bind(&mut st, 1 + k * width, item)?;
            }
            st.raw_execute()?;
        }
    }
    if !many.remainder().is_empty() {
        let mut st = tx.prepare_cached(&rows::insert_sql(table, cols, 1))?;
        for item in many.remainder() {
            bind(&mut st, 1, item)?;
            st.raw_execute()?;
        }
    }
    Ok(())
}
