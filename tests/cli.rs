//! The CLI as scripts meet it: exit codes, import validation, crash safety.

use assert_cmd::Command;
use std::io::Write;

fn bin(dir: &std::path::Path) -> Command {
    let mut c = Command::cargo_bin("iocdesk").expect("binary");
    c.arg("--data-dir")
        .arg(dir)
        .env("IOCDESK_CONFIG_DIR", dir.join("config"))
        .env_remove("IOCDESK_DATA_DIR");
    c
}

fn count_reports(dir: &std::path::Path) -> usize {
    let out = bin(dir)
        .args(["reports", "list", "--limit", "1000000", "--output", "ndjson"])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).lines().count()
}

#[test]
fn bad_import_is_refused_with_five_line_numbered_errors() {
    let d = tempfile::tempdir().unwrap();
    let f = d.path().join("bad.ndjson");
    let mut w = std::fs::File::create(&f).unwrap();
    let good = r#"{"text":"Rác tồn đọng ở kiệt 5 Lê Lợi","lat":16.46,"lon":107.59,"category":"waste"}"#;
    writeln!(w, "{good}").unwrap();
    writeln!(w, r#"{{"text": "broken json""#).unwrap();
    writeln!(w, r#"{{"text":"","lat":16.46,"lon":107.59}}"#).unwrap();
    writeln!(w, r#"{{"text":"Vi tri sai","lat":200,"lon":107.59}}"#).unwrap();
    writeln!(
        w,
        r#"{{"text":"Loai khong co","lat":16.46,"lon":107.59,"category":"no_such_category"}}"#
    )
    .unwrap();
    w.write_all(b"{\"text\": \"bad utf8 \xff\xfe here\", \"lat\": 16.46, \"lon\": 107.59}\n")
        .unwrap();
    writeln!(w, "{good}").unwrap();
    drop(w);
    let out = bin(d.path()).arg("import").arg(&f).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    for (line, what) in [
        (2, "malformed JSON"),
        (3, "text is empty"),
        (4, "lat 200"),
        (5, "unknown category"),
        (6, "invalid UTF-8"),
    ] {
        assert!(
            err.contains(&format!("line {line}: {what}")),
            "line {line} not reported as {what}:\n{err}"
        );
    }
    assert_eq!(count_reports(d.path()), 0, "nothing imported");
    // With --skip-invalid the two good lines are kept.
    bin(d.path())
        .arg("import")
        .arg(&f)
        .arg("--skip-invalid")
        .assert()
        .success();
    assert_eq!(count_reports(d.path()), 2);
}

#[test]
fn exit_codes() {
    let d = tempfile::tempdir().unwrap();
    bin(d.path())
        .args(["demo", "seed", "--reports", "200", "--days", "20"])
        .assert()
        .success();
    bin(d.path()).args(["reports", "show", "NO-SUCH"]).assert().code(3);
    bin(d.path()).args(["cases", "show", "NO-SUCH"]).assert().code(3);
    bin(d.path()).args(["reports", "list", "--bogus"]).assert().code(2);
    bin(d.path())
        .args(["reports", "list", "--ward", "Atlantis"])
        .assert()
        .code(2);
    bin(d.path())
        .args(["cases", "list", "--status", "nope"])
        .assert()
        .code(2);
    bin(d.path()).args(["admin", "verify"]).assert().success();
    // Folded search on the ward's old name.
    let out = bin(d.path())
        .args(["reports", "list", "--ward", "phu hoi", "--output", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v.as_array().unwrap().iter().all(|r| r["ward"] == "thuan-hoa"));
}

/// Writes an import file of `n` reports without ids.
fn big_import_file(dir: &std::path::Path, n: usize) -> std::path::PathBuf {
    let f = dir.join("big.ndjson");
    let mut w = std::io::BufWriter::new(std::fs::File::create(&f).unwrap());
    for i in 0..n {
        writeln!(
            w,
            r#"{{"text":"Đèn đường số {i} không sáng, tối om","lat":16.46,"lon":107.59}}"#
        )
        .unwrap();
    }
    f
}

/// Writes an import file of one report.
fn one_report_file(dir: &std::path::Path) -> std::path::PathBuf {
    let f = dir.join("one.ndjson");
    std::fs::write(
        &f,
        "{\"text\":\"Rác ùn ứ ở chợ Đông Ba\",\"lat\":16.47,\"lon\":107.58}\n",
    )
    .unwrap();
    f
}

/// Starts `iocdesk import FILE` and kills it once `started` says it is under way.
fn kill_import_when(dir: &std::path::Path, file: &std::path::Path, started: impl Fn() -> bool) {
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("iocdesk"))
        .arg("--data-dir")
        .arg(dir)
        .env("IOCDESK_CONFIG_DIR", dir.join("config"))
        .arg("import")
        .arg(file)
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while !started() && start.elapsed().as_secs() < 120 {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    child.kill().unwrap();
    let _ = child.wait();
}

#[test]
fn a_killed_import_leaves_a_consistent_store() {
    let d = tempfile::tempdir().unwrap();
    // A store that holds a report already: the import commits batches of 20,000.
    let one = one_report_file(d.path());
    bin(d.path()).arg("import").arg(&one).assert().success();
    let f = big_import_file(d.path(), 200_000);
    // Killed once the first batch is committed.
    kill_import_when(d.path(), &f, || count_reports(d.path()) > 1);
    let n = count_reports(d.path()) - 1;
    assert!(
        n < 200_000,
        "the import finished before the kill ({n}); make the file bigger"
    );
    assert_eq!(n % 20_000, 0, "only whole batches are committed: {n}");
    bin(d.path()).args(["admin", "verify"]).assert().success();
}

#[test]
fn a_killed_first_load_leaves_an_empty_store() {
    let d = tempfile::tempdir().unwrap();
    let f = big_import_file(d.path(), 200_000);
    // A first load is one transaction: killed once its pages spill into the file, well under way.
    let db = d.path().join("iocdesk.sqlite3");
    kill_import_when(d.path(), &f, || {
        std::fs::metadata(&db).is_ok_and(|m| m.len() > 16 << 20)
    });
    assert!(
        std::fs::metadata(&db).unwrap().len() > 16 << 20,
        "the import wrote nothing before the kill"
    );
    assert_eq!(count_reports(d.path()), 0, "a killed first load leaves nothing");
    bin(d.path()).args(["admin", "verify"]).assert().success();
    let again = one_report_file(d.path());
    bin(d.path()).arg("import").arg(&again).assert().success();
    assert_eq!(count_reports(d.path()), 1);
}

#[test]
fn a_bad_routing_file_in_the_config_dir_is_refused_with_its_line() {
    let d = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(d.path().join("config")).unwrap();
    std::fs::write(
        d.path().join("config/routing.toml"),
        "[category.waste]\nagencies = [\"hepco\"]\n\n[category.roads]\nagencies = [\"nobody\"]\n",
    )
    .unwrap();
    let out = bin(d.path()).args(["reports", "list"]).output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("routing.toml") && err.contains("line 5"), "{err}");
    assert!(err.contains("unknown agency `nobody`"), "{err}");
}

#[test]
fn an_import_into_an_empty_store_leaves_it_in_wal_mode_with_every_line() {
    let d = tempfile::tempdir().unwrap();
    let f = d.path().join("r.ndjson");
    let mut w = std::io::BufWriter::new(std::fs::File::create(&f).unwrap());
    // Big enough for the two-thread check (over 1 MiB), with a repeated id near the end.
    for i in 0..12_000 {
        let id = if i == 11_999 { 7 } else { i + 1 };
        writeln!(
            w,
            r#"{{"id":"R{id:07}","text":"Cống thoát nước số {i} bị tắc, nước tràn lên mặt đường Trần Hưng Đạo","lat":16.47,"lon":107.58}}"#
        )
        .unwrap();
    }
    drop(w);
    let out = bin(d.path()).arg("import").arg(&f).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("line 12000: report id R0000007 appears twice"), "{err}");
    bin(d.path())
        .args(["import", "--skip-invalid"])
        .arg(&f)
        .assert()
        .success();
    assert_eq!(count_reports(d.path()), 11_999);
    let db = rusqlite::Connection::open(d.path().join("iocdesk.sqlite3")).unwrap();
    let mode: String = db.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
    bin(d.path()).args(["admin", "verify"]).assert().success();
}
