//! Bearer-token authentication and a per-token rate limit (a token bucket in memory).
//!
//! A verified token is remembered (by the hash of its secret) for [`TOKEN_TTL`], so a busy desk
//! does not cost a store lookup per request. Expiry is checked on every request; a token revoked
//! through this process's core is refused at once, one revoked by another process (`iocdesk
//! token revoke` while the server runs) within [`TOKEN_TTL`].

use super::AppState;
use super::error::ApiError;
use crate::ioc::{Ioc, IocError};
use crate::store::tokens::{TokenInfo, hash_secret};
use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

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

/// How long a verified token is trusted without asking the store again.
pub const TOKEN_TTL: Duration = Duration::from_secs(2);

/// Tokens recently found in the store, by secret hash: (token, the core's exclusive-use count
/// then, when found).
#[derive(Default)]
pub(super) struct TokenCache {
    map: Mutex<HashMap<String, (TokenInfo, u64, Instant)>>,
}

/// Remembered tokens at most (a flood of made-up secrets is never remembered: only found ones).
const TOKENS_KEPT: usize = 4096;

impl TokenCache {
    fn get(&self, hash: &str, uses: u64) -> Option<TokenInfo> {
        let map = self.map.lock().ok()?;
        let (info, at_uses, at) = map.get(hash)?;
        (*at_uses == uses && at.elapsed() < TOKEN_TTL).then(|| info.clone())
    }

    fn put(&self, hash: String, info: TokenInfo, uses: u64) {
        if let Ok(mut map) = self.map.lock() {
            if map.len() >= TOKENS_KEPT {
                map.retain(|_, (_, _, at)| at.elapsed() < TOKEN_TTL);
                if map.len() >= TOKENS_KEPT {
                    map.clear();
                }
            }
            map.insert(hash, (info, uses, Instant::now()));
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
        let hash = hash_secret(&secret);
        // Read before the lookup, so a revocation during it is not hidden by what it finds.
        let uses = state.core.exclusive_uses();
        let found = match state.tokens.get(&hash, uses) {
            Some(info) => Some(info),
            None => {
                let found: Option<TokenInfo> = state.core.token_by_secret(secret).await?;
                if let Some(info) = &found {
                    state.tokens.put(hash, info.clone(), uses);
                }
                found
            }
        };
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
