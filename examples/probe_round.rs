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
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Answers RTSP requests on a loopback port: 200 to everything, an SDP to DESCRIBE.
async fn responder() -> u16 {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = l.local_addr().expect("addr").port();
    tokio::spawn(async move {
        while let Ok((mut s, _)) = l.accept().await {
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 2048];
                while let Ok(n) = s.read(&mut chunk).await {
                    if n == 0 {
                        return;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                    while let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                        let req = String::from_utf8_lossy(&buf[..end]).to_string();
                        buf.drain(..end + 4);
                        let cseq = req.lines().find_map(|l| l.strip_prefix("CSeq:")).unwrap_or(" 0").trim();
                        let body = if req.starts_with("DESCRIBE") {
                            "v=0\r\ns=cam\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n"
                        } else {
                            ""
                        };
                        let answer = format!(
                            "RTSP/1.0 200 OK\r\nCSeq: {cseq}\r\nPublic: OPTIONS, DESCRIBE\r\nContent-Length: {}\r\n\r\n{body}",
                            body.len()
                        );
                        if s.write_all(answer.as_bytes()).await.is_err() {
                            return;
                        }
                    }
                }
            });
        }
    });
    port
}

/// A loopback port that accepts connections and never answers.
fn silent() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = l.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for c in l.incoming().flatten() {
            held.push(c);
        }
    });
    port
}

/// A loopback port where nothing listens.
fn closed() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

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
            v.push(responder().await);
        }
        v
    };
    let (silent_port, closed_port) = (silent(), closed());
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
