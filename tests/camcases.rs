//! Cases the system raises by itself: a camera offline longer than the threshold (against a closed
//! port and a silent TCP server, then a loopback RTSP responder when it is back), a watched plate
//! seen, a burn-rate alert firing and clearing; the log still replays to the same tables.

mod common;

use chrono::{Duration as CDuration, Utc};
use common::loopback::{free_port, rtsp_responder, silent_server};
use iocdesk::domain::health::Policy;
use iocdesk::domain::query::CaseFilter;
use iocdesk::domain::sli::SloSpec;
use iocdesk::domain::{
    Actor, CameraKind, CameraState, CaseSource, CaseState, Command, Envelope, NewCamera, NewReport, Priority, Role,
};
use iocdesk::ioc::{Ioc, IocError, LocalIoc};
use iocdesk::prober::{ProbeConfig, probe_and_record};
use iocdesk::store::{Store, StoreConfig};
use std::time::Duration;

fn core() -> LocalIoc {
    let store = Store::open_in_memory(StoreConfig::default()).expect("store");
    LocalIoc::new(store, Actor::new("admin", Role::Admin))
}

fn camera(id: &str, url: &str) -> Command {
    Command::RegisterCamera(NewCamera {
        id: id.into(),
        name: format!("Camera {id}"),
        site: "Cửa Thượng Tứ".into(),
        kind: CameraKind::Fixed,
        rtsp_url: Some(url.into()),
        snapshot_url: None,
        lat: Some(16.4728),
        lon: Some(107.5801),
        ward: Some("Đông Ba".into()),
    })
}

fn quick() -> ProbeConfig {
    ProbeConfig {
        connect: Duration::from_millis(500),
        step: Duration::from_millis(500),
        total: Duration::from_secs(2),
        concurrency: 8,
    }
}

async fn outage_cases(ioc: &Ioc) -> Vec<iocdesk::domain::Case> {
    let mut all = ioc
        .cases(CaseFilter {
            limit: 1000,
            ..CaseFilter::default()
        })
        .await
        .expect("cases");
    all.retain(|c| c.category == "camera_outage");
    all
}

