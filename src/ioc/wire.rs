//! What travels between [`super::RemoteIoc`] and the server: query strings, problem documents
//! and batch results. Filters are flattened to strings so they fit a URL query.

use super::IocError;
use crate::domain::Event;
use crate::domain::catalog;
use crate::domain::query::{CaseFilter, CaseSort, ReportFilter};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};

/// The largest page the server returns; clients page through bigger requests.
pub const PAGE_MAX: usize = 1000;

/// `GET /api/v1/reports` query parameters (lists are comma-separated).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportQuery {
    /// States, comma-separated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Category codes, comma-separated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// A ward code, name or old name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ward: Option<String>,
    /// An agency code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agency: Option<String>,
    /// Only overdue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overdue: Option<bool>,
    /// Free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    /// RFC 3339 lower bound.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
    /// RFC 3339 upper bound.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
    /// Only reports outside any case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unassigned: Option<bool>,
    /// Ids, comma-separated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ids: Option<String>,
    /// Oldest first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oldest_first: Option<bool>,
    /// Keyset paging: the last row's receipt time (RFC 3339)…
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_time: Option<String>,
    /// …and id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_id: Option<String>,
    /// Rows to skip.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<usize>,
    /// Rows to return, 1..=[`PAGE_MAX`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<usize>,
}

/// `GET /api/v1/cases` query parameters (lists are comma-separated).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseQuery {
    /// States, comma-separated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Priorities, comma-separated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<String>,
    /// Category codes, comma-separated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// A ward code, name or old name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ward: Option<String>,
    /// An agency code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agency: Option<String>,
    /// Only overdue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overdue: Option<bool>,
    /// Only open.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub open: Option<bool>,
    /// Free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    /// RFC 3339 lower bound.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
    /// Claimed by this officer (`-` for unclaimed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claimed_by: Option<String>,
    /// Ids, comma-separated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ids: Option<String>,
    /// deadline, priority, newest or updated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort: Option<String>,
    /// Rows to skip.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<usize>,
    /// Rows to return, 1..=[`PAGE_MAX`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<usize>,
}

fn join<T: ToString>(v: &[T]) -> Option<String> {
    (!v.is_empty()).then(|| v.iter().map(T::to_string).collect::<Vec<_>>().join(","))
}

fn split<T: std::str::FromStr<Err = String>>(name: &str, v: &Option<String>) -> Result<Vec<T>, String> {
    v.iter()
        .flat_map(|s| s.split(','))
        .filter(|s| !s.trim().is_empty())
        .map(|s| s.parse::<T>().map_err(|e| format!("{name}: {e}")))
        .collect()
}

