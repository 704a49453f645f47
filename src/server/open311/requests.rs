//! Service requests: `POST requests` (form or multipart, with an intake `api_key`) becomes a
//! report through the core; `GET requests`, `requests/{id}` and `tokens/{token}` show reports in
//! the spec's terms, never with the reporter.

use super::format::{Format, Open311Error, hue_time, parse_time, render, strip_html};
use super::{AppState, Params, base_url, check_jurisdiction, format_of, services};
use crate::domain::catalog;
use crate::domain::query::ReportFilter;
use crate::domain::{Case, CaseState, Channel, NewReport, Report, ReportState, Reporter};
use crate::ioc::{Ioc, IocError};
use crate::store::{Store, StoreError};
use axum::body::Bytes;
use axum::extract::{FromRequest, Multipart, Path, Request, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// The longest description accepted (the spec's limit), counted after HTML is stripped.
pub const DESCRIPTION_MAX: usize = 4000;
/// The largest `page_size`.
pub const PAGE_SIZE_MAX: usize = 200;
const PAGE_SIZE_DEFAULT: usize = 50;
/// How many reports a status-filtered listing reads at most before it stops looking.
const SCAN_MAX: usize = 20_000;

fn internal(f: Format, e: impl std::fmt::Display) -> Open311Error {
    Open311Error::new(StatusCode::INTERNAL_SERVER_ERROR, f, format!("internal error: {e}"))
}

/// Runs `work` on the store off the async threads.
async fn on_store<T: Send + 'static>(
    st: &AppState,
    f: Format,
    work: impl FnOnce(&mut Store) -> Result<T, StoreError> + Send + 'static,
) -> Result<T, Open311Error> {
    let core = st.core.clone();
    tokio::task::spawn_blocking(move || core.blocking(work))
        .await
        .map_err(|e| internal(f, e))?
        .map_err(|e| internal(f, e))?
        .map_err(|e| internal(f, e))
}

/// An uploaded photo: its bytes and the extension its content shows.
struct Upload {
    bytes: Bytes,
}

/// The extension of an image, judged by its first bytes.
fn image_ext(b: &[u8]) -> Option<&'static str> {
    if b.starts_with(&[0xff, 0xd8, 0xff]) {
        Some("jpg")
    } else if b.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("png")
    } else if b.starts_with(b"GIF87a") || b.starts_with(b"GIF89a") {
        Some("gif")
    } else if b.len() > 12 && b.starts_with(b"RIFF") && &b[8..12] == b"WEBP" {
        Some("webp")
    } else {
        None
    }
}

/// Reads the body's fields (and a `media` file) as form or multipart data.
async fn read_body(st: &AppState, req: Request, f: Format) -> Result<(Params, Option<Upload>), Open311Error> {
    let ctype = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    if !ctype.starts_with("multipart/form-data") {
        if ctype.is_empty() {
            return Ok((Params::default(), None));
        }
        let form = axum::extract::Form::<Vec<(String, String)>>::from_request(req, st)
            .await
            .map_err(|e| Open311Error::new(e.status(), f, e.body_text()))?;
        return Ok((Params(form.0), None));
    }
    let mut mp = Multipart::from_request(req, st)
        .await
        .map_err(|e| Open311Error::new(e.status(), f, e.body_text()))?;
    let mut fields = Vec::new();
    let mut upload = None;
    loop {
        let field = mp
            .next_field()
            .await
            .map_err(|e| Open311Error::new(e.status(), f, e.body_text()))?;
        let Some(field) = field else { break };
        let name = field.name().unwrap_or("").to_string();
        if name == "media" && field.file_name().is_some() {
            let bytes = field
                .bytes()
                .await
                .map_err(|e| Open311Error::new(e.status(), f, e.body_text()))?;
            if !bytes.is_empty() {
                upload = Some(Upload { bytes });
            }
        } else {
            let v = field
                .text()
                .await
                .map_err(|e| Open311Error::new(e.status(), f, e.body_text()))?;
            fields.push((name, v));
        }
    }
    Ok((Params(fields), upload))
}

