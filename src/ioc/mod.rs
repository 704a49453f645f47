//! The core handle every front end holds: [`Ioc`], local (embedded store) or remote (a server).
//! The desk, the CLI and the server never touch SQL or HTTP themselves.

mod local;
mod remote;
pub mod snapshot;
pub mod wire;

pub use local::{LocalIoc, StoreVersion, TokenInfo};
pub use remote::{CaCerts, RemoteIoc};

use crate::domain::query::{CaseFilter, Counts, ReportFilter};
use crate::domain::{Actor, Case, DomainError, Envelope, Event, NewReport, Note, Report};
use crate::store::StoreError;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Errors a front end can act on; each maps to a stable exit code.
#[derive(Debug, Clone, Error, PartialEq)]
pub enum IocError {
    /// No such item (exit 3).
    #[error("{0}")]
    NotFound(String),
    /// Someone else changed the item first (exit 4).
    #[error("conflict: {message}")]
    Conflict {
        /// The item.
        id: String,
        /// Who changed it.
        by: String,
        /// The whole sentence.
        message: String,
    },
    /// The actor may not do this (exit 5).
    #[error("{0}")]
    Forbidden(String),
    /// No valid credentials (exit 5).
    #[error("{0}")]
    Unauthorized(String),
    /// The command or input is not acceptable (exit 1).
    #[error("{0}")]
    Invalid(String),
    /// The server cannot be reached (exit 6).
    #[error("{0}")]
    Unreachable(String),
    /// Anything else (exit 1).
    #[error("{0}")]
    Internal(String),
}

impl IocError {
    /// The process exit code of DESIGN.md for this error.
    pub fn exit_code(&self) -> i32 {
        match self {
            IocError::NotFound(_) => 3,
            IocError::Conflict { .. } => 4,
            IocError::Forbidden(_) | IocError::Unauthorized(_) => 5,
            IocError::Unreachable(_) => 6,
            IocError::Invalid(_) | IocError::Internal(_) => 1,
        }
    }
}

impl From<DomainError> for IocError {
    fn from(e: DomainError) -> Self {
        match &e {
            DomainError::NotFound { .. } => IocError::NotFound(e.to_string()),
            DomainError::Conflict { id, by, .. } => IocError::Conflict {
                id: id.clone(),
                by: by.clone(),
                message: e.to_string(),
            },
            DomainError::Forbidden(_) => IocError::Forbidden(e.to_string()),
            DomainError::InvalidTransition { .. } | DomainError::Invalid(_) => IocError::Invalid(e.to_string()),
        }
    }
}

impl From<StoreError> for IocError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Domain(d) => d.into(),
            other => IocError::Internal(other.to_string()),
        }
    }
}

/// A report with what the detail pane shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportDetail {
    /// The report.
    pub report: Report,
    /// Notes on it.
    pub notes: Vec<Note>,
    /// Its events.
    pub timeline: Vec<Event>,
}

/// A case with what the detail pane shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseDetail {
    /// The case.
    pub case: Case,
    /// Its reports, the forwarded one first.
    pub reports: Vec<Report>,
    /// Notes on it.
    pub notes: Vec<Note>,
    /// Its events and its reports' events.
    pub timeline: Vec<Event>,
}

/// Where the core lives, for the status bar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Connection {
    /// Embedded store at this path.
    Local(String),
    /// A server at this URL.
    Remote(String),
}

/// The handle: one enum, no trait objects, so every front end works on either core.
#[derive(Clone)]
pub enum Ioc {
    /// The embedded store.
    Local(LocalIoc),
    /// A server (`iocdesk serve`).
    Remote(RemoteIoc),
}

impl Ioc {
    /// The actor this handle acts as.
    pub fn actor(&self) -> &Actor {
        match self {
            Ioc::Local(l) => l.actor(),
            Ioc::Remote(r) => r.actor(),
        }
    }

    /// Where the core is.
    pub fn connection(&self) -> Connection {
        match self {
            Ioc::Local(l) => Connection::Local(l.label()),
            Ioc::Remote(r) => Connection::Remote(r.label()),
        }
    }

    /// Runs one command; returns its events.
    pub async fn execute(&self, env: Envelope) -> Result<Vec<Event>, IocError> {
        match self {
            Ioc::Local(l) => l.execute(env).await,
            Ioc::Remote(r) => r.execute(env).await,
        }
    }

    /// Runs many commands in one go; one result per command.
    pub async fn execute_many(&self, envs: Vec<Envelope>) -> Result<Vec<Result<Vec<Event>, IocError>>, IocError> {
        match self {
            Ioc::Local(l) => l.execute_many(envs).await,
            Ioc::Remote(r) => r.execute_many(envs).await,
        }
    }

