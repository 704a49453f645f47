//! Camera snapshots: the core fetches a camera's `snapshot_url` (locally, and through the server's
//! `GET /api/v1/cameras/{id}/snapshot`) under a timeout and a size limit, and the desk shows it in
//! an overlay on `enter` in the Cameras panel, with plain messages when it cannot.

mod common;

use common::Harness;
use common::camera_http::{CameraHttp, serve};
use crossterm::event::{Event as TermEvent, KeyCode, KeyEvent, KeyModifiers};
use iocdesk::domain::{Actor, CameraKind, Command, NewCamera, Role};
use iocdesk::ioc::{Ioc, IocError, LocalIoc};
use iocdesk::store::{Store, StoreConfig};
use iocdesk::tui::app::{App, Effect, Msg, Panel, update};
use iocdesk::tui::modal::Mode;
use iocdesk::tui::snapshot::{Failure, Graphics, decode};
use iocdesk::tui::{Options, build_app, run_loop};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Color;

fn camera(id: &str, name: &str, snapshot_url: Option<String>) -> Command {
    Command::RegisterCamera(NewCamera {
        id: id.into(),
        name: name.into(),
        site: "Cửa Thượng Tứ".into(),
        kind: CameraKind::Fixed,
        rtsp_url: None,
        snapshot_url,
        lat: None,
        lon: None,
        ward: None,
    })
}

/// Registers the fixture's cameras (and one without a snapshot URL) on `ioc`.
async fn register(ioc: &Ioc, cam: &CameraHttp) {
    let b = &cam.base;
    let host = b.trim_start_matches("http://");
    for (id, url) in [
        ("cam-png", Some(format!("{b}/cam.png"))),
        ("cam-jpg", Some(format!("{b}/cam.jpg"))),
        ("cam-404", Some(format!("http://admin:s3cret@{host}/missing"))),
        ("cam-html", Some(format!("{b}/garbage"))),
        ("cam-flood", Some(format!("{b}/flood"))),
        ("cam-none", None),
    ] {
        // A hostile name: the overlay's title must not carry its escape sequence.
        let name = format!("Gate {id}\u{1b}]2;OWNED\u{7}");
        ioc.execute(camera(id, &name, url).into()).await.expect("register");
    }
}

fn core() -> Ioc {
    let store = Store::open_in_memory(StoreConfig::default()).expect("store");
    Ioc::Local(LocalIoc::new(store, Actor::new("test", Role::Admin)))
}

#[tokio::test]
async fn local_core_fetches_bounded_snapshots() {
    let cam = serve();
    let ioc = core();
    register(&ioc, &cam).await;
    let png = ioc.camera_snapshot("cam-png").await.expect("png");
    assert_eq!(png, cam.png);
    let img = decode(&png).expect("decodes");
    assert_eq!((img.width(), img.height()), (64, 48));
    let jpg = decode(&ioc.camera_snapshot("cam-jpg").await.expect("jpeg")).expect("decodes");
    assert_eq!((jpg.width(), jpg.height()), (32, 24));

    let e = ioc.camera_snapshot("cam-none").await.expect_err("no url");
    assert!(
        matches!(&e, IocError::NotFound(m) if m.contains("no snapshot URL")),
        "{e:?}"
    );
    let e = ioc.camera_snapshot("cam-nope").await.expect_err("no camera");
    assert!(matches!(&e, IocError::NotFound(m) if m.contains("not found")), "{e:?}");
    let e = ioc.camera_snapshot("cam-404").await.expect_err("404");
    assert!(
        matches!(&e, IocError::Unreachable(m) if m.contains("HTTP 404")),
        "{e:?}"
    );
    assert!(!e.to_string().contains("s3cret"), "a password leaked: {e}");
    let e = ioc.camera_snapshot("cam-flood").await.expect_err("flood");
    assert!(
        matches!(&e, IocError::Unreachable(m) if m.contains("larger than 8 MiB")),
        "{e:?}"
    );
    // Served, but not an image: the core passes the bytes on, the desk refuses to decode them.
    let html = ioc.camera_snapshot("cam-html").await.expect("bytes");
    assert!(matches!(decode(&html), Err(Failure::Undecodable(_))));
}

