//! Measures the desk on a store: time to the first frame (from process start), the cost of a
//! frame, a filter keystroke, the bytes written when one new report arrives, and resident memory.
//!
//! `cargo run --release --example desk_bench -- DATA_DIR`  (seed it first, e.g. with
//! `iocdesk --data-dir DIR demo seed --reports 1000000`)

// The allocator of the `iocdesk` binary, so the desk is measured as it runs.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use iocdesk::domain::{Actor, NewReport, Role};
use iocdesk::ioc::{Ioc, LocalIoc};
use iocdesk::store::{Store, StoreConfig};
use iocdesk::tui::app::Msg;
use iocdesk::tui::{Options, build_app, dispatch, start};
use ratatui::Terminal;
use ratatui::backend::{CrosstermBackend, TestBackend};
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// A writer that counts the bytes the terminal would receive.
#[derive(Clone, Default)]
struct Counter(Arc<Mutex<usize>>);

impl Write for Counter {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        *self.0.lock().map_err(|_| std::io::Error::other("poisoned"))? += b.len();
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmRSS:")).map(str::to_string))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|k| k.parse::<f64>().ok()))
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let t0 = Instant::now();
    let dir = std::env::args().nth(1).ok_or("usage: desk_bench DATA_DIR")?;
    let store = Store::open_dir(std::path::Path::new(&dir), StoreConfig::default())?;
    let ioc = Ioc::Local(LocalIoc::new(store, Actor::new("bench", Role::Admin)));
    let o = Options {
        lang: Some("en".into()),
        no_color: true,
        bell: false,
        ..Options::default()
    };
    let mut app = build_app(&ioc, &o);
    start(&mut app, &ioc).await;
    let mut term = Terminal::new(TestBackend::new(120, 40))?;
    term.draw(|f| f.render_widget(&app, f.area()))?;
    let first = t0.elapsed();
    let counts = ioc.counts().await?;
    println!("store: {} reports, {} cases", counts.reports, counts.cases);
    println!(
        "first frame: {:.1} ms after process start",
        first.as_secs_f64() * 1000.0
    );

    // Frame cost: only the visible page is drawn, whatever the queue's size.
    let n = 200;
    let t = Instant::now();
    for _ in 0..n {
        term.draw(|f| f.render_widget(&app, f.area()))?;
    }
    println!(
        "frame: {:.3} ms each (120x40, {n} frames)",
        t.elapsed().as_secs_f64() * 1000.0 / n as f64
    );

    // A filter keystroke on the triage list: the query runs and the frame is redrawn.
    dispatch(&mut app, &ioc, key('2'), None).await;
    dispatch(&mut app, &ioc, key('/'), None).await;
    let mut worst = 0.0f64;
    for c in ['r', 'a', 'c'] {
        let t = Instant::now();
        dispatch(&mut app, &ioc, key(c), None).await;
        term.draw(|f| f.render_widget(&app, f.area()))?;
        worst = worst.max(t.elapsed().as_secs_f64() * 1000.0);
    }
    println!("filter keystroke: {worst:.1} ms (worst of 3, query + redraw)");
    dispatch(
        &mut app,
        &ioc,
        Msg::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)),
        None,
    )
    .await;

    // Bytes written to a 200x50 terminal when one new report arrives.
    let counter = Counter::default();
    let mut real = Terminal::new(CrosstermBackend::new(counter.clone()))?;
    real.resize(ratatui::layout::Rect::new(0, 0, 200, 50))?;
    real.draw(|f| f.render_widget(&app, f.area()))?;
    real.draw(|f| f.render_widget(&app, f.area()))?;
    let before = *counter.0.lock().map_err(|_| "poisoned")?;
    let r = ioc
        .submit(NewReport {
            text: "Đèn đường tắt cả dãy phố zzbench".into(),
            ward: Some("phu-xuan".into()),
            ..NewReport::default()
        })
        .await?;
    let mut rx = ioc.subscribe(counts.last_seq);
    // The report's receipt (with its suggestion) reaches the desk as a live event.
    while let Ok(Some(Ok(ev))) = tokio::time::timeout(std::time::Duration::from_secs(5), rx.recv()).await {
        let done = ev.data.subject() == r.id && ev.data.kind() == "ReportReceived";
        dispatch(&mut app, &ioc, Msg::Live(Ok(ev)), None).await;
        if done {
            break;
        }
    }
    real.draw(|f| f.render_widget(&app, f.area()))?;
    let bytes = *counter.0.lock().map_err(|_| "poisoned")? - before;
    println!("one new report redrawn at 200x50: {bytes} bytes written");
    println!("resident memory: {:.0} MiB", rss_mib());
    Ok(())
}