    /// Runs groups of commands, each group whole or not at all; `dry_run` rolls everything back
    /// and returns exactly what a real run would.
    pub async fn execute_groups(
        &self,
        groups: Vec<Vec<Envelope>>,
        dry_run: bool,
    ) -> Result<Vec<Result<Vec<Event>, IocError>>, IocError> {
        match self {
            Ioc::Local(l) => l.execute_groups(groups, dry_run).await,
            Ioc::Remote(r) => r.execute_groups(groups, dry_run).await,
        }
    }

    /// The master a report duplicates: the oldest open report of the same category within
    /// `radius_m` metres, received in the `days` days before `before`.
    #[allow(clippy::too_many_arguments)]
    pub async fn find_master(
        &self,
        category: &str,
        lat: f64,
        lon: f64,
        before: chrono::DateTime<chrono::Utc>,
        except: &str,
        radius_m: f64,
        days: i64,
    ) -> Result<Option<Report>, IocError> {
        match self {
            Ioc::Local(l) => {
                l.find_master(
                    category.to_string(),
                    lat,
                    lon,
                    before,
                    except.to_string(),
                    radius_m,
                    days,
                )
                .await
            }
            Ioc::Remote(r) => {
                let q = wire::MasterQuery {
                    category: category.to_string(),
                    lat,
                    lon,
                    before,
                    except: except.to_string(),
                    radius_m,
                    days,
                };
                r.find_master(&q).await
            }
        }
    }

    /// The open reports that may describe the same problem as report `id` (within 250 m, 7 days,
    /// same or related category), best first, with their score in `[0, 1]`.
    pub async fn duplicate_candidates(&self, id: &str) -> Result<Vec<(Report, f64)>, IocError> {
        self.duplicate_candidates_with(id, crate::store::nearby::DuplicateParams::default())
            .await
    }

    /// [`Ioc::duplicate_candidates`] with other parameters.
    pub async fn duplicate_candidates_with(
        &self,
        id: &str,
        p: crate::store::nearby::DuplicateParams,
    ) -> Result<Vec<(Report, f64)>, IocError> {
        match self {
            Ioc::Local(l) => l.duplicate_candidates(id, p).await,
            Ioc::Remote(r) => r.duplicate_candidates(id, &p).await,
        }
    }

    /// Submits a new report; returns it.
    pub async fn submit(&self, n: NewReport) -> Result<Report, IocError> {
        match self {
            Ioc::Local(l) => l.submit(n).await,
            Ioc::Remote(r) => r.submit(n).await,
        }
    }

    /// Reports matching a filter.
    pub async fn reports(&self, f: ReportFilter) -> Result<Vec<Report>, IocError> {
        match self {
            Ioc::Local(l) => l.reports(f).await,
            Ioc::Remote(r) => r.reports(f).await,
        }
    }

    /// How many reports match a filter.
    pub async fn count_reports(&self, f: ReportFilter) -> Result<u64, IocError> {
        match self {
            Ioc::Local(l) => l.count_reports(f).await,
            Ioc::Remote(r) => r.count_reports(f).await,
        }
    }

    /// One report with its notes and timeline.
    pub async fn report(&self, id: &str) -> Result<ReportDetail, IocError> {
        match self {
            Ioc::Local(l) => l.report(id).await,
            Ioc::Remote(r) => r.report(id).await,
        }
    }

    /// Cases matching a filter.
    pub async fn cases(&self, f: CaseFilter) -> Result<Vec<Case>, IocError> {
        match self {
            Ioc::Local(l) => l.cases(f).await,
            Ioc::Remote(r) => r.cases(f).await,
        }
    }

    /// How many cases match a filter.
    pub async fn count_cases(&self, f: CaseFilter) -> Result<u64, IocError> {
        match self {
            Ioc::Local(l) => l.count_cases(f).await,
            Ioc::Remote(r) => r.count_cases(f).await,
        }
    }

    /// One case with its reports, notes and timeline.
    pub async fn case(&self, id: &str) -> Result<CaseDetail, IocError> {
        match self {
            Ioc::Local(l) => l.case(id).await,
            Ioc::Remote(r) => r.case(id).await,
        }
    }

    /// Every camera, by site.
    pub async fn cameras(&self) -> Result<Vec<crate::domain::Camera>, IocError> {
        match self {
            Ioc::Local(l) => l.cameras().await,
            Ioc::Remote(r) => r.cameras().await,
        }
    }