/// Checks `api_key`: an unrevoked, unexpired token with the `intake` role.
async fn intake_actor(st: &AppState, p: &Params, f: Format) -> Result<crate::domain::Actor, Open311Error> {
    let key = p
        .get("api_key")
        .ok_or_else(|| Open311Error::bad(f, "api_key was not provided"))?
        .to_string();
    let found = on_store(st, f, move |s| s.token_by_secret(&key)).await?;
    let info = found
        .filter(|t| t.is_valid(Utc::now()) && t.role == crate::domain::Role::Intake)
        .ok_or_else(|| Open311Error::new(StatusCode::FORBIDDEN, f, "api_key is invalid"))?;
    if !st.limiter.take(&info.id) {
        return Err(Open311Error::new(
            StatusCode::TOO_MANY_REQUESTS,
            f,
            "too many requests for this api_key",
        ));
    }
    Ok(info.actor())
}

/// A reporter field, trimmed and bounded; `None` when empty.
fn ident(p: &Params, name: &str) -> Option<String> {
    p.get(name).map(|v| v.chars().take(200).collect())
}

/// `attribute[CODE]` and `attribute[CODE][]` fields, by code.
fn attributes_of(p: &Params) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (k, v) in &p.0 {
        let Some(inner) = k.strip_prefix("attribute[") else {
            continue;
        };
        let code = inner.strip_suffix("][]").or_else(|| inner.strip_suffix(']'));
        if let Some(code) = code.filter(|c| !c.is_empty() && !c.contains(['[', ']'])) {
            out.entry(code.to_string()).or_default().push(v.clone());
        }
    }
    out
}

/// Parses `lat`/`long`; both or neither, each a finite number in range.
fn location(p: &Params, f: Format) -> Result<Option<(f64, f64)>, Open311Error> {
    let num = |name: &str, range: std::ops::RangeInclusive<f64>| -> Result<Option<f64>, Open311Error> {
        match p.get(name) {
            None => Ok(None),
            Some(v) => match v.parse::<f64>() {
                Ok(x) if x.is_finite() && range.contains(&x) => Ok(Some(x)),
                Ok(_) => Err(Open311Error::bad(
                    f,
                    format!("{name} '{v}' is out of range ({}..{})", range.start(), range.end()),
                )),
                Err(_) => Err(Open311Error::bad(f, format!("{name} '{v}' is not a number"))),
            },
        }
    };
    match (num("lat", -90.0..=90.0)?, num("long", -180.0..=180.0)?) {
        (Some(a), Some(b)) => Ok(Some((a, b))),
        (None, None) => Ok(None),
        _ => Err(Open311Error::bad(f, "lat and long must be given together")),
    }
}

