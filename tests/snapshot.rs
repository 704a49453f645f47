//! Camera snapshots: the core fetches a camera's `snapshot_url` (locally, and through the server's
//! `GET /api/v1/cameras/{id}/snapshot`) under a timeout and a size limit.

mod common;

use common::Harness;
use common::camera_http::{CameraHttp, serve};
use iocdesk::domain::{Actor, CameraKind, Command, NewCamera, Role};
use iocdesk::ioc::{Ioc, IocError, LocalIoc};
use iocdesk::store::{Store, StoreConfig};

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

/// The image's size, when the bytes decode as one.
fn decode(bytes: &[u8]) -> Option<(u32, u32)> {
    image::load_from_memory(bytes).ok().map(|i| (i.width(), i.height()))
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
    assert_eq!(decode(&png), Some((64, 48)));
    assert_eq!(
        decode(&ioc.camera_snapshot("cam-jpg").await.expect("jpeg")),
        Some((32, 24))
    );

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
    // Served, but not an image: the core passes the bytes on (deciding what an image is, is the
    // front end's business).
    let html = ioc.camera_snapshot("cam-html").await.expect("bytes");
    assert_eq!(decode(&html), None);
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
    assert_eq!(decode(&png), Some((64, 48)));
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
