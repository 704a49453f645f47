//! Persistence: the embedded SQLite store holding the event log and the read tables made from it.
//!
//! Every public write is one transaction that appends events and updates the read tables, so the
//! log and the tables never disagree, even when the process is killed mid-way.

mod apply;
mod bulk;
mod cameras;
mod first_load;
mod import;
mod intake_json;
pub mod nearby;
mod query;
mod raised;
mod readers;
mod replay;
pub mod rows;
pub mod schema;
mod stats;
pub mod tokens;

use crate::domain::calendar::Calendar;
use crate::domain::lifecycle::{self, Context, DomainError, View};
use crate::domain::{Actor, Case, Envelope, Event, EventData, Report};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use std::borrow::Cow;
use std::cell::RefCell;
use std::path::{Path, PathBuf};
use thiserror::Error;

pub use bulk::Bulk;
pub use import::{LARGE_BYTES, LARGE_PAGE_SIZE};
pub use query::Relabelled;
pub use readers::Readers;
pub use replay::VerifyReport;

/// What can go wrong in the store.
#[derive(Debug, Error)]
pub enum StoreError {
    /// The command was refused by the domain rules.
    #[error(transparent)]
    Domain(#[from] DomainError),
    /// SQLite failed.
    #[error("database error: {0}")]
    Sql(#[from] rusqlite::Error),
    /// A stored event could not be read back.
    #[error("corrupt event {seq}: {message}")]
    Corrupt {
        /// Its sequence number.
        seq: u64,
        /// What was wrong.
        message: String,
    },
    /// A file could not be used.
    #[error("{path}: {message}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
}

/// Tunables the store takes from the settings.
#[derive(Debug, Clone)]
pub struct StoreConfig {
    /// Working days to answer, per category code (the catalogue's 7 when absent).
    pub deadline_days: std::collections::BTreeMap<String, u32>,
    /// Extra non-working days.
    pub calendar: Calendar,
    /// Classify every new report as it arrives.
    pub classify: bool,
}

impl Default for StoreConfig {
    fn default() -> Self {
        StoreConfig {
            deadline_days: Default::default(),
            calendar: Calendar::vietnam(),
            classify: true,
        }
    }
}

impl StoreConfig {
    /// Working days to answer a report of this category.
    pub fn days_for(&self, category: &str) -> u32 {
        self.deadline_days
            .get(category)
            .copied()
            .or_else(|| crate::domain::catalog::category(category).map(|c| c.deadline_days))
            .unwrap_or(7)
    }
}

/// An open store: one SQLite connection.
pub struct Store {
    conn: Connection,
    path: Option<PathBuf>,
    config: StoreConfig,
    /// The spatial index of duplicate candidates, built at first use.
    nearby: Option<nearby::NearbyIndex>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

/// The file name of the store inside the data directory.
pub const DB_FILE: &str = "iocdesk.sqlite3";

/// Puts the store in write-ahead-log mode (readers never wait for the writer) unless it is
/// already, or another connection holds it: a first import writes with a rollback journal (see
/// [`Store::import_reports`]), and a store opened meanwhile works in that mode until the next open.
fn wal(conn: &Connection) -> Result<(), StoreError> {
    let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
    if mode.eq_ignore_ascii_case("wal") {
        return Ok(());
    }
    match switch_journal(conn, "WAL") {
        Err(rusqlite::Error::SqliteFailure(f, _))
            if matches!(
                f.code,
                rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
            ) =>
        {
            Ok(())
        }
        Err(e) => Err(e.into()),
        Ok(_) => Ok(()),
    }
}

/// Asks for journal `mode` without waiting for other connections (switching needs the store
/// alone); gives the mode SQLite answers with.
fn switch_journal(conn: &Connection, mode: &str) -> rusqlite::Result<String> {
    conn.busy_timeout(std::time::Duration::ZERO)?;
    let answer = conn.query_row(&format!("PRAGMA journal_mode = {mode}"), [], |r| r.get(0));
    conn.busy_timeout(BUSY_TIMEOUT)?;
    answer
}

/// How long a writer waits for another to finish before giving up with "database is locked".
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

impl Store {
    /// Opens (creating if needed) the store in `dir`, running pending migrations.
    pub fn open_dir(dir: &Path, config: StoreConfig) -> Result<Store, StoreError> {
        std::fs::create_dir_all(dir).map_err(|e| StoreError::Io {
            path: dir.into(),
            message: e.to_string(),
        })?;
        Store::open(&dir.join(DB_FILE), config)
    }

    /// Opens (creating if needed) the store file at `path`.
    pub fn open(path: &Path, config: StoreConfig) -> Result<Store, StoreError> {
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        Store::setup(conn, Some(path.to_path_buf()), config)
    }

    /// A throwaway store in memory (tests).
    pub fn open_in_memory(config: StoreConfig) -> Result<Store, StoreError> {
        Store::setup(Connection::open_in_memory()?, None, config)
    }

    fn setup(conn: Connection, path: Option<PathBuf>, config: StoreConfig) -> Result<Store, StoreError> {
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // Every write runs a few dozen distinct statements; rusqlite's default cache of 16 would
        // evict and re-parse them on every command.
        conn.set_prepared_statement_cache_capacity(256);
        wal(&conn)?;
        conn.execute_batch(
            "PRAGMA synchronous = NORMAL;
             PRAGMA temp_store = MEMORY;
             PRAGMA cache_size = -65536;
             PRAGMA mmap_size = 8589934592;
             PRAGMA foreign_keys = OFF;",
        )?;
        migrate(&conn)?;
        Ok(Store {
            conn,
            path,
            config,
            nearby: None,
        })
    }

    /// True when a store file exists in `dir`.
    pub fn exists_in(dir: &Path) -> bool {
        dir.join(DB_FILE).exists()
    }

    /// The file, if any.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The store's settings.
    pub fn config(&self) -> &StoreConfig {
        &self.config
    }

    /// Checks a command and, if accepted, appends its events and updates the read tables in one
    /// transaction. Returns the recorded events (empty when the command changed nothing).
    pub fn execute(&mut self, env: &Envelope, actor: &Actor, now: DateTime<Utc>) -> Result<Vec<Event>, StoreError> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let events = execute_group(&tx, &self.config, std::slice::from_ref(env), actor, now)?;
        tx.commit()?;
        Ok(events)
    }

    /// Runs many commands in one transaction; each gets its own result and a failed command
    /// leaves no trace.
    pub fn execute_many(
        &mut self,
        envs: &[Envelope],
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<Vec<Result<Vec<Event>, StoreError>>, StoreError> {
        let groups: Vec<&[Envelope]> = envs.iter().map(std::slice::from_ref).collect();
        self.run_groups(&groups, actor, now, false)
    }

    /// Runs groups of commands in one transaction: each group applies whole or not at all. With
    /// `dry_run` everything is rolled back at the end, so the results are exactly what a real run
    /// would give.
    pub fn execute_groups(
        &mut self,
        groups: &[Vec<Envelope>],
        actor: &Actor,
        now: DateTime<Utc>,
        dry_run: bool,
    ) -> Result<Vec<Result<Vec<Event>, StoreError>>, StoreError> {
        let groups: Vec<&[Envelope]> = groups.iter().map(Vec::as_slice).collect();
        self.run_groups(&groups, actor, now, dry_run)
    }

    fn run_groups(
        &mut self,
        groups: &[&[Envelope]],
        actor: &Actor,
        now: DateTime<Utc>,
        dry_run: bool,
    ) -> Result<Vec<Result<Vec<Event>, StoreError>>, StoreError> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut out = Vec::with_capacity(groups.len());
        for group in groups {
            // A refused command stops its group before anything of the group was written.
            match execute_group(&tx, &self.config, group, actor, now) {
                Ok(ev) => out.push(Ok(ev)),
                Err(StoreError::Domain(e)) => out.push(Err(StoreError::Domain(e))),
                Err(e) => return Err(e),
            }
        }
        if dry_run {
            tx.rollback()?;
        } else {
            tx.commit()?;
        }
        Ok(out)
    }

    /// Switches an empty store to loading mode (no journal, no syncs, a 128 MiB cache: a load
    /// appends, and a larger cache only cost memory — 1 GiB was 0.9 GiB more at a million reports
    /// and no faster) or back to the normal settings. Only for filling a fresh store that can be
    /// thrown away on failure.
    pub fn fast_load(&mut self, on: bool) -> Result<(), StoreError> {
        if on {
            if query::last_seq(&self.conn)? > 0 {
                return Ok(());
            }
            self.conn
                .execute_batch("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -131072;")?;
        } else {
            self.conn
                .execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536;")?;
        }
        Ok(())
    }

    /// Starts a bulk load (the demo generator): events go to the log and final rows to the read
    /// tables directly, all in one transaction. The caller guarantees the rows are what replaying
    /// the events gives; `admin verify` checks it.
    pub fn bulk(&mut self) -> Result<Bulk<'_>, StoreError> {
        Bulk::start(self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?)
    }

    /// The raw connection, for the store's own modules.
    /// The open reports that may describe the same problem as report `id`, best first, with
    /// their score (see [`nearby`]); `None` when there is no such report, empty when it has no
    /// coordinates. The spatial index is built at the first call and kept current from the log.
    pub fn duplicate_candidates(
        &mut self,
        id: &str,
        p: &nearby::DuplicateParams,
    ) -> Result<Option<Vec<(Report, f64)>>, StoreError> {
        let Some(r) = rows::get_report(&self.conn, id)? else {
            return Ok(None);
        };
        let (Some(lat), Some(lon)) = (r.lat, r.lon) else {
            return Ok(Some(Vec::new()));
        };
        let ix = match self.nearby.take() {
            Some(mut ix) => {
                ix.sync(&self.conn)?;
                ix
            }
            None => nearby::NearbyIndex::build(&self.conn)?,
        };
        let cat = r
            .category
            .clone()
            .or_else(|| r.suggested_category.clone())
            .unwrap_or_default();
        let near = ix.near(&cat, lat, lon, r.received_at, &r.id, p.radius_m, p.days);
        let out = nearby::rank(&self.conn, &r, &near, p);
        self.nearby = Some(ix);
        Ok(Some(out?))
    }

    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }
}

