//! Settings in one place: defaults → config file → `IOCDESK_*` environment → flags.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The directories iocdesk uses.
#[derive(Debug, Clone)]
pub struct Paths {
    /// Where `config.toml` and `keymap.toml` live.
    pub config_dir: PathBuf,
    /// Where the store lives.
    pub data_dir: PathBuf,
    /// Where state (history, logs) lives.
    pub state_dir: PathBuf,
    /// The log file.
    pub log_file: PathBuf,
}

impl Paths {
    /// The platform's directories (XDG on Linux), the data dir overridden when given.
    pub fn resolve(data_dir: Option<&Path>) -> Paths {
        let dirs = directories::ProjectDirs::from("vn", "hue-ioc", "iocdesk");
        let home = || {
            std::env::var_os("HOME")
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from("."))
        };
        let (config_dir, default_data, state_dir) = match &dirs {
            Some(d) => (
                d.config_dir().to_path_buf(),
                d.data_dir().to_path_buf(),
                d.state_dir()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| d.data_local_dir().join("state")),
            ),
            None => {
                let h = home().join(".iocdesk");
                (h.join("config"), h.join("data"), h.join("state"))
            }
        };
        let config_dir = std::env::var_os("IOCDESK_CONFIG_DIR")
            .map(PathBuf::from)
            .unwrap_or(config_dir);
        let data_dir = data_dir.map(Path::to_path_buf).unwrap_or(default_data);
        let log_file = state_dir.join("iocdesk.log");
        Paths {
            config_dir,
            data_dir,
            state_dir,
            log_file,
        }
    }

    /// The config file.
    pub fn config_file(&self) -> PathBuf {
        self.config_dir.join("config.toml")
    }
}

/// The config file's contents; every field optional.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileSettings {
    /// `vi` or `en`.
    pub lang: Option<String>,
    /// `dark`, `light` or `high-contrast`.
    pub theme: Option<String>,
    /// `default` or `vim`.
    pub keymap: Option<String>,
    /// Ring the bell on a new P1 case or a camera going down.
    pub bell: Option<bool>,
    /// The officer's name on local events.
    pub actor: Option<String>,
    /// Working days to answer, per category code.
    #[serde(default)]
    pub deadline_days: BTreeMap<String, u32>,
    /// The Open311 `jurisdiction_id` served by `iocdesk serve` (default `hue.gov.vn`).
    pub jurisdiction: Option<String>,
    /// Service-level objectives for `iocdesk sli` and `/metrics`.
    #[serde(default)]
    pub slo: Vec<crate::domain::sli::SloSpec>,
    /// The background duties of `serve` and the desk.
    #[serde(default)]
    pub watch: WatchSettings,
}

/// The `[watch]` table: how often `serve` and the desk probe cameras and check the SLOs, and how
/// long a camera may stay offline before a case is opened. Durations like `30s`, `15m`, `1h`;
/// `off` turns a duty off.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WatchSettings {
    /// Offline this long opens a case for the maintenance unit (default `15m`).
    pub camera_case_after: Option<String>,
    /// Probe round interval of `serve` (default `30s`).
    pub probe_every: Option<String>,
    /// Probe round interval of the embedded desk (default `30s`, as `serve`).
    pub desk_probe_every: Option<String>,
    /// SLO check interval of `serve` and the embedded desk (default `1m`).
    pub slo_every: Option<String>,
}

/// Parses `30s`, `15m`, `2h`, `1d` (a bare number is seconds); `off` is `None`.
pub fn parse_interval(s: &str) -> Result<Option<std::time::Duration>, String> {
    let t = s.trim();
    if t.eq_ignore_ascii_case("off") {
        return Ok(None);
    }
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: u64 = num
        .parse()
        .map_err(|_| format!("'{t}': expected a number with s, m, h or d, or 'off'"))?;
    let secs = match unit {
        "" | "s" => n,
        "m" => n * 60,
        "h" => n * 3600,
        "d" => n * 86_400,
        _ => return Err(format!("'{t}': unknown unit '{unit}' (s, m, h or d)")),
    };
    if secs == 0 || secs > 30 * 86_400 {
        return Err(format!("'{t}': outside 1s..30d (use 'off' to turn it off)"));
    }
    Ok(Some(std::time::Duration::from_secs(secs)))
}

