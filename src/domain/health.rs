//! Camera health: what a probe found, the hysteresis that turns probe outcomes into state changes
//! (so a flapping camera does not flood the log), and availability over a window from the state
//! changes.

use super::model::CameraState;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// A camera with its health, as `cameras list` shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CameraStatus {
    /// Camera id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Site.
    pub site: String,
    /// Kind.
    pub kind: super::model::CameraKind,
    /// Current state.
    pub state: CameraState,
    /// Since when.
    pub state_since: DateTime<Utc>,
    /// When a probe last reached it.
    pub last_seen: Option<DateTime<Utc>>,
    /// The last measured latency.
    pub latency_ms: Option<u64>,
    /// Share of the last 24 hours online (of the time its state was known).
    pub availability_24h: Option<f64>,
    /// The last problem a probe found.
    pub last_error: Option<String>,
    /// The open case raised for its outage, if any.
    #[serde(default)]
    pub case_id: Option<String>,
}

/// What one probe of a camera found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// Every step answered in time.
    Ok {
        /// Connect → DESCRIBE, in milliseconds.
        latency_ms: u64,
    },
    /// The service answers but the stream is missing or unusable (a 404 on DESCRIBE, a failing
    /// snapshot).
    Impaired {
        /// Connect → last answer, in milliseconds.
        latency_ms: u64,
        /// What is wrong.
        reason: String,
    },
    /// A step failed or timed out.
    Failed {
        /// The failing step and why.
        reason: String,
    },
}

/// The thresholds of the health rules.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Policy {
    /// Slower than this (ms) is degraded.
    pub slow_ms: u64,
    /// Failing for this long makes a camera offline (Frigate uses 20 s).
    pub offline_after: Duration,
    /// Consecutive probes that must agree before a known camera changes state.
    pub confirm: u32,
    /// Offline for this long opens a case for the maintenance unit.
    pub case_after: Duration,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            slow_ms: 3000,
            offline_after: Duration::seconds(20),
            confirm: 2,
            case_after: Duration::minutes(15),
        }
    }
}

/// The prober's memory of a camera (kept in the `camera_health` table, not in the log).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Health {
    /// The camera.
    pub id: String,
    /// When a probe last succeeded (the service answered).
    pub last_seen: Option<DateTime<Utc>>,
    /// When it was last probed.
    pub last_probe: Option<DateTime<Utc>>,
    /// The last measured latency.
    pub latency_ms: Option<u64>,
    /// Since when it fails, if it does.
    pub failing_since: Option<DateTime<Utc>>,
    /// The last problem found.
    pub last_error: Option<String>,
    /// A state the probes point at but not yet confirmed.
    pub pending: Option<CameraState>,
    /// How many consecutive probes pointed at `pending`.
    pub pending_count: u32,
}

/// Folds one probe outcome into the camera's health; returns the new health and, when the state
/// must change, the new state with its reason.
pub fn step(
    current: CameraState,
    prev: &Health,
    outcome: &Outcome,
    now: DateTime<Utc>,
    policy: &Policy,
) -> (Health, Option<(CameraState, String)>) {
    let mut h = prev.clone();
    h.last_probe = Some(now);
    let (target, reason) = match outcome {
        Outcome::Ok { latency_ms } => {
            h.last_seen = Some(now);
            h.latency_ms = Some(*latency_ms);
            h.failing_since = None;
            h.last_error = None;
            if *latency_ms > policy.slow_ms {
                (CameraState::Degraded, format!("slow: {latency_ms} ms"))
            } else {
                (CameraState::Online, format!("answered in {latency_ms} ms"))
            }
        }
        Outcome::Impaired { latency_ms, reason } => {
            h.last_seen = Some(now);
            h.latency_ms = Some(*latency_ms);
            h.failing_since = None;
            h.last_error = Some(reason.clone());
            (CameraState::Degraded, reason.clone())
        }
        Outcome::Failed { reason } => {
            let since = *h.failing_since.get_or_insert(now);
            h.latency_ms = None;
            h.last_error = Some(reason.clone());
            if now - since >= policy.offline_after || current == CameraState::Unknown {
                (CameraState::Offline, reason.clone())
            } else {
                (CameraState::Degraded, reason.clone())
            }
        }
    };
    if current == CameraState::Maintenance || target == current {
        h.pending = None;
        h.pending_count = 0;
        return (h, None);
    }
    // No history, or a failure past the offline threshold: the threshold itself is the hysteresis.
    let immediate = current == CameraState::Unknown
        || (target == CameraState::Offline && matches!(outcome, Outcome::Failed { .. }));
    if h.pending == Some(target) {
        h.pending_count += 1;
    } else {
        h.pending = Some(target);
        h.pending_count = 1;
    }
    if immediate || h.pending_count >= policy.confirm {
        h.pending = None;
        h.pending_count = 0;
        return (h, Some((target, reason)));
    }
    (h, None)
}

