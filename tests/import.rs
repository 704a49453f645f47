//! The bulk import path (`Store::import_reports`) lands exactly what submitting each report as a
//! command does, batch by batch, and stops whole at a refused report.

use chrono::{DateTime, TimeZone, Utc};
use iocdesk::domain::query::{MAX_PAGE, ReportFilter};
use iocdesk::domain::{Actor, Channel, Command, Envelope, NewReport, Role};
use iocdesk::store::{Store, StoreConfig, StoreError};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 16, 2, 0, 0)
        .single()
        .expect("valid time")
}

fn officer() -> Actor {
    Actor::new("ioc.lan", Role::Officer)
}

/// Reports of every shape an import file has: with and without ids, wards by name or old name,
/// coordinates only, an address only, a given category, the system channel (not classified).
fn sample(n: usize, first_id: usize) -> Vec<NewReport> {
    (0..n)
        .map(|i| NewReport {
            id: (i % 5 != 0).then(|| format!("R{:07}", first_id + i)),
            received_at: Some(t0() - chrono::Duration::minutes(i as i64)),
            channel: Some(match i % 7 {
                0 => Channel::System,
                1 => Channel::Hotline,
                _ => Channel::Import,
            }),
            text: match i % 3 {
                0 => format!("Rác thải tồn đọng ở kiệt {i} đường Chi Lăng, bốc mùi hôi"),
                1 => format!("Den duong so {i} khong sang, toi om"),
                _ => format!("Ngập nước sau mưa lớn trước nhà số {i} Phan Đình Phùng"),
            },
            category: (i % 4 == 0).then(|| "waste".to_string()),
            ward: match i % 6 {
                0 => Some("Phú Hội".to_string()),
                1 => Some("thuan hoa".to_string()),
                _ => None,
            },
            lat: (i % 6 != 5).then_some(16.46 + i as f64 * 1e-4),
            lon: (i % 6 != 5).then_some(107.59),
            address: (i % 6 == 5).then(|| "Chợ Đông Ba".to_string()),
            ..NewReport::default()
        })
        .collect()
}

fn everything(s: &Store) -> (Vec<iocdesk::domain::Event>, Vec<iocdesk::domain::Report>) {
    let f = ReportFilter {
        limit: MAX_PAGE,
        ..ReportFilter::default()
    };
    (
        s.events_after(0, 100_000).expect("events"),
        s.list_reports(&f, t0()).expect("reports"),
    )
}

/// A store that already holds two submitted reports, so ids and totals go on from them.
fn started() -> Store {
    let mut s = Store::open_in_memory(StoreConfig::default()).expect("store");
    let first: Vec<Envelope> = sample(2, 1)
        .into_iter()
        .map(|n| Command::SubmitReport(n).into())
        .collect();
    for r in s.execute_many(&first, &officer(), t0()).expect("submit") {
        r.expect("accepted");
    }
    s
}

/// Imports `reports` in batches of `batch` into one store and submits them one by one into
/// another, checks that both hold the same, and returns the imported store's reports.
fn lands_like_one_by_one(reports: Vec<NewReport>, batch: usize) -> (Store, Vec<iocdesk::domain::Report>) {
    let mut bulk = started();
    let n = bulk
        .import_reports(reports.clone().into_iter().map(Ok), &officer(), t0(), batch, false)
        .expect("import");
    assert_eq!(n, reports.len());
    let mut one_by_one = started();
    let envs: Vec<Envelope> = reports.into_iter().map(|n| Command::SubmitReport(n).into()).collect();
    for r in one_by_one.execute_many(&envs, &officer(), t0()).expect("submit") {
        r.expect("accepted");
    }
    let (ev_a, rep_a) = everything(&bulk);
    let (ev_b, rep_b) = everything(&one_by_one);
    assert_eq!(ev_a.len(), ev_b.len());
    for (a, b) in ev_a.iter().zip(&ev_b) {
        assert_eq!(a, b);
    }
    assert_eq!(rep_a, rep_b);
    assert_eq!(
        bulk.counts(t0()).expect("counts"),
        one_by_one.counts(t0()).expect("counts")
    );
    assert!(bulk.verify().expect("verify").ok());
    (bulk, rep_a)
}

#[test]
fn an_import_lands_like_one_submission_per_report() {
    let (_, rep_a) = lands_like_one_by_one(sample(60, 100), 7);
    // Reports without an id got the next free ones, after the highest id imported before them.
    let id_of = |needle: &str| rep_a.iter().find(|r| r.text.contains(needle)).map(|r| r.id.clone());
    assert_eq!(id_of("kiệt 0 ").as_deref(), Some("R0000003"));
    assert_eq!(id_of("nhà số 5 ").as_deref(), Some("R0000105"));
}

