//! Shared by the server tests: a seeded in-memory core served on 127.0.0.1:0, tokens for every
//! role, and small request helpers.
// Each test crate uses a different part of this module.
#![allow(dead_code)]

pub mod camera_http;
pub mod loopback;

use chrono::{NaiveDate, Utc};
use iocdesk::demo::seed::{SeedOptions, seed};
use iocdesk::domain::query::CaseFilter;
use iocdesk::domain::{Actor, Command, Envelope, Role};
use iocdesk::ioc::{Ioc, IocError, LocalIoc, RemoteIoc};
use iocdesk::server::{AppState, Open311Config, RateLimit, serve};
use iocdesk::store::tokens::TokenInfo;
use iocdesk::store::{Store, StoreConfig};
use std::collections::HashMap;
use std::time::Duration;

/// A running server over a seeded core.
pub struct Harness {
    pub local: LocalIoc,
    pub url: String,
    pub tokens: HashMap<&'static str, String>,
    pub agency: String,
    _stop: tokio::sync::oneshot::Sender<()>,
}

impl Harness {
    pub async fn start() -> Harness {
        Harness::start_with(Open311Config::default()).await
    }

    /// A harness whose server has these Open311 settings.
    pub async fn start_with(open311: Open311Config) -> Harness {
        let mut store = Store::open_in_memory(StoreConfig::default()).expect("store");
        let o = SeedOptions {
            reports: 300,
            days: 30,
            seed: 4,
            until: NaiveDate::from_ymd_opt(2026, 11, 20).expect("date"),
        };
        seed(&mut store, &o).expect("seed");
        let local = LocalIoc::new(store, Actor::new("tester", Role::Admin));
        let first = local
            .cases(CaseFilter {
                limit: 50,
                ..CaseFilter::default()
            })
            .await
            .expect("cases")
            .into_iter()
            .next()
            .expect("a case");
        let agency = first.agencies[0].clone();
        let mut tokens = HashMap::new();
        let roles: [(&'static str, Role, Option<String>); 6] = [
            ("viewer", Role::Viewer, None),
            ("officer", Role::Officer, None),
            ("supervisor", Role::Supervisor, None),
            ("admin", Role::Admin, None),
            ("intake", Role::Intake, None),
            ("unit", Role::Officer, Some(agency.clone())),
        ];
        for (i, (key, role, ag)) in roles.into_iter().enumerate() {
            let info = TokenInfo {
                id: format!("t{i}"),
                name: format!("test-{key}"),
                role,
                agency: ag,
                created_at: Utc::now(),
                expires_at: None,
                revoked_at: None,
            };
            let secret = format!("secret-{key}");
            local
                .blocking(|s| s.create_token(&info, &secret))
                .expect("lock")
                .expect("token");
            tokens.insert(key, secret);
        }
        let expired = TokenInfo {
            id: "old".into(),
            name: "old".into(),
            role: Role::Admin,
            agency: None,
            created_at: Utc::now(),
            expires_at: Some(Utc::now() - chrono::Duration::hours(1)),
            revoked_at: None,
        };
        local
            .blocking(|s| s.create_token(&expired, "secret-expired"))
            .expect("lock")
            .expect("token");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let state = AppState::new(local.clone(), RateLimit::default()).with_open311(open311);
        tokio::spawn(serve(listener, state, async move {
            let _ = rx.await;
        }));
        Harness {
            local,
            url,
            tokens,
            agency,
            _stop: tx,
        }
    }

    pub fn remote(&self, key: &str) -> Ioc {
        Ioc::Remote(RemoteIoc::new(&self.url, self.tokens.get(key).cloned()).expect("client"))
    }

    pub fn local_as(&self, key: &str) -> Ioc {
        let (role, agency) = match key {
            "viewer" => (Role::Viewer, None),
            "unit" => (Role::Officer, Some(self.agency.clone())),
            _ => (Role::Admin, None),
        };
        Ioc::Local(self.local.as_actor(Actor {
            name: format!("test-{key}"),
            role,
            agency,
        }))
    }
}

/// An `add_note` command.
pub fn note(subject: &str, version: Option<u64>) -> Envelope {
    Envelope {
        command: Command::AddNote {
            subject: subject.into(),
            text: "kiểm tra".into(),
        },
        expected_version: version,
    }
}

/// The status of one request.
pub async fn status(url: &str, method: &str, token: Option<&str>, body: Option<&str>) -> u16 {
    let client = reqwest::Client::new();
    let mut rb = match method {
        "POST" => client.post(url),
        _ => client.get(url),
    };
    if let Some(t) = token {
        rb = rb.bearer_auth(t);
    }
    if let Some(b) = body {
        rb = rb.header("content-type", "application/json").body(b.to_string());
    }
    rb.send().await.expect("send").status().as_u16()
}

/// The next event's sequence number, within 10 s.
pub async fn next_seq(rx: &mut tokio::sync::mpsc::Receiver<Result<iocdesk::domain::Event, IocError>>) -> u64 {
    tokio::time::timeout(Duration::from_secs(10), rx.recv())
        .await
        .expect("in time")
        .expect("open")
        .expect("event")
        .seq
}
