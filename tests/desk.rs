//! The desk driven by keys through the generic loop on a `TestBackend`, over an in-memory store
//! seeded with the demo city: filter, select, verify, forward, bulk reject, conflicts, layouts.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use futures::StreamExt;
use iocdesk::demo::seed::{SeedOptions, seed};
use iocdesk::domain::text::fold;
use iocdesk::domain::{Actor, Command, Envelope, NewReport, ReportState, Role};
use iocdesk::ioc::{Ioc, LocalIoc};
use iocdesk::store::{Store, StoreConfig};
use iocdesk::tui::app::{App, Effect, Msg, Panel, update};
use iocdesk::tui::{Options, build_app, run_loop};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 15, 3, 0, 0).single().expect("valid time")
}

/// An in-memory store with the demo city and six new reports whose text we know.
async fn ioc() -> Ioc {
    let mut store = Store::open_in_memory(StoreConfig::default()).expect("store");
    let o = SeedOptions {
        reports: 300,
        days: 30,
        seed: 1,
        until: NaiveDate::from_ymd_opt(2026, 1, 15).expect("date"),
    };
    seed(&mut store, &o).expect("seed");
    let ioc = Ioc::Local(LocalIoc::new(store, Actor::new("test", Role::Admin)));
    let Ioc::Local(l) = &ioc else {
        unreachable!("the test core is local")
    };
    for i in 0..6 {
        l.submit(NewReport {
            text: format!("Đèn đường hỏng trước nhà zzdesk{i}"),
            received_at: Some(now() - chrono::Duration::hours(10 - i)),
            category: Some("street_lighting".into()),
            ward: Some("Phú Hội".into()),
            lat: Some(16.47),
            lon: Some(107.59),
            ..NewReport::default()
        })
        .await
        .expect("submit");
    }
    ioc
}

/// Key tokens: `<Name>` is a special key, anything else types its characters.
fn keys(spec: &str) -> Vec<Event> {
    let mut out = Vec::new();
    for tok in spec.split(' ').filter(|t| !t.is_empty()) {
        let special = match tok {
            "<Enter>" => Some(KeyCode::Enter),
            "<Esc>" => Some(KeyCode::Esc),
            "<Tab>" => Some(KeyCode::Tab),
            "<Space>" => Some(KeyCode::Char(' ')),
            "<Down>" => Some(KeyCode::Down),
            "<Up>" => Some(KeyCode::Up),
            "<Backspace>" => Some(KeyCode::Backspace),
            _ => None,
        };
        match special {
            Some(code) => out.push(Event::Key(KeyEvent::new(code, KeyModifiers::NONE))),
            None => out.extend(
                tok.chars()
                    .map(|c| Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))),
            ),
        }
    }
    out
}

fn app_for(ioc: &Ioc, lang: &str) -> App {
    let mut app = build_app(
        ioc,
        &Options {
            lang: Some(lang.into()),
            no_color: true,
            bell: true,
            ..Options::default()
        },
    );
    app.now = now();
    app.info.connection = "memory".into();
    app
}

/// A desk that has loaded its first screen.
async fn started(ioc: &Ioc, lang: &str) -> App {
    let mut app = app_for(ioc, lang);
    iocdesk::tui::start(&mut app, ioc).await;
    app
}

/// Runs the desk on `spec` at `w`×`h`; returns the app and the screen text.
async fn drive(ioc: &Ioc, app: &mut App, spec: &str, w: u16, h: u16) -> String {
    let mut term = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    let input = futures::stream::iter(keys(spec));
    run_loop(&mut term, app, ioc, input, None, None, None, None)
        .await
        .expect("loop");
    screen(&term)
}

fn screen(term: &Terminal<TestBackend>) -> String {
    let buf = term.backend().buffer();
    let mut s = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            s.push_str(buf[(x, y)].symbol());
        }
        s.push('\n');
    }
    s
}

#[tokio::test]
async fn opens_on_four_panels_with_help() {
    let ioc = ioc().await;
    let mut app = started(&ioc, "en").await;
    let s = drive(&ioc, &mut app, "", 120, 40).await;
    for p in ["Incident", "triage", "Cameras", "Service"] {
        assert!(s.contains(p), "{p} missing:\n{s}");
    }
    assert!(!app.cases.is_empty());
    insta::assert_snapshot!("queue_120x40", s);
    let s = drive(&ioc, &mut app, "?", 120, 40).await;
    assert!(s.to_lowercase().contains("filter"), "{s}");
}

