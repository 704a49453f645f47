//! Groups of commands in one transaction: each command sees what the earlier ones of its group
//! did, and a group applies whole or not at all.

use chrono::{DateTime, TimeZone, Utc};
use iocdesk::domain::command::NewCamera;
use iocdesk::domain::{Actor, CameraKind, CameraState, Command, Envelope, NewReport, ReportState, Role};
use iocdesk::store::{Store, StoreConfig};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 16, 2, 0, 0)
        .single()
        .expect("valid time")
}

fn supervisor() -> Actor {
    Actor::new("ioc.lead", Role::Supervisor)
}

fn report(text: &str) -> Envelope {
    Command::SubmitReport(NewReport {
        text: text.into(),
        lat: Some(16.47),
        lon: Some(107.59),
        ..NewReport::default()
    })
    .into()
}

fn verify(id: &str) -> Envelope {
    Command::VerifyReport {
        id: id.into(),
        category: Some("waste".into()),
    }
    .into()
}

fn forward(id: &str, agencies: &[&str]) -> Envelope {
    Command::Forward {
        report_id: id.into(),
        agencies: agencies.iter().map(|a| a.to_string()).collect(),
        priority: None,
    }
    .into()
}

fn store_with_reports(n: usize) -> (Store, Vec<String>) {
    let mut s = Store::open_in_memory(StoreConfig::default()).expect("store");
    let groups: Vec<Vec<Envelope>> = (0..n)
        .map(|i| vec![report(&format!("Rác tồn đọng ở kiệt {i} Lê Lợi"))])
        .collect();
    let out = s.execute_groups(&groups, &supervisor(), t0(), false).expect("submit");
    let ids = out
        .into_iter()
        .map(|r| r.expect("accepted")[0].data.subject().to_string())
        .collect();
    (s, ids)
}

#[test]
fn reports_of_one_group_get_distinct_ids() {
    let (s, ids) = store_with_reports(1);
    let mut s = s;
    let out = s
        .execute_groups(
            &[vec![report("Đèn đường hỏng"), report("Cây đổ")]],
            &supervisor(),
            t0(),
            false,
        )
        .expect("group");
    let events = out.into_iter().next().expect("one result").expect("accepted");
    let new: Vec<&str> = events
        .iter()
        .filter(|e| e.data.kind() == "ReportReceived")
        .map(|e| e.data.subject())
        .collect();
    assert_eq!(new.len(), 2);
    assert_ne!(new[0], new[1]);
    assert!(!new.contains(&ids[0].as_str()));
    assert!(s.verify().expect("verify").ok());
}

#[test]
fn a_refused_command_leaves_nothing_of_its_group() {
    let (mut s, ids) = store_with_reports(2);
    let before = s.last_seq().expect("seq");
    let version = s.report(&ids[1]).expect("read").expect("exists").version;
    let out = s
        .execute_groups(
            &[
                vec![verify(&ids[0]), forward(&ids[0], &[])],
                // The forward is refused (no such agency): the verify before it must not stay.
                vec![verify(&ids[1]), forward(&ids[1], &["no-such-agency"])],
            ],
            &supervisor(),
            t0(),
            false,
        )
        .expect("groups");
    let first = out[0].as_ref().expect("first group accepted");
    assert!(out[1].is_err(), "second group refused");
    assert_eq!(s.last_seq().expect("seq"), before + first.len() as u64);
    let r0 = s.report(&ids[0]).expect("read").expect("exists");
    assert_eq!(r0.state, ReportState::Verified);
    assert!(r0.case_id.is_some());
    let r1 = s.report(&ids[1]).expect("read").expect("exists");
    assert_eq!(r1.state, ReportState::New);
    assert_eq!(r1.version, version);
    assert!(s.verify().expect("verify").ok());
}

