//! Batch triage and the digital report, as scripts use them.

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

fn bin(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("iocdesk").expect("binary");
    c.arg("--data-dir")
        .arg(dir)
        .env("IOCDESK_CONFIG_DIR", dir.join("config"))
        .env_remove("IOCDESK_DATA_DIR");
    c
}

fn seeded() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    bin(d.path())
        .args([
            "demo",
            "seed",
            "--reports",
            "1500",
            "--seed",
            "21",
            "--until",
            "2026-11-21",
            "-q",
        ])
        .assert()
        .success();
    d
}

fn json(out: &[u8]) -> Value {
    serde_json::from_slice(out).expect("json output")
}

fn changed_ids(v: &Value) -> Vec<String> {
    let mut ids: Vec<String> = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["result"] != "unchanged")
        .map(|i| i["id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}

#[test]
fn dry_run_equals_the_change_and_a_second_run_changes_nothing() {
    let d = seeded();
    let sel = [
        "triage",
        "--status",
        "new",
        "--verify",
        "--forward",
        "hepco",
        "--output",
        "json",
    ];
    let dry = json(&bin(d.path()).args(sel).arg("--dry-run").output().unwrap().stdout);
    assert!(dry["matched"].as_u64().unwrap() > 0);
    // The dry run changed nothing.
    let again = json(&bin(d.path()).args(sel).arg("--dry-run").output().unwrap().stdout);
    assert_eq!(dry, again);
    let run = json(&bin(d.path()).args(sel).arg("--yes").output().unwrap().stdout);
    assert_eq!(changed_ids(&dry), changed_ids(&run));
    assert_eq!(dry["changed"], run["changed"]);
    // The same reports again (they are no longer new, so name them by id): nothing to do.
    let ids: Vec<String> = changed_ids(&run);
    let f = d.path().join("ids.txt");
    std::fs::write(&f, ids.join("\n")).unwrap();
    let second = json(
        &bin(d.path())
            .args(["triage", "--ids"])
            .arg(&f)
            .args(["--verify", "--forward", "hepco", "--yes", "--output", "json"])
            .output()
            .unwrap()
            .stdout,
    );
    assert_eq!(second["changed"], 0);
    assert_eq!(second["matched"].as_u64().unwrap() as usize, ids.len());
    bin(d.path()).args(["admin", "verify"]).assert().success();
}

#[test]
fn refuses_without_yes_off_a_terminal_and_rejects_bad_flags() {
    let d = seeded();
    bin(d.path())
        .args(["triage", "--status", "new", "--verify"])
        .write_stdin("")
        .assert()
        .code(2);
    bin(d.path()).args(["triage", "--status", "new"]).assert().code(2); // no action
    bin(d.path()).args(["triage", "--frobnicate"]).assert().code(2);
    bin(d.path())
        .args(["triage", "--reject", "because", "--yes"])
        .assert()
        .code(2);
    bin(d.path())
        .args(["triage", "--forward", "nobody", "--yes"])
        .assert()
        .code(2);
    bin(d.path())
        .args(["triage", "--verify", "--reject", "spam", "--yes"])
        .assert()
        .code(2);
}

#[test]
fn ndjson_streams_one_line_per_item_and_reject_works() {
    let d = seeded();
    let out = bin(d.path())
        .args([
            "triage", "--status", "new", "--limit", "5", "--reject", "spam", "--yes", "--output", "ndjson",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let lines: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 5);
    assert!(
        lines
            .iter()
            .all(|l| l["action"] == "reject" && l["result"] == "changed")
    );
    let ids: Vec<&str> = lines.iter().map(|l| l["id"].as_str().unwrap()).collect();
    let shown = json(
        &bin(d.path())
            .args(["reports", "show", ids[0], "--output", "json"])
            .output()
            .unwrap()
            .stdout,
    );
    assert_eq!(shown["report"]["state"], "rejected");
}

#[test]
fn daily_report_of_a_fixed_store_matches_its_snapshot() {
    let d = seeded();
    let md = bin(d.path())
        .args(["report", "daily", "--date", "2026-11-19"])
        .output()
        .unwrap();
    assert!(md.status.success());
    let md = String::from_utf8(md.stdout).unwrap();
    let again = String::from_utf8(
        bin(d.path())
            .args(["report", "daily", "--date", "2026-11-19"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert_eq!(md, again, "same store and date, same bytes");
    insta::assert_snapshot!("daily_report_2026_11_19", md);
    let csv = bin(d.path())
        .args(["report", "weekly", "--date", "2026-11-19", "--format", "csv"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&csv.stdout).starts_with("section,name,metric,value"));
    let js = json(
        &bin(d.path())
            .args(["report", "monthly", "--date", "2026-11-19", "--format", "json"])
            .output()
            .unwrap()
            .stdout,
    );
    assert_eq!(js["period"], "monthly");
}

#[test]
fn completions_and_man() {
    let d = tempfile::tempdir().unwrap();
    for sh in ["bash", "zsh", "fish", "powershell"] {
        let out = bin(d.path()).args(["completions", sh]).output().unwrap();
        assert!(out.status.success() && out.stdout.len() > 1000, "{sh}");
    }
    let man = bin(d.path()).arg("man").output().unwrap();
    assert!(
        String::from_utf8_lossy(&man.stdout).starts_with(".ie") || String::from_utf8_lossy(&man.stdout).contains(".TH")
    );
    bin(d.path()).args(["completions", "tcsh"]).assert().code(2);
}
