//! The core's contract: state machines under random commands, replay, conflicts, concurrency.

use chrono::{DateTime, Duration, TimeZone, Utc};
use iocdesk::domain::{
    Actor, CaseState, Command, DomainError, Envelope, NewReport, Priority, RejectReason, ReportState, Role,
};
use iocdesk::store::{Store, StoreConfig, StoreError};
use proptest::prelude::*;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 16, 2, 0, 0)
        .single()
        .expect("valid time")
}

fn officer() -> Actor {
    Actor::new("ioc.lan", Role::Officer)
}

fn submit(store: &mut Store, text: &str, at: DateTime<Utc>) -> String {
    let n = NewReport {
        text: text.into(),
        lat: Some(16.47),
        lon: Some(107.59),
        ..NewReport::default()
    };
    let ev = store
        .execute(&Command::SubmitReport(n).into(), &officer(), at)
        .expect("submit");
    ev[0].data.subject().to_string()
}

/// A store with one forwarded case; returns (store, report id, case id).
fn one_case() -> (Store, String, String) {
    let mut s = Store::open_in_memory(StoreConfig::default()).expect("store");
    let id = submit(&mut s, "Rác tồn đọng ở kiệt 5 Lê Lợi", t0());
    s.execute(
        &Command::VerifyReport {
            id: id.clone(),
            category: Some("waste".into()),
        }
        .into(),
        &officer(),
        t0(),
    )
    .expect("verify");
    let ev = s
        .execute(
            &Command::Forward {
                report_id: id.clone(),
                agencies: vec![],
                priority: None,
            }
            .into(),
            &officer(),
            t0(),
        )
        .expect("forward");
    let case = ev[0].data.subject().to_string();
    (s, id, case)
}

#[test]
fn stale_version_is_a_conflict_naming_who() {
    let (mut s, _, case) = one_case();
    let v = s.case(&case).unwrap().unwrap().version;
    let a = Actor::new("ioc.minh", Role::Officer);
    let b = Actor::new("ioc.hoa", Role::Officer);
    let first = Envelope {
        command: Command::SetPriority {
            case_id: case.clone(),
            priority: Priority::P1,
        },
        expected_version: Some(v),
    };
    let second = Envelope {
        command: Command::SetPriority {
            case_id: case.clone(),
            priority: Priority::P2,
        },
        expected_version: Some(v),
    };
    s.execute(&first, &a, t0()).expect("first writer wins");
    match s.execute(&second, &b, t0()) {
        Err(StoreError::Domain(DomainError::Conflict { by, .. })) => assert_eq!(by, "ioc.minh"),
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert_eq!(s.case(&case).unwrap().unwrap().priority, Priority::P1);
}

#[test]
fn agencies_never_see_reporters_and_only_their_cases() {
    let (s, id, case) = one_case();
    let ioc = iocdesk::ioc::LocalIoc::new(s, officer());
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let hepco = ioc.as_actor(Actor {
            name: "hepco.a".into(),
            role: Role::Officer,
            agency: Some("hepco".into()),
        });
        let police = ioc.as_actor(Actor {
            name: "police.a".into(),
            role: Role::Officer,
            agency: Some("police".into()),
        });
        let d = hepco.case(&case).await.expect("own case visible");
        assert!(d.reports.iter().all(|r| r.reporter.is_none()));
        assert!(police.case(&case).await.is_err(), "another agency's case is invisible");
        assert!(police.report(&id).await.is_err());
        let ev = hepco.events_after(0, 100).await.unwrap();
        assert!(ev.iter().all(|e| !matches!(
            &e.data,
            iocdesk::domain::EventData::ReportReceived { reporter: Some(_), .. }
        )));
    });
}