#[test]
fn later_commands_see_the_merges_of_their_group() {
    let (mut s, ids) = store_with_reports(2);
    let merge: Envelope = Command::MergeReport {
        id: ids[1].clone(),
        master: ids[0].clone(),
    }
    .into();
    let out = s
        .execute_groups(
            &[vec![merge, verify(&ids[0]), forward(&ids[0], &[])]],
            &supervisor(),
            t0(),
            false,
        )
        .expect("group");
    out[0].as_ref().expect("accepted");
    let case_id = s
        .report(&ids[0])
        .expect("read")
        .expect("exists")
        .case_id
        .expect("forwarded");
    let case = s.case(&case_id).expect("read").expect("exists");
    assert!(
        case.report_ids.contains(&ids[1]),
        "the duplicate travels with its master"
    );
    assert!(s.verify().expect("verify").ok());
}

#[test]
fn later_commands_see_the_cameras_of_their_group() {
    let mut s = Store::open_in_memory(StoreConfig::default()).expect("store");
    let cam = NewCamera {
        id: "cam-test-01".into(),
        name: "Cổng Thượng Tứ".into(),
        site: "thuong-tu".into(),
        kind: CameraKind::Fixed,
        rtsp_url: None,
        snapshot_url: None,
        lat: None,
        lon: None,
        ward: None,
    };
    let set: Envelope = Command::SetCameraState {
        id: cam.id.clone(),
        state: CameraState::Maintenance,
        reason: "thay ống kính".into(),
    }
    .into();
    let out = s
        .execute_groups(
            &[vec![Command::RegisterCamera(cam).into(), set]],
            &supervisor(),
            t0(),
            false,
        )
        .expect("group");
    assert_eq!(out[0].as_ref().expect("accepted").len(), 2);
    let listed = s.list_cameras().expect("cameras");
    assert_eq!(listed[0].state, CameraState::Maintenance);
    assert!(s.verify().expect("verify").ok());
}

#[test]
fn a_dry_run_changes_nothing() {
    let (mut s, ids) = store_with_reports(1);
    let before = s.last_seq().expect("seq");
    let out = s
        .execute_groups(
            &[vec![verify(&ids[0]), forward(&ids[0], &[])]],
            &supervisor(),
            t0(),
            true,
        )
        .expect("dry run");
    assert_eq!(
        out[0].as_ref().expect("would be accepted").len(),
        2,
        "verified, case opened"
    );
    assert_eq!(s.last_seq().expect("seq"), before);
    assert_eq!(
        s.report(&ids[0]).expect("read").expect("exists").state,
        ReportState::New
    );
}

#[test]
fn later_commands_see_the_watchlist_and_raised_cases_of_their_group() {
    let mut s = Store::open_in_memory(StoreConfig::default()).expect("store");
    let cam = NewCamera {
        id: "cam-gate-01".into(),
        name: "Cửa ngõ phía Bắc".into(),
        site: "gate-north".into(),
        kind: CameraKind::Anpr,
        rtsp_url: None,
        snapshot_url: None,
        lat: None,
        lon: None,
        ward: None,
    };
    let seen = |minute: u32| -> Envelope {
        Command::RecordSighting {
            camera_id: "cam-gate-01".into(),
            plate: "75A-123.45".into(),
            seen_at: Utc.with_ymd_and_hms(2026, 11, 16, 1, minute, 0).single().expect("time"),
            confidence: 0.93,
        }
        .into()
    };
    let watch: Envelope = Command::WatchPlate {
        plate: "75A12345".into(),
        reason: Some("xe bỏ chạy sau va chạm".into()),
    }
    .into();
    // The watch, then two sightings, in one group: the first sighting sees the watch and raises a
    // case, the second sees that case open and only adds to it.
    let out = s
        .execute_groups(
            &[vec![Command::RegisterCamera(cam).into(), watch, seen(1), seen(2)]],
            &supervisor(),
            t0(),
            false,
        )
        .expect("group");
    let events = out.into_iter().next().expect("one result").expect("accepted");
    let raised = events.iter().filter(|e| e.data.kind() == "CaseRaised").count();
    assert_eq!(raised, 1, "one case for the plate, not one per sighting");
    assert!(s.verify().expect("verify").ok());
}