#[tokio::test]
async fn unreachable_and_silent_cameras_fail_in_bounded_time() {
    let ioc = core();
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let dead = closed.local_addr().expect("addr").port();
    drop(closed);
    let silent = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let silent_port = silent.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for c in silent.incoming().flatten() {
            held.push(c);
        }
    });
    ioc.execute(camera("dead", "Dead", Some(format!("http://127.0.0.1:{dead}/s.jpg"))).into())
        .await
        .expect("register");
    ioc.execute(
        camera(
            "silent",
            "Silent",
            Some(format!("http://127.0.0.1:{silent_port}/s.jpg")),
        )
        .into(),
    )
    .await
    .expect("register");
    let e = ioc.camera_snapshot("dead").await.expect_err("refused");
    assert!(
        matches!(&e, IocError::Unreachable(m) if m.contains("cannot connect")),
        "{e:?}"
    );
    let t = std::time::Instant::now();
    let e = ioc.camera_snapshot("silent").await.expect_err("silent");
    assert!(
        matches!(&e, IocError::Unreachable(m) if m.contains("no answer")),
        "{e:?}"
    );
    assert!(t.elapsed() < std::time::Duration::from_secs(14), "{:?}", t.elapsed());
}

#[tokio::test]
async fn the_server_route_passes_snapshots_on_to_any_role() {
    let cam = serve();
    let h = Harness::start().await;
    register(&Ioc::Local(h.local.clone()), &cam).await;
    // A viewer may look, through the remote core.
    let viewer = h.remote("viewer");
    let png = viewer.camera_snapshot("cam-png").await.expect("png");
    assert_eq!(png, cam.png);
    assert_eq!(decode(&png).map(|i| i.width()).ok(), Some(64));
    let e = viewer.camera_snapshot("cam-none").await.expect_err("no url");
    assert!(
        matches!(&e, IocError::NotFound(m) if m.contains("no snapshot URL")),
        "{e:?}"
    );
    let e = viewer.camera_snapshot("cam-404").await.expect_err("404");
    assert!(
        matches!(&e, IocError::Unreachable(m) if m.contains("HTTP 404")),
        "{e:?}"
    );
    assert!(!e.to_string().contains("s3cret"), "a password leaked: {e}");
    // The raw route: the sniffed type, never cached; no token, no image.
    let url = format!("{}/api/v1/cameras/cam-jpg/snapshot", h.url);
    let resp = reqwest::Client::new()
        .get(&url)
        .bearer_auth(&h.tokens["viewer"])
        .send()
        .await
        .expect("send");
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(resp.headers()["content-type"], "image/jpeg");
    assert_eq!(resp.headers()["cache-control"], "no-store");
    assert_eq!(resp.bytes().await.expect("body").to_vec(), cam.jpeg);
    assert_eq!(common::status(&url, "GET", None, None).await, 401);
    let html = format!("{}/api/v1/cameras/cam-html/snapshot", h.url);
    let resp = reqwest::Client::new()
        .get(&html)
        .bearer_auth(&h.tokens["viewer"])
        .send()
        .await
        .expect("send");
    assert_eq!(resp.headers()["content-type"], "application/octet-stream");
    let flood = format!("{}/api/v1/cameras/cam-flood/snapshot", h.url);
    assert_eq!(
        common::status(&flood, "GET", Some(&h.tokens["viewer"]), None).await,
        502
    );
}

