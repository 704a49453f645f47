//! The domain's records and small value types: roles, states, priorities, reports, cases.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Declares a closed, string-coded enum with `as_str`, `ALL`, `Display` and `FromStr`.
macro_rules! coded_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $v:ident = $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name { $($(#[$vm])* #[serde(rename = $s)] $v),+ }
        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$v),+];
            /// The stable code used in flags, JSON and the store.
            pub fn as_str(self) -> &'static str { match self { $($name::$v => $s),+ } }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.write_str(self.as_str()) }
        }
        impl FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                let t = s.trim();
                $(if t.eq_ignore_ascii_case($s) { return Ok($name::$v); })+
                let all: Vec<&str> = vec![$($s),+];
                Err(format!("unknown {} '{}' (expected one of: {})", stringify!($name).to_lowercase(), t, all.join(", ")))
            }
        }
    };
}

coded_enum! {
    /// What an actor may do: viewers read, officers work the queue, supervisors approve and extend.
    Role { Viewer = "viewer", Officer = "officer", Supervisor = "supervisor", Admin = "admin", Intake = "intake" }
}

coded_enum! {
    /// A report's verification state.
    ReportState { New = "new", Verified = "verified", Rejected = "rejected", Duplicate = "duplicate" }
}

coded_enum! {
    /// A case's processing state (DOMAIN.md: Đã chuyển xử lý … Công khai).
    CaseState {
        Forwarded = "forwarded", Acknowledged = "acknowledged", InProgress = "in_progress",
        Answered = "answered", Returned = "returned", Published = "published", Closed = "closed"
    }
}

coded_enum! {
    /// Urgency: P1 is the most urgent.
    Priority { P1 = "P1", P2 = "P2", P3 = "P3", P4 = "P4" }
}

coded_enum! {
    /// Where a report came from.
    Channel {
        App = "app", Web = "web", Hotline = "hotline", Open311 = "open311", Camera = "camera",
        Press = "press", Email = "email", Facebook = "facebook", Import = "import", System = "system"
    }
}

coded_enum! {
    /// Why the IOC refuses a report at verification.
    RejectReason {
        Invalid = "invalid", OutOfScope = "out_of_scope", Insufficient = "insufficient_info",
        Spam = "spam", Resolved = "already_resolved"
    }
}

coded_enum! {
    /// How an answer is judged against its deadline, frozen when the unit answers.
    Verdict { OnTime = "on_time", Extended = "on_time_extended", Late = "late" }
}

impl Role {
    /// True when this role may change anything at all.
    pub fn can_write(self) -> bool {
        !matches!(self, Role::Viewer)
    }
    /// True for supervisors and admins.
    pub fn is_supervisor(self) -> bool {
        matches!(self, Role::Supervisor | Role::Admin)
    }
}

impl CaseState {
    /// True while the case still waits for work or an answer from the unit.
    pub fn awaits_unit(self) -> bool {
        matches!(
            self,
            CaseState::Forwarded | CaseState::Acknowledged | CaseState::InProgress | CaseState::Returned
        )
    }
    /// True until the case is closed.
    pub fn is_open(self) -> bool {
        !matches!(self, CaseState::Closed)
    }
    /// States in which a deadline can still be missed (the "Quá hạn" flag applies).
    pub const AWAITING: &'static [CaseState] = &[
        CaseState::Forwarded,
        CaseState::Acknowledged,
        CaseState::InProgress,
        CaseState::Returned,
    ];
}

/// Who is acting: a person with a role and an optional agency scope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    /// The person's name or login, recorded on every event.
    pub name: String,
    /// What they may do.
    pub role: Role,
    /// The agency they belong to: such an actor sees only its agency's cases and never a reporter.
    pub agency: Option<String>,
}

impl Actor {
    /// An unscoped actor.
    pub fn new(name: impl Into<String>, role: Role) -> Self {
        Actor {
            name: name.into(),
            role,
            agency: None,
        }
    }
    /// The system itself (the demo simulator, the camera prober, automatic rules).
    pub fn system() -> Self {
        Actor::new("system", Role::Admin)
    }
    /// True when the actor is limited to one agency.
    pub fn is_scoped(&self) -> bool {
        self.agency.is_some()
    }
}

/// The citizen behind a report; held by the IOC only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Reporter {
    /// Name as given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Phone number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// E-mail address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// App or device identifier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_id: Option<String>,
    /// The reporter's account in the sending app (Open311 `account_id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
}

