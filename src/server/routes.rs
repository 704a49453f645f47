//! The JSON routes under `/api/v1/` and the health probes.

use super::AppState;
use super::auth::Authed;
use super::cache::cached;
use super::error::ApiError;
use crate::domain::{Actor, Envelope, Event, NewReport, Report};
use crate::ioc::wire::{AfterQuery, BatchItem, CaseQuery, CountOut, PAGE_MAX, Problem, ReportQuery, SEQ_MAX};
use crate::ioc::{CaseDetail, Ioc, IocError, ReportDetail};
use axum::extract::{FromRequest, FromRequestParts, Path, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::de::DeserializeOwned;

/// A JSON body whose rejections are problem documents.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;
    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        Ok(ApiJson(Json::<T>::from_request(req, state).await?.0))
    }
}

/// A query string whose rejections are problem documents.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        Ok(ApiQuery(
            axum::extract::Query::<T>::from_request_parts(parts, state).await?.0,
        ))
    }
}

type ApiResult<T> = Result<Json<T>, ApiError>;

/// The routes below `/api/v1`.
pub(super) fn api() -> Router<AppState> {
    Router::new()
        .route("/reports", get(list_reports).post(submit))
        .route("/reports/count", get(count_reports))
        .route("/reports/{id}", get(show_report))
        .route("/reports/{id}/duplicates", get(duplicates))
        .route("/cases", get(list_cases))
        .route("/cases/count", get(count_cases))
        .route("/cases/{id}", get(show_case))
        .route("/commands", post(command))
        .route("/commands/batch", post(batch))
        .route("/commands/groups", post(groups))
        .route("/reports/master", get(master))
        .route("/cameras", get(cameras))
        .route("/report", get(period_report))
        .route("/cameras/status", get(camera_statuses))
        .route("/cameras/{id}/health", get(camera_health).put(put_camera_health))
        .route("/cameras/{id}/snapshot", get(camera_snapshot))
        .route("/sightings", get(search_plates).post(record_sighting))
        .route("/watchlist", get(watchlist).post(watch_plate))
        .route("/watchlist/{plate}", axum::routing::delete(unwatch_plate))
        .route("/sli", post(sli))
        .route("/commands/{name}", post(named_command))
        .route("/counts", get(counts))
        .route("/log", get(log))
        .route("/whoami", get(whoami))
        .route("/events", get(super::sse::events))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
}

/// A known path with the wrong method.
pub(super) async fn method_not_allowed() -> ApiError {
    ApiError::Request {
        status: StatusCode::METHOD_NOT_ALLOWED,
        detail: "this route does not take that method".into(),
    }
}

/// `GET /healthz`: the process is up.
pub(super) async fn healthz() -> &'static str {
    "ok\n"
}

/// `GET /readyz`: the store answers.
pub(super) async fn readyz(State(st): State<AppState>) -> Response {
    match st.core.counts().await {
        Ok(_) => "ready\n".into_response(),
        Err(e) => {
            tracing::warn!("not ready: {e}");
            (StatusCode::SERVICE_UNAVAILABLE, "not ready\n").into_response()
        }
    }
}

/// Any unknown path.
pub(super) async fn not_found() -> ApiError {
    ApiError::Ioc(IocError::NotFound("no such route".into()))
}

/// Refuses read-only actors before any work is done.
fn require_write(ioc: &Ioc) -> Result<(), ApiError> {
    if ioc.actor().role.can_write() {
        Ok(())
    } else {
        Err(IocError::Forbidden(format!("{} is read-only (viewer)", ioc.actor().name)).into())
    }
}

async fn list_reports(
    Authed(ioc): Authed,
    State(st): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<ReportQuery>,
) -> Result<Response, ApiError> {
    let f = q.to_filter().map_err(ApiError::bad_request)?;
    cached(&st, &ioc, &uri, &headers, async { Ok(ioc.reports(f).await?) }).await
}

async fn count_reports(
    Authed(ioc): Authed,
    State(st): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<ReportQuery>,
) -> Result<Response, ApiError> {
    let f = q.to_filter().map_err(ApiError::bad_request)?;
    cached(&st, &ioc, &uri, &headers, async {
        Ok(CountOut {
            count: ioc.count_reports(f).await?,
        })
    })
    .await
}

