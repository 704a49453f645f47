//! Bearer-token authentication and a per-token rate limit (a token bucket in memory).

use super::AppState;
use super::error::ApiError;
use crate::ioc::{Ioc, IocError};
use crate::store::tokens::TokenInfo;
use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

/// How many requests a token may make: a burst, refilled at a steady rate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateLimit {
    /// Requests allowed at once.
    pub burst: f64,
    /// Requests added back per second.
    pub per_second: f64,
}

impl Default for RateLimit {
    fn default() -> Self {
        RateLimit {
            burst: 200.0,
            per_second: 50.0,
        }
    }
}

/// Token buckets keyed by token id.
pub(super) struct Limiter {
    rate: RateLimit,
    buckets: Mutex<HashMap<String, (f64, Instant)>>,
}

impl Limiter {
    pub(super) fn new(rate: RateLimit) -> Self {
        Limiter {
            rate,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one request from `id`'s bucket; false when it is empty.
    pub(super) fn take(&self, id: &str) -> bool {
        let now = Instant::now();
        let Ok(mut b) = self.buckets.lock() else {
            return true;
        };
        let (tokens, at) = b.entry(id.to_string()).or_insert((self.rate.burst, now));
        let refill = now.duration_since(*at).as_secs_f64() * self.rate.per_second;
        *tokens = (*tokens + refill).min(self.rate.burst);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

/// A request with a valid token: the core acting as the token's actor.
pub struct Authed(pub Ioc);

fn unauthorized(m: &str) -> ApiError {
    ApiError::Ioc(IocError::Unauthorized(m.into()))
}

impl FromRequestParts<AppState> for Authed {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let secret = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .ok_or_else(|| unauthorized("a bearer token is required (Authorization: Bearer …)"))?
            .to_string();
        let core = state.core.clone();
        let found: Option<TokenInfo> = tokio::task::spawn_blocking(move || {
            core.blocking(|s| s.token_by_secret(&secret))
                .and_then(|r| r.map_err(IocError::from))
        })
        .await
        .map_err(|e| IocError::Internal(format!("token lookup failed: {e}")))??;
        let info = found
            .filter(|t| t.is_valid(chrono::Utc::now()))
            .ok_or_else(|| unauthorized("the token is unknown, expired or revoked"))?;
        if !state.limiter.take(&info.id) {
            return Err(ApiError::RateLimited);
        }
        Ok(Authed(Ioc::Local(state.core.as_actor(info.actor()))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_empties_and_refills() {
        let l = Limiter::new(RateLimit {
            burst: 3.0,
            per_second: 20.0,
        });
        assert!((0..3).all(|_| l.take("a")));
        assert!(!l.take("a"), "the burst is spent");
        assert!(l.take("b"), "tokens have their own buckets");
        std::thread::sleep(std::time::Duration::from_millis(120));
        assert!(l.take("a"), "refilled after a while");
    }
}
