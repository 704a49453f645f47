//! `plates import|search|watch`: licence-plate sightings in, OCR-tolerant lookups and routes out,
//! and the watchlist whose plates raise a case when a camera sees them.

use super::Env;
use super::output::{Format, Tabular, local, print_list, print_table};
use crate::domain::plate::SightingHit;
use crate::domain::text::sanitize;
use crate::domain::{Command, Envelope, WatchEntry};
use crate::ioc::IocError;
use chrono::{DateTime, Utc};
use clap::Subcommand;
use serde::Deserialize;
use std::path::PathBuf;

/// `iocdesk plates …`
#[derive(Debug, Subcommand)]
pub enum PlatesCmd {
    /// Record sightings from NDJSON (`{"camera_id","plate","seen_at","confidence"}` per line).
    Import {
        /// The file, `-` for stdin.
        file: PathBuf,
    },
    /// Find a plate's sightings, tolerating OCR confusions and one missing character.
    Search {
        /// The plate, in any format (`75A-123.45`, `75a12345`).
        plate: String,
        /// At most this many sightings.
        #[arg(long, default_value_t = 100)]
        limit: usize,
    },
    /// The watchlist: a sighting of a watched plate opens a case for the police (one open case
    /// per plate; later sightings add notes to it). Plates match exactly after normalisation
    /// (`75A-123.45` = `75a12345`), without the search's OCR tolerance.
    #[command(subcommand)]
    Watch(WatchCmd),
}

/// `iocdesk plates watch …`
#[derive(Debug, Subcommand)]
pub enum WatchCmd {
    /// Watch a plate (supervisors).
    Add {
        /// The plate, in any usual spelling.
        plate: String,
        /// Why it is watched (shown on the case).
        #[arg(long)]
        reason: Option<String>,
    },
    /// List the watched plates.
    List,
    /// Stop watching a plate (supervisors).
    Remove {
        /// The plate.
        plate: String,
    },
}

impl Tabular for WatchEntry {
    fn headers() -> &'static [&'static str] {
        &["plate", "reason", "added_at", "added_by"]
    }
    fn cells(&self) -> Vec<String> {
        vec![
            self.plate.clone(),
            self.reason.as_deref().map(sanitize).unwrap_or_else(|| "-".into()),
            local(self.added_at),
            sanitize(&self.added_by),
        ]
    }
}

async fn watch(cmd: WatchCmd, env: &Env) -> anyhow::Result<i32> {
    let ioc = env.ioc()?;
    let (command, verb) = match cmd {
        WatchCmd::List => {
            let list = ioc.watchlist().await?;
            print_list(&list, env.global.output, &mut std::io::stdout().lock())?;
            return Ok(0);
        }
        WatchCmd::Add { plate, reason } => (Command::WatchPlate { plate, reason }, "watched"),
        WatchCmd::Remove { plate } => (Command::UnwatchPlate { plate }, "no longer watched"),
    };
    let events = ioc.execute(command.into()).await?;
    if !env.global.quiet {
        match events.first() {
            Some(e) => eprintln!("iocdesk: {} {verb}", e.data.subject()),
            None => eprintln!("iocdesk: nothing to change"),
        }
    }
    Ok(0)
}

/// One import line.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Line {
    camera_id: String,
    plate: String,
    seen_at: DateTime<Utc>,
    #[serde(default = "one")]
    confidence: f64,
}

fn one() -> f64 {
    1.0
}

