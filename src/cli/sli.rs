//! `sli`: service levels per agency and overall, camera availability per site, and the SLOs of
//! the config file with their error budget and burn-rate alerts.

use super::Env;
use super::output::{Format, print_one, print_table};
use crate::domain::sli::{Indicators, SliReport};
use clap::Args;

/// `sli` flags.
#[derive(Debug, Args)]
pub struct SliArgs {
    /// The window before now: `30d`, `7d`, `24h`.
    #[arg(long, default_value = "30d")]
    pub window: String,
    /// Also act on the burn-rate alerts, as `serve` and the desk do every minute: raise a case
    /// for each SLO whose alerts fire, close the case of each whose alerts stopped.
    #[arg(long)]
    pub raise: bool,
}

fn pct(x: Option<f64>) -> String {
    x.map(|v| format!("{:.1}%", v * 100.0)).unwrap_or_else(|| "-".into())
}

fn hours(x: Option<f64>) -> String {
    x.map(|v| format!("{v:.1}")).unwrap_or_else(|| "-".into())
}

fn row(name: &str, i: &Indicators) -> Vec<String> {
    vec![
        name.to_string(),
        i.answered.to_string(),
        pct(i.on_time_strict),
        pct(i.on_time_extended),
        hours(i.ack_hours_p50),
        hours(i.ack_hours_p90),
        hours(i.answer_hours_p50),
        hours(i.answer_hours_p90),
        i.backlog.to_string(),
        i.overdue.to_string(),
        pct(i.satisfaction),
    ]
}

const HEADERS: &[&str] = &[
    "agency",
    "answered",
    "on_time",
    "with_ext",
    "ack_p50_h",
    "ack_p90_h",
    "ans_p50_h",
    "ans_p90_h",
    "backlog",
    "overdue",
    "satisfied",
];

/// Runs `sli`.
pub async fn run(a: SliArgs, env: &Env) -> anyhow::Result<i32> {
    crate::domain::sli::parse_window(&a.window).map_err(super::Usage)?;
    let ioc = env.ioc()?;
    let r = ioc.sli(&a.window, env.file.slo.clone()).await?;
    if a.raise {
        let n =
            crate::watch::check_slos(&crate::watch::as_system(&ioc, crate::watch::SLO_ACTOR), &env.file.slo).await?;
        if !env.global.quiet {
            eprintln!("iocdesk: {n} alert case(s) raised or closed");
        }
    }
    let out = &mut std::io::stdout().lock();
    match env.global.output {
        Format::Json | Format::Ndjson => print_one(&r, env.global.output, out)?,
        Format::Csv => {
            let mut w = csv::Writer::from_writer(out);
            w.write_record(HEADERS)?;
            w.write_record(row("all", &r.overall))?;
            for (k, v) in &r.agencies {
                w.write_record(row(k, v))?;
            }
            w.flush()?;
        }
        Format::Table => table(&r, out)?,
    }
    Ok(0)
}

fn table(r: &SliReport, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    writeln!(
        out,
        "Service levels {} → {}   verified share {}",
        super::output::local(r.from),
        super::output::local(r.to),
        pct(r.verified_share)
    )?;
    let mut rows = vec![row("all", &r.overall)];
    rows.extend(r.agencies.iter().map(|(k, v)| row(k, v)));
    print_table(HEADERS, &rows, out)?;
    if !r.camera_sites.is_empty() {
        writeln!(out)?;
        let rows: Vec<Vec<String>> = r
            .camera_sites
            .iter()
            .map(|s| vec![s.site.clone(), s.cameras.to_string(), pct(s.availability)])
            .collect();
        print_table(&["site", "cameras", "availability"], &rows, out)?;
    }
    if !r.slos.is_empty() {
        writeln!(out)?;
        let rows: Vec<Vec<String>> = r
            .slos
            .iter()
            .map(|s| {
                let alerts: Vec<String> = s
                    .alerts
                    .iter()
                    .map(|a| format!("{} {}x {}/{}", a.severity, a.factor, a.long_window, a.short_window))
                    .collect();
                vec![
                    s.indicator.clone(),
                    pct(Some(s.target)),
                    s.window.clone(),
                    pct(s.actual),
                    pct(s.error_budget_remaining),
                    if alerts.is_empty() {
                        "-".into()
                    } else {
                        alerts.join(", ")
                    },
                ]
            })
            .collect();
        print_table(
            &["slo", "target", "window", "actual", "budget_left", "alerts"],
            &rows,
            out,
        )?;
    }
    Ok(())
}