#[tokio::test]
async fn layouts_collapse_and_refuse_tiny_terminals() {
    let ioc = ioc().await;
    let mut app = started(&ioc, "en").await;
    let s = drive(&ioc, &mut app, "2", 80, 24).await;
    assert!(s.contains("triage") && !s.contains("Detail"), "{s}");
    insta::assert_snapshot!("triage_80x24", s);
    let s = drive(&ioc, &mut app, "", 40, 10).await;
    assert!(s.contains("too small"), "{s}");
    let mut vi = started(&ioc, "vi").await;
    let s = drive(&ioc, &mut vi, "", 40, 10).await;
    assert!(s.contains("Cửa sổ quá nhỏ"), "{s}");
}

#[tokio::test]
async fn filter_is_diacritic_insensitive() {
    let ioc = ioc().await;
    let mut app = started(&ioc, "en").await;
    let s = drive(&ioc, &mut app, "2 / den <Space> duong <Space> hong <Enter>", 120, 40).await;
    assert_eq!(app.panel, Panel::Triage);
    assert!(app.reports.len() >= 6, "{}", app.reports.len());
    assert!(app.reports.iter().all(|r| fold(&r.text).contains("den duong hong")));
    assert!(s.contains("zzdesk"), "{s}");
    drive(&ioc, &mut app, "/ <Esc> / zzdesk3", 120, 40).await;
    assert_eq!(app.reports.len(), 1);
}

#[tokio::test]
async fn select_and_verify() {
    let ioc = ioc().await;
    let mut app = started(&ioc, "en").await;
    drive(&ioc, &mut app, "2 / zzdesk <Enter> j", 120, 40).await;
    let id = app.selected_report().expect("selected").id.clone();
    let s = drive(&ioc, &mut app, "v", 120, 40).await;
    assert_eq!(
        ioc.report(&id).await.expect("report").report.state,
        ReportState::Verified
    );
    assert!(app.reports.iter().all(|r| r.id != id));
    assert!(s.contains("verify: 1 done"), "{s}");
}

#[tokio::test]
async fn forward_to_a_picked_agency() {
    let ioc = ioc().await;
    let mut app = started(&ioc, "en").await;
    drive(&ioc, &mut app, "2 / zzdesk0 <Enter>", 120, 40).await;
    let id = app.selected_report().expect("selected").id.clone();
    let s = drive(&ioc, &mut app, "f hepco", 120, 40).await;
    assert!(s.contains("hepco"), "{s}");
    drive(&ioc, &mut app, "<Space> <Enter>", 120, 40).await;
    let r = ioc.report(&id).await.expect("report").report;
    let case = ioc.case(r.case_id.as_deref().expect("case")).await.expect("case");
    assert_eq!(case.case.agencies, vec!["hepco".to_string()]);
}

#[tokio::test]
async fn bulk_reject_asks_first() {
    let ioc = ioc().await;
    let mut app = started(&ioc, "en").await;
    drive(&ioc, &mut app, "2 / zzdesk <Enter> <Space> <Space>", 120, 40).await;
    assert_eq!(app.marked.len(), 2);
    let ids: Vec<String> = app.marked.iter().cloned().collect();
    let s = drive(&ioc, &mut app, "x <Enter>", 120, 40).await;
    assert!(s.contains("Reject 2 report(s) as Invalid? (y/n)"), "{s}");
    drive(&ioc, &mut app, "n", 120, 40).await;
    for id in &ids {
        assert_eq!(ioc.report(id).await.expect("r").report.state, ReportState::New);
    }
    drive(&ioc, &mut app, "x <Enter> y", 120, 40).await;
    for id in &ids {
        assert_eq!(ioc.report(id).await.expect("r").report.state, ReportState::Rejected);
    }
    assert!(app.marked.is_empty());
}

