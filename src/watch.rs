//! The background duties of `serve` and of the embedded desk: probe the cameras now and then
//! (which also opens and closes outage cases) and check the SLOs' burn-rate alerts, raising a
//! case for each alert that fires and closing it when the alert stops.

use crate::domain::health::Policy;
use crate::domain::sli::SloSpec;
use crate::domain::sli::live::LiveSli;
use crate::domain::{Actor, Role};
use crate::ioc::{Ioc, IocError};
use crate::prober::ProbeConfig;
use std::time::Duration;

/// The actor recorded on burn-rate alert cases.
pub const SLO_ACTOR: &str = "slo";
/// The actor recorded on camera state changes and outage cases.
pub const PROBER_ACTOR: &str = "prober";

/// What runs in the background, and how often.
#[derive(Debug, Clone)]
pub struct WatchConfig {
    /// Probe every camera this often; `None` does not probe.
    pub probe_every: Option<Duration>,
    /// Timeouts and concurrency of a probe round.
    pub probe: ProbeConfig,
    /// Health thresholds, including how long offline opens a case.
    pub policy: Policy,
    /// Check the SLOs this often; `None` does not check.
    pub slo_every: Option<Duration>,
    /// The objectives checked.
    pub slos: Vec<SloSpec>,
    /// Keep the service levels current in memory from the event stream (`serve`), instead of a
    /// full computation over the store at each check (the desk, whose memory stays small).
    pub live_slo: bool,
}

impl Default for WatchConfig {
    fn default() -> Self {
        WatchConfig {
            probe_every: Some(Duration::from_secs(30)),
            probe: ProbeConfig::default(),
            policy: Policy::default(),
            slo_every: Some(Duration::from_secs(60)),
            slos: Vec::new(),
            live_slo: true,
        }
    }
}

/// The same core acting as one of the system's own actors (a local core only: a remote core
/// acts as its token).
pub fn as_system(ioc: &Ioc, name: &str) -> Ioc {
    match ioc {
        Ioc::Local(l) => Ioc::Local(l.as_actor(Actor::new(name, Role::Admin))),
        remote => remote.clone(),
    }
}

/// Checks the SLOs once, from the full computation: raises a case for each whose burn-rate
/// alerts fire, closes the case of each whose alerts stopped. Returns the commands that changed
/// something.
pub async fn check_slos(ioc: &Ioc, slos: &[SloSpec]) -> Result<usize, IocError> {
    if slos.is_empty() {
        return Ok(0);
    }
    let report = ioc.sli("30d", slos.to_vec()).await?;
    act_on(ioc, &report.slos).await
}

/// Raises or closes the alert cases the SLOs' standing asks for.
async fn act_on(ioc: &Ioc, slos: &[crate::domain::sli::SloStatus]) -> Result<usize, IocError> {
    let mut changed = 0;
    for cmd in crate::domain::raise::slo_commands(slos) {
        changed += usize::from(!ioc.execute(cmd.into()).await?.is_empty());
    }
    Ok(changed)
}

/// The SLO checker of the background: service levels kept current from the event stream
/// ([`LiveSli`]), so a check costs a report from memory instead of a pass over the store. Until
/// the stream has caught up with the log, checks use the full computation.
struct SloWatch {
    live: LiveSli,
    events: tokio::sync::mpsc::Receiver<Result<crate::domain::Event, IocError>>,
}

impl SloWatch {
    fn new(ioc: &Ioc) -> Self {
        SloWatch {
            live: LiveSli::new(),
            events: ioc.subscribe(0),
        }
    }

    fn fold(&mut self, ev: Result<crate::domain::Event, IocError>) {
        match ev {
            Ok(e) => self.live.apply(&e),
            Err(e) => tracing::warn!("SLO event stream: {e}"),
        }
    }

    /// Folds in what the stream has delivered so far.
    fn drain(&mut self) {
        while let Ok(ev) = self.events.try_recv() {
            self.fold(ev);
        }
    }

    async fn check(&mut self, ioc: &Ioc, slos: &[SloSpec]) -> Result<usize, IocError> {
        if slos.is_empty() {
            return Ok(0);
        }
        self.drain();
        let head = ioc.counts().await?.last_seq;
        if self.live.last_seq() < head {
            return check_slos(ioc, slos).await;
        }
        let report = self
            .live
            .report(chrono::Utc::now(), chrono::Duration::days(30), slos, None)
            .map_err(IocError::Invalid)?;
        act_on(ioc, &report.slos).await
    }
}

/// Starts the background duties; they stop when the returned handle is aborted or dropped with
/// the runtime. Failures are logged and retried at the next tick.
pub fn spawn(ioc: &Ioc, cfg: WatchConfig) -> tokio::task::JoinHandle<()> {
    let prober = as_system(ioc, PROBER_ACTOR);
    let slo = as_system(ioc, SLO_ACTOR);
    tokio::spawn(async move {
        let mut slo_watch =
            (cfg.live_slo && cfg.slo_every.is_some() && !cfg.slos.is_empty()).then(|| SloWatch::new(&slo));
        let mut probe_tick = cfg.probe_every.map(tokio::time::interval);
        let mut slo_tick = cfg.slo_every.map(tokio::time::interval);
        for t in [&mut probe_tick, &mut slo_tick].into_iter().flatten() {
            t.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        }
        loop {
            tokio::select! {
                Some(ev) = next_event(&mut slo_watch) => {
                    if let Some(w) = slo_watch.as_mut() {
                        w.fold(ev);
                    }
                }
                _ = tick(&mut probe_tick) => {
                    if let Err(e) = crate::prober::probe_and_record(&prober, &[], cfg.probe, &cfg.policy).await {
                        tracing::warn!("background probe round failed: {e}");
                    }
                }
                _ = tick(&mut slo_tick) => {
                    let checked = match slo_watch.as_mut() {
                        Some(w) => w.check(&slo, &cfg.slos).await,
                        None => check_slos(&slo, &cfg.slos).await,
                    };
                    if let Err(e) = checked {
                        tracing::warn!("background SLO check failed: {e}");
                    }
                }
            }
        }
    })
}

/// The next event of the SLO watch's stream; never, without one (or once the stream ended).
async fn next_event(w: &mut Option<SloWatch>) -> Option<Result<crate::domain::Event, IocError>> {
    match w {
        Some(w) => w.events.recv().await,
        None => std::future::pending().await,
    }
}

/// The next tick of an optional interval; never, without one.
async fn tick(t: &mut Option<tokio::time::Interval>) {
    match t {
        Some(t) => {
            t.tick().await;
        }
        None => std::future::pending::<()>().await,
    }
}
