//! The remote core: the same calls as [`super::LocalIoc`], made over HTTP to `iocdesk serve`.
//! Lists larger than one server page are fetched page by page; `subscribe` follows the SSE
//! stream and reconnects, resuming after the last event it passed on.

use super::wire::{AfterQuery, BatchItem, CaseQuery, CountOut, PAGE_MAX, Problem, ReportQuery};
use super::{CaseDetail, IocError, ReportDetail};
use crate::domain::query::{CaseFilter, Counts, ReportFilter};
use crate::domain::{Actor, Case, Envelope, Event, NewReport, Report, Role};
use eventsource_stream::Eventsource;
use futures::StreamExt;
use reqwest::{Client, RequestBuilder, StatusCode};
use serde::de::DeserializeOwned;
use std::time::Duration;
use tokio::sync::mpsc;

/// How often a rate-limited request is tried again.
const RETRIES: usize = 3;

/// A handle on a server, acting as the actor its token names.
#[derive(Clone)]
pub struct RemoteIoc {
    client: Client,
    base: String,
    token: Option<String>,
    actor: Actor,
}

impl RemoteIoc {
    /// A client for the server at `base` (`http://host:port`), with an optional bearer token.
    pub fn new(base: &str, token: Option<String>) -> Result<Self, IocError> {
        let base = base.trim().trim_end_matches('/').to_string();
        if !(base.starts_with("http://") || base.starts_with("https://")) {
            return Err(IocError::Invalid(format!(
                "--remote '{base}': expected an http:// or https:// URL"
            )));
        }
        let client = Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .build()
            .map_err(|e| IocError::Internal(format!("cannot build the HTTP client: {e}")))?;
        Ok(RemoteIoc {
            client,
            base,
            token: token.filter(|t| !t.trim().is_empty()),
            // The server decides who we are; `whoami` asks it.
            actor: Actor::new("remote", Role::Viewer),
        })
    }

    /// A client that has asked the server who its token is, so [`RemoteIoc::actor`] is right
    /// (front ends that enable actions by role use this; [`RemoteIoc::new`] does no I/O).
    pub async fn connect(base: &str, token: Option<String>) -> Result<Self, IocError> {
        let mut me = RemoteIoc::new(base, token)?;
        me.actor = me.whoami().await?;
        Ok(me)
    }

    /// The actor as far as this handle knows (see [`RemoteIoc::whoami`]).
    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    /// The server's URL.
    pub fn label(&self) -> String {
        self.base.clone()
    }

    fn url(&self, path: &str) -> String {
        format!("{}/api/v1{path}", self.base)
    }

    fn auth(&self, rb: RequestBuilder) -> RequestBuilder {
        match &self.token {
            Some(t) => rb.bearer_auth(t),
            None => rb,
        }
    }

    fn net_error(&self, e: reqwest::Error) -> IocError {
        if e.is_connect() || e.is_timeout() || e.is_request() {
            IocError::Unreachable(format!("cannot reach {}: {e}", self.base))
        } else {
            IocError::Internal(format!("talking to {}: {e}", self.base))
        }
    }

    async fn send<T: DeserializeOwned>(&self, rb: RequestBuilder) -> Result<T, IocError> {
        let resp = self.answer(rb).await?;
        resp.json::<T>()
            .await
            .map_err(|e| IocError::Internal(format!("unreadable answer from {}: {e}", self.base)))
    }

    /// Sends an authenticated request, retrying while rate-limited; a failure status becomes the
    /// core error its problem document names.
    async fn answer(&self, rb: RequestBuilder) -> Result<reqwest::Response, IocError> {
        let rb = self.auth(rb);
        let mut resp = rb
            .try_clone()
            .ok_or_else(|| IocError::Internal("unrepeatable request".into()))?
            .send()
            .await
            .map_err(|e| self.net_error(e))?;
        // A rate-limited request is retried a few times after the server's Retry-After.
        for _ in 0..RETRIES {
            if resp.status() != StatusCode::TOO_MANY_REQUESTS {
                break;
            }
            let wait = resp
                .headers()
                .get(reqwest::header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok())
                .unwrap_or(1)
                .min(10);
            tokio::time::sleep(Duration::from_secs(wait)).await;
            resp = rb
                .try_clone()
                .ok_or_else(|| IocError::Internal("unrepeatable request".into()))?
                .send()
                .await
                .map_err(|e| self.net_error(e))?;
        }
        let status = resp.status();
        if status.is_success() {
            return Ok(resp);
        }
        let body = resp.bytes().await.unwrap_or_default();
        Err(error_of(status, &body))
    }

