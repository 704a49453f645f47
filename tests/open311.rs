//! Open311 GeoReport v2 against a served, seeded core: every endpoint in JSON and XML checked
//! against the spec's field lists, each error case, the reporter never shown, HTML stripped,
//! media round trip, filters and paging, and an intake key made by `iocdesk token create`.

mod common;

use common::Harness;
use iocdesk::server::Open311Config;
use serde_json::Value;

struct O {
    h: Harness,
    base: String,
    key: String,
    _dir: tempfile::TempDir,
}

async fn start() -> O {
    let dir = tempfile::tempdir().expect("tempdir");
    let h = Harness::start_with(Open311Config {
        jurisdiction: "hue.gov.vn".into(),
        media_dir: Some(dir.path().join("media")),
    })
    .await;
    let base = format!("{}/open311/v2", h.url);
    let key = h.tokens["intake"].clone();
    O {
        h,
        base,
        key,
        _dir: dir,
    }
}

/// A response: status, content type, body.
struct Resp {
    status: u16,
    ctype: String,
    body: Vec<u8>,
}

impl Resp {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
}

async fn send(rb: reqwest::RequestBuilder) -> Resp {
    let r = rb.send().await.expect("send");
    let status = r.status().as_u16();
    let ctype = r
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let body = r.bytes().await.expect("body").to_vec();
    Resp { status, ctype, body }
}

async fn get(url: &str) -> Resp {
    send(reqwest::Client::new().get(url)).await
}

fn urlencode(pairs: &[(&str, &str)]) -> String {
    let enc = |s: &str| -> String {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
                _ => format!("%{b:02X}"),
            })
            .collect()
    };
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

