//! The report and case life cycles as explicit state machines: [`decide`] checks a command
//! against the current state and the actor's rights and returns events; `apply_*` folds events
//! into read records. Both are pure, so the store, the replay and the demo generator share them.

use super::calendar::Calendar;
use super::catalog;
use super::command::{Command, Envelope};
use super::event::EventData;
use super::model::*;
use chrono::{DateTime, Utc};
use std::borrow::Cow;
use thiserror::Error;

mod fold;
pub use fold::{apply_camera, apply_case, apply_report, camera_of, new_case, new_report, new_report_row, touches};

/// Why a command was refused.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum DomainError {
    /// No such report or case.
    #[error("{kind} {id} not found")]
    NotFound {
        /// `report` or `case`.
        kind: &'static str,
        /// The id asked for.
        id: String,
    },
    /// The item changed since the actor saw it.
    #[error("{id} was changed by {by} (version {actual}, you had {expected}); reload and try again")]
    Conflict {
        /// The item.
        id: String,
        /// The version the command was based on.
        expected: u64,
        /// The current version.
        actual: u64,
        /// Who made the last change.
        by: String,
    },
    /// The actor may not do this.
    #[error("permission denied: {0}")]
    Forbidden(String),
    /// The item's state does not allow this.
    #[error("cannot {action} {id}: it is {state}")]
    InvalidTransition {
        /// The item.
        id: String,
        /// Its state.
        state: String,
        /// The refused action.
        action: &'static str,
    },
    /// The command itself is malformed.
    #[error("{0}")]
    Invalid(String),
}

/// Read access to the current state, as the store or the demo generator holds it.
pub trait View {
    /// A report by id.
    fn report(&self, id: &str) -> Option<Cow<'_, Report>>;
    /// A case by id.
    fn case(&self, id: &str) -> Option<Cow<'_, Case>>;
    /// Ids of the reports merged into this one.
    fn duplicates_of(&self, id: &str) -> Vec<String>;
    /// A fresh report id.
    fn next_report_id(&self) -> String;
    /// A fresh case id.
    fn next_case_id(&self) -> String;
    /// A camera by id.
    fn camera(&self, id: &str) -> Option<Camera>;
    /// The open case the system raised for a source and key, if any.
    fn raised_case(&self, _source: CaseSource, _key: &str) -> Option<String> {
        None
    }
    /// The watchlist entry of a normalised plate, if it is watched.
    fn watched(&self, _plate: &str) -> Option<WatchEntry> {
        None
    }
}

/// Who acts, when, and by which calendar.
pub struct Context<'a> {
    /// The actor.
    pub actor: &'a Actor,
    /// The time of the command.
    pub now: DateTime<Utc>,
    /// Working-day calendar for deadlines.
    pub calendar: &'a Calendar,
    /// Working days to answer per category; the catalogue's default when absent.
    pub deadline_days: &'a dyn Fn(&str) -> u32,
}