/// `POST requests.{json,xml}`: a new service request becomes a report (channel `open311`).
pub(super) async fn post(State(st): State<AppState>, Path(file): Path<String>, uri: Uri, req: Request) -> Response {
    match post_inner(&st, &file, &uri, req).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

async fn post_inner(st: &AppState, file: &str, uri: &Uri, req: Request) -> Result<Response, Open311Error> {
    let (stem, f) = format_of(file)?;
    if stem != "requests" {
        return Err(Open311Error::new(
            StatusCode::METHOD_NOT_ALLOWED,
            f,
            "only requests takes POST",
        ));
    }
    let (body, upload) = read_body(st, req, f).await?;
    let mut p = body;
    p.0.extend(Params::from_uri(uri).0);
    let actor = intake_actor(st, &p, f).await?;
    check_jurisdiction(st, &p, f)?;
    let code = p
        .get("service_code")
        .ok_or_else(|| Open311Error::bad(f, "service_code was not provided"))?;
    let service = services::service(code)
        .ok_or_else(|| Open311Error::not_found(f, format!("service_code '{code}' was not found")))?;
    let at = location(&p, f)?;
    let address = p.get("address_string").map(strip_html).filter(|a| !a.is_empty());
    if at.is_none() && address.is_none() {
        return Err(Open311Error::bad(
            f,
            "a location is required: lat and long, or address_string",
        ));
    }
    let description = p.get("description").map(strip_html).unwrap_or_default();
    if description.chars().count() > DESCRIPTION_MAX {
        return Err(Open311Error::bad(
            f,
            format!("description is longer than {DESCRIPTION_MAX} characters"),
        ));
    }
    let attrs = services::check_attributes(service.code, &attributes_of(&p)).map_err(|e| Open311Error::bad(f, e))?;
    let mut text = if description.is_empty() {
        service.name_vi.to_string()
    } else {
        description
    };
    if !attrs.is_empty() {
        text.push_str(&format!("\n\n[Open311: {}]", attrs.join("; ")));
    }
    let mut media = Vec::new();
    if let Some(u) = p.get("media_url") {
        if !(u.starts_with("http://") || u.starts_with("https://")) || u.len() > 2000 {
            return Err(Open311Error::bad(f, "media_url must be an http(s) URL"));
        }
        media.push(u.to_string());
    }
    if let Some(up) = upload {
        media.push(save_media(st, up, f).await?);
    }
    let name = [ident(&p, "first_name"), ident(&p, "last_name")]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let reporter = Reporter {
        name: Some(name).filter(|n| !n.is_empty()),
        phone: ident(&p, "phone"),
        email: ident(&p, "email"),
        device_id: ident(&p, "device_id"),
        account_id: ident(&p, "account_id"),
    };
    let n = NewReport {
        channel: Some(Channel::Open311),
        text,
        category: Some(service.code.to_string()),
        lat: at.map(|a| a.0),
        lon: at.map(|a| a.1),
        address,
        media,
        reporter: (reporter != Reporter::default()).then_some(reporter),
        ..NewReport::default()
    };
    let ioc = Ioc::Local(st.core.as_actor(actor));
    let r = ioc.submit(n).await.map_err(|e| match e {
        IocError::Invalid(m) => Open311Error::bad(f, m),
        IocError::Forbidden(m) => Open311Error::new(StatusCode::FORBIDDEN, f, m),
        other => internal(f, other),
    })?;
    let out = json!([{
        "service_request_id": r.id,
        "token": r.id,
        "service_notice": "Đã tiếp nhận; IOC sẽ xác minh và chuyển đơn vị xử lý (received; the IOC verifies and forwards it)",
        "account_id": null,
    }]);
    Ok(render(StatusCode::CREATED, f, "service_requests", &out))
}

/// Stores an upload under the media directory by its SHA-256; returns its path on this server.
async fn save_media(st: &AppState, up: Upload, f: Format) -> Result<String, Open311Error> {
    let dir = st
        .open311
        .media_dir
        .clone()
        .ok_or_else(|| Open311Error::bad(f, "media uploads are not enabled on this server"))?;
    let ext =
        image_ext(&up.bytes).ok_or_else(|| Open311Error::bad(f, "media must be a JPEG, PNG, GIF or WebP image"))?;
    let hash: String = Sha256::digest(&up.bytes).iter().map(|b| format!("{b:02x}")).collect();
    let name = format!("{hash}.{ext}");
    tokio::fs::create_dir_all(&dir).await.map_err(|e| internal(f, e))?;
    let path = dir.join(&name);
    if tokio::fs::metadata(&path).await.is_err() {
        let tmp = dir.join(format!(".{name}.part"));
        tokio::fs::write(&tmp, &up.bytes).await.map_err(|e| internal(f, e))?;
        tokio::fs::rename(&tmp, &path).await.map_err(|e| internal(f, e))?;
    }
    Ok(format!("/open311/v2/media/{name}"))
}

/// A report with the case that decides its status (its own, or its master's for a duplicate).
struct Seen {
    report: Report,
    case: Option<Case>,
}

fn case_of(s: &Store, r: &Report) -> Result<Option<Case>, StoreError> {
    let case_id = match (&r.case_id, &r.duplicate_of) {
        (Some(c), _) => Some(c.clone()),
        (None, Some(m)) => s.report(m)?.and_then(|m| m.case_id),
        _ => None,
    };
    match case_id {
        Some(c) => s.case(&c),
        None => Ok(None),
    }
}

impl Seen {
    fn closed(&self) -> bool {
        self.report.state == ReportState::Rejected
            || self
                .case
                .as_ref()
                .is_some_and(|c| matches!(c.state, CaseState::Published | CaseState::Closed))
    }

    fn notice(&self) -> String {
        let r = &self.report;
        if r.state == ReportState::Rejected {
            return "IOC không tiếp nhận phản ánh (not accepted by the IOC)".into();
        }
        match &self.case {
            Some(c) => match c.state {
                CaseState::Forwarded => "Đã chuyển xử lý (forwarded to the unit)",
                CaseState::Acknowledged => "Đơn vị đã tiếp nhận (acknowledged)",
                CaseState::InProgress | CaseState::Returned => "Đang xử lý (in progress)",
                CaseState::Answered => "Có kết quả, chờ IOC duyệt (answered, under review)",
                CaseState::Published => "Đã công khai kết quả (result published)",
                CaseState::Closed => "Đã đóng (closed)",
            }
            .into(),
            None if r.state == ReportState::Verified => "IOC đã xác minh, chờ chuyển xử lý (verified)".into(),
            None => "Chờ IOC xác minh (awaiting verification)".into(),
        }
    }

    /// The request in the spec's fields; nothing about the reporter.
    fn to_json(&self, base: &str) -> Value {
        let r = &self.report;
        let c = self.case.as_ref();
        let code = r.category.clone().or_else(|| r.suggested_category.clone());
        let status_notes = match (r.state, c) {
            (ReportState::Rejected, _) => r
                .reject_reason
                .map(|x| format!("Từ chối: {x}"))
                .or_else(|| Some("Từ chối".into())),
            (_, Some(c)) if matches!(c.state, CaseState::Published | CaseState::Closed) => c.answer.clone(),
            _ => None,
        };
        let agencies = c.map(|c| {
            c.agencies
                .iter()
                .map(|a| catalog::agency(a).map_or(a.clone(), |x| x.name.clone()))
                .collect::<Vec<_>>()
                .join("; ")
        });
        let updated = c.map_or(r.updated_at, |c| c.updated_at.max(r.updated_at));
        json!({
            "service_request_id": r.id,
            "status": if self.closed() { "closed" } else { "open" },
            "status_notes": status_notes,
            "service_name": code.as_deref().and_then(catalog::category).map(|x| x.name_vi),
            "service_code": code,
            "description": r.text,
            "agency_responsible": agencies,
            "service_notice": self.notice(),
            "requested_datetime": hue_time(r.received_at),
            "updated_datetime": hue_time(updated),
            "expected_datetime": c.map(|c| hue_time(c.deadline)),
            "address": r.address,
            "address_id": null,
            "zipcode": null,
            "lat": r.lat,
            "long": r.lon,
            "media_url": r.media.first().map(|m| if m.starts_with('/') { format!("{base}{m}") } else { m.clone() }),
        })
    }
}

/// A comma list, trimmed, empties dropped.
fn comma_list(v: Option<&str>) -> Vec<String> {
    v.map(|s| {
        s.split(',')
            .map(str::trim)
            .filter(|x| !x.is_empty())
            .map(str::to_string)
            .collect()
    })
    .unwrap_or_default()
}

/// `GET requests.{json,xml}` with the spec's filters and `page`/`page_size`.
pub(super) async fn list(st: &AppState, p: &Params, headers: &HeaderMap, f: Format) -> Result<Value, Open311Error> {
    let ids = comma_list(p.get("service_request_id"));
    let codes = comma_list(p.get("service_code"));
    if ids.len() > PAGE_SIZE_MAX || codes.len() > 50 {
        return Err(Open311Error::bad(f, "too many ids or service codes"));
    }
    let time = |name: &str| -> Result<Option<chrono::DateTime<Utc>>, Open311Error> {
        p.get(name)
            .map(|v| parse_time(v).ok_or_else(|| Open311Error::bad(f, format!("{name} '{v}' is not a W3C date-time"))))
            .transpose()
    };
    let (mut since, until) = (time("start_date")?, time("end_date")?);
    if since.is_none() && until.is_none() && ids.is_empty() {
        since = Some(Utc::now() - chrono::Duration::days(90));
    }
    let mut statuses = comma_list(p.get("status"));
    statuses.sort();
    statuses.dedup();
    let want_closed = match statuses.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        [] | ["closed", "open"] => None,
        ["open"] => Some(false),
        ["closed"] => Some(true),
        _ => return Err(Open311Error::bad(f, "status is open, closed or open,closed")),
    };
    let number = |name: &str, default: usize, max: usize| -> Result<usize, Open311Error> {
        match p.get(name) {
            None => Ok(default),
            Some(v) => v
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=max).contains(n))
                .ok_or_else(|| Open311Error::bad(f, format!("{name} must be a whole number in 1..={max}"))),
        }
    };
    let size = number("page_size", PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX)?;
    let page = number("page", 1, 100_000)?;
    let skip = (page - 1) * size;
    let filter = ReportFilter {
        ids,
        categories: codes,
        since,
        until,
        ..ReportFilter::default()
    };
    let seen = on_store(st, f, move |s| {
        let now = Utc::now();
        let mut out = Vec::new();
        let Some(want) = want_closed else {
            let f = ReportFilter {
                offset: skip,
                limit: size,
                ..filter
            };
            for r in s.list_reports(&f, now)? {
                out.push(Seen {
                    case: case_of(s, &r)?,
                    report: r,
                });
            }
            return Ok(out);
        };
        let (mut offset, mut skipped) = (0, 0);
        while offset < SCAN_MAX && out.len() < size {
            let f = ReportFilter {
                offset,
                limit: 500,
                ..filter.clone()
            };
            let rows = s.list_reports(&f, now)?;
            if rows.is_empty() {
                break;
            }
            offset += rows.len();
            for r in rows {
                let x = Seen {
                    case: case_of(s, &r)?,
                    report: r,
                };
                if x.closed() != want {
                    continue;
                }
                if skipped < skip {
                    skipped += 1;
                } else if out.len() < size {
                    out.push(x);
                }
            }
        }
        Ok(out)
    })
    .await?;
    let base = base_url(headers);
    Ok(Value::Array(seen.iter().map(|x| x.to_json(&base)).collect()))
}

