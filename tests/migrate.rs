//! A store made by an earlier iocdesk (schema 8: report rows that carry their own words, a log
//! whose subject and kind indexes hold every event, times as RFC 3339 text) opens, migrates and
//! reads exactly as before.

use chrono::{DateTime, TimeZone, Utc};
use iocdesk::domain::query::{MAX_PAGE, ReportFilter};
use iocdesk::domain::{Actor, Command, NewReport, Reporter, Role};
use iocdesk::store::{Store, StoreConfig};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 16, 2, 0, 0)
        .single()
        .expect("valid time")
}

fn officer() -> Actor {
    Actor::new("ioc.lan", Role::Officer)
}

/// Rewrites a current store into the shape schema 8 gave it: the words back in the report rows,
/// no receipt column, the log's indexes over every event, every time as RFC 3339 text with
/// milliseconds.
fn to_schema_8(path: &std::path::Path) {
    let c = rusqlite::Connection::open(path).expect("open");
    let text = |col: &str| format!("strftime('%Y-%m-%dT%H:%M:%fZ', {col} / 1000.0, 'unixepoch')");
    let times = [
        ("events", &["at"][..]),
        (
            "cases",
            &[
                "opened_at",
                "deadline",
                "original_deadline",
                "sla_deadline",
                "acknowledged_at",
                "answered_at",
                "published_at",
                "closed_at",
                "updated_at",
            ][..],
        ),
        ("notes", &["at"][..]),
        ("cameras", &["state_since"][..]),
        ("sightings", &["seen_at"][..]),
        ("watchlist", &["added_at"][..]),
        ("camera_health", &["last_seen", "last_probe", "failing_since"][..]),
        ("reports", &["received_at", "updated_at"][..]),
    ];
    for (table, cols) in times {
        let set: Vec<String> = cols.iter().map(|c| format!("{c} = {}", text(c))).collect();
        c.execute_batch(&format!("UPDATE {table} SET {}", set.join(", ")))
            .expect("times as text");
    }
    c.execute_batch(
        "BEGIN;
         CREATE TABLE old_reports AS SELECT r.id, r.received_at, r.channel,
             json_extract(e.payload, '$.text') AS text, r.folded, r.category, r.ward, r.lat, r.lon,
             json_extract(e.payload, '$.address') AS address, json(json_extract(e.payload, '$.media')) AS media,
             r.state, r.duplicate_of, r.case_id, r.reject_reason,
             json(json_extract(e.payload, '$.reporter')) AS reporter,
             r.suggested_category, r.suggested_confidence, r.version, r.updated_by, r.updated_at
             FROM reports r JOIN events e ON e.seq = r.receipt;
         DROP TABLE reports;
         CREATE TABLE reports (
             id TEXT PRIMARY KEY, received_at TEXT NOT NULL, channel TEXT NOT NULL, text TEXT NOT NULL,
             folded TEXT NOT NULL, category TEXT, ward TEXT, lat REAL, lon REAL, address TEXT,
             media TEXT NOT NULL, state TEXT NOT NULL, duplicate_of TEXT, case_id TEXT, reject_reason TEXT,
             reporter TEXT, suggested_category TEXT, suggested_confidence REAL, version INTEGER NOT NULL,
             updated_by TEXT NOT NULL, updated_at TEXT NOT NULL);
         INSERT INTO reports SELECT * FROM old_reports;
         DROP TABLE old_reports;
         CREATE INDEX reports_received ON reports(received_at, id);
         CREATE INDEX reports_state ON reports(state, received_at, id);
         CREATE INDEX reports_ward ON reports(ward, received_at, id);
         CREATE INDEX reports_dup ON reports(duplicate_of) WHERE duplicate_of IS NOT NULL;
         CREATE INDEX reports_case ON reports(case_id) WHERE case_id IS NOT NULL;
         DROP INDEX events_subject;
         DROP INDEX events_kind_at;
         CREATE INDEX events_subject ON events(subject);
         CREATE INDEX events_kind_at ON events(kind, at);
         PRAGMA user_version = 8;
         COMMIT;",
    )
    .expect("downgrade");
}

#[test]
fn a_schema_8_store_migrates_and_reads_the_same() {
    let d = tempfile::tempdir().expect("dir");
    let path = d.path().join("iocdesk.sqlite3");
    let mut s = Store::open(&path, StoreConfig::default()).expect("store");
    for (i, text) in [
        "Rác tồn đọng ở kiệt 5 Lê Lợi, bốc mùi",
        "Den duong so 3 Hung Vuong khong sang",
        "Cây đổ chắn ngang đường Nguyễn Huệ",
    ]
    .into_iter()
    .enumerate()
    {
        let n = NewReport {
            text: text.into(),
            lat: Some(16.46 + i as f64 * 1e-3),
            lon: Some(107.59),
            address: (i == 0).then(|| "kiệt 5 Lê Lợi, phường Thuận Hóa".to_string()),
            media: vec![format!("https://media.example/{i}.jpg")],
            reporter: Some(Reporter {
                name: Some(format!("Công dân {i}")),
                phone: Some("0905000000".into()),
                ..Reporter::default()
            }),
            ..NewReport::default()
        };
        s.execute(&Command::SubmitReport(n).into(), &officer(), t0())
            .expect("submit");
    }
    for cmd in [
        Command::VerifyReport {
            id: "R0000001".into(),
            category: Some("waste".into()),
        },
        Command::Forward {
            report_id: "R0000001".into(),
            agencies: vec![],
            priority: None,
        },
    ] {
        s.execute(&cmd.into(), &officer(), t0()).expect("command");
    }
    let all = ReportFilter {
        limit: MAX_PAGE,
        ..ReportFilter::default()
    };
    let before = s.list_reports(&all, t0()).expect("reports");
    let timeline_before = s.timeline(&["R0000001".into()]).expect("timeline");
    drop(s);

    to_schema_8(&path);
    let s = Store::open(&path, StoreConfig::default()).expect("migrates");
    let version: i64 = rusqlite::Connection::open(&path)
        .expect("open")
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("version");
    assert_eq!(version, iocdesk::store::schema::MIGRATIONS.len() as i64);
    assert_eq!(s.list_reports(&all, t0()).expect("reports"), before);
    assert_eq!(s.timeline(&["R0000001".into()]).expect("timeline"), timeline_before);
    assert!(
        timeline_before
            .iter()
            .any(|e| e.data.kind() == "ReportReceived" && e.data.subject() == "R0000001"),
        "the receipt is in the timeline"
    );
    let f = ReportFilter {
        query: Some("thuan hoa".into()),
        limit: MAX_PAGE,
        ..ReportFilter::default()
    };
    let found: Vec<String> = s
        .list_reports(&f, t0())
        .expect("search")
        .into_iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(found, ["R0000001"], "the search text survives the migration");
    let v = s.verify().expect("verify");
    assert!(v.ok(), "{:?}", v.differences);
}
