//! The desk's modal states (filter, command line, help, confirmation, pickers, text prompts) and
//! how keys act in each. Pure like [`super::app`]: effects out, no I/O.

use super::app::{App, Effect, Panel};
use crate::domain::text::fold;
use crate::domain::{Command, Envelope, Priority, RejectReason, Report, ReportState, catalog};
use crossterm::event::{KeyCode, KeyEvent};
use std::collections::BTreeSet;

/// An item an action applies to, with the version the officer saw.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    /// Report or case id.
    pub id: String,
    /// Its version when listed.
    pub version: u64,
}

/// What a picker picks.
#[derive(Debug, Clone, PartialEq)]
pub enum PickerKind {
    /// A reject reason.
    RejectReason,
    /// The master report of a duplicate.
    Master,
    /// Agencies to forward to (multi-select).
    Agencies,
}

/// A list to pick from, searched with folded text.
#[derive(Debug, Clone, PartialEq)]
pub struct Picker {
    /// What it picks.
    pub kind: PickerKind,
    /// Code and label of every item.
    pub items: Vec<(String, String)>,
    /// The search text.
    pub search: String,
    /// The cursor within the visible items.
    pub cursor: usize,
    /// Chosen codes (multi-select).
    pub chosen: BTreeSet<String>,
    /// What the pick applies to.
    pub targets: Vec<Target>,
}

impl Picker {
    /// Items matching the search (folded, so diacritics do not matter).
    pub fn visible(&self) -> Vec<&(String, String)> {
        let q = fold(&self.search);
        self.items
            .iter()
            .filter(|(c, l)| q.is_empty() || fold(c).contains(&q) || fold(l).contains(&q))
            .collect()
    }
}

/// What a text prompt is for.
#[derive(Debug, Clone, PartialEq)]
pub enum InputKind {
    /// A note on the targets.
    Note,
    /// Days to extend by.
    ExtendDays,
    /// Why extend, after the days.
    ExtendReason(u32),
    /// Why reopen.
    ReopenReason,
    /// Why return the answer.
    ReturnReason,
}

impl InputKind {
    /// The prompt's catalogue key.
    pub fn prompt_key(&self) -> &'static str {
        match self {
            InputKind::Note => "input.note",
            InputKind::ExtendDays => "input.extend_days",
            InputKind::ExtendReason(_) => "input.extend_reason",
            InputKind::ReopenReason => "input.reopen_reason",
            InputKind::ReturnReason => "picker.return",
        }
    }
}

/// The modal state.
#[derive(Debug, Clone, PartialEq)]
pub enum Mode {
    /// Keys go to the keymap.
    Normal,
    /// Typing the focused list's filter.
    Filter,
    /// Typing a `:` command.
    Command {
        /// The text.
        text: String,
        /// Position while browsing history.
        hist: Option<usize>,
    },
    /// The help overlay.
    Help,
    /// A yes/no question before commands run (or before quitting, when `name` is `quit`).
    Confirm {
        /// The question.
        prompt: String,
        /// What runs on yes.
        envs: Vec<Envelope>,
        /// The action's name.
        name: String,
    },
    /// A picker.
    Picker(Picker),
    /// A text prompt.
    Input {
        /// What for.
        kind: InputKind,
        /// The text so far.
        text: String,
        /// What it applies to.
        targets: Vec<Target>,
    },
    /// Waiting for 1–4.
    Priority(Vec<Target>),
    /// The camera snapshot overlay (its state is [`App::snapshot`]).
    Snapshot,
}

/// Runs commands, asking first when `ask` (destructive or bulk).
pub fn run_or_confirm(app: &mut App, name: &str, envs: Vec<Envelope>, ask: Option<String>) -> Vec<Effect> {
    if envs.is_empty() {
        let t = app.i18n.t("msg.nothing").to_string();
        app.say(t, true);
        return Vec::new();
    }
    match ask {
        Some(prompt) => {
            app.mode = Mode::Confirm {
                prompt,
                envs,
                name: name.into(),
            };
            Vec::new()
        }
        None => {
            app.mode = Mode::Normal;
            vec![Effect::Execute(name.into(), envs)]
        }
    }
}

/// The bulk question when more than one item is targeted.
pub fn bulk_prompt(app: &App, name: &str, n: usize) -> Option<String> {
    (n > 1).then(|| app.i18n.tf("confirm.bulk", &[("action", name), ("n", &n.to_string())]))
}

/// An envelope with the version the officer saw.
pub fn env(command: Command, version: u64) -> Envelope {
    Envelope {
        command,
        expected_version: Some(version),
    }
}

