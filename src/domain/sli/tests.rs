//! Unit tests of the service-level arithmetic on hand-made series.

use super::*;
use crate::domain::model::{CaseState, Priority};
use chrono::TimeZone;

fn t(h: f64) -> DateTime<Utc> {
    let base = Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).single().unwrap_or_default();
    base + Duration::seconds((h * 3600.0) as i64)
}

fn case(agency: &str, opened: f64, ack: Option<f64>, answered: Option<f64>, deadline: f64, extended: f64) -> Case {
    Case {
        id: format!("C{opened}"),
        state: if answered.is_some() {
            CaseState::Answered
        } else {
            CaseState::Forwarded
        },
        priority: Priority::P3,
        category: "environment".into(),
        ward: None,
        agencies: vec![agency.into()],
        opened_at: t(opened),
        deadline: t(extended),
        original_deadline: t(deadline),
        sla_deadline: t(extended),
        acknowledged_at: ack.map(t),
        answered_at: answered.map(t),
        answer: None,
        verdict: None,
        published_at: None,
        closed_at: None,
        rating: None,
        extensions: 0,
        escalation: 0,
        claimed_by: None,
        report_ids: vec![],
        version: 1,
        updated_by: "t".into(),
        updated_at: t(opened),
    }
}

#[test]
fn indicators_per_agency_and_overall() {
    let mut rated = case("hepco", 0.0, Some(1.0), Some(10.0), 48.0, 48.0);
    rated.rating = Some(5);
    let mut unhappy = case("hepco", 0.0, Some(3.0), Some(60.0), 48.0, 96.0);
    unhappy.rating = Some(2);
    let cases = vec![
        rated,
        unhappy,
        case("hepco", 0.0, Some(2.0), Some(100.0), 48.0, 48.0),
        case("water", 100.0, None, None, 110.0, 110.0),
    ];
    let now = t(200.0);
    let inp = Inputs {
        cases: &cases,
        reports: (10, 7),
        cameras: &[],
        slos: &[],
    };
    let r = compute(&inp, now, Duration::days(30)).expect("computes");
    let h = &r.agencies["hepco"];
    assert_eq!(h.answered, 3);
    assert_eq!(h.on_time_strict, Some(0.3333));
    assert_eq!(h.on_time_extended, Some(0.6667));
    assert_eq!(h.ack_hours_p50, Some(2.0));
    assert_eq!(h.ack_hours_p90, Some(3.0));
    assert_eq!(h.answer_hours_p50, Some(60.0));
    assert_eq!(h.satisfaction, Some(0.5));
    assert_eq!(r.agencies["water"].backlog, 1);
    assert_eq!(r.agencies["water"].overdue, 1);
    assert_eq!(r.overall.opened, 4);
    assert_eq!(r.overall.overdue, 1);
    assert_eq!(r.verified_share, Some(0.7));
}

#[test]
fn error_budget_and_windows() {
    let spec = SloSpec {
        indicator: "on_time".into(),
        target: 0.9,
        window: Some("30d".into()),
    };
    // 95 good, 5 bad over the month: half the budget left.
    let mut s = Series::default();
    for i in 0..100 {
        s.events.push((t(i as f64 * 6.0), i % 20 != 0));
    }
    let st = slo_status(&spec, &s, t(700.0)).expect("status");
    assert_eq!(st.actual, Some(0.95));
    assert_eq!(st.error_budget_remaining, Some(0.5));
    assert!(st.alerts.is_empty());
    assert_eq!(parse_window("6h"), Ok(Duration::hours(6)));
    assert!(parse_window("6y").is_err());
    assert_eq!(quantile(&[1.0, 2.0, 3.0, 4.0], 0.5), Some(2.0));
}

#[test]
fn a_burn_rate_alert_fires_and_clears() {
    // One event a minute for three days, all good, then 20 bad minutes, then good again.
    let mut s = Series::default();
    let start = t(0.0);
    let bad_from = 72 * 60;
    for m in 0..(80 * 60) {
        let good = !(bad_from..bad_from + 20).contains(&m);
        s.events.push((start + Duration::minutes(m), good));
    }
    let at = |m: i64| start + Duration::minutes(m);
    assert!(burn_alerts(&s, 0.99, at(bad_from - 1)).is_empty());
    let fired = burn_alerts(&s, 0.99, at(bad_from + 15));
    assert!(
        fired
            .iter()
            .any(|a| a.severity == "page" && a.long_window == "1h" && a.short_window == "5m"),
        "{fired:?}"
    );
    // Ten minutes after the failures end the 5-minute window is clean: the fast page clears.
    let later = burn_alerts(&s, 0.99, at(bad_from + 30));
    assert!(!later.iter().any(|a| a.factor == 14.4), "{later:?}");
    // Days later everything has cleared.
    assert!(burn_alerts(&s, 0.99, at(80 * 60 - 1)).is_empty());
}

#[test]
fn camera_availability_feeds_the_slo() {
    let s = Series {
        events: vec![],
        timelines: vec![
            vec![(t(0.0), CameraState::Online)],
            vec![(t(0.0), CameraState::Online), (t(5.0), CameraState::Offline)],
        ],
    };
    let e = s.error_rate(t(0.0), t(10.0)).unwrap_or_default();
    assert!((e - 0.25).abs() < 1e-9);
    assert!(!burn_alerts(&s, 0.99, t(10.0)).is_empty());
}