async fn show_report(Authed(ioc): Authed, Path(id): Path<String>) -> ApiResult<ReportDetail> {
    Ok(Json(ioc.report(&id).await?))
}

async fn submit(Authed(ioc): Authed, ApiJson(n): ApiJson<NewReport>) -> Result<Response, ApiError> {
    require_write(&ioc)?;
    let r = ioc.submit(n).await?;
    Ok((StatusCode::CREATED, Json(r)).into_response())
}

/// `GET /cases`: the queue page every desk reloads after each event, so answers are cached.
async fn list_cases(
    Authed(ioc): Authed,
    State(st): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<CaseQuery>,
) -> Result<Response, ApiError> {
    let f = q.to_filter().map_err(ApiError::bad_request)?;
    cached(&st, &ioc, &uri, &headers, async { Ok(ioc.cases(f).await?) }).await
}

async fn count_cases(
    Authed(ioc): Authed,
    State(st): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<CaseQuery>,
) -> Result<Response, ApiError> {
    let f = q.to_filter().map_err(ApiError::bad_request)?;
    cached(&st, &ioc, &uri, &headers, async {
        Ok(CountOut {
            count: ioc.count_cases(f).await?,
        })
    })
    .await
}

async fn show_case(Authed(ioc): Authed, Path(id): Path<String>) -> ApiResult<CaseDetail> {
    Ok(Json(ioc.case(&id).await?))
}

async fn command(Authed(ioc): Authed, ApiJson(env): ApiJson<Envelope>) -> ApiResult<Vec<Event>> {
    require_write(&ioc)?;
    Ok(Json(ioc.execute(env).await?))
}