#[test]
fn long_runs_of_plain_submissions_land_the_same() {
    // Runs long enough for the statements that write 16 reports' events and 32 rows at once,
    // broken by a report the classifier leaves alone (a system report) and one without an id.
    let mut reports = sample(300, 100);
    for (i, r) in reports.iter_mut().enumerate() {
        r.channel = Some(if i == 150 { Channel::System } else { Channel::Import });
        if i != 200 {
            r.id.get_or_insert_with(|| format!("R{:07}", 1000 + i));
        }
    }
    lands_like_one_by_one(reports, 1000);
}

/// A store in memory holding one report, with `id`.
fn store_holding(id: &str) -> Store {
    let mut s = Store::open_in_memory(StoreConfig::default()).expect("store");
    let taken = NewReport {
        id: Some(id.into()),
        text: "Cây đổ chắn ngang đường Lê Lợi".into(),
        ..NewReport::default()
    };
    s.execute(&Command::SubmitReport(taken).into(), &officer(), t0())
        .expect("submit");
    s
}

#[test]
fn a_refused_report_keeps_the_earlier_batches_and_nothing_of_its_own() {
    let mut s = store_holding("R0000005");
    let file: Vec<NewReport> = (1..=6)
        .chain(100..20_100)
        .map(|i| NewReport {
            id: Some(format!("R{i:07}")),
            text: format!("Ổ gà lớn trước nhà số {i} Hùng Vương"),
            ..NewReport::default()
        })
        .collect();
    let err = s
        .import_reports(file.into_iter().map(Ok), &officer(), t0(), 2, false)
        .expect_err("R0000005 exists");
    assert!(err.to_string().contains("R0000005 already exists"), "{err}");
    let (_, reports) = everything(&s);
    let mut ids: Vec<&str> = reports.iter().map(|r| r.id.as_str()).collect();
    ids.sort();
    assert_eq!(ids, ["R0000001", "R0000002", "R0000003", "R0000004", "R0000005"]);
    assert!(s.verify().expect("verify").ok());
}

#[test]
fn a_taken_id_inside_a_run_of_many_rows_is_named_and_nothing_of_its_batch_is_kept() {
    let mut s = store_holding("R0000040");
    let before = everything(&s);
    let file: Vec<NewReport> = (1..=100)
        .map(|i| NewReport {
            id: Some(format!("R{i:07}")),
            text: format!("Rác thải tràn ra lòng đường số {i} Phan Đình Phùng"),
            ..NewReport::default()
        })
        .collect();
    let err = s
        .import_reports(file.into_iter().map(Ok), &officer(), t0(), 1000, false)
        .expect_err("R0000040 exists");
    assert!(err.to_string().contains("R0000040 already exists"), "{err}");
    assert_eq!(everything(&s), before, "the batch left nothing");
    assert!(s.verify().expect("verify").ok());
}

#[test]
fn an_unreadable_line_stops_the_import_before_its_batch() {
    let mut s = Store::open_in_memory(StoreConfig::default()).expect("store");
    let mut items: Vec<Result<NewReport, StoreError>> = sample(5, 1).into_iter().map(Ok).collect();
    items.push(Err(StoreError::Io {
        path: "reports.ndjson".into(),
        message: "line 6 changed during the import".into(),
    }));
    let err = s
        .import_reports(items.into_iter(), &officer(), t0(), 100, false)
        .expect_err("stops");
    assert!(err.to_string().contains("line 6"), "{err}");
    assert_eq!(s.last_seq().expect("seq"), 0, "nothing of the batch was kept");
}

#[test]
fn a_large_first_load_writes_larger_pages_and_lands_the_same() {
    let dir = tempfile::tempdir().expect("dir");
    let reports = sample(400, 1);
    let mut held = Vec::new();
    for large in [false, true] {
        let at = dir.path().join(if large { "large" } else { "small" });
        let mut s = Store::open_dir(&at, StoreConfig::default()).expect("store");
        let n = s
            .import_reports(reports.clone().into_iter().map(Ok), &officer(), t0(), usize::MAX, large)
            .expect("import");
        assert_eq!(n, reports.len());
        assert!(s.verify().expect("verify").ok(), "replay gives the tables");
        held.push(everything(&s));
        drop(s);
        let file = rusqlite::Connection::open(at.join(iocdesk::store::DB_FILE)).expect("file");
        let size: u32 = file.query_row("PRAGMA page_size", [], |r| r.get(0)).expect("page size");
        let mode: String = file.query_row("PRAGMA journal_mode", [], |r| r.get(0)).expect("mode");
        assert_eq!(size, if large { iocdesk::store::LARGE_PAGE_SIZE } else { 4096 });
        assert_eq!(mode, "wal", "the log is back after the load");
    }
    assert_eq!(held[0], held[1]);
}
