//! `iocdesk serve`: the local store over HTTP until SIGTERM or ctrl-c.

use super::Env;
use crate::domain::Actor;
use crate::server::{AppState, Open311Config, RateLimit};
use clap::Args;
use std::time::Duration;

/// `serve` flags.
#[derive(Debug, Args, Clone)]
pub struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR")]
    pub listen: String,
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
    let core = env.open_local(Actor::system())?;
    let listener = tokio::net::TcpListener::bind(&a.listen)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", a.listen))?;
    let addr = listener.local_addr()?;
    if !env.global.quiet {
        eprintln!("iocdesk: serving {} on http://{addr}", core.label());
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
    let server = crate::server::serve(listener, state, async move {
        signalled().await;
        let _ = tx.send(());
    });
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
