//! The periodic digital report (báo cáo): figures for a day, week or month, computed from the
//! event log and the read tables made from it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One name and its count.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tally {
    /// Category code, ward code or agency code.
    pub name: String,
    /// How many.
    pub count: u64,
}

/// How one agency answered in the period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgencyFigures {
    /// Agency code.
    pub agency: String,
    /// Cases forwarded to it in the period.
    pub received: u64,
    /// Answers in the period.
    pub answered: u64,
    /// Answered by the original deadline.
    pub on_time: u64,
    /// Answered late but within an extension approved before the deadline.
    pub on_time_extended: u64,
    /// Answered late.
    pub late: u64,
    /// Share answered by the original deadline (strict).
    pub on_time_rate: Option<f64>,
    /// Share answered on time counting extensions.
    pub on_time_rate_with_extension: Option<f64>,
    /// Open cases past their deadline at the end of the period.
    pub overdue: u64,
}

/// A case past its deadline at the end of the period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OverdueCase {
    /// Case id.
    pub id: String,
    /// Category.
    pub category: String,
    /// Ward code.
    pub ward: Option<String>,
    /// Agencies.
    pub agencies: Vec<String>,
    /// Its deadline.
    pub deadline: DateTime<Utc>,
    /// Days past the deadline at the end of the period.
    pub days_overdue: f64,
}

/// Camera availability of one site.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteAvailability {
    /// Site name.
    pub site: String,
    /// Cameras at the site.
    pub cameras: u64,
    /// Share of camera-time online in the period (maintenance excluded).
    pub availability: Option<f64>,
}

/// The report for one period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeriodReport {
    /// `daily`, `weekly` or `monthly`.
    pub period: String,
    /// Start (inclusive).
    pub from: DateTime<Utc>,
    /// End (exclusive).
    pub to: DateTime<Utc>,
    /// Reports received.
    pub received: u64,
    /// Received reports by category (confirmed, else suggested, else `unclassified`).
    pub by_category: Vec<Tally>,
    /// Received reports by ward.
    pub by_ward: Vec<Tally>,
    /// Of the reports received and already verified: the share that passed.
    pub verified_share: Option<f64>,
    /// Cases opened in the period.
    pub cases_opened: u64,
    /// Of those, answered by now.
    pub cases_answered: u64,
    /// Processed share: answered / opened.
    pub processed_share: Option<f64>,
    /// Per agency.
    pub agencies: Vec<AgencyFigures>,
    /// Hours from forwarding to answer, median, for answers in the period.
    pub answer_hours_p50: Option<f64>,
    /// Hours from forwarding to answer, 90th percentile.
    pub answer_hours_p90: Option<f64>,
    /// Ratings given in the period.
    pub ratings: u64,
    /// Share of ratings 4 or 5.
    pub satisfaction: Option<f64>,
    /// The ten most overdue cases at the end of the period.
    pub most_overdue: Vec<OverdueCase>,
    /// Camera availability per site.
    pub cameras: Vec<SiteAvailability>,
}

/// A share, or none when there is nothing to divide.
pub fn share(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// The `q` quantile (0–1) of sorted values, nearest rank.
pub fn quantile(sorted: &[f64], q: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    Some(sorted[rank - 1])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_and_shares() {
        let v = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0];
        assert_eq!(quantile(&v, 0.5), Some(5.0));
        assert_eq!(quantile(&v, 0.9), Some(9.0));
        assert_eq!(quantile(&[], 0.5), None);
        assert_eq!(share(1, 4), Some(0.25));
        assert_eq!(share(1, 0), None);
    }
}
