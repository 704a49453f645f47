//! Open311 GeoReport v2 under `/open311/v2/`: discovery, services and their definitions, service
//! requests (POST as an intake token's `api_key`, GET public and without the reporter), tokens,
//! and uploaded media. Every endpoint answers in JSON or XML by its path suffix.

pub mod format;
mod requests;
pub mod services;

use super::AppState;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use format::{Format, Open311Error, render, split_format};
use serde_json::{Value, json};
use std::path::PathBuf;

/// The largest Open311 request body (a photo included).
pub const MEDIA_LIMIT: usize = 8 * 1024 * 1024;

/// The jurisdiction served when none is configured.
pub const DEFAULT_JURISDICTION: &str = "hue.gov.vn";

/// Open311 settings: the jurisdiction id and where uploaded media are kept.
#[derive(Debug, Clone)]
pub struct Open311Config {
    /// The only `jurisdiction_id` accepted (an absent or empty one means this).
    pub jurisdiction: String,
    /// The directory for uploaded media; uploads are refused when `None`.
    pub media_dir: Option<PathBuf>,
}

impl Default for Open311Config {
    fn default() -> Self {
        Open311Config {
            jurisdiction: DEFAULT_JURISDICTION.into(),
            media_dir: None,
        }
    }
}

/// The routes below `/open311/v2`.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/{file}", get(top_get).post(requests::post))
        .route("/services/{file}", get(definition))
        .route("/requests/{file}", get(requests::get_one))
        .route("/tokens/{file}", get(requests::token))
        .route("/media/{name}", get(media))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(MEDIA_LIMIT))
}

/// The request's parameters: query string and body fields, in order (body first).
#[derive(Debug, Default, Clone)]
pub(crate) struct Params(Vec<(String, String)>);

impl Params {
    /// The query string's fields.
    fn from_uri(uri: &Uri) -> Params {
        Params(
            axum::extract::Query::<Vec<(String, String)>>::try_from_uri(uri)
                .map(|q| q.0)
                .unwrap_or_default(),
        )
    }

    /// The first non-empty value of `name`, trimmed.
    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .find(|v| !v.is_empty())
    }
}

/// The path's format, or a 404 (in JSON) for an unknown suffix.
fn format_of(file: &str) -> Result<(&str, Format), Open311Error> {
    split_format(file)
        .ok_or_else(|| Open311Error::not_found(Format::Json, "unknown format: end the path with .json or .xml"))
}

/// Refuses a `jurisdiction_id` other than ours (an empty one counts as absent).
fn check_jurisdiction(st: &AppState, p: &Params, f: Format) -> Result<(), Open311Error> {
    match p.get("jurisdiction_id") {
        Some(j) if j != st.open311.jurisdiction => Err(Open311Error::not_found(
            f,
            format!("jurisdiction_id '{j}' was not found"),
        )),
        _ => Ok(()),
    }
}

/// `http://host` of this request, for absolute URLs.
fn base_url(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_graphic()))
        .unwrap_or("localhost");
    let proto = match headers.get("x-forwarded-proto").and_then(|h| h.to_str().ok()) {
        Some("https") => "https",
        _ => "http",
    };
    format!("{proto}://{host}")
}

/// `GET discovery|services|requests.{json,xml}`.
async fn top_get(State(st): State<AppState>, Path(file): Path<String>, headers: HeaderMap, uri: Uri) -> Response {
    let (stem, f) = match format_of(&file) {
        Ok(x) => x,
        Err(e) => return e.into_response(),
    };
    let p = Params::from_uri(&uri);
    if let Err(e) = check_jurisdiction(&st, &p, f) {
        return e.into_response();
    }
    match stem {
        "discovery" => render(StatusCode::OK, f, "discovery", &discovery(&st, &headers)),
        "services" => {
            let list: Vec<Value> = services::services().map(services::service_json).collect();
            render(StatusCode::OK, f, "services", &Value::Array(list))
        }
        "requests" => match requests::list(&st, &p, &headers, f).await {
            Ok(v) => render(StatusCode::OK, f, "service_requests", &v),
            Err(e) => e.into_response(),
        },
        other => Open311Error::not_found(f, format!("no endpoint '{other}'")).into_response(),
    }
}

fn discovery(st: &AppState, headers: &HeaderMap) -> Value {
    let url = format!("{}/open311/v2", base_url(headers));
    json!({
        "changeset": "2026-11-23T00:00:00+07:00",
        "contact": "Trung tâm Giám sát, điều hành đô thị thông minh Huế (IOC), hotline 1900 1075",
        "key_service": "api_key: ask the IOC for an intake token (iocdesk token create --role intake)",
        "jurisdiction_id": st.open311.jurisdiction,
        "endpoints": [{
            "specification": "http://wiki.open311.org/GeoReport_v2",
            "url": url,
            "changeset": "2026-11-23T00:00:00+07:00",
            "type": "production",
            "formats": ["text/xml", "application/json"],
        }],
    })
}

/// `GET services/{code}.{json,xml}`: the service's attributes.
async fn definition(State(st): State<AppState>, Path(file): Path<String>, uri: Uri) -> Response {
    let (code, f) = match format_of(&file) {
        Ok(x) => x,
        Err(e) => return e.into_response(),
    };
    if let Err(e) = check_jurisdiction(&st, &Params::from_uri(&uri), f) {
        return e.into_response();
    }
    match services::service(code) {
        Some(c) => render(StatusCode::OK, f, "service_definition", &services::definition_json(c)),
        None => Open311Error::not_found(f, format!("service_code '{code}' was not found")).into_response(),
    }
}

/// The content type of a stored media file, by its extension; `None` for names we never write.
fn media_type(name: &str) -> Option<&'static str> {
    let (stem, ext) = name.rsplit_once('.')?;
    if stem.len() != 64 || !stem.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()) {
        return None;
    }
    match ext {
        "jpg" => Some("image/jpeg"),
        "png" => Some("image/png"),
        "gif" => Some("image/gif"),
        "webp" => Some("image/webp"),
        _ => None,
    }
}

/// `GET media/{name}`: an uploaded photo.
async fn media(State(st): State<AppState>, Path(name): Path<String>) -> Response {
    let missing = || Open311Error::not_found(Format::Json, "no such media").into_response();
    let (Some(dir), Some(ctype)) = (st.open311.media_dir.clone(), media_type(&name)) else {
        return missing();
    };
    match tokio::fs::read(dir.join(&name)).await {
        Ok(bytes) => {
            let mut r = (StatusCode::OK, bytes).into_response();
            r.headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static(ctype));
            r.headers_mut().insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=31536000, immutable"),
            );
            r
        }
        Err(_) => missing(),
    }
}

/// Anything else under `/open311/v2`.
async fn not_found(uri: Uri) -> Response {
    let f = if uri.path().ends_with(".xml") {
        Format::Xml
    } else {
        Format::Json
    };
    Open311Error::not_found(f, "no such Open311 endpoint").into_response()
}