/// `POST /commands/{name}`: the command named in the path, its fields in the body
/// (`POST /commands/claim {"case_id":"C0000007","expected_version":3}`).
async fn named_command(
    Authed(ioc): Authed,
    Path(name): Path<String>,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> ApiResult<Vec<Event>> {
    require_write(&ioc)?;
    let serde_json::Value::Object(mut fields) = body else {
        return Err(ApiError::bad_request(
            "the body must be a JSON object of the command's fields",
        ));
    };
    fields.insert("command".into(), serde_json::Value::String(name));
    let env: Envelope = serde_json::from_value(serde_json::Value::Object(fields)).map_err(|e| ApiError::Request {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        detail: format!("not a valid command: {e}"),
    })?;
    Ok(Json(ioc.execute(env).await?))
}

async fn batch(Authed(ioc): Authed, ApiJson(envs): ApiJson<Vec<Envelope>>) -> ApiResult<Vec<BatchItem>> {
    require_write(&ioc)?;
    if envs.len() > PAGE_MAX {
        return Err(ApiError::bad_request(format!("at most {PAGE_MAX} commands per batch")));
    }
    let out = ioc.execute_many(envs).await?;
    Ok(Json(
        out.into_iter()
            .map(|r| match r {
                Ok(ev) => BatchItem::Ok(ev),
                Err(e) => BatchItem::Err(Problem::from_error(&e)),
            })
            .collect(),
    ))
}

/// `GET /counts`: the status bar's figures (cached like the queue page).
async fn counts(
    Authed(ioc): Authed,
    State(st): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    cached(&st, &ioc, &uri, &headers, async { Ok(ioc.counts().await?) }).await
}

/// `GET /log?after=SEQ&limit=N`: a page of the event log (scoped tokens get their cases' events
/// only, so a page may hold fewer than `limit` even before the end).
async fn log(
    Authed(ioc): Authed,
    State(st): State<AppState>,
    ApiQuery(q): ApiQuery<AfterQuery>,
) -> ApiResult<Vec<Event>> {
    let limit = q.limit.unwrap_or(PAGE_MAX);
    if !(1..=PAGE_MAX).contains(&limit) {
        return Err(ApiError::bad_request(format!("limit: outside 1..={PAGE_MAX}")));
    }
    let after = q.after.unwrap_or(0);
    if after > SEQ_MAX {
        return Err(ApiError::bad_request(format!("after: beyond {SEQ_MAX}")));
    }
    let events = ioc.events_after(after, limit).await?;
    Ok(Json(match super::sse::scope_of(&ioc, &st) {
        Some(mut s) => s.filter(events).await?,
        None => events,
    }))
}

async fn whoami(Authed(ioc): Authed) -> Json<Actor> {
    Json(ioc.actor().clone())
}

/// `POST /commands/groups`: groups of commands, each whole or not at all; `dry_run` rolls back.
async fn groups(Authed(ioc): Authed, ApiJson(g): ApiJson<crate::ioc::wire::GroupsIn>) -> ApiResult<Vec<BatchItem>> {
    require_write(&ioc)?;
    if g.groups.len() > PAGE_MAX {
        return Err(ApiError::bad_request(format!("at most {PAGE_MAX} groups per request")));
    }
    let out = ioc.execute_groups(g.groups, g.dry_run).await?;
    Ok(Json(
        out.into_iter()
            .map(|r| match r {
                Ok(ev) => BatchItem::Ok(ev),
                Err(e) => BatchItem::Err(Problem::from_error(&e)),
            })
            .collect(),
    ))
}

/// `GET /reports/master`: the open report a duplicate would join, or `null`.
async fn master(
    Authed(ioc): Authed,
    ApiQuery(q): ApiQuery<crate::ioc::wire::MasterQuery>,
) -> ApiResult<Option<Report>> {
    if !(0.0..=5000.0).contains(&q.radius_m) || !(0..=365).contains(&q.days) {
        return Err(ApiError::bad_request("radius_m is 0..=5000 and days 0..=365"));
    }
    Ok(Json(
        ioc.find_master(&q.category, q.lat, q.lon, q.before, &q.except, q.radius_m, q.days)
            .await?,
    ))
}

/// `GET /reports/{id}/duplicates`: the open reports that may describe the same problem.
async fn duplicates(
    Authed(ioc): Authed,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<crate::ioc::wire::DuplicatesQuery>,
) -> ApiResult<Vec<crate::ioc::wire::DuplicateCandidate>> {
    let p = q.to_params().map_err(ApiError::bad_request)?;
    let list = ioc.duplicate_candidates_with(&id, p).await?;
    Ok(Json(
        list.into_iter()
            .map(|(report, score)| crate::ioc::wire::DuplicateCandidate { report, score })
            .collect(),
    ))
}

/// `GET /cameras`: every camera, by site.
async fn cameras(Authed(ioc): Authed) -> ApiResult<Vec<crate::domain::Camera>> {
    Ok(Json(ioc.cameras().await?))
}

/// `GET /report?period=&from=&to=`: the digital report for a period (at most 400 days).
async fn period_report(
    Authed(ioc): Authed,
    ApiQuery(q): ApiQuery<crate::ioc::wire::PeriodQuery>,
) -> ApiResult<crate::domain::digest::PeriodReport> {
    if q.to <= q.from || q.to - q.from > chrono::Duration::days(400) {
        return Err(ApiError::bad_request("from must be before to, at most 400 days apart"));
    }
    Ok(Json(ioc.period_report(&q.period, q.from, q.to).await?))
}

/// `GET /cameras/status`: every camera with its health and 24-hour availability.
async fn camera_statuses(Authed(ioc): Authed) -> ApiResult<Vec<crate::domain::health::CameraStatus>> {
    Ok(Json(ioc.camera_statuses().await?))
}

/// `GET /cameras/{id}/health`: the prober's memory of a camera.
async fn camera_health(Authed(ioc): Authed, Path(id): Path<String>) -> ApiResult<crate::domain::health::Health> {
    Ok(Json(ioc.camera_health(&id).await?))
}

/// `GET /cameras/{id}/snapshot`: the camera's current image, fetched by the server (any role may
/// look; the bytes are passed on with their sniffed type and never cached).
async fn camera_snapshot(Authed(ioc): Authed, Path(id): Path<String>) -> Result<Response, ApiError> {
    let bytes = ioc.camera_snapshot(&id).await?;
    let kind = image_type(&bytes);
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, kind),
            (axum::http::header::CACHE_CONTROL, "no-store"),
            (axum::http::header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        bytes,
    )
        .into_response())
}

