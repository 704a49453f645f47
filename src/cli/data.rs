//! `import` and `export`: NDJSON reports in, NDJSON or CSV out.

use super::Env;
use super::list::ReportListArgs;
use crate::domain::lifecycle::validate_new_report;
use crate::domain::{Channel, NewReport, Report, Reporter};
use crate::ioc::IocError;
use chrono::{DateTime, Utc};
use clap::Args;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;

/// `import` flags.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// NDJSON file of reports, `-` for stdin.
    pub file: PathBuf,
    /// Keep the good lines and list the skipped ones, instead of refusing the whole file.
    #[arg(long)]
    pub skip_invalid: bool,
    /// Check the file and report problems without importing anything.
    #[arg(long)]
    pub dry_run: bool,
}

/// `export` flags.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// ndjson or csv.
    #[arg(long, default_value = "ndjson", value_parser = ["ndjson", "csv"])]
    pub format: String,
    /// Filters, as for `reports list` (the limit defaults to everything).
    #[command(flatten)]
    pub filter: ReportListArgs,
}

/// One exported report: the report as received, with its confirmed category.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ExportRow {
    /// Id.
    pub id: String,
    /// Receipt time.
    pub received_at: DateTime<Utc>,
    /// Channel.
    pub channel: Channel,
    /// Text.
    pub text: String,
    /// Category.
    pub category: Option<String>,
    /// Ward code.
    pub ward: Option<String>,
    /// Latitude.
    pub lat: Option<f64>,
    /// Longitude.
    pub lon: Option<f64>,
    /// Address.
    pub address: Option<String>,
    /// Media URLs.
    pub media: Vec<String>,
    /// Reporter (IOC only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reporter: Option<Reporter>,
}

impl From<Report> for ExportRow {
    fn from(r: Report) -> Self {
        ExportRow {
            id: r.id,
            received_at: r.received_at,
            channel: r.channel,
            text: r.text,
            category: r.category,
            ward: r.ward,
            lat: r.lat,
            lon: r.lon,
            address: r.address,
            media: r.media,
            reporter: r.reporter,
        }
    }
}

/// A problem on one line of an import file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// Parses and validates one import line (`None` for a blank line).
pub fn parse_line(bytes: &[u8]) -> Result<Option<NewReport>, String> {
    let text = std::str::from_utf8(bytes).map_err(|e| format!("invalid UTF-8 at byte {}", e.valid_up_to() + 1))?;
    if text.trim().is_empty() {
        return Ok(None);
    }
    let n: NewReport = serde_json::from_str(text).map_err(|e| format!("malformed JSON: {e}"))?;
    let problems = validate_new_report(&n);
    if !problems.is_empty() {
        return Err(problems.join("; "));
    }
    Ok(Some(n))
}