fn strings(v: &Option<String>) -> Vec<String> {
    v.iter()
        .flat_map(|s| s.split(','))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

fn time(t: &Option<DateTime<Utc>>) -> Option<String> {
    t.map(|t| t.to_rfc3339_opts(SecondsFormat::AutoSi, true))
}

fn parse_time(name: &str, s: &Option<String>) -> Result<Option<DateTime<Utc>>, String> {
    s.as_deref()
        .map(|s| {
            DateTime::parse_from_rfc3339(s)
                .map(|t| t.with_timezone(&Utc))
                .map_err(|_| format!("{name}: '{s}' is not an RFC 3339 time"))
        })
        .transpose()
}

fn flag(b: bool) -> Option<bool> {
    b.then_some(true)
}

fn ward(w: &Option<String>) -> Result<Option<String>, String> {
    w.as_deref()
        .map(|w| {
            catalog::resolve_ward(w)
                .map(|w| w.code.clone())
                .ok_or_else(|| format!("ward: no such ward '{w}'"))
        })
        .transpose()
}

fn agency(a: &Option<String>) -> Result<Option<String>, String> {
    match a {
        Some(a) if catalog::agency(a).is_none() => Err(format!("agency: unknown agency '{a}'")),
        other => Ok(other.clone()),
    }
}

fn categories(v: &Option<String>) -> Result<Vec<String>, String> {
    let c = strings(v);
    match c.iter().find(|c| catalog::category(c).is_none()) {
        Some(bad) => Err(format!("category: unknown category '{bad}'")),
        None => Ok(c),
    }
}

/// The deepest a page may start; beyond it SQLite's integers would overflow.
pub const OFFSET_MAX: usize = 1 << 40;

/// The largest sequence number a client may name.
pub const SEQ_MAX: u64 = i64::MAX as u64;

fn offset(o: Option<usize>) -> Result<usize, String> {
    match o.unwrap_or(0) {
        n @ 0..=OFFSET_MAX => Ok(n),
        n => Err(format!("offset: {n} is beyond {OFFSET_MAX}")),
    }
}

fn limit(l: Option<usize>) -> Result<usize, String> {
    match l.unwrap_or(50) {
        n @ 1..=PAGE_MAX => Ok(n),
        n => Err(format!("limit: {n} is outside 1..={PAGE_MAX}")),
    }
}

impl ReportQuery {
    /// The query for one page of a filter.
    pub fn from_filter(f: &ReportFilter, offset: usize, limit: usize) -> Self {
        ReportQuery {
            status: join(&f.states),
            category: join(&f.categories),
            ward: f.ward.clone(),
            agency: f.agency.clone(),
            overdue: flag(f.overdue),
            query: f.query.clone(),
            since: time(&f.since),
            until: time(&f.until),
            unassigned: flag(f.unassigned),
            ids: join(&f.ids),
            oldest_first: flag(f.oldest_first),
            after_time: f
                .after
                .as_ref()
                .map(|a| a.0.to_rfc3339_opts(SecondsFormat::Millis, true)),
            after_id: f.after.as_ref().map(|a| a.1.clone()),
            offset: Some(offset),
            limit: Some(limit),
        }
    }

    /// The store filter, checked: unknown codes and out-of-range pages are refused.
    pub fn to_filter(&self) -> Result<ReportFilter, String> {
        Ok(ReportFilter {
            states: split("status", &self.status)?,
            categories: categories(&self.category)?,
            ward: ward(&self.ward)?,
            agency: agency(&self.agency)?,
            overdue: self.overdue.unwrap_or(false),
            query: self.query.clone().filter(|q| !q.trim().is_empty()),
            since: parse_time("since", &self.since)?,
            until: parse_time("until", &self.until)?,
            unassigned: self.unassigned.unwrap_or(false),
            ids: strings(&self.ids),
            oldest_first: self.oldest_first.unwrap_or(false),
            after: match (parse_time("after_time", &self.after_time)?, &self.after_id) {
                (Some(t), Some(id)) => Some((t, id.clone())),
                (None, None) => None,
                _ => return Err("after_time and after_id go together".into()),
            },
            offset: offset(self.offset)?,
            limit: limit(self.limit)?,
        })
    }
}

impl CaseQuery {
    /// The query for one page of a filter.
    pub fn from_filter(f: &CaseFilter, offset: usize, limit: usize) -> Self {
        CaseQuery {
            status: join(&f.states),
            priority: join(&f.priorities),
            category: join(&f.categories),
            ward: f.ward.clone(),
            agency: f.agency.clone(),
            overdue: flag(f.overdue),
            open: flag(f.open),
            query: f.query.clone(),
            since: time(&f.since),
            claimed_by: f.claimed_by.clone(),
            ids: join(&f.ids),
            sort: Some(
                match f.sort {
                    CaseSort::Deadline => "deadline",
                    CaseSort::Priority => "priority",
                    CaseSort::Newest => "newest",
                    CaseSort::Updated => "updated",
                }
                .into(),
            ),
            offset: Some(offset),
            limit: Some(limit),
        }
    }

    /// The store filter, checked: unknown codes and out-of-range pages are refused.
    pub fn to_filter(&self) -> Result<CaseFilter, String> {
        Ok(CaseFilter {
            states: split("status", &self.status)?,
            priorities: split("priority", &self.priority)?,
            categories: categories(&self.category)?,
            ward: ward(&self.ward)?,
            agency: agency(&self.agency)?,
            overdue: self.overdue.unwrap_or(false),
            open: self.open.unwrap_or(false),
            query: self.query.clone().filter(|q| !q.trim().is_empty()),
            since: parse_time("since", &self.since)?,
            claimed_by: self.claimed_by.clone(),
            ids: strings(&self.ids),
            sort: self.sort.as_deref().map(str::parse).transpose()?.unwrap_or_default(),
            offset: offset(self.offset)?,
            limit: limit(self.limit)?,
        })
    }
}

/// An RFC 9457 problem document, with the conflict's details when there is one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    /// A URI naming the kind of problem.
    #[serde(rename = "type", default)]
    pub kind: String,
    /// A short, fixed summary of the kind.
    #[serde(default)]
    pub title: String,
    /// The HTTP status.
    #[serde(default)]
    pub status: u16,
    /// What happened this time.
    #[serde(default)]
    pub detail: String,
    /// The item in conflict.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Who changed it first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
}

impl Problem {
    /// The problem for a core error.
    pub fn from_error(e: &IocError) -> Problem {
        let (status, slug, title) = match e {
            IocError::NotFound(_) => (404, "not-found", "Not found"),
            IocError::Conflict { .. } => (409, "conflict", "Changed by someone else"),
            IocError::Forbidden(_) => (403, "forbidden", "Not allowed"),
            IocError::Unauthorized(_) => (401, "unauthorized", "Missing or invalid token"),
            IocError::Invalid(_) => (422, "invalid", "Not acceptable"),
            IocError::Unreachable(_) => (502, "unreachable", "Upstream unreachable"),
            IocError::Internal(_) => (500, "internal", "Internal error"),
        };
        let (id, by) = match e {
            IocError::Conflict { id, by, .. } => (Some(id.clone()), Some(by.clone())),
            _ => (None, None),
        };
        let detail = match e {
            // Never leak internals: the log has the details.
            IocError::Internal(_) => "the server could not complete the request".to_string(),
            IocError::Conflict { message, .. } => message.clone(),
            other => other.to_string(),
        };
        Problem {
            kind: format!("https://iocdesk.invalid/problems/{slug}"),
            title: title.into(),
            status,
            detail,
            id,
            by,
        }
    }

