//! One probe round over 1,000 registered cameras, 10% of them dead (half a closed port, half a
//! TCP server that accepts and never answers), the rest answered by small RTSP responders on
//! loopback (OPTIONS and DESCRIBE with an SDP). Prints the time of the probes alone and of whole
//! rounds as `iocdesk cameras probe` and `serve` run them (probing, saving health, recording state
//! changes, applying the outage-case rule).
//!
//! `cargo run --release --example probe_round [-- CAMERAS [CONCURRENCY]]`

use iocdesk::domain::health::Policy;
use iocdesk::domain::{Actor, CameraKind, Command, Envelope, NewCamera, Role};
use iocdesk::ioc::{Ioc, LocalIoc};
use iocdesk::prober::{ProbeConfig, probe_all, probe_and_record};
use iocdesk::store::{Store, StoreConfig};
use std::time::Instant;

// The loopback stand-ins the camera tests use.
#[path = "../tests/common/loopback.rs"]
mod loopback;
use loopback::{free_port, rtsp_responder, silent_server};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let n: usize = args.first().map(|s| s.parse()).transpose()?.unwrap_or(1000);
    let defaults = ProbeConfig::default();
    let concurrency: usize = args
        .get(1)
        .map(|s| s.parse())
        .transpose()?
        .unwrap_or(defaults.concurrency);
    let cfg = ProbeConfig {
        concurrency,
        ..defaults
    };
    let ports: Vec<u16> = {
        let mut v = Vec::new();
        for _ in 0..8 {
            v.push(rtsp_responder(0).await.0);
        }
        v
    };
    let (silent_port, closed_port) = (silent_server(), free_port());
    let store = Store::open_in_memory(StoreConfig::default())?;
    let local = LocalIoc::new(store, Actor::new("prober", Role::Admin));
    let ioc = Ioc::Local(local);
    let mut group = Vec::with_capacity(n);
    let mut dead = 0;
    for i in 0..n {
        // Every tenth camera is dead: alternately a closed port and a hung server.
        let url = if i % 10 == 9 {
            dead += 1;
            let port = if dead % 2 == 0 { closed_port } else { silent_port };
            format!("rtsp://127.0.0.1:{port}/cam{i}")
        } else {
            format!("rtsp://127.0.0.1:{}/cam{i}", ports[i % ports.len()])
        };
        group.push(Envelope::from(Command::RegisterCamera(NewCamera {
            id: format!("cam-{i:04}"),
            name: format!("Camera {i}"),
            site: format!("Site {}", i / 20),
            kind: CameraKind::Fixed,
            rtsp_url: Some(url),
            snapshot_url: None,
            lat: None,
            lon: None,
            ward: None,
        })));
    }
    for r in ioc.execute_groups(vec![group], false).await? {
        r?;
    }
    println!(
        "{n} cameras ({dead} dead: {} closed port, {} silent), concurrency {}, step timeout {:?}",
        dead / 2,
        dead - dead / 2,
        cfg.concurrency,
        cfg.step
    );

    let cams = ioc.cameras().await?;
    let t = Instant::now();
    let out = probe_all(cams, cfg).await;
    let ok = out
        .iter()
        .filter(|(_, o)| matches!(o, iocdesk::domain::health::Outcome::Ok { .. }))
        .count();
    println!(
        "probes only:                     {:>6.2} s ({ok} answered, {} failed)",
        t.elapsed().as_secs_f64(),
        out.len() - ok
    );

    let policy = Policy::default();
    for (i, what) in ["first round (every state recorded)", "next round (no state changes)"]
        .iter()
        .enumerate()
    {
        let t = Instant::now();
        let probed = probe_and_record(&ioc, &[], cfg, &policy).await?;
        println!(
            "round {}, {what:<32}{:>6.2} s ({} cameras)",
            i + 1,
            t.elapsed().as_secs_f64(),
            probed.len()
        );
    }
    let t = Instant::now();
    let st = ioc.camera_statuses().await?;
    println!(
        "camera statuses (the outage rule's input):      {:>6.2} s",
        t.elapsed().as_secs_f64()
    );
    let count = |s: iocdesk::domain::CameraState| st.iter().filter(|c| c.state == s).count();
    println!(
        "states: {} online, {} offline, {} degraded",
        count(iocdesk::domain::CameraState::Online),
        count(iocdesk::domain::CameraState::Offline),
        count(iocdesk::domain::CameraState::Degraded)
    );
    Ok(())
}
