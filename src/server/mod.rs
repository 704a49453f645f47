//! The HTTP server: the same core over JSON under `/api/v1/`, an SSE event stream with
//! `Last-Event-ID` resume, bearer tokens with roles, Open311 GeoReport v2 under `/open311/v2/`, and
//! Prometheus `/metrics`. [`router`] builds the app and [`serve`] (plain HTTP) or [`serve_tls`]
//! (HTTPS) runs it until a shutdown future completes, so tests can bind `127.0.0.1:0`.

mod auth;
mod cache;
pub mod error;
pub mod metrics;
pub mod open311;
mod routes;
mod scope;
mod sse;
pub mod tls;

use crate::ioc::LocalIoc;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::serve::{Listener, ListenerExt};
use std::future::Future;
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio::sync::watch;

pub use auth::{RateLimit, TOKEN_TTL};
pub use open311::Open311Config;

/// The largest request body accepted (larger ones get 413).
pub const BODY_LIMIT: usize = 1024 * 1024;

/// What every handler shares: the core, the rate limiter, the caches of verified tokens and of
/// hot answers, and the shutdown signal.
#[derive(Clone)]
pub struct AppState {
    core: LocalIoc,
    limiter: Arc<auth::Limiter>,
    tokens: Arc<auth::TokenCache>,
    pages: Arc<cache::Pages>,
    stop: Arc<watch::Sender<bool>>,
    open311: Arc<Open311Config>,
}

impl AppState {
    /// Serves `core` (its own actor is never used: every request acts as its token's actor).
    pub fn new(core: LocalIoc, rate: RateLimit) -> Self {
        AppState {
            core,
            limiter: Arc::new(auth::Limiter::new(rate)),
            tokens: Arc::new(auth::TokenCache::default()),
            pages: Arc::new(cache::Pages::default()),
            stop: Arc::new(watch::channel(false).0),
            open311: Arc::new(Open311Config::default()),
        }
    }

    /// The same state with these Open311 settings (jurisdiction, media directory).
    pub fn with_open311(mut self, config: Open311Config) -> Self {
        self.open311 = Arc::new(config);
        self
    }

    /// Ends every open event stream, so a graceful shutdown does not wait on them.
    pub fn stop_streams(&self) {
        self.stop.send_replace(true);
    }
}

/// The application: health probes and the API.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/healthz", axum::routing::get(routes::healthz))
        .route("/readyz", axum::routing::get(routes::readyz))
        .route("/metrics", axum::routing::get(metrics::metrics))
        .nest("/api/v1", routes::api())
        .nest("/open311/v2", open311::routes())
        .fallback(routes::not_found)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::middleware::from_fn(log_request))
        .with_state(state)
}

/// Logs each request's method, path, status and duration (never its headers: they hold tokens).
async fn log_request(req: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
    let (method, path) = (req.method().clone(), req.uri().path().to_string());
    let t = std::time::Instant::now();
    let resp = next.run(req).await;
    metrics::observe(method.as_str(), resp.status().as_u16(), t.elapsed().as_secs_f64());
    tracing::info!(
        "{method} {path} {} {:.1}ms",
        resp.status().as_u16(),
        t.elapsed().as_secs_f64() * 1000.0
    );
    resp
}

/// Serves `state` on `listener` until `shutdown` completes, then ends the event streams and
/// finishes the requests in flight.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    // Small JSON answers must not wait on Nagle's algorithm.
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    serve_on(listener, state, shutdown).await
}

/// [`serve`] over HTTPS: every connection on `listener` is a TLS session with `tls` (see
/// [`tls::server_config`]); shutdown drains the same way.
pub async fn serve_tls(
    listener: TcpListener,
    tls: Arc<tls::ServerConfig>,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_on(tls::TlsListener::new(listener, tls)?, state, shutdown).await
}

async fn serve_on<L>(
    listener: L,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()>
where
    L: Listener,
    L::Addr: std::fmt::Debug,
{
    let app = router(state.clone());
    let graceful = async move {
        shutdown.await;
        state.stop_streams();
    };
    axum::serve(listener, app).with_graceful_shutdown(graceful).await
}
