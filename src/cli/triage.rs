//! `iocdesk triage`: what an officer does row by row, in one command — plus `triage eval`.

use super::list::{CommonFilters, parse_duration, ward_code};
use super::output::Format;
use super::{Env, Usage};
use crate::domain::query::ReportFilter;
use crate::domain::{Command, Envelope, Priority, RejectReason, Report, ReportState};
use crate::ioc::{Ioc, IocError};
use chrono::Utc;
use clap::{Args, Subcommand};
use serde::Serialize;
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;

/// `iocdesk triage …`
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct TriageArgs {
    /// `eval` or `export-labels`; without one, the batch actions below.
    #[command(subcommand)]
    pub sub: Option<TriageSub>,
    /// Which reports, and what to do with them.
    #[command(flatten)]
    pub batch: BatchArgs,
}

/// Triage subcommands.
#[derive(Debug, Subcommand)]
pub enum TriageSub {
    /// Measure the category suggestions against a labelled NDJSON file
    /// (`{"id", "text", "ward", "lat", "lon", "category"}` per line).
    Eval {
        /// The labelled file.
        file: PathBuf,
    },
    /// Write NDJSON `{"id", "text", "suggested", "category"}` for every report an officer
    /// confirmed with a category other than the suggestion (local store only).
    ExportLabels,
}

/// Filters and actions of a batch.
#[derive(Debug, Args, Default)]
pub struct BatchArgs {
    /// Only these states (comma-separated): new, verified, rejected, duplicate.
    #[arg(long, value_delimiter = ',')]
    pub status: Vec<String>,
    /// The filters of `reports list`.
    #[command(flatten)]
    pub filters: CommonFilters,
    /// Only reports received longer ago than this (`2h`, `3d`).
    #[arg(long, value_name = "DURATION")]
    pub older_than: Option<String>,
    /// Only reports not in a case and not merged.
    #[arg(long)]
    pub unassigned: bool,
    /// Only these ids, one per line, from a file or `-` for stdin.
    #[arg(long, value_name = "FILE|-")]
    pub ids: Option<PathBuf>,
    /// Verify new reports (their own or suggested category).
    #[arg(long)]
    pub verify: bool,
    /// Reject new reports with this reason (invalid, out_of_scope, insufficient_info, spam, already_resolved).
    #[arg(long, value_name = "REASON")]
    pub reject: Option<String>,
    /// Forward to these agencies (comma-separated codes); verified reports only.
    #[arg(long, value_delimiter = ',', value_name = "AGENCY[,AGENCY…]")]
    pub forward: Vec<String>,
    /// Set the case priority (P1..P4).
    #[arg(long, value_name = "P1..P4")]
    pub priority: Option<String>,
    /// Merge each new report into the oldest open report of its category within 250 m and 7 days.
    #[arg(long)]
    pub merge_duplicates: bool,
    /// Add this note.
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
    /// Apply the suggested category (and so the agency) to reports above --min-confidence.
    #[arg(long)]
    pub auto: bool,
    /// The confidence --auto needs.
    #[arg(long, default_value_t = 0.9, value_name = "X")]
    pub min_confidence: f64,
    /// Print exactly the changes that would be made, and change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Do it without asking (required when not on a terminal).
    #[arg(long, short = 'y')]
    pub yes: bool,
}

/// One report's outcome.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    /// Report id.
    pub id: String,
    /// The actions planned, joined with `+` (e.g. `verify+forward`), or `none`.
    pub action: String,
    /// `changed`, `would_change` (dry run), `unchanged`, `conflict` or `error: …`.
    pub result: String,
}

/// The totals.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Summary {
    /// Reports matched by the filters.
    pub matched: u64,
    /// Reports changed (or that would be, in a dry run).
    pub changed: u64,
    /// Reports left as they were.
    pub unchanged: u64,
    /// Reports someone else changed first.
    pub conflicts: u64,
    /// Reports whose actions were refused.
    pub errors: u64,
}

/// The validated actions.
struct Plan {
    verify: bool,
    reject: Option<RejectReason>,
    forward: Vec<String>,
    priority: Option<Priority>,
    merge: bool,
    note: Option<String>,
    auto: Option<f64>,
}

