//! Open311 through a third-party client: `tests/open311_client.py` drives the served core with
//! the `georeport` package from PyPI. Ignored by default (it needs python3 with `georeport`):
//! `cargo test --test open311_client -- --ignored`.

mod common;

use common::Harness;
use iocdesk::server::Open311Config;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs python3 with the georeport package (pip install georeport)"]
async fn georeport_client_from_pypi() {
    let dir = tempfile::tempdir().expect("tempdir");
    let h = Harness::start_with(Open311Config {
        jurisdiction: "hue.gov.vn".into(),
        media_dir: Some(dir.path().join("media")),
    })
    .await;
    let root = format!("{}/open311/v2", h.url);
    let key = h.tokens["intake"].clone();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/open311_client.py");
    let out = tokio::process::Command::new("python3")
        .arg(script)
        .arg(&root)
        .arg(&key)
        .output()
        .await
        .expect("python3 runs");
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(out.status.success(), "client failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains("ok"), "{stdout}");
}
