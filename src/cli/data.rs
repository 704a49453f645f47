//! `import` and `export`: NDJSON reports in, NDJSON or CSV out.

use super::Env;
use super::list::ReportListArgs;
use crate::domain::lifecycle::validate_new_report;
use crate::domain::{Channel, NewReport, Report, Reporter};
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
    // The fast check says only whether the line is valid; the standard one says where it is not.
    let text = match simdutf8::basic::from_utf8(bytes) {
        Ok(t) => t,
        Err(_) => std::str::from_utf8(bytes).map_err(|e| format!("invalid UTF-8 at byte {}", e.valid_up_to() + 1))?,
    };
    if text.trim().is_empty() {
        return Ok(None);
    }
    let n = crate::domain::report_json::new_report_from_json(text).map_err(|e| format!("malformed JSON: {e}"))?;
    let problems = validate_new_report(&n);
    if !problems.is_empty() {
        return Err(problems.join("; "));
    }
    Ok(Some(n))
}

/// What checking one stretch of an import file found.
#[derive(Default)]
struct Checked {
    /// Lines in the stretch.
    lines: usize,
    /// Bad lines, numbered from the stretch's start.
    errors: Vec<LineError>,
    /// Good reports that carry an id: (line from the stretch's start, id).
    ids: Vec<(usize, String)>,
    /// Good reports.
    good: usize,
}

