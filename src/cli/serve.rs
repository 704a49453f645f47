//! `iocdesk serve`: the local store over HTTP (or HTTPS with `--tls-cert`/`--tls-key`) until
//! SIGTERM or ctrl-c.

use super::{Env, Usage};
use crate::domain::Actor;
use crate::server::{AppState, Open311Config, RateLimit};
use clap::Args;
use std::path::PathBuf;
use std::time::Duration;

/// `serve` flags.
#[derive(Debug, Args, Clone)]
pub struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR")]
    pub listen: String,
    /// PEM certificate chain (server certificate first): serve HTTPS instead of HTTP.
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// PEM private key of --tls-cert (PKCS#8, PKCS#1 or SEC1).
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
}

/// Waits for SIGTERM or ctrl-c.
async fn signalled() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = tokio::signal::ctrl_c() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// Runs the server; exit 0 after a clean stop.
pub async fn run(a: ServeArgs, env: &Env) -> anyhow::Result<i32> {
    // A certificate that cannot be used is found before the store is opened or a port taken.
    let tls = match (&a.tls_cert, &a.tls_key) {
        (Some(cert), Some(key)) => {
            Some(crate::server::tls::server_config(cert, key).map_err(|e| Usage(format!("cannot serve HTTPS: {e}")))?)
        }
        _ => None,
    };
    let core = env.open_local(Actor::system())?;
    let listener = tokio::net::TcpListener::bind(&a.listen)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", a.listen))?;
    let addr = listener.local_addr()?;
    if !env.global.quiet {
        let scheme = if tls.is_some() { "https" } else { "http" };
        eprintln!("iocdesk: serving {} on {scheme}://{addr}", core.label());
    }
    tracing::info!("serving on {addr}");
    let open311 = Open311Config {
        jurisdiction: env
            .file
            .jurisdiction
            .clone()
            .filter(|j| !j.trim().is_empty())
            .unwrap_or_else(|| crate::server::open311::DEFAULT_JURISDICTION.into()),
        media_dir: Some(env.paths.data_dir.join("media")),
    };
    // Camera probing (with outage cases) and the SLOs' burn-rate alert cases, in the background.
    let watch = env.file.watch.config(&env.file.slo, false).map_err(super::Usage)?;
    let watcher = crate::watch::spawn(&crate::ioc::Ioc::Local(core.clone()), watch);
    let state = AppState::new(core, RateLimit::default()).with_open311(open311);
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let shutdown = async move {
        signalled().await;
        let _ = tx.send(());
    };
    let server = async move {
        match tls {
            Some(config) => crate::server::serve_tls(listener, config, state, shutdown).await,
            None => crate::server::serve(listener, state, shutdown).await,
        }
    };
    // Requests in flight get a few seconds to finish; then we stop regardless.
    let deadline = async move {
        if rx.await.is_ok() {
            tokio::time::sleep(Duration::from_secs(3)).await;
        } else {
            std::future::pending::<()>().await;
        }
    };
    tokio::select! {
        r = server => r.map_err(|e| anyhow::anyhow!("server failed: {e}"))?,
        _ = deadline => tracing::warn!("stopped with requests still in flight"),
    }
    watcher.abort();
    if !env.global.quiet {
        eprintln!("iocdesk: stopped");
    }
    Ok(0)
}
