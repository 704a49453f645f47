//! What each keymap [`Action`] does to the desk state: movement, panels, and the commands on
//! reports and cases (each sent with the row's version as `expected_version`).

use super::app::{App, Effect, Panel};
use super::keymap::Action;
use super::modal::Target;
use super::modal::{InputKind, Mode, PickerKind, bulk_prompt, env, open_picker, run_or_confirm};
use crate::domain::query::ReportFilter;
use crate::domain::{Command, ReportState};
use std::collections::BTreeSet;

/// Runs one action.
pub fn run(app: &mut App, a: Action) -> Vec<Effect> {
    let page = 20isize;
    let sel = app.selection() as isize;
    match a {
        Action::Quit => {
            app.quit = true;
            Vec::new()
        }
        Action::PanelQueue => app.focus(Panel::Queue),
        Action::PanelTriage => app.focus(Panel::Triage),
        Action::PanelCameras => app.focus(Panel::Cameras),
        Action::PanelService => app.focus(Panel::Service),
        Action::PanelNext => app.cycle(1),
        Action::PanelPrev => app.cycle(-1),
        Action::Down => app.select(sel + 1),
        Action::Up => app.select(sel - 1),
        Action::PageDown => app.select(sel + page),
        Action::PageUp => app.select(sel - page),
        Action::Top => app.select(0),
        Action::Bottom => app.select(isize::MAX / 2),
        Action::Filter => {
            if matches!(app.panel, Panel::Queue | Panel::Triage) {
                app.mode = Mode::Filter;
            } else {
                not_here(app);
            }
            Vec::new()
        }
        Action::CommandLine => {
            app.mode = Mode::Command {
                text: String::new(),
                hist: None,
            };
            Vec::new()
        }
        Action::Help => {
            app.mode = Mode::Help;
            Vec::new()
        }
        Action::Snapshot => super::snapshot::open(app),
        Action::Mark => {
            if let Some(t) = selected(app)
                && !app.marked.remove(&t.id)
            {
                app.marked.insert(t.id);
            }
            app.select(sel + 1)
        }
        Action::MarkClear => {
            app.marked.clear();
            Vec::new()
        }
        Action::Detail => {
            app.show_detail = !app.show_detail;
            app.load_detail()
        }
        Action::Refresh => {
            let mut fx = app.refresh();
            if app.panel == Panel::Service {
                fx.push(Effect::LoadService(app.now));
                fx.dedup();
            }
            fx.extend(app.load_detail());
            fx
        }
        Action::Copy => {
            let text = match app.panel {
                Panel::Queue => app
                    .selected_case()
                    .map(|c| format!("{} {} {} {}", c.id, c.priority, c.state, c.category)),
                Panel::Triage => app
                    .selected_report()
                    .map(|r| format!("{} {}", r.id, crate::domain::text::sanitize(&r.text))),
                _ => None,
            };
            match text {
                Some(t) => {
                    let id = t.split(' ').next().unwrap_or_default().to_string();
                    let m = app.i18n.tf("msg.copied", &[("id", &id)]);
                    app.say(m, false);
                    vec![Effect::Copy(t)]
                }
                None => nothing(app),
            }
        }
        _ => item_action(app, a),
    }
}

fn selected(app: &App) -> Option<super::modal::Target> {
    let (id, version) = match app.panel {
        Panel::Queue => app.selected_case().map(|c| (c.id.clone(), c.version))?,
        Panel::Triage => app.selected_report().map(|r| (r.id.clone(), r.version))?,
        _ => return None,
    };
    Some(super::modal::Target { id, version })
}

fn not_here(app: &mut App) {
    let t = app.i18n.t("msg.not_here").to_string();
    app.say(t, true);
}

fn nothing(app: &mut App) -> Vec<Effect> {
    let t = app.i18n.t("msg.nothing").to_string();
    app.say(t, true);
    Vec::new()
}

