//! Many desks, one core: 16 clients × 1,000 version-checked commands on overlapping cases through
//! the server. No update is lost, every conflict comes back as a conflict, and replaying the log
//! gives the same tables.

use chrono::{NaiveDate, Utc};
use iocdesk::demo::seed::{SeedOptions, seed};
use iocdesk::domain::query::CaseFilter;
use iocdesk::domain::{Actor, CaseState, Command, Envelope, Priority, Role};
use iocdesk::ioc::{Ioc, IocError, LocalIoc, RemoteIoc};
use iocdesk::server::{AppState, RateLimit, serve};
use iocdesk::store::tokens::TokenInfo;
use iocdesk::store::{Store, StoreConfig};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixteen_clients_lose_no_update() {
    let mut store = Store::open_in_memory(StoreConfig::default()).expect("store");
    let o = SeedOptions {
        reports: 200,
        days: 20,
        seed: 9,
        until: NaiveDate::from_ymd_opt(2026, 11, 20).expect("date"),
    };
    seed(&mut store, &o).expect("seed");
    let local = LocalIoc::new(store, Actor::new("tester", Role::Admin));
    let cases: Vec<String> = local
        .cases(CaseFilter {
            states: CaseState::AWAITING.to_vec(),
            limit: 4,
            ..CaseFilter::default()
        })
        .await
        .expect("cases")
        .into_iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(cases.len(), 4, "four open cases to fight over");
    let before: Vec<u64> = {
        let mut v = Vec::new();
        for c in &cases {
            v.push(local.case(c).await.expect("case").case.version);
        }
        v
    };
    for i in 0..16 {
        let info = TokenInfo {
            id: format!("load{i}"),
            name: format!("officer-{i}"),
            role: Role::Officer,
            agency: None,
            created_at: Utc::now(),
            expires_at: None,
            revoked_at: None,
        };
        local
            .blocking(|s| s.create_token(&info, &format!("load-secret-{i}")))
            .expect("lock")
            .expect("token");
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let (stop, rx) = tokio::sync::oneshot::channel::<()>();
    let unlimited = RateLimit {
        burst: 1e9,
        per_second: 1e9,
    };
    tokio::spawn(serve(listener, AppState::new(local.clone(), unlimited), async move {
        let _ = rx.await;
    }));

    let mut tasks = Vec::new();
    for i in 0..16usize {
        let url = url.clone();
        let cases = cases.clone();
        tasks.push(tokio::spawn(async move {
            let ioc = Ioc::Remote(RemoteIoc::new(&url, Some(format!("load-secret-{i}"))).expect("client"));
            let (mut ok, mut conflicts) = (vec![0u64; cases.len()], 0u64);
            let mut seen: Vec<Option<u64>> = vec![None; cases.len()];
            for n in 0..1000usize {
                let k = (i + n) % cases.len();
                let version = match seen[k] {
                    Some(v) => v,
                    None => ioc.case(&cases[k]).await.expect("read").case.version,
                };
                let priority = if (n / cases.len()).is_multiple_of(2) {
                    Priority::P1
                } else {
                    Priority::P2
                };
                let env = Envelope {
                    command: Command::SetPriority {
                        case_id: cases[k].clone(),
                        priority,
                    },
                    expected_version: Some(version),
                };
                match ioc.execute(env).await {
                    Ok(ev) => {
                        if ev.is_empty() {
                            seen[k] = None;
                        } else {
                            ok[k] += 1;
                            seen[k] = Some(version + 1);
                        }
                    }
                    Err(IocError::Conflict { .. }) => {
                        conflicts += 1;
                        seen[k] = None;
                    }
                    Err(e) => panic!("client {i}: {e}"),
                }
            }
            (ok, conflicts)
        }));
    }
    let mut ok = vec![0u64; cases.len()];
    let mut conflicts = 0;
    for t in tasks {
        let (o, c) = t.await.expect("client task");
        for (a, b) in ok.iter_mut().zip(o) {
            *a += b;
        }
        conflicts += c;
    }
    let _ = stop.send(());
    assert!(conflicts > 0, "overlapping writers must meet conflicts");
    for (k, c) in cases.iter().enumerate() {
        let after = local.case(c).await.expect("case").case.version;
        assert_eq!(
            after,
            before[k] + ok[k],
            "{c}: every accepted change is in the case, none lost"
        );
    }
    let v = local.blocking(|s| s.verify()).expect("lock").expect("verify");
    assert!(v.ok(), "{:?}", v.differences);
}
