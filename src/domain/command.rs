//! Commands: every change an actor can ask of the core, checked by [`super::lifecycle::decide`].

use super::model::{Channel, Priority, RejectReason, Reporter};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A new report as submitted (by the app, an import, the API).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct NewReport {
    /// Keep this id (imports); a new one is assigned when absent.
    #[serde(default)]
    pub id: Option<String>,
    /// Receipt time; now when absent.
    #[serde(default, deserialize_with = "receipt_time::deserialize")]
    pub received_at: Option<DateTime<Utc>>,
    /// Intake channel; `app` when absent.
    #[serde(default)]
    pub channel: Option<Channel>,
    /// The citizen's text (required, not empty).
    pub text: String,
    /// A category code, if the sender knows it.
    #[serde(default)]
    pub category: Option<String>,
    /// A ward: code, name or old name.
    #[serde(default)]
    pub ward: Option<String>,
    /// Latitude.
    #[serde(default)]
    pub lat: Option<f64>,
    /// Longitude.
    #[serde(default)]
    pub lon: Option<f64>,
    /// Address text.
    #[serde(default)]
    pub address: Option<String>,
    /// Media URLs.
    #[serde(default)]
    pub media: Vec<String>,
    /// The reporter.
    #[serde(default)]
    pub reporter: Option<Reporter>,
}

/// A camera as registered (an import line, the API).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewCamera {
    /// Stable id, e.g. `cam-dongba-01`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Site (a crossroads, a gate, a ward office).
    pub site: String,
    /// Kind.
    pub kind: super::model::CameraKind,
    /// Stream URL (`rtsp://…`).
    #[serde(default)]
    pub rtsp_url: Option<String>,
    /// Snapshot URL (`http://…`).
    #[serde(default)]
    pub snapshot_url: Option<String>,
    /// Latitude.
    #[serde(default)]
    pub lat: Option<f64>,
    /// Longitude.
    #[serde(default)]
    pub lon: Option<f64>,
    /// Ward.
    #[serde(default)]
    pub ward: Option<String>,
}

/// A change asked of the core.
// A new report is the largest variant; commands are short-lived, so boxing buys nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum Command {
    /// Submit a new report.
    SubmitReport(NewReport),
    /// Record the classifier's suggestion.
    ClassifyReport {
        /// Report id.
        id: String,
        /// Suggested category.
        category: String,
        /// Confidence.
        confidence: f64,
    },
    /// Verification: the report is valid (optionally confirming its category).
    VerifyReport {
        /// Report id.
        id: String,
        /// The confirmed category; the report's own or suggested one when absent.
        #[serde(default)]
        category: Option<String>,
    },
    /// Verification: the report is refused.
    RejectReport {
        /// Report id.
        id: String,
        /// Why.
        reason: RejectReason,
    },
    /// Verification: the report duplicates another.
    MergeReport {
        /// Report id.
        id: String,
        /// The master report.
        master: String,
    },
    /// Forward a verified report to one or several agencies as a new case.
    Forward {
        /// Report id.
        report_id: String,
        /// Agencies; the category's defaults when empty.
        #[serde(default)]
        agencies: Vec<String>,
        /// Priority; the category's default when absent.
        #[serde(default)]
        priority: Option<Priority>,
    },
    /// Give an open case to more agencies.
    AddAgencies {
        /// Case id.
        case_id: String,
        /// Agencies to add.
        agencies: Vec<String>,
    },
    /// Set a case's priority.
    SetPriority {
        /// Case id.
        case_id: String,
        /// The priority.
        priority: Priority,
    },
    /// Take a case as one's own.
    Claim {
        /// Case id.
        case_id: String,
    },
    /// Let a claimed case go.
    Release {
        /// Case id.
        case_id: String,
    },
    /// A unit acknowledges receipt.
    Acknowledge {
        /// Case id.
        case_id: String,
        /// The agency; the actor's own or the case's first when absent.
        #[serde(default)]
        agency: Option<String>,
    },
    /// The unit starts work.
    StartWork {
        /// Case id.
        case_id: String,
    },
    /// The unit answers.
    Answer {
        /// Case id.
        case_id: String,
        /// The answer.
        text: String,
        /// The agency; the actor's own or the case's first when absent.
        #[serde(default)]
        agency: Option<String>,
    },
    /// The IOC approves the answer: it is published.
    ApproveAnswer {
        /// Case id.
        case_id: String,
    },
    /// The IOC returns the answer.
    ReturnAnswer {
        /// Case id.
        case_id: String,
        /// Why.
        reason: String,
    },
    /// The reporter's rating (1–5) of a published result.
    Rate {
        /// Case id.
        case_id: String,
        /// 1–5.
        rating: u8,
    },
    /// Close a case.
    Close {
        /// Case id.
        case_id: String,
    },
    /// Reopen a published or closed case.
    Reopen {
        /// Case id.
        case_id: String,
        /// Why.
        reason: String,
    },
    /// Extend the deadline (supervisors).
    Extend {
        /// Case id.
        case_id: String,
        /// Working days to add.
        days: u32,
        /// Why.
        reason: String,
    },
    /// Escalate a case: level up, priority up.
    Escalate {
        /// Case id.
        case_id: String,
        /// Why.
        reason: String,
    },
    /// Set a camera's state: maintenance by a supervisor, health by the prober (the system).
    SetCameraState {
        /// Camera id.
        id: String,
        /// New state.
        state: crate::domain::CameraState,
        /// Why.
        reason: String,
    },
    /// Add a camera to the registry, or replace its details (supervisors).
    RegisterCamera(NewCamera),
    /// Record a licence plate seen by a camera.
    RecordSighting {
        /// The camera.
        camera_id: String,
        /// The plate as read.
        plate: String,
        /// When it was seen.
        seen_at: DateTime<Utc>,
        /// OCR confidence, 0–1.
        confidence: f64,
    },
    /// Add a note to a report or case.
    AddNote {
        /// Report or case id.
        subject: String,
        /// The note.
        text: String,
    },
    /// The system opens a case without a citizen (a camera offline too long, a burn-rate alert):
    /// a system report, verified and forwarded at once. Nothing happens while a case raised for
    /// the same source and key is still open.
    RaiseCase {
        /// What raises it.
        source: super::model::CaseSource,
        /// What it is about within the source: a camera id, a plate, an SLO name.
        key: String,
        /// The case's text.
        text: String,
    },
    /// The system closes the open case it raised for a source and key (the camera is back, the
    /// alert stopped), with a note saying why. Nothing happens when there is none.
    ResolveCase {
        /// The source.
        source: super::model::CaseSource,
        /// The key.
        key: String,
        /// Why it is closed.
        reason: String,
    },
    /// Put a plate on the watchlist (supervisors): a sighting of it raises a case.
    WatchPlate {
        /// The plate, in any usual spelling (`75A-123.45`).
        plate: String,
        /// Why.
        #[serde(default)]
        reason: Option<String>,
    },
    /// Take a plate off the watchlist (supervisors).
    UnwatchPlate {
        /// The plate.
        plate: String,
    },
}

