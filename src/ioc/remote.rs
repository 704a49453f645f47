//! The remote core: the same calls as [`super::LocalIoc`], made over HTTP to `iocdesk serve`.
//! Lists larger than one server page are fetched page by page; `subscribe` follows the SSE
//! stream and reconnects, resuming after the last event it passed on.

use super::wire::{AfterQuery, BatchItem, CaseQuery, CountOut, PAGE_MAX, Problem, ReportQuery};
use super::{CaseDetail, IocError, ReportDetail};
use crate::domain::query::{CaseFilter, Counts, ReportFilter};
use crate::domain::{Actor, Case, Envelope, Event, NewReport, Report, Role};
use eventsource_stream::Eventsource;
use futures::StreamExt;
use reqwest::header::HeaderValue;
use reqwest::{Client, RequestBuilder, StatusCode};
use serde::de::DeserializeOwned;
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
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
    /// The last pages of cases and of reports, by URL, with the server's `ETag` for each.
    pages: Arc<Pages>,
}

/// List pages kept by a handle (and its clones): asked again with `If-None-Match`, an unchanged
/// page comes back as `304 Not Modified` and is taken from here instead of parsed again.
#[derive(Default)]
struct Pages {
    cases: Mutex<HashMap<String, (HeaderValue, Vec<Case>)>>,
    reports: Mutex<HashMap<String, (HeaderValue, Vec<Report>)>>,
}

/// Pages remembered per kind (the desk reloads a handful of views; a script paging through
/// everything must not fill memory).
const PAGES_KEPT: usize = 16;

/// Remembers a page, forgetting the others when full.
fn remember<T>(memo: &Mutex<HashMap<String, (HeaderValue, T)>>, url: String, etag: HeaderValue, page: T) {
    if let Ok(mut m) = memo.lock() {
        if m.len() >= PAGES_KEPT && !m.contains_key(&url) {
            m.clear();
        }
        m.insert(url, (etag, page));
    }
}

/// Certificate authorities to trust besides the system's, for a server whose certificate a
/// private CA signed (`--ca-cert FILE`).
#[derive(Clone, Default)]
pub struct CaCerts(Vec<reqwest::Certificate>);

impl CaCerts {
    /// Every certificate in a PEM file; an error names the file and what was wrong with it.
    pub fn from_pem_file(path: &Path) -> Result<CaCerts, IocError> {
        let bad = |m: String| IocError::Invalid(format!("--ca-cert {}: {m}", path.display()));
        let pem = std::fs::read(path).map_err(|e| bad(e.to_string()))?;
        let certs = reqwest::Certificate::from_pem_bundle(&pem)
            .map_err(|e| bad(format!("not a PEM certificate file ({e})")))?;
        if certs.is_empty() {
            return Err(bad("no CERTIFICATE block found (expected PEM)".into()));
        }
        Ok(CaCerts(certs))
    }

    /// How many certificates there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl RemoteIoc {
    /// A client for the server at `base` (`http://host:port` or `https://…`), with an optional
    /// bearer token, trusting the system's certificate authorities.
    pub fn new(base: &str, token: Option<String>) -> Result<Self, IocError> {
        RemoteIoc::with_ca(base, token, CaCerts::default())
    }

    /// [`RemoteIoc::new`], also trusting `ca` for `https://` (requests and the event stream).
    pub fn with_ca(base: &str, token: Option<String>, ca: CaCerts) -> Result<Self, IocError> {
        let base = base.trim().trim_end_matches('/').to_string();
        if !(base.starts_with("http://") || base.starts_with("https://")) {
            return Err(IocError::Invalid(format!(
                "--remote '{base}': expected an http:// or https:// URL"
            )));
        }
        let mut builder = Client::builder().connect_timeout(Duration::from_secs(5));
        if !ca.is_empty() {
            builder = builder.tls_certs_merge(ca.0);
        }
        let client = builder
            .build()
            .map_err(|e| IocError::Internal(format!("cannot build the HTTP client: {e}")))?;
        Ok(RemoteIoc {
            client,
            base,
            token: token.filter(|t| !t.trim().is_empty()),
            // The server decides who we are; `whoami` asks it.
            actor: Actor::new("remote", Role::Viewer),
            pages: Arc::new(Pages::default()),
        })
    }

    /// A client that has asked the server who its token is, so [`RemoteIoc::actor`] is right
    /// (front ends that enable actions by role use this; [`RemoteIoc::new`] does no I/O).
    pub async fn connect(base: &str, token: Option<String>) -> Result<Self, IocError> {
        RemoteIoc::connect_with_ca(base, token, CaCerts::default()).await
    }