async fn status(ioc: &Ioc, id: &str) -> iocdesk::domain::health::CameraStatus {
    ioc.camera_statuses()
        .await
        .expect("statuses")
        .into_iter()
        .find(|c| c.id == id)
        .expect("camera")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_outage_opens_one_case_and_its_return_closes_it() {
    let local = core();
    let admin = Ioc::Local(local.clone());
    let prober = Ioc::Local(local.as_actor(Actor::new("prober", Role::Admin)));
    let port = free_port();
    admin
        .execute(camera("cam-gate", &format!("rtsp://127.0.0.1:{port}/live")).into())
        .await
        .expect("register");
    // A hung camera under maintenance raises nothing, however long it is down.
    let silent = silent_server();
    admin
        .execute(camera("cam-hung", &format!("rtsp://127.0.0.1:{silent}/live")).into())
        .await
        .expect("register");
    admin
        .execute(
            Command::SetCameraState {
                id: "cam-hung".into(),
                state: CameraState::Maintenance,
                reason: "lens replaced".into(),
            }
            .into(),
        )
        .await
        .expect("maintenance");
    let policy = Policy {
        offline_after: CDuration::milliseconds(200),
        case_after: CDuration::milliseconds(1500),
        confirm: 1,
        ..Policy::default()
    };

    // First round: offline at once (no history), but not yet for long enough.
    probe_and_record(&prober, &[], quick(), &policy).await.expect("round 1");
    assert_eq!(status(&admin, "cam-gate").await.state, CameraState::Offline);
    assert!(outage_cases(&admin).await.is_empty());

    tokio::time::sleep(Duration::from_millis(1700)).await;
    for round in 2..=4 {
        probe_and_record(&prober, &[], quick(), &policy)
            .await
            .unwrap_or_else(|e| panic!("round {round}: {e}"));
    }
    let cases = outage_cases(&admin).await;
    assert_eq!(cases.len(), 1, "one case however many rounds: {cases:?}");
    let case = &cases[0];
    assert_eq!(case.agencies, vec!["cam-maint".to_string()]);
    assert_eq!(case.priority, Priority::P2);
    assert_eq!(case.ward.as_deref(), Some("phu-xuan"));
    assert_eq!(case.updated_by, "prober");
    assert_eq!(
        status(&admin, "cam-gate").await.case_id.as_deref(),
        Some(case.id.as_str())
    );
    assert_eq!(status(&admin, "cam-hung").await.state, CameraState::Maintenance);
    assert_eq!(status(&admin, "cam-hung").await.case_id, None);
    let detail = admin.case(&case.id).await.expect("case");
    let report = &detail.reports[0];
    assert_eq!(report.channel, iocdesk::domain::Channel::System);
    assert!(
        report.text.contains("cam-gate") && report.text.contains("offline"),
        "{}",
        report.text
    );
    assert!(report.suggested_category.is_none(), "system reports are not classified");

    // The camera answers again: back online, and the case closes itself, by the prober.
    let (_, _camera) = rtsp_responder(port).await;
    probe_and_record(&prober, &[], quick(), &policy).await.expect("round 5");
    assert_eq!(status(&admin, "cam-gate").await.state, CameraState::Online);
    let closed = admin.case(&case.id).await.expect("case");
    assert_eq!(closed.case.state, CaseState::Closed);
    assert_eq!(closed.case.updated_by, "prober");
    assert!(
        closed.notes.iter().any(|n| n.text.contains("is back")),
        "{:?}",
        closed.notes
    );
    assert_eq!(status(&admin, "cam-gate").await.case_id, None);
    // Another round changes nothing more.
    let before = admin.events_after(0, 100_000).await.expect("log").len();
    probe_and_record(&prober, &[], quick(), &policy).await.expect("round 6");
    assert_eq!(admin.events_after(0, 100_000).await.expect("log").len(), before);

    let v = local.verify().expect("verify");
    assert!(v.ok(), "{:?}", v.differences);
    assert!(
        v.rows.iter().any(|(t, n)| t == "raised_cases" && *n == 1),
        "{:?}",
        v.rows
    );
}

#[tokio::test]
async fn raising_is_idempotent_and_checked() {
    let local = core();
    let admin = Ioc::Local(local.clone());
    admin
        .execute(camera("c1", "rtsp://127.0.0.1:9/x").into())
        .await
        .expect("register");
    let raise = |key: &str| Command::RaiseCase {
        source: CaseSource::Camera,
        key: key.into(),
        text: "offline for 20 min".into(),
    };
    let first = admin.execute(raise("c1").into()).await.expect("raise");
    let kinds: Vec<&str> = first.iter().map(|e| e.data.kind()).collect();
    assert_eq!(kinds, ["ReportReceived", "ReportVerified", "CaseOpened", "CaseRaised"]);
    assert!(admin.execute(raise("c1").into()).await.expect("again").is_empty());
    assert!(matches!(
        admin.execute(raise("nope").into()).await,
        Err(IocError::NotFound(_))
    ));
    let officer = Ioc::Local(local.as_actor(Actor::new("lan", Role::Officer)));
    assert!(matches!(
        officer.execute(raise("c1").into()).await,
        Err(IocError::Forbidden(_))
    ));
    let resolve = Command::ResolveCase {
        source: CaseSource::Camera,
        key: "c1".into(),
        reason: "back".into(),
    };
    assert_eq!(admin.execute(resolve.clone().into()).await.expect("resolve").len(), 2);
    assert!(admin.execute(resolve.into()).await.expect("nothing open").is_empty());
    // Closed, so a new outage gets a new case.
    assert_eq!(admin.execute(raise("c1").into()).await.expect("raise").len(), 4);
    assert!(local.verify().expect("verify").ok());
}

#[tokio::test]
async fn a_watched_plate_seen_opens_a_case_and_later_sightings_add_notes() {
    let local = core();
    let admin = Ioc::Local(local.clone());
    admin
        .execute(camera("anpr-1", "rtsp://127.0.0.1:9/x").into())
        .await
        .expect("register");
    let officer = Ioc::Local(local.as_actor(Actor::new("lan", Role::Officer)));
    let watch = Command::WatchPlate {
        plate: "75A-123.45".into(),
        reason: Some("stolen motorbike".into()),
    };
    assert!(matches!(
        officer.execute(watch.clone().into()).await,
        Err(IocError::Forbidden(_))
    ));
    admin.execute(watch.into()).await.expect("watch");
    let list = admin.watchlist().await.expect("list");
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].plate, "75A12345");
    assert!(matches!(
        admin
            .execute(
                Command::WatchPlate {
                    plate: "7-5".into(),
                    reason: None
                }
                .into()
            )
            .await,
        Err(IocError::Invalid(_))
    ));

    let seen = |plate: &str, min: i64| -> Envelope {
        Command::RecordSighting {
            camera_id: "anpr-1".into(),
            plate: plate.into(),
            seen_at: Utc::now() - CDuration::minutes(min),
            confidence: 0.9,
        }
        .into()
    };
    // Another plate, and an OCR look-alike: no case (the watchlist matches exactly after
    // normalisation).
    assert_eq!(officer.execute(seen("75A-123.46", 9)).await.expect("sighting").len(), 1);
    assert_eq!(officer.execute(seen("75A-I23.45", 8)).await.expect("sighting").len(), 1);
    let hit = officer.execute(seen("75a 123 45", 7)).await.expect("sighting");
    let kinds: Vec<&str> = hit.iter().map(|e| e.data.kind()).collect();
    assert_eq!(
        kinds,
        [
            "SightingRecorded",
            "ReportReceived",
            "ReportVerified",
            "CaseOpened",
            "CaseRaised"
        ]
    );
    let case_id = hit[3].data.subject().to_string();
    // Sightings imported in one go (as `plates import` does) add notes to the open case.
    let again = officer
        .execute_groups(vec![vec![seen("75A-123.45", 5), seen("75A12345", 3)]], false)
        .await
        .expect("import");
    let events = again.into_iter().next().expect("group").expect("ok");
    assert_eq!(events.iter().filter(|e| e.data.kind() == "NoteAdded").count(), 2);
    let detail = admin.case(&case_id).await.expect("case");
    assert_eq!(detail.case.category, "watchlist");
    assert_eq!(detail.case.agencies, vec!["police".to_string()]);
    assert_eq!(detail.case.priority, Priority::P1);
    assert_eq!(detail.notes.len(), 2);
    assert!(detail.reports[0].text.contains("stolen motorbike"));
    assert!(detail.notes[0].text.contains("anpr-1"));

    // Once the case is closed, the next sighting opens a new one; after unwatching, none.
    admin
        .execute(
            Command::Close {
                case_id: case_id.clone(),
            }
            .into(),
        )
        .await
        .expect("close");
    let hit = officer.execute(seen("75A12345", 1)).await.expect("sighting");
    assert!(hit.iter().any(|e| e.data.kind() == "CaseRaised"));
    admin
        .execute(
            Command::UnwatchPlate {
                plate: "75A 123.45".into(),
            }
            .into(),
        )
        .await
        .expect("unwatch");
    assert!(admin.watchlist().await.expect("list").is_empty());
    assert_eq!(officer.execute(seen("75A12345", 0)).await.expect("sighting").len(), 1);
    assert!(matches!(
        admin
            .execute(
                Command::UnwatchPlate {
                    plate: "75A12345".into()
                }
                .into()
            )
            .await,
        Err(IocError::NotFound(_))
    ));
    let v = local.verify().expect("verify");
    assert!(v.ok(), "{:?}", v.differences);
    assert!(
        v.rows.iter().any(|(t, n)| t == "raised_cases" && *n == 2),
        "{:?}",
        v.rows
    );
}