impl Command {
    /// The id of the item the command changes (for version checks), if it changes an existing one.
    pub fn target(&self) -> Option<&str> {
        use Command::*;
        match self {
            SubmitReport(_) => None,
            ClassifyReport { id, .. } | VerifyReport { id, .. } | RejectReport { id, .. } | MergeReport { id, .. } => {
                Some(id)
            }
            Forward { report_id, .. } => Some(report_id),
            AddAgencies { case_id, .. }
            | SetPriority { case_id, .. }
            | Claim { case_id }
            | Release { case_id }
            | Acknowledge { case_id, .. }
            | StartWork { case_id }
            | Answer { case_id, .. }
            | ApproveAnswer { case_id }
            | ReturnAnswer { case_id, .. }
            | Rate { case_id, .. }
            | Close { case_id }
            | Reopen { case_id, .. }
            | Extend { case_id, .. }
            | Escalate { case_id, .. } => Some(case_id),
            AddNote { subject, .. } => Some(subject),
            SetCameraState { id, .. } => Some(id),
            RegisterCamera(c) => Some(&c.id),
            RecordSighting { camera_id, .. } => Some(camera_id),
            RaiseCase { key, .. } | ResolveCase { key, .. } => Some(key),
            WatchPlate { plate, .. } | UnwatchPlate { plate } => Some(plate),
        }
    }

    /// A short name for messages and batch output (`verify`, `forward`, …).
    pub fn name(&self) -> &'static str {
        use Command::*;
        match self {
            SubmitReport(_) => "submit",
            ClassifyReport { .. } => "classify",
            VerifyReport { .. } => "verify",
            RejectReport { .. } => "reject",
            MergeReport { .. } => "merge",
            Forward { .. } => "forward",
            AddAgencies { .. } => "add_agencies",
            SetPriority { .. } => "priority",
            Claim { .. } => "claim",
            Release { .. } => "release",
            Acknowledge { .. } => "acknowledge",
            StartWork { .. } => "start",
            Answer { .. } => "answer",
            ApproveAnswer { .. } => "approve",
            ReturnAnswer { .. } => "return",
            Rate { .. } => "rate",
            Close { .. } => "close",
            Reopen { .. } => "reopen",
            Extend { .. } => "extend",
            Escalate { .. } => "escalate",
            AddNote { .. } => "note",
            SetCameraState { .. } => "camera_state",
            RegisterCamera(_) => "register_camera",
            RecordSighting { .. } => "sighting",
            RaiseCase { .. } => "raise_case",
            ResolveCase { .. } => "resolve_case",
            WatchPlate { .. } => "watch_plate",
            UnwatchPlate { .. } => "unwatch_plate",
        }
    }
}

/// A command with the version of its target it was based on (optimistic concurrency).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Envelope {
    /// The command.
    #[serde(flatten)]
    pub command: Command,
    /// The target's version the actor saw; `None` skips the check.
    #[serde(default)]
    pub expected_version: Option<u64>,
}

impl From<Command> for Envelope {
    fn from(command: Command) -> Self {
        Envelope {
            command,
            expected_version: None,
        }
    }
}

