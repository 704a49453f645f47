//! `reports list|show` and `cases list|show`.

use super::output::{Tabular, local, print_list, print_one};
use super::{Env, Usage};
use crate::domain::calendar::{Calendar, countdown};
use crate::domain::catalog;
use crate::domain::query::{CaseFilter, CaseSort, ReportFilter};
use crate::domain::{Case, CaseState, Priority, Report, ReportState};
use chrono::{DateTime, NaiveDate, Utc};
use clap::{Args, Subcommand};
use serde::Serialize;

/// `iocdesk reports …`
#[derive(Debug, Subcommand)]
pub enum ReportsCmd {
    /// List reports, newest first.
    List(ReportListArgs),
    /// Show one report with its notes and timeline.
    Show {
        /// Report id.
        id: String,
    },
}

/// `iocdesk cases …`
#[derive(Debug, Subcommand)]
pub enum CasesCmd {
    /// List cases, soonest deadline first.
    List(CaseListArgs),
    /// Show one case with its reports, notes and timeline.
    Show {
        /// Case id.
        id: String,
    },
}

/// Filters shared by reports and cases.
#[derive(Debug, Args, Clone, Default)]
pub struct CommonFilters {
    /// Only these categories (comma-separated codes).
    #[arg(long, value_delimiter = ',')]
    pub category: Vec<String>,
    /// Only this ward: code, name or old name (`Phú Hội`, `phu hoi`, `thuan-hoa`).
    #[arg(long)]
    pub ward: Option<String>,
    /// Only cases handled by this agency (code, e.g. hepco).
    #[arg(long)]
    pub agency: Option<String>,
    /// Only overdue cases.
    #[arg(long)]
    pub overdue: bool,
    /// Free text, diacritics ignored (`dong ba` finds `Đông Ba`).
    #[arg(long)]
    pub query: Option<String>,
    /// Since a date (`2026-11-01`), a time (RFC 3339) or a duration ago (`7d`, `12h`).
    #[arg(long)]
    pub since: Option<String>,
    /// At most this many rows.
    #[arg(long, default_value_t = 50)]
    pub limit: usize,
    /// Skip this many rows.
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
}

/// `reports list` flags.
#[derive(Debug, Args, Clone, Default)]
pub struct ReportListArgs {
    /// Only these states: new, verified, rejected, duplicate (comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub status: Vec<String>,
    /// The shared filters.
    #[command(flatten)]
    pub filters: CommonFilters,
    /// Oldest first.
    #[arg(long)]
    pub oldest_first: bool,
}

/// `cases list` flags.
#[derive(Debug, Args, Clone, Default)]
pub struct CaseListArgs {
    /// Only these states: forwarded, acknowledged, in_progress, answered, returned, published, closed.
    #[arg(long, value_delimiter = ',')]
    pub status: Vec<String>,
    /// Only these priorities (P1..P4, comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub priority: Vec<String>,
    /// The shared filters.
    #[command(flatten)]
    pub filters: CommonFilters,
    /// Order: deadline, priority, newest, updated.
    #[arg(long, default_value = "deadline")]
    pub sort: String,
}

/// Parses `--since`: a date, an RFC 3339 time, or a duration ago.
pub fn parse_since(s: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>, Usage> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        let t = d.and_hms_opt(0, 0, 0).unwrap_or_default();
        return Ok(t
            .and_local_timezone(crate::domain::calendar::hue_offset())
            .single()
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or(now));
    }
    parse_duration(s).map(|d| now - d).map_err(|_| {
        Usage(format!(
            "--since '{s}': expected a date (2026-11-01), a time (RFC 3339) or a duration (7d, 12h, 30m)"
        ))
    })
}

/// Parses a duration like `7d`, `12h`, `30m`, `90s`, `2w`.
pub fn parse_duration(s: &str) -> Result<chrono::Duration, Usage> {
    let s = s.trim();
    let bad = || Usage(format!("'{s}' is not a duration (try 7d, 12h, 30m)"));
    let (num, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?);
    let n: i64 = num.parse().map_err(|_| bad())?;
    Ok(match unit {
        "s" => chrono::Duration::seconds(n),
        "m" | "min" => chrono::Duration::minutes(n),
        "h" => chrono::Duration::hours(n),
        "d" => chrono::Duration::days(n),
        "w" => chrono::Duration::weeks(n),
        _ => return Err(bad()),
    })
}

fn parse_list<T: std::str::FromStr<Err = String>>(flag: &str, v: &[String]) -> Result<Vec<T>, Usage> {
    v.iter()
        .filter(|s| !s.trim().is_empty())
        .map(|s| s.parse::<T>().map_err(|e| Usage(format!("--{flag}: {e}"))))
        .collect()
}

/// Resolves `--ward` to a ward code.
pub fn ward_code(w: &str) -> Result<String, Usage> {
    catalog::resolve_ward(w).map(|w| w.code.clone()).ok_or_else(|| {
        Usage(format!(
            "--ward '{w}': no such ward (try a name like 'Phú Xuân' or an old one like 'Phú Hội')"
        ))
    })
}

