//! Folding events into read records: the pure half of the life cycles, shared by the store's
//! command path and replay, the live service levels and the demo generator.

use crate::domain::event::EventData;
use crate::domain::model::*;
use chrono::{DateTime, Utc};

/// The report created by a `ReportReceived` event.
pub fn new_report(ev: &EventData, at: DateTime<Utc>, actor: &str) -> Option<Report> {
    let EventData::ReportReceived {
        id,
        received_at,
        channel,
        text,
        category,
        ward,
        lat,
        lon,
        address,
        media,
        reporter,
        suggestion,
    } = ev
    else {
        return None;
    };
    Some(Report {
        id: id.clone(),
        received_at: *received_at,
        channel: *channel,
        text: text.clone(),
        category: category.clone(),
        ward: ward.clone(),
        lat: *lat,
        lon: *lon,
        address: address.clone(),
        media: media.clone(),
        state: ReportState::New,
        duplicate_of: None,
        case_id: None,
        reject_reason: None,
        reporter: reporter.clone(),
        suggested_category: suggestion.as_ref().map(|s| s.category.clone()),
        suggested_confidence: suggestion.as_ref().map(|s| s.confidence),
        version: 1,
        updated_by: actor.to_string(),
        updated_at: at,
    })
}

/// [`new_report`] without the report's words (text, address, media, reporter), which stay in
/// the event: for a row, which does not hold them, without copying them only to free them.
pub fn new_report_row(ev: &mut EventData, at: DateTime<Utc>, actor: &str) -> Option<Report> {
    let EventData::ReportReceived {
        text,
        address,
        media,
        reporter,
        ..
    } = ev
    else {
        return None;
    };
    let words = (
        std::mem::take(text),
        address.take(),
        std::mem::take(media),
        reporter.take(),
    );
    let report = new_report(ev, at, actor);
    if let EventData::ReportReceived {
        text,
        address,
        media,
        reporter,
        ..
    } = ev
    {
        (*text, *address, *media, *reporter) = words;
    }
    report
}

/// The case created by a `CaseOpened` event.
pub fn new_case(ev: &EventData, at: DateTime<Utc>, actor: &str) -> Option<Case> {
    let EventData::CaseOpened {
        case_id,
        report_ids,
        agencies,
        priority,
        category,
        ward,
        deadline,
    } = ev
    else {
        return None;
    };
    Some(Case {
        id: case_id.clone(),
        state: CaseState::Forwarded,
        priority: *priority,
        category: category.clone(),
        ward: ward.clone(),
        agencies: agencies.clone(),
        opened_at: at,
        deadline: *deadline,
        original_deadline: *deadline,
        sla_deadline: *deadline,
        acknowledged_at: None,
        answered_at: None,
        answer: None,
        verdict: None,
        published_at: None,
        closed_at: None,
        rating: None,
        extensions: 0,
        escalation: 0,
        claimed_by: None,
        report_ids: report_ids.clone(),
        version: 1,
        updated_by: actor.to_string(),
        updated_at: at,
    })
}

/// The existing reports and cases an event changes (creations excluded).
pub fn touches(ev: &EventData) -> (Vec<&str>, Vec<&str>) {
    use EventData::*;
    match ev {
        ReportReceived { .. } => (vec![], vec![]),
        ReportClassified { id, .. } | ReportVerified { id, .. } | ReportRejected { id, .. } => (vec![id], vec![]),
        ReportMerged { id, case_id, .. } => (vec![id], case_id.iter().map(String::as_str).collect()),
        CaseOpened { report_ids, .. } => (report_ids.iter().map(String::as_str).collect(), vec![]),
        NoteAdded { .. } | CaseRaised { .. } | PlateWatched { .. } | PlateUnwatched { .. } => (vec![], vec![]),
        other => (vec![], vec![other.subject()]),
    }
}

/// The camera a camera event concerns.
pub fn camera_of(ev: &EventData) -> Option<&str> {
    match ev {
        EventData::CameraRegistered { id, .. } | EventData::CameraStateChanged { id, .. } => Some(id),
        _ => None,
    }
}