/// A receipt time in the usual form `YYYY-MM-DDTHH:MM:SS[.f{1,9}]Z`; `None` for any other.
pub(crate) use receipt_time::usual as usual_receipt_time;

/// A receipt time read as chrono reads it (`DateTime<FixedOffset>`'s parser, in UTC), with the
/// usual form — `2026-08-21T17:00:01Z`, maybe with a fraction of the second — read directly: an
/// import reads a million, and chrono's general parser was a fifth of reading a line.
mod receipt_time {
    use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
    use serde::de::{self, Deserializer, Visitor};
    use std::fmt;

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
        d.deserialize_option(Maybe)
    }

    struct Maybe;

    impl<'de> Visitor<'de> for Maybe {
        type Value = Option<DateTime<Utc>>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("option")
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_str(Time).map(Some)
        }
    }

    struct Time;

    impl Visitor<'_> for Time {
        type Value = DateTime<Utc>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            // chrono's words, so that a wrong value reads the same.
            f.write_str("an RFC 3339 formatted date and time string")
        }
        fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
            match usual(s) {
                Some(t) => Ok(t),
                None => s
                    .parse::<DateTime<FixedOffset>>()
                    .map(|t| t.with_timezone(&Utc))
                    .map_err(E::custom),
            }
        }
    }

    /// `YYYY-MM-DDTHH:MM:SS[.f{1,9}]Z` with a real date and a second below 60; `None` for
    /// anything else (left to chrono).
    pub(crate) fn usual(s: &str) -> Option<DateTime<Utc>> {
        let b = s.as_bytes();
        if b.len() < 20 || b.len() > 30 || b.last() != Some(&b'Z') {
            return None;
        }
        let num = |from: usize, to: usize| -> Option<u32> {
            b[from..to]
                .iter()
                .try_fold(0u32, |v, &c| c.is_ascii_digit().then(|| v * 10 + u32::from(c - b'0')))
        };
        let seps = [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':')];
        if seps.iter().any(|&(i, c)| b[i] != c) {
            return None;
        }
        let nanos = match &b[19..b.len() - 1] {
            [] => 0,
            [b'.', digits @ ..] if (1..=9).contains(&digits.len()) => {
                num(20, b.len() - 1)? * 10u32.pow(9 - digits.len() as u32)
            }
            _ => return None,
        };
        let date = NaiveDate::from_ymd_opt(num(0, 4)? as i32, num(5, 7)?, num(8, 10)?)?;
        let (h, m, sec) = (num(11, 13)?, num(14, 16)?, num(17, 19)?);
        if sec > 59 {
            return None;
        }
        Some(date.and_hms_nano_opt(h, m, sec, nanos)?.and_utc())
    }
}

#[cfg(test)]
mod tests {
    use super::NewReport;
    use chrono::{DateTime, Utc};
    use proptest::prelude::*;

    /// The field as chrono's own `Deserialize` reads it.
    #[derive(serde::Deserialize)]
    struct ByChrono {
        #[serde(default)]
        received_at: Option<DateTime<Utc>>,
        #[allow(dead_code)]
        text: String,
    }

    fn read_alike(value: &str) {
        let json = format!(r#"{{"text":"x","received_at":{value}}}"#);
        let ours = serde_json::from_str::<NewReport>(&json).map(|r| r.received_at);
        let chrono = serde_json::from_str::<ByChrono>(&json).map(|r| r.received_at);
        match (ours, chrono) {
            (Ok(a), Ok(b)) => assert_eq!(a, b, "{value}"),
            (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{value}"),
            (a, b) => panic!("{value}: {a:?} against {b:?}"),
        }
    }

    #[test]
    fn receipt_times_read_as_chrono_reads_them() {
        for v in [
            "null",
            "5",
            "true",
            r#""""#,
            r#""2026-08-21T17:00:01Z""#,
            r#""2026-08-21T17:00:01.5Z""#,
            r#""2026-08-21T17:00:01.123456789Z""#,
            r#""2026-08-21T17:00:01.1234567891Z""#,
            r#""2026-08-21T17:00:01.Z""#,
            r#""2026-02-29T17:00:01Z""#,
            r#""2028-02-29T23:59:59Z""#,
            r#""2026-08-21T24:00:00Z""#,
            r#""2026-08-21T23:59:60Z""#,
            r#""2026-08-21T17:00:01+07:00""#,
            r#""2026-08-21 17:00:01Z""#,
            r#""2026-08-21t17:00:01z""#,
            r#""0000-01-01T00:00:00Z""#,
        ] {
            read_alike(v);
        }
        let none: NewReport = serde_json::from_str(r#"{"text":"x"}"#).unwrap();
        assert_eq!(none.received_at, None);
    }

    proptest! {
        #[test]
        fn any_time_of_the_usual_shape_reads_as_chrono_reads_it(
            s in "[0-9]{4}-[0-1][0-9]-[0-3][0-9][T ][0-2][0-9]:[0-6][0-9]:[0-6][0-9](\\.[0-9]{0,11})?(Z|z|[+-]0[0-9]:[0-5][0-9])?"
        ) {
            read_alike(&format!("\"{s}\""));
        }
    }
}
