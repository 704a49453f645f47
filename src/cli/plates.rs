//! `plates import|search`: licence-plate sightings in, OCR-tolerant lookups and routes out.

use super::Env;
use super::output::{Format, Tabular, local, print_list, print_table};
use crate::domain::plate::SightingHit;
use crate::domain::text::sanitize;
use crate::domain::{Command, Envelope};
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