/// Submits a report received `days_ago`, verifies and forwards it, and answers it now: late when
/// its deadline passed, on time otherwise.
async fn answered_case(ioc: &Ioc, days_ago: i64) {
    let r = ioc
        .submit(NewReport {
            text: "Rác tồn đọng nhiều ngày ở đầu kiệt".into(),
            category: Some("waste".into()),
            received_at: Some(Utc::now() - CDuration::days(days_ago)),
            ..NewReport::default()
        })
        .await
        .expect("submit");
    ioc.execute(
        Command::VerifyReport {
            id: r.id.clone(),
            category: None,
        }
        .into(),
    )
    .await
    .expect("verify");
    let ev = ioc
        .execute(
            Command::Forward {
                report_id: r.id,
                agencies: vec![],
                priority: None,
            }
            .into(),
        )
        .await
        .expect("forward");
    let case_id = ev[0].data.subject().to_string();
    ioc.execute(
        Command::Answer {
            case_id,
            text: "Đã thu gom".into(),
            agency: None,
        }
        .into(),
    )
    .await
    .expect("answer");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burn_rate_alert_raises_a_case_and_its_end_closes_it() {
    let local = core();
    let admin = Ioc::Local(local.clone());
    let slo_actor = iocdesk::watch::as_system(&admin, iocdesk::watch::SLO_ACTOR);
    let slos = vec![SloSpec {
        indicator: "on_time".into(),
        target: 0.9,
        window: Some("30d".into()),
    }];
    // No answers yet: nothing fires, nothing is raised.
    assert_eq!(iocdesk::watch::check_slos(&slo_actor, &slos).await.expect("check"), 0);
    // Two late answers just now: 100% bad over every window, past the 6x page pair.
    for _ in 0..2 {
        answered_case(&admin, 40).await;
    }
    let report = admin.sli("30d", slos.clone()).await.expect("sli");
    assert!(!report.slos[0].alerts.is_empty(), "{:?}", report.slos);
    assert_eq!(iocdesk::watch::check_slos(&slo_actor, &slos).await.expect("check"), 1);
    assert_eq!(iocdesk::watch::check_slos(&slo_actor, &slos).await.expect("check"), 0);
    let mut raised = admin
        .cases(CaseFilter {
            limit: 100,
            ..CaseFilter::default()
        })
        .await
        .expect("cases");
    raised.retain(|c| c.category == "service_level");
    assert_eq!(raised.len(), 1);
    assert_eq!(raised[0].agencies, vec!["ioc".to_string()]);
    let text = &admin.case(&raised[0].id).await.expect("case").reports[0].text;
    assert!(text.contains("on_time") && text.contains("page"), "{text}");

    // Thirty on-time answers: 2 bad of 32 is a burn of 0.625x, under every pair: the alert stops
    // and the case closes, by the SLO checker.
    for _ in 0..30 {
        answered_case(&admin, 0).await;
    }
    let report = admin.sli("30d", slos.clone()).await.expect("sli");
    assert!(report.slos[0].alerts.is_empty(), "{:?}", report.slos);
    assert_eq!(iocdesk::watch::check_slos(&slo_actor, &slos).await.expect("check"), 1);
    let closed = admin.case(&raised[0].id).await.expect("case").case;
    assert_eq!(closed.state, CaseState::Closed);
    assert_eq!(closed.updated_by, "slo");
    assert_eq!(iocdesk::watch::check_slos(&slo_actor, &slos).await.expect("check"), 0);
    let v = local.verify().expect("verify");
    assert!(v.ok(), "{:?}", v.differences);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_watchlist_over_the_server_needs_a_supervisor() {
    let h = common::Harness::start().await;
    let client = reqwest::Client::new();
    let url = format!("{}/api/v1/watchlist", h.url);
    let post = |token: &str| {
        client
            .post(&url)
            .bearer_auth(token)
            .json(&serde_json::json!({"plate": "43A-999.99", "reason": "hit and run"}))
    };
    let r = post(&h.tokens["officer"]).send().await.expect("post");
    assert_eq!(r.status().as_u16(), 403);
    let r = post(&h.tokens["supervisor"]).send().await.expect("post");
    assert_eq!(r.status().as_u16(), 200, "{:?}", r.text().await);
    let remote = h.remote("officer");
    let list = remote.watchlist().await.expect("list");
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].plate, "43A99999");
    assert!(matches!(
        h.remote("unit").watchlist().await,
        Err(IocError::Forbidden(_))
    ));
    let r = client
        .delete(format!("{url}/43A99999"))
        .bearer_auth(&h.tokens["supervisor"])
        .send()
        .await
        .expect("delete");
    assert_eq!(r.status().as_u16(), 200);
    assert!(remote.watchlist().await.expect("list").is_empty());
}

