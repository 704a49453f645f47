//! Load on `iocdesk serve`: commands per second, queue-page reads per second (with p99 latency),
//! the same reads while one client keeps writing (so the server's cached answers keep going
//! stale), and how fast one event reaches 50 subscribed desks. The server runs in this process on
//! 127.0.0.1 over a seeded store in a temporary directory, so client and server share the
//! machine's cores: the figures are a floor.
//!
//! `cargo run --release --example loadgen -- [SECONDS] [CLIENTS]`   (defaults 10 and 32)

// The allocator of the `iocdesk` binary, so the in-process server runs as `iocdesk serve` does.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

use chrono::{NaiveDate, Utc};
use iocdesk::demo::seed::{SeedOptions, seed};
use iocdesk::domain::query::{CaseFilter, CaseSort};
use iocdesk::domain::{Actor, Command, Envelope, Role};
use iocdesk::ioc::{Ioc, LocalIoc, RemoteIoc};
use iocdesk::server::{AppState, RateLimit, serve};
use iocdesk::store::tokens::TokenInfo;
use iocdesk::store::{Store, StoreConfig};
use std::time::{Duration, Instant};

fn pct(v: &mut [f64], q: f64) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(((v.len() as f64 * q) as usize).min(v.len().saturating_sub(1)))
        .copied()
        .unwrap_or(0.0)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let secs: u64 = args.next().map(|s| s.parse()).transpose()?.unwrap_or(10);
    let clients: usize = args.next().map(|s| s.parse()).transpose()?.unwrap_or(32);
    let dir = tempfile::tempdir()?;
    let mut store = Store::open_dir(dir.path(), StoreConfig::default())?;
    let until = NaiveDate::from_ymd_opt(2026, 11, 20).ok_or("date")?;
    seed(
        &mut store,
        &SeedOptions {
            reports: 20_000,
            days: 60,
            seed: 3,
            until,
        },
    )?;
    let local = LocalIoc::new(store, Actor::new("loadgen", Role::Admin));
    for i in 0..(clients + 1).max(50) {
        let info = TokenInfo {
            id: format!("lg{i}"),
            name: format!("desk-{i}"),
            role: Role::Officer,
            agency: None,
            created_at: Utc::now(),
            expires_at: None,
            revoked_at: None,
        };
        local.blocking(|s| s.create_token(&info, &format!("lg-secret-{i}")))??;
    }
    let cases: Vec<String> = local
        .cases(CaseFilter {
            limit: 200,
            ..CaseFilter::default()
        })
        .await?
        .into_iter()
        .map(|c| c.id)
        .collect();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}", listener.local_addr()?);
    let (stop, rx) = tokio::sync::oneshot::channel::<()>();
    let unlimited = RateLimit {
        burst: 1e12,
        per_second: 1e12,
    };
    tokio::spawn(serve(listener, AppState::new(local.clone(), unlimited), async move {
        let _ = rx.await;
    }));
    let client = |i: usize| RemoteIoc::new(&url, Some(format!("lg-secret-{i}"))).map(Ioc::Remote);

    // 1. Commands: notes on shared cases, as fast as the clients can send them.
    let deadline = Instant::now() + Duration::from_secs(secs);
    let mut tasks = Vec::new();
    for i in 0..clients {
        let ioc = client(i)?;
        let cases = cases.clone();
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut n = 0usize;
            while Instant::now() < deadline {
                let env = Envelope::from(Command::AddNote {
                    subject: cases[(i * 7 + n) % cases.len()].clone(),
                    text: format!("tải {i}/{n}"),
                });
                let t = Instant::now();
                if ioc.execute(env).await.is_ok() {
                    lat.push(t.elapsed().as_secs_f64() * 1000.0);
                }
                n += 1;
            }
            lat
        }));
    }
    let mut lat = Vec::new();
    for t in tasks {
        lat.extend(t.await?);
    }
    println!(
        "commands: {:.0}/s over {secs} s with {clients} clients; p50 {:.1} ms, p99 {:.1} ms",
        lat.len() as f64 / secs as f64,
        pct(&mut lat, 0.5),
        pct(&mut lat, 0.99)
    );

    // 2. Reads: the first page of the queue, as the desk loads it; then the same with a writer
    // adding notes as fast as it can, so the page changes all the time.
    for busy in [false, true] {
        let deadline = Instant::now() + Duration::from_secs(secs);
        let writer = if busy {
            let ioc = client(clients)?;
            let cases = cases.clone();
            Some(tokio::spawn(async move {
                let mut n = 0usize;
                while Instant::now() < deadline {
                    let env = Envelope::from(Command::AddNote {
                        subject: cases[n % cases.len()].clone(),
                        text: format!("đọc-ghi {n}"),
                    });
                    if ioc.execute(env).await.is_ok() {
                        n += 1;
                    }
                }
                n
            }))
        } else {
            None
        };
        let mut tasks = Vec::new();
        for i in 0..clients {
            let ioc = client(i)?;
            tasks.push(tokio::spawn(async move {
                let mut lat = Vec::new();
                while Instant::now() < deadline {
                    let f = CaseFilter {
                        open: true,
                        sort: CaseSort::Deadline,
                        limit: 50,
                        ..CaseFilter::default()
                    };
                    let t = Instant::now();
                    if ioc.cases(f).await.is_ok() {
                        lat.push(t.elapsed().as_secs_f64() * 1000.0);
                    }
                }
                lat
            }));
        }
        let mut lat = Vec::new();
        for t in tasks {
            lat.extend(t.await?);
        }
        let label = match writer {
            Some(w) => format!(
                "queue-page reads, one writer busy ({:.0} notes/s)",
                w.await? as f64 / secs as f64
            ),
            None => "queue-page reads".to_string(),
        };
        println!(
            "{label}: {:.0}/s over {secs} s with {clients} clients; p50 {:.1} ms, p99 {:.1} ms",
            lat.len() as f64 / secs as f64,
            pct(&mut lat, 0.5),
            pct(&mut lat, 0.99)
        );
    }

    // 3. Fan-out: 50 desks subscribed; one officer writes 100 notes; each note's delay to every desk.
    let last = local.counts().await?.last_seq;
    let mut subs = Vec::new();
    for i in 0..50 {
        let ioc = client(i)?;
        let mut rx = ioc.subscribe(last);
        subs.push(tokio::spawn(async move {
            let mut arrivals: Vec<(u64, Instant)> = Vec::new();
            while let Ok(Some(Ok(ev))) = tokio::time::timeout(Duration::from_secs(5), rx.recv()).await {
                arrivals.push((ev.seq, Instant::now()));
                if arrivals.len() >= 100 {
                    break;
                }
            }
            arrivals
        }));
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let writer = client(0)?;
    let mut sent: Vec<(u64, Instant)> = Vec::new();
    for n in 0..100 {
        let t = Instant::now();
        let ev = writer
            .execute(Envelope::from(Command::AddNote {
                subject: cases[n % cases.len()].clone(),
                text: format!("phát {n}"),
            }))
            .await?;
        if let Some(e) = ev.first() {
            sent.push((e.seq, t));
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let mut delays = Vec::new();
    for s in subs {
        for (seq, at) in s.await? {
            if let Some((_, t)) = sent.iter().find(|(q, _)| *q == seq) {
                delays.push(at.duration_since(*t).as_secs_f64() * 1000.0);
            }
        }
    }
    println!(
        "fan-out to 50 desks: {} deliveries; p50 {:.1} ms, p99 {:.1} ms from the command's send",
        delays.len(),
        pct(&mut delays, 0.5),
        pct(&mut delays, 0.99)
    );
    let _ = stop.send(());
    Ok(())
}
