//! Importing many new reports at once: each one made ready on a second thread (decision,
//! classification, search text, event payloads), then written in bulk.
//!
//! What lands is what [`Store::execute_many`] of one `SubmitReport` per report gives — the same
//! events, rows and counters — only faster for large files.

use super::rows::{self, ms};
use super::{Store, StoreConfig, StoreError, apply, query};
use crate::domain::lifecycle::{DomainError, View, new_report_row};
use crate::domain::{Actor, Case, EventData, NewReport, Report, ReportState};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Statement};
use std::borrow::Cow;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Reports handed from the preparing thread to the writer at a time.
const CHUNK: usize = 512;

/// Chunks waiting for the writer from which the preparing thread finishes the reports itself
/// ([`Ready::finish`]: classification, search text, payloads); with fewer the writer does. The
/// two threads are about equally busy (the writer's share is mostly SQLite's and the system's
/// writing out pages), so whichever lags leaves that work to the other, a report at a time.
const BEHIND: usize = 2;

/// The page size a large first load gives a store (see [`Store::import_reports`]).
pub const LARGE_PAGE_SIZE: u32 = 16384;

/// An import file of this size or more is a large load (about 35,000 reports of the demo city).
pub const LARGE_BYTES: u64 = 16 << 20;

/// Lines read at most while the classifier trains (about what reading does meanwhile).
const EARLY: usize = 20_000;

/// One submitted report, ready for the log and the read tables. What the writer frees is kept
/// small: the words (text, address, media, reporter) go to the log's payload and are freed here,
/// where they were made.
struct Ready {
    /// Its `ReportReceived`, while the report waits to be finished (by the writer for a report it
    /// gives an id, or one it takes over, see [`BEHIND`]; then it stays until the chunk is back
    /// where it was made).
    event: Option<EventData>,
    /// The event's JSON payload, once finished.
    payload: String,
    /// The report's row (without its words).
    report: Report,
    /// Its search text, once finished.
    folded: String,
    /// The sequence number of its `ReportReceived` (given by the writer).
    receipt: u64,
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

/// Decides one submission and makes its receipt and row; the rest (classification, search
/// text, payloads: [`Ready::finish`]) too if `finish`.
fn prepare(
    n: NewReport,
    actor: &Actor,
    now: DateTime<Utc>,
    config: &StoreConfig,
    finish: bool,
) -> Result<Ready, StoreError> {
    let mut event = super::decide_submit(config, n, &Fresh, actor, now)?;
    // The row without the words: they are not columns, and copying them only to free them costs.
    let report = new_report_row(&mut event, now, &actor.name).ok_or_else(not_a_report)?;
    let mut r = Ready {
        event: Some(event),
        payload: String::new(),
        report,
        folded: String::new(),
        receipt: 0,
    };
    if finish && !r.report.id.is_empty() {
        r.finish(config)?;
        r.event = None;
    }
    Ok(r)
}

fn not_a_report() -> StoreError {
    DomainError::Invalid("a submission that is not a report".into()).into()
}

impl Ready {
    /// Whether [`Ready::finish`] is done.
    fn finished(&self) -> bool {
        !self.payload.is_empty()
    }