/// Opens the duplicate picker over loaded candidates.
pub fn open_master_picker(app: &mut App, rows: Vec<Report>) -> Vec<Effect> {
    let targets = super::app::targets(app);
    let items = rows
        .into_iter()
        .filter(|r| !targets.iter().any(|t| t.id == r.id))
        .map(|r| {
            let label = format!("{} {}", r.id, crate::domain::text::sanitize(&r.text));
            (r.id, label)
        })
        .collect();
    app.mode = Mode::Picker(Picker {
        kind: PickerKind::Master,
        items,
        search: String::new(),
        cursor: 0,
        chosen: BTreeSet::new(),
        targets,
    });
    Vec::new()
}

/// Opens a picker of reject reasons or agencies.
pub fn open_picker(app: &mut App, kind: PickerKind) {
    let items = match kind {
        PickerKind::RejectReason => RejectReason::ALL
            .iter()
            .map(|r| {
                let label = app.i18n.t(&format!("reason.{}", r.as_str())).to_string();
                (r.as_str().to_string(), label)
            })
            .collect(),
        _ => catalog::agencies()
            .iter()
            .map(|a| (a.code.clone(), format!("{} — {}", a.code, a.name)))
            .collect(),
    };
    app.mode = Mode::Picker(Picker {
        kind,
        items,
        search: String::new(),
        cursor: 0,
        chosen: BTreeSet::new(),
        targets: super::app::targets(app),
    });
}

/// Keys in a modal state.
pub fn key(app: &mut App, k: KeyEvent) -> Vec<Effect> {
    let mode = std::mem::replace(&mut app.mode, Mode::Normal);
    match mode {
        Mode::Normal => Vec::new(),
        Mode::Help => match k.code {
            KeyCode::Esc | KeyCode::Char('?') | KeyCode::Char('q') | KeyCode::Enter => Vec::new(),
            _ => {
                app.mode = Mode::Help;
                Vec::new()
            }
        },
        Mode::Snapshot => {
            let ctrl_c = k.code == KeyCode::Char('c') && k.modifiers.contains(crossterm::event::KeyModifiers::CONTROL);
            match k.code {
                _ if ctrl_c => app.quit = true,
                KeyCode::Esc | KeyCode::Char('q') => super::snapshot::close(app),
                _ => app.mode = Mode::Snapshot,
            }
            Vec::new()
        }
        Mode::Filter => filter_key(app, k),
        Mode::Command { text, hist } => super::command::key(app, k, text, hist),
        Mode::Confirm { prompt, envs, name } => match k.code {
            KeyCode::Char('y') | KeyCode::Char('Y') => {
                if name == "quit" {
                    app.quit = true;
                    Vec::new()
                } else {
                    vec![Effect::Execute(name, envs)]
                }
            }
            KeyCode::Char('n') | KeyCode::Char('N') | KeyCode::Esc => Vec::new(),
            _ => {
                app.mode = Mode::Confirm { prompt, envs, name };
                Vec::new()
            }
        },
        Mode::Priority(targets) => {
            let p = match k.code {
                KeyCode::Char('1') => Priority::P1,
                KeyCode::Char('2') => Priority::P2,
                KeyCode::Char('3') => Priority::P3,
                KeyCode::Char('4') => Priority::P4,
                _ => return Vec::new(),
            };
            let envs: Vec<Envelope> = targets
                .iter()
                .map(|t| {
                    env(
                        Command::SetPriority {
                            case_id: t.id.clone(),
                            priority: p,
                        },
                        t.version,
                    )
                })
                .collect();
            let ask = bulk_prompt(app, "priority", envs.len());
            run_or_confirm(app, "priority", envs, ask)
        }
        Mode::Picker(p) => picker_key(app, k, p),
        Mode::Input { kind, text, targets } => input_key(app, k, kind, text, targets),
    }
}

fn filter_key(app: &mut App, k: KeyEvent) -> Vec<Effect> {
    let q = match app.panel {
        Panel::Queue => &mut app.case_query,
        Panel::Triage => &mut app.report_query,
        _ => return Vec::new(),
    };
    match k.code {
        KeyCode::Enter => return Vec::new(),
        KeyCode::Esc => {
            if q.is_empty() {
                return Vec::new();
            }
            q.clear();
        }
        KeyCode::Backspace => {
            q.pop();
            app.mode = Mode::Filter;
        }
        KeyCode::Char(c) => {
            q.push(c);
            app.mode = Mode::Filter;
        }
        _ => {
            app.mode = Mode::Filter;
            return Vec::new();
        }
    }
    app.refresh()
}

fn picker_key(app: &mut App, k: KeyEvent, mut p: Picker) -> Vec<Effect> {
    let n = p.visible().len();
    match k.code {
        KeyCode::Esc => return Vec::new(),
        KeyCode::Down => p.cursor = (p.cursor + 1).min(n.saturating_sub(1)),
        KeyCode::Up => p.cursor = p.cursor.saturating_sub(1),
        KeyCode::Backspace => {
            p.search.pop();
            p.cursor = 0;
        }
        KeyCode::Char(' ') if p.kind == PickerKind::Agencies => {
            if let Some((code, _)) = p.visible().get(p.cursor).map(|x| (*x).clone())
                && !p.chosen.remove(&code)
            {
                p.chosen.insert(code);
            }
        }
        KeyCode::Char(c) => {
            p.search.push(c);
            p.cursor = 0;
        }
        KeyCode::Enter => return picked(app, p),
        _ => {}
    }
    app.mode = Mode::Picker(p);
    Vec::new()
}