/// The report with this id, as a [`Seen`].
async fn one(st: &AppState, id: &str, f: Format) -> Result<Seen, Open311Error> {
    let key = id.to_string();
    let found = on_store(st, f, move |s| {
        let Some(r) = s.report(&key)? else {
            return Ok(None);
        };
        Ok(Some(Seen {
            case: case_of(s, &r)?,
            report: r,
        }))
    })
    .await?;
    found.ok_or_else(|| Open311Error::not_found(f, format!("service_request_id '{id}' was not found")))
}

/// `GET requests/{id}.{json,xml}`: an array holding the one request.
pub(super) async fn get_one(
    State(st): State<AppState>,
    Path(file): Path<String>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let run = async {
        let (id, f) = format_of(&file)?;
        check_jurisdiction(&st, &Params::from_uri(&uri), f)?;
        let x = one(&st, id, f).await?;
        Ok::<_, Open311Error>(render(
            StatusCode::OK,
            f,
            "service_requests",
            &json!([x.to_json(&base_url(&headers))]),
        ))
    };
    run.await.unwrap_or_else(IntoResponse::into_response)
}

/// `GET tokens/{token}.{json,xml}`: the request id behind a token (our tokens are the ids).
pub(super) async fn token(State(st): State<AppState>, Path(file): Path<String>, uri: Uri) -> Response {
    let run = async {
        let (tok, f) = format_of(&file)?;
        check_jurisdiction(&st, &Params::from_uri(&uri), f)?;
        let x = one(&st, tok, f)
            .await
            .map_err(|_| Open311Error::not_found(f, format!("token '{tok}' was not found")))?;
        Ok::<_, Open311Error>(render(
            StatusCode::OK,
            f,
            "service_requests",
            &json!([{ "service_request_id": x.report.id, "token": tok }]),
        ))
    };
    run.await.unwrap_or_else(IntoResponse::into_response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribute_fields_are_collected() {
        let p = Params(vec![
            ("attribute[severity]".into(), "high".into()),
            ("attribute[hazards][]".into(), "traffic".into()),
            ("attribute[hazards][]".into(), "night".into()),
            ("attribute[]".into(), "x".into()),
            ("other".into(), "y".into()),
        ]);
        let a = attributes_of(&p);
        assert_eq!(a.len(), 2);
        assert_eq!(a["hazards"], vec!["traffic", "night"]);
    }

    #[test]
    fn images_are_sniffed() {
        assert_eq!(image_ext(b"\x89PNG\r\n\x1a\n...."), Some("png"));
        assert_eq!(image_ext(&[0xff, 0xd8, 0xff, 0xe0]), Some("jpg"));
        assert_eq!(image_ext(b"<html>"), None);
    }
}