/// Actions on the marked rows or the selected one.
fn item_action(app: &mut App, a: Action) -> Vec<Effect> {
    let ts = targets(app);
    if ts.is_empty() {
        return if matches!(app.panel, Panel::Queue | Panel::Triage) {
            nothing(app)
        } else {
            not_here(app);
            Vec::new()
        };
    }
    let triage = app.panel == Panel::Triage;
    let queue = app.panel == Panel::Queue;
    let simple = |app: &mut App, name: &str, f: &dyn Fn(String) -> Command, destructive: bool| {
        let envs: Vec<_> = ts.iter().map(|t| env(f(t.id.clone()), t.version)).collect();
        let n = envs.len();
        let ask = if destructive {
            Some(match name {
                "close" => app.i18n.tf("confirm.close", &[("n", &n.to_string())]),
                _ => app.i18n.tf("confirm.bulk", &[("action", name), ("n", &n.to_string())]),
            })
        } else {
            bulk_prompt(app, name, n)
        };
        run_or_confirm(app, name, envs, ask)
    };
    match a {
        Action::Verify if triage => simple(app, "verify", &|id| Command::VerifyReport { id, category: None }, false),
        Action::Reject if triage => {
            open_picker(app, PickerKind::RejectReason);
            Vec::new()
        }
        Action::Forward if triage => {
            open_picker(app, PickerKind::Agencies);
            Vec::new()
        }
        Action::Merge if triage => vec![Effect::LoadCandidates(ReportFilter {
            states: vec![ReportState::New, ReportState::Verified],
            limit: 300,
            ..ReportFilter::default()
        })],
        Action::Priority if queue => {
            app.mode = Mode::Priority(ts);
            Vec::new()
        }
        Action::Claim if queue => {
            let me = app.info.actor.clone();
            let envs: Vec<_> = ts
                .iter()
                .map(|t| {
                    let mine = app
                        .cases
                        .iter()
                        .any(|c| c.id == t.id && c.claimed_by.as_deref() == Some(me.as_str()));
                    let case_id = t.id.clone();
                    env(
                        if mine {
                            Command::Release { case_id }
                        } else {
                            Command::Claim { case_id }
                        },
                        t.version,
                    )
                })
                .collect();
            let ask = bulk_prompt(app, "claim", envs.len());
            run_or_confirm(app, "claim", envs, ask)
        }
        Action::Acknowledge if queue => simple(
            app,
            "acknowledge",
            &|case_id| Command::Acknowledge { case_id, agency: None },
            false,
        ),
        Action::Approve if queue => simple(app, "approve", &|case_id| Command::ApproveAnswer { case_id }, false),
        Action::Close if queue => simple(app, "close", &|case_id| Command::Close { case_id }, true),
        Action::Extend if queue => input(app, InputKind::ExtendDays, ts),
        Action::Return if queue => input(app, InputKind::ReturnReason, ts),
        Action::Reopen if queue => input(app, InputKind::ReopenReason, ts),
        Action::Note => input(app, InputKind::Note, ts),
        _ => {
            not_here(app);
            Vec::new()
        }
    }
}

fn input(app: &mut App, kind: InputKind, targets: Vec<super::modal::Target>) -> Vec<Effect> {
    app.mode = Mode::Input {
        kind,
        text: String::new(),
        targets,
    };
    Vec::new()
}

/// The ids and versions an action applies to: the marked rows, else the selected one.
pub fn targets(app: &App) -> Vec<Target> {
    match app.panel {
        Panel::Queue => pick(&app.cases, app.case_sel, &app.marked, |c| (c.id.clone(), c.version)),
        Panel::Triage => pick(&app.reports, app.report_sel, &app.marked, |r| (r.id.clone(), r.version)),
        _ => Vec::new(),
    }
}

fn pick<T>(rows: &[T], sel: usize, marked: &BTreeSet<String>, f: impl Fn(&T) -> (String, u64)) -> Vec<Target> {
    let all: Vec<(String, u64)> = rows.iter().map(f).collect();
    let chosen: Vec<Target> = all
        .iter()
        .filter(|(id, _)| marked.contains(id))
        .map(|(id, version)| Target {
            id: id.clone(),
            version: *version,
        })
        .collect();
    if !chosen.is_empty() {
        return chosen;
    }
    all.get(sel)
        .map(|(id, version)| Target {
            id: id.clone(),
            version: *version,
        })
        .into_iter()
        .collect()
}