fn bin(dir: &std::path::Path) -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("iocdesk").expect("binary");
    c.arg("--data-dir")
        .arg(dir)
        .env("IOCDESK_CONFIG_DIR", dir.join("config"))
        .env_remove("IOCDESK_DATA_DIR");
    c
}

#[test]
fn the_watchlist_from_the_command_line() {
    let d = tempfile::tempdir().expect("dir");
    let cams = d.path().join("cams.csv");
    std::fs::write(
        &cams,
        "id,name,site,kind,rtsp_url,snapshot_url,lat,lon,ward\n\
         anpr-7,Gate 7,Cửa Ngăn,anpr,rtsp://127.0.0.1:9/x,,16.47,107.58,Phú Hội\n",
    )
    .expect("write");
    bin(d.path()).args(["cameras", "import"]).arg(&cams).assert().success();
    bin(d.path())
        .args(["plates", "watch", "add", "75A-123.45", "--reason", "stolen"])
        .assert()
        .success();
    let bad = bin(d.path())
        .args(["plates", "watch", "add", "7"])
        .output()
        .expect("run");
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("not a licence plate"));
    let out = bin(d.path())
        .args(["plates", "watch", "list", "--output", "json"])
        .output()
        .expect("list");
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(list[0]["plate"], "75A12345");
    assert_eq!(list[0]["reason"], "stolen");
    let sightings = d.path().join("s.ndjson");
    std::fs::write(
        &sightings,
        "{\"camera_id\":\"anpr-7\",\"plate\":\"75A12345\",\"seen_at\":\"2026-11-20T08:00:00+07:00\",\"confidence\":0.9}\n\
         {\"camera_id\":\"anpr-7\",\"plate\":\"43B-555.55\",\"seen_at\":\"2026-11-20T08:01:00+07:00\",\"confidence\":0.9}\n\
         {\"camera_id\":\"anpr-7\",\"plate\":\"75A-123.45\",\"seen_at\":\"2026-11-20T08:09:00+07:00\",\"confidence\":0.8}\n",
    )
    .expect("write");
    bin(d.path())
        .args(["plates", "import"])
        .arg(&sightings)
        .assert()
        .success();
    let out = bin(d.path())
        .args(["cases", "list", "--output", "ndjson"])
        .output()
        .expect("cases");
    let cases: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    assert_eq!(cases.len(), 1, "{cases:?}");
    assert_eq!(cases[0]["category"], "watchlist");
    assert_eq!(cases[0]["priority"], "P1");
    bin(d.path())
        .args(["plates", "watch", "remove", "75A12345"])
        .assert()
        .success();
    bin(d.path())
        .args(["plates", "watch", "remove", "75A12345"])
        .assert()
        .code(3);
    bin(d.path()).args(["admin", "verify"]).assert().success();
}

