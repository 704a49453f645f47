//! Events: the append-only facts every read table and every service-level figure is made from.

use super::model::{CameraKind, CameraState, CaseSource, Channel, Priority, RejectReason, Reporter, Verdict};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A recorded event: sequence number, time, actor and the typed fact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Global, gap-free sequence number (1, 2, …).
    pub seq: u64,
    /// When it happened (UTC).
    pub at: DateTime<Utc>,
    /// Who caused it.
    pub actor: String,
    /// What happened.
    #[serde(flatten)]
    pub data: EventData,
}

/// A category the classifier suggests for a report, with its calibrated confidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Suggestion {
    /// Suggested category code.
    pub category: String,
    /// Calibrated confidence (0–1).
    pub confidence: f64,
}

/// What happened, with everything needed to replay it (no clock is read on replay).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind")]
pub enum EventData {
    /// A report arrived.
    ReportReceived {
        /// Report id.
        id: String,
        /// Receipt time (may precede the event time for imports).
        received_at: DateTime<Utc>,
        /// Intake channel.
        channel: Channel,
        /// The citizen's text.
        text: String,
        /// Category given at intake.
        #[serde(default)]
        category: Option<String>,
        /// Canonical ward code.
        #[serde(default)]
        ward: Option<String>,
        /// Latitude.
        #[serde(default)]
        lat: Option<f64>,
        /// Longitude.
        #[serde(default)]
        lon: Option<f64>,
        /// Address text.
        #[serde(default)]
        address: Option<String>,
        /// Media URLs.
        #[serde(default)]
        media: Vec<String>,
        /// The reporter (IOC only).
        #[serde(default)]
        reporter: Option<Reporter>,
        /// The classifier's suggestion, made at intake with the receipt (none for the system's
        /// own reports, whose category is given, or when classifying is off).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        suggestion: Option<Suggestion>,
    },
    /// The classifier suggested a category (or suggested it anew: a receipt carries the first
    /// suggestion).
    ReportClassified {
        /// Report id.
        id: String,
        /// Suggested category.
        category: String,
        /// Calibrated confidence.
        confidence: f64,
    },
    /// The IOC found the report valid.
    ReportVerified {
        /// Report id.
        id: String,
        /// Confirmed category.
        category: String,
    },
    /// The IOC refused the report.
    ReportRejected {
        /// Report id.
        id: String,
        /// Why.
        reason: RejectReason,
    },
    /// The report is a duplicate of another and follows it.
    ReportMerged {
        /// Report id.
        id: String,
        /// The master report.
        master: String,
        /// The master's case, which the duplicate joins.
        #[serde(default)]
        case_id: Option<String>,
    },
    /// A verified report was forwarded to agencies as a new case.
    CaseOpened {
        /// Case id.
        case_id: String,
        /// The forwarded report and its duplicates.
        report_ids: Vec<String>,
        /// Handling agencies.
        agencies: Vec<String>,
        /// Priority.
        priority: Priority,
        /// Category.
        category: String,
        /// Ward.
        #[serde(default)]
        ward: Option<String>,
        /// Deadline (working days from receipt).
        deadline: DateTime<Utc>,
    },
    /// More agencies were given the case.
    AgenciesAdded {
        /// Case id.
        case_id: String,
        /// The agencies added.
        agencies: Vec<String>,
    },
    /// A unit acknowledged receipt.
    CaseAcknowledged {
        /// Case id.
        case_id: String,
        /// The acknowledging agency.
        agency: String,
    },
    /// The unit started work.
    WorkStarted {
        /// Case id.
        case_id: String,
    },
    /// The unit answered.
    CaseAnswered {
        /// Case id.
        case_id: String,
        /// The answering agency.
        agency: String,
        /// The answer.
        text: String,
        /// The verdict, set on the first answer only.
        #[serde(default)]
        verdict: Option<Verdict>,
    },
    /// The IOC approved the answer and published it.
    AnswerApproved {
        /// Case id.
        case_id: String,
    },
    /// The IOC returned the answer as not good enough.
    AnswerReturned {
        /// Case id.
        case_id: String,
        /// Why.
        reason: String,
    },
    /// The reporter rated the published result.
    CaseRated {
        /// Case id.
        case_id: String,
        /// 1–5.
        rating: u8,
    },
    /// The case was closed.
    CaseClosed {
        /// Case id.
        case_id: String,
    },
    /// The case was reopened.
    CaseReopened {
        /// Case id.
        case_id: String,
        /// Why.
        reason: String,
    },
    /// A supervisor granted more time.
    DeadlineExtended {
        /// Case id.
        case_id: String,
        /// Working days added.
        days: u32,
        /// Why.
        reason: String,
        /// The approving supervisor.
        approver: String,
        /// The new deadline.
        new_deadline: DateTime<Utc>,
        /// True when approved before the deadline in force, so it counts for the verdict.
        counts: bool,
    },
    /// The case was escalated.
    CaseEscalated {
        /// Case id.
        case_id: String,
        /// New escalation level.
        level: u32,
        /// Priority after escalation.
        priority: Priority,
        /// Why.
        reason: String,
    },
    /// The priority was set.
    PrioritySet {
        /// Case id.
        case_id: String,
        /// New priority.
        priority: Priority,
    },
    /// An officer took the case.
    CaseClaimed {
        /// Case id.
        case_id: String,
        /// The officer.
        by: String,
    },
    /// The officer let the case go.
    CaseReleased {
        /// Case id.
        case_id: String,
    },
    /// A camera was added to the registry (or its details replaced).
    CameraRegistered {
        /// Camera id.
        id: String,
        /// Display name.
        name: String,
        /// Site.
        site: String,
        /// Kind.
        camera_kind: CameraKind,
        /// Stream URL.
        #[serde(default)]
        rtsp_url: Option<String>,
        /// Snapshot URL.
        #[serde(default)]
        snapshot_url: Option<String>,
        /// Latitude.
        #[serde(default)]
        lat: Option<f64>,
        /// Longitude.
        #[serde(default)]
        lon: Option<f64>,
        /// Ward code.
        #[serde(default)]
        ward: Option<String>,
    },
    /// A camera's health changed.
    CameraStateChanged {
        /// Camera id.
        id: String,
        /// New state.
        state: CameraState,
        /// Why (the failing probe step, or who set maintenance).
        reason: String,
    },
    /// A plate was seen.
    SightingRecorded {
        /// Camera id.
        camera_id: String,
        /// Plate as read.
        plate: String,
        /// When.
        seen_at: chrono::DateTime<chrono::Utc>,
        /// OCR confidence.
        confidence: f64,
    },
    /// A note was added to a report or case.
    NoteAdded {
        /// Report or case id.
        subject: String,
        /// The note.
        text: String,
    },
    /// The case just opened was raised by the system for a source and key (at most one open case
    /// per source and key).
    CaseRaised {
        /// Case id.
        case_id: String,
        /// What raised it.
        source: CaseSource,
        /// A camera id, a plate, an SLO name.
        key: String,
    },
    /// A plate was put on the watchlist.
    PlateWatched {
        /// The plate, normalised.
        plate: String,
        /// Why.
        #[serde(default)]
        reason: Option<String>,
    },
    /// A plate was taken off the watchlist.
    PlateUnwatched {
        /// The plate, normalised.
        plate: String,
    },
}