impl BatchArgs {
    fn plan(&self) -> Result<Plan, Usage> {
        let reject = self
            .reject
            .as_deref()
            .map(|r| r.parse::<RejectReason>().map_err(|e| Usage(format!("--reject: {e}"))))
            .transpose()?;
        let priority = self
            .priority
            .as_deref()
            .map(|p| p.parse::<Priority>().map_err(|e| Usage(format!("--priority: {e}"))))
            .transpose()?;
        for a in &self.forward {
            if crate::domain::catalog::agency(a).is_none() {
                return Err(Usage(format!("--forward '{a}': unknown agency code")));
            }
        }
        if reject.is_some() && (self.verify || !self.forward.is_empty() || self.auto) {
            return Err(Usage(
                "--reject cannot be combined with --verify, --forward or --auto".into(),
            ));
        }
        if !(0.0..=1.0).contains(&self.min_confidence) {
            return Err(Usage("--min-confidence is between 0 and 1".into()));
        }
        let plan = Plan {
            verify: self.verify,
            reject,
            forward: self.forward.clone(),
            priority,
            merge: self.merge_duplicates,
            note: self.note.clone().filter(|n| !n.trim().is_empty()),
            auto: self.auto.then_some(self.min_confidence),
        };
        if !plan.verify
            && plan.reject.is_none()
            && plan.forward.is_empty()
            && plan.priority.is_none()
            && !plan.merge
            && plan.note.is_none()
            && plan.auto.is_none()
        {
            return Err(Usage("no action: give --verify, --reject, --forward, --priority, --merge-duplicates, --note or --auto (see --help)".into()));
        }
        Ok(plan)
    }

    fn filter(&self) -> Result<ReportFilter, Usage> {
        let args = super::list::ReportListArgs {
            status: self.status.clone(),
            filters: self.filters.clone(),
            oldest_first: true,
        };
        let mut f = args.filter()?;
        if let Some(d) = &self.older_than {
            f.until = Some(Utc::now() - parse_duration(d)?);
        }
        f.unassigned = self.unassigned;
        if let Some(w) = &self.filters.ward {
            f.ward = Some(ward_code(w)?);
        }
        f.oldest_first = true;
        // --limit caps the batch only when given; a batch takes every match by default.
        if self.filters.limit == 50 {
            f.limit = crate::domain::query::MAX_PAGE;
        }
        Ok(f)
    }
}

/// The commands one report needs, in order, and their names.
async fn commands_for(ioc: &Ioc, r: &Report, p: &Plan) -> Result<(Vec<Command>, Vec<&'static str>), IocError> {
    let mut cmds = Vec::new();
    let mut names = Vec::new();
    let id = r.id.clone();
    let mut state = r.state;
    let mut has_case = r.case_id.is_some();
    if p.merge && state == ReportState::New {
        let cat = r.category.clone().or(r.suggested_category.clone());
        if let (Some(cat), Some(lat), Some(lon)) = (cat, r.lat, r.lon)
            && let Some(m) = ioc.find_master(&cat, lat, lon, r.received_at, &r.id, 250.0, 7).await?
        {
            cmds.push(Command::MergeReport {
                id: id.clone(),
                master: m.id,
            });
            names.push("merge");
            state = ReportState::Duplicate;
        }
    }
    if let Some(min) = p.auto
        && state == ReportState::New
        && let (Some(cat), Some(conf)) = (&r.suggested_category, r.suggested_confidence)
        && conf >= min
    {
        if cat == "invalid" {
            cmds.push(Command::RejectReport {
                id: id.clone(),
                reason: RejectReason::Invalid,
            });
            names.push("reject");
            state = ReportState::Rejected;
        } else {
            cmds.push(Command::VerifyReport {
                id: id.clone(),
                category: Some(cat.clone()),
            });
            cmds.push(Command::Forward {
                report_id: id.clone(),
                agencies: Vec::new(),
                priority: p.priority,
            });
            names.extend(["verify", "forward"]);
            state = ReportState::Verified;
            has_case = true;
        }
    }
    if let Some(reason) = p.reject
        && state == ReportState::New
    {
        cmds.push(Command::RejectReport { id: id.clone(), reason });
        names.push("reject");
        state = ReportState::Rejected;
    }
    if p.verify && state == ReportState::New {
        cmds.push(Command::VerifyReport {
            id: id.clone(),
            category: None,
        });
        names.push("verify");
        state = ReportState::Verified;
    }
    let mut priority_done = false;
    if !p.forward.is_empty() && state == ReportState::Verified {
        if !has_case {
            cmds.push(Command::Forward {
                report_id: id.clone(),
                agencies: p.forward.clone(),
                priority: p.priority,
            });
            names.push("forward");
            has_case = true;
            priority_done = p.priority.is_some();
        } else if let Some(c) = &r.case_id {
            let case = ioc.case(c).await?.case;
            let missing: Vec<String> = p
                .forward
                .iter()
                .filter(|a| !case.agencies.contains(a))
                .cloned()
                .collect();
            if !missing.is_empty() {
                cmds.push(Command::AddAgencies {
                    case_id: c.clone(),
                    agencies: missing,
                });
                names.push("forward");
            }
        }
    }
    if let (Some(pri), false) = (p.priority, priority_done)
        && let Some(c) = &r.case_id
        && ioc.case(c).await?.case.priority != pri
    {
        cmds.push(Command::SetPriority {
            case_id: c.clone(),
            priority: pri,
        });
        names.push("priority");
    }
    let _ = has_case;
    if let Some(text) = &p.note {
        let subject = r.case_id.clone().unwrap_or(id.clone());
        let notes = if r.case_id.is_some() {
            ioc.case(&subject).await?.notes
        } else {
            ioc.report(&subject).await?.notes
        };
        if !notes.iter().any(|n| n.text == *text) {
            cmds.push(Command::AddNote {
                subject,
                text: text.clone(),
            });
            names.push("note");
        }
    }
    Ok((cmds, names))
}