/// Folds a camera event into the camera it concerns (`None` until registered), as the read
/// tables do: registering again replaces the details and keeps the state.
pub fn apply_camera(cam: &mut Option<Camera>, ev: &EventData, at: DateTime<Utc>) {
    match ev {
        EventData::CameraRegistered {
            id,
            name,
            site,
            camera_kind,
            rtsp_url,
            snapshot_url,
            lat,
            lon,
            ward,
        } => {
            let c = cam.get_or_insert_with(|| Camera {
                id: id.clone(),
                name: String::new(),
                site: String::new(),
                kind: *camera_kind,
                rtsp_url: None,
                snapshot_url: None,
                lat: None,
                lon: None,
                ward: None,
                state: CameraState::Unknown,
                state_since: at,
            });
            c.name = name.clone();
            c.site = site.clone();
            c.kind = *camera_kind;
            c.rtsp_url = rtsp_url.clone();
            c.snapshot_url = snapshot_url.clone();
            c.lat = *lat;
            c.lon = *lon;
            c.ward = ward.clone();
        }
        EventData::CameraStateChanged { state, .. } => {
            if let Some(c) = cam {
                c.state = *state;
                c.state_since = at;
            }
        }
        _ => {}
    }
}

/// Folds an event into a report it touches.
pub fn apply_report(r: &mut Report, ev: &EventData, at: DateTime<Utc>, actor: &str) {
    use EventData::*;
    match ev {
        ReportClassified {
            category, confidence, ..
        } => {
            r.suggested_category = Some(category.clone());
            r.suggested_confidence = Some(*confidence);
            return; // a suggestion is not an edit: no version bump, no conflict with officers
        }
        ReportVerified { category, .. } => {
            r.state = ReportState::Verified;
            r.category = Some(category.clone());
        }
        ReportRejected { reason, .. } => {
            r.state = ReportState::Rejected;
            r.reject_reason = Some(*reason);
        }
        ReportMerged { master, case_id, .. } => {
            r.state = ReportState::Duplicate;
            r.duplicate_of = Some(master.clone());
            r.case_id = case_id.clone();
        }
        CaseOpened { case_id, .. } => r.case_id = Some(case_id.clone()),
        _ => return,
    }
    r.version += 1;
    r.updated_by = actor.to_string();
    r.updated_at = at;
}

/// Folds an event into a case it touches.
pub fn apply_case(c: &mut Case, ev: &EventData, at: DateTime<Utc>, actor: &str) {
    use EventData::*;
    match ev {
        ReportMerged { id, .. } => {
            if !c.report_ids.contains(id) {
                c.report_ids.push(id.clone());
            }
        }
        AgenciesAdded { agencies, .. } => c.agencies.extend(agencies.iter().cloned()),
        CaseAcknowledged { .. } => {
            if c.state == CaseState::Forwarded {
                c.state = CaseState::Acknowledged;
            }
            c.acknowledged_at.get_or_insert(at);
        }
        WorkStarted { .. } => c.state = CaseState::InProgress,
        CaseAnswered { text, verdict, .. } => {
            c.state = CaseState::Answered;
            c.answered_at = Some(at);
            c.answer = Some(text.clone());
            if c.verdict.is_none() {
                c.verdict = *verdict;
            }
        }
        AnswerApproved { .. } => {
            c.state = CaseState::Published;
            c.published_at = Some(at);
        }
        AnswerReturned { .. } => c.state = CaseState::Returned,
        CaseRated { rating, .. } => c.rating = Some(*rating),
        CaseClosed { .. } => {
            c.state = CaseState::Closed;
            c.closed_at = Some(at);
        }
        CaseReopened { .. } => {
            c.state = CaseState::InProgress;
            c.closed_at = None;
        }
        DeadlineExtended {
            new_deadline, counts, ..
        } => {
            c.deadline = *new_deadline;
            if *counts {
                c.sla_deadline = *new_deadline;
            }
            c.extensions += 1;
        }
        CaseEscalated { level, priority, .. } => {
            c.escalation = *level;
            c.priority = *priority;
        }
        PrioritySet { priority, .. } => c.priority = *priority,
        CaseClaimed { by, .. } => c.claimed_by = Some(by.clone()),
        CaseReleased { .. } => c.claimed_by = None,
        _ => return,
    }
    c.version += 1;
    c.updated_by = actor.to_string();
    c.updated_at = at;
}
