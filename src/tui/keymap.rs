//! Keymaps as data: the embedded default and vim maps, the user's `keymap.toml` merged over them
//! per key, and the closed [`Action`] enum. Only this module looks at key codes.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::Deserialize;

/// The embedded default keymap.
pub const DEFAULT: &str = include_str!("../../keymaps/default.toml");
/// The embedded vim-style keymap.
pub const VIM: &str = include_str!("../../keymaps/vim.toml");

macro_rules! actions {
    ($($(#[$m:meta])* $v:ident = $s:literal),+ $(,)?) => {
        /// Everything a key can do; each has a stable string name used in keymap files.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Action { $($(#[$m])* $v),+ }
        impl Action {
            /// Every action.
            pub const ALL: &'static [Action] = &[$(Action::$v),+];
            /// The name used in keymap files.
            pub fn name(self) -> &'static str { match self { $(Action::$v => $s),+ } }
            /// The action with this name.
            pub fn from_name(s: &str) -> Option<Action> { match s { $($s => Some(Action::$v),)+ _ => None } }
        }
    };
}

actions! {
    /// Leave the desk.
    Quit = "quit",
    /// Incident queue panel.
    PanelQueue = "panel.queue",
    /// Report triage panel.
    PanelTriage = "panel.triage",
    /// Cameras panel.
    PanelCameras = "panel.cameras",
    /// Service levels panel.
    PanelService = "panel.service",
    /// Next panel.
    PanelNext = "panel.next",
    /// Previous panel.
    PanelPrev = "panel.prev",
    /// Next row.
    Down = "down",
    /// Previous row.
    Up = "up",
    /// A page down.
    PageDown = "page.down",
    /// A page up.
    PageUp = "page.up",
    /// First row.
    Top = "queue.top",
    /// Last row.
    Bottom = "queue.bottom",
    /// Filter as you type.
    Filter = "filter",
    /// The command line.
    CommandLine = "command",
    /// The help overlay.
    Help = "help",
    /// Mark the row.
    Mark = "mark",
    /// Clear marks.
    MarkClear = "mark.clear",
    /// Toggle the detail pane.
    Detail = "detail",
    /// Reload.
    Refresh = "refresh",
    /// Verify a report.
    Verify = "verify",
    /// Reject a report.
    Reject = "reject",
    /// Merge a report as a duplicate.
    Merge = "merge",
    /// Forward a report.
    Forward = "forward",
    /// Set a case's priority.
    Priority = "priority",
    /// Claim or release a case.
    Claim = "claim",
    /// Acknowledge a case.
    Acknowledge = "acknowledge",
    /// Extend a deadline.
    Extend = "extend",
    /// Approve an answer.
    Approve = "approve",
    /// Return an answer.
    Return = "return",
    /// Close a case.
    Close = "close",
    /// Reopen a case.
    Reopen = "reopen",
    /// Add a note.
    Note = "note",
    /// Copy the id and summary (OSC 52).
    Copy = "copy",
    /// Show the selected camera's snapshot.
    Snapshot = "camera.snapshot",
}

impl Action {
    /// Actions that change or discard something irreversibly; never bound to a bare Ctrl chord.
    pub fn is_destructive(self) -> bool {
        matches!(self, Action::Reject | Action::Close | Action::Merge | Action::Return)
    }
}

/// One binding.
#[derive(Debug, Clone, PartialEq)]
pub struct Binding {
    /// The key sequence, e.g. `["g", "g"]`.
    pub on: Vec<String>,
    /// The action.
    pub run: Action,
    /// What the help overlay says.
    pub desc: String,
    /// The panel the binding is limited to (`cameras`); on other panels the key keeps its
    /// unscoped meaning.
    pub panel: Option<String>,
}

/// The panel names a binding may be scoped to.
pub const PANELS: &[&str] = &["queue", "triage", "cameras", "service"];

#[derive(Deserialize)]
struct RawEntry {
    on: Vec<String>,
    run: String,
    #[serde(default)]
    desc: String,
    #[serde(default)]
    panel: Option<String>,
}

#[derive(Deserialize)]
struct RawFile {
    #[serde(default)]
    keymap: Vec<RawEntry>,
}

/// What a key sequence means so far.
#[derive(Debug, Clone, PartialEq)]
pub enum KeyResult {
    /// A binding matched.
    Matched(Action),
    /// A prefix of a longer binding: wait for the next key.
    Pending,
    /// Nothing bound.
    NotFound,
}

/// A resolved keymap.
#[derive(Debug, Clone, Default)]
pub struct Keymap {
    /// Bindings in file order (the help overlay shows them so).
    pub bindings: Vec<Binding>,
}

/// Checks one key name: a single character or a known `<Name>`.
fn valid_key(k: &str) -> bool {
    const NAMED: &[&str] = &[
        "<Up>",
        "<Down>",
        "<Left>",
        "<Right>",
        "<Enter>",
        "<Esc>",
        "<Tab>",
        "<BackTab>",
        "<Space>",
        "<PageUp>",
        "<PageDown>",
        "<Home>",
        "<End>",
        "<Backspace>",
        "<Delete>",
    ];
    k.chars().count() == 1 || NAMED.contains(&k) || (k.starts_with("<C-") && k.ends_with('>') && k.chars().count() == 5)
}

/// Parses a keymap file; bad entries become warnings, never errors.
pub fn parse(src: &str, warnings: &mut Vec<String>) -> Vec<Binding> {
    let raw: RawFile = match toml::from_str(src) {
        Ok(r) => r,
        Err(e) => {
            warnings.push(format!("cannot parse: {}", e.message()));
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    for e in raw.keymap {
        let Some(run) = Action::from_name(&e.run) else {
            warnings.push(format!("unknown action '{}'", e.run));
            continue;
        };
        if e.on.is_empty() || !e.on.iter().all(|k| valid_key(k)) {
            warnings.push(format!("unknown key {:?}", e.on));
            continue;
        }
        if let Some(p) = e.panel.as_deref()
            && !PANELS.contains(&p)
        {
            warnings.push(format!("unknown panel '{p}'"));
            continue;
        }
        if run.is_destructive() && e.on.len() == 1 && e.on[0].starts_with("<C-") {
            warnings.push(format!("'{}' may not be bound to a bare Ctrl chord", e.run));
            continue;
        }
        let desc = if e.desc.is_empty() {
            run.name().to_string()
        } else {
            e.desc
        };
        out.push(Binding {
            on: e.on,
            run,
            desc,
            panel: e.panel,
        });
    }
    out
}

impl Keymap {
    /// The named base map (`default` or `vim`) with the user's file merged over it per key sequence.
    pub fn load(name: Option<&str>, user: Option<&str>, warnings: &mut Vec<String>) -> Keymap {
        let base = match name.unwrap_or("default") {
            "vim" => VIM,
            "default" => DEFAULT,
            other => {
                warnings.push(format!("unknown keymap '{other}', using default"));
                DEFAULT
            }
        };
        let mut bindings = parse(base, warnings);
        if let Some(user) = user {
            for b in parse(user, warnings) {
                match bindings.iter_mut().find(|x| x.on == b.on && x.panel == b.panel) {
                    Some(x) => *x = b,
                    None => bindings.push(b),
                }
            }
        }
        Keymap { bindings }
    }

    /// Resolves a sequence of key names outside any panel (unscoped bindings only).
    pub fn resolve(&self, keys: &[String]) -> KeyResult {
        self.resolve_in(keys, "")
    }

    /// Resolves a sequence of key names on `panel`: a binding scoped to it wins over an unscoped
    /// one; bindings scoped to other panels do not count.
    pub fn resolve_in(&self, keys: &[String], panel: &str) -> KeyResult {
        let here = |b: &&Binding| b.panel.as_deref().is_none_or(|p| p == panel);
        let exact = |b: &&Binding| b.on == keys;
        if let Some(b) = self
            .bindings
            .iter()
            .filter(here)
            .filter(exact)
            .find(|b| b.panel.is_some())
            .or_else(|| self.bindings.iter().filter(here).find(exact))
        {
            return KeyResult::Matched(b.run);
        }
        if self
            .bindings
            .iter()
            .filter(here)
            .any(|b| b.on.len() > keys.len() && b.on[..keys.len()] == *keys)
        {
            return KeyResult::Pending;
        }
        KeyResult::NotFound
    }
}

/// The name of a key press as keymap files spell it.
pub fn key_name(k: &KeyEvent) -> Option<String> {
    let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
    // Alt chords are not bindable: never let Alt+x act as a bare x.
    if k.modifiers.contains(KeyModifiers::ALT) {
        return None;
    }
    Some(match k.code {
        KeyCode::Char(c) if ctrl => format!("<C-{}>", c.to_ascii_lowercase()),
        KeyCode::Char(' ') => "<Space>".into(),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Up => "<Up>".into(),
        KeyCode::Down => "<Down>".into(),
        KeyCode::Left => "<Left>".into(),
        KeyCode::Right => "<Right>".into(),
        KeyCode::Enter => "<Enter>".into(),
        KeyCode::Esc => "<Esc>".into(),
        KeyCode::Tab => "<Tab>".into(),
        KeyCode::BackTab => "<BackTab>".into(),
        KeyCode::PageUp => "<PageUp>".into(),
        KeyCode::PageDown => "<PageDown>".into(),
        KeyCode::Home => "<Home>".into(),
        KeyCode::End => "<End>".into(),
        KeyCode::Backspace => "<Backspace>".into(),
        KeyCode::Delete => "<Delete>".into(),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_keymaps_parse_without_warnings() {
        for src in [DEFAULT, VIM] {
            let mut w = Vec::new();
            let b = parse(src, &mut w);
            assert!(w.is_empty(), "{w:?}");
            assert!(b.iter().any(|b| b.run == Action::Filter));
            assert!(b.iter().any(|b| b.run == Action::Quit && b.on == ["q"]));
        }
    }

    #[test]
    fn user_map_merges_and_warns() {
        let user = r#"keymap = [
            { on = ["q"], run = "help", desc = "Help" },
            { on = ["z"], run = "no.such", desc = "x" },
            { on = ["<C-x>"], run = "close", desc = "x" },
        ]"#;
        let mut w = Vec::new();
        let k = Keymap::load(None, Some(user), &mut w);
        assert_eq!(w.len(), 2);
        assert_eq!(k.resolve(&["q".into()]), KeyResult::Matched(Action::Help));
        assert_eq!(k.resolve(&["g".into()]), KeyResult::Pending);
        assert_eq!(k.resolve(&["g".into(), "g".into()]), KeyResult::Matched(Action::Top));
        let mut w = Vec::new();
        Keymap::load(None, Some("not toml ["), &mut w);
        assert_eq!(w.len(), 1);
    }

    #[test]
    fn panel_scoped_bindings_win_on_their_panel_only() {
        for name in [None, Some("vim")] {
            let mut w = Vec::new();
            let k = Keymap::load(name, None, &mut w);
            assert!(w.is_empty(), "{w:?}");
            let enter = ["<Enter>".to_string()];
            assert_eq!(k.resolve_in(&enter, "cameras"), KeyResult::Matched(Action::Snapshot));
            assert_eq!(k.resolve_in(&enter, "queue"), KeyResult::Matched(Action::Detail));
            assert_eq!(k.resolve(&enter), KeyResult::Matched(Action::Detail));
        }
        let mut w = Vec::new();
        let user = r#"keymap = [
            { on = ["s"], run = "camera.snapshot", panel = "cameras" },
            { on = ["<Enter>"], run = "refresh", panel = "cameras" },
            { on = ["z"], run = "help", panel = "nowhere" },
        ]"#;
        let k = Keymap::load(None, Some(user), &mut w);
        assert_eq!(w, vec!["unknown panel 'nowhere'".to_string()]);
        assert_eq!(
            k.resolve_in(&["s".into()], "cameras"),
            KeyResult::Matched(Action::Snapshot)
        );
        assert_eq!(k.resolve_in(&["s".into()], "triage"), KeyResult::NotFound);
        // The user's scoped <Enter> replaced the shipped scoped one, not the unscoped one.
        assert_eq!(
            k.resolve_in(&["<Enter>".into()], "cameras"),
            KeyResult::Matched(Action::Refresh)
        );
        assert_eq!(
            k.resolve_in(&["<Enter>".into()], "queue"),
            KeyResult::Matched(Action::Detail)
        );
    }

    #[test]
    fn every_action_has_a_name() {
        for a in Action::ALL {
            assert_eq!(Action::from_name(a.name()), Some(*a));
        }
    }
}
