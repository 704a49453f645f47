//! `cameras import|list|probe`: the camera registry and its health.

use super::Env;
use super::output::{Tabular, local, print_list};
use crate::domain::health::CameraStatus;
use crate::domain::{Actor, CameraKind, Command, Envelope, NewCamera, Role};
use crate::ioc::{Ioc, IocError};
use crate::prober::{ProbeConfig, probe_and_record};
use clap::{Args, Subcommand};
use serde::Deserialize;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// `iocdesk cameras …`
#[derive(Debug, Subcommand)]
pub enum CamerasCmd {
    /// Register cameras from a TOML (`[[camera]]`) or CSV file; refused whole on any bad line.
    Import {
        /// The file (`.toml` or `.csv`).
        file: PathBuf,
    },
    /// List cameras with their state, last contact, latency and 24-hour availability.
    List,
    /// Probe cameras (TCP → RTSP OPTIONS → DESCRIBE → snapshot) and record state changes.
    Probe(ProbeArgs),
}

/// `cameras probe` flags.
#[derive(Debug, Args)]
pub struct ProbeArgs {
    /// Only these cameras (repeatable).
    #[arg(long)]
    pub id: Vec<String>,
    /// Seconds allowed for each step (connect, OPTIONS, DESCRIBE, snapshot).
    #[arg(long, default_value_t = 4)]
    pub timeout: u64,
    /// Cameras probed at once.
    #[arg(long, default_value_t = 64)]
    pub concurrency: usize,
    /// Keep probing every this many seconds (a prober daemon) instead of once.
    #[arg(long, value_name = "SECS")]
    pub every: Option<u64>,
}

impl Tabular for CameraStatus {
    fn headers() -> &'static [&'static str] {
        &[
            "id",
            "name",
            "site",
            "kind",
            "state",
            "last_seen",
            "latency_ms",
            "availability_24h",
            "case_id",
        ]
    }
    fn cells(&self) -> Vec<String> {
        vec![
            self.id.clone(),
            self.name.clone(),
            self.site.clone(),
            self.kind.to_string(),
            self.state.to_string(),
            self.last_seen.map(local).unwrap_or_else(|| "-".into()),
            self.latency_ms.map(|l| l.to_string()).unwrap_or_else(|| "-".into()),
            self.availability_24h
                .map(|a| format!("{:.1}%", a * 100.0))
                .unwrap_or_else(|| "-".into()),
            self.case_id.clone().unwrap_or_else(|| "-".into()),
        ]
    }
}

/// Runs a `cameras` command.
pub async fn run(cmd: CamerasCmd, env: &Env) -> anyhow::Result<i32> {
    match cmd {
        CamerasCmd::Import { file } => import(&file, env).await,
        CamerasCmd::List => {
            let ioc = env.ioc()?;
            let st = ioc.camera_statuses().await?;
            print_list(&st, env.global.output, &mut std::io::stdout().lock())?;
            Ok(0)
        }
        CamerasCmd::Probe(a) => probe(a, env).await,
    }
}

/// A `[[camera]]` file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlFile {
    #[serde(default)]
    camera: Vec<NewCamera>,
}

/// The CSV header a camera file must have.
pub const CSV_HEADER: &[&str] = &[
    "id",
    "name",
    "site",
    "kind",
    "rtsp_url",
    "snapshot_url",
    "lat",
    "lon",
    "ward",
];

/// Parses a camera file; every problem comes back as `line N: …`.
pub fn parse_file(path: &Path, text: &str) -> Result<Vec<NewCamera>, Vec<String>> {
    let is_toml = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("toml"));
    let (cams, mut errors) = if is_toml { parse_toml(text)? } else { parse_csv(text)? };
    let mut seen = HashSet::new();
    for (line, c) in &cams {
        for p in crate::domain::health::validate_camera(c) {
            errors.push(format!("line {line}: {p}"));
        }
        if !seen.insert(c.id.clone()) {
            errors.push(format!("line {line}: camera id '{}' appears twice", c.id));
        }
    }
    if errors.is_empty() {
        Ok(cams.into_iter().map(|(_, c)| c).collect())
    } else {
        Err(errors)
    }
}

type Parsed = (Vec<(usize, NewCamera)>, Vec<String>);

fn parse_toml(text: &str) -> Result<Parsed, Vec<String>> {
    let f: TomlFile = toml::from_str(text).map_err(|e| {
        let line = e
            .span()
            .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1)
            .unwrap_or(0);
        vec![format!("line {line}: {}", e.message())]
    })?;
    // TOML tables have no line numbers once parsed: number cameras by their `[[camera]]` header.
    let lines: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.trim() == "[[camera]]")
        .map(|(i, _)| i + 1)
        .collect();
    let cams = f
        .camera
        .into_iter()
        .enumerate()
        .map(|(i, c)| (lines.get(i).copied().unwrap_or(i + 1), c))
        .collect();
    Ok((cams, Vec::new()))
}