impl EventData {
    /// The event's kind name, as stored in the log.
    pub fn kind(&self) -> &'static str {
        match self {
            EventData::ReportReceived { .. } => "ReportReceived",
            EventData::ReportClassified { .. } => "ReportClassified",
            EventData::ReportVerified { .. } => "ReportVerified",
            EventData::ReportRejected { .. } => "ReportRejected",
            EventData::ReportMerged { .. } => "ReportMerged",
            EventData::CaseOpened { .. } => "CaseOpened",
            EventData::AgenciesAdded { .. } => "AgenciesAdded",
            EventData::CaseAcknowledged { .. } => "CaseAcknowledged",
            EventData::WorkStarted { .. } => "WorkStarted",
            EventData::CaseAnswered { .. } => "CaseAnswered",
            EventData::AnswerApproved { .. } => "AnswerApproved",
            EventData::AnswerReturned { .. } => "AnswerReturned",
            EventData::CaseRated { .. } => "CaseRated",
            EventData::CaseClosed { .. } => "CaseClosed",
            EventData::CaseReopened { .. } => "CaseReopened",
            EventData::DeadlineExtended { .. } => "DeadlineExtended",
            EventData::CaseEscalated { .. } => "CaseEscalated",
            EventData::PrioritySet { .. } => "PrioritySet",
            EventData::CaseClaimed { .. } => "CaseClaimed",
            EventData::CaseReleased { .. } => "CaseReleased",
            EventData::NoteAdded { .. } => "NoteAdded",
            EventData::CameraRegistered { .. } => "CameraRegistered",
            EventData::CameraStateChanged { .. } => "CameraStateChanged",
            EventData::SightingRecorded { .. } => "SightingRecorded",
            EventData::CaseRaised { .. } => "CaseRaised",
            EventData::PlateWatched { .. } => "PlateWatched",
            EventData::PlateUnwatched { .. } => "PlateUnwatched",
        }
    }

    /// The id the event is about: a report id or a case id.
    pub fn subject(&self) -> &str {
        use EventData::*;
        match self {
            ReportReceived { id, .. }
            | ReportClassified { id, .. }
            | ReportVerified { id, .. }
            | ReportRejected { id, .. }
            | ReportMerged { id, .. } => id,
            CaseOpened { case_id, .. }
            | AgenciesAdded { case_id, .. }
            | CaseAcknowledged { case_id, .. }
            | WorkStarted { case_id }
            | CaseAnswered { case_id, .. }
            | AnswerApproved { case_id }
            | AnswerReturned { case_id, .. }
            | CaseRated { case_id, .. }
            | CaseClosed { case_id }
            | CaseReopened { case_id, .. }
            | DeadlineExtended { case_id, .. }
            | CaseEscalated { case_id, .. }
            | PrioritySet { case_id, .. }
            | CaseClaimed { case_id, .. }
            | CaseReleased { case_id }
            | CaseRaised { case_id, .. } => case_id,
            NoteAdded { subject, .. } => subject,
            CameraRegistered { id, .. } | CameraStateChanged { id, .. } => id,
            SightingRecorded { camera_id, .. } => camera_id,
            PlateWatched { plate, .. } | PlateUnwatched { plate } => plate,
        }
    }

    /// A second id the event concerns, for timelines (the case a report joins, the report a case
    /// opens from).
    pub fn related(&self) -> Option<&str> {
        match self {
            EventData::ReportMerged { master, .. } => Some(master),
            EventData::CaseOpened { report_ids, .. } => report_ids.first().map(String::as_str),
            _ => None,
        }
    }
}
