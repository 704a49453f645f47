//! Prints the latency of the desk's hottest query on a store: the first page (50 rows) of open
//! cases sorted by deadline, filtered by ward and folded text.
//!
//! `cargo run --release --example queue_latency -- DATA_DIR [RUNS]`

use iocdesk::domain::query::{CaseFilter, CaseSort};
use iocdesk::store::{Store, StoreConfig};
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = args.next().ok_or("usage: queue_latency DATA_DIR [RUNS]")?;
    let runs: usize = args.next().map(|s| s.parse()).transpose()?.unwrap_or(300);
    let store = Store::open_dir(std::path::Path::new(&dir), StoreConfig::default())?;
    let now = chrono::Utc::now();
    let counts = store.counts(now)?;
    let wards = ["phu-xuan", "thuan-hoa", "an-cuu", "vy-da", "kim-long"];
    let words = ["rac", "den", "nuoc", "duong", "cay"];
    let mut times = Vec::with_capacity(runs);
    let mut rows = 0;
    for i in 0..runs {
        let f = CaseFilter {
            open: true,
            ward: Some(wards[i % wards.len()].into()),
            query: Some(words[(i / wards.len()) % words.len()].into()),
            sort: CaseSort::Deadline,
            limit: 50,
            ..CaseFilter::default()
        };
        let t = Instant::now();
        rows += store.list_cases(&f, now)?.len();
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(|a, b| a.total_cmp(b));
    let p = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
    println!(
        "store: {} reports, {} cases; {} queries ({} rows): p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        counts.reports,
        counts.cases,
        runs,
        rows,
        p(0.5),
        p(0.9),
        p(0.99),
        times[times.len() - 1]
    );
    Ok(())
}
