//! [`ApiError`]: every failure the API returns, as an RFC 9457 `application/problem+json` body.

use crate::ioc::IocError;
use crate::ioc::wire::Problem;
use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// An API failure; turns into a problem document with the matching status.
#[derive(Debug, Clone)]
pub enum ApiError {
    /// A core error (404, 409, 403, 422, …).
    Ioc(IocError),
    /// The request itself is unusable: bad JSON, bad query, too large.
    Request {
        /// The status to answer with.
        status: StatusCode,
        /// What was wrong.
        detail: String,
    },
    /// Too many requests for this token.
    RateLimited,
}

impl ApiError {
    /// A 400 with this detail.
    pub fn bad_request(detail: impl Into<String>) -> Self {
        ApiError::Request {
            status: StatusCode::BAD_REQUEST,
            detail: detail.into(),
        }
    }
}

impl From<IocError> for ApiError {
    fn from(e: IocError) -> Self {
        ApiError::Ioc(e)
    }
}

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> Self {
        // Keep axum's status (400 syntax, 413 too large, 415 wrong type, 422 wrong shape).
        ApiError::Request {
            status: r.status(),
            detail: r.body_text(),
        }
    }
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> Self {
        ApiError::bad_request(r.body_text())
    }
}

fn problem_for(status: StatusCode, slug: &str, title: &str, detail: String) -> Problem {
    Problem {
        kind: format!("https://iocdesk.invalid/problems/{slug}"),
        title: title.into(),
        status: status.as_u16(),
        detail,
        id: None,
        by: None,
    }
}

impl ApiError {
    /// The problem document for this error.
    pub fn problem(&self) -> Problem {
        match self {
            ApiError::Ioc(e) => Problem::from_error(e),
            ApiError::Request { status, detail } => {
                let slug = match status.as_u16() {
                    413 => "too-large",
                    415 => "unsupported-media-type",
                    422 => "invalid",
                    _ => "bad-request",
                };
                problem_for(
                    *status,
                    slug,
                    status.canonical_reason().unwrap_or("Bad request"),
                    detail.clone(),
                )
            }
            ApiError::RateLimited => problem_for(
                StatusCode::TOO_MANY_REQUESTS,
                "rate-limited",
                "Too many requests",
                "slow down: this token's request budget is spent for now".into(),
            ),
        }
    }
}

/// Writes a problem document with its status and content type.
pub fn problem_response(p: Problem) -> Response {
    let status = StatusCode::from_u16(p.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut r = (status, Json(p)).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    if status == StatusCode::TOO_MANY_REQUESTS {
        r.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    }
    if status == StatusCode::UNAUTHORIZED {
        r.headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    }
    r
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Ioc(IocError::Internal(m)) = &self {
            tracing::error!("internal error: {m}");
        }
        problem_response(self.problem())
    }
}