/// Reads every line of an import source; calls `each` with the line number and the result.
fn scan(
    path: &std::path::Path,
    mut each: impl FnMut(usize, Result<Option<NewReport>, String>) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let f = std::fs::File::open(path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    let mut r = BufReader::with_capacity(1 << 20, f);
    let mut buf = Vec::new();
    let mut line = 0;
    loop {
        buf.clear();
        if r.read_until(b'\n', &mut buf)? == 0 {
            break;
        }
        line += 1;
        while matches!(buf.last(), Some(b'\n' | b'\r')) {
            buf.pop();
        }
        each(line, parse_line(&buf))?;
    }
    Ok(())
}

/// Runs `import`: validates every line first; refuses the whole file on any bad line unless
/// `--skip-invalid`; then imports in transactions of 20,000 reports.
pub async fn import(a: ImportArgs, env: &Env) -> anyhow::Result<i32> {
    // stdin is copied to a temporary file so it can be read twice (validate, then import).
    let _tmp;
    let path = if a.file.as_os_str() == "-" {
        let mut t = tempfile::NamedTempFile::new()?;
        std::io::copy(&mut std::io::stdin().lock().take(u64::MAX), &mut t)?;
        let p = t.path().to_path_buf();
        _tmp = t;
        p
    } else {
        a.file.clone()
    };
    let local = &env.local_ioc()?;
    let ioc = crate::ioc::Ioc::Local(local.clone());
    // Pass 1: validate, and find ids that repeat or already exist.
    let mut errors: Vec<LineError> = Vec::new();
    let mut good = 0usize;
    let mut seen: HashSet<String> = HashSet::new();
    let mut bad_lines: HashSet<usize> = HashSet::new();
    local.blocking(|store| -> anyhow::Result<()> {
        scan(&path, |line, r| {
            match r {
                Ok(Some(n)) => {
                    if let Some(id) = &n.id {
                        let dup = !seen.insert(id.clone());
                        if dup || store.report(id)?.is_some() {
                            let why = if dup {
                                "appears twice in the file"
                            } else {
                                "already exists in the store"
                            };
                            errors.push(LineError {
                                line,
                                message: format!("report id {id} {why}"),
                            });
                            bad_lines.insert(line);
                            return Ok(());
                        }
                    }
                    good += 1;
                }
                Ok(None) => {}
                Err(message) => {
                    errors.push(LineError { line, message });
                    bad_lines.insert(line);
                }
            }
            Ok(())
        })
    })??;
    for e in &errors {
        eprintln!("iocdesk: line {}: {}", e.line, e.message);
    }
    if !errors.is_empty() && !a.skip_invalid {
        eprintln!(
            "iocdesk: import refused: {} bad line(s), nothing imported (use --skip-invalid to keep the {} good ones)",
            errors.len(),
            good
        );
        return Ok(1);
    }
    if a.dry_run {
        if !env.global.quiet {
            eprintln!("{good} report(s) would be imported, {} skipped", errors.len());
        }
        return Ok(0);
    }
    // Pass 2: import in batches.
    let actor = ioc.actor().clone();
    let mut imported = 0usize;
    local.blocking(|store| -> anyhow::Result<()> {
        let mut batch: Vec<crate::domain::Envelope> = Vec::with_capacity(20_000);
        let mut flush = |batch: &mut Vec<crate::domain::Envelope>| -> anyhow::Result<()> {
            if batch.is_empty() {
                return Ok(());
            }
            for r in store.execute_many(batch, &actor, Utc::now())? {
                r.map_err(IocError::from)?;
            }
            imported += batch.len();
            batch.clear();
            Ok(())
        };
        scan(&path, |line, r| {
            if let (Ok(Some(mut n)), false) = (r, bad_lines.contains(&line)) {
                n.channel.get_or_insert(Channel::Import);
                batch.push(crate::domain::Command::SubmitReport(n).into());
                if batch.len() >= 20_000 {
                    flush(&mut batch)?;
                }
            }
            Ok(())
        })?;
        flush(&mut batch)
    })??;
    if !env.global.quiet {
        eprintln!(
            "imported {imported} report(s){}",
            if errors.is_empty() {
                String::new()
            } else {
                format!(", skipped {} bad line(s)", errors.len())
            }
        );
    }
    Ok(0)
}

/// Runs `export`: every report (or the filtered ones), oldest first, streamed.
pub async fn export(a: ExportArgs, env: &Env) -> anyhow::Result<i32> {
    let mut filter = a.filter.filter()?;
    if a.filter.filters.limit == 50 {
        filter.limit = crate::domain::query::MAX_PAGE;
    }
    let local = &env.local_ioc()?;
    let ioc = crate::ioc::Ioc::Local(local.clone());
    let actor = ioc.actor().clone();
    let stdout = std::io::stdout();
    let out = std::io::BufWriter::new(stdout.lock());
    let csv_mode = a.format == "csv";
    let mut w = csv::WriterBuilder::new().has_headers(false).from_writer(out);
    let mut plain = std::io::BufWriter::new(std::io::stdout());
    if csv_mode {
        w.write_record([
            "id",
            "received_at",
            "channel",
            "text",
            "category",
            "ward",
            "lat",
            "lon",
            "address",
            "media",
        ])?;
    }
    let mut err: Option<anyhow::Error> = None;
    let mut write = |row: ExportRow| -> anyhow::Result<()> {
        if csv_mode {
            let f = |x: Option<f64>| x.map(|v| v.to_string()).unwrap_or_default();
            w.write_record([
                row.id.clone(),
                row.received_at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
                row.channel.to_string(),
                row.text.clone(),
                row.category.clone().unwrap_or_default(),
                row.ward.clone().unwrap_or_default(),
                f(row.lat),
                f(row.lon),
                row.address.clone().unwrap_or_default(),
                row.media.join(" "),
            ])?;
        } else {
            let mut line = serde_json::to_vec(&row)?;
            line.push(b'\n');
            plain.write_all(&line)?;
        }
        Ok(())
    };
    local.blocking(|store| {
        store.each_report(&filter, Utc::now(), |r| {
            match write(ExportRow::from(crate::ioc::local_redact(&actor, r))) {
                Ok(()) => true,
                Err(e) => {
                    err = Some(e);
                    false
                }
            }
        })
    })??;
    let res = w
        .flush()
        .and(plain.flush())
        .map_err(anyhow::Error::from)
        .and(err.map_or(Ok(()), Err));
    match res {
        Err(e)
            if e.downcast_ref::<std::io::Error>()
                .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            Ok(0)
        }
        Err(e) => Err(e),
        Ok(()) => Ok(0),
    }
}