    /// Classifies the report (the suggestion its receipt and row carry), folds its search text
    /// and makes the receipt's payload. The event stays.
    fn finish(&mut self, config: &StoreConfig) -> Result<(), StoreError> {
        let Some(EventData::ReportReceived {
            text,
            address,
            channel,
            suggestion,
            ..
        }) = &mut self.event
        else {
            return Err(not_a_report());
        };
        let text_folded = crate::domain::text::fold(text);
        *suggestion = super::suggestion(config, text, *channel, Some(&text_folded));
        if let Some(s) = suggestion {
            self.report.suggested_category = Some(s.category.clone());
            self.report.suggested_confidence = Some(s.confidence);
        }
        self.folded = rows::folded_with_address(text_folded, address.as_deref());
        if let Some(event) = &self.event {
            self.payload = apply::payload(event, 0)?;
        }
        Ok(())
    }
}

/// Gives a report that came without an id the next free one.
fn give_id(r: &mut Ready, id: String) {
    if let Some(EventData::ReportReceived { id: x, .. }) = &mut r.event {
        x.clone_from(&id);
    }
    r.report.id = id;
}

impl Store {
    /// Imports new reports as `actor`, in order, in transactions of `batch` reports (other
    /// writers get their turn in between; a killed import leaves whole batches). Each report is
    /// decided on a second thread while this one writes, and classified, folded and serialised
    /// there too unless the writer is waiting for it (see [`BEHIND`]). (Dropping the indexes
    /// and building them at the end was slower: an import's keys — ids, times, two event kinds —
    /// mostly arrive in order, so keeping the indexes up appends.) A refused report (for one, an
    /// id another writer created meanwhile) stops the import with its error, as does an error
    /// from `reports`: earlier transactions stay, nothing of its own does.
    /// `large` says that the caller expects many reports (a file of [`LARGE_BYTES`] or more): a
    /// first load then gives the store pages of [`LARGE_PAGE_SIZE`].
    /// Returns the number of reports imported.
    pub fn import_reports<I>(
        &mut self,
        reports: I,
        actor: &Actor,
        now: DateTime<Utc>,
        batch: usize,
        large: bool,
    ) -> Result<usize, StoreError>
    where
        I: Iterator<Item = Result<NewReport, StoreError>> + Send,
    {
        let config = self.config.clone();
        let journal = self.leave_wal_if_empty(large)?;
        let (tx, rx) = std::sync::mpsc::sync_channel::<Result<Vec<Ready>, StoreError>>(16);
        // Written chunks go back to the preparing thread, which frees them where it made them
        // (a free from another thread costs both threads) and fills them again.
        let (done, used) = std::sync::mpsc::channel::<Vec<Ready>>();
        // A first load writes its pages into the store's file, where they wait in the system's
        // cache: the commit's sync would then write the whole file at once (0.7 s at a million
        // reports, with nothing else to do). Syncing as the import goes has them written while
        // the reports are being made; and the file's blocks are reserved ahead of it.
        let first_load = match (&journal, &self.path) {
            (Journal::Rollback, Some(path)) => Some(path.clone()),
            _ => None,
        };
        // Chunks sent and not yet taken by the writer.
        let queued = AtomicUsize::new(0);
        std::thread::scope(|scope| {
            let (config, queued) = (&config, &queued);
            let flusher = first_load.and_then(|path| super::first_load::Flusher::start(scope, &path));
            scope.spawn(move || {
                let next = || match used.try_recv() {
                    Ok(mut chunk) => {
                        chunk.clear();
                        chunk
                    }
                    Err(_) => Vec::with_capacity(CHUNK),
                };
                let mut chunk = next();
                let send = |m| {
                    queued.fetch_add(1, Ordering::Relaxed);
                    tx.send(m).is_ok()
                };
                // Prepares one report into the chunk and hands full chunks on; false to stop.
                let put = |n: NewReport, chunk: &mut Vec<Ready>| {
                    let finish = queued.load(Ordering::Relaxed) >= BEHIND;
                    match prepare(n, actor, now, config, finish) {
                        Ok(r) => {
                            chunk.push(r);
                            chunk.len() < CHUNK || send(Ok(std::mem::replace(chunk, next())))
                        }
                        Err(e) => {
                            send(Err(e));
                            false
                        }
                    }
                };
                // While the classifier trains on a thread of its own, the first lines are read
                // and kept; they are prepared, in order, once it is ready.
                let classify = config.classify && !crate::triage::Classifier::builtin_is_ready();
                let training = classify.then(|| {
                    scope.spawn(|| {
                        crate::triage::Classifier::builtin();
                    })
                });
                let mut early: Vec<NewReport> = Vec::new();
                for n in reports {
                    let n = match n {
                        Ok(n) => n,
                        Err(e) => {
                            send(Err(e));
                            return;
                        }
                    };
                    if training.as_ref().is_some_and(|t| !t.is_finished()) && early.len() < EARLY {
                        early.push(n);
                        continue;
                    }
                    if !early.drain(..).chain(std::iter::once(n)).all(|n| put(n, &mut chunk)) {
                        return;
                    }
                }
                if !early.into_iter().all(|n| put(n, &mut chunk)) {
                    return;
                }
                send(Ok(chunk));
                drop(tx);
                // The last ones, once the writer is done with them.
                while used.recv().is_ok() {}
            });
            // The receiver goes with the writer: when the writer stops early, the preparing
            // thread's next send fails and it stops too.
            let chunks = rx.into_iter().inspect(|_| {
                queued.fetch_sub(1, Ordering::Relaxed);
            });
            let written = self.write_imported(chunks, &done, actor, now, batch.max(1));
            drop(done);
            if let Some(f) = flusher {
                f.finish(&self.conn);
            }
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
    ///
    /// A `large` first load also rebuilds the store (nearly empty still) with pages of
    /// [`LARGE_PAGE_SIZE`] first: a million reports then take 12% less time, as a quarter as
    /// many pages are filled, split and written out. The store keeps them: its commands
    /// afterwards cost more (a commit writes whole pages to the log), about 5,500 a second on the
    /// server against 8,000 with the default 4 KiB.
    fn leave_wal_if_empty(&mut self, large: bool) -> Result<Journal, StoreError> {
        if self.path.is_none() || query::last_seq(&self.conn)? > 0 {
            return Ok(Journal::Kept);
        }
        let journal = match super::switch_journal(&self.conn, "TRUNCATE") {
            Ok(m) if m.eq_ignore_ascii_case("truncate") => Journal::Rollback,
            _ => return Ok(Journal::Kept),
        };
        let size = self.conn.query_row("PRAGMA page_size", [], |r| r.get::<_, u32>(0));
        if large && size.is_ok_and(|s| s < LARGE_PAGE_SIZE) {
            // Only faster: if the rebuild cannot run (a full disk, say), the load goes on with
            // the pages the store has.
            let _ = self
                .conn
                .execute_batch(&format!("PRAGMA page_size = {LARGE_PAGE_SIZE}; VACUUM;"));
        }
        Ok(journal)
    }

    fn write_imported(
        &mut self,
        chunks: impl Iterator<Item = Result<Vec<Ready>, StoreError>>,
        done: &std::sync::mpsc::Sender<Vec<Ready>>,
        actor: &Actor,
        now: DateTime<Utc>,
        batch: usize,
    ) -> Result<usize, StoreError> {
        let c = &self.conn;
        c.execute_batch("BEGIN IMMEDIATE")?;
        let written = (|| {
            let mut w = Writer::new(c, &self.config, now, actor.name.as_str())?;
            let mut open = Totals::start(c)?;
            let mut imported = 0usize;
            for chunk in chunks {
                let mut chunk = chunk?;
                let mut rest = &mut chunk[..];
                while !rest.is_empty() {
                    let room = batch - open.added as usize;
                    let (part, later) = rest.split_at_mut(room.min(rest.len()));
                    w.write(part, &mut open)?;
                    imported += part.len();
                    if open.added as usize >= batch {
                        open.finish(c)?;
                        c.execute_batch("COMMIT; BEGIN IMMEDIATE")?;
                        open = Totals::start(c)?;
                    }
                    rest = later;
                }
                let _ = done.send(chunk);
            }
            open.finish(c)?;
            Ok(imported)
        })();
        match written {
            Ok(n) => {
                c.execute_batch("COMMIT")?;
                Ok(n)
            }
            Err(e) => {
                if !c.is_autocommit() {
                    let _ = c.execute_batch("ROLLBACK");
                }
                Err(e)
            }
        }
    }
}

/// Rows one statement of a [`Writer`] inserts at a time (one statement per row spent a third of
/// the writer's time starting statements and binding).
const ROWS: usize = 32;

/// The statement for the receipts of `n` reports: what every row shares is bound once (the
/// time, the importer, the kind), each report's own values (its id and payload) from `?4` on.
fn receipts_sql(n: usize) -> String {
    let rows: Vec<String> = (0..n)
        .map(|k| {
            let p = 4 + 2 * k;
            format!("(?1, ?2, ?3, ?{p}, NULL, ?{})", p + 1)
        })
        .collect();
    format!(
        "INSERT OR FAIL INTO events ({}) VALUES {}",
        apply::EVENT_ROW,
        rows.join(", ")
    )
}

/// Binds [`receipts_sql`]'s values for `run`.
fn bind_receipts(st: &mut Statement<'_>, at: i64, actor: &str, run: &[Ready]) -> rusqlite::Result<()> {
    st.raw_bind_parameter(1, at)?;
    st.raw_bind_parameter(2, actor)?;
    st.raw_bind_parameter(3, RECEIVED)?;
    for (k, r) in run.iter().enumerate() {
        let p = 4 + 2 * k;
        st.raw_bind_parameter(p, &r.report.id)?;
        st.raw_bind_parameter(p + 1, &r.payload)?;
    }
    Ok(())
}

/// The kind of a submission's event, as the log writes it.
const RECEIVED: &str = "ReportReceived";

/// The statement for [`ROWS`] report rows that are all [`Writer::is_fresh`]: the columns a
/// new submission leaves as they are (state, links, version, who and when) are written from
/// `?1`–`?3` or as constants, each row's own values bound from `?4` on.
fn fresh_sql() -> String {
    let rows: Vec<String> = (0..ROWS)
        .map(|k| {
            let p = 4 + FRESH_LEN * k;
            let own: Vec<String> = (p..p + FRESH_LEN).map(|i| format!("?{i}")).collect();
            format!(
                "({}, ?3, NULL, NULL, NULL, {}, 1, ?2, ?1)",
                own[..9].join(", "),
                own[9..].join(", ")
            )
        })
        .collect();
    format!(
        "INSERT OR FAIL INTO reports ({}) VALUES {}",
        rows::REPORT_ROW,
        rows.join(", ")
    )
}

/// A fresh row's own values in [`fresh_sql`].
const FRESH_LEN: usize = 11;

/// Binds [`fresh_sql`]'s values for `run` ([`ROWS`] fresh rows).
fn bind_fresh(st: &mut Statement<'_>, at: i64, actor: &str, run: &[Ready]) -> rusqlite::Result<()> {
    st.raw_bind_parameter(1, at)?;
    st.raw_bind_parameter(2, actor)?;
    st.raw_bind_parameter(3, ReportState::New.as_str())?;
    for (k, r) in run.iter().enumerate() {
        let (p, x) = (4 + FRESH_LEN * k, &r.report);
        st.raw_bind_parameter(p, &x.id)?;
        st.raw_bind_parameter(p + 1, r.receipt as i64)?;
        st.raw_bind_parameter(p + 2, ms(x.received_at))?;
        st.raw_bind_parameter(p + 3, x.channel.as_str())?;
        st.raw_bind_parameter(p + 4, &r.folded)?;
        st.raw_bind_parameter(p + 5, &x.category)?;
        st.raw_bind_parameter(p + 6, &x.ward)?;
        st.raw_bind_parameter(p + 7, x.lat)?;
        st.raw_bind_parameter(p + 8, x.lon)?;
        st.raw_bind_parameter(p + 9, &x.suggested_category)?;
        st.raw_bind_parameter(p + 10, x.suggested_confidence)?;
    }
    Ok(())
}

/// The statements an import writes with, held for its whole length.
struct Writer<'c> {
    receipts: Statement<'c>,
    receipt: Statement<'c>,
    fresh: Statement<'c>,
    reports: Statement<'c>,
    report: Statement<'c>,
    conn: &'c Connection,
    config: &'c StoreConfig,
    /// The import's time, as the store keeps it ([`ms`]).
    at: i64,
    /// The import's time.
    now: DateTime<Utc>,
    actor: &'c str,
}

impl<'c> Writer<'c> {
    fn new(
        c: &'c Connection,
        config: &'c StoreConfig,
        now: DateTime<Utc>,
        actor: &'c str,
    ) -> Result<Writer<'c>, StoreError> {
        let insert = |table: &str, cols: &str, rows: usize| c.prepare(&rows::insert_sql(table, cols, rows));
        Ok(Writer {
            receipts: c.prepare(&receipts_sql(ROWS))?,
            receipt: c.prepare(&receipts_sql(1))?,
            fresh: c.prepare(&fresh_sql())?,
            reports: insert("reports", rows::REPORT_ROW, ROWS)?,
            report: insert("reports", rows::REPORT_ROW, 1)?,
            conn: c,
            config,
            at: ms(now),
            now,
            actor,
        })
    }

    /// Writes reports that all fit in the open transaction: ids for those without, their
    /// receipts in order, then their rows.
    fn write(&mut self, part: &mut [Ready], open: &mut Totals) -> Result<(), StoreError> {
        for r in part.iter_mut() {
            if r.report.id.is_empty() {
                open.top += 1;
                give_id(r, format!("R{:07}", open.top));
            }
            if !r.finished() {
                r.finish(self.config)?;
            }
            open.seq += 1;
            r.receipt = open.seq;
            open.top = open.top.max(rows::id_number(&r.report.id));
        }
        let mut many = part.chunks_exact(ROWS);
        for run in many.by_ref() {
            bind_receipts(&mut self.receipts, self.at, self.actor, run)?;
            self.receipts.raw_execute()?;
            self.logged(run[ROWS - 1].receipt)?;
        }
        for r in many.remainder() {
            bind_receipts(&mut self.receipt, self.at, self.actor, std::slice::from_ref(r))?;
            self.receipt.raw_execute()?;
            self.logged(r.receipt)?;
        }
        for rows in part.chunks(ROWS) {
            let st = if rows.len() < ROWS {
                self.each_report(rows).map_err(|e| refused(e, rows))?;
                continue;
            } else if rows.iter().all(|r| self.is_fresh(&r.report)) {
                bind_fresh(&mut self.fresh, self.at, self.actor, rows)?;
                &mut self.fresh
            } else {
                for (k, r) in rows.iter().enumerate() {
                    rows::bind_report(
                        &mut self.reports,
                        1 + k * rows::REPORT_ROW_LEN,
                        &r.report,
                        &r.folded,
                        r.receipt,
                    )?;
                }
                &mut self.reports
            };
            if let Err(e) = st.raw_execute() {
                return Err(at_fault(self.conn, e, rows));
            }
        }
        open.added += part.len() as i64;
        Ok(())
    }

    /// Checks that the last event written got sequence number `seq` ([`apply::logged`]).
    fn logged(&self, seq: u64) -> Result<(), StoreError> {
        apply::logged(self.conn, seq)
    }

    /// Whether a row is as a submission by the importer leaves it (what [`fresh_sql`] writes
    /// for every row).
    fn is_fresh(&self, r: &Report) -> bool {
        r.state == ReportState::New
            && r.duplicate_of.is_none()
            && r.case_id.is_none()
            && r.reject_reason.is_none()
            && r.version == 1
            && r.updated_by == self.actor
            && r.updated_at == self.now
    }

    fn each_report(&mut self, rows: &[Ready]) -> Result<(), (rusqlite::Error, usize)> {
        for (i, r) in rows.iter().enumerate() {
            rows::bind_report(&mut self.report, 1, &r.report, &r.folded, r.receipt)
                .and_then(|()| self.report.raw_execute().map(drop))
                .map_err(|e| (e, i))?;
        }
        Ok(())
    }
}

/// The error for a statement of report rows that failed (`OR FAIL`: the rows before the one at
/// fault went in): a constraint names the first report whose id another one holds — a row the
/// statement wrote has its own receipt.
fn at_fault(c: &Connection, e: rusqlite::Error, rows: &[Ready]) -> StoreError {
    let constraint =
        matches!(&e, rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::ConstraintViolation);
    if !constraint || c.is_autocommit() {
        return e.into();
    }
    let holder = |r: &Ready| -> rusqlite::Result<bool> {
        let receipt: Option<i64> = c
            .query_row("SELECT receipt FROM reports WHERE id = ?1", [&r.report.id], |row| {
                row.get(0)
            })
            .optional()?;
        Ok(receipt.is_some_and(|x| x != r.receipt as i64))
    };
    for (i, r) in rows.iter().enumerate() {
        match holder(r) {
            Ok(true) => return refused((e, i), rows),
            Ok(false) => {}
            Err(e) => return e.into(),
        }
    }
    e.into()
}

/// The error for a report row that would not go in: a constraint names the report that exists.
fn refused((e, i): (rusqlite::Error, usize), rows: &[Ready]) -> StoreError {
    match e {
        rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::ConstraintViolation => {
            StoreError::Domain(DomainError::Invalid(format!(
                "report {} already exists",
                rows[i].report.id
            )))
        }
        e => StoreError::Sql(e),
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
