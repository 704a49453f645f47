//! The demo city: the same options give the same store, replay rebuilds it exactly, and its
//! reports and cases have the shares of DOMAIN.md's published figures.

use chrono::NaiveDate;
use iocdesk::demo::seed::{SeedOptions, SeedSummary, seed};
use iocdesk::store::{Store, StoreConfig};
use rusqlite::Connection;
use std::path::Path;

fn options(seed: u64) -> SeedOptions {
    SeedOptions {
        reports: 5000,
        days: 90,
        seed,
        until: NaiveDate::from_ymd_opt(2026, 11, 20).expect("date"),
    }
}

/// Seeds a store in `dir`, checks that replaying its log gives exactly its tables, and opens it
/// for reading.
fn seeded(dir: &Path, o: &SeedOptions) -> (SeedSummary, Connection) {
    let mut store = Store::open_dir(dir, StoreConfig::default()).expect("store");
    let summary = seed(&mut store, o).expect("seed");
    let v = store.verify().expect("verify");
    assert!(v.ok(), "replay differs: {:?}", v.differences);
    drop(store);
    let c = Connection::open(dir.join("iocdesk.sqlite3")).expect("open");
    (summary, c)
}

/// Every row of `table`, in its key's order, as text.
fn rows(c: &Connection, table: &str, key: &str) -> Vec<String> {
    let mut st = c
        .prepare(&format!("SELECT * FROM {table} ORDER BY {key}"))
        .expect("query");
    let n = st.column_count();
    st.query_map([], |r| {
        (0..n)
            .map(|i| r.get::<_, rusqlite::types::Value>(i).map(|v| format!("{v:?}")))
            .collect::<Result<Vec<_>, _>>()
            .map(|v| v.join("|"))
    })
    .expect("rows")
    .collect::<Result<_, _>>()
    .expect("row")
}

fn count(c: &Connection, sql: &str) -> f64 {
    c.query_row(sql, [], |r| r.get::<_, i64>(0)).expect(sql) as f64
}

fn counts_by(c: &Connection, sql: &str) -> Vec<(String, i64)> {
    let mut st = c.prepare(sql).expect(sql);
    st.query_map([], |r| {
        Ok((r.get::<_, Option<String>>(0)?.unwrap_or_default(), r.get(1)?))
    })
    .expect(sql)
    .collect::<Result<_, _>>()
    .expect(sql)
}

fn tables(c: &Connection) -> Vec<Vec<String>> {
    [
        ("events", "seq"),
        ("reports", "id"),
        ("cases", "id"),
        ("notes", "rowid"),
    ]
    .iter()
    .map(|(t, k)| rows(c, t, k))
    .collect()
}

#[test]
fn the_same_options_give_the_same_city_and_another_seed_another() {
    let (a, b, other) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    let (sa, ca) = seeded(a.path(), &options(1));
    let (sb, cb) = seeded(b.path(), &options(1));
    assert_eq!(serde_json::to_value(&sa).unwrap(), serde_json::to_value(&sb).unwrap());
    let ta = tables(&ca);
    assert!(ta[0].len() as u64 == sa.events && ta[1].len() == 5000, "{sa:?}");
    assert!(ta == tables(&cb), "two seeds with the same options differ");
    let (_, co) = seeded(other.path(), &options(2));
    assert!(tables(&co)[1] != ta[1], "another seed gave the same reports");
}

#[test]
fn the_city_has_the_published_shares() {
    let d = tempfile::tempdir().unwrap();
    let (summary, c) = seeded(d.path(), &options(1));
    assert_eq!(summary.reports, 5000);

    // Every state of a report and of a case is there.
    let states: Vec<String> = counts_by(&c, "SELECT state, count(*) FROM reports GROUP BY 1")
        .into_iter()
        .map(|(s, _)| s)
        .collect();
    assert_eq!(states, ["duplicate", "new", "rejected", "verified"]);
    let case_states: Vec<String> = counts_by(&c, "SELECT state, count(*) FROM cases GROUP BY 1")
        .into_iter()
        .map(|(s, _)| s)
        .collect();
    assert_eq!(
        case_states,
        [
            "acknowledged",
            "answered",
            "closed",
            "forwarded",
            "in_progress",
            "published",
            "returned"
        ]
    );
    let reasons = counts_by(
        &c,
        "SELECT reject_reason, count(*) FROM reports WHERE state = 'rejected' GROUP BY 1",
    );
    assert!(reasons.len() >= 4, "{reasons:?}");

    // About two thirds of the decided reports pass verification (duplicates are valid reports).
    let decided = count(&c, "SELECT count(*) FROM reports WHERE state <> 'new'");
    let valid = count(
        &c,
        "SELECT count(*) FROM reports WHERE state IN ('verified', 'duplicate')",
    );
    let share = valid / decided;
    assert!((0.60..=0.72).contains(&share), "valid share {share}");

    // About 97% of the cases whose deadline has passed are answered.
    let end = "(SELECT max(received_at) FROM reports)";
    let due = count(
        &c,
        &format!("SELECT count(*) FROM cases WHERE sla_deadline < {end} - 3 * 86400000"),
    );
    let answered = count(
        &c,
        &format!("SELECT count(*) FROM cases WHERE sla_deadline < {end} - 3 * 86400000 AND answered_at IS NOT NULL"),
    );
    let share = answered / due;
    assert!(
        due > 1000.0 && (0.93..=0.995).contains(&share),
        "answered share {share} of {due}"
    );

    // Roughly half answered on time without an extension, most of the rest with one.
    let judged = count(&c, "SELECT count(*) FROM cases WHERE verdict IS NOT NULL");
    let on_time = count(&c, "SELECT count(*) FROM cases WHERE verdict = 'on_time'") / judged;
    let late = count(&c, "SELECT count(*) FROM cases WHERE verdict = 'late'") / judged;
    assert!((0.45..=0.70).contains(&on_time), "on time {on_time}");
    assert!((0.01..=0.10).contains(&late), "late {late}");

    // 80–90% of the ratings are satisfied (4 or 5).
    let rated = count(&c, "SELECT count(*) FROM cases WHERE rating IS NOT NULL");
    let satisfied = count(&c, "SELECT count(*) FROM cases WHERE rating >= 4") / rated;
    assert!(
        rated > 500.0 && (0.80..=0.90).contains(&satisfied),
        "satisfied {satisfied}"
    );

    // Some cases are overdue at the end, and some reports still wait for verification.
    let overdue = count(
        &c,
        &format!("SELECT count(*) FROM cases WHERE answered_at IS NULL AND deadline < {end}"),
    );
    assert!(overdue > 0.0);

    // Every ward and every category of a valid report.
    assert_eq!(count(&c, "SELECT count(DISTINCT ward) FROM reports"), 11.0);
    assert_eq!(count(&c, "SELECT count(DISTINCT category) FROM cases"), 11.0);
}
