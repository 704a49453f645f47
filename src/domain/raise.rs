//! Cases the system raises without a citizen: a camera offline for too long, a watched plate
//! seen, a service-level burn-rate alert. Each is an ordinary case (a `system` report, verified and
//! forwarded in the same command) marked by a `CaseRaised` event with its source and key, so the
//! log says why it exists, replay rebuilds it, and at most one case per source and key is open.

use super::catalog;
use super::event::EventData;
use super::lifecycle::{Context, DomainError, View};
use super::model::{CaseSource, Channel, Priority, Role};
use super::plate;

/// The category of the cases a source raises.
pub fn category(source: CaseSource) -> &'static str {
    match source {
        CaseSource::Camera => "camera_outage",
        CaseSource::Watchlist => "watchlist",
        CaseSource::Slo => "service_level",
    }
}

/// Only the unscoped IOC staff above officers (and the system's own actors, which are admins)
/// raise and resolve cases or change the watchlist.
pub fn may_raise(ctx: &Context<'_>, what: &str) -> Result<(), DomainError> {
    let a = ctx.actor;
    if a.is_scoped() || !matches!(a.role, Role::Supervisor | Role::Admin) {
        return Err(DomainError::Forbidden(format!("only IOC supervisors may {what}")));
    }
    Ok(())
}

/// Where a raised case happens, when known.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Place {
    /// Canonical ward code.
    pub ward: Option<String>,
    /// Latitude.
    pub lat: Option<f64>,
    /// Longitude.
    pub lon: Option<f64>,
}

/// The events that open a case for `source`/`key`, or none while one is still open.
pub fn raise(
    view: &dyn View,
    ctx: &Context<'_>,
    source: CaseSource,
    key: &str,
    text: &str,
    place: Place,
) -> Result<Vec<EventData>, DomainError> {
    if key.trim().is_empty() {
        return Err(DomainError::Invalid("a raised case needs a key".into()));
    }
    if text.trim().is_empty() {
        return Err(DomainError::Invalid("a raised case needs text".into()));
    }
    if view.raised_case(source, key).is_some() {
        return Ok(Vec::new());
    }
    let cat = category(source);
    // Cameras may carry a ward as registered (a name or an old name): cases hold the code.
    let ward = place
        .ward
        .as_deref()
        .and_then(catalog::resolve_ward)
        .map(|w| w.code.clone());
    let place = Place { ward, ..place };
    let report_id = view.next_report_id();
    let case_id = view.next_case_id();
    let mut agencies = catalog::default_agencies(cat, place.ward.as_deref());
    if agencies.is_empty() {
        agencies.push("ioc".into());
    }
    let priority = super::routing::active().priority(cat).unwrap_or(Priority::P2);
    let deadline = ctx.calendar.deadline(ctx.now, (ctx.deadline_days)(cat));
    Ok(vec![
        EventData::ReportReceived {
            id: report_id.clone(),
            received_at: ctx.now,
            channel: Channel::System,
            text: text.to_string(),
            category: Some(cat.to_string()),
            ward: place.ward.clone(),
            lat: place.lat,
            lon: place.lon,
            address: None,
            media: Vec::new(),
            reporter: None,
            suggestion: None,
        },
        EventData::ReportVerified {
            id: report_id.clone(),
            category: cat.to_string(),
        },
        EventData::CaseOpened {
            case_id: case_id.clone(),
            report_ids: vec![report_id],
            agencies,
            priority,
            category: cat.to_string(),
            ward: place.ward,
            deadline,
        },
        EventData::CaseRaised {
            case_id,
            source,
            key: key.to_string(),
        },
    ])
}

/// The events that close the open case raised for `source`/`key`: a note with the reason, then
/// the closing. None when no such case is open.
pub fn resolve(view: &dyn View, source: CaseSource, key: &str, reason: &str) -> Vec<EventData> {
    match view.raised_case(source, key) {
        Some(case_id) => vec![
            EventData::NoteAdded {
                subject: case_id.clone(),
                text: reason.to_string(),
            },
            EventData::CaseClosed { case_id },
        ],
        None => Vec::new(),
    }
}

