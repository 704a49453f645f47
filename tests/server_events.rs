//! The event stream and the limits: SSE resume, reconnect after a restart, agency scope on the
//! log, and the per-token rate limit.

mod common;

use common::*;
use iocdesk::domain::query::CaseFilter;
use iocdesk::ioc::{Ioc, RemoteIoc};
use iocdesk::server::{AppState, RateLimit, serve};
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn event_stream_resumes_and_follows() {
    let h = Harness::start().await;
    let r = h.remote("officer");
    let mut rx = r.subscribe(10);
    for want in 11..=13u64 {
        let e = tokio::time::timeout(Duration::from_secs(5), rx.recv())
            .await
            .expect("in time")
            .expect("open")
            .expect("event");
        assert_eq!(e.seq, want);
    }
    drop(rx);
    let last = r.counts().await.expect("counts").last_seq;
    let mut rx = r.subscribe(last);
    let c = r
        .cases(CaseFilter {
            limit: 50,
            ..CaseFilter::default()
        })
        .await
        .expect("cases")
        .remove(0);
    r.execute(note(&c.id, None)).await.expect("note");
    let e = tokio::time::timeout(Duration::from_secs(5), rx.recv())
        .await
        .expect("in time")
        .expect("open")
        .expect("event");
    assert_eq!(e.seq, last + 1);
    assert_eq!(e.actor, "test-officer");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_reconnects_and_resumes_after_a_restart() {
    let h = Harness::start().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let first = tokio::spawn(serve(
        listener,
        AppState::new(h.local.clone(), RateLimit::default()),
        async move {
            let _ = rx.await;
        },
    ));
    let r = RemoteIoc::connect(&format!("http://{addr}"), h.tokens.get("officer").cloned())
        .await
        .expect("connect");
    assert_eq!(r.actor().name, "test-officer");
    let last = r.counts().await.expect("counts").last_seq;
    let mut events = Ioc::Remote(r.clone()).subscribe(last - 2);
    assert_eq!(next_seq(&mut events).await, last - 1);
    assert_eq!(next_seq(&mut events).await, last);
    // Stop the server, write while it is down, start it again on the same address.
    let _ = tx.send(());
    first.await.expect("join").expect("serve");
    let c = h
        .local
        .cases(CaseFilter {
            limit: 1,
            ..CaseFilter::default()
        })
        .await
        .expect("cases")
        .remove(0);
    h.local.execute(note(&c.id, None)).await.expect("note");
    let listener = tokio::net::TcpListener::bind(addr).await.expect("rebind");
    let (_tx2, rx2) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(serve(
        listener,
        AppState::new(h.local.clone(), RateLimit::default()),
        async move {
            let _ = rx2.await;
        },
    ));
    assert_eq!(
        next_seq(&mut events).await,
        last + 1,
        "resumed without gap or duplicate"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limit_answers_429() {
    let h = Harness::start().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let rate = RateLimit {
        burst: 5.0,
        per_second: 0.1,
    };
    let (_tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(serve(listener, AppState::new(h.local.clone(), rate), async move {
        let _ = rx.await;
    }));
    let tok = h.tokens["viewer"].clone();
    let mut codes = Vec::new();
    for _ in 0..7 {
        codes.push(status(&format!("{url}/api/v1/counts"), "GET", Some(&tok), None).await);
    }
    assert_eq!(codes, [200, 200, 200, 200, 200, 429, 429]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn agency_tokens_see_only_their_cases_events() {
    let h = Harness::start().await;
    let admin = h.local_as("admin");
    let all = admin.events_after(0, 1000).await.expect("log");
    let unit = h.remote("unit");
    let mine = unit.events_after(0, 1000).await.expect("log");
    assert!(
        !mine.is_empty() && mine.len() < all.len(),
        "{} of {}",
        mine.len(),
        all.len()
    );
    let visible = |subject: String| {
        let admin = admin.clone();
        let agency = h.agency.clone();
        async move {
            let case_id = match admin.report(&subject).await {
                Ok(d) => d.report.case_id,
                Err(_) => Some(subject),
            };
            match case_id {
                Some(c) => admin.case(&c).await.is_ok_and(|d| d.case.agencies.contains(&agency)),
                None => false,
            }
        }
    };
    for e in &mine {
        assert!(visible(e.data.subject().to_string()).await, "{} leaked", e.seq);
    }
    let mut rx = unit.subscribe(0);
    for e in mine.iter().take(20) {
        let got = tokio::time::timeout(Duration::from_secs(5), rx.recv())
            .await
            .expect("in time")
            .expect("open")
            .expect("event");
        assert_eq!(&got, e);
    }
}