/// A citizen's field report (phản ánh) as the read tables hold it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Stable id, e.g. `R0001234`.
    pub id: String,
    /// When the IOC received it.
    pub received_at: DateTime<Utc>,
    /// Intake channel.
    pub channel: Channel,
    /// The citizen's text, exactly as sent (sanitize before drawing).
    pub text: String,
    /// Confirmed category, or the one given at intake.
    pub category: Option<String>,
    /// Canonical ward code.
    pub ward: Option<String>,
    /// Latitude (WGS84).
    pub lat: Option<f64>,
    /// Longitude (WGS84).
    pub lon: Option<f64>,
    /// Free-text address.
    pub address: Option<String>,
    /// Photos and videos.
    #[serde(default)]
    pub media: Vec<String>,
    /// Verification state.
    pub state: ReportState,
    /// The master report when this one is a duplicate.
    pub duplicate_of: Option<String>,
    /// The case it was forwarded as (or joined).
    pub case_id: Option<String>,
    /// Why it was rejected.
    pub reject_reason: Option<RejectReason>,
    /// The reporter: `None` for agency-scoped readers.
    pub reporter: Option<Reporter>,
    /// Category suggested by the classifier.
    pub suggested_category: Option<String>,
    /// The classifier's confidence in its suggestion.
    pub suggested_confidence: Option<f64>,
    /// Optimistic-concurrency version, bumped on every change.
    pub version: u64,
    /// Who made the last change.
    pub updated_by: String,
    /// When the last change happened.
    pub updated_at: DateTime<Utc>,
}

/// A case (vụ việc): the unit of work forwarded to one or more agencies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Case {
    /// Stable id, e.g. `C0000042`.
    pub id: String,
    /// Processing state.
    pub state: CaseState,
    /// Urgency.
    pub priority: Priority,
    /// Category code.
    pub category: String,
    /// Canonical ward code.
    pub ward: Option<String>,
    /// Handling agencies (codes).
    pub agencies: Vec<String>,
    /// When it was forwarded.
    pub opened_at: DateTime<Utc>,
    /// The deadline as it stands (extensions included).
    pub deadline: DateTime<Utc>,
    /// The deadline first set at forwarding.
    pub original_deadline: DateTime<Utc>,
    /// The deadline that counts for the on-time verdict: moved only by extensions approved before
    /// the deadline then in force.
    pub sla_deadline: DateTime<Utc>,
    /// When the first agency acknowledged.
    pub acknowledged_at: Option<DateTime<Utc>>,
    /// When the unit last answered.
    pub answered_at: Option<DateTime<Utc>>,
    /// The last answer's text.
    pub answer: Option<String>,
    /// The on-time verdict, frozen at the first answer.
    pub verdict: Option<Verdict>,
    /// When the IOC published the approved answer.
    pub published_at: Option<DateTime<Utc>>,
    /// When the case was closed.
    pub closed_at: Option<DateTime<Utc>>,
    /// The reporter's rating, 1–5 (4 and 5 count as satisfied).
    pub rating: Option<u8>,
    /// Number of extensions granted.
    pub extensions: u32,
    /// Escalation level (0 = none).
    pub escalation: u32,
    /// The officer who claimed the case.
    pub claimed_by: Option<String>,
    /// The reports linked to the case, the forwarded one first.
    pub report_ids: Vec<String>,
    /// Optimistic-concurrency version.
    pub version: u64,
    /// Who made the last change.
    pub updated_by: String,
    /// When the last change happened.
    pub updated_at: DateTime<Utc>,
}

impl Case {
    /// True when an open stage has passed its deadline at `now`.
    pub fn is_overdue(&self, now: DateTime<Utc>) -> bool {
        self.state.awaits_unit() && now > self.deadline
    }
}

/// A note on a report or case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Note {
    /// The report or case id.
    pub subject: String,
    /// When it was written.
    pub at: DateTime<Utc>,
    /// Who wrote it.
    pub actor: String,
    /// The note.
    pub text: String,
}

coded_enum! {
    /// What a camera is for.
    CameraKind { Fixed = "fixed", Ptz = "ptz", Anpr = "anpr", Face = "face", Desk = "desk" }
}

coded_enum! {
    /// A camera's health as the prober (or a supervisor) last judged it.
    CameraState {
        Unknown = "unknown", Online = "online", Degraded = "degraded", Offline = "offline",
        Maintenance = "maintenance"
    }
}

/// A registered camera.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Camera {
    /// Stable id, e.g. `cam-dongba-01`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// The site it belongs to.
    pub site: String,
    /// Kind.
    pub kind: CameraKind,
    /// Stream URL.
    pub rtsp_url: Option<String>,
    /// Snapshot URL.
    pub snapshot_url: Option<String>,
    /// Latitude.
    pub lat: Option<f64>,
    /// Longitude.
    pub lon: Option<f64>,
    /// Canonical ward code.
    pub ward: Option<String>,
    /// Health.
    pub state: CameraState,
    /// Since when it is in that state.
    pub state_since: DateTime<Utc>,
}

/// A licence plate seen by a camera.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sighting {
    /// The camera.
    pub camera_id: String,
    /// The plate as read by OCR.
    pub plate: String,
    /// When.
    pub seen_at: DateTime<Utc>,
    /// OCR confidence 0–1.
    pub confidence: f64,
}

coded_enum! {
    /// What raised a case without a citizen: a camera offline too long, a watched plate seen, a
    /// service-level burn-rate alert.
    CaseSource { Camera = "camera", Watchlist = "watchlist", Slo = "slo" }
}

/// A plate on the watchlist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WatchEntry {
    /// The plate, normalised ([`crate::domain::plate::normalize`]: `75A12345`).
    pub plate: String,
    /// Why it is watched.
    pub reason: Option<String>,
    /// When it was added.
    pub added_at: DateTime<Utc>,
    /// Who added it.
    pub added_by: String,
}
