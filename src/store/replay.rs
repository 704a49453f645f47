//! Replaying the log: `admin rebuild` (fresh read tables from the events) and `admin verify`
//! (replay into a scratch store and compare with the live tables).

use super::query::event_from_row;
use super::schema::READ_TABLES;
use super::{Store, StoreError, apply, migrate};
use rusqlite::Connection;
use rusqlite::types::Value;
use serde::Serialize;

/// The outcome of `admin verify`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct VerifyReport {
    /// Events replayed.
    pub events: u64,
    /// Rows compared, per table.
    pub rows: Vec<(String, u64)>,
    /// Differences found (at most 20 listed).
    pub differences: Vec<String>,
}

impl VerifyReport {
    /// True when replay gives exactly the current tables.
    pub fn ok(&self) -> bool {
        self.differences.is_empty()
    }
}

/// Replays every event of `src` into the read tables of `dst`; with `copy_log`, each event is
/// appended to the log of `dst` first (a report row reads its words from its receipt there).
fn replay_into(src: &Connection, dst: &Connection, copy_log: bool) -> Result<u64, StoreError> {
    let mut st = src.prepare("SELECT seq, at, actor, payload, kind, subject, related FROM events ORDER BY seq")?;
    let mut rows = st.query([])?;
    let mut copy = if copy_log {
        Some(dst.prepare(
            "INSERT INTO events (seq, at, actor, payload, kind, subject, related) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?)
    } else {
        None
    };
    let mut n = 0;
    let mut expect = 1;
    while let Some(r) = rows.next()? {
        if let Some(copy) = copy.as_mut() {
            for i in 0..7 {
                copy.raw_bind_parameter(i + 1, rusqlite::types::ToSqlOutput::Borrowed(r.get_ref(i)?))?;
            }
            copy.raw_execute()?;
        }
        let ev = event_from_row(r)?;
        if ev.seq != expect {
            return Err(StoreError::Corrupt {
                seq: ev.seq,
                message: format!("gap in the log: expected {expect}"),
            });
        }
        expect += 1;
        apply::apply(dst, &ev)?;
        n += 1;
    }
    Ok(n)
}

impl Store {
    /// Drops the read tables' rows and replays the whole log into them, in one transaction.
    pub fn rebuild(&mut self) -> Result<u64, StoreError> {
        let tx = self.conn.unchecked_transaction()?;
        for (t, _) in READ_TABLES {
            tx.execute(&format!("DELETE FROM {t}"), [])?;
        }
        let n = replay_into(&tx, &tx, false)?;
        tx.commit()?;
        Ok(n)
    }

    /// Replays the log into a scratch database and compares every read table row by row.
    pub fn verify(&self) -> Result<VerifyReport, StoreError> {
        let scratch_path = self.path.as_ref().map(|p| p.with_extension("verify.tmp"));
        if let Some(p) = &scratch_path {
            let _ = std::fs::remove_file(p);
        }
        let scratch = match &scratch_path {
            Some(p) => Connection::open(p)?,
            None => Connection::open_in_memory()?,
        };
        scratch.execute_batch("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;")?;
        migrate(&scratch)?;
        let result = (|| {
            let tx = scratch.unchecked_transaction()?;
            let events = replay_into(&self.conn, &tx, true)?;
            tx.commit()?;
            let mut report = VerifyReport {
                events,
                rows: Vec::new(),
                differences: Vec::new(),
            };
            for (t, key) in READ_TABLES {
                let n = compare(&self.conn, &scratch, t, key, &mut report.differences)?;
                report.rows.push((t.to_string(), n));
            }
            Ok(report)
        })();
        drop(scratch);
        if let Some(p) = &scratch_path {
            let _ = std::fs::remove_file(p);
        }
        result
    }
}

/// Compares one table in two databases; returns the rows seen.
fn compare(
    live: &Connection,
    fresh: &Connection,
    table: &str,
    key: &str,
    diffs: &mut Vec<String>,
) -> Result<u64, StoreError> {
    let sql = format!("SELECT * FROM {table} ORDER BY {key}");
    let mut a = live.prepare(&sql)?;
    let mut b = fresh.prepare(&sql)?;
    let ncols = a.column_count();
    let names: Vec<String> = a.column_names().map(|s| s.to_string()).collect();
    let mut ra = a.query([])?;
    let mut rb = b.query([])?;
    let mut n = 0;
    loop {
        let (x, y) = (ra.next()?, rb.next()?);
        match (x, y) {
            (None, None) => break,
            (Some(x), None) => {
                push(
                    diffs,
                    format!(
                        "{table}: row {:?} is in the store but not in the replay",
                        x.get::<_, Value>(0)?
                    ),
                );
                break;
            }
            (None, Some(y)) => {
                push(
                    diffs,
                    format!(
                        "{table}: row {:?} is in the replay but not in the store",
                        y.get::<_, Value>(0)?
                    ),
                );
                break;
            }
            (Some(x), Some(y)) => {
                n += 1;
                for (i, name) in names.iter().enumerate().take(ncols) {
                    let (vx, vy) = (x.get::<_, Value>(i)?, y.get::<_, Value>(i)?);
                    if vx != vy {
                        push(
                            diffs,
                            format!(
                                "{table} {:?}: {} is {:?} in the store, {:?} on replay",
                                x.get::<_, Value>(0)?,
                                name,
                                vx,
                                vy
                            ),
                        );
                        break;
                    }
                }
            }
        }
        if diffs.len() >= 20 {
            break;
        }
    }
    Ok(n)
}

fn push(diffs: &mut Vec<String>, d: String) {
    if diffs.len() < 20 {
        diffs.push(d);
    }
}