/// Checks a command and returns the events it causes.
pub fn decide(env: &Envelope, view: &dyn View, ctx: &Context<'_>) -> Result<Vec<EventData>, DomainError> {
    let actor = ctx.actor;
    may_write(actor)?;
    use Command::*;
    let check_version = |id: &str, version: u64, by: &str| match env.expected_version {
        Some(v) if v != version => Err(DomainError::Conflict {
            id: id.into(),
            expected: v,
            actual: version,
            by: by.into(),
        }),
        _ => Ok(()),
    };
    let report = |id: &str| -> Result<Cow<'_, Report>, DomainError> {
        let r = view.report(id).ok_or_else(|| DomainError::NotFound {
            kind: "report",
            id: id.into(),
        })?;
        Ok(r)
    };
    let case = |id: &str| -> Result<Cow<'_, Case>, DomainError> {
        let c = view.case(id).ok_or_else(|| DomainError::NotFound {
            kind: "case",
            id: id.into(),
        })?;
        if let Some(a) = &actor.agency
            && !c.agencies.iter().any(|x| x == a)
        {
            // Out of scope reads as absent: the scoped actor must not learn the case exists.
            return Err(DomainError::NotFound {
                kind: "case",
                id: id.into(),
            });
        }
        check_version(&c.id, c.version, &c.updated_by)?;
        Ok(c)
    };
    let ioc_staff = |what: &str| -> Result<(), DomainError> {
        if actor.is_scoped() || !matches!(actor.role, Role::Officer | Role::Supervisor | Role::Admin) {
            return Err(DomainError::Forbidden(format!("only IOC officers may {what}")));
        }
        Ok(())
    };
    let bad = |id: &str, state: &dyn std::fmt::Display, action: &'static str| DomainError::InvalidTransition {
        id: id.into(),
        state: state.to_string(),
        action,
    };
    let now = ctx.now;
    let events = match &env.command {
        SubmitReport(n) => {
            may_submit(actor)?;
            vec![submit(n.clone(), view, now)?]
        }
        ClassifyReport {
            id,
            category,
            confidence,
        } => {
            if !matches!(
                actor.role,
                Role::Admin | Role::Officer | Role::Supervisor | Role::Intake
            ) || actor.is_scoped()
            {
                return Err(DomainError::Forbidden("only the IOC classifies reports".into()));
            }
            let _ = report(id)?;
            known_category(category)?;
            vec![EventData::ReportClassified {
                id: id.clone(),
                category: category.clone(),
                confidence: *confidence,
            }]
        }
        VerifyReport { id, category } => {
            ioc_staff("verify reports")?;
            let r = report(id)?;
            check_version(id, r.version, &r.updated_by)?;
            if r.state != ReportState::New {
                return Err(bad(id, &r.state, "verify"));
            }
            let cat = category
                .clone()
                .or(r.category.clone())
                .or(r.suggested_category.clone())
                .ok_or_else(|| DomainError::Invalid(format!("{id} has no category: give one to verify it")))?;
            known_category(&cat)?;
            if cat == "invalid" {
                return Err(DomainError::Invalid(format!(
                    "{id}: an invalid report is rejected, not verified"
                )));
            }
            vec![EventData::ReportVerified {
                id: id.clone(),
                category: cat,
            }]
        }
        RejectReport { id, reason } => {
            ioc_staff("reject reports")?;
            let r = report(id)?;
            check_version(id, r.version, &r.updated_by)?;
            if r.state != ReportState::New {
                return Err(bad(id, &r.state, "reject"));
            }
            vec![EventData::ReportRejected {
                id: id.clone(),
                reason: *reason,
            }]
        }
        MergeReport { id, master } => {
            ioc_staff("merge duplicates")?;
            let r = report(id)?;
            check_version(id, r.version, &r.updated_by)?;
            if r.state != ReportState::New {
                return Err(bad(id, &r.state, "merge"));
            }
            if id == master {
                return Err(DomainError::Invalid(format!("{id} cannot duplicate itself")));
            }
            let mut m = report(master)?;
            // Follow a chain to its root so every duplicate points at a live master.
            let mut hops = 0;
            while let (ReportState::Duplicate, Some(next)) = (m.state, m.duplicate_of.clone()) {
                m = report(&next)?;
                hops += 1;
                if hops > 16 || m.id == *id {
                    return Err(DomainError::Invalid(format!(
                        "{master} has a duplicate chain that loops"
                    )));
                }
            }
            if m.state == ReportState::Rejected {
                return Err(bad(&m.id, &m.state, "merge into"));
            }
            vec![EventData::ReportMerged {
                id: id.clone(),
                master: m.id.clone(),
                case_id: m.case_id.clone(),
            }]
        }
        Forward {
            report_id,
            agencies,
            priority,
        } => {
            ioc_staff("forward reports")?;
            let r = report(report_id)?;
            check_version(report_id, r.version, &r.updated_by)?;
            if r.state != ReportState::Verified || r.case_id.is_some() {
                let st = if r.case_id.is_some() {
                    "already forwarded".to_string()
                } else {
                    r.state.to_string()
                };
                return Err(bad(report_id, &st, "forward"));
            }
            let cat = r.category.clone().unwrap_or_else(|| "invalid".into());
            let agencies = if agencies.is_empty() {
                catalog::default_agencies(&cat, r.ward.as_deref())
            } else {
                agencies.clone()
            };
            let agencies = known_agencies(agencies)?;
            let days = (ctx.deadline_days)(&cat);
            let deadline = ctx.calendar.deadline(r.received_at, days);
            let mut report_ids = vec![report_id.clone()];
            report_ids.extend(view.duplicates_of(report_id));
            let priority = priority.unwrap_or_else(|| super::routing::active().priority(&cat).unwrap_or(Priority::P3));
            vec![EventData::CaseOpened {
                case_id: view.next_case_id(),
                report_ids,
                agencies,
                priority,
                category: cat,
                ward: r.ward.clone(),
                deadline,
            }]
        }
        AddAgencies { case_id, agencies } => {
            ioc_staff("forward cases")?;
            let c = case(case_id)?;
            if !c.state.is_open() {
                return Err(bad(case_id, &c.state, "forward"));
            }
            let new: Vec<String> = known_agencies(agencies.clone())?
                .into_iter()
                .filter(|a| !c.agencies.contains(a))
                .collect();
            if new.is_empty() {
                return Ok(Vec::new());
            }
            vec![EventData::AgenciesAdded {
                case_id: case_id.clone(),
                agencies: new,
            }]
        }
        SetPriority { case_id, priority } => {
            ioc_staff("set priorities")?;
            let c = case(case_id)?;
            if c.priority == *priority {
                return Ok(Vec::new());
            }
            vec![EventData::PrioritySet {
                case_id: case_id.clone(),
                priority: *priority,
            }]
        }
        Claim { case_id } => {
            ioc_staff("claim cases")?;
            let c = case(case_id)?;
            match &c.claimed_by {
                Some(by) if *by == actor.name => return Ok(Vec::new()),
                Some(by) => {
                    return Err(DomainError::Conflict {
                        id: case_id.clone(),
                        expected: c.version,
                        actual: c.version,
                        by: format!("{by} (who holds it)"),
                    });
                }
                None => {}
            }
            vec![EventData::CaseClaimed {
                case_id: case_id.clone(),
                by: actor.name.clone(),
            }]
        }
        Release { case_id } => {
            ioc_staff("release cases")?;
            let c = case(case_id)?;
            match &c.claimed_by {
                None => return Ok(Vec::new()),
                Some(by) if *by != actor.name && !actor.role.is_supervisor() => {
                    return Err(DomainError::Forbidden(format!(
                        "{case_id} is held by {by}; only they or a supervisor may release it"
                    )));
                }
                Some(_) => {}
            }
            vec![EventData::CaseReleased {
                case_id: case_id.clone(),
            }]
        }
        Acknowledge { case_id, agency } => {
            let c = case(case_id)?;
            let agency = acting_agency(actor, &c, agency.as_deref())?;
            if c.state != CaseState::Forwarded {
                return Err(bad(case_id, &c.state, "acknowledge"));
            }
            vec![EventData::CaseAcknowledged {
                case_id: case_id.clone(),
                agency,
            }]
        }
        StartWork { case_id } => {
            let c = case(case_id)?;
            acting_agency(actor, &c, None)?;
            if !matches!(
                c.state,
                CaseState::Forwarded | CaseState::Acknowledged | CaseState::Returned
            ) {
                return Err(bad(case_id, &c.state, "start work on"));
            }
            let mut ev = Vec::new();
            if c.state == CaseState::Forwarded {
                let agency = acting_agency(actor, &c, None)?;
                ev.push(EventData::CaseAcknowledged {
                    case_id: case_id.clone(),
                    agency,
                });
            }
            ev.push(EventData::WorkStarted {
                case_id: case_id.clone(),
            });
            ev
        }
        Answer { case_id, text, agency } => {
            let c = case(case_id)?;
            let agency = acting_agency(actor, &c, agency.as_deref())?;
            if text.trim().is_empty() {
                return Err(DomainError::Invalid("an answer needs text".into()));
            }
            if !c.state.awaits_unit() {
                return Err(bad(case_id, &c.state, "answer"));
            }
            let verdict = c.verdict.is_none().then(|| verdict_at(&c, now));
            vec![EventData::CaseAnswered {
                case_id: case_id.clone(),
                agency,
                text: text.clone(),
                verdict,
            }]
        }
        ApproveAnswer { case_id } => {
            ioc_staff("approve answers")?;
            let c = case(case_id)?;
            if c.state != CaseState::Answered {
                return Err(bad(case_id, &c.state, "approve the answer of"));
            }
            vec![EventData::AnswerApproved {
                case_id: case_id.clone(),
            }]
        }
        ReturnAnswer { case_id, reason } => {
            ioc_staff("return answers")?;
            let c = case(case_id)?;
            if c.state != CaseState::Answered {
                return Err(bad(case_id, &c.state, "return the answer of"));
            }
            vec![EventData::AnswerReturned {
                case_id: case_id.clone(),
                reason: reason.clone(),
            }]
        }
        Rate { case_id, rating } => {
            if actor.is_scoped() {
                return Err(DomainError::Forbidden(
                    "ratings come from the reporter through the IOC".into(),
                ));
            }
            let c = case(case_id)?;
            if !(1..=5).contains(rating) {
                return Err(DomainError::Invalid(format!("a rating is 1 to 5, not {rating}")));
            }
            if c.state != CaseState::Published {
                return Err(bad(case_id, &c.state, "rate"));
            }
            vec![EventData::CaseRated {
                case_id: case_id.clone(),
                rating: *rating,
            }]
        }
        Close { case_id } => {
            ioc_staff("close cases")?;
            let c = case(case_id)?;
            if c.state == CaseState::Closed {
                return Err(bad(case_id, &c.state, "close"));
            }
            vec![EventData::CaseClosed {
                case_id: case_id.clone(),
            }]
        }
        Reopen { case_id, reason } => {
            ioc_staff("reopen cases")?;
            let c = case(case_id)?;
            if !matches!(c.state, CaseState::Published | CaseState::Closed) {
                return Err(bad(case_id, &c.state, "reopen"));
            }
            vec![EventData::CaseReopened {
                case_id: case_id.clone(),
                reason: reason.clone(),
            }]
        }
        Extend { case_id, days, reason } => {
            if actor.is_scoped() || !actor.role.is_supervisor() {
                return Err(DomainError::Forbidden("only IOC supervisors approve extensions".into()));
            }
            let c = case(case_id)?;
            if *days == 0 || *days > 60 {
                return Err(DomainError::Invalid(format!(
                    "an extension is 1 to 60 working days, not {days}"
                )));
            }
            if reason.trim().is_empty() {
                return Err(DomainError::Invalid("an extension needs a reason".into()));
            }
            if !c.state.awaits_unit() {
                return Err(bad(case_id, &c.state, "extend"));
            }
            let new_deadline = ctx.calendar.extend(c.deadline, *days);
            vec![EventData::DeadlineExtended {
                case_id: case_id.clone(),
                days: *days,
                reason: reason.clone(),
                approver: actor.name.clone(),
                new_deadline,
                counts: now <= c.sla_deadline,
            }]
        }
        Escalate { case_id, reason } => {
            ioc_staff("escalate cases")?;
            let c = case(case_id)?;
            if !c.state.is_open() {
                return Err(bad(case_id, &c.state, "escalate"));
            }
            let priority = match c.priority {
                Priority::P4 => Priority::P3,
                Priority::P3 => Priority::P2,
                _ => Priority::P1,
            };
            vec![EventData::CaseEscalated {
                case_id: case_id.clone(),
                level: c.escalation + 1,
                priority,
                reason: reason.clone(),
            }]
        }
        SetCameraState { id, state, reason } => {
            let cam = view.camera(id).ok_or_else(|| DomainError::NotFound {
                kind: "camera",
                id: id.clone(),
            })?;
            if actor.is_scoped() || !actor.role.is_supervisor() {
                return Err(DomainError::Forbidden("only IOC supervisors set camera states".into()));
            }
            if cam.state == *state {
                return Ok(Vec::new());
            }
            vec![EventData::CameraStateChanged {
                id: id.clone(),
                state: *state,
                reason: reason.clone(),
            }]
        }
        RegisterCamera(c) => {
            if actor.is_scoped() || !actor.role.is_supervisor() {
                return Err(DomainError::Forbidden("only IOC supervisors register cameras".into()));
            }
            let problems = super::health::validate_camera(c);
            if !problems.is_empty() {
                return Err(DomainError::Invalid(format!(
                    "camera {}: {}",
                    c.id,
                    problems.join("; ")
                )));
            }
            vec![EventData::CameraRegistered {
                id: c.id.clone(),
                name: c.name.clone(),
                site: c.site.clone(),
                camera_kind: c.kind,
                rtsp_url: c.rtsp_url.clone(),
                snapshot_url: c.snapshot_url.clone(),
                lat: c.lat,
                lon: c.lon,
                ward: c.ward.clone(),
            }]
        }
        RecordSighting {
            camera_id,
            plate,
            seen_at,
            confidence,
        } => {
            if actor.is_scoped()
                || !matches!(
                    actor.role,
                    Role::Admin | Role::Officer | Role::Supervisor | Role::Intake
                )
            {
                return Err(DomainError::Forbidden("only the IOC records sightings".into()));
            }
            if view.camera(camera_id).is_none() {
                return Err(DomainError::NotFound {
                    kind: "camera",
                    id: camera_id.clone(),
                });
            }
            if super::plate::normalize(plate).len() < 4 {
                return Err(DomainError::Invalid(format!("'{plate}' is not a licence plate")));
            }
            if !(0.0..=1.0).contains(confidence) {
                return Err(DomainError::Invalid(format!("confidence {confidence} is outside 0–1")));
            }
            let mut ev = vec![EventData::SightingRecorded {
                camera_id: camera_id.clone(),
                plate: plate.trim().to_string(),
                seen_at: *seen_at,
                confidence: *confidence,
            }];
            ev.extend(super::raise::sighting_events(
                view,
                ctx,
                camera_id,
                plate.trim(),
                *seen_at,
            )?);
            ev
        }
        RaiseCase { source, key, text } => {
            super::raise::may_raise(ctx, "raise cases")?;
            let mut place = super::raise::Place::default();
            if *source == CaseSource::Camera {
                let cam = view.camera(key).ok_or_else(|| DomainError::NotFound {
                    kind: "camera",
                    id: key.clone(),
                })?;
                place = super::raise::Place {
                    ward: cam.ward,
                    lat: cam.lat,
                    lon: cam.lon,
                };
            }
            super::raise::raise(view, ctx, *source, key, text, place)?
        }
        ResolveCase { source, key, reason } => {
            super::raise::may_raise(ctx, "resolve raised cases")?;
            if reason.trim().is_empty() {
                return Err(DomainError::Invalid("closing a raised case needs a reason".into()));
            }
            super::raise::resolve(view, *source, key, reason)
        }
        WatchPlate { plate, reason } => {
            super::raise::may_raise(ctx, "change the watchlist")?;
            let p = super::raise::watch_key(plate)?;
            let reason = reason.as_ref().map(|r| r.trim().to_string()).filter(|r| !r.is_empty());
            match view.watched(&p) {
                Some(w) if w.reason == reason => Vec::new(),
                _ => vec![EventData::PlateWatched { plate: p, reason }],
            }
        }
        UnwatchPlate { plate } => {
            super::raise::may_raise(ctx, "change the watchlist")?;
            let p = super::raise::watch_key(plate)?;
            if view.watched(&p).is_none() {
                return Err(DomainError::NotFound {
                    kind: "watched plate",
                    id: p,
                });
            }
            vec![EventData::PlateUnwatched { plate: p }]
        }
        AddNote { subject, text } => {
            if text.trim().is_empty() {
                return Err(DomainError::Invalid("a note needs text".into()));
            }
            if view.case(subject).is_some() {
                case(subject)?;
            } else {
                if actor.is_scoped() {
                    return Err(DomainError::NotFound {
                        kind: "case",
                        id: subject.clone(),
                    });
                }
                let r = report(subject)?;
                check_version(subject, r.version, &r.updated_by)?;
            }
            vec![EventData::NoteAdded {
                subject: subject.clone(),
                text: text.clone(),
            }]
        }
    };
    Ok(events)
}