/// Reads ids from a file or stdin, one per line.
fn read_ids(path: &std::path::Path) -> anyhow::Result<Vec<String>> {
    let lines: Vec<String> = if path.as_os_str() == "-" {
        std::io::stdin().lock().lines().collect::<Result<_, _>>()?
    } else {
        std::fs::read_to_string(path)
            .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?
            .lines()
            .map(str::to_string)
            .collect()
    };
    Ok(lines
        .into_iter()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect())
}

/// Runs `triage`.
pub async fn run(a: TriageArgs, env: &Env) -> anyhow::Result<i32> {
    match a.sub {
        Some(TriageSub::Eval { file }) => eval(&file, env),
        Some(TriageSub::ExportLabels) => export_labels(env),
        None => batch(a.batch, env).await,
    }
}

async fn batch(b: BatchArgs, env: &Env) -> anyhow::Result<i32> {
    let plan = b.plan()?;
    let mut filter = b.filter()?;
    if let Some(p) = &b.ids {
        filter.ids = read_ids(p)?;
        if filter.ids.is_empty() {
            return Err(Usage("--ids: no ids given".into()).into());
        }
    }
    let ioc = env.ioc()?;
    let format = env.global.output;
    // Off a terminal nothing changes without --yes; on one, the dry run is shown and confirmed.
    let interactive = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    let mut dry = b.dry_run;
    if !dry && !b.yes {
        if !interactive {
            eprintln!(
                "iocdesk: refusing to change reports without --yes (not a terminal); try --dry-run to see the changes"
            );
            return Ok(2);
        }
        let preview = pass(&ioc, &filter, &plan, true, Format::Table, true).await?;
        if preview.changed == 0 {
            print_summary(&preview, true);
            return Ok(0);
        }
        eprint!("apply these changes to {} report(s)? [y/N] ", preview.changed);
        std::io::stderr().flush()?;
        let mut answer = String::new();
        std::io::stdin().lock().read_line(&mut answer)?;
        if !matches!(answer.trim(), "y" | "Y" | "yes" | "có" | "co") {
            eprintln!("nothing changed");
            return Ok(0);
        }
        dry = false;
    }
    let sum = pass(&ioc, &filter, &plan, dry, format, false).await?;
    if !env.global.quiet && matches!(format, Format::Table | Format::Csv) {
        print_summary(&sum, dry);
    } else if !env.global.quiet && format == Format::Ndjson {
        eprintln!(
            "matched {}, changed {}, unchanged {}, conflicts {}, errors {}",
            sum.matched, sum.changed, sum.unchanged, sum.conflicts, sum.errors
        );
    }
    Ok(if sum.conflicts > 0 { 4 } else { 0 })
}

fn print_summary(s: &Summary, dry: bool) {
    let verb = if dry { "would change" } else { "changed" };
    eprintln!(
        "matched {}, {verb} {}, unchanged {}, conflicts {}, errors {}",
        s.matched, s.changed, s.unchanged, s.conflicts, s.errors
    );
}