    /// [`RemoteIoc::connect`], also trusting `ca`.
    pub async fn connect_with_ca(base: &str, token: Option<String>, ca: CaCerts) -> Result<Self, IocError> {
        let mut me = RemoteIoc::with_ca(base, token, ca)?;
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
        // reqwest's own message is only "error sending request"; the reason (refused, TLS,
        // timeout) is further down the chain.
        let mut why = e.to_string();
        let mut source = std::error::Error::source(&e);
        while let Some(s) = source {
            why = format!("{why}: {s}");
            source = s.source();
        }
        if e.is_connect() || e.is_timeout() || e.is_request() {
            let hint = if why.contains("certificate") || why.contains("UnknownIssuer") {
                " (is the server's CA trusted? see --ca-cert)"
            } else {
                ""
            };
            IocError::Unreachable(format!("cannot reach {}: {why}{hint}", self.base))
        } else {
            IocError::Internal(format!("talking to {}: {why}", self.base))
        }
    }

    /// Sends a request (retrying a rate-limited one after the server's `Retry-After`) and returns
    /// the response, whatever its status.
    async fn respond(&self, rb: RequestBuilder) -> Result<reqwest::Response, IocError> {
        let rb = self.auth(rb);
        let mut resp = rb
            .try_clone()
            .ok_or_else(|| IocError::Internal("unrepeatable request".into()))?
            .send()
            .await
            .map_err(|e| self.net_error(e))?;
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
        Ok(resp)
    }

    /// Sends a request; a failure status becomes the core error its problem document names.
    async fn answer(&self, rb: RequestBuilder) -> Result<reqwest::Response, IocError> {
        let resp = self.respond(rb).await?;
        let status = resp.status();
        if status.is_success() {
            return Ok(resp);
        }
        let body = resp.bytes().await.unwrap_or_default();
        Err(error_of(status, &body))
    }

    async fn send<T: DeserializeOwned>(&self, rb: RequestBuilder) -> Result<T, IocError> {
        let resp = self.answer(rb).await?;
        resp.json::<T>()
            .await
            .map_err(|e| IocError::Internal(format!("unreadable answer from {}: {e}", self.base)))
    }

    /// A GET of a list page that `memo` may already hold: sent with its `ETag`, and on `304 Not
    /// Modified` answered from the memo.
    async fn send_page<T: DeserializeOwned + Clone>(
        &self,
        rb: RequestBuilder,
        memo: &Mutex<HashMap<String, (HeaderValue, T)>>,
    ) -> Result<T, IocError> {
        let req = rb
            .build()
            .map_err(|e| IocError::Internal(format!("cannot build a request: {e}")))?;
        let url = req.url().to_string();
        let held = memo.lock().ok().and_then(|m| m.get(&url).map(|(etag, _)| etag.clone()));
        let again = req.try_clone();
        let mut rb = RequestBuilder::from_parts(self.client.clone(), req);
        if let Some(etag) = held {
            rb = rb.header(reqwest::header::IF_NONE_MATCH, etag);
        }
        let mut resp = self.respond(rb).await?;
        if resp.status() == StatusCode::NOT_MODIFIED {
            if let Some(page) = memo.lock().ok().and_then(|m| m.get(&url).map(|(_, p)| p.clone())) {
                return Ok(page);
            }
            // Forgotten meanwhile (another view filled the memo): ask for the page itself.
            let req = again.ok_or_else(|| IocError::Internal("unrepeatable request".into()))?;
            resp = self
                .respond(RequestBuilder::from_parts(self.client.clone(), req))
                .await?;
        }
        let status = resp.status();
        if !status.is_success() {
            let body = resp.bytes().await.unwrap_or_default();
            return Err(error_of(status, &body));
        }
        let etag = resp.headers().get(reqwest::header::ETAG).cloned();
        let page: T = resp
            .json()
            .await
            .map_err(|e| IocError::Internal(format!("unreadable answer from {}: {e}", self.base)))?;
        if let Some(etag) = etag {
            remember(memo, url, etag, page.clone());
        }
        Ok(page)
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
            let page: Vec<Report> = self
                .send_page(self.client.get(self.url("/reports")).query(&q), &self.pages.reports)
                .await?;
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
            let page: Vec<Case> = self
                .send_page(self.client.get(self.url("/cases")).query(&q), &self.pages.cases)
                .await?;
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