#[test]
fn deadline_and_verdicts() {
    let (mut s, _, case) = one_case();
    let c = s.case(&case).unwrap().unwrap();
    // Received Monday 16/11/2026 09:00 Huế: 7 working days → end of Wednesday 25/11.
    assert_eq!(c.deadline.to_rfc3339(), "2026-11-25T16:59:59+00:00");
    let unit = Actor {
        name: "hepco.a".into(),
        role: Role::Officer,
        agency: Some("hepco".into()),
    };
    let sup = Actor::new("ioc.truc-ban", Role::Supervisor);
    // An extension approved before the deadline counts for the verdict.
    s.execute(
        &Command::Extend {
            case_id: case.clone(),
            days: 3,
            reason: "chờ vật tư".into(),
        }
        .into(),
        &sup,
        t0() + Duration::days(2),
    )
    .unwrap();
    s.execute(
        &Command::StartWork { case_id: case.clone() }.into(),
        &unit,
        t0() + Duration::days(3),
    )
    .unwrap();
    s.execute(
        &Command::Answer {
            case_id: case.clone(),
            text: "Đã thu gom".into(),
            agency: None,
        }
        .into(),
        &unit,
        t0() + Duration::days(11),
    )
    .unwrap();
    let c = s.case(&case).unwrap().unwrap();
    assert_eq!(c.verdict, Some(iocdesk::domain::Verdict::Extended));
    // Officers cannot extend; viewers change nothing.
    let err = s.execute(
        &Command::Close { case_id: case.clone() }.into(),
        &Actor::new("v", Role::Viewer),
        t0(),
    );
    assert!(matches!(err, Err(StoreError::Domain(DomainError::Forbidden(_)))));
}

#[derive(Debug, Clone)]
enum Op {
    Submit,
    Verify(usize),
    Reject(usize),
    Merge(usize, usize),
    Forward(usize),
    Ack(usize),
    Start(usize),
    Answer(usize),
    Approve(usize),
    Return(usize),
    Rate(usize, u8),
    Close(usize),
    Reopen(usize),
    Extend(usize, u32),
    Escalate(usize),
    Claim(usize, usize),
    Release(usize, usize),
    Note(usize),
    Stale(usize),
}

fn op() -> impl Strategy<Value = Op> {
    let i = 0usize..8;
    prop_oneof![
        Just(Op::Submit),
        i.clone().prop_map(Op::Verify),
        i.clone().prop_map(Op::Reject),
        (i.clone(), i.clone()).prop_map(|(a, b)| Op::Merge(a, b)),
        i.clone().prop_map(Op::Forward),
        i.clone().prop_map(Op::Ack),
        i.clone().prop_map(Op::Start),
        i.clone().prop_map(Op::Answer),
        i.clone().prop_map(Op::Approve),
        i.clone().prop_map(Op::Return),
        (i.clone(), 0u8..7).prop_map(|(a, r)| Op::Rate(a, r)),
        i.clone().prop_map(Op::Close),
        i.clone().prop_map(Op::Reopen),
        (i.clone(), 0u32..12).prop_map(|(a, d)| Op::Extend(a, d)),
        i.clone().prop_map(Op::Escalate),
        (i.clone(), 0usize..2).prop_map(|(a, b)| Op::Claim(a, b)),
        (i.clone(), 0usize..2).prop_map(|(a, b)| Op::Release(a, b)),
        i.clone().prop_map(Op::Note),
        i.prop_map(Op::Stale),
    ]
}