/// Parses an NDJSON sightings file into commands; every problem comes back as `line N: …`.
pub fn parse_sightings(text: &str) -> Result<Vec<Command>, Vec<String>> {
    let (mut out, mut errors) = (Vec::new(), Vec::new());
    for (i, l) in text.lines().enumerate() {
        if l.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<Line>(l) {
            Ok(s) if crate::domain::plate::normalize(&s.plate).len() < 4 => errors.push(format!(
                "line {}: '{}' is not a licence plate",
                i + 1,
                sanitize(&s.plate)
            )),
            Ok(s) if !(0.0..=1.0).contains(&s.confidence) => {
                errors.push(format!("line {}: confidence {} is outside 0–1", i + 1, s.confidence))
            }
            Ok(s) => out.push(Command::RecordSighting {
                camera_id: s.camera_id,
                plate: s.plate,
                seen_at: s.seen_at,
                confidence: s.confidence,
            }),
            Err(e) => errors.push(format!("line {}: {e}", i + 1)),
        }
    }
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

impl Tabular for SightingHit {
    fn headers() -> &'static [&'static str] {
        &["plate", "camera_id", "site", "seen_at", "confidence", "score"]
    }
    fn cells(&self) -> Vec<String> {
        vec![
            self.plate.clone(),
            self.camera_id.clone(),
            self.site.clone(),
            self.seen_at.to_rfc3339(),
            format!("{:.2}", self.confidence),
            format!("{:.3}", self.score),
        ]
    }
}

/// Runs a `plates` command.
pub async fn run(cmd: PlatesCmd, env: &Env) -> anyhow::Result<i32> {
    match cmd {
        PlatesCmd::Import { file } => {
            let text = if file.as_os_str() == "-" {
                std::io::read_to_string(std::io::stdin())?
            } else {
                std::fs::read_to_string(&file).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?
            };
            let cmds = match parse_sightings(&text) {
                Ok(c) => c,
                Err(errors) => {
                    for e in &errors {
                        eprintln!("{}: {e}", file.display());
                    }
                    return Err(IocError::Invalid(format!("{} bad line(s): nothing imported", errors.len())).into());
                }
            };
            let ioc = env.ioc()?;
            let n = cmds.len();
            // Each chunk of 1,000 is recorded whole or not at all.
            let groups: Vec<Vec<Envelope>> = cmds
                .chunks(1000)
                .map(|c| c.iter().cloned().map(Envelope::from).collect())
                .collect();
            for (i, r) in ioc.execute_groups(groups, false).await?.into_iter().enumerate() {
                r.map_err(|e| anyhow::anyhow!("lines of chunk {}: {e}", i + 1))?;
            }
            if !env.global.quiet {
                eprintln!("iocdesk: {n} sighting(s) recorded");
            }
            Ok(0)
        }
        PlatesCmd::Watch(w) => watch(w, env).await,
        PlatesCmd::Search { plate, limit } => {
            let ioc = env.ioc()?;
            let hits = ioc.search_plates(&plate, limit.clamp(1, 1000)).await?;
            let out = &mut std::io::stdout().lock();
            if env.global.output != Format::Table {
                print_list(&hits, env.global.output, out)?;
                return Ok(0);
            }
            if hits.is_empty() {
                eprintln!("iocdesk: no sightings of {}", sanitize(&plate));
                return Ok(0);
            }
            // The route: every sighting in time order, with where the vehicle was.
            let mut route = hits.clone();
            route.sort_by_key(|h| h.seen_at);
            let rows: Vec<Vec<String>> = route
                .iter()
                .map(|h| {
                    vec![
                        local(h.seen_at),
                        sanitize(&h.camera_id),
                        sanitize(&h.site),
                        sanitize(&h.plate),
                        format!("{:.2}", h.score),
                    ]
                })
                .collect();
            print_table(&["time", "camera", "site", "plate", "score"], &rows, out)?;
            Ok(0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_lines_are_numbered() {
        let good = r#"{"camera_id":"c1","plate":"75A-123.45","seen_at":"2026-11-20T08:00:00+07:00","confidence":0.93}"#;
        assert_eq!(parse_sightings(good).map(|c| c.len()), Ok(1));
        let text = format!("{good}\n\n{{\"camera_id\":\"c1\"}}\n{}\n", good.replace("0.93", "7"));
        let errs = parse_sightings(&text).err().unwrap_or_default();
        assert_eq!(errs.len(), 2, "{errs:?}");
        assert!(errs[0].starts_with("line 3:") && errs[1].starts_with("line 4:"));
    }
}