/// The on-time verdict of an answer given at `now`.
fn verdict_at(c: &Case, now: DateTime<Utc>) -> Verdict {
    if now <= c.original_deadline {
        Verdict::OnTime
    } else if now <= c.sla_deadline {
        Verdict::Extended
    } else {
        Verdict::Late
    }
}

/// The agency an actor acts for on a case: its own (scoped) or the one named, or the case's first.
fn acting_agency(actor: &Actor, c: &Case, named: Option<&str>) -> Result<String, DomainError> {
    if !matches!(actor.role, Role::Officer | Role::Supervisor | Role::Admin) {
        return Err(DomainError::Forbidden(format!(
            "a {} cannot act for an agency",
            actor.role
        )));
    }
    let a = match (&actor.agency, named) {
        (Some(own), Some(n)) if own != n => {
            return Err(DomainError::Forbidden(format!(
                "{} acts for {own}, not {n}",
                actor.name
            )));
        }
        (Some(own), _) => own.clone(),
        (None, Some(n)) => n.to_string(),
        (None, None) => c.agencies.first().cloned().unwrap_or_else(|| "ioc".into()),
    };
    if !c.agencies.contains(&a) {
        return Err(DomainError::Invalid(format!("{a} is not handling {}", c.id)));
    }
    Ok(a)
}

