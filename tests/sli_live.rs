//! The incremental service levels ([`LiveSli`], fed event by event) equal the full computation
//! over the store's read tables, on seeded cities and on random command sequences checked at
//! random points as they grow.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use iocdesk::demo::seed::{SeedOptions, seed};
use iocdesk::domain::sli::SloSpec;
use iocdesk::domain::sli::live::LiveSli;
use iocdesk::domain::{
    Actor, CameraKind, CameraState, CaseState, Command, Envelope, NewCamera, NewReport, RejectReason, Role,
};
use iocdesk::store::{Store, StoreConfig};

fn slos() -> Vec<SloSpec> {
    ["on_time", "on_time_extended", "satisfaction", "camera_availability"]
        .into_iter()
        .map(|i| SloSpec {
            indicator: i.into(),
            target: 0.9,
            window: Some("30d".into()),
        })
        .collect()
}

/// Feeds every event after the accumulator's last into it.
fn catch_up(store: &Store, live: &mut LiveSli) -> usize {
    let mut n = 0;
    loop {
        let page = store.events_after(live.last_seq(), 5000).expect("events");
        if page.is_empty() {
            return n;
        }
        for e in &page {
            live.apply(e);
        }
        n += page.len();
    }
}

fn assert_same(store: &Store, live: &LiveSli, now: DateTime<Utc>, what: &str) {
    for window in [
        Duration::hours(6),
        Duration::days(1),
        Duration::days(7),
        Duration::days(30),
    ] {
        for agency in [None, Some("hepco"), Some("cam-maint")] {
            let full = store
                .sli_report(now, window, &slos(), agency)
                .expect("sql")
                .expect("sli");
            let inc = live.report(now, window, &slos(), agency).expect("live");
            assert_eq!(full, inc, "{what}: now {now}, window {window}, agency {agency:?}");
        }
    }
}

#[test]
fn seeded_cities_agree() {
    for s in [1u64, 9] {
        let mut store = Store::open_in_memory(StoreConfig::default()).expect("store");
        let until = NaiveDate::from_ymd_opt(2026, 11, 20).expect("date");
        seed(
            &mut store,
            &SeedOptions {
                reports: 600,
                days: 45,
                seed: s,
                until,
            },
        )
        .expect("seed");
        let mut live = LiveSli::new();
        assert!(catch_up(&store, &mut live) > 3000);
        let end = Utc.with_ymd_and_hms(2026, 11, 20, 0, 0, 0).single().expect("time");
        for now in [end, end + Duration::hours(5), end + Duration::days(3)] {
            assert_same(&store, &live, now, &format!("seed {s}"));
        }
    }
}

/// A small deterministic generator (xorshift), so a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const CATEGORIES: &[&str] = &["waste", "drainage", "roads", "public_security", "street_lighting"];