/// The share of `[from, to)` a camera was online, given its state changes in time order (the
/// last change before `from` included). Time in `unknown` or `maintenance` is left out of the
/// denominator; `None` when no time was in a known state.
pub fn availability(changes: &[(DateTime<Utc>, CameraState)], from: DateTime<Utc>, to: DateTime<Utc>) -> Option<f64> {
    let (mut online, mut known) = (0i64, 0i64);
    for (i, (at, state)) in changes.iter().enumerate() {
        let end = changes.get(i + 1).map(|c| c.0).unwrap_or(to).min(to);
        let start = (*at).max(from);
        if end <= start {
            continue;
        }
        let ms = (end - start).num_milliseconds();
        match state {
            CameraState::Online => {
                online += ms;
                known += ms;
            }
            CameraState::Degraded | CameraState::Offline => known += ms,
            CameraState::Unknown | CameraState::Maintenance => {}
        }
    }
    (known > 0).then(|| online as f64 / known as f64)
}

/// What is wrong with a camera to register (empty when it is fine).
pub fn validate_camera(c: &crate::domain::command::NewCamera) -> Vec<String> {
    let mut out = Vec::new();
    if c.id.trim().is_empty() || c.id.chars().any(|ch| ch.is_whitespace() || ch.is_control()) {
        out.push("id: must be non-empty, without spaces".to_string());
    }
    if c.name.trim().is_empty() {
        out.push("name: empty".into());
    }
    if c.site.trim().is_empty() {
        out.push("site: empty".into());
    }
    if let Some(u) = &c.rtsp_url
        && !(u.starts_with("rtsp://") || u.starts_with("rtsps://"))
    {
        out.push(format!("rtsp_url: '{u}' is not an rtsp:// URL"));
    }
    if let Some(u) = &c.snapshot_url
        && !(u.starts_with("http://") || u.starts_with("https://"))
    {
        out.push(format!("snapshot_url: '{u}' is not an http(s):// URL"));
    }
    if let Some(lat) = c.lat
        && !(-90.0..=90.0).contains(&lat)
    {
        out.push(format!("lat: {lat} is outside -90..90"));
    }
    if let Some(lon) = c.lon
        && !(-180.0..=180.0).contains(&lon)
    {
        out.push(format!("lon: {lon} is outside -180..180"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(s: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_800_000_000 + s, 0).single().unwrap_or_default()
    }

    fn run(start: CameraState, outcomes: &[(i64, Outcome)]) -> (CameraState, usize) {
        let (mut state, mut h, mut changes) = (start, Health::default(), 0);
        for (at, o) in outcomes {
            let (nh, ch) = step(state, &h, o, t(*at), &Policy::default());
            h = nh;
            if let Some((s, _)) = ch {
                state = s;
                changes += 1;
            }
        }
        (state, changes)
    }

    fn ok() -> Outcome {
        Outcome::Ok { latency_ms: 40 }
    }
    fn fail() -> Outcome {
        Outcome::Failed {
            reason: "connect: refused".into(),
        }
    }

    #[test]
    fn a_first_probe_decides_at_once() {
        assert_eq!(run(CameraState::Unknown, &[(0, ok())]).0, CameraState::Online);
        assert_eq!(run(CameraState::Unknown, &[(0, fail())]).0, CameraState::Offline);
        let missing = Outcome::Impaired {
            latency_ms: 5,
            reason: "DESCRIBE 404".into(),
        };
        assert_eq!(run(CameraState::Unknown, &[(0, missing)]).0, CameraState::Degraded);
    }

    #[test]
    fn failing_goes_degraded_then_offline_after_the_threshold() {
        let (s, _) = run(CameraState::Online, &[(0, fail()), (10, fail())]);
        assert_eq!(s, CameraState::Degraded);
        let (s, _) = run(CameraState::Online, &[(0, fail()), (10, fail()), (20, fail())]);
        assert_eq!(s, CameraState::Offline);
    }

    #[test]
    fn flapping_does_not_flood_the_log() {
        let flaps: Vec<(i64, Outcome)> = (0..20)
            .map(|i| (i * 10, if i % 2 == 0 { fail() } else { ok() }))
            .collect();
        let (s, changes) = run(CameraState::Online, &flaps);
        assert_eq!(s, CameraState::Online);
        assert_eq!(changes, 0);
    }

    #[test]
    fn maintenance_is_left_alone() {
        assert_eq!(
            run(CameraState::Maintenance, &[(0, fail()), (30, fail())]).0,
            CameraState::Maintenance
        );
    }

    #[test]
    fn availability_is_the_online_share_of_known_time() {
        let ch = [
            (t(-100), CameraState::Online),
            (t(50), CameraState::Offline),
            (t(75), CameraState::Online),
        ];
        let a = availability(&ch, t(0), t(100)).unwrap_or_default();
        assert!((a - 0.75).abs() < 1e-9, "{a}");
        assert_eq!(availability(&[], t(0), t(100)), None);
        let m = [(t(0), CameraState::Maintenance), (t(50), CameraState::Online)];
        assert_eq!(availability(&m, t(0), t(100)), Some(1.0));
    }
}