/// One pass over the matching reports, in pages of 1,000, oldest first. Items are written as
/// they are decided (streamed); with `preview` they go to stderr as a table.
async fn pass(
    ioc: &Ioc,
    filter: &ReportFilter,
    plan: &Plan,
    dry: bool,
    format: Format,
    preview: bool,
) -> anyhow::Result<Summary> {
    let mut sum = Summary::default();
    let stdout = std::io::stdout();
    let mut out: Box<dyn Write> = if preview {
        Box::new(std::io::stderr())
    } else {
        Box::new(std::io::BufWriter::new(stdout.lock()))
    };
    if format == Format::Json {
        write!(out, "{{\"items\":[")?;
    }
    let mut first = true;
    let mut left = filter.limit;
    // Long id lists go in chunks: SQL and URLs both have limits.
    let chunks: Vec<Vec<String>> = if filter.ids.is_empty() {
        vec![Vec::new()]
    } else {
        filter.ids.chunks(500).map(<[String]>::to_vec).collect()
    };
    'chunks: for ids in chunks {
        let mut page = filter.clone();
        page.ids = ids;
        page.limit = 1000;
        page.offset = 0;
        loop {
            // Keyset paging on (received_at, id): rows that stop matching after a change do not
            // shift later pages, and memory stays flat with the count.
            let rows = ioc.reports(page.clone()).await?;
            if rows.is_empty() {
                break;
            }
            page.after = rows.last().map(|r| (r.received_at, r.id.clone()));
            let rows: Vec<Report> = rows.into_iter().take(left).collect();
            left -= rows.len();
            let mut groups = Vec::with_capacity(rows.len());
            let mut names = Vec::with_capacity(rows.len());
            for r in &rows {
                let (cmds, n) = commands_for(ioc, r, plan).await?;
                let mut envs: Vec<Envelope> = cmds.into_iter().map(Envelope::from).collect();
                if let Some(e) = envs.first_mut() {
                    e.expected_version = Some(r.version);
                }
                groups.push(envs);
                names.push(n);
            }
            let results = ioc.execute_groups(groups.clone(), dry).await?;
            for ((r, n), (g, res)) in rows.iter().zip(names).zip(groups.iter().zip(results)) {
                sum.matched += 1;
                let result = match res {
                    _ if g.is_empty() => {
                        sum.unchanged += 1;
                        "unchanged".to_string()
                    }
                    Ok(ev) if ev.is_empty() => {
                        sum.unchanged += 1;
                        "unchanged".to_string()
                    }
                    Ok(_) => {
                        sum.changed += 1;
                        if dry {
                            "would_change".to_string()
                        } else {
                            "changed".to_string()
                        }
                    }
                    Err(IocError::Conflict { .. }) => {
                        sum.conflicts += 1;
                        "conflict".to_string()
                    }
                    Err(e) => {
                        sum.errors += 1;
                        format!("error: {e}")
                    }
                };
                let item = Item {
                    id: r.id.clone(),
                    action: if n.is_empty() { "none".into() } else { n.join("+") },
                    result,
                };
                match format {
                    Format::Json => {
                        if !first {
                            write!(out, ",")?;
                        }
                        serde_json::to_writer(&mut out, &item)?;
                    }
                    Format::Ndjson => {
                        serde_json::to_writer(&mut out, &item)?;
                        writeln!(out)?;
                    }
                    Format::Table | Format::Csv => {
                        if item.result != "unchanged" {
                            writeln!(
                                out,
                                "{}  {:<22} {}",
                                item.id,
                                item.action,
                                crate::domain::text::sanitize(&item.result)
                            )?;
                        }
                    }
                }
                first = false;
            }
            if left == 0 {
                break 'chunks;
            }
        }
    }
    if format == Format::Json {
        let s = serde_json::to_value(&sum)?;
        let tail = serde_json::to_string(&s)?;
        // Close the items array, then the counts as the object's other keys.
        write!(out, "],{}", &tail[1..])?;
        writeln!(out)?;
    }
    out.flush()?;
    Ok(sum)
}

/// `triage export-labels`: the officers' corrections as labelled examples.
fn export_labels(env: &Env) -> anyhow::Result<i32> {
    let store = env.local_ioc()?;
    let mut out = std::io::stdout().lock();
    for r in store.relabelled()? {
        match writeln!(out, "{}", serde_json::to_string(&r)?) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => break,
            other => other?,
        }
    }
    Ok(0)
}

fn eval(file: &std::path::Path, env: &Env) -> anyhow::Result<i32> {
    let text = std::fs::read_to_string(file).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    let mut items = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value =
            serde_json::from_str(line).map_err(|e| anyhow::anyhow!("line {}: malformed JSON: {e}", i + 1))?;
        let field = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_string);
        let (Some(text), Some(category)) = (field("text"), field("category")) else {
            anyhow::bail!("line {}: text and category are required", i + 1);
        };
        items.push((field("id").unwrap_or_else(|| format!("line-{}", i + 1)), text, category));
    }
    let e = crate::triage::evaluate(crate::triage::Classifier::builtin(), &items);
    match env.global.output {
        Format::Json | Format::Ndjson => println!("{}", serde_json::to_string(&e)?),
        _ => {
            println!("n {}  accuracy {:.3}", e.n, e.accuracy);
            for (t, s) in &e.at_confidence {
                println!(
                    "confidence ≥ {t}: coverage {:.3}, precision {:.3}",
                    s.coverage, s.precision
                );
            }
            for (c, s) in &e.per_category {
                println!(
                    "{c:<18} precision {:.3}  recall {:.3}  support {}",
                    s.precision, s.recall, s.support
                );
            }
        }
    }
    Ok(0)
}