/// One random command on the current state (ids picked among what exists).
fn random_command(rng: &mut Rng, store: &Store, n_reports: usize, n_cases: usize, now: DateTime<Utc>) -> Command {
    let report = |rng: &mut Rng| format!("R{:07}", 1 + rng.below(n_reports.max(1)));
    let case = |rng: &mut Rng| format!("C{:07}", 1 + rng.below(n_cases.max(1)));
    match rng.below(16) {
        0..=2 => Command::SubmitReport(NewReport {
            text: "Đèn đường không sáng, tối om cả kiệt".into(),
            category: Some(CATEGORIES[rng.below(CATEGORIES.len())].into()),
            ward: Some(["Phú Hội", "Vĩ Dạ", "An Cựu"][rng.below(3)].into()),
            // Some arrive late (imports), so their deadlines may already have passed.
            received_at: Some(now - Duration::hours(rng.below(24 * 12) as i64)),
            ..NewReport::default()
        }),
        3 => Command::VerifyReport {
            id: report(rng),
            category: None,
        },
        4 => Command::RejectReport {
            id: report(rng),
            reason: RejectReason::Spam,
        },
        5 => Command::MergeReport {
            id: report(rng),
            master: report(rng),
        },
        6 | 7 => Command::Forward {
            report_id: report(rng),
            agencies: vec![],
            priority: None,
        },
        8 => Command::Acknowledge {
            case_id: case(rng),
            agency: None,
        },
        9 => Command::Answer {
            case_id: case(rng),
            text: "Đã xử lý".into(),
            agency: None,
        },
        10 => Command::ApproveAnswer { case_id: case(rng) },
        11 => Command::Rate {
            case_id: case(rng),
            rating: 1 + rng.below(5) as u8,
        },
        12 => match rng.below(3) {
            0 => Command::Close { case_id: case(rng) },
            1 => Command::Reopen {
                case_id: case(rng),
                reason: "chưa xử lý xong".into(),
            },
            _ => Command::Extend {
                case_id: case(rng),
                days: 1 + rng.below(5) as u32,
                reason: "cần thêm thời gian".into(),
            },
        },
        13 => {
            let id = format!("cam-{}", rng.below(6));
            Command::RegisterCamera(NewCamera {
                id,
                name: "Camera".into(),
                site: ["Đập Đá", "Trường Tiền", "Chợ Đông Ba"][rng.below(3)].into(),
                kind: CameraKind::Fixed,
                rtsp_url: None,
                snapshot_url: None,
                lat: None,
                lon: None,
                ward: None,
            })
        }
        _ => {
            let cams = store.list_cameras().expect("cameras");
            let id = cams
                .get(rng.below(cams.len().max(1)))
                .map(|c| c.id.clone())
                .unwrap_or_else(|| "cam-0".into());
            let state = [
                CameraState::Online,
                CameraState::Offline,
                CameraState::Degraded,
                CameraState::Maintenance,
            ][rng.below(4)];
            if rng.below(3) == 0 {
                Command::RaiseCase {
                    source: iocdesk::domain::CaseSource::Camera,
                    key: id,
                    text: "offline".into(),
                }
            } else {
                Command::SetCameraState {
                    id,
                    state,
                    reason: "test".into(),
                }
            }
        }
    }
}

#[test]
fn random_sequences_agree_at_every_checkpoint() {
    let actor = Actor::new("lan", Role::Admin);
    for seed_value in [0x9E37_79B9_7F4A_7C15u64, 0xD1B5_4A32_D192_ED03] {
        let mut rng = Rng(seed_value);
        let mut store = Store::open_in_memory(StoreConfig::default()).expect("store");
        let mut live = LiveSli::new();
        let mut now = Utc.with_ymd_and_hms(2026, 9, 1, 1, 0, 0).single().expect("time");
        let (mut accepted, mut checks) = (0, 0);
        for step in 0..2500 {
            now += Duration::minutes(rng.below(90) as i64);
            let counts = store.counts(now).expect("counts");
            let (n_reports, n_cases) = (counts.reports as usize, counts.cases as usize);
            let cmd = random_command(&mut rng, &store, n_reports, n_cases, now);
            if store.execute(&Envelope::from(cmd), &actor, now).is_ok() {
                accepted += 1;
            }
            if step % 97 == 0 || step == 2499 {
                catch_up(&store, &mut live);
                assert_same(&store, &live, now, &format!("seed {seed_value:x}, step {step}"));
                checks += 1;
            }
        }
        assert!(
            accepted > 800,
            "too few commands were accepted ({accepted}) to test much"
        );
        assert!(checks > 20);
        // The sequence went through the states that matter.
        let cases = store
            .list_cases(
                &iocdesk::domain::query::CaseFilter {
                    limit: 10_000,
                    ..Default::default()
                },
                now,
            )
            .expect("cases");
        for st in [CaseState::Answered, CaseState::Published, CaseState::Closed] {
            assert!(cases.iter().any(|c| c.state == st), "no case is {st}");
        }
        assert!(cases.iter().any(|c| c.rating.is_some()));
    }
}
