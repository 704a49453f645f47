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
    }
}
