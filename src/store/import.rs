//! Importing many new reports at once: each one made ready on a second thread (decision,
//! classification, search text, event payloads), then written in bulk.
//!
//! What lands is what [`Store::execute_many`] of one `SubmitReport` per report gives — the same
//! events, rows and counters — only faster for large files.

use super::rows::{self, ts};
use super::{CLASSIFIER_ACTOR, Store, StoreConfig, StoreError, query};
use crate::domain::lifecycle::{DomainError, View, apply_report, new_report};
use crate::domain::{Actor, Case, Channel, Command, Envelope, EventData, NewReport, Report};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, TransactionBehavior, params};
use std::borrow::Cow;

/// Reports handed from the preparing thread to the writer at a time.
const CHUNK: usize = 512;

/// One submitted report, ready for the log and the read tables.
struct Ready {
    /// `ReportReceived`, then `ReportClassified` when the classifier ran.
    events: Vec<EventData>,
    /// The events' JSON payloads, made when the id was known (else the writer makes them once
    /// it gave the report its id).
    payloads: Option<Vec<String>>,
    report: Report,
    folded: String,
}

/// The state a submission is decided against during an import: ids were checked against the
/// store and the file beforehand, and a report without an id gets one from the writer.
struct Fresh;

impl View for Fresh {
    fn report(&self, _id: &str) -> Option<Cow<'_, Report>> {
        None
    }
    fn case(&self, _id: &str) -> Option<Cow<'_, Case>> {
        None
    }
    fn duplicates_of(&self, _id: &str) -> Vec<String> {
        Vec::new()
    }
    fn next_report_id(&self) -> String {
        String::new()
    }
    fn next_case_id(&self) -> String {
        String::new()
    }
    fn camera(&self, _id: &str) -> Option<crate::domain::Camera> {
        None
    }
}

/// Decides one submission and makes its events, row and search text.
fn prepare(n: NewReport, actor: &Actor, now: DateTime<Utc>, config: &StoreConfig) -> Result<Ready, StoreError> {
    let mut events = super::decide(config, &Envelope::from(Command::SubmitReport(n)), &Fresh, actor, now)?;
    let received = events
        .first()
        .ok_or_else(|| DomainError::Invalid("nothing to import".into()))?;
    let mut report = new_report(received, now, &actor.name)
        .ok_or_else(|| DomainError::Invalid("a submission that is not a report".into()))?;
    let text_folded = crate::domain::text::fold(&report.text);
    if config.classify && report.channel != Channel::System {
        let (category, confidence) = crate::triage::Classifier::builtin().classify_folded(&report.text, &text_folded);
        events.push(EventData::ReportClassified {
            id: report.id.clone(),
            category,
            confidence,
        });
    }
    for ev in &events[1..] {
        apply_report(&mut report, ev, now, CLASSIFIER_ACTOR);
    }
    let payloads = if report.id.is_empty() {
        None
    } else {
        Some(events.iter().map(payload).collect::<Result<_, _>>()?)
    };
    let folded = rows::report_folded_from(text_folded, &report);
    Ok(Ready {
        events,
        payloads,
        report,
        folded,
    })
}

fn payload(d: &EventData) -> Result<String, StoreError> {
    serde_json::to_string(d).map_err(|e| StoreError::Corrupt {
        seq: 0,
        message: e.to_string(),
    })
}

/// Gives a report that came without an id the next free one.
fn give_id(r: &mut Ready, id: String) {
    for ev in &mut r.events {
        match ev {
            EventData::ReportReceived { id: x, .. } | EventData::ReportClassified { id: x, .. } => *x = id.clone(),
            _ => {}
        }
    }
    r.report.id = id;
}

impl Store {
    /// Imports new reports as `actor`, in order, in transactions of `batch` reports (other
    /// writers get their turn in between; a killed import leaves whole batches). Each report is
    /// decided, classified, folded and serialised on a second thread while this one writes.
    /// (Dropping the indexes and building them at the end was slower: an import's keys — ids,
    /// times, two event kinds — mostly arrive in order, so keeping the indexes up appends.) A refused report (for one, an id another writer created meanwhile)
    /// stops the import with its error, as does an error from `reports`: earlier transactions
    /// stay, nothing of its own does.
    /// Returns the number of reports imported.
    pub fn import_reports<I>(
        &mut self,
        reports: I,
        actor: &Actor,
        now: DateTime<Utc>,
        batch: usize,
    ) -> Result<usize, StoreError>
    where
        I: Iterator<Item = Result<NewReport, StoreError>> + Send,
    {
        let config = self.config.clone();
        let journal = self.leave_wal_if_empty()?;
        let (tx, rx) = std::sync::mpsc::sync_channel::<Result<Vec<Ready>, StoreError>>(16);
        std::thread::scope(|scope| {
            let config = &config;
            scope.spawn(move || {
                let mut chunk = Vec::with_capacity(CHUNK);
                for n in reports {
                    match n.and_then(|n| prepare(n, actor, now, config)) {
                        Ok(r) => chunk.push(r),
                        Err(e) => {
                            let _ = tx.send(Err(e));
                            return;
                        }
                    }
                    if chunk.len() == CHUNK && tx.send(Ok(std::mem::take(&mut chunk))).is_err() {
                        return;
                    }
                }
                let _ = tx.send(Ok(chunk));
            });
            // The receiver goes with the writer: when the writer stops early, the preparing
            // thread's next send fails and it stops too.
            let written = self.write_imported(rx.into_iter(), actor, now, batch.max(1));
            let back = match journal {
                Journal::Rollback => super::wal(&self.conn),
                Journal::Kept => Ok(()),
            };
            let imported = written?;
            back.map(|()| imported)
        })
    }