async fn slo_cases(ioc: &Ioc) -> Vec<iocdesk::domain::Case> {
    let mut all = ioc
        .cases(CaseFilter {
            limit: 1000,
            ..CaseFilter::default()
        })
        .await
        .expect("cases");
    all.retain(|c| c.category == "service_level");
    all
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_background_check_raises_and_clears_alert_cases_from_the_event_stream() {
    background_alert_cases(true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_background_check_of_the_desk_does_the_same_from_the_store() {
    background_alert_cases(false).await;
}

/// The background SLO duty, kept current from the event stream (`live`) or computed in full.
async fn background_alert_cases(live: bool) {
    let local = core();
    let admin = Ioc::Local(local.clone());
    // History before the watch starts: the stream replays it.
    answered_case(&admin, 0).await;
    let cfg = iocdesk::watch::WatchConfig {
        probe_every: None,
        slo_every: Some(Duration::from_millis(150)),
        slos: vec![SloSpec {
            indicator: "on_time".into(),
            target: 0.9,
            window: None,
        }],
        live_slo: live,
        ..iocdesk::watch::WatchConfig::default()
    };
    let watch = iocdesk::watch::spawn(&admin, cfg);
    let wait_for = |want_open: bool| {
        let admin = admin.clone();
        async move {
            for _ in 0..100 {
                let cases = slo_cases(&admin).await;
                let open = cases.iter().any(|c| c.state != CaseState::Closed);
                if open == want_open && !cases.is_empty() {
                    return cases;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            panic!("no alert case became {}", if want_open { "open" } else { "closed" });
        }
    };
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert!(slo_cases(&admin).await.is_empty(), "one on-time answer fires nothing");
    for _ in 0..3 {
        answered_case(&admin, 40).await;
    }
    let open = wait_for(true).await;
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].updated_by, "slo");
    for _ in 0..40 {
        answered_case(&admin, 0).await;
    }
    let closed = wait_for(false).await;
    assert_eq!(closed.len(), 1, "still one case: {closed:?}");
    watch.abort();
    assert!(local.verify().expect("verify").ok());
}