fn check_categories(c: &[String]) -> Result<Vec<String>, Usage> {
    for x in c {
        if catalog::category(x).is_none() {
            let all: Vec<&str> = catalog::CATEGORIES.iter().map(|c| c.code).collect();
            return Err(Usage(format!(
                "--category '{x}': unknown (expected one of: {})",
                all.join(", ")
            )));
        }
    }
    Ok(c.to_vec())
}

fn check_agency(a: &Option<String>) -> Result<Option<String>, Usage> {
    match a {
        Some(a) if catalog::agency(a).is_none() => Err(Usage(format!("--agency '{a}': unknown agency code"))),
        other => Ok(other.clone()),
    }
}

impl ReportListArgs {
    /// The store filter these flags describe.
    pub fn filter(&self) -> Result<ReportFilter, Usage> {
        let f = &self.filters;
        let now = Utc::now();
        Ok(ReportFilter {
            states: parse_list::<ReportState>("status", &self.status)?,
            categories: check_categories(&f.category)?,
            ward: f.ward.as_deref().map(ward_code).transpose()?,
            agency: check_agency(&f.agency)?,
            overdue: f.overdue,
            query: f.query.clone(),
            since: f.since.as_deref().map(|s| parse_since(s, now)).transpose()?,
            oldest_first: self.oldest_first,
            offset: f.offset,
            limit: f.limit,
            ..ReportFilter::default()
        })
    }
}

impl CaseListArgs {
    /// The store filter these flags describe.
    pub fn filter(&self) -> Result<CaseFilter, Usage> {
        let f = &self.filters;
        let now = Utc::now();
        Ok(CaseFilter {
            states: parse_list::<CaseState>("status", &self.status)?,
            priorities: parse_list::<Priority>("priority", &self.priority)?,
            categories: check_categories(&f.category)?,
            ward: f.ward.as_deref().map(ward_code).transpose()?,
            agency: check_agency(&f.agency)?,
            overdue: f.overdue,
            query: f.query.clone(),
            since: f.since.as_deref().map(|s| parse_since(s, now)).transpose()?,
            sort: self
                .sort
                .parse::<CaseSort>()
                .map_err(|e| Usage(format!("--sort: {e}")))?,
            offset: f.offset,
            limit: f.limit,
            ..CaseFilter::default()
        })
    }
}

impl Tabular for Report {
    fn headers() -> &'static [&'static str] {
        &["id", "received", "state", "category", "ward", "case", "text"]
    }
    fn cells(&self) -> Vec<String> {
        vec![
            self.id.clone(),
            local(self.received_at),
            self.state.to_string(),
            self.category.clone().unwrap_or_else(|| "-".into()),
            self.ward.clone().unwrap_or_else(|| "-".into()),
            self.case_id
                .clone()
                .or(self.duplicate_of.as_ref().map(|d| format!("={d}")))
                .unwrap_or_else(|| "-".into()),
            self.text.clone(),
        ]
    }
}

/// A case as printed: the record plus its overdue flag at print time.
#[derive(Debug, Serialize)]
pub struct CaseOut {
    /// The case.
    #[serde(flatten)]
    pub case: Case,
    /// Past its deadline while awaiting the unit.
    pub overdue: bool,
    /// Working time left (negative when overdue), for people.
    #[serde(skip)]
    pub left: String,
}

impl CaseOut {
    /// Wraps a case, computing the overdue flag at `now`.
    pub fn new(case: Case, now: DateTime<Utc>, cal: &Calendar) -> Self {
        let left = if case.state.awaits_unit() {
            countdown(cal, now, case.deadline)
        } else {
            "-".into()
        };
        CaseOut {
            overdue: case.is_overdue(now),
            case,
            left,
        }
    }
}

impl Tabular for CaseOut {
    fn headers() -> &'static [&'static str] {
        &[
            "id", "pri", "state", "category", "ward", "agencies", "deadline", "left", "claimed",
        ]
    }
    fn cells(&self) -> Vec<String> {
        let c = &self.case;
        vec![
            c.id.clone(),
            c.priority.to_string(),
            format!("{}{}", c.state, if self.overdue { " !" } else { "" }),
            c.category.clone(),
            c.ward.clone().unwrap_or_else(|| "-".into()),
            c.agencies.join(","),
            local(c.deadline),
            self.left.clone(),
            c.claimed_by.clone().unwrap_or_else(|| "-".into()),
        ]
    }
}

/// Runs `reports …`.
pub async fn reports(cmd: ReportsCmd, env: &Env) -> anyhow::Result<i32> {
    let ioc = env.ioc()?;
    let mut out = std::io::stdout().lock();
    match cmd {
        ReportsCmd::List(a) => {
            let items = ioc.reports(a.filter()?).await?;
            print_list(&items, env.global.output, &mut out)?;
        }
        ReportsCmd::Show { id } => {
            let d = ioc.report(&id).await?;
            match env.global.output {
                super::output::Format::Table => show_report_text(&d, &mut out)?,
                f => print_one(&d, f, &mut out)?,
            }
        }
    }
    Ok(0)
}