fn parse_csv(text: &str) -> Result<Parsed, Vec<String>> {
    let mut r = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let header: Vec<String> = r
        .headers()
        .map_err(|e| vec![format!("line 1: {e}")])?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    if header != CSV_HEADER {
        return Err(vec![format!("line 1: the header must be {}", CSV_HEADER.join(","))]);
    }
    let (mut cams, mut errors) = (Vec::new(), Vec::new());
    for rec in r.records() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                errors.push(format!("line {line}: {e}"));
                continue;
            }
        };
        let line = rec.position().map(|p| p.line() as usize).unwrap_or(0);
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if rec.len() != CSV_HEADER.len() {
            errors.push(format!(
                "line {line}: {} fields, expected {}",
                rec.len(),
                CSV_HEADER.len()
            ));
            continue;
        }
        let f = |i: usize| rec.get(i).unwrap_or_default().trim().to_string();
        let opt = |i: usize| Some(f(i)).filter(|s| !s.is_empty());
        let num = |i: usize, name: &str| -> Result<Option<f64>, String> {
            opt(i)
                .map(|s| {
                    s.parse::<f64>()
                        .map_err(|_| format!("line {line}: {name}: '{s}' is not a number"))
                })
                .transpose()
        };
        let kind = match f(3).parse::<CameraKind>() {
            Ok(k) => k,
            Err(e) => {
                errors.push(format!("line {line}: {e}"));
                continue;
            }
        };
        match (num(6, "lat"), num(7, "lon")) {
            (Ok(lat), Ok(lon)) => cams.push((
                line,
                NewCamera {
                    id: f(0),
                    name: f(1),
                    site: f(2),
                    kind,
                    rtsp_url: opt(4),
                    snapshot_url: opt(5),
                    lat,
                    lon,
                    ward: opt(8),
                },
            )),
            (Err(e), _) | (_, Err(e)) => errors.push(e),
        }
    }
    Ok((cams, errors))
}

async fn import(file: &Path, env: &Env) -> anyhow::Result<i32> {
    let text = std::fs::read_to_string(file).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    let cams = match parse_file(file, &text) {
        Ok(c) => c,
        Err(errors) => {
            for e in &errors {
                eprintln!("{}: {e}", file.display());
            }
            return Err(IocError::Invalid(format!(
                "{} problem(s) in {}: nothing imported",
                errors.len(),
                file.display()
            ))
            .into());
        }
    };
    let ioc = env.ioc()?;
    let n = cams.len();
    let group: Vec<Envelope> = cams.into_iter().map(|c| Command::RegisterCamera(c).into()).collect();
    for r in ioc.execute_groups(vec![group], false).await? {
        r?;
    }
    if !env.global.quiet {
        eprintln!("iocdesk: {n} camera(s) registered");
    }
    Ok(0)
}

/// The core as the prober: state changes are recorded by `prober` (local store).
fn as_prober(ioc: Ioc) -> Ioc {
    match ioc {
        Ioc::Local(l) => Ioc::Local(l.as_actor(Actor::new("prober", Role::Admin))),
        remote => remote,
    }
}

async fn probe(a: ProbeArgs, env: &Env) -> anyhow::Result<i32> {
    let ioc = as_prober(env.ioc()?);
    let step_t = std::time::Duration::from_secs(a.timeout.clamp(1, 60));
    let cfg = ProbeConfig {
        connect: step_t,
        step: step_t,
        total: step_t * 3,
        concurrency: a.concurrency.clamp(1, 1024),
    };
    // The offline threshold for outage cases comes from `[watch] camera_case_after`.
    let policy = env
        .file
        .watch
        .config(&env.file.slo, false)
        .map_err(super::Usage)?
        .policy;
    loop {
        let probed = probe_and_record(&ioc, &a.id, cfg, &policy).await?;
        let mut st = ioc.camera_statuses().await?;
        st.retain(|s| probed.contains(&s.id));
        print_list(&st, env.global.output, &mut std::io::stdout().lock())?;
        match a.every {
            Some(secs) => tokio::time::sleep(std::time::Duration::from_secs(secs.max(1))).await,
            None => return Ok(0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_errors_are_line_numbered() {
        let ok = "id,name,site,kind,rtsp_url,snapshot_url,lat,lon,ward\n\
                  c1,One,Gate,fixed,rtsp://h/x,,16.4,107.5,Phú Hội\n";
        assert_eq!(parse_file(Path::new("a.csv"), ok).map(|c| c.len()), Ok(1));
        let bad = format!("{ok}c2,Two,Gate,drone,,,,,\nc3,Three,Gate,ptz,ftp://x,,abc,,\n");
        let errs = parse_file(Path::new("a.csv"), &bad).err().unwrap_or_default();
        assert!(
            errs.iter().any(|e| e.starts_with("line 3:") && e.contains("drone")),
            "{errs:?}"
        );
        assert!(errs.iter().any(|e| e.starts_with("line 4:")), "{errs:?}");
    }

    #[test]
    fn toml_cameras_parse() {
        let t = "[[camera]]\nid = \"c1\"\nname = \"One\"\nsite = \"Gate\"\nkind = \"anpr\"\n\n\
                 [[camera]]\nid = \"c1\"\nname = \"Two\"\nsite = \"Gate\"\nkind = \"ptz\"\n";
        let errs = parse_file(Path::new("c.toml"), t).err().unwrap_or_default();
        assert_eq!(errs, vec!["line 7: camera id 'c1' appears twice".to_string()]);
        let bad = "[[camera]]\nid = \"c1\"\nname = \"One\"\nsite = \"Gate\"\nkind = \"blimp\"\n";
        let errs = parse_file(Path::new("c.toml"), bad).err().unwrap_or_default();
        assert!(errs[0].starts_with("line 5:"), "{errs:?}");
    }
}
