//! The local core: the embedded store behind a mutex, run on tokio's blocking pool. Writes go
//! through that one connection; queries on a store file go to a pool of read-only connections
//! ([`crate::store::Readers`]) so they neither queue behind writes nor behind each other.

use super::{CaseDetail, IocError, ReportDetail};
use crate::domain::query::{CaseFilter, Counts, ReportFilter};
use crate::domain::{Actor, Case, Command, Envelope, Event, NewReport, Report};
pub use crate::store::tokens::TokenInfo;
use crate::store::{Readers, Store};
use chrono::Utc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{Notify, mpsc};

/// The embedded core, acting as one actor. Cheap to clone; clones share the store.
#[derive(Clone)]
pub struct LocalIoc {
    inner: Arc<Inner>,
    actor: Actor,
}

/// Read-only connections at most: queries beyond this many at once wait for one (on two cores
/// more would only take turns).
const READERS_MAX: usize = 8;

struct Inner {
    store: Mutex<Store>,
    /// Read-only connections to the same file (none for an in-memory store).
    readers: Option<Readers>,
    label: String,
    /// Woken after every local write so subscribers do not wait for their poll.
    written: Notify,
    /// Bumped whenever the store itself (the writer connection) was lent out: any change made in
    /// this process passes through it.
    generation: AtomicU64,
    /// Bumped on every [`LocalIoc::blocking`] call (tokens are created and revoked there).
    exclusive: AtomicU64,
}

/// Where the store's contents stand: equal versions mean nothing was committed in between, by
/// this process or (for a store file) any other. See [`LocalIoc::version`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoreVersion {
    /// Times the writer connection was used in this process.
    pub generation: u64,
    /// SQLite's `data_version` seen from a read-only connection (0 for an in-memory store).
    pub data: i64,
}