#[tokio::test]
async fn conflict_is_shown_plainly() {
    let ioc = ioc().await;
    let mut app = started(&ioc, "en").await;
    drive(&ioc, &mut app, "2 / zzdesk <Enter>", 120, 40).await;
    let r = app.selected_report().expect("selected").clone();
    // Another officer verifies it first; our row still carries the old version.
    let Ioc::Local(l) = &ioc else {
        unreachable!("the test core is local")
    };
    let other = Ioc::Local(l.as_actor(Actor::new("lan", Role::Officer)));
    other
        .execute(Envelope {
            command: Command::VerifyReport {
                id: r.id.clone(),
                category: None,
            },
            expected_version: None,
        })
        .await
        .expect("note");
    let s = drive(&ioc, &mut app, "v", 120, 40).await;
    assert!(s.contains("Conflict"), "{s}");
    assert!(app.message.as_ref().is_some_and(|(_, err)| *err));
}

#[tokio::test]
async fn command_line_filters_overdue() {
    let ioc = ioc().await;
    let mut app = started(&ioc, "en").await;
    drive(&ioc, &mut app, ":overdue <Enter>", 120, 40).await;
    assert!(app.overdue);
    assert!(app.cases.iter().all(|c| c.is_overdue(Utc::now())));
    drive(&ioc, &mut app, ": <Up> <Enter>", 120, 40).await;
    assert!(!app.overdue, "history recalls :overdue");
    let s = drive(&ioc, &mut app, "3", 120, 40).await;
    assert!(s.contains("online ·") && s.contains("cam-"), "{s}");
    let s = drive(&ioc, &mut app, "4", 120, 40).await;
    assert!(s.contains("On time"), "{s}");
}

#[tokio::test]
async fn a_new_p1_case_flashes_and_rings() {
    let ioc = ioc().await;
    let mut app = started(&ioc, "en").await;
    let ev = iocdesk::domain::Event {
        seq: 99_999,
        at: now(),
        actor: "x".into(),
        data: iocdesk::domain::EventData::CaseOpened {
            case_id: "C9".into(),
            report_ids: vec![],
            category: "drainage".into(),
            ward: None,
            agencies: vec![],
            priority: iocdesk::domain::Priority::P1,
            deadline: now(),
        },
    };
    let fx = update(&mut app, Msg::Live(Ok(ev)));
    assert_eq!(fx, vec![Effect::Bell]);
    assert!(app.flash_until.is_some() && app.dirty);
    let fx = update(&mut app, Msg::Tick(now()));
    assert!(fx.iter().any(|e| matches!(e, Effect::LoadCases(_))));
}

#[tokio::test]
async fn live_events_refresh_and_keep_the_selection() {
    let ioc = ioc().await;
    let mut app = started(&ioc, "en").await;
    let mut term = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
    // Select the third report, then let another officer submit one while the desk waits.
    let keys_then_wait = futures::stream::iter(keys("2 j j")).chain(futures::stream::pending());
    let live = ioc.subscribe(app.last_seq);
    let (tx, rx) = tokio::sync::mpsc::channel(1);
    let other = ioc.clone();
    tokio::spawn(async move {
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        other
            .submit(NewReport {
                text: "Ngập nước zzlive".into(),
                received_at: Some(now() - chrono::Duration::days(20)),
                ..NewReport::default()
            })
            .await
            .expect("submit");
        tokio::time::sleep(std::time::Duration::from_millis(900)).await;
        let _ = tx.send(Msg::Shutdown).await;
    });
    run_loop(
        &mut term,
        &mut app,
        &ioc,
        Box::pin(keys_then_wait),
        Some(live),
        Some(rx),
        None,
        Some(std::time::Duration::from_millis(100)),
    )
    .await
    .expect("loop");
    // The new report is the oldest, so it lands first; the selection stayed on the same report.
    assert!(app.reports.first().is_some_and(|r| r.text.contains("zzlive")));
    assert_eq!(app.report_sel, 3);
    assert!(app.quit);
}

#[tokio::test]
async fn ctrl_c_asks_while_editing() {
    let ioc = ioc().await;
    let mut app = started(&ioc, "en").await;
    let mut ev = keys("n abc");
    ev.push(Event::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)));
    let mut term = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
    run_loop(
        &mut term,
        &mut app,
        &ioc,
        futures::stream::iter(ev),
        None,
        None,
        None,
        None,
    )
    .await
    .expect("loop");
    assert!(!app.quit);
    assert!(screen(&term).contains("Quit anyway? (y/n)"));
    drive(&ioc, &mut app, "y", 120, 40).await;
    assert!(app.quit);
}

