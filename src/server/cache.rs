//! Answers to the hot list queries (the queue page every desk loads after every event), kept as
//! the JSON bytes sent, per URL and per visibility (agency scope, redaction). An answer is reused
//! only while the store is at the version it was computed from — any commit, by this server or
//! another process on the same file, makes it stale — and for at most [`TTL`], because filters
//! such as "overdue" depend on the clock.
//!
//! Every answer carries an `ETag` (a hash of its bytes): a client that sends it back in
//! `If-None-Match` and would get the same bytes gets `304 Not Modified` and no body, so a desk
//! reloading an unchanged queue page parses nothing.

use super::AppState;
use super::error::ApiError;
use crate::ioc::{Ioc, StoreVersion};
use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use std::collections::HashMap;
use std::future::Future;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The longest an answer is reused even when nothing was committed.
pub const TTL: Duration = Duration::from_secs(1);
/// Answers kept at most (the cache is emptied when full: the hot pages come straight back).
const MAX_ENTRIES: usize = 128;
/// Larger answers (big exports paged through the API) are not worth keeping.
const MAX_BODY: usize = 512 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    /// Path and query string, as sent.
    uri: String,
    /// The token's agency scope.
    agency: Option<String>,
    /// Whether reporters are hidden from this token.
    redacted: bool,
}

struct Entry {
    version: StoreVersion,
    at: Instant,
    body: Bytes,
    etag: HeaderValue,
}

/// The cached answers.
#[derive(Default)]
pub(super) struct Pages {
    map: Mutex<HashMap<Key, Entry>>,
}

/// A weak validator for these bytes (the same bytes always give the same tag).
fn etag_of(body: &[u8]) -> HeaderValue {
    use std::hash::{Hash, Hasher};
    // SipHash with fixed keys: stable across restarts, and 64 bits is plenty to tell pages apart.
    let mut h = std::collections::hash_map::DefaultHasher::new();
    body.hash(&mut h);
    HeaderValue::from_str(&format!("W/\"{:016x}-{:x}\"", h.finish(), body.len()))
        .unwrap_or_else(|_| HeaderValue::from_static("W/\"0\""))
}

/// The answer: 304 when the client already holds these bytes, else the JSON.
fn respond(body: Bytes, etag: HeaderValue, if_none_match: Option<&HeaderValue>) -> Response {
    if if_none_match.is_some_and(|t| t.as_bytes() == etag.as_bytes()) {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response();
    }
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("application/json")),
            (header::ETAG, etag),
        ],
        body,
    )
        .into_response()
}

impl Pages {
    fn get(&self, key: &Key, version: StoreVersion) -> Option<(Bytes, HeaderValue)> {
        let map = self.map.lock().ok()?;
        let e = map.get(key)?;
        (e.version == version && e.at.elapsed() < TTL).then(|| (e.body.clone(), e.etag.clone()))
    }

    fn put(&self, key: Key, version: StoreVersion, body: Bytes, etag: HeaderValue) {
        if body.len() > MAX_BODY {
            return;
        }
        if let Ok(mut map) = self.map.lock() {
            if map.len() >= MAX_ENTRIES && !map.contains_key(&key) {
                map.clear();
            }
            map.insert(
                key,
                Entry {
                    version,
                    at: Instant::now(),
                    body,
                    etag,
                },
            );
        }
    }
}

/// The answer for `uri` as `ioc` sees it: reused when still current, else computed by `compute`,
/// sent as JSON and kept. Errors are never kept.
pub(super) async fn cached<T, F>(
    st: &AppState,
    ioc: &Ioc,
    uri: &Uri,
    headers: &HeaderMap,
    compute: F,
) -> Result<Response, ApiError>
where
    T: Serialize,
    F: Future<Output = Result<T, ApiError>>,
{
    let actor = ioc.actor();
    let key = Key {
        uri: uri.path_and_query().map(|p| p.as_str()).unwrap_or("").to_string(),
        agency: actor.agency.clone(),
        redacted: actor.is_scoped() || matches!(actor.role, crate::domain::Role::Viewer),
    };
    // Read before computing: an answer is never newer than the version it is filed under says.
    let version = st.core.version();
    let if_none_match = headers.get(header::IF_NONE_MATCH);
    if let Some(v) = version
        && let Some((body, etag)) = st.pages.get(&key, v)
    {
        return Ok(respond(body, etag, if_none_match));
    }
    let value = compute.await?;
    let body = Bytes::from(
        serde_json::to_vec(&value).map_err(|e| ApiError::Ioc(crate::ioc::IocError::Internal(e.to_string())))?,
    );
    let etag = etag_of(&body);
    if let Some(v) = version {
        st.pages.put(key, v, body.clone(), etag.clone());
    }
    Ok(respond(body, etag, if_none_match))
}
