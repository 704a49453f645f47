//! Camera snapshots: one bounded HTTP GET of a camera's `snapshot_url` (a timeout, a size limit, no
//! URL in any message since it may hold credentials), and the bounded body reader the remote core
//! shares.

use super::IocError;
use std::time::Duration;

/// The largest snapshot accepted, in bytes; a camera sending more is refused, not truncated.
pub const SNAPSHOT_MAX: usize = 8 * 1024 * 1024;

/// How long the camera may take to accept the connection.
const CONNECT: Duration = Duration::from_secs(3);

/// How long the whole fetch may take (a camera that trickles bytes cannot hold the desk).
const TOTAL: Duration = Duration::from_secs(10);

/// Fetches camera `id`'s snapshot from `url`; every failure is an [`IocError::Unreachable`] that
/// names the camera and says why.
pub(crate) async fn fetch(id: &str, url: &str) -> Result<Vec<u8>, IocError> {
    let fail = |why: String| IocError::Unreachable(format!("camera {id}: snapshot: {why}"));
    let parsed = reqwest::Url::parse(url).map_err(|e| fail(format!("bad snapshot_url ({e})")))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(fail(format!(
            "unsupported scheme '{}' (http or https only)",
            parsed.scheme()
        )));
    }
    let client = reqwest::Client::builder()
        .connect_timeout(CONNECT)
        .timeout(TOTAL)
        .redirect(reqwest::redirect::Policy::limited(3))
        .build()
        .map_err(|e| IocError::Internal(format!("cannot build the HTTP client: {}", e.without_url())))?;
    let resp = client.get(parsed).send().await.map_err(|e| fail(why(&e)))?;
    if !resp.status().is_success() {
        return Err(fail(format!("HTTP {}", resp.status().as_u16())));
    }
    read_limited(resp, SNAPSHOT_MAX).await.map_err(fail)
}

/// Why a request failed, in words, without its URL.
fn why(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        format!("no answer in {} s", TOTAL.as_secs())
    } else if e.is_connect() {
        "cannot connect".into()
    } else if e.is_redirect() {
        "too many redirects".into()
    } else {
        // reqwest's own text names the URL, which may carry a password: say what lies beneath.
        std::error::Error::source(e).map_or_else(|| "transfer failed".into(), |s| s.to_string())
    }
}

/// Reads a response body of at most `max` bytes; a larger one is an error, never truncated.
pub(crate) async fn read_limited(mut resp: reqwest::Response, max: usize) -> Result<Vec<u8>, String> {
    let too_large = || format!("larger than {} MiB", max / (1024 * 1024));
    if resp.content_length().is_some_and(|n| n > max as u64) {
        return Err(too_large());
    }
    let mut body = Vec::with_capacity(resp.content_length().map_or(64 * 1024, |n| n as usize));
    while let Some(chunk) = resp.chunk().await.map_err(|e| why(&e))? {
        if body.len() + chunk.len() > max {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}