fn known_category(code: &str) -> Result<(), DomainError> {
    catalog::category(code)
        .map(|_| ())
        .ok_or_else(|| DomainError::Invalid(format!("unknown category '{code}'")))
}

fn known_agencies(mut agencies: Vec<String>) -> Result<Vec<String>, DomainError> {
    for a in &agencies {
        if catalog::agency(a).is_none() {
            return Err(DomainError::Invalid(format!("unknown agency '{a}'")));
        }
    }
    let mut seen = std::collections::HashSet::new();
    agencies.retain(|a| seen.insert(a.clone()));
    if agencies.is_empty() {
        return Err(DomainError::Invalid("no agency to forward to".into()));
    }
    Ok(agencies)
}

fn may_write(actor: &Actor) -> Result<(), DomainError> {
    if !actor.role.can_write() {
        return Err(DomainError::Forbidden(format!(
            "{} is a viewer and changes nothing",
            actor.name
        )));
    }
    Ok(())
}

fn may_submit(actor: &Actor) -> Result<(), DomainError> {
    if actor.is_scoped() {
        return Err(DomainError::Forbidden("agency accounts do not submit reports".into()));
    }
    Ok(())
}

/// What [`decide`] gives for a `SubmitReport` of `n`, taking the report by value: a bulk
/// import's words go into the event without a copy.
pub fn decide_submit(
    n: crate::domain::command::NewReport,
    view: &dyn View,
    ctx: &Context<'_>,
) -> Result<EventData, DomainError> {
    may_write(ctx.actor)?;
    may_submit(ctx.actor)?;
    submit(n, view, ctx.now)
}