/// Decides a group of commands inside an open transaction, each against the state the earlier
/// ones leave, and records their events only when every command was accepted.
fn execute_group(
    tx: &Connection,
    config: &StoreConfig,
    group: &[Envelope],
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Vec<Event>, StoreError> {
    let mut folder = apply::Folder::default();
    let mut out = Vec::new();
    let first = query::last_seq(tx)? + 1;
    for env in group {
        let data = {
            let view = GroupView {
                conn: tx,
                folder: &folder,
                read: RefCell::default(),
                err: RefCell::new(None),
            };
            let decided = decide(config, env, &view, actor, now);
            if let Some(e) = view.err.into_inner() {
                return Err(StoreError::Sql(e));
            }
            let (reports, cases) = view.read.into_inner();
            for r in reports {
                folder.remember_report(r);
            }
            for k in cases {
                folder.remember_case(k);
            }
            decided?
        };
        for mut d in data {
            // Every new report gets the classifier's suggestion with its receipt.
            if let EventData::ReportReceived {
                text,
                channel,
                suggestion: s,
                ..
            } = &mut d
            {
                *s = suggestion(config, text, *channel, None);
            }
            let ev = Event {
                seq: first + out.len() as u64,
                at: now,
                actor: actor.name.clone(),
                data: d,
            };
            folder.fold(tx, &ev)?;
            out.push(ev);
        }
    }
    for ev in &out {
        apply::append(tx, ev)?;
    }
    folder.write(tx)?;
    Ok(out)
}

/// The classifier's suggestion for a new report's receipt, when the store classifies (not for
/// the system's own reports, whose category is given); `folded` is the text's fold if the caller
/// has it.
fn suggestion(
    config: &StoreConfig,
    text: &str,
    channel: crate::domain::Channel,
    folded: Option<&str>,
) -> Option<crate::domain::Suggestion> {
    if !config.classify || channel == crate::domain::Channel::System {
        return None;
    }
    let classifier = crate::triage::Classifier::builtin();
    let (category, confidence) = match folded {
        Some(f) => classifier.classify_folded(text, f),
        None => classifier.classify(text),
    };
    Some(crate::domain::Suggestion { category, confidence })
}

/// Decides a command against `view` with the store's calendar and deadline rules.
fn decide(
    config: &StoreConfig,
    env: &Envelope,
    view: &dyn View,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Vec<EventData>, DomainError> {
    in_context(config, actor, now, |ctx| lifecycle::decide(env, view, ctx))
}

/// [`decide`] for one submission, taken by value ([`lifecycle::decide_submit`]).
fn decide_submit(
    config: &StoreConfig,
    n: crate::domain::NewReport,
    view: &dyn View,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<EventData, DomainError> {
    in_context(config, actor, now, |ctx| lifecycle::decide_submit(n, view, ctx))
}

/// Calls `f` with the domain's context for `actor` at `now` under the store's rules.
fn in_context<T>(config: &StoreConfig, actor: &Actor, now: DateTime<Utc>, f: impl FnOnce(&Context<'_>) -> T) -> T {
    let days = |c: &str| config.days_for(c);
    f(&Context {
        actor,
        now,
        calendar: &config.calendar,
        deadline_days: &days,
    })
}

/// The domain's view of the current state inside a group of commands: what the group's earlier
/// commands changed (held by the folder), else the rows in SQL.
struct GroupView<'a> {
    conn: &'a Connection,
    folder: &'a apply::Folder,
    /// Rows read from SQL, handed to the folder afterwards so that folding does not read them again.
    read: RefCell<(Vec<Report>, Vec<Case>)>,
    err: RefCell<Option<rusqlite::Error>>,
}

impl GroupView<'_> {
    fn keep<T: Default>(&self, r: rusqlite::Result<T>) -> T {
        r.unwrap_or_else(|e| {
            self.err.borrow_mut().get_or_insert(e);
            T::default()
        })
    }
}

impl View for GroupView<'_> {
    fn report(&self, id: &str) -> Option<Cow<'_, Report>> {
        if let Some(r) = self.folder.report(id) {
            return Some(Cow::Borrowed(r));
        }
        let r = self.keep(rows::get_report(self.conn, id))?;
        self.read.borrow_mut().0.push(r.clone());
        Some(Cow::Owned(r))
    }
    fn case(&self, id: &str) -> Option<Cow<'_, Case>> {
        if let Some(k) = self.folder.case(id) {
            return Some(Cow::Borrowed(k));
        }
        let k = self.keep(rows::get_case(self.conn, id))?;
        self.read.borrow_mut().1.push(k.clone());
        Some(Cow::Owned(k))
    }
    fn duplicates_of(&self, id: &str) -> Vec<String> {
        let mut ids = self.keep(query::duplicates_of(self.conn, id));
        // Merges made earlier in the group are in the folder, not yet in SQL.
        let is_dup = |r: &Report| r.duplicate_of.as_deref() == Some(id);
        ids.retain(|d| self.folder.report(d).is_none_or(is_dup));
        let added: Vec<&Report> = self
            .folder
            .reports()
            .filter(|r| is_dup(r) && !ids.contains(&r.id))
            .collect();
        if !added.is_empty() {
            ids.extend(added.iter().map(|r| r.id.clone()));
            let mut keyed: Vec<(DateTime<Utc>, String)> = ids
                .into_iter()
                .map(|d| (self.report(&d).map(|r| r.received_at).unwrap_or_default(), d))
                .collect();
            keyed.sort();
            ids = keyed.into_iter().map(|(_, d)| d).collect();
        }
        ids
    }
    fn next_report_id(&self) -> String {
        let n = self
            .keep(rows::counter(self.conn, "report"))
            .max(self.folder.max_ids().0);
        format!("R{:07}", n + 1)
    }
    fn next_case_id(&self) -> String {
        let n = self.keep(rows::counter(self.conn, "case")).max(self.folder.max_ids().1);
        format!("C{:07}", n + 1)
    }
    fn camera(&self, id: &str) -> Option<crate::domain::Camera> {
        let mut cam = self.keep(rows::get_camera(self.conn, id));
        for ev in self.folder.side_events() {
            if lifecycle::camera_of(&ev.data) == Some(id) {
                lifecycle::apply_camera(&mut cam, &ev.data, ev.at);
            }
        }
        cam
    }
    fn raised_case(&self, source: crate::domain::CaseSource, key: &str) -> Option<String> {
        let mut open = self.keep(raised::open_case(self.conn, source, key));
        for ev in self.folder.side_events() {
            if let EventData::CaseRaised {
                case_id,
                source: s,
                key: k,
            } = &ev.data
                && *s == source
                && k == key
            {
                open = Some(case_id.clone());
            }
        }
        // A case the group closed is no longer open.
        open.filter(|id| {
            self.folder
                .case(id)
                .is_none_or(|k| k.state != crate::domain::CaseState::Closed)
        })
    }
    fn watched(&self, plate: &str) -> Option<crate::domain::WatchEntry> {
        let mut entry = self.keep(raised::watched(self.conn, plate));
        for ev in self.folder.side_events() {
            match &ev.data {
                EventData::PlateWatched { plate: p, reason } if p == plate => match &mut entry {
                    Some(e) => e.reason = reason.clone(),
                    None => {
                        entry = Some(crate::domain::WatchEntry {
                            plate: p.clone(),
                            reason: reason.clone(),
                            added_at: ev.at,
                            added_by: ev.actor.clone(),
                        })
                    }
                },
                EventData::PlateUnwatched { plate: p } if p == plate => entry = None,
                _ => {}
            }
        }
        entry
    }
}