    /// Who the server says this token is.
    pub async fn whoami(&self) -> Result<Actor, IocError> {
        self.send(self.client.get(self.url("/whoami"))).await
    }

    /// Runs one command.
    pub async fn execute(&self, env: Envelope) -> Result<Vec<Event>, IocError> {
        self.send(self.client.post(self.url("/commands")).json(&env)).await
    }

    /// Runs many commands, in chunks the server accepts.
    pub async fn execute_many(&self, envs: Vec<Envelope>) -> Result<Vec<Result<Vec<Event>, IocError>>, IocError> {
        let mut out = Vec::with_capacity(envs.len());
        for chunk in envs.chunks(PAGE_MAX) {
            let items: Vec<BatchItem> = self
                .send(self.client.post(self.url("/commands/batch")).json(chunk))
                .await?;
            out.extend(items.into_iter().map(|i| match i {
                BatchItem::Ok(ev) => Ok(ev),
                BatchItem::Err(p) => Err(p.into_error()),
            }));
        }
        Ok(out)
    }

    /// Runs groups of commands on the server, in requests of at most 1,000 groups.
    pub async fn execute_groups(
        &self,
        groups: Vec<Vec<Envelope>>,
        dry_run: bool,
    ) -> Result<Vec<Result<Vec<Event>, IocError>>, IocError> {
        let mut out = Vec::with_capacity(groups.len());
        for chunk in groups.chunks(PAGE_MAX) {
            let body = super::wire::GroupsIn {
                groups: chunk.to_vec(),
                dry_run,
            };
            let items: Vec<BatchItem> = self
                .send(self.client.post(self.url("/commands/groups")).json(&body))
                .await?;
            out.extend(items.into_iter().map(|i| match i {
                BatchItem::Ok(ev) => Ok(ev),
                BatchItem::Err(p) => Err(p.into_error()),
            }));
        }
        Ok(out)
    }

    /// The master a duplicate would join.
    pub async fn find_master(&self, q: &super::wire::MasterQuery) -> Result<Option<Report>, IocError> {
        self.send(self.client.get(self.url("/reports/master")).query(q)).await
    }

    /// The periodic report.
    pub async fn period_report(
        &self,
        q: &super::wire::PeriodQuery,
    ) -> Result<crate::domain::digest::PeriodReport, IocError> {
        self.send(self.client.get(self.url("/report")).query(q)).await
    }

    /// `GET /reports/{id}/duplicates`: duplicate candidates of a report, best first.
    pub async fn duplicate_candidates(
        &self,
        id: &str,
        p: &crate::store::nearby::DuplicateParams,
    ) -> Result<Vec<(Report, f64)>, IocError> {
        let q = super::wire::DuplicatesQuery::from_params(p);
        let url = self.url(&format!("/reports/{}/duplicates", path_segment(id)));
        let list: Vec<super::wire::DuplicateCandidate> = self.send(self.client.get(url).query(&q)).await?;
        Ok(list.into_iter().map(|c| (c.report, c.score)).collect())
    }

    /// Every camera.
    pub async fn cameras(&self) -> Result<Vec<crate::domain::Camera>, IocError> {
        self.send(self.client.get(self.url("/cameras"))).await
    }

    /// A camera's snapshot, as the server fetched it (at most [`super::snapshot::SNAPSHOT_MAX`]).
    pub async fn camera_snapshot(&self, id: &str) -> Result<Vec<u8>, IocError> {
        let path = format!("/cameras/{}/snapshot", path_segment(id));
        // The server gives the camera 10 s; this leaves it room to answer why it failed.
        let rb = self.client.get(self.url(&path)).timeout(Duration::from_secs(15));
        let resp = self.answer(rb).await?;
        super::snapshot::read_limited(resp, super::snapshot::SNAPSHOT_MAX)
            .await
            .map_err(|e| IocError::Unreachable(format!("camera {id}: snapshot from {}: {e}", self.base)))
    }

