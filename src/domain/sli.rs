//! Service levels: the province's indicators per agency and overall (on-time rates, time to
//! acknowledge and answer, backlog, satisfaction, camera availability per site), and SLOs with
//! their error budget and multi-window burn-rate alerts (Google SRE workbook, as Sloth does).
//! Pure: the store hands in the case rows and camera timelines.

pub mod live;

use super::health::availability;
use super::model::{Camera, CameraState, Case};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// An objective from the config file's `[[slo]]` list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SloSpec {
    /// `on_time`, `on_time_extended`, `satisfaction` or `camera_availability`.
    pub indicator: String,
    /// The target share of good events, e.g. 0.9.
    pub target: f64,
    /// The objective's window, e.g. `30d` (the default).
    #[serde(default)]
    pub window: Option<String>,
}

/// The indicators an SLO may name.
pub const INDICATORS: &[&str] = &["on_time", "on_time_extended", "satisfaction", "camera_availability"];

/// Parses `90m`, `6h`, `30d` or `2w`.
pub fn parse_window(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let (num, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
    let n: i64 = num
        .parse()
        .map_err(|_| format!("'{s}': expected a number and m, h, d or w"))?;
    let d = match unit {
        "m" | "min" => Duration::minutes(n),
        "h" => Duration::hours(n),
        "d" | "" => Duration::days(n),
        "w" => Duration::weeks(n),
        _ => return Err(format!("'{s}': unknown unit '{unit}' (m, h, d or w)")),
    };
    if n <= 0 || n > 3650 * 24 * 60 {
        return Err(format!("'{s}': outside 1m..10 years"));
    }
    Ok(d)
}

/// The indicators of one agency, or of all.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Indicators {
    /// Cases opened in the window.
    pub opened: u64,
    /// Cases answered in the window.
    pub answered: u64,
    /// Share answered by the original deadline.
    pub on_time_strict: Option<f64>,
    /// Share answered by the (possibly extended) deadline.
    pub on_time_extended: Option<f64>,
    /// Hours from forwarding to acknowledgement: median.
    pub ack_hours_p50: Option<f64>,
    /// Hours from forwarding to acknowledgement: 90th percentile.
    pub ack_hours_p90: Option<f64>,
    /// Hours from forwarding to answer: median.
    pub answer_hours_p50: Option<f64>,
    /// Hours from forwarding to answer: 90th percentile.
    pub answer_hours_p90: Option<f64>,
    /// Cases awaiting the unit now.
    pub backlog: u64,
    /// Of those, past their deadline.
    pub overdue: u64,
    /// Rated cases answered in the window.
    pub rated: u64,
    /// Share of ratings of 4 or 5.
    pub satisfaction: Option<f64>,
}

/// Camera availability of one site (the same figure the periodic report gives).
pub use super::digest::SiteAvailability;

/// A burn-rate alert that fires.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BurnAlert {
    /// `page` or `ticket`.
    pub severity: String,
    /// The burn-rate factor both windows exceed.
    pub factor: f64,
    /// The long window, e.g. `1h`.
    pub long_window: String,
    /// The short window, e.g. `5m`.
    pub short_window: String,
    /// Burn rate over the long window.
    pub long_burn: f64,
    /// Burn rate over the short window.
    pub short_burn: f64,
}

/// An SLO's standing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SloStatus {
    /// The indicator.
    pub indicator: String,
    /// The target.
    pub target: f64,
    /// The objective's window.
    pub window: String,
    /// The indicator over the window.
    pub actual: Option<f64>,
    /// Share of the error budget left (negative when overspent).
    pub error_budget_remaining: Option<f64>,
    /// Alerts that fire now.
    pub alerts: Vec<BurnAlert>,
}

/// Everything `iocdesk sli` shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SliReport {
    /// Window start.
    pub from: DateTime<Utc>,
    /// Window end (now).
    pub to: DateTime<Utc>,
    /// All agencies together.
    pub overall: Indicators,
    /// Per agency code.
    pub agencies: BTreeMap<String, Indicators>,
    /// Share of the window's reports that were verified (forwarded or kept), of all received.
    pub verified_share: Option<f64>,
    /// Camera availability per site.
    pub camera_sites: Vec<SiteAvailability>,
    /// The configured objectives.
    pub slos: Vec<SloStatus>,
}

