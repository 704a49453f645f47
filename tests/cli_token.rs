//! `iocdesk token` and the commands that refuse `--remote`, through the real binary.

use assert_cmd::Command;

fn iocdesk(dir: &std::path::Path) -> Command {
    let mut c = Command::cargo_bin("iocdesk").expect("binary");
    c.env_remove("IOCDESK_REMOTE")
        .env_remove("IOCDESK_TOKEN")
        .arg("--data-dir")
        .arg(dir)
        .arg("--no-demo");
    c
}

#[test]
fn tokens_are_created_listed_and_revoked() {
    let d = tempfile::tempdir().expect("tempdir");
    let out = iocdesk(d.path())
        .args([
            "token",
            "create",
            "--role",
            "officer",
            "--name",
            "desk-1",
            "--expires",
            "30d",
            "--output",
            "json",
        ])
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let keys: Vec<&str> = v.as_object().expect("object").keys().map(String::as_str).collect();
    assert_eq!(keys, ["agency", "expires_at", "id", "role", "token"]);
    assert!(out.stdout.starts_with(br#"{"id":"#), "fields in the documented order");
    let id = v["id"].as_str().expect("id").to_string();
    let token = v["token"].as_str().expect("token").to_string();
    assert!(token.len() >= 32);
    let list = iocdesk(d.path())
        .args(["token", "list", "--output", "json"])
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&list.stdout);
    assert!(text.contains(&id) && text.contains("desk-1"));
    assert!(!text.contains(&token), "the secret is never shown again");
    iocdesk(d.path()).args(["token", "revoke", &id]).assert().success();
    iocdesk(d.path()).args(["token", "revoke", "nope"]).assert().code(3);
    iocdesk(d.path())
        .args(["token", "create", "--role", "mayor"])
        .assert()
        .code(2);
    iocdesk(d.path())
        .args(["token", "create", "--role", "officer", "--agency", "nowhere"])
        .assert()
        .code(2);
}

#[test]
fn local_only_commands_refuse_remote() {
    let d = tempfile::tempdir().expect("tempdir");
    for args in [
        vec!["export"],
        vec!["admin", "verify"],
        vec!["token", "list"],
        vec!["serve", "--listen", "127.0.0.1:0"],
    ] {
        iocdesk(d.path())
            .args(["--remote", "http://127.0.0.1:9"])
            .args(&args)
            .assert()
            .code(2);
    }
    // Nothing listens on port 9: the remote is unreachable.
    iocdesk(d.path())
        .args(["--remote", "http://127.0.0.1:9", "--token", "x", "reports", "list"])
        .assert()
        .code(6);
}
