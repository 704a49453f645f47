//! `iocdesk report daily|weekly|monthly`: the digital report, from the data itself.

use super::{Env, Usage};
use crate::domain::calendar::{hue_offset, local_date};
use crate::domain::catalog;
use crate::domain::digest::PeriodReport;
use chrono::{Datelike, Duration, NaiveDate, TimeZone, Utc};
use clap::{Args, ValueEnum};
use std::fmt::Write as _;

/// The length of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Period {
    /// One day.
    Daily,
    /// The ISO week (Monday to Sunday) holding the date.
    Weekly,
    /// The calendar month holding the date.
    Monthly,
}

/// `report` flags.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// daily, weekly or monthly.
    #[arg(value_enum)]
    pub period: Period,
    /// A Huế date in the period (default: yesterday).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<NaiveDate>,
    /// md (Markdown), csv or json.
    #[arg(long, default_value = "md", value_parser = ["md", "csv", "json"])]
    pub format: String,
}

/// The Huế-local bounds `[start, end)` of the period holding `d`.
pub fn bounds(p: Period, d: NaiveDate) -> Result<(NaiveDate, NaiveDate), Usage> {
    let bad = || Usage(format!("no such period around {d}"));
    Ok(match p {
        Period::Daily => (d, d.succ_opt().ok_or_else(bad)?),
        Period::Weekly => {
            let start = d - Duration::days(i64::from(d.weekday().num_days_from_monday()));
            (start, start + Duration::days(7))
        }
        Period::Monthly => {
            let start = d.with_day(1).ok_or_else(bad)?;
            let next = if start.month() == 12 {
                NaiveDate::from_ymd_opt(start.year() + 1, 1, 1)
            } else {
                NaiveDate::from_ymd_opt(start.year(), start.month() + 1, 1)
            };
            (start, next.ok_or_else(bad)?)
        }
    })
}

fn midnight(d: NaiveDate) -> chrono::DateTime<Utc> {
    hue_offset()
        .from_local_datetime(&d.and_hms_opt(0, 0, 0).unwrap_or_default())
        .single()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_default()
}

/// Runs `report`.
pub async fn run(a: ReportArgs, env: &Env) -> anyhow::Result<i32> {
    let date = a.date.unwrap_or_else(|| local_date(Utc::now()) - Duration::days(1));
    let (start, end) = bounds(a.period, date)?;
    let name = format!("{:?}", a.period).to_lowercase();
    let r = env.ioc()?.period_report(&name, midnight(start), midnight(end)).await?;
    let text = match a.format.as_str() {
        "json" => serde_json::to_string_pretty(&r)? + "\n",
        "csv" => csv(&r)?,
        _ => markdown(&r, start, end),
    };
    print!("{text}");
    Ok(0)
}

fn pct(x: Option<f64>) -> String {
    x.map(|v| format!("{:.1}%", v * 100.0)).unwrap_or_else(|| "–".into())
}

fn ward_name(code: &str) -> String {
    catalog::ward(code)
        .map(|w| w.name.clone())
        .unwrap_or_else(|| code.to_string())
}

fn category_name(code: &str) -> String {
    catalog::category(code)
        .map(|c| format!("{} ({code})", c.name_vi))
        .unwrap_or_else(|| code.to_string())
}