    /// Into a store that holds no events yet (a first load), an import writes with a rollback
    /// journal instead of the write-ahead log: a new store's pages are appended, so the journal
    /// keeps next to nothing, where the log writes every page twice (to the log, then back into
    /// the file). A killed import still leaves whole batches: the journal rolls the unfinished
    /// one back at the next open. Only when no other connection has the store open (switching
    /// needs it alone; if it is busy the import keeps the log); one that opens it meanwhile reads
    /// and writes with the journal too, and the log is back at the end or at the next open.
    fn leave_wal_if_empty(&mut self) -> Result<Journal, StoreError> {
        if self.path.is_none() || query::last_seq(&self.conn)? > 0 {
            return Ok(Journal::Kept);
        }
        self.conn.busy_timeout(std::time::Duration::ZERO)?;
        let mode = self
            .conn
            .query_row("PRAGMA journal_mode = TRUNCATE", [], |r| r.get::<_, String>(0));
        self.conn.busy_timeout(super::BUSY_TIMEOUT)?;
        Ok(match mode {
            Ok(m) if m.eq_ignore_ascii_case("truncate") => Journal::Rollback,
            _ => Journal::Kept,
        })
    }

    fn write_imported(
        &mut self,
        chunks: impl Iterator<Item = Result<Vec<Ready>, StoreError>>,
        actor: &Actor,
        now: DateTime<Utc>,
        batch: usize,
    ) -> Result<usize, StoreError> {
        let at = ts(now);
        let mut tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut open = Totals::start(&tx)?;
        let mut imported = 0usize;
        for chunk in chunks {
            for mut r in chunk? {
                if r.report.id.is_empty() {
                    open.top += 1;
                    give_id(&mut r, format!("R{:07}", open.top));
                }
                let payloads = match r.payloads.take() {
                    Some(p) => p,
                    None => r.events.iter().map(payload).collect::<Result<_, _>>()?,
                };
                let receipt = open.seq + 1;
                for (d, json) in r.events.iter().zip(&payloads) {
                    open.seq += 1;
                    let who = match d {
                        EventData::ReportClassified { .. } => CLASSIFIER_ACTOR,
                        _ => actor.name.as_str(),
                    };
                    append_json(&tx, open.seq, &at, who, d, json)?;
                }
                rows::insert_report_folded(&tx, &r.report, &r.folded, receipt).map_err(|e| match e {
                    rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::ConstraintViolation => {
                        StoreError::Domain(DomainError::Invalid(format!("report {} already exists", r.report.id)))
                    }
                    e => StoreError::Sql(e),
                })?;
                open.top = open.top.max(rows::id_number(&r.report.id));
                open.added += 1;
                imported += 1;
                if open.added as usize >= batch {
                    open.finish(&tx)?;
                    tx.commit()?;
                    tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
                    open = Totals::start(&tx)?;
                }
            }
        }
        open.finish(&tx)?;
        tx.commit()?;
        Ok(imported)
    }
}

/// The journal an import writes with.
enum Journal {
    /// The store's own (the write-ahead log).
    Kept,
    /// A rollback journal, switched back to the log at the end.
    Rollback,
}

/// The log's last sequence number, the highest report number and the reports added, for the
/// transaction in progress.
struct Totals {
    seq: u64,
    top: u64,
    added: i64,
}

impl Totals {
    fn start(c: &Connection) -> Result<Totals, StoreError> {
        Ok(Totals {
            seq: query::last_seq(c)?,
            top: rows::counter(c, "report")?,
            added: 0,
        })
    }

    fn finish(&self, c: &Connection) -> Result<(), StoreError> {
        if self.added > 0 {
            rows::bump_counter(c, "report", self.top)?;
            rows::add_counter(c, "reports_total", self.added)?;
        }
        Ok(())
    }
}

/// Appends one event whose payload is already JSON.
fn append_json(c: &Connection, seq: u64, at: &str, actor: &str, d: &EventData, json: &str) -> Result<(), StoreError> {
    c.prepare_cached(
        "INSERT INTO events (seq, at, actor, kind, subject, related, payload) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![seq as i64, at, actor, d.kind(), d.subject(), d.related(), json])?;
    Ok(())
}
