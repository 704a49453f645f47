//! HTTPS: `serve` with a certificate from a private CA made at test time, the CLI and the event
//! stream through `--remote https://… --ca-cert`, the refusal without the CA, bad certificate
//! files, and a clean stop on SIGTERM over TLS.

use assert_cmd::Command;
use chrono::{NaiveDate, Utc};
use iocdesk::demo::seed::{SeedOptions, seed};
use iocdesk::domain::query::CaseFilter;
use iocdesk::domain::{Actor, Command as Cmd, Envelope, Role};
use iocdesk::ioc::{CaCerts, Ioc, LocalIoc, RemoteIoc};
use iocdesk::server::{AppState, RateLimit, serve_tls, tls};
use iocdesk::store::tokens::TokenInfo;
use iocdesk::store::{Store, StoreConfig};
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose};
use std::path::{Path, PathBuf};
use std::time::Duration;

const SECRET: &str = "tls-admin-secret";

/// A CA, a server certificate it signed for 127.0.0.1 and localhost, and a stray key.
struct Pki {
    dir: tempfile::TempDir,
}

impl Pki {
    fn new() -> Pki {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut ca = CertificateParams::new(Vec::<String>::new()).expect("ca params");
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca.distinguished_name.push(DnType::CommonName, "iocdesk test CA");
        ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::DigitalSignature];
        let ca_key = KeyPair::generate().expect("ca key");
        let ca_cert = ca.self_signed(&ca_key).expect("ca cert");
        let issuer = Issuer::new(ca, ca_key);
        let mut leaf = CertificateParams::new(vec!["127.0.0.1".to_string(), "localhost".to_string()]).expect("leaf");
        leaf.distinguished_name.push(DnType::CommonName, "iocdesk test server");
        let leaf_key = KeyPair::generate().expect("leaf key");
        let leaf_cert = leaf.signed_by(&leaf_key, &issuer).expect("leaf cert");
        let stray = KeyPair::generate().expect("stray key");
        let write = |name: &str, text: String| std::fs::write(dir.path().join(name), text).expect("write");
        write("ca.pem", ca_cert.pem());
        write("cert.pem", leaf_cert.pem());
        write("key.pem", leaf_key.serialize_pem());
        write("stray-key.pem", stray.serialize_pem());
        write("not-pem.txt", "hello\n".into());
        Pki { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

fn bin(data: &Path) -> Command {
    let mut c = Command::cargo_bin("iocdesk").expect("binary");
    c.arg("--data-dir")
        .arg(data)
        .env("IOCDESK_CONFIG_DIR", data.join("config"))
        .env_remove("IOCDESK_DATA_DIR")
        .env_remove("IOCDESK_REMOTE")
        .env_remove("IOCDESK_TOKEN")
        .env_remove("IOCDESK_CA_CERT");
    c
}

/// A seeded store in a directory with an admin token.
fn seeded() -> (tempfile::TempDir, LocalIoc) {
    let data = tempfile::tempdir().expect("tempdir");
    let mut store = Store::open_dir(data.path(), StoreConfig::default()).expect("store");
    let o = SeedOptions {
        reports: 200,
        days: 20,
        seed: 9,
        until: NaiveDate::from_ymd_opt(2026, 11, 20).expect("date"),
    };
    seed(&mut store, &o).expect("seed");
    let info = TokenInfo {
        id: "tls1".into(),
        name: "tls-admin".into(),
        role: Role::Admin,
        agency: None,
        created_at: Utc::now(),
        expires_at: None,
        revoked_at: None,
    };
    store.create_token(&info, SECRET).expect("token");
    (data, LocalIoc::new(store, Actor::new("tester", Role::Admin)))
}

/// Serves `local` over HTTPS on 127.0.0.1:0; the server stops when the sender is dropped.
async fn serve_https(local: &LocalIoc, pki: &Pki) -> (String, tokio::sync::oneshot::Sender<()>) {
    let config = tls::server_config(&pki.path("cert.pem"), &pki.path("key.pem")).expect("tls config");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("https://{}", listener.local_addr().expect("addr"));
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let state = AppState::new(local.clone(), RateLimit::default());
    tokio::spawn(serve_tls(listener, config, state, async move {
        let _ = rx.await;
    }));
    (url, tx)
}

/// Runs the binary off the async workers (the server shares them).
async fn run(mut c: Command) -> std::process::Output {
    tokio::task::spawn_blocking(move || c.output().expect("run"))
        .await
        .expect("join")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cli_over_https_matches_local_and_needs_the_ca() {
    let pki = Pki::new();
    let (data, local) = seeded();
    let (url, _stop) = serve_https(&local, &pki).await;
    let case = local
        .cases(CaseFilter {
            limit: 1,
            ..CaseFilter::default()
        })
        .await
        .expect("cases")
        .remove(0);
    for args in [
        vec!["cases", "list", "--output", "json"],
        vec!["reports", "list", "--limit", "30"],
        vec!["cases", "show", case.id.as_str(), "--output", "json"],
    ] {
        let mut l = bin(data.path());
        l.args(&args);
        let mut r = bin(data.path());
        r.args(["--remote", url.as_str(), "--token", SECRET, "--ca-cert"])
            .arg(pki.path("ca.pem"))
            .args(&args);
        let (lo, ro) = (run(l).await, run(r).await);
        assert!(lo.status.success(), "{}", String::from_utf8_lossy(&lo.stderr));
        assert!(ro.status.success(), "{}", String::from_utf8_lossy(&ro.stderr));
        assert!(!lo.stdout.is_empty());
        assert_eq!(
            String::from_utf8_lossy(&lo.stdout),
            String::from_utf8_lossy(&ro.stdout),
            "{args:?}"
        );
    }
    // The CA through the environment works the same.
    let mut e = bin(data.path());
    e.env("IOCDESK_CA_CERT", pki.path("ca.pem"))
        .args(["--remote", url.as_str(), "--token", SECRET, "cases", "list"]);
    let eo = run(e).await;
    assert!(eo.status.success(), "{}", String::from_utf8_lossy(&eo.stderr));
    // Without the CA the server's certificate is not trusted: unreachable, exit 6, saying why.
    let mut n = bin(data.path());
    n.args(["--remote", url.as_str(), "--token", SECRET, "cases", "list"]);
    let no = run(n).await;
    assert_eq!(no.status.code(), Some(6), "{}", String::from_utf8_lossy(&no.stderr));
    let err = String::from_utf8_lossy(&no.stderr);
    assert!(err.contains("certificate"), "{err}");
    assert!(err.contains("--ca-cert"), "{err}");
    // Plain HTTP to the HTTPS port fails too (no silent downgrade).
    let mut p = bin(data.path());
    p.args([
        "--remote",
        &url.replace("https://", "http://"),
        "--token",
        SECRET,
        "cases",
        "list",
    ]);
    assert_ne!(run(p).await.status.code(), Some(0));
    // A CA file that is missing or not PEM is a usage error.
    for bad in ["missing.pem", "not-pem.txt"] {
        let mut b = bin(data.path());
        b.args(["--remote", url.as_str(), "--token", SECRET, "--ca-cert"])
            .arg(pki.path(bad))
            .args(["cases", "list"]);
        let bo = run(b).await;
        assert_eq!(bo.status.code(), Some(2), "{bad}");
        let err = String::from_utf8_lossy(&bo.stderr);
        assert!(err.contains("--ca-cert") && err.contains(bad), "{err}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn event_stream_over_https() {
    let pki = Pki::new();
    let (_data, local) = seeded();
    let (url, _stop) = serve_https(&local, &pki).await;
    let ca = CaCerts::from_pem_file(&pki.path("ca.pem")).expect("ca");
    let remote = RemoteIoc::connect_with_ca(&url, Some(SECRET.into()), ca)
        .await
        .expect("connect");
    assert_eq!(remote.actor().name, "tls-admin");
    let ioc = Ioc::Remote(remote);
    let last = ioc.counts().await.expect("counts").last_seq;
    // Resume from a few events back: the backlog first, then a live one.
    let mut rx = ioc.subscribe(last - 3);
    let case = ioc
        .cases(CaseFilter {
            limit: 1,
            ..CaseFilter::default()
        })
        .await
        .expect("cases")
        .remove(0);
    let ev = ioc
        .execute(Envelope::from(Cmd::AddNote {
            subject: case.id.clone(),
            text: "qua TLS".into(),
        }))
        .await
        .expect("note");
    let mut seen = Vec::new();
    while seen.len() < 4 {
        let e = tokio::time::timeout(Duration::from_secs(5), rx.recv())
            .await
            .expect("in time")
            .expect("open")
            .expect("event");
        seen.push(e.seq);
    }
    assert_eq!(seen, vec![last - 2, last - 1, last, ev[0].seq]);
}

#[test]
fn serve_refuses_unusable_certificate_files() {
    let pki = Pki::new();
    let data = tempfile::tempdir().expect("tempdir");
    let cases: [(&str, &str, &str); 5] = [
        ("missing.pem", "key.pem", "missing.pem"),
        ("cert.pem", "missing-key.pem", "missing-key.pem"),
        ("not-pem.txt", "key.pem", "no CERTIFICATE"),
        ("cert.pem", "not-pem.txt", "no usable PEM private key"),
        ("cert.pem", "stray-key.pem", "stray-key.pem"),
    ];
    for (cert, key, says) in cases {
        let out = bin(data.path())
            .args(["serve", "--listen", "127.0.0.1:0", "--tls-cert"])
            .arg(pki.path(cert))
            .arg("--tls-key")
            .arg(pki.path(key))
            .timeout(Duration::from_secs(20))
            .output()
            .expect("run");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{cert} {key}: {err}");
        assert!(
            err.contains("cannot serve HTTPS") && err.contains(says),
            "{cert} {key}: {err}"
        );
    }
    // A mismatched pair says so in rustls's words.
    let out = bin(data.path())
        .args(["serve", "--listen", "127.0.0.1:0", "--tls-cert"])
        .arg(pki.path("cert.pem"))
        .arg("--tls-key")
        .arg(pki.path("stray-key.pem"))
        .timeout(Duration::from_secs(20))
        .output()
        .expect("run");
    assert!(String::from_utf8_lossy(&out.stderr).contains("match"));
    // One flag without the other is refused by the parser.
    bin(data.path())
        .args(["serve", "--tls-cert"])
        .arg(pki.path("cert.pem"))
        .timeout(Duration::from_secs(20))
        .assert()
        .code(2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn https_server_stops_cleanly_on_sigterm() {
    use std::io::{BufRead, BufReader};
    let pki = Pki::new();
    let (data, local) = seeded();
    drop(local);
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("iocdesk"))
        .arg("--data-dir")
        .arg(data.path())
        .env("IOCDESK_CONFIG_DIR", data.path().join("config"))
        .args(["serve", "--listen", "127.0.0.1:0", "--tls-cert"])
        .arg(pki.path("cert.pem"))
        .arg("--tls-key")
        .arg(pki.path("key.pem"))
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    let stderr = child.stderr.take().expect("stderr");
    let mut lines = BufReader::new(stderr).lines();
    let first = tokio::task::block_in_place(|| lines.next())
        .expect("a line")
        .expect("utf-8");
    let url = first
        .split_whitespace()
        .find(|w| w.starts_with("https://"))
        .unwrap_or_else(|| panic!("no https URL in {first:?}"))
        .to_string();
    let ca = CaCerts::from_pem_file(&pki.path("ca.pem")).expect("ca");
    let ioc = Ioc::Remote(RemoteIoc::with_ca(&url, Some(SECRET.into()), ca).expect("client"));
    assert!(ioc.counts().await.expect("counts").last_seq > 0);
    // An open event stream must not hold the shutdown up.
    let mut rx = ioc.subscribe(0);
    assert!(rx.recv().await.is_some());
    let pid = i32::try_from(child.id()).expect("pid");
    assert_eq!(send_sigterm(pid), 0);
    let status = tokio::task::block_in_place(|| {
        let t = std::time::Instant::now();
        loop {
            if let Some(s) = child.try_wait().expect("wait") {
                return Some(s);
            }
            if t.elapsed() > Duration::from_secs(10) {
                let _ = child.kill();
                return None;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    });
    let status = status.expect("stopped within 10 s");
    assert_eq!(status.code(), Some(0));
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    assert!(rest.iter().any(|l| l.contains("stopped")), "{rest:?}");
}

/// Sends SIGTERM to our own child with the `kill` command (the tests use no `unsafe`).
fn send_sigterm(pid: i32) -> i32 {
    std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .map(|s| s.code().unwrap_or(1))
        .unwrap_or(1)
}