/// The report as Markdown: headings, short tables, no colour — readable raw in a terminal and
/// rendered in a browser.
pub fn markdown(r: &PeriodReport, start: NaiveDate, end: NaiveDate) -> String {
    let mut s = String::new();
    let last = end - Duration::days(1);
    let span = if start == last {
        start.format("%d/%m/%Y").to_string()
    } else {
        format!("{} – {}", start.format("%d/%m/%Y"), last.format("%d/%m/%Y"))
    };
    let title = match r.period.as_str() {
        "weekly" => "Báo cáo tuần",
        "monthly" => "Báo cáo tháng",
        _ => "Báo cáo ngày",
    };
    let _ = writeln!(s, "# {title} – phản ánh hiện trường, {span}\n");
    let _ = writeln!(
        s,
        "Period {span} (Huế time, UTC+7). Figures are computed from the IOC event log.\n"
    );
    let _ = writeln!(s, "## Summary\n");
    let _ = writeln!(s, "| Figure | Value |\n|---|---:|");
    let _ = writeln!(s, "| Reports received | {} |", r.received);
    let _ = writeln!(s, "| Passed verification | {} |", pct(r.verified_share));
    let _ = writeln!(s, "| Cases forwarded | {} |", r.cases_opened);
    let _ = writeln!(
        s,
        "| Of which answered | {} ({}) |",
        r.cases_answered,
        pct(r.processed_share)
    );
    let hours = |x: Option<f64>| x.map(|h| format!("{h:.1} h")).unwrap_or_else(|| "–".into());
    let _ = writeln!(s, "| Time to answer, median | {} |", hours(r.answer_hours_p50));
    let _ = writeln!(s, "| Time to answer, 90th percentile | {} |", hours(r.answer_hours_p90));
    let _ = writeln!(s, "| Ratings | {} |", r.ratings);
    let _ = writeln!(s, "| Satisfied (4–5 of 5) | {} |\n", pct(r.satisfaction));
    let _ = writeln!(s, "## Intake by category\n");
    let _ = writeln!(s, "| Category | Reports |\n|---|---:|");
    for t in &r.by_category {
        let _ = writeln!(s, "| {} | {} |", category_name(&t.name), t.count);
    }
    let _ = writeln!(s, "\n## Intake by ward\n");
    let _ = writeln!(s, "| Ward | Reports |\n|---|---:|");
    for t in &r.by_ward {
        let _ = writeln!(s, "| {} | {} |", ward_name(&t.name), t.count);
    }
    let _ = writeln!(s, "\n## Agencies\n");
    let _ = writeln!(
        s,
        "On time (strict) counts answers by the original deadline; with extension also counts answers within an extension approved before the deadline. Overdue: open past the deadline at the end of the period.\n"
    );
    let _ = writeln!(
        s,
        "| Agency | Forwarded | Answered | On time (strict) | With extension | Late | Overdue |\n|---|---:|---:|---:|---:|---:|---:|"
    );
    for a in &r.agencies {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} | {} |",
            a.agency,
            a.received,
            a.answered,
            pct(a.on_time_rate),
            pct(a.on_time_rate_with_extension),
            a.late,
            a.overdue
        );
    }
    let _ = writeln!(s, "\n## Most overdue cases\n");
    if r.most_overdue.is_empty() {
        let _ = writeln!(s, "None.");
    } else {
        let _ = writeln!(
            s,
            "| Case | Category | Ward | Agencies | Deadline | Days over |\n|---|---|---|---|---|---:|"
        );
        for c in &r.most_overdue {
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} | {:.1} |",
                c.id,
                c.category,
                c.ward.as_deref().map(ward_name).unwrap_or_else(|| "–".into()),
                c.agencies.join(", "),
                super::output::local(c.deadline),
                c.days_overdue
            );
        }
    }
    let _ = writeln!(s, "\n## Camera availability\n");
    let _ = writeln!(s, "| Site | Cameras | Online |\n|---|---:|---:|");
    for c in &r.cameras {
        let _ = writeln!(s, "| {} | {} | {} |", c.site, c.cameras, pct(c.availability));
    }
    s
}

/// The report as CSV in long form: `section,name,metric,value`.
pub fn csv(r: &PeriodReport) -> anyhow::Result<String> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    w.write_record(["section", "name", "metric", "value"])?;
    let opt = |x: Option<f64>| x.map(|v| format!("{v:.4}")).unwrap_or_default();
    let mut row = |a: &str, b: &str, c: &str, d: String| w.write_record([a, b, c, &d]);
    row("summary", "", "received", r.received.to_string())?;
    row("summary", "", "verified_share", opt(r.verified_share))?;
    row("summary", "", "cases_opened", r.cases_opened.to_string())?;
    row("summary", "", "cases_answered", r.cases_answered.to_string())?;
    row("summary", "", "processed_share", opt(r.processed_share))?;
    row("summary", "", "answer_hours_p50", opt(r.answer_hours_p50))?;
    row("summary", "", "answer_hours_p90", opt(r.answer_hours_p90))?;
    row("summary", "", "ratings", r.ratings.to_string())?;
    row("summary", "", "satisfaction", opt(r.satisfaction))?;
    for t in &r.by_category {
        row("category", &t.name, "reports", t.count.to_string())?;
    }
    for t in &r.by_ward {
        row("ward", &t.name, "reports", t.count.to_string())?;
    }
    for a in &r.agencies {
        row("agency", &a.agency, "forwarded", a.received.to_string())?;
        row("agency", &a.agency, "answered", a.answered.to_string())?;
        row("agency", &a.agency, "on_time_rate", opt(a.on_time_rate))?;
        row(
            "agency",
            &a.agency,
            "on_time_rate_with_extension",
            opt(a.on_time_rate_with_extension),
        )?;
        row("agency", &a.agency, "late", a.late.to_string())?;
        row("agency", &a.agency, "overdue", a.overdue.to_string())?;
    }
    for c in &r.most_overdue {
        row("overdue", &c.id, "days_overdue", format!("{:.1}", c.days_overdue))?;
    }
    for c in &r.cameras {
        row("camera_site", &c.site, "availability", opt(c.availability))?;
    }
    Ok(String::from_utf8(w.into_inner()?)?)
}
