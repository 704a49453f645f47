//! Service levels over a large log: seeds the demo city (just over 1,000,000 events by default) into
//! a store on disk, then times
//! - the full computation from the store's read tables (what `iocdesk sli` does), 30 days and the
//!   whole history;
//! - building the incremental state ([`LiveSli`]) from the whole log, and a report from it;
//! - keeping it current: the cost of folding one new event in, and of a report afterwards.
//!
//! The incremental report is checked equal to the full one at every step.
//!
//! `cargo run --release --example sli_bench [-- REPORTS [DAYS]]`

use chrono::{Duration, Utc};
use iocdesk::demo::seed::{SeedOptions, seed};
use iocdesk::domain::sli::SloSpec;
use iocdesk::domain::sli::live::LiveSli;
use iocdesk::domain::{Actor, Command, Envelope, NewReport, Role};
use iocdesk::store::{Store, StoreConfig};
use std::time::Instant;

fn slos() -> Vec<SloSpec> {
    ["on_time", "on_time_extended", "satisfaction", "camera_availability"]
        .into_iter()
        .map(|i| SloSpec {
            indicator: i.into(),
            target: 0.9,
            window: Some("30d".into()),
        })
        .collect()
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let reports: usize = args.first().map(|s| s.parse()).transpose()?.unwrap_or(152_000);
    let days: u32 = args.get(1).map(|s| s.parse()).transpose()?.unwrap_or(90);
    let dir = tempfile::tempdir()?;
    let mut store = Store::open_dir(dir.path(), StoreConfig::default())?;
    let t = Instant::now();
    store.fast_load(true)?;
    seed(
        &mut store,
        &SeedOptions {
            reports,
            days,
            seed: 1,
            until: iocdesk::domain::calendar::local_date(Utc::now()),
        },
    )?;
    store.fast_load(false)?;
    let events = store.last_seq()?;
    println!(
        "seeded {reports} reports over {days} days: {events} events in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let slos = slos();
    let now = Utc::now();

    // The reference: the store's computation over its read tables.
    let mut full = None;
    for (label, window) in [
        ("30 days", Duration::days(30)),
        ("whole history", Duration::days(days as i64 + 2)),
    ] {
        let t = Instant::now();
        let r = store
            .sli_report(now, window, &slos, None)?
            .map_err(anyhow::Error::msg)?;
        println!(
            "full computation from the store, {label:<14} {:>8.3} s ({} cases answered)",
            t.elapsed().as_secs_f64(),
            r.overall.answered
        );
        if full.is_none() {
            full = Some(r);
        }
    }

    // The incremental state, built once from the whole log.
    let t = Instant::now();
    let mut live = LiveSli::new();
    let mut folded = 0u64;
    loop {
        let page = store.events_after(live.last_seq(), 20_000)?;
        if page.is_empty() {
            break;
        }
        for e in &page {
            live.apply(e);
        }
        folded += page.len() as u64;
    }
    println!(
        "incremental state from the whole log ({folded} events) {:>8.3} s",
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let inc = live
        .report(now, Duration::days(30), &slos, None)
        .map_err(anyhow::Error::msg)?;
    println!(
        "report from the incremental state, 30 days      {:>8.3} s",
        t.elapsed().as_secs_f64()
    );
    anyhow::ensure!(
        Some(&inc) == full.as_ref(),
        "the incremental report differs from the full one"
    );

    // New events arrive: a report is submitted, verified, forwarded and answered, 2,000 times.
    let actor = Actor::new("bench", Role::Admin);
    let mut fold_ns = 0u128;
    let mut new_events = 0u64;
    for i in 0..2000 {
        let at = now + Duration::seconds(i);
        let ev = store.execute(
            &Envelope::from(Command::SubmitReport(NewReport {
                text: "Rác tồn đọng nhiều ngày ở đầu kiệt, bốc mùi".into(),
                category: Some("waste".into()),
                ward: Some("Phú Hội".into()),
                ..NewReport::default()
            })),
            &actor,
            at,
        )?;
        let id = ev[0].data.subject().to_string();
        store.execute(
            &Envelope::from(Command::VerifyReport {
                id: id.clone(),
                category: None,
            }),
            &actor,
            at,
        )?;
        let ev = store.execute(
            &Envelope::from(Command::Forward {
                report_id: id,
                agencies: vec![],
                priority: None,
            }),
            &actor,
            at,
        )?;
        let case_id = ev[0].data.subject().to_string();
        store.execute(
            &Envelope::from(Command::Answer {
                case_id,
                text: "Đã thu gom".into(),
                agency: None,
            }),
            &actor,
            at,
        )?;
        // What a subscriber gets: the new events, read back from the log.
        let page = store.events_after(live.last_seq(), 100)?;
        let t = Instant::now();
        for e in &page {
            live.apply(e);
        }
        fold_ns += t.elapsed().as_nanos();
        new_events += page.len() as u64;
    }
    println!(
        "keeping it current: {new_events} new events, {:.2} µs per event folded in",
        fold_ns as f64 / new_events as f64 / 1000.0
    );
    let later = now + Duration::seconds(2000);
    let t = Instant::now();
    let inc = live
        .report(later, Duration::days(30), &slos, None)
        .map_err(anyhow::Error::msg)?;
    let inc_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let full = store
        .sli_report(later, Duration::days(30), &slos, None)?
        .map_err(anyhow::Error::msg)?;
    let full_s = t.elapsed().as_secs_f64();
    anyhow::ensure!(
        inc == full,
        "the incremental report differs from the full one after the new events"
    );
    println!("after them, a report: incremental {inc_s:.3} s, full {full_s:.3} s (equal)");
    Ok(())
}
