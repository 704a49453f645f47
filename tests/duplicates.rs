//! Duplicate candidates on fixed coordinates: the radius, the 7-day edge, categories, open
//! reports only, and the index kept current after it is built; and the ward of a report without
//! coordinates, read from its text; and the officers' corrections exported as labels.

use chrono::{DateTime, Duration, TimeZone, Utc};
use iocdesk::domain::{Actor, Command, NewReport, RejectReason, Role};
use iocdesk::store::nearby::{DuplicateParams, jaccard, related};
use iocdesk::store::{Store, StoreConfig};

const LAT: f64 = 16.4700;
const LON: f64 = 107.5900;
/// Degrees of latitude per metre.
const DLAT: f64 = 1.0 / 111_320.0;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 16, 2, 0, 0)
        .single()
        .expect("valid time")
}

fn officer() -> Actor {
    Actor::new("ioc.lan", Role::Officer)
}

/// Submits a report `north_m` metres north and `east_m` east of the reference point.
fn put(s: &mut Store, text: &str, cat: &str, north_m: f64, east_m: f64, at: DateTime<Utc>) -> String {
    let dlon = 1.0 / (111_320.0 * LAT.to_radians().cos());
    let n = NewReport {
        text: text.into(),
        category: Some(cat.into()),
        lat: Some(LAT + north_m * DLAT),
        lon: Some(LON + east_m * dlon),
        received_at: Some(at),
        ..NewReport::default()
    };
    let ev = s
        .execute(&Command::SubmitReport(n).into(), &officer(), at)
        .expect("submit");
    ev[0].data.subject().to_string()
}

fn ids(s: &mut Store, id: &str) -> Vec<String> {
    s.duplicate_candidates(id, &DuplicateParams::default())
        .expect("query")
        .expect("report exists")
        .into_iter()
        .map(|(r, _)| r.id)
        .collect()
}

#[test]
fn radius_window_categories_and_state() {
    let mut s = Store::open_in_memory(StoreConfig::default()).expect("store");
    let t = t0();
    let q = put(&mut s, "Rác tồn đọng đầu kiệt bốc mùi", "waste", 0.0, 0.0, t);
    let inside = put(
        &mut s,
        "Rác tồn đọng đầu kiệt",
        "waste",
        240.0,
        0.0,
        t - Duration::days(2),
    );
    let outside = put(
        &mut s,
        "Rác tồn đọng đầu kiệt",
        "waste",
        0.0,
        260.0,
        t - Duration::days(2),
    );
    let edge_in = put(
        &mut s,
        "Rác",
        "waste",
        50.0,
        0.0,
        t - Duration::days(7) + Duration::minutes(5),
    );
    let edge_out = put(
        &mut s,
        "Rác",
        "waste",
        50.0,
        0.0,
        t - Duration::days(7) - Duration::minutes(5),
    );
    let later = put(&mut s, "Rác", "waste", -50.0, 0.0, t + Duration::days(6));
    let unrelated = put(&mut s, "Đèn đường hỏng", "street_lighting", 10.0, 0.0, t);
    let related_ = put(&mut s, "Ngập và rác", "drainage", 10.0, 10.0, t);
    let got = ids(&mut s, &q);
    for id in [&inside, &edge_in, &later, &related_] {
        assert!(got.contains(id), "{id} missing from {got:?}");
    }
    for id in [&outside, &edge_out, &unrelated, &q] {
        assert!(!got.contains(id), "{id} should not be in {got:?}");
    }
    // Reports added after the index was built are found; rejected ones are not.
    let fresh = put(&mut s, "Rác tồn đọng đầu kiệt bốc mùi quá", "waste", 5.0, 5.0, t);
    s.execute(
        &Command::RejectReport {
            id: inside.clone(),
            reason: RejectReason::Invalid,
        }
        .into(),
        &officer(),
        t,
    )
    .expect("reject");
    let got = ids(&mut s, &q);
    assert_eq!(
        got.first(),
        Some(&fresh),
        "closest, recent and similar ranks first: {got:?}"
    );
    assert!(!got.contains(&inside), "{got:?}");
    // Scores are in [0, 1], best first.
    let scored = s
        .duplicate_candidates(&q, &DuplicateParams::default())
        .expect("query")
        .expect("exists");
    assert!(scored.windows(2).all(|w| w[0].1 >= w[1].1));
    assert!(scored.iter().all(|(_, sc)| (0.0..=1.0).contains(sc)));
    assert!(
        s.duplicate_candidates("R-NONE", &DuplicateParams::default())
            .expect("query")
            .is_none()
    );
}

#[test]
fn similarity_and_related_categories() {
    assert_eq!(jaccard("Rác bốc mùi", "rac boc mui"), 1.0);
    assert_eq!(jaccard("", ""), 0.0);
    assert!(jaccard("rác bốc mùi", "đèn hỏng") < 0.01);
    assert!(related("waste", "drainage") && related("drainage", "waste"));
    assert!(!related("waste", "health"));
}

#[test]
fn a_submission_without_ward_or_coordinates_takes_the_ward_from_its_text() {
    let mut s = Store::open_in_memory(StoreConfig::default()).expect("store");
    let mut submit = |text: &str| {
        let n = NewReport {
            text: text.into(),
            ..NewReport::default()
        };
        let ev = s
            .execute(&Command::SubmitReport(n).into(), &officer(), t0())
            .expect("submit");
        let id = ev[0].data.subject().to_string();
        s.report(&id).expect("read").expect("exists").ward
    };
    assert_eq!(
        submit("Rác tồn đọng ở kiệt 3, phường Tây Lộc").as_deref(),
        Some("phu-xuan")
    );
    assert_eq!(submit("rac ton dong o kiet 3 phuong vi da").as_deref(), Some("vy-da"));
    assert_eq!(submit("Xin chào, cho hỏi thủ tục"), None);
}

#[test]
fn corrections_of_the_suggestion_are_exported_as_labels() {
    let mut s = Store::open_in_memory(StoreConfig::default()).expect("store");
    let submit = |s: &mut Store, text: &str| {
        let n = NewReport {
            text: text.into(),
            ..NewReport::default()
        };
        let ev = s
            .execute(&Command::SubmitReport(n).into(), &officer(), t0())
            .expect("submit");
        ev[0].data.subject().to_string()
    };
    let a = submit(&mut s, "Rác tồn đọng nhiều ngày ở đầu kiệt, bốc mùi");
    let b = submit(&mut s, "Cột đèn không sáng, tối om");
    let c = submit(&mut s, "Đường nhiều ổ gà lớn");
    for (id, cat) in [(&a, "drainage"), (&b, "street_lighting")] {
        s.execute(
            &Command::VerifyReport {
                id: id.clone(),
                category: Some(cat.into()),
            }
            .into(),
            &officer(),
            t0(),
        )
        .expect("verify");
    }
    s.execute(
        &Command::RejectReport {
            id: c.clone(),
            reason: RejectReason::Spam,
        }
        .into(),
        &officer(),
        t0(),
    )
    .expect("reject");
    let got = s.relabelled().expect("query");
    let pairs: Vec<(&str, &str, &str)> = got
        .iter()
        .map(|r| (r.id.as_str(), r.suggested.as_str(), r.category.as_str()))
        .collect();
    assert_eq!(
        pairs,
        [(a.as_str(), "waste", "drainage"), (c.as_str(), "roads", "invalid")]
    );
}