/// What a sighting adds when its plate is watched: a new case, or a note on the open one.
pub fn sighting_events(
    view: &dyn View,
    ctx: &Context<'_>,
    camera_id: &str,
    seen_plate: &str,
    seen_at: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<EventData>, DomainError> {
    let norm = plate::normalize(seen_plate);
    let Some(w) = view.watched(&norm) else {
        return Ok(Vec::new());
    };
    let cam = view.camera(camera_id);
    let site = cam.as_ref().map(|c| c.site.as_str()).unwrap_or("?");
    let when = seen_at
        .with_timezone(&super::calendar::hue_offset())
        .format("%Y-%m-%d %H:%M:%S");
    let line = format!("{seen_plate} seen by camera {camera_id} ({site}) at {when}");
    if let Some(case_id) = view.raised_case(CaseSource::Watchlist, &norm) {
        return Ok(vec![EventData::NoteAdded {
            subject: case_id,
            text: line,
        }]);
    }
    let why = w.reason.map(|r| format!(" ({r})")).unwrap_or_default();
    let text = format!("Watched plate {norm}{why}: {line}");
    let place = Place {
        ward: cam.as_ref().and_then(|c| c.ward.clone()),
        lat: cam.as_ref().and_then(|c| c.lat),
        lon: cam.as_ref().and_then(|c| c.lon),
    };
    raise(view, ctx, CaseSource::Watchlist, &norm, &text, place)
}

/// Checks a plate for the watchlist and gives its normalised form.
pub fn watch_key(p: &str) -> Result<String, DomainError> {
    let n = plate::normalize(p);
    if n.len() < 4 || n.len() > 12 {
        return Err(DomainError::Invalid(format!(
            "'{p}' is not a licence plate (4 to 12 letters and digits)"
        )));
    }
    Ok(n)
}

/// The camera rule: a camera offline for at least `after` gets a case (unless one is open); a
/// camera whose service answers again (`online` or `degraded`) gets its open case closed. Cameras
/// in maintenance or never probed ask for nothing.
pub fn camera_commands(
    cams: &[super::health::CameraStatus],
    now: chrono::DateTime<chrono::Utc>,
    after: chrono::Duration,
) -> Vec<super::Command> {
    use super::CameraState as S;
    let mut out = Vec::new();
    for c in cams {
        match (c.state, &c.case_id) {
            (S::Offline, None) if now - c.state_since >= after => {
                let since = c
                    .state_since
                    .with_timezone(&super::calendar::hue_offset())
                    .format("%Y-%m-%d %H:%M");
                let why = c.last_error.as_deref().unwrap_or("no answer");
                out.push(super::Command::RaiseCase {
                    source: CaseSource::Camera,
                    key: c.id.clone(),
                    text: format!(
                        "Camera {} ({}, {}) offline since {since} ({} min): {why}",
                        c.id,
                        c.name,
                        c.site,
                        (now - c.state_since).num_minutes()
                    ),
                });
            }
            (S::Online | S::Degraded, Some(_)) => out.push(super::Command::ResolveCase {
                source: CaseSource::Camera,
                key: c.id.clone(),
                reason: format!("camera {} is back ({})", c.id, c.state),
            }),
            _ => {}
        }
    }
    out
}

/// The key of an SLO's alert cases: its indicator and window (`on_time/30d`).
pub fn slo_key(s: &super::sli::SloStatus) -> String {
    format!("{}/{}", s.indicator, s.window)
}

/// The burn-rate rule: an SLO with a firing alert gets a case (unless one is open); an SLO whose
/// alerts stopped gets its open case closed (a no-op when there is none).
pub fn slo_commands(slos: &[super::sli::SloStatus]) -> Vec<super::Command> {
    slos.iter()
        .map(|s| {
            let key = slo_key(s);
            if s.alerts.is_empty() {
                return super::Command::ResolveCase {
                    source: CaseSource::Slo,
                    key,
                    reason: format!("the burn-rate alerts of {} stopped", s.indicator),
                };
            }
            let alerts: Vec<String> = s
                .alerts
                .iter()
                .map(|a| {
                    format!(
                        "{} {}x over {}/{} (burn {:.1}/{:.1})",
                        a.severity, a.factor, a.long_window, a.short_window, a.long_burn, a.short_burn
                    )
                })
                .collect();
            let budget = s
                .error_budget_remaining
                .map(|b| format!("{:.1}%", b * 100.0))
                .unwrap_or_else(|| "-".into());
            super::Command::RaiseCase {
                source: CaseSource::Slo,
                key,
                text: format!(
                    "Service level {} (target {:.1}% over {}) burns its error budget: {}; budget left {budget}",
                    s.indicator,
                    s.target * 100.0,
                    s.window,
                    alerts.join("; ")
                ),
            }
        })
        .collect()
}