/// Checks the lines in bytes `start..end` of a file (`start` at a line's beginning).
fn check_range(path: &std::path::Path, start: u64, end: u64) -> anyhow::Result<Checked> {
    use std::io::Seek;
    let mut f = std::fs::File::open(path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    f.seek(std::io::SeekFrom::Start(start))?;
    let mut r = BufReader::with_capacity(1 << 20, f.take(end - start));
    let mut buf = Vec::new();
    let mut out = Checked::default();
    loop {
        buf.clear();
        if r.read_until(b'\n', &mut buf)? == 0 {
            break;
        }
        out.lines += 1;
        while matches!(buf.last(), Some(b'\n' | b'\r')) {
            buf.pop();
        }
        match parse_line(&buf) {
            Ok(Some(n)) => {
                out.good += 1;
                if let Some(id) = n.id {
                    out.ids.push((out.lines, id));
                }
            }
            Ok(None) => {}
            Err(message) => out.errors.push(LineError {
                line: out.lines,
                message,
            }),
        }
    }
    Ok(out)
}

/// Checks every line of an import file, the two halves on two threads; the errors come back in
/// line order, with the ids (and their lines) of the good reports.
fn check_file(path: &std::path::Path) -> anyhow::Result<Checked> {
    let len = std::fs::metadata(path)
        .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?
        .len();
    // The second half starts after the first newline past the middle.
    let mut split = len;
    if len > 1 << 20 {
        use std::io::Seek;
        let mut f = std::fs::File::open(path)?;
        f.seek(std::io::SeekFrom::Start(len / 2))?;
        let mut skipped = Vec::new();
        BufReader::new(f).read_until(b'\n', &mut skipped)?;
        split = len / 2 + skipped.len() as u64;
    }
    let (a, b) = std::thread::scope(|s| {
        let second = s.spawn(|| check_range(path, split, len));
        (check_range(path, 0, split), second.join())
    });
    let mut all = a?;
    let b = b.map_err(|_| anyhow::anyhow!("checking {} failed", path.display()))??;
    let offset = all.lines;
    all.lines += b.lines;
    all.good += b.good;
    all.errors.extend(b.errors.into_iter().map(|e| LineError {
        line: e.line + offset,
        ..e
    }));
    all.ids.extend(b.ids.into_iter().map(|(l, id)| (l + offset, id)));
    Ok(all)
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
    if !a.dry_run && !local.holds_events()? {
        return import_first(&a, &path, local, env);
    }
    // Pass 1: validate, and find ids that repeat or already exist.
    let checked = check_file(&path)?;
    let mut errors = checked.errors;
    let mut good = checked.good;
    let existing = local.existing_reports(checked.ids.iter().map(|(_, id)| id.as_str()))?;
    let mut seen: HashSet<&str> = HashSet::with_capacity(checked.ids.len());
    for (line, id) in &checked.ids {
        let why = if !seen.insert(id) {
            "appears twice in the file"
        } else if existing.contains(id) {
            "already exists in the store"
        } else {
            continue;
        };
        errors.push(LineError {
            line: *line,
            message: format!("report id {id} {why}"),
        });
        good -= 1;
    }
    errors.sort_by_key(|e| e.line);
    let bad_lines: HashSet<usize> = errors.iter().map(|e| e.line).collect();
    if let Some(code) = tell_bad_lines(&errors, good, a.skip_invalid) {
        return Ok(code);
    }
    if a.dry_run {
        if !env.global.quiet {
            eprintln!("{good} report(s) would be imported, {} skipped", errors.len());
        }
        return Ok(0);
    }
    // Pass 2: import (in transactions of 20,000 reports when the store already holds some).
    let mut lines = numbered_lines(&path)?;
    let reports = std::iter::from_fn(move || {
        while let Some((line, l)) = lines.next_line() {
            let buf = match l {
                Ok(b) => b,
                Err(e) => return Some(Err(e.to_string())),
            };
            if bad_lines.contains(&line) {
                continue;
            }
            match parse_line(buf) {
                Ok(Some(n)) => return Some(Ok(imported(n))),
                Ok(None) => {}
                // Only if the file changed since it was checked.
                Err(m) => return Some(Err(format!("line {line} changed during the import: {m}"))),
            }
        }
        None
    });
    let imported = local.import_reports(reports, &path, 20_000)?;
    tell_imported(env, imported, errors.len());
    Ok(0)
}

/// A first load (the store's log is empty): every line is checked as it goes in, and the whole
/// file goes in one transaction, so a bad line (without `--skip-invalid`) rolls back everything
/// before it, and a killed import leaves the store empty. The file is read once instead of
/// twice (checked, then imported); a repeated id is the only conflict a first load can meet.
fn import_first(
    a: &ImportArgs,
    path: &std::path::Path,
    local: &crate::ioc::LocalIoc,
    env: &Env,
) -> anyhow::Result<i32> {
    let mut seen = SeenIds::default();
    let (mut errors, mut good, mut ended) = (Vec::new(), 0usize, false);
    let mut lines = numbered_lines(path)?;
    let reports = std::iter::from_fn(|| {
        while let Some((line, l)) = lines.next_line() {
            let buf = match l {
                Ok(b) => b,
                Err(e) => return Some(Err(e.to_string())),
            };
            let checked = parse_line(buf).and_then(|n| match n.as_ref().and_then(|n| n.id.as_ref()) {
                Some(id) if !seen.insert(id) => Err(format!("report id {id} appears twice in the file")),
                _ => Ok(n),
            });
            match checked {
                Ok(None) => {}
                Ok(Some(n)) => {
                    good += 1;
                    // After a bad line (without --skip-invalid) the rest is only checked.
                    if a.skip_invalid || errors.is_empty() {
                        return Some(Ok(imported(n)));
                    }
                }
                Err(message) => errors.push(LineError { line, message }),
            }
        }
        // The end of a refused file: the store rolls back what it wrote.
        if !a.skip_invalid && !errors.is_empty() && !std::mem::replace(&mut ended, true) {
            return Some(Err("the file has bad lines".to_string()));
        }
        None
    });
    let imported = local.import_reports(reports, path, usize::MAX);
    if let Some(code) = tell_bad_lines(&errors, good, a.skip_invalid) {
        return Ok(code);
    }
    tell_imported(env, imported?, errors.len());
    Ok(0)
}

/// The lines of an import file, numbered from 1, without their line ends (`\n` or `\r\n`),
/// read one at a time into the same buffer (a line is parsed into its own values, then dropped).
struct NumberedLines {
    reader: BufReader<std::fs::File>,
    buf: Vec<u8>,
    line: usize,
}

impl NumberedLines {
    /// The next line and its number, `None` at the end.
    fn next_line(&mut self) -> Option<(usize, std::io::Result<&[u8]>)> {
        self.buf.clear();
        self.line += 1;
        match self.reader.read_until(b'\n', &mut self.buf) {
            Ok(0) => None,
            Ok(_) => {
                let mut l = self.buf.as_slice();
                if let Some(rest) = l.strip_suffix(b"\n") {
                    l = rest;
                }
                while let Some(rest) = l.strip_suffix(b"\r") {
                    l = rest;
                }
                Some((self.line, Ok(l)))
            }
            Err(e) => Some((self.line, Err(e))),
        }
    }
}

fn numbered_lines(path: &std::path::Path) -> anyhow::Result<NumberedLines> {
    let f = std::fs::File::open(path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    Ok(NumberedLines {
        reader: BufReader::with_capacity(1 << 20, f),
        buf: Vec::with_capacity(4096),
        line: 0,
    })
}

/// A report as an import submits it: from the `import` channel unless the line names one.
fn imported(mut n: NewReport) -> NewReport {
    n.channel.get_or_insert(Channel::Import);
    n
}

/// The report ids a file has named so far: those of the store's own form (`R` and seven
/// digits) as one bit each, any other as a string.
#[derive(Default)]
struct SeenIds {
    bits: Vec<u64>,
    other: HashSet<String>,
}

impl SeenIds {
    /// Notes an id; false when it was seen before.
    fn insert(&mut self, id: &str) -> bool {
        let number = id
            .strip_prefix('R')
            .filter(|d| d.len() == 7 && d.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|d| d.parse::<usize>().ok());
        let Some(n) = number else {
            return self.other.insert(id.to_string());
        };
        if self.bits.is_empty() {
            self.bits = vec![0; 10_000_000 / 64 + 1];
        }
        let (word, bit) = (n / 64, 1u64 << (n % 64));
        let new = self.bits[word] & bit == 0;
        self.bits[word] |= bit;
        new
    }
}

/// Prints each bad line; `Some(1)` when they refuse the import (no `--skip-invalid`).
fn tell_bad_lines(errors: &[LineError], good: usize, skip_invalid: bool) -> Option<i32> {
    for e in errors {
        eprintln!("iocdesk: line {}: {}", e.line, e.message);
    }
    (!errors.is_empty() && !skip_invalid).then(|| {
        eprintln!(
            "iocdesk: import refused: {} bad line(s), nothing imported (use --skip-invalid to keep the {good} good ones)",
            errors.len(),
        );
        1
    })
}

fn tell_imported(env: &Env, imported: usize, skipped: usize) {
    if !env.global.quiet {
        eprintln!(
            "imported {imported} report(s){}",
            if skipped == 0 {
                String::new()
            } else {
                format!(", skipped {skipped} bad line(s)")
            }
        );
    }
}

/// Runs `export`: every report (or the filtered ones), oldest first, streamed.
pub async fn export(a: ExportArgs, env: &Env) -> anyhow::Result<i32> {
    let mut filter = a.filter.filter()?;
    if a.filter.filters.limit == 50 {
        filter.limit = crate::domain::query::MAX_PAGE;
    }
    let local = &env.local_ioc()?;
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
    local.each_report(&filter, |r| match write(ExportRow::from(r)) {
        Ok(()) => true,
        Err(e) => {
            err = Some(e);
            false
        }
    })?;
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