async fn post_form(url: &str, pairs: &[(&str, &str)]) -> Resp {
    send(
        reqwest::Client::new()
            .post(url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(urlencode(pairs)),
    )
    .await
}

/// The fields of one GET request (the spec's list).
const REQUEST_FIELDS: &[&str] = &[
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
];
const SERVICE_FIELDS: &[&str] = &[
    "service_code",
    "service_name",
    "description",
    "metadata",
    "type",
    "keywords",
    "group",
];
const ATTRIBUTE_FIELDS: &[&str] = &[
    "variable",
    "code",
    "datatype",
    "required",
    "datatype_description",
    "order",
    "description",
    "values",
];

fn has_fields(v: &Value, fields: &[&str], what: &str) {
    let o = v.as_object().unwrap_or_else(|| panic!("{what}: not an object: {v}"));
    for f in fields {
        assert!(o.contains_key(*f), "{what}: no {f} in {v}");
    }
}

/// Every field appears as an element (`<f>` or `<f/>`) in an XML body.
fn xml_has(body: &str, fields: &[&str], what: &str) {
    for f in fields {
        assert!(
            body.contains(&format!("<{f}>")) || body.contains(&format!("<{f}/>")),
            "{what}: no <{f}> in {body}"
        );
    }
}

fn is_json(r: &Resp) -> bool {
    r.ctype.starts_with("application/json")
}
fn is_xml(r: &Resp) -> bool {
    r.ctype.starts_with("text/xml") && r.text().starts_with("<?xml")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_endpoint_in_both_formats() {
    let o = start().await;
    // Discovery.
    let d = get(&format!("{}/discovery.json", o.base)).await;
    assert_eq!(d.status, 200);
    assert!(is_json(&d));
    let dv = d.json();
    has_fields(&dv, &["changeset", "contact", "key_service", "endpoints"], "discovery");
    has_fields(
        &dv["endpoints"][0],
        &["specification", "url", "changeset", "type", "formats"],
        "endpoint",
    );
    let dx = get(&format!("{}/discovery.xml", o.base)).await;
    assert!(is_xml(&dx));
    xml_has(
        &dx.text(),
        &["discovery", "endpoints", "endpoint", "format", "url"],
        "discovery",
    );

    // Services: one per citizen category (`invalid` and the system's own excluded); codes are
    // strings.
    let s = get(&format!("{}/services.json", o.base)).await;
    assert_eq!(s.status, 200);
    let list = s.json();
    let list = list.as_array().expect("array");
    let citizen = iocdesk::domain::catalog::CATEGORIES
        .iter()
        .filter(|c| !c.system)
        .count();
    assert_eq!(list.len(), citizen - 1);
    for sv in list {
        has_fields(sv, SERVICE_FIELDS, "service");
        assert!(sv["service_code"].is_string());
        assert_ne!(sv["service_code"], "invalid");
    }
    let sx = get(&format!("{}/services.xml", o.base)).await;
    assert!(is_xml(&sx));
    assert!(sx.text().contains("<services><service>"));
    xml_has(&sx.text(), SERVICE_FIELDS, "services.xml");

    // Definitions.
    let def = get(&format!("{}/services/drainage.json", o.base)).await.json();
    assert_eq!(def["service_code"], "drainage");
    let attrs = def["attributes"].as_array().expect("attributes");
    assert!(attrs.len() >= 2);
    for a in attrs {
        has_fields(a, ATTRIBUTE_FIELDS, "attribute");
    }
    assert!(attrs.iter().any(|a| a["code"] == "severity" && a["required"] == false));
    assert!(attrs.iter().any(|a| a["required"] == true));
    let defx = get(&format!("{}/services/drainage.xml", o.base)).await;
    assert!(is_xml(&defx));
    assert!(defx.text().contains("<service_definition>"));
    xml_has(&defx.text(), ATTRIBUTE_FIELDS, "definition.xml");
    xml_has(&defx.text(), &["attribute", "value", "key", "name"], "definition.xml");

    // POST in both formats.
    let form = [
        ("api_key", o.key.as_str()),
        ("service_code", "waste"),
        ("lat", "16.4726"),
        ("long", "107.5885"),
        ("description", "Rác tồn đọng nhiều ngày ở đầu kiệt 27, bốc mùi"),
        ("attribute[severity]", "high"),
    ];
    let p = post_form(&format!("{}/requests.json", o.base), &form).await;
    assert_eq!(p.status, 201, "{}", p.text());
    let pv = p.json();
    has_fields(&pv[0], &["service_request_id", "service_notice", "token"], "post");
    let id = pv[0]["service_request_id"]
        .as_str()
        .expect("id is a string")
        .to_string();
    let px = post_form(&format!("{}/requests.xml", o.base), &form).await;
    assert_eq!(px.status, 201);
    assert!(is_xml(&px));
    xml_has(
        &px.text(),
        &["service_requests", "request", "service_request_id"],
        "post.xml",
    );

    // The report went through the core: channel open311, category given, classified on arrival.
    let r = o.h.local.report(&id).await.expect("stored").report;
    assert_eq!(r.channel, iocdesk::domain::Channel::Open311);
    assert_eq!(r.category.as_deref(), Some("waste"));

    // GET one, both formats.
    let one = get(&format!("{}/requests/{id}.json", o.base)).await;
    assert_eq!(one.status, 200);
    let ov = one.json();
    assert_eq!(ov.as_array().map(Vec::len), Some(1), "an array with one request");
    has_fields(&ov[0], REQUEST_FIELDS, "request");
    assert_eq!(ov[0]["service_request_id"], id.as_str());
    assert_eq!(ov[0]["status"], "open");
    assert!(ov[0]["requested_datetime"].as_str().expect("time").ends_with("+07:00"));
    let onex = get(&format!("{}/requests/{id}.xml", o.base)).await;
    assert!(is_xml(&onex));
    xml_has(&onex.text(), REQUEST_FIELDS, "request.xml");

    // GET list, both formats; forwarded cases show their agency and deadline.
    let l = get(&format!("{}/requests.json?page_size=200", o.base)).await;
    assert_eq!(l.status, 200);
    let lv = l.json();
    let items = lv.as_array().expect("array");
    assert!(items.len() > 50);
    for it in items {
        has_fields(it, REQUEST_FIELDS, "request");
        assert!(it["service_request_id"].is_string());
        assert!(matches!(it["status"].as_str(), Some("open" | "closed")));
    }
    let with_case = items
        .iter()
        .find(|i| !i["expected_datetime"].is_null())
        .expect("a forwarded one");
    assert!(with_case["expected_datetime"].as_str().expect("t").ends_with("+07:00"));
    assert!(with_case["agency_responsible"].is_string());
    let lx = get(&format!("{}/requests.xml", o.base)).await;
    assert!(is_xml(&lx));
    assert!(lx.text().contains("<service_requests><request>"));

    // Tokens.
    let t = get(&format!("{}/tokens/{id}.json", o.base)).await.json();
    has_fields(&t[0], &["service_request_id", "token"], "token");
    let tx = get(&format!("{}/tokens/{id}.xml", o.base)).await;
    xml_has(&tx.text(), &["service_request_id", "token"], "token.xml");
    assert_eq!(get(&format!("{}/tokens/R9999999.json", o.base)).await.status, 404);
    assert_eq!(get(&format!("{}/requests/R9999999.xml", o.base)).await.status, 404);
    assert_eq!(get(&format!("{}/services/nothing.json", o.base)).await.status, 404);
    assert_eq!(get(&format!("{}/services.yaml", o.base)).await.status, 404);
}

/// Form fields.
type Form<'a> = Vec<(&'a str, &'a str)>;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_in_the_spec_format() {
    let o = start().await;
    let url = format!("{}/requests.json", o.base);
    let ok: Vec<(&str, &str)> = vec![
        ("api_key", o.key.as_str()),
        ("service_code", "waste"),
        ("lat", "16.47"),
        ("long", "107.59"),
        ("description", "Rác"),
    ];
    let with = |k: &'static str, v: &'static str| -> Vec<(&str, &str)> {
        let mut f: Vec<(&str, &str)> = ok.iter().filter(|(n, _)| *n != k).cloned().collect();
        if !v.is_empty() {
            f.push((k, v));
        }
        f
    };
    let long = "ổ gà ".repeat(900);
    let no_location: Vec<(&str, &str)> = ok
        .iter()
        .filter(|(n, _)| *n != "lat" && *n != "long")
        .cloned()
        .collect();
    let cases: Vec<(Form, u16, &str)> = vec![
        (no_location.clone(), 400, "location"),
        (with("lat", "91"), 400, "out of range"),
        (with("long", "-181"), 400, "out of range"),
        (with("lat", "north"), 400, "not a number"),
        (with("service_code", "nuclear"), 404, "service_code"),
        (with("service_code", "invalid"), 404, "service_code"),
        (with("service_code", "drainage"), 400, "water_depth_cm"),
        (with("api_key", "wrong"), 403, "api_key"),
        (with("api_key", ""), 400, "api_key"),
        (with("jurisdiction_id", "hanoi.gov.vn"), 404, "jurisdiction"),
        (
            {
                let mut f = with("description", "");
                f.push(("description", long.as_str()));
                f
            },
            400,
            "4000",
        ),
    ];
    for (form, status, needle) in cases {
        let r = post_form(&url, &form).await;
        assert_eq!(r.status, status, "{needle}: {}", r.text());
        let v = r.json();
        let e = &v[0];
        assert_eq!(e["code"], status, "{v}");
        let d = e["description"].as_str().expect("description");
        assert!(d.contains(needle), "{d} should mention {needle}");
    }
    // Tokens of other roles are not api_keys.
    let officer = &o.h.tokens["officer"];
    assert_eq!(
        post_form(
            &url,
            &with("api_key", "")
                .into_iter()
                .chain([("api_key", officer.as_str())])
                .collect::<Vec<_>>()
        )
        .await
        .status,
        403
    );
    // An empty jurisdiction_id counts as absent; the configured one is accepted; address alone is a location.
    let mut f = with("jurisdiction_id", "");
    f.push(("jurisdiction_id", ""));
    assert_eq!(post_form(&url, &f).await.status, 201);
    let mut f = no_location.clone();
    f.extend([
        ("address_string", "kiệt 27 Hoàng Quốc Việt"),
        ("jurisdiction_id", "hue.gov.vn"),
    ]);
    assert_eq!(post_form(&url, &f).await.status, 201);
    // XML errors.
    let r = post_form(&format!("{}/requests.xml", o.base), &no_location).await;
    assert_eq!(r.status, 400);
    assert!(is_xml(&r));
    let t = r.text();
    assert!(t.contains("<errors><error><code>400</code><description>"), "{t}");
    let r = get(&format!("{}/services.xml?jurisdiction_id=hanoi", o.base)).await;
    assert_eq!(r.status, 404);
    assert!(r.text().contains("<code>404</code>"));
    // api_key in the query string works too.
    let q: Vec<(&str, &str)> = ok.iter().filter(|(n, _)| *n != "api_key").cloned().collect();
    let r = post_form(&format!("{url}?api_key={}", o.key), &q).await;
    assert_eq!(r.status, 201, "{}", r.text());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_reporter_is_kept_but_never_shown_and_html_is_stripped() {
    let o = start().await;
    let form = [
        ("api_key", o.key.as_str()),
        ("service_code", "drainage"),
        ("lat", "16.4604"),
        ("long", "107.5939"),
        ("attribute[water_depth_cm]", "40"),
        (
            "description",
            "<p>Mưa một giờ mà khu tập thể <b>đã ngập</b> &amp; bốc mùi</p><script>alert(1)</script>",
        ),
        ("first_name", "Trần"),
        ("last_name", "Thị Lụa"),
        ("email", "lua.tran@example.vn"),
        ("phone", "0905111222"),
        ("device_id", "hue-s-device-77"),
        ("account_id", "acct-4242"),
    ];
    let p = post_form(&format!("{}/requests.json", o.base), &form).await;
    assert_eq!(p.status, 201, "{}", p.text());
    let id = p.json()[0]["service_request_id"].as_str().expect("id").to_string();
    let r = o.h.local.report(&id).await.expect("stored").report;
    assert!(
        r.text.starts_with("Mưa một giờ mà khu tập thể đã ngập & bốc mùi"),
        "{}",
        r.text
    );
    assert!(!r.text.contains('<') && !r.text.contains("alert"));
    let who = r.reporter.expect("kept by the IOC");
    assert_eq!(who.name.as_deref(), Some("Trần Thị Lụa"));
    assert_eq!(who.email.as_deref(), Some("lua.tran@example.vn"));
    assert_eq!(who.phone.as_deref(), Some("0905111222"));
    assert_eq!(who.device_id.as_deref(), Some("hue-s-device-77"));
    assert_eq!(who.account_id.as_deref(), Some("acct-4242"));
    let secrets = ["Trần", "Lụa", "lua.tran", "0905111222", "hue-s-device-77", "acct-4242"];
    for url in [
        format!("{}/requests/{id}.json", o.base),
        format!("{}/requests/{id}.xml", o.base),
        format!("{}/requests.json?service_request_id={id}", o.base),
        format!("{}/requests.xml?service_code=drainage&page_size=200", o.base),
        format!("{}/tokens/{id}.json", o.base),
    ] {
        let t = get(&url).await.text();
        assert!(t.contains(&id), "{url}: {t}");
        for s in secrets {
            assert!(!t.contains(s), "{url} reveals {s}");
        }
    }
    // Viewers and agencies never see the reporter either (the core's redaction).
    let v = o.h.local_as("viewer").report(&id).await.expect("viewer").report;
    assert!(v.reporter.is_none());
}

/// A multipart body with text fields and one file part.
fn multipart(fields: &[(&str, &str)], file: (&str, &str, &[u8])) -> (String, Vec<u8>) {
    let boundary = "----iocdesk-open311-test";
    let mut b = Vec::new();
    for (k, v) in fields {
        b.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").as_bytes());
    }
    let (name, ctype, bytes) = file;
    b.extend(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"media\"; filename=\"{name}\"\r\nContent-Type: {ctype}\r\n\r\n")
            .as_bytes(),
    );
    b.extend_from_slice(bytes);
    b.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), b)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn media_round_trip_through_multipart() {
    let o = start().await;
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend((0..2000u32).map(|i| (i % 251) as u8));
    let fields = [
        ("api_key", o.key.as_str()),
        ("service_code", "roads"),
        ("address_string", "Đường Lê Lợi, trước số 12"),
        ("description", "Đường nhiều ổ gà lớn"),
        ("attribute[hazards][]", "traffic"),
        ("attribute[hazards][]", "night"),
    ];
    let (ctype, body) = multipart(&fields, ("pothole.png", "image/png", &png));
    let client = reqwest::Client::new();
    let r = send(
        client
            .post(format!("{}/requests.json", o.base))
            .header("content-type", ctype)
            .body(body),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let id = r.json()[0]["service_request_id"].as_str().expect("id").to_string();
    let got = get(&format!("{}/requests/{id}.json", o.base)).await.json();
    assert_eq!(got[0]["address"], "Đường Lê Lợi, trước số 12");
    assert!(got[0]["lat"].is_null());
    assert!(
        got[0]["description"]
            .as_str()
            .expect("d")
            .contains("hazards=traffic,night")
    );
    let media_url = got[0]["media_url"].as_str().expect("media_url").to_string();
    assert!(media_url.starts_with(&format!("{}/media/", o.base)), "{media_url}");
    let m = get(&media_url).await;
    assert_eq!(m.status, 200);
    assert_eq!(m.ctype, "image/png");
    assert_eq!(m.body, png);
    // Not an image: refused. Unknown names: 404.
    let (ctype, body) = multipart(&fields, ("x.png", "image/png", b"<html>not a picture</html>"));
    let r = send(
        client
            .post(format!("{}/requests.json", o.base))
            .header("content-type", ctype)
            .body(body),
    )
    .await;
    assert_eq!(r.status, 400, "{}", r.text());
    assert_eq!(get(&format!("{}/media/../../etc/passwd", o.base)).await.status, 404);
    assert_eq!(get(&format!("{}/media/abc.png", o.base)).await.status, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn filters_status_and_paging() {
    let o = start().await;
    let all = |q: &str| format!("{}/requests.json?{q}", o.base);
    for st in ["open", "closed"] {
        let v = get(&all(&format!("status={st}&page_size=100"))).await.json();
        let items = v.as_array().expect("array");
        assert!(!items.is_empty(), "some {st}");
        assert!(items.iter().all(|i| i["status"] == st));
        if st == "closed" {
            // A published case shows its approved answer; a rejected report says why.
            assert!(
                items
                    .iter()
                    .any(|i| !i["expected_datetime"].is_null() && i["status_notes"].is_string())
            );
            assert!(
                items
                    .iter()
                    .any(|i| i["status_notes"].as_str().is_some_and(|n| n.starts_with("Từ chối")))
            );
        }
    }
    let v = get(&all("service_code=waste,roads&page_size=200")).await.json();
    assert!(
        v.as_array()
            .expect("array")
            .iter()
            .all(|i| i["service_code"] == "waste" || i["service_code"] == "roads")
    );
    let p1 = get(&all("page_size=5&page=1")).await.json();
    let p2 = get(&all("page_size=5&page=2")).await.json();
    assert_eq!(p1.as_array().map(Vec::len), Some(5));
    assert_ne!(p1[0]["service_request_id"], p2[0]["service_request_id"]);
    let ids = format!(
        "{},{}",
        p1[0]["service_request_id"].as_str().expect("id"),
        p2[0]["service_request_id"].as_str().expect("id")
    );
    let v = get(&all(&format!("service_request_id={ids}"))).await.json();
    assert_eq!(v.as_array().map(Vec::len), Some(2));
    // Dates: an empty window, and bounds with offsets.
    let v = get(&all(
        "start_date=2020-01-01T00:00:00%2B07:00&end_date=2020-01-02T00:00:00Z",
    ))
    .await
    .json();
    assert_eq!(v.as_array().map(Vec::len), Some(0));
    let v = get(&all("start_date=2026-11-01T00:00:00%2B07:00&page_size=200"))
        .await
        .json();
    assert!(v.as_array().is_some_and(|a| !a.is_empty()));
    for bad in [
        "page_size=0",
        "page_size=201",
        "page=0",
        "status=pending",
        "start_date=yesterday",
    ] {
        let r = get(&all(bad)).await;
        assert_eq!(r.status, 400, "{bad}");
        assert_eq!(r.json()[0]["code"], 400);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn intake_key_from_the_cli_works() {
    use iocdesk::domain::Actor;
    use iocdesk::ioc::LocalIoc;
    use iocdesk::server::{AppState, RateLimit, serve};
    use iocdesk::store::{Store, StoreConfig};
    let d = tempfile::tempdir().expect("tempdir");
    let out = assert_cmd::Command::cargo_bin("iocdesk")
        .expect("binary")
        .env_remove("IOCDESK_REMOTE")
        .env_remove("IOCDESK_TOKEN")
        .env("IOCDESK_CONFIG_DIR", d.path().join("cfg"))
        .args(["--no-demo", "--data-dir"])
        .arg(d.path())
        .args(["token", "create", "--role", "intake", "--output", "json"])
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["role"], "intake");
    let key = v["token"].as_str().expect("token").to_string();
    let store = Store::open_dir(d.path(), StoreConfig::default()).expect("store");
    let core = LocalIoc::new(store, Actor::system());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!(
        "http://{}/open311/v2/requests.json",
        listener.local_addr().expect("addr")
    );
    let (_tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(serve(listener, AppState::new(core, RateLimit::default()), async move {
        let _ = rx.await;
    }));
    let form = [
        ("api_key", key.as_str()),
        ("service_code", "street_lighting"),
        ("lat", "16.4698"),
        ("long", "107.5786"),
        ("attribute[lights_out]", "several"),
        ("description", "Cột đèn không sáng, tối om"),
    ];
    let r = post_form(&url, &form).await;
    assert_eq!(r.status, 201, "{}", r.text());
    // Media uploads need a media directory; this server has none.
    let (ctype, body) = multipart(&form, ("a.png", "image/png", b"\x89PNG\r\n\x1a\nxx"));
    let r = send(
        reqwest::Client::new()
            .post(&url)
            .header("content-type", ctype)
            .body(body),
    )
    .await;
    assert_eq!(r.status, 400);
}