/// Good/bad facts over time, from which error rates over any window are read.
#[derive(Debug, Clone, Default)]
pub struct Series {
    /// (time, good) in time order.
    pub events: Vec<(DateTime<Utc>, bool)>,
    /// Camera state timelines, for availability (used instead of `events` when not empty).
    pub timelines: Vec<Timeline>,
}

impl Series {
    /// The share of bad over `[from, to]`; `None` without data.
    pub fn error_rate(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Option<f64> {
        if !self.timelines.is_empty() {
            let a: Vec<f64> = self
                .timelines
                .iter()
                .filter_map(|t| availability(t, from, to))
                .collect();
            return (!a.is_empty()).then(|| 1.0 - a.iter().sum::<f64>() / a.len() as f64);
        }
        let lo = self.events.partition_point(|e| e.0 < from);
        let hi = self.events.partition_point(|e| e.0 <= to);
        let slice = &self.events[lo..hi];
        (!slice.is_empty()).then(|| slice.iter().filter(|e| !e.1).count() as f64 / slice.len() as f64)
    }
}

/// The multi-window pairs for a 30-day objective: (severity, factor, long, short).
pub fn burn_windows() -> [(&'static str, f64, Duration, Duration); 4] {
    [
        ("page", 14.4, Duration::hours(1), Duration::minutes(5)),
        ("page", 6.0, Duration::hours(6), Duration::minutes(30)),
        ("ticket", 3.0, Duration::days(1), Duration::hours(2)),
        ("ticket", 1.0, Duration::days(3), Duration::hours(6)),
    ]
}

fn label(d: Duration) -> String {
    if d.num_days() > 0 && d.num_hours() % 24 == 0 {
        format!("{}d", d.num_days())
    } else if d.num_hours() > 0 && d.num_minutes() % 60 == 0 {
        format!("{}h", d.num_hours())
    } else {
        format!("{}m", d.num_minutes())
    }
}

/// The alerts that fire at `now`: both windows of a pair burn faster than its factor.
pub fn burn_alerts(series: &Series, target: f64, now: DateTime<Utc>) -> Vec<BurnAlert> {
    let budget = (1.0 - target).max(1e-9);
    let burn = |w: Duration| series.error_rate(now - w, now).map(|e| e / budget).unwrap_or(0.0);
    burn_windows()
        .into_iter()
        .filter_map(|(sev, factor, long, short)| {
            let (lb, sb) = (burn(long), burn(short));
            (lb > factor && sb > factor).then(|| BurnAlert {
                severity: sev.into(),
                factor,
                long_window: label(long),
                short_window: label(short),
                long_burn: round(lb),
                short_burn: round(sb),
            })
        })
        .collect()
}

/// An SLO's standing at `now` over its window.
pub fn slo_status(spec: &SloSpec, series: &Series, now: DateTime<Utc>) -> Result<SloStatus, String> {
    let window = parse_window(spec.window.as_deref().unwrap_or("30d"))?;
    if !(0.0..1.0).contains(&spec.target) {
        return Err(format!(
            "slo {}: target {} is outside 0..1",
            spec.indicator, spec.target
        ));
    }
    let actual = series.error_rate(now - window, now).map(|e| 1.0 - e);
    let remaining = actual.map(|a| round(1.0 - (1.0 - a) / (1.0 - spec.target)));
    Ok(SloStatus {
        indicator: spec.indicator.clone(),
        target: spec.target,
        window: label(window),
        actual: actual.map(round),
        error_budget_remaining: remaining,
        alerts: burn_alerts(series, spec.target, now),
    })
}

fn round(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// The nearest-rank quantile of sorted values.
pub fn quantile(sorted: &[f64], q: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    Some(round(sorted[rank - 1]))
}

/// Accumulates one group's indicators.
#[derive(Default)]
struct Acc {
    ind: Indicators,
    strict: u64,
    extended: u64,
    happy: u64,
    ack: Vec<f64>,
    answer: Vec<f64>,
}

impl Acc {
    fn add(&mut self, c: &Case, from: DateTime<Utc>, now: DateTime<Utc>) {
        let hours = |t: DateTime<Utc>| (t - c.opened_at).num_seconds() as f64 / 3600.0;
        if c.opened_at >= from {
            self.ind.opened += 1;
        }
        if let Some(t) = c.acknowledged_at.filter(|t| *t >= from) {
            self.ack.push(hours(t));
        }
        if let Some(t) = c.answered_at.filter(|t| *t >= from) {
            self.ind.answered += 1;
            self.answer.push(hours(t));
            self.strict += u64::from(t <= c.original_deadline);
            self.extended += u64::from(t <= c.deadline);
            if let Some(r) = c.rating {
                self.ind.rated += 1;
                self.happy += u64::from(r >= 4);
            }
        }
        if c.state.awaits_unit() {
            self.ind.backlog += 1;
            self.ind.overdue += u64::from(c.is_overdue(now));
        }
    }

    fn finish(mut self) -> Indicators {
        let share = |n: u64, d: u64| (d > 0).then(|| round(n as f64 / d as f64));
        self.ind.on_time_strict = share(self.strict, self.ind.answered);
        self.ind.on_time_extended = share(self.extended, self.ind.answered);
        self.ind.satisfaction = share(self.happy, self.ind.rated);
        self.ack.sort_by(f64::total_cmp);
        self.answer.sort_by(f64::total_cmp);
        self.ind.ack_hours_p50 = quantile(&self.ack, 0.5);
        self.ind.ack_hours_p90 = quantile(&self.ack, 0.9);
        self.ind.answer_hours_p50 = quantile(&self.answer, 0.5);
        self.ind.answer_hours_p90 = quantile(&self.answer, 0.9);
        self.ind
    }
}

/// A camera's state changes in time order.
pub type Timeline = Vec<(DateTime<Utc>, CameraState)>;

/// What the store hands in.
pub struct Inputs<'a> {
    /// Cases opened in the window or still awaiting a unit.
    pub cases: &'a [Case],
    /// Reports received in the window: (all, verified).
    pub reports: (u64, u64),
    /// Every camera with its state timeline (changes in time order).
    pub cameras: &'a [(Camera, Timeline)],
    /// The configured objectives.
    pub slos: &'a [SloSpec],
}

/// Computes every indicator over `[now - window, now]` in one pass over the cases.
pub fn compute(inp: &Inputs<'_>, now: DateTime<Utc>, window: Duration) -> Result<SliReport, String> {
    let from = now - window;
    let mut overall = Acc::default();
    let mut per: BTreeMap<String, Acc> = BTreeMap::new();
    let (mut on_time, mut extended, mut satisfied) = (Series::default(), Series::default(), Series::default());
    for c in inp.cases {
        overall.add(c, from, now);
        for a in &c.agencies {
            per.entry(a.clone()).or_default().add(c, from, now);
        }
        if let Some(t) = c.answered_at {
            on_time.events.push((t, t <= c.original_deadline));
            extended.events.push((t, t <= c.deadline));
            if let Some(r) = c.rating {
                satisfied.events.push((t, r >= 4));
            }
        }
    }
    for s in [&mut on_time, &mut extended, &mut satisfied] {
        s.events.sort_by_key(|e| e.0);
    }
    let mut sites: BTreeMap<&str, (u64, Vec<f64>)> = BTreeMap::new();
    for (cam, tl) in inp.cameras {
        let e = sites.entry(cam.site.as_str()).or_default();
        e.0 += 1;
        e.1.extend(availability(tl, from, now));
    }
    let camera_sites = sites
        .into_iter()
        .map(|(site, (n, a))| SiteAvailability {
            site: site.to_string(),
            cameras: n,
            availability: (!a.is_empty()).then(|| round(a.iter().sum::<f64>() / a.len() as f64)),
        })
        .collect();
    let cams = Series {
        events: Vec::new(),
        timelines: inp.cameras.iter().map(|(_, t)| t.clone()).collect(),
    };
    let mut slos = Vec::new();
    for spec in inp.slos {
        let series = match spec.indicator.as_str() {
            "on_time" => &on_time,
            "on_time_extended" => &extended,
            "satisfaction" => &satisfied,
            "camera_availability" => &cams,
            other => {
                return Err(format!(
                    "slo: unknown indicator '{other}' (expected one of: {})",
                    INDICATORS.join(", ")
                ));
            }
        };
        slos.push(slo_status(spec, series, now)?);
    }
    let (all, verified) = inp.reports;
    Ok(SliReport {
        from,
        to: now,
        overall: overall.finish(),
        agencies: per.into_iter().map(|(k, v)| (k, v.finish())).collect(),
        verified_share: (all > 0).then(|| round(verified as f64 / all as f64)),
        camera_sites,
        slos,
    })
}

#[cfg(test)]
mod tests;
