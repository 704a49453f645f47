//! Times duplicate-candidate queries (spatial index + ranking) on a store of N synthetic reports
//! spread over Huế's core and three years, and prints the time per query.
//!
//! `cargo run --release --example duplicates_bench -- [N]` (default 1,000,000; the store is a
//! temporary file, filled by a bulk load).

use std::time::Instant;

use chrono::{Duration, TimeZone, Utc};
use iocdesk::domain::{Channel, Event, EventData, Report, ReportState};
use iocdesk::store::nearby::DuplicateParams;
use iocdesk::store::{Store, StoreConfig};

/// SplitMix64: a reproducible sequence.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

const CATS: [&str; 6] = [
    "waste",
    "drainage",
    "roads",
    "street_lighting",
    "urban_order",
    "trees_parks",
];
const TEXTS: [&str; 6] = [
    "Rác tồn đọng đầu kiệt bốc mùi",
    "Mưa một giờ mà đường đã ngập",
    "Đường nhiều ổ gà lớn",
    "Cột đèn không sáng, tối om",
    "Quán cà phê lấn chiếm vỉa hè",
    "Cây nghiêng sắp đổ",
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let dir = tempfile::tempdir()?;
    let mut store = Store::open_dir(dir.path(), StoreConfig::default())?;
    let t0 = Utc.with_ymd_and_hms(2023, 1, 1, 0, 0, 0).single().ok_or("time")?;
    let span_s = 3 * 365 * 86_400;
    let mut rng = Rng(7);
    let started = Instant::now();
    {
        let mut bulk = store.bulk()?;
        let (mut events, mut rows) = (Vec::new(), Vec::new());
        for i in 0..n {
            let k = (rng.next() % 6) as usize;
            let r = Report {
                id: format!("R{i:07}"),
                received_at: t0 + Duration::seconds((rng.next() % span_s) as i64),
                channel: Channel::App,
                text: TEXTS[k].to_string(),
                category: Some(CATS[k].to_string()),
                ward: None,
                lat: Some(16.42 + rng.unit() * 0.09),
                lon: Some(107.54 + rng.unit() * 0.09),
                address: None,
                media: Vec::new(),
                state: if rng.next().is_multiple_of(4) {
                    ReportState::Verified
                } else {
                    ReportState::New
                },
                duplicate_of: None,
                case_id: None,
                reject_reason: None,
                reporter: None,
                suggested_category: None,
                suggested_confidence: None,
                version: 1,
                updated_by: "bench".into(),
                updated_at: t0,
            };
            // A report row reads its words from its receipt in the log.
            let receipt = i as u64 + 1;
            events.push(Event {
                seq: receipt,
                at: r.received_at,
                actor: "bench".into(),
                data: EventData::ReportReceived {
                    id: r.id.clone(),
                    received_at: r.received_at,
                    channel: r.channel,
                    text: r.text.clone(),
                    category: r.category.clone(),
                    ward: None,
                    lat: r.lat,
                    lon: r.lon,
                    address: None,
                    media: Vec::new(),
                    reporter: None,
                    suggestion: None,
                },
            });
            let folded = iocdesk::store::rows::report_folded(&r);
            rows.push((r, folded, receipt));
            if rows.len() == 4096 || i + 1 == n {
                bulk.events(&events)?;
                bulk.reports(&rows)?;
                events.clear();
                rows.clear();
            }
        }
        bulk.commit()?;
    }
    println!("{n} reports stored in {:.1?}", started.elapsed());
    let p = DuplicateParams::default();
    let started = Instant::now();
    let first = store
        .duplicate_candidates("R0000000", &p)?
        .map(|v| v.len())
        .unwrap_or(0);
    println!(
        "index built (first query) in {:.2?}: {first} candidates",
        started.elapsed()
    );
    const Q: usize = 2_000;
    let started = Instant::now();
    let mut found = 0usize;
    for _ in 0..Q {
        let id = format!("R{:07}", (rng.next() as usize) % n);
        found += store.duplicate_candidates(&id, &p)?.map(|v| v.len()).unwrap_or(0);
    }
    let per = started.elapsed().as_secs_f64() / Q as f64;
    println!(
        "{Q} queries on {n} reports: {:.3} ms per query ({:.1} candidates on average)",
        per * 1e3,
        found as f64 / Q as f64
    );
    Ok(())
}
