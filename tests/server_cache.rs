//! The server's read path on a store file: pooled read connections, cached queue pages and
//! remembered tokens must never show a state older than the last commit — whether the commit came
//! through the server or from another process writing the same file.

use chrono::{NaiveDate, Utc};
use iocdesk::demo::seed::{SeedOptions, seed};
use iocdesk::domain::query::{CaseFilter, CaseSort};
use iocdesk::domain::{Actor, Command, Envelope, Role};
use iocdesk::ioc::{Ioc, IocError, LocalIoc, RemoteIoc};
use iocdesk::server::{AppState, RateLimit, serve};
use iocdesk::store::tokens::TokenInfo;
use iocdesk::store::{Store, StoreConfig};
use std::time::Duration;

fn token(id: &str, role: Role) -> TokenInfo {
    TokenInfo {
        id: id.into(),
        name: format!("cache-{id}"),
        role,
        agency: None,
        created_at: Utc::now(),
        expires_at: None,
        revoked_at: None,
    }
}

fn queue() -> CaseFilter {
    CaseFilter {
        open: true,
        sort: CaseSort::Deadline,
        limit: 50,
        ..CaseFilter::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_and_tokens_follow_every_commit() {
    let data = tempfile::tempdir().expect("tempdir");
    let mut store = Store::open_dir(data.path(), StoreConfig::default()).expect("store");
    let o = SeedOptions {
        reports: 200,
        days: 20,
        seed: 5,
        until: NaiveDate::from_ymd_opt(2026, 11, 20).expect("date"),
    };
    seed(&mut store, &o).expect("seed");
    store
        .create_token(&token("a", Role::Officer), "secret-a")
        .expect("token");
    store
        .create_token(&token("b", Role::Viewer), "secret-b")
        .expect("token");
    let local = LocalIoc::new(store, Actor::new("tester", Role::Admin));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let (_stop, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(serve(
        listener,
        AppState::new(local.clone(), RateLimit::default()),
        async move {
            let _ = rx.await;
        },
    ));
    let remote = Ioc::Remote(RemoteIoc::new(&url, Some("secret-a".into())).expect("client"));
    let page = remote.cases(queue()).await.expect("page");
    assert_eq!(page, local.cases(queue()).await.expect("local page"));
    assert_eq!(
        remote.cases(queue()).await.expect("again"),
        page,
        "a repeat is the same"
    );

    // The page carries an ETag; sent back, an unchanged page is 304 with no body.
    let http = reqwest::Client::new();
    let page_url = format!("{url}/api/v1/cases?open=true&limit=50");
    let get = |etag: Option<String>| {
        let mut rb = http.get(&page_url).bearer_auth("secret-a");
        if let Some(t) = etag {
            rb = rb.header("if-none-match", t);
        }
        rb.send()
    };
    let first_get = get(None).await.expect("get");
    assert_eq!(first_get.status().as_u16(), 200);
    let etag = first_get.headers()["etag"].to_str().expect("ascii").to_string();
    let unchanged = get(Some(etag.clone())).await.expect("get");
    assert_eq!(unchanged.status().as_u16(), 304);
    assert!(unchanged.bytes().await.expect("body").is_empty());
    assert_eq!(
        get(Some("W/\"other\"".into())).await.expect("get").status().as_u16(),
        200
    );

    // A claim through the server: the next page shows it at once.
    let first = page[0].clone();
    remote
        .execute(Envelope {
            command: Command::Claim {
                case_id: first.id.clone(),
            },
            expected_version: Some(first.version),
        })
        .await
        .expect("claim");
    let after = remote.cases(queue()).await.expect("page");
    let seen = after.iter().find(|c| c.id == first.id).expect("still open");
    assert_eq!(seen.claimed_by.as_deref(), Some("cache-a"));
    assert_eq!(after, local.cases(queue()).await.expect("local page"));
    let changed = get(Some(etag.clone())).await.expect("get");
    assert_eq!(changed.status().as_u16(), 200, "a changed page is sent again");
    assert_ne!(changed.headers()["etag"].to_str().expect("ascii"), etag);
    let counts = remote.counts().await.expect("counts");

    // Another process's commit on the same file (a second connection here): seen at once too.
    let mut other = Store::open_dir(data.path(), StoreConfig::default()).expect("second writer");
    other
        .execute(
            &Envelope::from(Command::Release {
                case_id: first.id.clone(),
            }),
            &Actor::new("elsewhere", Role::Supervisor),
            Utc::now(),
        )
        .expect("release");
    let later = remote.cases(queue()).await.expect("page");
    let moved = later.iter().find(|c| c.id == first.id).expect("still open");
    assert_eq!(moved.claimed_by, None, "the other process's release shows");
    assert!(moved.version > seen.version);
    assert_eq!(remote.counts().await.expect("counts").last_seq, counts.last_seq + 1);

    // Viewers get their own answers (reporters hidden), never an officer's cached one.
    let viewer = Ioc::Remote(RemoteIoc::new(&url, Some("secret-b".into())).expect("client"));
    let rf = iocdesk::domain::query::ReportFilter {
        limit: 20,
        ..Default::default()
    };
    let officer_reports = remote.reports(rf.clone()).await.expect("reports");
    let viewer_reports = viewer.reports(rf).await.expect("reports");
    assert!(officer_reports.iter().any(|r| r.reporter.is_some()));
    assert!(viewer_reports.iter().all(|r| r.reporter.is_none()));

    // A token revoked by another process is refused within the remembered-token lifetime.
    other.revoke_token("a", Utc::now()).expect("revoke");
    tokio::time::sleep(iocdesk::server::TOKEN_TTL + Duration::from_millis(200)).await;
    assert!(matches!(remote.counts().await, Err(IocError::Unauthorized(_))));
    // One revoked through the server's own core is refused at once.
    assert!(viewer.counts().await.is_ok());
    local.revoke_token("b").expect("revoke");
    assert!(matches!(viewer.counts().await, Err(IocError::Unauthorized(_))));
}