impl WatchSettings {
    /// The background duties as configured; `desk` picks the desk's probe interval.
    pub fn config(
        &self,
        slos: &[crate::domain::sli::SloSpec],
        desk: bool,
    ) -> Result<crate::watch::WatchConfig, String> {
        let field = |name: &str, v: &Option<String>, default: &str| {
            parse_interval(v.as_deref().unwrap_or(default)).map_err(|e| format!("[watch] {name}: {e}"))
        };
        let probe_every = if desk {
            field("desk_probe_every", &self.desk_probe_every, "30s")?
        } else {
            field("probe_every", &self.probe_every, "30s")?
        };
        let after = field("camera_case_after", &self.camera_case_after, "15m")?
            .ok_or("[watch] camera_case_after: cannot be off")?;
        let defaults = crate::watch::WatchConfig::default();
        Ok(crate::watch::WatchConfig {
            probe_every,
            slo_every: field("slo_every", &self.slo_every, "1m")?,
            policy: crate::domain::health::Policy {
                case_after: chrono::Duration::from_std(after).map_err(|e| e.to_string())?,
                ..defaults.policy
            },
            slos: slos.to_vec(),
            live_slo: !desk,
            ..defaults
        })
    }
}

/// The annotated example written on first run.
pub const EXAMPLE_CONFIG: &str = r#"# iocdesk configuration. Every setting is optional; the values shown are the defaults.
# Order of precedence: this file < IOCDESK_* environment variables < command-line flags.

# Language of the desk: "vi" or "en" (default: from LANG, vi_* gives Vietnamese).
# lang = "vi"

# Colour theme: "dark", "light" or "high-contrast". NO_COLOR or --no-color turn colour off.
# theme = "dark"

# Keymap: "default" (arrows and letters) or "vim". Your keymap.toml beside this file is merged over it.
# keymap = "default"

# Ring the terminal bell when a new P1 case arrives or a camera goes down.
# bell = true

# Your name on the events you cause (default: $USER).
# actor = "nguyen.van.a"

# The Open311 jurisdiction_id that `iocdesk serve` answers to.
# jurisdiction = "hue.gov.vn"

# Working days allowed to answer, per category (default 7 for every category).
# [deadline_days]
# drainage = 3
# public_security = 3
#
# Service-level objectives (`iocdesk sli`): indicator is on_time, on_time_extended,
# satisfaction or camera_availability; window defaults to 30d.
# [[slo]]
# indicator = "on_time"
# target = 0.9
# window = "30d"

# Background duties of `iocdesk serve` and the embedded desk ("off" turns one off).
# A camera offline this long opens a case for the camera maintenance unit (cam-maint);
# the case closes by itself when the camera answers again.
# [watch]
# camera_case_after = "15m"
# probe_every = "30s"
# desk_probe_every = "30s"
# slo_every = "1m"
"#;

impl FileSettings {
    /// Reads the config file; a missing file gives the defaults (and writes the example).
    pub fn load(paths: &Paths) -> Result<FileSettings, String> {
        let file = paths.config_file();
        match std::fs::read_to_string(&file) {
            Ok(s) => toml::from_str(&s).map_err(|e| format!("{}: {e}", file.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                // Best effort: a read-only home must not stop the desk.
                let _ = std::fs::create_dir_all(&paths.config_dir).and_then(|_| std::fs::write(&file, EXAMPLE_CONFIG));
                Ok(FileSettings::default())
            }
            Err(e) => Err(format!("{}: {e}", file.display())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn example_config_parses() {
        let uncommented: String = EXAMPLE_CONFIG
            .lines()
            .map(|l| {
                l.strip_prefix("# ")
                    .filter(|l| l.contains('=') || l.starts_with('['))
                    .unwrap_or("")
            })
            .collect::<Vec<_>>()
            .join("\n");
        let s: FileSettings = toml::from_str(&uncommented).expect("example parses");
        assert_eq!(s.deadline_days.get("drainage"), Some(&3));
        assert_eq!(s.lang.as_deref(), Some("vi"));
        assert_eq!(s.jurisdiction.as_deref(), Some("hue.gov.vn"));
        let w = s.watch.config(&s.slo, false).expect("watch settings");
        assert_eq!(w.policy.case_after, chrono::Duration::minutes(15));
        assert_eq!(w.probe_every, Some(std::time::Duration::from_secs(30)));
        assert_eq!(
            s.watch.config(&s.slo, true).map(|c| c.probe_every),
            Ok(Some(std::time::Duration::from_secs(30)))
        );
    }

    #[test]
    fn intervals_parse_and_refuse_nonsense() {
        assert_eq!(parse_interval("90"), Ok(Some(std::time::Duration::from_secs(90))));
        assert_eq!(parse_interval("2m"), Ok(Some(std::time::Duration::from_secs(120))));
        assert_eq!(parse_interval("OFF"), Ok(None));
        assert!(parse_interval("0s").is_err());
        assert!(parse_interval("5 parsecs").is_err());
        assert!(parse_interval("-1m").is_err());
    }
}