impl LocalIoc {
    /// Wraps an open store.
    pub fn new(store: Store, actor: Actor) -> Self {
        let label = store
            .path()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| ":memory:".into());
        let readers = store
            .path()
            .map(|p| Readers::new(p.to_path_buf(), store.config().clone(), READERS_MAX));
        LocalIoc {
            inner: Arc::new(Inner {
                store: Mutex::new(store),
                readers,
                label,
                written: Notify::new(),
                generation: AtomicU64::new(0),
                exclusive: AtomicU64::new(0),
            }),
            actor,
        }
    }

    /// Opens (creating if needed) the embedded store in `dir` as a core acting as `actor`;
    /// `deadline_days` are the working days to answer per category.
    pub fn open_dir(
        dir: &std::path::Path,
        deadline_days: std::collections::BTreeMap<String, u32>,
        actor: Actor,
    ) -> Result<LocalIoc, IocError> {
        let config = crate::store::StoreConfig {
            deadline_days,
            ..crate::store::StoreConfig::default()
        };
        let store = Store::open_dir(dir, config)
            .map_err(|e| IocError::Internal(format!("cannot open the store in {}: {e}", dir.display())))?;
        Ok(LocalIoc::new(store, actor))
    }

    /// True when `dir` already holds a store.
    pub fn exists_in(dir: &std::path::Path) -> bool {
        Store::exists_in(dir)
    }

    /// Replays the log into fresh read tables (`admin rebuild`); returns the events replayed.
    pub fn rebuild(&self) -> Result<u64, IocError> {
        self.blocking(|s| s.rebuild())?.map_err(IocError::from)
    }

    /// Replays the log into a scratch store and compares every read table (`admin verify`).
    pub fn verify(&self) -> Result<crate::store::VerifyReport, IocError> {
        self.blocking(|s| s.verify())?.map_err(IocError::from)
    }

    /// Seeds the demo city into this (empty) store.
    pub fn seed(&self, o: &crate::demo::seed::SeedOptions) -> Result<crate::demo::seed::SeedSummary, IocError> {
        self.blocking(|s| crate::demo::seed::seed(s, o))?
            .map_err(IocError::from)
    }

    /// Stores a new API token (only its hash is kept).
    pub fn create_token(&self, info: &TokenInfo, secret: &str) -> Result<(), IocError> {
        self.blocking(|s| s.create_token(info, secret))?.map_err(IocError::from)
    }

    /// Every API token, without secrets.
    pub fn tokens(&self) -> Result<Vec<TokenInfo>, IocError> {
        self.blocking(|s| s.tokens())?.map_err(IocError::from)
    }

    /// Revokes a token; false when there is no such token.
    pub fn revoke_token(&self, id: &str) -> Result<bool, IocError> {
        self.blocking(|s| s.revoke_token(id, Utc::now()))?
            .map_err(IocError::from)
    }

    /// Which of these report ids the store already holds (an empty store is not asked).
    pub fn existing_reports<'a>(
        &self,
        ids: impl Iterator<Item = &'a str>,
    ) -> Result<std::collections::HashSet<String>, IocError> {
        self.blocking(|s| -> Result<_, crate::store::StoreError> {
            let mut found = std::collections::HashSet::new();
            if s.last_seq()? == 0 {
                return Ok(found);
            }
            for id in ids {
                if s.report(id)?.is_some() {
                    found.insert(id.to_string());
                }
            }
            Ok(found)
        })?
        .map_err(IocError::from)
    }

    /// Whether the store's log holds any event (an import into a store that holds none is a
    /// first load).
    pub fn holds_events(&self) -> Result<bool, IocError> {
        self.blocking(|s| s.last_seq())?.map(|n| n > 0).map_err(IocError::from)
    }

    /// Imports new reports as this actor, in transactions of `batch` (`import`; see
    /// [`Store::import_reports`]). An `Err` item (a line of `source` that no longer reads)
    /// stops the import with that message.
    pub fn import_reports<I>(&self, reports: I, source: &std::path::Path, batch: usize) -> Result<usize, IocError>
    where
        I: Iterator<Item = Result<NewReport, String>> + Send,
    {
        let reports = reports.map(|r| {
            r.map_err(|message| crate::store::StoreError::Io {
                path: source.to_path_buf(),
                message,
            })
        });
        let large = std::fs::metadata(source).is_ok_and(|m| m.is_file() && m.len() >= crate::store::LARGE_BYTES);
        self.blocking(|s| s.import_reports(reports, &self.actor, Utc::now(), batch, large))?
            .map_err(IocError::from)
    }

    /// Calls `f` with every report the filter selects, oldest first, as this actor may see it,
    /// until it returns false (`export`: streamed, not one page).
    pub fn each_report(&self, filter: &ReportFilter, mut f: impl FnMut(Report) -> bool) -> Result<(), IocError> {
        let actor = &self.actor;
        self.blocking(|s| s.each_report(filter, Utc::now(), |r| f(redact(actor, r))))?
            .map_err(IocError::from)
    }

    /// Reports whose confirmed category differs from the suggestion (the officers' corrections).
    pub fn relabelled(&self) -> Result<Vec<crate::store::Relabelled>, IocError> {
        self.blocking(|s| s.relabelled())?.map_err(IocError::from)
    }

    /// The same core acting as another actor (the server uses one per token).
    pub fn as_actor(&self, actor: Actor) -> Self {
        LocalIoc {
            inner: self.inner.clone(),
            actor,
        }
    }

    /// The actor.
    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    /// The store's path, for the status bar.
    pub fn label(&self) -> String {
        self.inner.label.clone()
    }

    /// Runs `f` on the store in the blocking pool.
    async fn with<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Store, &Actor) -> Result<T, IocError> + Send + 'static,
    ) -> Result<T, IocError> {
        let inner = self.inner.clone();
        let actor = self.actor.clone();
        tokio::task::spawn_blocking(move || {
            let mut store = inner
                .store
                .lock()
                .map_err(|_| IocError::Internal("the store lock was poisoned".into()))?;
            let out = f(&mut store, &actor);
            inner.generation.fetch_add(1, Ordering::Release);
            out
        })
        .await
        .map_err(|e| IocError::Internal(format!("store task failed: {e}")))?
    }

    /// Runs a query in the blocking pool: on a read-only connection in one read transaction when
    /// the store is a file, else on the store itself.
    async fn read<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Store, &Actor) -> Result<T, IocError> + Send + 'static,
    ) -> Result<T, IocError> {
        if self.inner.readers.is_none() {
            return self.with(move |s, a| f(s, a)).await;
        }
        let inner = self.inner.clone();
        let actor = self.actor.clone();
        tokio::task::spawn_blocking(move || match &inner.readers {
            Some(readers) => readers.read(|s| f(s, &actor))?,
            None => Err(IocError::Internal("no read connections".into())),
        })
        .await
        .map_err(|e| IocError::Internal(format!("store task failed: {e}")))?
    }

    /// The token whose secret this is, valid or not (the server's authentication).
    pub async fn token_by_secret(&self, secret: String) -> Result<Option<TokenInfo>, IocError> {
        self.read(move |s, _| Ok(s.token_by_secret(&secret)?)).await
    }

    /// Runs `f` on the store in the calling thread (for synchronous callers such as the demo).
    /// The idle read connections are closed first: the caller gets the file to itself (a bulk
    /// load may leave WAL mode, which needs that).
    pub fn blocking<T>(&self, f: impl FnOnce(&mut Store) -> T) -> Result<T, IocError> {
        if let Some(r) = &self.inner.readers {
            r.close_idle();
        }
        self.inner.exclusive.fetch_add(1, Ordering::Release);
        let mut store = self
            .inner
            .store
            .lock()
            .map_err(|_| IocError::Internal("the store lock was poisoned".into()))?;
        let out = f(&mut store);
        self.inner.generation.fetch_add(1, Ordering::Release);
        Ok(out)
    }

    /// Where the store stands now, for caches of query results: a result computed after reading
    /// version `v` is still current while `version()` returns `v`. `None` when it cannot be
    /// known (then nothing should be cached).
    pub fn version(&self) -> Option<StoreVersion> {
        // The generation first: a write that lands between the two reads changes it later.
        let generation = self.inner.generation.load(Ordering::Acquire);
        let data = match &self.inner.readers {
            Some(r) => r.data_version()?,
            None => 0,
        };
        Some(StoreVersion { generation, data })
    }

    /// Times the store itself was lent to [`LocalIoc::blocking`] callers (token changes, admin
    /// work), so caches of tokens know to look again.
    pub fn exclusive_uses(&self) -> u64 {
        self.inner.exclusive.load(Ordering::Acquire)
    }

    /// Runs one command.
    pub async fn execute(&self, env: Envelope) -> Result<Vec<Event>, IocError> {
        let r = self.with(move |s, a| Ok(s.execute(&env, a, Utc::now())?)).await;
        self.inner.written.notify_waiters();
        r
    }

    /// Runs many commands in one transaction.
    pub async fn execute_many(&self, envs: Vec<Envelope>) -> Result<Vec<Result<Vec<Event>, IocError>>, IocError> {
        let r = self
            .with(move |s, a| {
                let out = s.execute_many(&envs, a, Utc::now())?;
                Ok(out.into_iter().map(|r| r.map_err(IocError::from)).collect())
            })
            .await;
        self.inner.written.notify_waiters();
        r
    }

    /// Runs groups of commands, each group whole or not at all; `dry_run` rolls everything back.
    pub async fn execute_groups(
        &self,
        groups: Vec<Vec<Envelope>>,
        dry_run: bool,
    ) -> Result<Vec<Result<Vec<Event>, IocError>>, IocError> {
        let r = self
            .with(move |s, a| {
                let out = s.execute_groups(&groups, a, Utc::now(), dry_run)?;
                Ok(out.into_iter().map(|r| r.map_err(IocError::from)).collect())
            })
            .await;
        if !dry_run {
            self.inner.written.notify_waiters();
        }
        r
    }

    /// The oldest open report of a category within `radius_m` metres of a point, received in the
    /// `days` days before `before` (and before it), other than `except`: the master a duplicate
    /// joins.
    #[allow(clippy::too_many_arguments)]
    pub async fn find_master(
        &self,
        category: String,
        lat: f64,
        lon: f64,
        before: chrono::DateTime<Utc>,
        except: String,
        radius_m: f64,
        days: i64,
    ) -> Result<Option<Report>, IocError> {
        self.read(move |s, a| {
            Ok(s.find_master(&category, lat, lon, before, &except, radius_m, days)?
                .map(|r| redact(a, r)))
        })
        .await
    }

    /// The open reports that may duplicate report `id`, best first, with their score. IOC staff
    /// only: an agency's scoped actor gets `Forbidden`.
    pub async fn duplicate_candidates(
        &self,
        id: &str,
        p: crate::store::nearby::DuplicateParams,
    ) -> Result<Vec<(Report, f64)>, IocError> {
        let id = id.to_string();
        self.with(move |s, a| {
            if a.is_scoped() {
                return Err(IocError::Forbidden(
                    "duplicate candidates are for the IOC's staff".into(),
                ));
            }
            let found = s.duplicate_candidates(&id, &p)?;
            let list = found.ok_or_else(|| IocError::NotFound(format!("report {id} not found")))?;
            Ok(list.into_iter().map(|(r, sc)| (redact(a, r), sc)).collect())
        })
        .await
    }

    /// Submits a new report.
    pub async fn submit(&self, n: NewReport) -> Result<Report, IocError> {
        let events = self.execute(Envelope::from(Command::SubmitReport(n))).await?;
        let id = events
            .first()
            .map(|e| e.data.subject().to_string())
            .ok_or_else(|| IocError::Internal("no event".into()))?;
        Ok(self.report(&id).await?.report)
    }

    /// Reports matching a filter, limited to the actor's scope.
    pub async fn reports(&self, mut f: ReportFilter) -> Result<Vec<Report>, IocError> {
        scope_reports(&self.actor, &mut f);
        self.read(move |s, a| {
            Ok(s.list_reports(&f, Utc::now())?
                .into_iter()
                .map(|r| redact(a, r))
                .collect())
        })
        .await
    }

    /// How many reports match.
    pub async fn count_reports(&self, mut f: ReportFilter) -> Result<u64, IocError> {
        scope_reports(&self.actor, &mut f);
        self.read(move |s, _| Ok(s.count_reports(&f, Utc::now())?)).await
    }

    /// One report.
    pub async fn report(&self, id: &str) -> Result<ReportDetail, IocError> {
        let id = id.to_string();
        self.read(move |s, a| {
            let missing = || IocError::NotFound(format!("report {id} not found"));
            let r = s.report(&id)?.ok_or_else(missing)?;
            if let Some(ag) = &a.agency {
                let visible = match &r.case_id {
                    Some(c) => s.case(c)?.is_some_and(|c| c.agencies.contains(ag)),
                    None => false,
                };
                if !visible {
                    return Err(missing());
                }
            }
            let notes = s.notes(&id)?;
            let timeline = s.timeline(std::slice::from_ref(&id))?;
            Ok(ReportDetail {
                report: redact(a, r),
                notes,
                timeline,
            })
        })
        .await
    }

    /// Cases matching a filter, limited to the actor's scope.
    pub async fn cases(&self, mut f: CaseFilter) -> Result<Vec<Case>, IocError> {
        if let Some(a) = &self.actor.agency {
            f.agency = Some(a.clone());
        }
        self.read(move |s, _| Ok(s.list_cases(&f, Utc::now())?)).await
    }

    /// How many cases match.
    pub async fn count_cases(&self, mut f: CaseFilter) -> Result<u64, IocError> {
        if let Some(a) = &self.actor.agency {
            f.agency = Some(a.clone());
        }
        self.read(move |s, _| Ok(s.count_cases(&f, Utc::now())?)).await
    }

    /// One case.
    pub async fn case(&self, id: &str) -> Result<CaseDetail, IocError> {
        let id = id.to_string();
        self.read(move |s, a| {
            let missing = || IocError::NotFound(format!("case {id} not found"));
            let c = s.case(&id)?.ok_or_else(missing)?;
            if let Some(ag) = &a.agency
                && !c.agencies.contains(ag)
            {
                return Err(missing());
            }
            let mut reports = Vec::new();
            for rid in &c.report_ids {
                if let Some(r) = s.report(rid)? {
                    reports.push(redact(a, r));
                }
            }
            let notes = s.notes(&id)?;
            let mut ids = vec![id.clone()];
            ids.extend(c.report_ids.iter().cloned());
            let timeline = s.timeline(&ids)?;
            Ok(CaseDetail {
                case: c,
                reports,
                notes,
                timeline,
            })
        })
        .await
    }

    /// Every camera, by site.
    pub async fn cameras(&self) -> Result<Vec<crate::domain::Camera>, IocError> {
        self.read(|s, _| Ok(s.list_cameras()?)).await
    }

    /// A camera's snapshot, fetched from its `snapshot_url` (see [`super::snapshot::fetch`]).
    pub async fn camera_snapshot(&self, id: &str) -> Result<Vec<u8>, IocError> {
        let cams = self.with(|s, _| Ok(s.list_cameras()?)).await?;
        let Some(cam) = cams.into_iter().find(|c| c.id == id) else {
            return Err(IocError::NotFound(format!("camera {id} not found")));
        };
        let Some(url) = cam.snapshot_url.filter(|u| !u.trim().is_empty()) else {
            return Err(IocError::NotFound(format!("camera {id} has no snapshot URL")));
        };
        super::snapshot::fetch(id, &url).await
    }

    /// The periodic report for `[from, to)`.
    pub async fn period_report(
        &self,
        period: String,
        from: chrono::DateTime<Utc>,
        to: chrono::DateTime<Utc>,
    ) -> Result<crate::domain::digest::PeriodReport, IocError> {
        self.read(move |s, _| Ok(s.period_report(&period, from, to)?)).await
    }

    /// Every camera with its health and 24-hour availability.
    pub async fn camera_statuses(&self) -> Result<Vec<crate::domain::health::CameraStatus>, IocError> {
        self.read(|s, _| Ok(s.camera_statuses(Utc::now())?)).await
    }

    /// The prober's memory of a camera.
    pub async fn camera_health(&self, id: String) -> Result<crate::domain::health::Health, IocError> {
        self.read(move |s, _| Ok(s.camera_health(&id)?)).await
    }

    /// Saves the prober's memory of a camera (IOC supervisors and admins).
    pub async fn put_camera_health(&self, h: crate::domain::health::Health) -> Result<(), IocError> {
        self.with(move |s, a| {
            if a.is_scoped() || !a.role.is_supervisor() {
                return Err(IocError::Forbidden("only IOC supervisors record probe results".into()));
            }
            // One row, not the whole registry: the prober saves every camera every round.
            if crate::store::rows::get_camera(s.conn(), &h.id)
                .map_err(crate::store::StoreError::from)?
                .is_none()
            {
                return Err(IocError::NotFound(format!("camera {} not found", h.id)));
            }
            Ok(s.put_camera_health(&h)?)
        })
        .await
    }

    /// Every watched plate (IOC staff only: an agency's scoped actor is refused).
    pub async fn watchlist(&self) -> Result<Vec<crate::domain::WatchEntry>, IocError> {
        self.with(|s, a| {
            if a.is_scoped() {
                return Err(IocError::Forbidden("the watchlist is for the IOC's staff".into()));
            }
            Ok(s.watchlist()?)
        })
        .await
    }

    /// Sightings of a plate, best first.
    pub async fn search_plates(
        &self,
        plate: String,
        limit: usize,
    ) -> Result<Vec<crate::domain::plate::SightingHit>, IocError> {
        self.read(move |s, _| Ok(s.search_plates(&plate, limit)?)).await
    }

    /// Service levels over the `window` before now (an agency-scoped actor sees its own cases).
    pub async fn sli(
        &self,
        window: chrono::Duration,
        slos: Vec<crate::domain::sli::SloSpec>,
    ) -> Result<crate::domain::sli::SliReport, IocError> {
        self.read(move |s, a| {
            s.sli_report(Utc::now(), window, &slos, a.agency.as_deref())?
                .map_err(IocError::Invalid)
        })
        .await
    }

    /// Counts for the status bar.
    pub async fn counts(&self) -> Result<Counts, IocError> {
        self.read(|s, _| Ok(s.counts(Utc::now())?)).await
    }

    /// Events after `seq`. Agency-scoped actors see reporters stripped from the payloads.
    pub async fn events_after(&self, seq: u64, limit: usize) -> Result<Vec<Event>, IocError> {
        self.read(move |s, a| {
            Ok(s.events_after(seq, limit)?
                .into_iter()
                .map(|e| redact_event(a, e))
                .collect())
        })
        .await
    }

    /// Every event after `after_seq`, then live ones. Polls the log (other processes may write to
    /// the same store) and wakes at once on this process's own writes.
    pub fn subscribe(&self, after_seq: u64) -> mpsc::Receiver<Result<Event, IocError>> {
        let (tx, rx) = mpsc::channel(1024);
        let me = self.clone();
        tokio::spawn(async move {
            let mut last = after_seq;
            loop {
                let notified = me.inner.written.notified();
                match me.events_after(last, 1000).await {
                    Ok(events) if !events.is_empty() => {
                        for e in events {
                            last = e.seq;
                            if tx.send(Ok(e)).await.is_err() {
                                return;
                            }
                        }
                        continue;
                    }
                    Ok(_) => {}
                    Err(e) => {
                        if tx.send(Err(e)).await.is_err() {
                            return;
                        }
                    }
                }
                tokio::select! {
                    _ = notified => {}
                    _ = tokio::time::sleep(Duration::from_millis(300)) => {}
                    _ = tx.closed() => return,
                }
            }
        });
        rx
    }
}

/// Limits a report query to the reports in an agency's own cases.
fn scope_reports(actor: &Actor, f: &mut ReportFilter) {
    if let Some(a) = &actor.agency {
        f.agency = Some(a.clone());
    }
}

/// Removes what an actor must not see: agencies never receive the reporter's identity.
pub(crate) fn redact(actor: &Actor, mut r: Report) -> Report {
    if actor.is_scoped() || matches!(actor.role, crate::domain::Role::Viewer) {
        r.reporter = None;
    }
    r
}

fn redact_event(actor: &Actor, mut e: Event) -> Event {
    if (actor.is_scoped() || matches!(actor.role, crate::domain::Role::Viewer))
        && let crate::domain::EventData::ReportReceived { reporter, .. } = &mut e.data
    {
        *reporter = None;
    }
    e
}
