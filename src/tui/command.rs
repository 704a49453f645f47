//! The `:` command line: `:ward`, `:agency`, `:overdue`, `:sort`, `:clear`, `:q`, with Tab
//! completion and Up/Down history.

use super::app::{App, Effect};
use super::modal::Mode;
use crate::domain::catalog;
use crate::domain::query::CaseSort;
use crate::domain::text::fold;
use crossterm::event::{KeyCode, KeyEvent};

/// The commands, for completion.
pub const COMMANDS: &[&str] = &["ward", "agency", "overdue", "sort", "clear", "q", "quit"];

/// Candidates completing `text`.
pub fn complete(text: &str) -> Vec<String> {
    let (cmd, arg) = match text.split_once(' ') {
        Some((c, a)) => (c, Some(a)),
        None => (text, None),
    };
    let Some(arg) = arg else {
        return COMMANDS
            .iter()
            .filter(|c| c.starts_with(cmd))
            .map(|c| c.to_string())
            .collect();
    };
    let q = fold(arg);
    let pool: Vec<String> = match cmd {
        "ward" => catalog::wards().iter().map(|w| w.name.clone()).collect(),
        "agency" => catalog::agencies().iter().map(|a| a.code.clone()).collect(),
        "sort" => ["deadline", "priority", "newest", "updated"].map(String::from).to_vec(),
        _ => Vec::new(),
    };
    pool.into_iter()
        .filter(|p| fold(p).starts_with(&q))
        .map(|p| format!("{cmd} {p}"))
        .collect()
}

/// Keys while the command line is open.
pub fn key(app: &mut App, k: KeyEvent, mut text: String, mut hist: Option<usize>) -> Vec<Effect> {
    match k.code {
        KeyCode::Esc => return Vec::new(),
        KeyCode::Enter => return execute(app, text.trim()),
        KeyCode::Backspace => {
            text.pop();
        }
        KeyCode::Tab => {
            if let Some(first) = complete(&text).into_iter().next() {
                text = first;
            }
        }
        KeyCode::Up if !app.history.is_empty() => {
            let i = hist.map(|i| i.saturating_sub(1)).unwrap_or(app.history.len() - 1);
            hist = Some(i);
            text = app.history.get(i).cloned().unwrap_or_default();
        }
        KeyCode::Down => {
            if let Some(i) = hist {
                let j = i + 1;
                hist = (j < app.history.len()).then_some(j);
                text = hist.and_then(|j| app.history.get(j).cloned()).unwrap_or_default();
            }
        }
        KeyCode::Char(c) => text.push(c),
        _ => {}
    }
    app.mode = Mode::Command { text, hist };
    Vec::new()
}

/// Runs one command line.
pub fn execute(app: &mut App, line: &str) -> Vec<Effect> {
    if line.is_empty() {
        return Vec::new();
    }
    if app.history.last().map(String::as_str) != Some(line) {
        app.history.push(line.to_string());
    }
    let (cmd, arg) = match line.split_once(' ') {
        Some((c, a)) => (c, a.trim()),
        None => (line, ""),
    };
    let bad = |app: &mut App| {
        let t = app
            .i18n
            .tf("msg.unknown_cmd", &[("c", &crate::domain::text::sanitize(line))]);
        app.say(t, true);
        Vec::new()
    };
    match cmd {
        "q" | "quit" => {
            app.quit = true;
            return Vec::new();
        }
        "ward" if arg.is_empty() => app.ward = None,
        "ward" => match catalog::resolve_ward(arg) {
            Some(w) => app.ward = Some(w.code.clone()),
            None => return bad(app),
        },
        "agency" if arg.is_empty() => app.agency = None,
        "agency" => match catalog::agency(arg) {
            Some(a) => app.agency = Some(a.code.clone()),
            None => return bad(app),
        },
        "overdue" => app.overdue = !app.overdue,
        "sort" => match arg.parse::<CaseSort>() {
            Ok(s) => app.sort = s,
            Err(_) => return bad(app),
        },
        "clear" => {
            app.ward = None;
            app.agency = None;
            app.overdue = false;
            app.case_query.clear();
            app.report_query.clear();
        }
        _ => return bad(app),
    }
    app.message = Some((format!(":{}", crate::domain::text::sanitize(line)), false));
    let mut fx = app.refresh();
    fx.extend(app.load_detail());
    fx
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completes_commands_and_wards() {
        assert_eq!(complete("ov"), vec!["overdue"]);
        assert!(complete("sort d").contains(&"sort deadline".to_string()));
        assert!(complete("agency hep").contains(&"agency hepco".to_string()));
    }
}