    /// Every camera with its health.
    pub async fn camera_statuses(&self) -> Result<Vec<crate::domain::health::CameraStatus>, IocError> {
        self.send(self.client.get(self.url("/cameras/status"))).await
    }

    /// The prober's memory of a camera.
    pub async fn camera_health(&self, id: &str) -> Result<crate::domain::health::Health, IocError> {
        let path = format!("/cameras/{}/health", path_segment(id));
        self.send(self.client.get(self.url(&path))).await
    }

    /// Saves the prober's memory of a camera.
    pub async fn put_camera_health(&self, h: &crate::domain::health::Health) -> Result<(), IocError> {
        let path = format!("/cameras/{}/health", path_segment(&h.id));
        let _: serde_json::Value = self.send(self.client.put(self.url(&path)).json(h)).await?;
        Ok(())
    }

    /// Every watched plate.
    pub async fn watchlist(&self) -> Result<Vec<crate::domain::WatchEntry>, IocError> {
        self.send(self.client.get(self.url("/watchlist"))).await
    }

    /// Sightings of a plate, best first.
    pub async fn search_plates(
        &self,
        plate: &str,
        limit: usize,
    ) -> Result<Vec<crate::domain::plate::SightingHit>, IocError> {
        let q = super::wire::PlateQuery {
            plate: plate.to_string(),
            limit: Some(limit),
        };
        self.send(self.client.get(self.url("/sightings")).query(&q)).await
    }

    /// Service levels computed by the server.
    pub async fn sli(&self, q: &super::wire::SliQuery) -> Result<crate::domain::sli::SliReport, IocError> {
        self.send(self.client.post(self.url("/sli")).json(q)).await
    }

    /// Submits a new report.
    pub async fn submit(&self, n: NewReport) -> Result<Report, IocError> {
        self.send(self.client.post(self.url("/reports")).json(&n)).await
    }

    /// Reports matching a filter, page by page.
    pub async fn reports(&self, f: ReportFilter) -> Result<Vec<Report>, IocError> {
        let mut out: Vec<Report> = Vec::new();
        while out.len() < f.limit {
            let want = (f.limit - out.len()).min(PAGE_MAX);
            let q = ReportQuery::from_filter(&f, f.offset.saturating_add(out.len()), want);
            let page: Vec<Report> = self.send(self.client.get(self.url("/reports")).query(&q)).await?;
            let done = page.len() < want;
            out.extend(page);
            if done {
                break;
            }
        }
        Ok(out)
    }

    /// How many reports match.
    pub async fn count_reports(&self, f: ReportFilter) -> Result<u64, IocError> {
        let q = ReportQuery::from_filter(&f, 0, 1);
        let c: CountOut = self.send(self.client.get(self.url("/reports/count")).query(&q)).await?;
        Ok(c.count)
    }

    /// One report.
    pub async fn report(&self, id: &str) -> Result<ReportDetail, IocError> {
        self.send(self.client.get(self.url(&format!("/reports/{}", path_segment(id)))))
            .await
    }

    /// Cases matching a filter, page by page.
    pub async fn cases(&self, f: CaseFilter) -> Result<Vec<Case>, IocError> {
        let mut out: Vec<Case> = Vec::new();
        while out.len() < f.limit {
            let want = (f.limit - out.len()).min(PAGE_MAX);
            let q = CaseQuery::from_filter(&f, f.offset.saturating_add(out.len()), want);
            let page: Vec<Case> = self.send(self.client.get(self.url("/cases")).query(&q)).await?;
            let done = page.len() < want;
            out.extend(page);
            if done {
                break;
            }
        }
        Ok(out)
    }

    /// How many cases match.
    pub async fn count_cases(&self, f: CaseFilter) -> Result<u64, IocError> {
        let q = CaseQuery::from_filter(&f, 0, 1);
        let c: CountOut = self.send(self.client.get(self.url("/cases/count")).query(&q)).await?;
        Ok(c.count)
    }