/// Checks every invariant the state machines promise on the whole store.
fn check_invariants(s: &Store) {
    use iocdesk::domain::query::{CaseFilter, ReportFilter};
    let now = t0();
    let reports = s
        .list_reports(
            &ReportFilter {
                limit: 10_000,
                ..Default::default()
            },
            now,
        )
        .unwrap();
    let cases = s
        .list_cases(
            &CaseFilter {
                limit: 10_000,
                ..Default::default()
            },
            now,
        )
        .unwrap();
    for r in &reports {
        match r.state {
            ReportState::New => assert!(r.case_id.is_none() && r.duplicate_of.is_none(), "{r:?}"),
            ReportState::Rejected => assert!(r.reject_reason.is_some() && r.case_id.is_none()),
            ReportState::Duplicate => assert!(r.duplicate_of.is_some()),
            ReportState::Verified => assert!(r.category.is_some()),
        }
        if let Some(c) = &r.case_id {
            let case = cases.iter().find(|k| &k.id == c).expect("a report's case exists");
            assert!(case.report_ids.contains(&r.id), "case lists its report");
        }
    }
    for c in &cases {
        assert!(!c.agencies.is_empty());
        assert!(c.sla_deadline >= c.original_deadline && c.deadline >= c.sla_deadline);
        assert_eq!(
            c.verdict.is_some(),
            c.answered_at.is_some(),
            "verdict frozen at the first answer"
        );
        if matches!(c.state, CaseState::Published) {
            assert!(c.published_at.is_some());
        }
        if c.state == CaseState::Closed {
            assert!(c.closed_at.is_some());
        }
        if let Some(r) = c.rating {
            assert!((1..=5).contains(&r));
        }
        for id in &c.report_ids {
            let r = reports.iter().find(|r| &r.id == id).expect("case report exists");
            assert_eq!(r.case_id.as_deref(), Some(c.id.as_str()));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

    /// No sequence of commands leads to a forbidden state, and replay rebuilds identical tables.
    #[test]
    fn random_commands_keep_invariants_and_replay(ops in proptest::collection::vec(op(), 1..60)) {
        let mut s = Store::open_in_memory(StoreConfig::default()).unwrap();
        let sup = Actor::new("ioc.sup", Role::Supervisor);
        let offs = [Actor::new("ioc.a", Role::Officer), Actor::new("ioc.b", Role::Officer)];
        let mut reports: Vec<String> = (0..3).map(|i| submit(&mut s, &format!("Phản ánh số {i}"), t0())).collect();
        let mut now = t0();
        let cats = ["waste", "roads", "drainage"];
        for o in ops {
            now += Duration::hours(7);
            let rid = |i: usize| reports[i % reports.len()].clone();
            let cid = |s: &Store, i: usize| s.report(&rid(i)).unwrap().and_then(|r| r.case_id).unwrap_or_else(|| "C9999999".into());
            let unit = |s: &Store, i: usize| {
                let a = s.case(&cid(s, i)).unwrap().map(|c| c.agencies[0].clone()).unwrap_or_else(|| "hepco".into());
                Actor { name: format!("{a}.x"), role: Role::Officer, agency: Some(a) }
            };
            let (actor, cmd, expected) = match o {
                Op::Submit => { let id = submit(&mut s, "Đèn đường hỏng", now); reports.push(id); continue; }
                Op::Verify(i) => (offs[0].clone(), Command::VerifyReport { id: rid(i), category: Some(cats[i % 3].into()) }, None),
                Op::Reject(i) => (offs[0].clone(), Command::RejectReport { id: rid(i), reason: RejectReason::Invalid }, None),
                Op::Merge(i, j) => (offs[1].clone(), Command::MergeReport { id: rid(i), master: rid(j) }, None),
                Op::Forward(i) => (offs[0].clone(), Command::Forward { report_id: rid(i), agencies: vec![], priority: None }, None),
                Op::Ack(i) => (unit(&s, i), Command::Acknowledge { case_id: cid(&s, i), agency: None }, None),
                Op::Start(i) => (unit(&s, i), Command::StartWork { case_id: cid(&s, i) }, None),
                Op::Answer(i) => (unit(&s, i), Command::Answer { case_id: cid(&s, i), text: "Đã xử lý".into(), agency: None }, None),
                Op::Approve(i) => (offs[1].clone(), Command::ApproveAnswer { case_id: cid(&s, i) }, None),
                Op::Return(i) => (offs[1].clone(), Command::ReturnAnswer { case_id: cid(&s, i), reason: "thiếu ảnh".into() }, None),
                Op::Rate(i, r) => (offs[0].clone(), Command::Rate { case_id: cid(&s, i), rating: r }, None),
                Op::Close(i) => (offs[0].clone(), Command::Close { case_id: cid(&s, i) }, None),
                Op::Reopen(i) => (sup.clone(), Command::Reopen { case_id: cid(&s, i), reason: "chưa hài lòng".into() }, None),
                Op::Extend(i, d) => (sup.clone(), Command::Extend { case_id: cid(&s, i), days: d, reason: "mưa lớn".into() }, None),
                Op::Escalate(i) => (offs[1].clone(), Command::Escalate { case_id: cid(&s, i), reason: "quá hạn".into() }, None),
                Op::Claim(i, k) => (offs[k].clone(), Command::Claim { case_id: cid(&s, i) }, None),
                Op::Release(i, k) => (offs[k].clone(), Command::Release { case_id: cid(&s, i) }, None),
                Op::Note(i) => (offs[0].clone(), Command::AddNote { subject: rid(i), text: "đã gọi lại".into() }, None),
                Op::Stale(i) => (offs[0].clone(), Command::SetPriority { case_id: cid(&s, i), priority: Priority::P1 }, Some(0)),
            };
            let r = s.execute(&Envelope { command: cmd, expected_version: expected }, &actor, now);
            if let (Some(0), Ok(ev)) = (expected, &r) {
                prop_assert!(ev.is_empty(), "a stale command must not apply");
            }
            if let Err(e) = &r {
                prop_assert!(matches!(e, StoreError::Domain(_)), "only domain refusals: {e}");
            }
            check_invariants(&s);
        }
        let v = s.verify().unwrap();
        prop_assert!(v.ok(), "{:?}", v.differences);
    }
}

#[test]
fn eight_threads_lose_no_update() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("iocdesk.sqlite3");
    let mut s = Store::open(&path, StoreConfig::default()).unwrap();
    let id = submit(&mut s, "Cống nghẹt", t0());
    s.execute(
        &Command::VerifyReport {
            id: id.clone(),
            category: Some("drainage".into()),
        }
        .into(),
        &officer(),
        t0(),
    )
    .unwrap();
    let ev = s
        .execute(
            &Command::Forward {
                report_id: id,
                agencies: vec![],
                priority: None,
            }
            .into(),
            &officer(),
            t0(),
        )
        .unwrap();
    let case_id = ev[0].data.subject().to_string();
    drop(s);
    let threads: Vec<_> = (0..8)
        .map(|t| {
            let path = path.clone();
            let case_id = case_id.clone();
            std::thread::spawn(move || {
                let mut s = Store::open(&path, StoreConfig::default()).unwrap();
                let me = Actor::new(format!("officer{t}"), Role::Officer);
                let mut conflicts = 0;
                for i in 0..1000 {
                    // Version-checked priority changes: re-read and retry on conflict.
                    loop {
                        let v = s.case(&case_id).unwrap().unwrap().version;
                        let p = if (i + t) % 2 == 0 { Priority::P1 } else { Priority::P2 };
                        let env = Envelope {
                            command: Command::AddNote {
                                subject: case_id.clone(),
                                text: format!("{t}:{i}"),
                            },
                            expected_version: None,
                        };
                        s.execute(&env, &me, t0()).unwrap();
                        match s.execute(
                            &Envelope {
                                command: Command::SetPriority {
                                    case_id: case_id.clone(),
                                    priority: p,
                                },
                                expected_version: Some(v),
                            },
                            &me,
                            t0(),
                        ) {
                            Ok(_) => break,
                            Err(StoreError::Domain(DomainError::Conflict { .. })) => {
                                conflicts += 1;
                                continue;
                            }
                            Err(e) => panic!("{e}"),
                        }
                    }
                }
                conflicts
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let s = Store::open(&path, StoreConfig::default()).unwrap();
    let notes = s.notes(&case_id).unwrap();
    assert!(notes.len() >= 8000, "every note kept: {}", notes.len());
    for t in 0..8 {
        for i in 0..1000 {
            assert!(notes.iter().any(|n| n.text == format!("{t}:{i}")), "note {t}:{i} lost");
        }
    }
    assert!(s.verify().unwrap().ok());
}

#[test]
fn subscribe_replays_then_follows_live() {
    let (s, _, case) = one_case();
    let ioc = iocdesk::ioc::Ioc::Local(iocdesk::ioc::LocalIoc::new(s, officer()));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let mut rx = ioc.subscribe(1);
        let mut seen = Vec::new();
        loop {
            let e = rx.recv().await.unwrap().unwrap();
            seen.push(e.seq);
            if e.data.kind() == "CaseOpened" {
                break;
            }
        }
        assert_eq!(
            seen,
            (2..=seen.len() as u64 + 1).collect::<Vec<_>>(),
            "everything after seq 1, in order"
        );
        ioc.execute(Command::Claim { case_id: case.clone() }.into())
            .await
            .unwrap();
        let live = tokio::time::timeout(std::time::Duration::from_secs(5), rx.recv())
            .await
            .unwrap()
            .unwrap()
            .unwrap();
        assert_eq!(live.seq, seen.len() as u64 + 2);
        assert_eq!(live.data.kind(), "CaseClaimed");
    });
}

#[test]
fn a_text_is_refused_beyond_ten_thousand_characters_not_bytes() {
    use iocdesk::domain::lifecycle::validate_new_report;
    let with = |text: String| NewReport {
        text,
        ..NewReport::default()
    };
    // 10,000 characters of two bytes each: 20,000 bytes, and accepted.
    assert!(validate_new_report(&with("đ".repeat(10_000))).is_empty());
    assert_eq!(
        validate_new_report(&with("đ".repeat(10_001))),
        ["text is longer than 10,000 characters"]
    );
    assert_eq!(
        validate_new_report(&with("a".repeat(10_001))),
        ["text is longer than 10,000 characters"]
    );
}

#[test]
fn a_new_report_is_logged_once_with_the_classifiers_suggestion() {
    use iocdesk::domain::EventData;
    let mut s = Store::open_in_memory(StoreConfig::default()).expect("store");
    let n = NewReport {
        text: "Rác thải tồn đọng nhiều ngày ở kiệt 5 Lê Lợi, bốc mùi hôi".into(),
        ..NewReport::default()
    };
    let evs = s
        .execute(&Command::SubmitReport(n).into(), &officer(), t0())
        .expect("submit");
    assert_eq!(evs.len(), 1, "one event: the receipt");
    let EventData::ReportReceived {
        id,
        suggestion: Some(suggested),
        ..
    } = &evs[0].data
    else {
        panic!("a receipt with a suggestion: {:?}", evs[0].data);
    };
    assert_eq!(suggested.category, "waste");
    assert!(suggested.confidence > 0.0 && suggested.confidence <= 1.0);
    assert_eq!(evs[0].actor, "ioc.lan");
    let r = s.report(id).expect("read").expect("the report");
    assert_eq!(r.suggested_category.as_deref(), Some("waste"));
    assert_eq!(r.suggested_confidence, Some(suggested.confidence));
    assert_eq!(r.version, 1, "a suggestion is no edit");
    // The payload says it, and the log reads back the same event.
    let logged = s.events_after(0, 10).expect("log");
    assert_eq!(logged, evs);
    assert!(s.verify().expect("verify").ok());
}

#[test]
fn a_log_with_a_separate_classification_still_replays() {
    use iocdesk::domain::{Channel, Event, EventData};
    let mut s = Store::open_in_memory(StoreConfig::default()).expect("store");
    let received = EventData::ReportReceived {
        id: "R0000001".into(),
        received_at: t0(),
        channel: Channel::App,
        text: "Đèn đường hỏng".into(),
        category: None,
        ward: None,
        lat: None,
        lon: None,
        address: None,
        media: Vec::new(),
        reporter: None,
        suggestion: None,
    };
    // A receipt without a suggestion is written as before it was carried: without the field.
    assert!(!serde_json::to_string(&received).expect("json").contains("suggestion"));
    let classified = EventData::ReportClassified {
        id: "R0000001".into(),
        category: "street_lighting".into(),
        confidence: 0.875,
    };
    let mut bulk = s.bulk().expect("bulk");
    let event = |seq, actor: &str, data| Event {
        seq,
        at: t0(),
        actor: actor.into(),
        data,
    };
    bulk.events(&[event(1, "hue-s", received), event(2, "triage", classified)])
        .expect("log");
    bulk.commit().expect("commit");
    s.rebuild().expect("rebuild");
    let r = s.report("R0000001").expect("read").expect("the report");
    assert_eq!(r.suggested_category.as_deref(), Some("street_lighting"));
    assert_eq!(r.suggested_confidence, Some(0.875));
    assert_eq!(r.version, 1);
    assert!(s.verify().expect("verify").ok());
}
