//! Query types shared by every front end: filters, sorting and paging of reports and cases.

use super::model::{CaseState, Priority, ReportState};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The most rows one page may hold.
pub const MAX_PAGE: usize = 1_000_000;

/// Filters for listing reports.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReportFilter {
    /// Only these states (any when empty).
    #[serde(default)]
    pub states: Vec<ReportState>,
    /// Only these categories (any when empty).
    #[serde(default)]
    pub categories: Vec<String>,
    /// Only this ward (canonical code).
    #[serde(default)]
    pub ward: Option<String>,
    /// Only reports in cases handled by this agency.
    #[serde(default)]
    pub agency: Option<String>,
    /// Only reports in overdue cases.
    #[serde(default)]
    pub overdue: bool,
    /// Folded free text, matched against the text and address.
    #[serde(default)]
    pub query: Option<String>,
    /// Received at or after.
    #[serde(default)]
    pub since: Option<DateTime<Utc>>,
    /// Received at or before.
    #[serde(default)]
    pub until: Option<DateTime<Utc>>,
    /// Only reports not yet in a case and not a duplicate.
    #[serde(default)]
    pub unassigned: bool,
    /// Only these ids (any when empty).
    #[serde(default)]
    pub ids: Vec<String>,
    /// Oldest first instead of newest first.
    #[serde(default)]
    pub oldest_first: bool,
    /// Keyset paging: only reports after this (received_at, id) in the list's order.
    #[serde(default)]
    pub after: Option<(DateTime<Utc>, String)>,
    /// Rows to skip.
    #[serde(default)]
    pub offset: usize,
    /// Rows to return.
    #[serde(default = "default_limit")]
    pub limit: usize,
}

/// How a case list is ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseSort {
    /// Soonest deadline first (the queue order).
    #[default]
    Deadline,
    /// Most urgent first, then deadline.
    Priority,
    /// Newest first.
    Newest,
    /// Most recently changed first.
    Updated,
}

impl std::str::FromStr for CaseSort {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim() {
            "deadline" => Ok(CaseSort::Deadline),
            "priority" => Ok(CaseSort::Priority),
            "newest" | "opened" => Ok(CaseSort::Newest),
            "updated" => Ok(CaseSort::Updated),
            o => Err(format!(
                "unknown sort '{o}' (expected deadline, priority, newest or updated)"
            )),
        }
    }
}

/// Filters for listing cases.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CaseFilter {
    /// Only these states (any when empty).
    #[serde(default)]
    pub states: Vec<CaseState>,
    /// Only these categories.
    #[serde(default)]
    pub categories: Vec<String>,
    /// Only this ward (canonical code).
    #[serde(default)]
    pub ward: Option<String>,
    /// Only cases handled by this agency.
    #[serde(default)]
    pub agency: Option<String>,
    /// Only these priorities.
    #[serde(default)]
    pub priorities: Vec<Priority>,
    /// Only overdue cases.
    #[serde(default)]
    pub overdue: bool,
    /// Only open cases (not closed).
    #[serde(default)]
    pub open: bool,
    /// Folded free text, matched against the first report's text and address.
    #[serde(default)]
    pub query: Option<String>,
    /// Opened at or after.
    #[serde(default)]
    pub since: Option<DateTime<Utc>>,
    /// Only cases claimed by this officer (`-` for unclaimed).
    #[serde(default)]
    pub claimed_by: Option<String>,
    /// Only these ids.
    #[serde(default)]
    pub ids: Vec<String>,
    /// Order.
    #[serde(default)]
    pub sort: CaseSort,
    /// Rows to skip.
    #[serde(default)]
    pub offset: usize,
    /// Rows to return.
    #[serde(default = "default_limit")]
    pub limit: usize,
}

fn default_limit() -> usize {
    50
}

/// Counts for the status bar.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Counts {
    /// Reports awaiting verification.
    pub new_reports: u64,
    /// Open cases.
    pub open_cases: u64,
    /// Overdue cases.
    pub overdue_cases: u64,
    /// All reports.
    pub reports: u64,
    /// All cases.
    pub cases: u64,
    /// The last event's sequence number.
    pub last_seq: u64,
}