/// Runs the migrations the database has not seen yet (tracked in `user_version`).
fn migrate(conn: &Connection) -> Result<(), StoreError> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let target = schema::MIGRATIONS.len() as i64;
    if version > target {
        return Err(StoreError::Io {
            path: PathBuf::from("(store)"),
            message: format!(
                "the store has schema version {version}, newer than this iocdesk ({target}); upgrade iocdesk"
            ),
        });
    }
    for (i, sql) in schema::MIGRATIONS.iter().enumerate().skip(version as usize) {
        let tx = conn.unchecked_transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
}

/// Builds indexes dropped for a bulk load, and the planner's statistics, inside its transaction.
fn build_indexes(c: &Connection, indexes: &[(String, String)]) -> Result<(), StoreError> {
    // Index builds sort in runs of a few MiB, spilled to temporary files and sorted and merged by
    // worker threads (SQLite sorts on one thread when temporary data stay in memory): at a
    // million reports this builds the log's indexes in a third of the time. The planner's
    // statistics come from a sample.
    c.execute_batch(
        "PRAGMA threads = 4; PRAGMA temp_store = FILE; PRAGMA cache_size = -4096; PRAGMA analysis_limit = 2000;",
    )?;
    for (_, sql) in indexes {
        c.execute_batch(sql)?;
    }
    c.execute_batch("ANALYZE; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -65536;")?;
    Ok(())
}
