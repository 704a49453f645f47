//! The server and the remote client together: contract (local == remote), authorization
//! matrix, named command routes, and hostile bodies that must never get a 5xx.

mod common;

use chrono::Utc;
use common::*;
use iocdesk::domain::query::{CaseFilter, ReportFilter};
use iocdesk::domain::{Command, Envelope};
use iocdesk::ioc::{Ioc, IocError, RemoteIoc};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn remote_answers_like_local() {
    let h = Harness::start().await;
    for key in ["admin", "viewer", "unit"] {
        let (l, r) = (h.local_as(key), h.remote(key));
        let f = ReportFilter {
            limit: 2500,
            ..ReportFilter::default()
        };
        let (lr, rr) = (l.reports(f.clone()).await, r.reports(f.clone()).await);
        assert_eq!(lr, rr, "reports as {key}");
        assert_eq!(l.count_reports(f.clone()).await, r.count_reports(f).await);
        let f = CaseFilter {
            limit: 1200,
            ..CaseFilter::default()
        };
        let lc = l.cases(f.clone()).await.expect("cases");
        assert_eq!(Ok(lc.clone()), r.cases(f).await, "cases as {key}");
        let c = &lc[0];
        assert_eq!(l.case(&c.id).await, r.case(&c.id).await);
        assert_eq!(l.report(&c.report_ids[0]).await, r.report(&c.report_ids[0]).await);
        assert!(matches!(r.report("R9999999").await, Err(IocError::NotFound(_))));
        assert!(matches!(r.case("C/../x y").await, Err(IocError::NotFound(_))));
    }
    // Duplicate candidates: the same from both sides, for IOC staff only.
    let some = h
        .local_as("admin")
        .reports(ReportFilter {
            limit: 50,
            ..ReportFilter::default()
        })
        .await
        .expect("reports");
    for rep in some.iter().filter(|r| r.lat.is_some()).take(10) {
        let l = h.local_as("admin").duplicate_candidates(&rep.id).await;
        let r = h.remote("admin").duplicate_candidates(&rep.id).await;
        assert_eq!(l, r, "duplicates of {}", rep.id);
    }
    assert!(matches!(
        h.remote("admin").duplicate_candidates("R9999999").await,
        Err(IocError::NotFound(_))
    ));
    // Filters travel: ward by name, states, paging.
    let f = ReportFilter {
        ward: Some("phu-xuan".into()),
        states: vec![iocdesk::domain::ReportState::Verified],
        offset: 3,
        limit: 7,
        ..ReportFilter::default()
    };
    assert_eq!(
        h.local_as("admin").reports(f.clone()).await,
        h.remote("admin").reports(f).await
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commands_and_conflicts_match() {
    let h = Harness::start().await;
    let r = h.remote("officer");
    let c = r
        .cases(CaseFilter {
            limit: 50,
            ..CaseFilter::default()
        })
        .await
        .expect("cases")
        .remove(0);
    let ev = r.execute(note(&c.id, Some(c.version))).await.expect("note");
    assert!(!ev.is_empty());
    assert!(
        ev.iter().all(|e| e.actor == "test-officer"),
        "the token's name is the actor"
    );
    // A claim moves the version on; the old version is then stale for both cores alike.
    let claim = |v| Envelope {
        command: Command::Claim { case_id: c.id.clone() },
        expected_version: Some(v),
    };
    r.execute(claim(c.version)).await.expect("claim");
    let remote_err = r.execute(claim(c.version)).await;
    let local_err = h.local_as("admin").execute(claim(c.version)).await;
    let (Err(re), Err(le)) = (remote_err, local_err) else {
        panic!("a stale version must fail");
    };
    assert_eq!(re.exit_code(), le.exit_code());
    assert_eq!(re.exit_code(), 4, "{re}");
    let batch = r
        .execute_many(vec![note(&c.id, None), note("C9999999", None)])
        .await
        .expect("batch");
    assert!(batch[0].is_ok());
    assert!(batch[1].is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn authorization_matrix() {
    let h = Harness::start().await;
    let case = h
        .local
        .cases(CaseFilter {
            limit: 50,
            ..CaseFilter::default()
        })
        .await
        .expect("cases")
        .remove(0);
    let report = r#"{"text":"Đèn đường hỏng trên đường Lê Lợi","lat":16.46,"lon":107.59}"#;
    let cmd = format!(r#"{{"command":"add_note","subject":"{}","text":"ok"}}"#, case.id);
    let routes: Vec<(&str, String, Option<&str>)> = vec![
        ("GET", "/api/v1/reports".into(), None),
        ("GET", "/api/v1/cases".into(), None),
        ("GET", "/api/v1/counts".into(), None),
        ("GET", format!("/api/v1/cases/{}", case.id), None),
        ("POST", "/api/v1/reports".into(), Some(report)),
        ("POST", "/api/v1/commands".into(), Some(cmd.as_str())),
    ];
    // Expected status per role, in route order.
    let table: [(&str, [u16; 6]); 4] = [
        ("viewer", [200, 200, 200, 200, 403, 403]),
        ("officer", [200, 200, 200, 200, 201, 200]),
        ("admin", [200, 200, 200, 200, 201, 200]),
        ("supervisor", [200, 200, 200, 200, 201, 200]),
    ];
    for (key, want) in table {
        for ((m, path, body), w) in routes.iter().zip(want) {
            let got = status(
                &format!("{}{path}", h.url),
                m,
                h.tokens.get(key).map(String::as_str),
                *body,
            )
            .await;
            assert_eq!(got, w, "{key} {m} {path}");
        }
    }
    for (m, path, body) in &routes {
        let url = format!("{}{path}", h.url);
        assert_eq!(status(&url, m, None, *body).await, 401, "no token {m} {path}");
        assert_eq!(status(&url, m, Some("wrong"), *body).await, 401, "bad token");
        assert_eq!(status(&url, m, Some("secret-expired"), *body).await, 401, "expired");
    }
    // Unauthenticated client errors map to exit 5; an agency token sees only its cases.
    let none = Ioc::Remote(RemoteIoc::new(&h.url, None).expect("client"));
    assert_eq!(none.counts().await.map_err(|e| e.exit_code()), Err(5));
    let unit = h.remote("unit");
    let cases = unit
        .cases(CaseFilter {
            limit: 1000,
            ..CaseFilter::default()
        })
        .await
        .expect("cases");
    assert!(cases.iter().all(|c| c.agencies.contains(&h.agency)));
    let reports = unit
        .reports(ReportFilter {
            limit: 500,
            ..ReportFilter::default()
        })
        .await
        .expect("reports");
    assert!(reports.iter().all(|r| r.reporter.is_none()));
    let other = h
        .local
        .cases(CaseFilter {
            limit: 1000,
            ..CaseFilter::default()
        })
        .await
        .expect("cases")
        .into_iter()
        .find(|c| !c.agencies.contains(&h.agency));
    if let Some(o) = other {
        assert!(matches!(unit.case(&o.id).await, Err(IocError::NotFound(_))));
    }
    let n = iocdesk::domain::NewReport {
        text: "cây đổ".into(),
        ..Default::default()
    };
    assert!(matches!(unit.submit(n).await, Err(IocError::Forbidden(_))));
    // Revoking a token locks it out at once.
    h.local
        .blocking(|s| s.revoke_token("t1", Utc::now()))
        .expect("lock")
        .expect("revoke");
    assert!(matches!(
        h.remote("officer").counts().await,
        Err(IocError::Unauthorized(_))
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_input_never_gets_a_5xx() {
    let h = Harness::start().await;
    let tok = h.tokens["officer"].clone();
    let client = reqwest::Client::new();
    let deep = "[".repeat(10_000);
    let big = format!(r#"{{"text":"{}"}}"#, "a".repeat(2 * 1024 * 1024));
    let bodies: Vec<Vec<u8>> = vec![
        b"".to_vec(),
        b"{".to_vec(),
        b"null".to_vec(),
        b"[]".to_vec(),
        br#"{"text":5}"#.to_vec(),
        br#"{"text":""}"#.to_vec(),
        br#"{"command":"nope"}"#.to_vec(),
        br#"{"command":"add_note"}"#.to_vec(),
        br#"{"command":"claim","case_id":"C0000001","expected_version":-1}"#.to_vec(),
        br#"{"text":"x","lat":1e999}"#.to_vec(),
        vec![0xff, 0xfe, b'{'],
        deep.into_bytes(),
        big.into_bytes(),
    ];
    for path in ["/api/v1/reports", "/api/v1/commands", "/api/v1/commands/batch"] {
        for b in &bodies {
            if path.ends_with("batch") && b.as_slice() == b"[]" {
                continue; // an empty batch is fine
            }
            // A fresh connection each time: the server closes one after refusing a large body.
            let client = reqwest::Client::builder()
                .pool_max_idle_per_host(0)
                .build()
                .expect("client");
            let sent = client
                .post(format!("{}{path}", h.url))
                .bearer_auth(&tok)
                .header("content-type", "application/json")
                .body(b.clone())
                .send()
                .await;
            let resp = match sent {
                Ok(r) => r,
                // The server may hang up on an oversized body before the client finished sending.
                Err(_) if b.len() > iocdesk::server::BODY_LIMIT => continue,
                Err(e) => panic!("{path}: {e}"),
            };
            let s = resp.status().as_u16();
            assert!(
                (400..500).contains(&s),
                "{path} {:?} → {s}",
                String::from_utf8_lossy(&b[..b.len().min(40)])
            );
            let ct = resp
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string();
            assert_eq!(ct, "application/problem+json", "{path} → {s}");
        }
    }
    for q in [
        "limit=0",
        "limit=abc",
        "limit=100000",
        "offset=-1",
        "ward=nowhere",
        "since=yesterday",
        "status=zzz",
        "category=zzz",
        "agency=zzz",
        "bogus=1",
        "offset=18446744073709551615",
        "limit=18446744073709551616",
    ] {
        for path in ["/api/v1/reports", "/api/v1/cases"] {
            let s = status(&format!("{}{path}?{q}", h.url), "GET", Some(&tok), None).await;
            assert_eq!(s, 400, "{path}?{q}");
        }
    }
    let s = client
        .get(format!("{}/api/v1/events", h.url))
        .bearer_auth(&tok)
        .header("last-event-id", "abc")
        .send()
        .await
        .expect("send")
        .status()
        .as_u16();
    assert_eq!(s, 400);
    for q in ["after=18446744073709551615", "after=-3", "limit=0"] {
        let s = status(&format!("{}/api/v1/log?{q}", h.url), "GET", Some(&tok), None).await;
        assert_eq!(s, 400, "log?{q}");
    }
    let resp = client
        .delete(format!("{}/api/v1/reports", h.url))
        .bearer_auth(&tok)
        .send()
        .await
        .expect("send");
    assert_eq!(resp.status().as_u16(), 405);
    assert_eq!(
        status(&format!("{}/api/v1/nothing", h.url), "GET", Some(&tok), None).await,
        404
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn named_command_routes() {
    let h = Harness::start().await;
    let tok = h.tokens["officer"].clone();
    let c = h
        .local
        .cases(CaseFilter {
            limit: 1,
            ..CaseFilter::default()
        })
        .await
        .expect("cases")
        .remove(0);
    let client = reqwest::Client::new();
    let post = |name: &str, body: String| {
        client
            .post(format!("{}/api/v1/commands/{name}", h.url))
            .bearer_auth(&tok)
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    let ok = post("add_note", format!(r#"{{"subject":"{}","text":"xin chào"}}"#, c.id))
        .await
        .expect("send");
    assert_eq!(ok.status().as_u16(), 200);
    let bad = post("no_such_command", "{}".into()).await.expect("send");
    assert_eq!(bad.status().as_u16(), 422);
    let arr = post("add_note", "[1]".into()).await.expect("send");
    assert_eq!(arr.status().as_u16(), 400);
    let missing = post("claim", r#"{"case_id":"C9999999"}"#.into()).await.expect("send");
    assert_eq!(missing.status().as_u16(), 404);
}