/// Runs `cases …`.
pub async fn cases(cmd: CasesCmd, env: &Env) -> anyhow::Result<i32> {
    let ioc = env.ioc()?;
    let cal = Calendar::vietnam();
    let now = Utc::now();
    let mut out = std::io::stdout().lock();
    match cmd {
        CasesCmd::List(a) => {
            let items: Vec<CaseOut> = ioc
                .cases(a.filter()?)
                .await?
                .into_iter()
                .map(|c| CaseOut::new(c, now, &cal))
                .collect();
            print_list(&items, env.global.output, &mut out)?;
        }
        CasesCmd::Show { id } => {
            let d = ioc.case(&id).await?;
            match env.global.output {
                super::output::Format::Table => show_case_text(&d, now, &cal, &mut out)?,
                f => {
                    #[derive(Serialize)]
                    struct Out<'a> {
                        #[serde(flatten)]
                        case: CaseOut,
                        reports: &'a [Report],
                        notes: &'a [crate::domain::Note],
                        timeline: &'a [crate::domain::Event],
                    }
                    let o = Out {
                        case: CaseOut::new(d.case.clone(), now, &cal),
                        reports: &d.reports,
                        notes: &d.notes,
                        timeline: &d.timeline,
                    };
                    print_one(&o, f, &mut out)?
                }
            }
        }
    }
    Ok(0)
}

use crate::domain::text::sanitize;
use std::io::Write;

fn show_report_text(d: &crate::ioc::ReportDetail, out: &mut dyn Write) -> std::io::Result<()> {
    let r = &d.report;
    writeln!(out, "{}  {}  {}", r.id, r.state, local(r.received_at))?;
    writeln!(out, "channel   {}", r.channel)?;
    writeln!(out, "category  {}", r.category.as_deref().unwrap_or("-"))?;
    if let Some(s) = &r.suggested_category {
        writeln!(
            out,
            "suggested {} ({:.0}%)",
            s,
            r.suggested_confidence.unwrap_or(0.0) * 100.0
        )?;
        // Why: the words that weighed most toward the built-in model's choice for this text.
        let why = crate::triage::Classifier::builtin().suggest(&r.text);
        if why.category == *s && !why.explanation.is_empty() {
            let words: Vec<String> = why
                .explanation
                .iter()
                .map(|(f, w)| format!("{} {w:+.2}", f.trim_start_matches('~')))
                .collect();
            writeln!(out, "because   {}", words.join(", "))?;
        }
    }
    let ward = r
        .ward
        .as_deref()
        .and_then(catalog::ward)
        .map(|w| w.name.as_str())
        .unwrap_or("-");
    writeln!(out, "ward      {ward}")?;
    if let (Some(a), Some(b)) = (r.lat, r.lon) {
        writeln!(out, "location  {a:.5}, {b:.5}")?;
    }
    if let Some(a) = &r.address {
        writeln!(out, "address   {}", sanitize(a))?;
    }
    if let Some(c) = &r.case_id {
        writeln!(out, "case      {c}")?;
    }
    if let Some(m) = &r.duplicate_of {
        writeln!(out, "duplicate of {m}")?;
    }
    writeln!(out, "\n{}\n", sanitize(&r.text))?;
    print_timeline(&d.timeline, &d.notes, out)
}

fn show_case_text(
    d: &crate::ioc::CaseDetail,
    now: DateTime<Utc>,
    cal: &Calendar,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let c = &d.case;
    let o = CaseOut::new(c.clone(), now, cal);
    writeln!(
        out,
        "{}  {}  {}{}",
        c.id,
        c.priority,
        c.state,
        if o.overdue { "  OVERDUE" } else { "" }
    )?;
    writeln!(out, "category  {}", c.category)?;
    writeln!(out, "agencies  {}", c.agencies.join(", "))?;
    writeln!(out, "deadline  {} ({})", local(c.deadline), o.left)?;
    if let Some(v) = c.verdict {
        writeln!(out, "verdict   {v}")?;
    }
    if let Some(by) = &c.claimed_by {
        writeln!(out, "claimed   {by}")?;
    }
    for r in &d.reports {
        writeln!(out, "\n{} {}: {}", r.id, r.state, sanitize(&r.text))?;
    }
    if let Some(a) = &c.answer {
        writeln!(out, "\nanswer: {}", sanitize(a))?;
    }
    writeln!(out)?;
    print_timeline(&d.timeline, &d.notes, out)
}

fn print_timeline(
    t: &[crate::domain::Event],
    notes: &[crate::domain::Note],
    out: &mut dyn Write,
) -> std::io::Result<()> {
    writeln!(out, "timeline:")?;
    for e in t {
        writeln!(
            out,
            "  {}  {:<18} {}  {}",
            local(e.at),
            e.data.kind(),
            sanitize(&e.actor),
            e.data.subject()
        )?;
    }
    if !notes.is_empty() {
        writeln!(out, "notes:")?;
        for n in notes {
            writeln!(out, "  {}  {}: {}", local(n.at), sanitize(&n.actor), sanitize(&n.text))?;
        }
    }
    Ok(())
}