    /// One case.
    pub async fn case(&self, id: &str) -> Result<CaseDetail, IocError> {
        self.send(self.client.get(self.url(&format!("/cases/{}", path_segment(id)))))
            .await
    }

    /// Counts for the status bar.
    pub async fn counts(&self) -> Result<Counts, IocError> {
        self.send(self.client.get(self.url("/counts"))).await
    }

    /// Up to `limit` events after `seq`.
    pub async fn events_after(&self, seq: u64, limit: usize) -> Result<Vec<Event>, IocError> {
        let q = AfterQuery {
            after: Some(seq),
            limit: Some(limit.clamp(1, PAGE_MAX)),
        };
        self.send(self.client.get(self.url("/log")).query(&q)).await
    }

    /// Every event after `after_seq`, then live ones, over SSE; reconnects after a dropped
    /// connection and resumes after the last event passed on. Credential errors end the stream.
    pub fn subscribe(&self, after_seq: u64) -> mpsc::Receiver<Result<Event, IocError>> {
        let (tx, rx) = mpsc::channel(1024);
        let me = self.clone();
        tokio::spawn(async move {
            let mut last = after_seq;
            let mut backoff = Duration::from_millis(250);
            loop {
                match me.follow(&mut last, &tx).await {
                    Follow::Closed => return,
                    Follow::Fatal(e) => {
                        let _ = tx.send(Err(e)).await;
                        return;
                    }
                    Follow::Dropped(e) => {
                        tracing::warn!("event stream dropped, reconnecting: {e}");
                    }
                }
                tokio::select! {
                    _ = tokio::time::sleep(backoff) => {}
                    _ = tx.closed() => return,
                }
                backoff = (backoff * 2).min(Duration::from_secs(5));
            }
        });
        rx
    }

    /// One SSE connection: passes events on until it ends.
    async fn follow(&self, last: &mut u64, tx: &mpsc::Sender<Result<Event, IocError>>) -> Follow {
        let rb = self
            .client
            .get(self.url("/events"))
            .header("Last-Event-ID", last.to_string())
            .header("Accept", "text/event-stream");
        let resp = match self.auth(rb).send().await {
            Ok(r) => r,
            Err(e) => return Follow::Dropped(self.net_error(e)),
        };
        let status = resp.status();
        if !status.is_success() {
            let body = resp.bytes().await.unwrap_or_default();
            let e = error_of(status, &body);
            return match e {
                IocError::Unauthorized(_) | IocError::Forbidden(_) | IocError::Invalid(_) => Follow::Fatal(e),
                other => Follow::Dropped(other),
            };
        }
        let mut stream = resp.bytes_stream().eventsource();
        loop {
            let next = tokio::select! {
                n = stream.next() => n,
                _ = tx.closed() => return Follow::Closed,
            };
            let ev = match next {
                None => return Follow::Dropped(IocError::Unreachable("the server closed the stream".into())),
                Some(Err(e)) => return Follow::Dropped(IocError::Unreachable(e.to_string())),
                Some(Ok(ev)) => ev,
            };
            if ev.event == "error" {
                tracing::warn!("server stream error: {}", ev.data);
                continue;
            }
            let Ok(event) = serde_json::from_str::<Event>(&ev.data) else {
                tracing::warn!("skipping an unreadable event {}", ev.id);
                continue;
            };
            if event.seq <= *last {
                continue;
            }
            *last = event.seq;
            if tx.send(Ok(event)).await.is_err() {
                return Follow::Closed;
            }
        }
    }
}

enum Follow {
    /// The receiver is gone.
    Closed,
    /// Retrying cannot help.
    Fatal(IocError),
    /// Try again.
    Dropped(IocError),
}

/// Percent-encodes an id for use as one path segment.
fn path_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The core error for a failed response: its problem document, or the bare status.
fn error_of(status: StatusCode, body: &[u8]) -> IocError {
    let p = serde_json::from_slice::<Problem>(body).unwrap_or_else(|_| Problem {
        kind: String::new(),
        title: status.canonical_reason().unwrap_or("error").to_string(),
        status: status.as_u16(),
        detail: String::new(),
        id: None,
        by: None,
    });
    Problem {
        status: status.as_u16(),
        ..p
    }
    .into_error()
}