fn picked(app: &mut App, p: Picker) -> Vec<Effect> {
    let current = p.visible().get(p.cursor).map(|(c, _)| c.clone());
    match p.kind {
        PickerKind::RejectReason => {
            let Some(reason) = current.and_then(|c| c.parse::<RejectReason>().ok()) else {
                return Vec::new();
            };
            let envs: Vec<Envelope> = p
                .targets
                .iter()
                .map(|t| {
                    env(
                        Command::RejectReport {
                            id: t.id.clone(),
                            reason,
                        },
                        t.version,
                    )
                })
                .collect();
            let n = envs.len().to_string();
            let label = app.i18n.t(&format!("reason.{}", reason.as_str())).to_string();
            let ask = app.i18n.tf("confirm.reject", &[("n", &n), ("reason", &label)]);
            run_or_confirm(app, "reject", envs, Some(ask))
        }
        PickerKind::Master => {
            let Some(master) = current else { return Vec::new() };
            let envs: Vec<Envelope> = p
                .targets
                .iter()
                .map(|t| {
                    env(
                        Command::MergeReport {
                            id: t.id.clone(),
                            master: master.clone(),
                        },
                        t.version,
                    )
                })
                .collect();
            let ask = bulk_prompt(app, "merge", envs.len());
            run_or_confirm(app, "merge", envs, ask)
        }
        PickerKind::Agencies => {
            let agencies: Vec<String> = p.chosen.iter().cloned().collect();
            let mut envs = Vec::new();
            for t in &p.targets {
                let is_new = app
                    .reports
                    .iter()
                    .find(|r| r.id == t.id)
                    .is_some_and(|r| r.state == ReportState::New);
                let mut v = t.version;
                // Only verified reports can be forwarded: triage verifies on the way.
                if is_new {
                    envs.push(env(
                        Command::VerifyReport {
                            id: t.id.clone(),
                            category: None,
                        },
                        v,
                    ));
                    v += 1;
                }
                envs.push(env(
                    Command::Forward {
                        report_id: t.id.clone(),
                        agencies: agencies.clone(),
                        priority: None,
                    },
                    v,
                ));
            }
            let ask = bulk_prompt(app, "forward", p.targets.len());
            run_or_confirm(app, "forward", envs, ask)
        }
    }
}

fn input_key(app: &mut App, k: KeyEvent, kind: InputKind, mut text: String, targets: Vec<Target>) -> Vec<Effect> {
    match k.code {
        KeyCode::Esc => return Vec::new(),
        KeyCode::Backspace => {
            text.pop();
        }
        KeyCode::Char(c) => text.push(c),
        KeyCode::Enter => return submit_input(app, kind, text, targets),
        _ => {}
    }
    app.mode = Mode::Input { kind, text, targets };
    Vec::new()
}

fn submit_input(app: &mut App, kind: InputKind, text: String, targets: Vec<Target>) -> Vec<Effect> {
    let text = text.trim().to_string();
    if text.is_empty() {
        app.mode = Mode::Input { kind, text, targets };
        return Vec::new();
    }
    type Make = Box<dyn Fn(&Target) -> Command>;
    let (name, make): (&str, Make) = match kind {
        InputKind::ExtendDays => {
            match text.parse::<u32>() {
                Ok(d) if d > 0 && d <= 60 => {
                    app.mode = Mode::Input {
                        kind: InputKind::ExtendReason(d),
                        text: String::new(),
                        targets,
                    };
                }
                _ => {
                    app.mode = Mode::Input {
                        kind,
                        text: String::new(),
                        targets,
                    };
                }
            }
            return Vec::new();
        }
        InputKind::Note => (
            "note",
            Box::new(move |t: &Target| Command::AddNote {
                subject: t.id.clone(),
                text: text.clone(),
            }),
        ),
        InputKind::ExtendReason(days) => (
            "extend",
            Box::new(move |t: &Target| Command::Extend {
                case_id: t.id.clone(),
                days,
                reason: text.clone(),
            }),
        ),
        InputKind::ReopenReason => (
            "reopen",
            Box::new(move |t: &Target| Command::Reopen {
                case_id: t.id.clone(),
                reason: text.clone(),
            }),
        ),
        InputKind::ReturnReason => (
            "return",
            Box::new(move |t: &Target| Command::ReturnAnswer {
                case_id: t.id.clone(),
                reason: text.clone(),
            }),
        ),
    };
    let envs: Vec<Envelope> = targets.iter().map(|t| env(make(t), t.version)).collect();
    let ask = bulk_prompt(app, name, envs.len());
    run_or_confirm(app, name, envs, ask)
}