    /// The camera's current snapshot image (the JPEG or PNG bytes its `snapshot_url` serves, at
    /// most [`snapshot::SNAPSHOT_MAX`]). Locally this fetches the URL; remotely the server does.
    pub async fn camera_snapshot(&self, id: &str) -> Result<Vec<u8>, IocError> {
        match self {
            Ioc::Local(l) => l.camera_snapshot(id).await,
            Ioc::Remote(r) => r.camera_snapshot(id).await,
        }
    }

    /// The periodic report (`daily`, `weekly`, `monthly`) for `[from, to)`.
    pub async fn period_report(
        &self,
        period: &str,
        from: chrono::DateTime<chrono::Utc>,
        to: chrono::DateTime<chrono::Utc>,
    ) -> Result<crate::domain::digest::PeriodReport, IocError> {
        match self {
            Ioc::Local(l) => l.period_report(period.to_string(), from, to).await,
            Ioc::Remote(r) => {
                r.period_report(&wire::PeriodQuery {
                    period: period.to_string(),
                    from,
                    to,
                })
                .await
            }
        }
    }

    /// Every camera with its health and 24-hour availability, by site.
    pub async fn camera_statuses(&self) -> Result<Vec<crate::domain::health::CameraStatus>, IocError> {
        match self {
            Ioc::Local(l) => l.camera_statuses().await,
            Ioc::Remote(r) => r.camera_statuses().await,
        }
    }

    /// The prober's memory of a camera.
    pub async fn camera_health(&self, id: &str) -> Result<crate::domain::health::Health, IocError> {
        match self {
            Ioc::Local(l) => l.camera_health(id.to_string()).await,
            Ioc::Remote(r) => r.camera_health(id).await,
        }
    }

    /// Saves the prober's memory of a camera (not an event: probe results are not history).
    pub async fn put_camera_health(&self, h: crate::domain::health::Health) -> Result<(), IocError> {
        match self {
            Ioc::Local(l) => l.put_camera_health(h).await,
            Ioc::Remote(r) => r.put_camera_health(&h).await,
        }
    }

    /// Every watched plate. Changes go through [`Command::WatchPlate`] and
    /// [`Command::UnwatchPlate`] (supervisors).
    ///
    /// [`Command::WatchPlate`]: crate::domain::Command::WatchPlate
    /// [`Command::UnwatchPlate`]: crate::domain::Command::UnwatchPlate
    pub async fn watchlist(&self) -> Result<Vec<crate::domain::WatchEntry>, IocError> {
        match self {
            Ioc::Local(l) => l.watchlist().await,
            Ioc::Remote(r) => r.watchlist().await,
        }
    }

    /// Sightings of a plate (OCR-tolerant), best match first, then newest.
    pub async fn search_plates(
        &self,
        plate: &str,
        limit: usize,
    ) -> Result<Vec<crate::domain::plate::SightingHit>, IocError> {
        match self {
            Ioc::Local(l) => l.search_plates(plate.to_string(), limit).await,
            Ioc::Remote(r) => r.search_plates(plate, limit).await,
        }
    }

    /// Service levels over a window (`30d`) with the given objectives.
    pub async fn sli(
        &self,
        window: &str,
        slos: Vec<crate::domain::sli::SloSpec>,
    ) -> Result<crate::domain::sli::SliReport, IocError> {
        match self {
            Ioc::Local(l) => {
                let w = crate::domain::sli::parse_window(window).map_err(IocError::Invalid)?;
                l.sli(w, slos).await
            }
            Ioc::Remote(r) => {
                let q = wire::SliQuery {
                    window: window.to_string(),
                    slos,
                };
                r.sli(&q).await
            }
        }
    }

    /// Counts for the status bar.
    pub async fn counts(&self) -> Result<Counts, IocError> {
        match self {
            Ioc::Local(l) => l.counts().await,
            Ioc::Remote(r) => r.counts().await,
        }
    }

    /// Up to `limit` events after `seq`.
    pub async fn events_after(&self, seq: u64, limit: usize) -> Result<Vec<Event>, IocError> {
        match self {
            Ioc::Local(l) => l.events_after(seq, limit).await,
            Ioc::Remote(r) => r.events_after(seq, limit).await,
        }
    }

    /// Every event after `after_seq`, then live ones as they happen, in order, without gaps or
    /// duplicates. The stream ends when the receiver is dropped.
    pub fn subscribe(&self, after_seq: u64) -> tokio::sync::mpsc::Receiver<Result<Event, IocError>> {
        match self {
            Ioc::Local(l) => l.subscribe(after_seq),
            Ioc::Remote(r) => r.subscribe(after_seq),
        }
    }
}