/// The media type of image bytes by their signature (cameras' own headers are not trusted).
fn image_type(b: &[u8]) -> &'static str {
    if b.starts_with(b"\x89PNG\r\n\x1a\n") {
        "image/png"
    } else if b.starts_with(&[0xff, 0xd8, 0xff]) {
        "image/jpeg"
    } else {
        "application/octet-stream"
    }
}

/// `PUT /cameras/{id}/health`: a prober saves what it found (supervisors and admins).
async fn put_camera_health(
    Authed(ioc): Authed,
    Path(id): Path<String>,
    ApiJson(h): ApiJson<crate::domain::health::Health>,
) -> ApiResult<serde_json::Value> {
    require_write(&ioc)?;
    if h.id != id {
        return Err(ApiError::bad_request("the body's id differs from the path's"));
    }
    ioc.put_camera_health(h).await?;
    Ok(Json(serde_json::json!({ "ok": true })))
}

/// A sighting as cameras post it.
#[derive(serde::Deserialize)]
struct SightingIn {
    camera_id: String,
    plate: String,
    seen_at: chrono::DateTime<chrono::Utc>,
    #[serde(default = "full_confidence")]
    confidence: f64,
}

fn full_confidence() -> f64 {
    1.0
}

/// `POST /sightings`: a camera reports a plate; answers 201 with the recorded event.
async fn record_sighting(Authed(ioc): Authed, ApiJson(s): ApiJson<SightingIn>) -> Result<Response, ApiError> {
    require_write(&ioc)?;
    let cmd = crate::domain::Command::RecordSighting {
        camera_id: s.camera_id,
        plate: s.plate,
        seen_at: s.seen_at,
        confidence: s.confidence,
    };
    let ev = ioc.execute(cmd.into()).await?;
    Ok((StatusCode::CREATED, Json(ev)).into_response())
}

/// `GET /watchlist`: every watched plate (IOC staff).
async fn watchlist(Authed(ioc): Authed) -> ApiResult<Vec<crate::domain::WatchEntry>> {
    Ok(Json(ioc.watchlist().await?))
}

/// A plate to watch.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct WatchIn {
    plate: String,
    #[serde(default)]
    reason: Option<String>,
}

/// `POST /watchlist`: watch a plate (supervisors); answers with the recorded events.
async fn watch_plate(Authed(ioc): Authed, ApiJson(w): ApiJson<WatchIn>) -> ApiResult<Vec<crate::domain::Event>> {
    require_write(&ioc)?;
    let cmd = crate::domain::Command::WatchPlate {
        plate: w.plate,
        reason: w.reason,
    };
    Ok(Json(ioc.execute(cmd.into()).await?))
}

/// `DELETE /watchlist/{plate}`: stop watching a plate (supervisors).
async fn unwatch_plate(Authed(ioc): Authed, Path(plate): Path<String>) -> ApiResult<Vec<crate::domain::Event>> {
    require_write(&ioc)?;
    let cmd = crate::domain::Command::UnwatchPlate { plate };
    Ok(Json(ioc.execute(cmd.into()).await?))
}

/// `GET /sightings?plate=…`: OCR-tolerant plate search, best first.
async fn search_plates(
    Authed(ioc): Authed,
    ApiQuery(q): ApiQuery<crate::ioc::wire::PlateQuery>,
) -> ApiResult<Vec<crate::domain::plate::SightingHit>> {
    let limit = q.limit.unwrap_or(100);
    if !(1..=PAGE_MAX).contains(&limit) {
        return Err(ApiError::bad_request(format!("limit: outside 1..={PAGE_MAX}")));
    }
    Ok(Json(ioc.search_plates(&q.plate, limit).await?))
}

/// `POST /sli`: service levels over a window, with the client's objectives.
async fn sli(
    Authed(ioc): Authed,
    ApiJson(q): ApiJson<crate::ioc::wire::SliQuery>,
) -> ApiResult<crate::domain::sli::SliReport> {
    Ok(Json(ioc.sli(&q.window, q.slos).await?))
}