    /// The core error a client reports for this problem.
    pub fn into_error(self) -> IocError {
        let d = if self.detail.is_empty() {
            self.title
        } else {
            self.detail
        };
        match self.status {
            401 => IocError::Unauthorized(d),
            403 => IocError::Forbidden(d),
            404 => IocError::NotFound(d),
            409 => IocError::Conflict {
                id: self.id.unwrap_or_default(),
                by: self.by.unwrap_or_default(),
                message: d,
            },
            400..=499 => IocError::Invalid(d),
            502..=504 => IocError::Unreachable(d),
            _ => IocError::Internal(d),
        }
    }
}

/// One command's outcome in a batch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BatchItem {
    /// Its events.
    Ok(Vec<Event>),
    /// Why it was refused.
    Err(Problem),
}

/// `{"count": n}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountOut {
    /// The number.
    pub count: u64,
}

/// `?after=SEQ&limit=N` for the event log and stream.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AfterQuery {
    /// Events after this sequence number.
    #[serde(default)]
    pub after: Option<u64>,
    /// At most this many (log only).
    #[serde(default)]
    pub limit: Option<usize>,
}

/// `POST /api/v1/commands/groups`: groups of commands, each applied whole or not at all.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupsIn {
    /// The groups.
    pub groups: Vec<Vec<crate::domain::Envelope>>,
    /// Roll everything back at the end.
    #[serde(default)]
    pub dry_run: bool,
}

/// `GET /api/v1/reports/master` query: where a duplicate's master is looked for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MasterQuery {
    /// Category code.
    pub category: String,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// Received at or before (RFC 3339).
    pub before: DateTime<Utc>,
    /// A report id to leave out.
    pub except: String,
    /// Radius in metres.
    pub radius_m: f64,
    /// Days back.
    pub days: i64,
}

/// `GET /api/v1/report` query: the period of a digital report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeriodQuery {
    /// `daily`, `weekly` or `monthly`.
    pub period: String,
    /// Start (inclusive, RFC 3339).
    pub from: DateTime<Utc>,
    /// End (exclusive, RFC 3339).
    pub to: DateTime<Utc>,
}

/// `GET /sightings?plate=…&limit=…`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PlateQuery {
    /// The plate searched for.
    pub plate: String,
    /// At most this many (default 100).
    #[serde(default)]
    pub limit: Option<usize>,
}

/// `POST /sli`: the window and the client's objectives.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SliQuery {
    /// The window, e.g. `30d`.
    pub window: String,
    /// Objectives.
    #[serde(default)]
    pub slos: Vec<crate::domain::sli::SloSpec>,
}

/// `GET /api/v1/reports/{id}/duplicates` query: every field optional (250 m, 7 days, 20).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DuplicatesQuery {
    /// Radius in metres (0..=5000).
    pub radius_m: Option<f64>,
    /// Days either side (0..=365).
    pub days: Option<f64>,
    /// At most this many candidates (1..=200).
    pub limit: Option<usize>,
}

impl DuplicatesQuery {
    /// The query as parameters, checked.
    pub fn to_params(&self) -> Result<crate::store::nearby::DuplicateParams, String> {
        let d = crate::store::nearby::DuplicateParams::default();
        let p = crate::store::nearby::DuplicateParams {
            radius_m: self.radius_m.unwrap_or(d.radius_m),
            days: self.days.unwrap_or(d.days),
            limit: self.limit.unwrap_or(d.limit),
        };
        if !(0.0..=5000.0).contains(&p.radius_m) || !(0.0..=365.0).contains(&p.days) || !(1..=200).contains(&p.limit) {
            return Err("radius_m is 0..=5000, days 0..=365 and limit 1..=200".into());
        }
        Ok(p)
    }

    /// The query of some parameters.
    pub fn from_params(p: &crate::store::nearby::DuplicateParams) -> DuplicatesQuery {
        DuplicatesQuery {
            radius_m: Some(p.radius_m),
            days: Some(p.days),
            limit: Some(p.limit),
        }
    }
}

/// One duplicate candidate on the wire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DuplicateCandidate {
    /// The candidate report.
    pub report: crate::domain::Report,
    /// Its score in `[0, 1]`, higher is likelier.
    pub score: f64,
}