/// Validates a new report and makes its `ReportReceived` event.
fn submit(n: crate::domain::command::NewReport, view: &dyn View, now: DateTime<Utc>) -> Result<EventData, DomainError> {
    let problems = validate_new_report(&n);
    if let Some(p) = problems.into_iter().next() {
        return Err(DomainError::Invalid(p));
    }
    let id = match n.id {
        Some(id) => {
            if view.report(&id).is_some() {
                return Err(DomainError::Invalid(format!("report {id} already exists")));
            }
            id
        }
        None => view.next_report_id(),
    };
    let ward = match (&n.ward, n.lat, n.lon) {
        (Some(w), _, _) => catalog::resolve_ward(w).map(|w| w.code.clone()),
        (None, Some(lat), Some(lon)) => catalog::ward_at(lat, lon).map(|w| w.code.clone()),
        // Neither a ward nor coordinates: the ward the address and text name, when clear enough.
        _ => {
            let text = format!("{} {}", n.address.as_deref().unwrap_or(""), n.text);
            crate::triage::ward_from_text(&text)
                .filter(|(_, conf, _)| *conf >= WARD_FROM_TEXT_MIN)
                .map(|(w, _, _)| w)
        }
    };
    Ok(EventData::ReportReceived {
        id,
        received_at: n.received_at.unwrap_or(now),
        channel: n.channel.unwrap_or(Channel::App),
        text: n.text,
        category: n.category,
        ward,
        lat: n.lat,
        lon: n.lon,
        address: n.address,
        media: n.media,
        reporter: n.reporter,
        suggestion: None,
    })
}

