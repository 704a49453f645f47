//! The real binary in a real terminal (tmux): the desk opens on demo data, a hostile report is
//! shown without touching the terminal, a report is verified and forwarded with keys, `q` quits
//! with status 0, and the CLI then shows the new events; a camera's snapshot is drawn in
//! half-blocks at 80×24 under `NO_COLOR`, and a camera without one says so.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

struct Tmux {
    socket: String,
}

impl Tmux {
    fn run(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
    fn screen(&self) -> String {
        self.run(&["capture-pane", "-p", "-t", "desk"])
    }
    fn keys(&self, keys: &[&str]) {
        for k in keys {
            self.run(&["send-keys", "-t", "desk", k]);
            std::thread::sleep(Duration::from_millis(150));
        }
    }
    fn text(&self, s: &str) {
        self.run(&["send-keys", "-t", "desk", "-l", s]);
        std::thread::sleep(Duration::from_millis(300));
    }
    fn wait_for(&self, what: &str) -> bool {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(20) {
            if self.screen().contains(what) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        false
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .arg("kill-server")
            .output();
    }
}

fn iocdesk(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(assert_cmd::cargo::cargo_bin("iocdesk"))
        .arg("--data-dir")
        .arg(dir)
        .env("IOCDESK_CONFIG_DIR", dir.join("config"))
        .args(args)
        .output()
        .expect("iocdesk runs")
}

#[test]
fn a_shift_in_tmux() {
    if Command::new("tmux").arg("-V").output().is_err() {
        eprintln!("tmux is not installed: skipping the end-to-end desk test (.ci/run installs it)");
        return;
    }
    let d = tempfile::tempdir().unwrap();
    assert!(
        iocdesk(d.path(), &["demo", "seed", "--reports", "300", "--days", "30", "-q"])
            .status
            .success()
    );
    let hostile = d.path().join("hostile.ndjson");
    std::fs::write(
        &hostile,
        "{\"text\":\"Cống tràn zz-e2e \\u001b]2;OWNED\\u0007\\u001b[2J\\u202eevil\\u202c hết chỗ\",\"lat\":16.47,\"lon\":107.59}\n",
    )
    .unwrap();
    assert!(
        iocdesk(d.path(), &["import", hostile.to_str().unwrap()])
            .status
            .success()
    );
    let exit_file = d.path().join("exit");
    let t = Tmux {
        socket: format!("iocdesk-test-{}", std::process::id()),
    };
    let cmd = format!(
        "{} --data-dir {} --lang en; echo EXIT=$? > {}; sleep 30",
        assert_cmd::cargo::cargo_bin("iocdesk").display(),
        d.path().display(),
        exit_file.display()
    );
    t.run(&[
        "new-session",
        "-d",
        "-s",
        "desk",
        "-x",
        "120",
        "-y",
        "40",
        "-e",
        "TERM=xterm-256color",
        "-e",
        &format!("IOCDESK_CONFIG_DIR={}", d.path().join("config").display()),
        &cmd,
    ]);
    assert!(t.wait_for("Incident queue"), "the desk did not open:\n{}", t.screen());
    let title = t.run(&["display", "-p", "-t", "desk", "#{pane_title}"]);
    t.keys(&["2", "/"]);
    t.text("zz-e2e");
    t.keys(&["Enter"]);
    assert!(
        t.wait_for("zz-e2e"),
        "the filter did not find the report:\n{}",
        t.screen()
    );
    let screen = t.screen();
    assert!(
        screen.contains("Report triage"),
        "citizen text cleared the screen:\n{screen}"
    );
    assert!(!screen.contains("OWNED"));
    assert_eq!(
        t.run(&["display", "-p", "-t", "desk", "#{pane_title}"]),
        title,
        "citizen text retitled the pane"
    );
    // Forward to infra: the desk verifies the new report first, then forwards it.
    t.keys(&["f"]);
    t.text("infra");
    t.keys(&["Space", "Enter"]);
    assert!(t.wait_for("verified"), "not verified:\n{}", t.screen());
    t.keys(&["q"]);
    let start = Instant::now();
    while !exit_file.exists() && start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(std::fs::read_to_string(&exit_file).unwrap_or_default().trim(), "EXIT=0");
    // The CLI sees what the desk did.
    let out = iocdesk(d.path(), &["reports", "list", "--query", "zz-e2e", "--output", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let r = &v[0];
    assert_eq!(r["state"], "verified");
    let case = r["case_id"].as_str().expect("forwarded into a case");
    let shown: serde_json::Value =
        serde_json::from_slice(&iocdesk(d.path(), &["cases", "show", case, "--output", "json"]).stdout).unwrap();
    assert_eq!(shown["agencies"], serde_json::json!(["infra"]));
    let kinds: Vec<&str> = shown["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["kind"].as_str())
        .collect();
    assert!(
        kinds.contains(&"ReportVerified") && kinds.contains(&"CaseOpened"),
        "{kinds:?}"
    );
}

#[test]
fn a_camera_snapshot_in_tmux() {
    if Command::new("tmux").arg("-V").output().is_err() {
        eprintln!("tmux is not installed: skipping the end-to-end snapshot test (.ci/run installs it)");
        return;
    }
    let cam = common::camera_http::serve();
    let d = tempfile::tempdir().unwrap();
    let csv = d.path().join("cameras.csv");
    std::fs::write(
        &csv,
        format!(
            "id,name,site,kind,rtsp_url,snapshot_url,lat,lon,ward\n\
             cam-e2e,Cổng Ngăn,Cửa Ngăn,fixed,,{}/cam.png,,,\n\
             cam-e2f,Không ảnh,Cửa Ngăn,fixed,,,,,\n",
            cam.base
        ),
    )
    .unwrap();
    let out = iocdesk(d.path(), &["--no-demo", "cameras", "import", csv.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let exit_file = d.path().join("exit");
    let t = Tmux {
        socket: format!("iocdesk-snap-{}", std::process::id()),
    };
    let cmd = format!(
        "{} --data-dir {} --no-demo --lang en; echo EXIT=$? > {}; sleep 30",
        assert_cmd::cargo::cargo_bin("iocdesk").display(),
        d.path().display(),
        exit_file.display()
    );
    t.run(&[
        "new-session",
        "-d",
        "-s",
        "desk",
        "-x",
        "80",
        "-y",
        "24",
        "-e",
        "TERM=xterm-256color",
        "-e",
        "NO_COLOR=1",
        "-e",
        &format!("IOCDESK_CONFIG_DIR={}", d.path().join("config").display()),
        &cmd,
    ]);
    assert!(t.wait_for("Incident queue"), "the desk did not open:\n{}", t.screen());
    t.keys(&["3"]);
    assert!(t.wait_for("cam-e2f"), "no cameras:\n{}", t.screen());
    t.keys(&["Home", "Enter"]);
    assert!(
        t.wait_for("drawn with half-blocks"),
        "no snapshot overlay:\n{}",
        t.screen()
    );
    assert!(t.wait_for("▀") || t.screen().contains('▄'), "no image:\n{}", t.screen());
    let screen = t.screen();
    assert!(screen.contains("Cổng Ngăn (cam-e2e): snapshot"), "{screen}");
    let blocks = screen.chars().filter(|c| matches!(c, '▀' | '▄')).count();
    assert!(blocks > 200, "{blocks} half-blocks:\n{screen}");
    // The desk left tmux's passthrough alone.
    let passthrough = t.run(&["show-options", "-p", "-t", "desk", "allow-passthrough"]);
    assert!(!passthrough.contains(" on"), "{passthrough}");
    t.keys(&["Escape"]);
    let start = Instant::now();
    while t.screen().contains("): snapshot") && start.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(100));
    }
    let screen = t.screen();
    assert!(
        !screen.contains("): snapshot") && !screen.contains('▀'),
        "esc did not close it:\n{screen}"
    );
    t.keys(&["Down", "Enter"]);
    assert!(
        t.wait_for("camera cam-e2f has no snapshot URL"),
        "no error shown:\n{}",
        t.screen()
    );
    t.keys(&["q"]);
    assert!(t.wait_for("enter snapshot"), "q did not close it:\n{}", t.screen());
    t.keys(&["q"]);
    let start = Instant::now();
    while !exit_file.exists() && start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(std::fs::read_to_string(&exit_file).unwrap_or_default().trim(), "EXIT=0");
}