#[tokio::test]
async fn merge_priority_and_claim() {
    let ioc = ioc().await;
    let mut app = started(&ioc, "en").await;
    drive(&ioc, &mut app, "2 / zzdesk0 <Enter>", 120, 40).await;
    let id = app.selected_report().expect("selected").id.clone();
    let s = drive(&ioc, &mut app, "d zzdesk1", 120, 40).await;
    assert!(s.contains("Duplicate of"), "{s}");
    drive(&ioc, &mut app, "<Enter>", 120, 40).await;
    let r = ioc.report(&id).await.expect("report").report;
    assert_eq!(r.state, ReportState::Duplicate);
    assert!(r.duplicate_of.is_some());

    drive(&ioc, &mut app, "1", 120, 40).await;
    let case = app.selected_case().expect("a case").clone();
    drive(&ioc, &mut app, "p 4 c", 120, 40).await;
    let c = ioc.case(&case.id).await.expect("case").case;
    assert_eq!(c.priority, iocdesk::domain::Priority::P4);
    assert_eq!(c.claimed_by.as_deref(), Some("test"));
    // The queue may reorder; the selection follows the case.
    assert_eq!(app.selected_case().map(|c| c.id.clone()), Some(case.id.clone()));
}

#[tokio::test]
async fn scrolling_keeps_the_selection_on_screen() {
    let ioc = ioc().await;
    let mut app = started(&ioc, "en").await;
    let s = drive(&ioc, &mut app, "G", 80, 24).await;
    let last = app.cases.last().expect("cases").id.clone();
    assert_eq!(app.case_sel, app.cases.len() - 1);
    assert!(s.contains(&last), "{s}");
    let s = drive(&ioc, &mut app, "g g", 80, 24).await;
    assert_eq!(app.case_sel, 0);
    assert!(s.contains(&app.cases[0].id), "{s}");
}

#[tokio::test]
async fn no_color_means_no_colour_and_bad_keymaps_only_warn() {
    let ioc = ioc().await;
    let mut app = build_app(
        &ioc,
        &Options {
            lang: Some("en".into()),
            no_color: true,
            user_keymap: Some(r#"keymap = [{ on = ["z"], run = "explode", desc = "?" }]"#.into()),
            ..Options::default()
        },
    );
    app.now = now();
    iocdesk::tui::start(&mut app, &ioc).await;
    let mut term = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
    run_loop(
        &mut term,
        &mut app,
        &ioc,
        futures::stream::iter(keys("z")),
        None,
        None,
        None,
        None,
    )
    .await
    .expect("loop");
    let buf = term.backend().buffer();
    for cell in buf.content() {
        assert_eq!(cell.fg, ratatui::style::Color::Reset);
        assert_eq!(cell.bg, ratatui::style::Color::Reset);
    }
    assert!(screen(&term).contains("unknown action 'explode'"), "{}", screen(&term));
    assert!(!app.quit);
}

#[tokio::test]
async fn a_camera_going_down_flashes_and_rings() {
    let ioc = ioc().await;
    let mut app = started(&ioc, "en").await;
    let ev = iocdesk::domain::Event {
        seq: 99_998,
        at: now(),
        actor: "prober".into(),
        data: iocdesk::domain::EventData::CameraStateChanged {
            id: "cam-ga-hue-01".into(),
            state: iocdesk::domain::CameraState::Offline,
            reason: "no answer".into(),
        },
    };
    let fx = update(&mut app, Msg::Live(Ok(ev)));
    assert_eq!(fx, vec![Effect::Bell]);
    assert!(app.flash_until.is_some());
}

/// Every panel, the help overlay and the command line, at the two sizes an officer meets.
#[tokio::test]
async fn snapshots_of_every_screen() {
    for (w, h) in [(120u16, 40u16), (80, 24)] {
        for (name, keys) in [
            ("queue", "1"),
            ("triage", "2"),
            ("cameras", "3"),
            ("service", "4"),
            ("help", "?"),
            ("cmdline", ": w a r d"),
        ] {
            let ioc = ioc().await;
            let mut app = started(&ioc, "en").await;
            let s = drive(&ioc, &mut app, keys, w, h).await;
            insta::assert_snapshot!(format!("screen_{name}_{w}x{h}"), s);
        }
    }
}