/// The confidence [`crate::triage::ward_from_text`] needs for a submission's ward.
pub const WARD_FROM_TEXT_MIN: f64 = 0.5;

/// Every problem with a new report, as sentences (empty when it is acceptable).
pub fn validate_new_report(n: &crate::domain::command::NewReport) -> Vec<String> {
    let mut p = Vec::new();
    if n.text.trim().is_empty() {
        p.push("text is empty".to_string());
    }
    // Counting only when it may matter: a text of at most 10,000 bytes has at most as many chars.
    if n.text.len() > 10_000 && n.text.chars().count() > 10_000 {
        p.push("text is longer than 10,000 characters".to_string());
    }
    match (n.lat, n.lon) {
        (Some(lat), _) if !(-90.0..=90.0).contains(&lat) || !lat.is_finite() => {
            p.push(format!("lat {lat} is out of range (-90..90)"))
        }
        (_, Some(lon)) if !(-180.0..=180.0).contains(&lon) || !lon.is_finite() => {
            p.push(format!("lon {lon} is out of range (-180..180)"))
        }
        (Some(_), None) | (None, Some(_)) => p.push("lat and lon go together".to_string()),
        _ => {}
    }
    if let Some(c) = &n.category
        && catalog::category(c).is_none()
    {
        p.push(format!("unknown category '{c}'"));
    }
    if let Some(w) = &n.ward
        && catalog::resolve_ward(w).is_none()
    {
        p.push(format!("unknown ward '{w}'"));
    }
    p
}