fn key(code: KeyCode) -> TermEvent {
    TermEvent::Key(KeyEvent::new(code, KeyModifiers::NONE))
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

/// Runs the desk on `keys` at 80×24 (slow effects finish before it returns).
async fn drive(ioc: &Ioc, app: &mut App, keys: Vec<TermEvent>) -> (String, Terminal<TestBackend>) {
    let mut term = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
    run_loop(&mut term, app, ioc, futures::stream::iter(keys), None, None, None, None)
        .await
        .expect("loop");
    (screen(&term), term)
}

/// Keys that select camera `id` on the Cameras panel.
fn select(app: &App, id: &str) -> Vec<TermEvent> {
    let i = app.cameras.iter().position(|c| c.id == id).expect("camera listed");
    let mut k = vec![key(KeyCode::Home)];
    k.extend((0..i).map(|_| key(KeyCode::Down)));
    k
}

async fn desk(lang: &str) -> (Ioc, App, CameraHttp) {
    let cam = serve();
    let ioc = core();
    register(&ioc, &cam).await;
    let mut app = build_app(
        &ioc,
        &Options {
            lang: Some(lang.into()),
            no_color: true,
            ..Options::default()
        },
    );
    iocdesk::tui::start(&mut app, &ioc).await;
    drive(&ioc, &mut app, vec![key(KeyCode::Char('3'))]).await;
    assert_eq!(app.panel, Panel::Cameras);
    assert_eq!(app.cameras.len(), 6);
    (ioc, app, cam)
}

#[tokio::test]
async fn enter_on_a_camera_shows_its_snapshot_and_esc_closes_it() {
    let (ioc, mut app, _cam) = desk("en").await;
    let mut keys = select(&app, "cam-png");
    keys.push(key(KeyCode::Enter));
    let (s, term) = drive(&ioc, &mut app, keys).await;
    assert_eq!(app.mode, Mode::Snapshot);
    assert!(s.contains("(cam-png): snapshot"), "{s}");
    assert!(s.contains("Esc or q closes · drawn with half-blocks"), "{s}");
    assert!(!s.contains("OWNED") && !s.contains('\u{1b}'), "{s}");
    // The image is drawn in half-block cells with the picture's colours inside the overlay, in
    // the 256 colours unless the terminal says it takes 24-bit colour.
    let cells = |term: &Terminal<TestBackend>, truecolor: bool| {
        term.backend()
            .buffer()
            .content()
            .iter()
            .filter(|c| {
                matches!(c.symbol(), "▀" | "▄")
                    && match c.fg {
                        Color::Rgb(..) => truecolor,
                        Color::Indexed(_) => !truecolor,
                        _ => false,
                    }
            })
            .count()
    };
    // 64×48 scaled into 78×17 cells keeps 4:3: 17 rows of about 45 cells.
    assert!(
        cells(&term, false) > 17 * 40,
        "{} image cells:\n{s}",
        cells(&term, false)
    );
    app.graphics = Graphics::HalfBlocks { truecolor: true };
    let (_, term) = drive(&ioc, &mut app, vec![]).await;
    assert!(cells(&term, true) > 17 * 40, "{} image cells", cells(&term, true));
    let (s, _) = drive(&ioc, &mut app, vec![key(KeyCode::Esc)]).await;
    assert_eq!(app.mode, Mode::Normal);
    assert!(app.snapshot.is_none());
    assert!(!s.contains("): snapshot") && s.contains("cam-png"), "{s}");
    assert!(s.contains("enter snapshot"), "the hint line offers it:\n{s}");
    // `q` closes it too, without quitting the desk.
    let (_, _) = drive(&ioc, &mut app, vec![key(KeyCode::Enter), key(KeyCode::Char('q'))]).await;
    assert!(app.snapshot.is_none() && !app.quit);
}

#[tokio::test]
async fn loading_shows_first_and_late_answers_are_dropped() {
    let (_ioc, mut app, cam) = desk("vi").await;
    let i = app.cameras.iter().position(|c| c.id == "cam-jpg").expect("listed");
    app.camera_sel = i;
    let fx = update(&mut app, Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)));
    let req = match fx.as_slice() {
        [Effect::LoadSnapshot { req, id }] if id == "cam-jpg" => *req,
        other => panic!("expected one snapshot load, got {other:?}"),
    };
    let mut term = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
    term.draw(|f| f.render_widget(&app, f.area())).expect("draw");
    let s = screen(&term);
    assert!(s.contains("Đang tải ảnh chụp…"), "{s}");
    assert!(s.contains("(cam-jpg): ảnh chụp"), "{s}");
    // Closed before the answer came: the answer changes nothing.
    update(&mut app, Msg::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)));
    let img = decode(&cam.jpeg).expect("decodes");
    update(&mut app, Msg::Snapshot(req, Ok(img.clone())));
    assert!(app.snapshot.is_none() && app.mode == Mode::Normal);
    // Reopened: only the newest request's answer is shown.
    update(&mut app, Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)));
    update(&mut app, Msg::Snapshot(req, Ok(img.clone())));
    assert!(matches!(
        app.snapshot.as_ref().map(|v| &v.state),
        Some(iocdesk::tui::snapshot::SnapshotState::Loading)
    ));
    update(&mut app, Msg::Snapshot(req + 1, Ok(img)));
    assert!(matches!(
        app.snapshot.as_ref().map(|v| &v.state),
        Some(iocdesk::tui::snapshot::SnapshotState::Ready { .. })
    ));
}

#[tokio::test]
async fn cameras_that_cannot_be_shown_say_why() {
    let (ioc, mut app, _cam) = desk("en").await;
    for (id, why) in [
        ("cam-none", "No snapshot: camera cam-none has no snapshot URL"),
        ("cam-404", "No snapshot: camera cam-404: snapshot: HTTP 404"),
        ("cam-html", "did not send a readable JPEG or PNG image"),
    ] {
        let mut keys = select(&app, id);
        keys.push(key(KeyCode::Enter));
        let (s, _) = drive(&ioc, &mut app, keys).await;
        assert!(s.contains(why), "{id}:\n{s}");
        assert!(!s.contains("s3cret"), "{s}");
        drive(&ioc, &mut app, vec![key(KeyCode::Esc)]).await;
        assert!(app.snapshot.is_none());
    }
    // Elsewhere, enter keeps its meaning: the detail pane.
    let (_, _) = drive(&ioc, &mut app, vec![key(KeyCode::Char('1')), key(KeyCode::Enter)]).await;
    assert!(app.snapshot.is_none() && app.show_detail);
}
