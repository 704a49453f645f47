//! Overlays drawn over the body: the help (generated from the active keymap), pickers and
//! confirmations.

use super::{block, centered};
use crate::domain::text::sanitize;
use crate::tui::app::App;
use crate::tui::keymap::Action;
use crate::tui::modal::{Mode, PickerKind};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph, Widget};

/// Help lines: each action once, with every key bound to it and its description.
pub fn help_lines(app: &App) -> Vec<String> {
    let mut seen: Vec<Action> = Vec::new();
    let mut out = Vec::new();
    for b in &app.keymap.bindings {
        if seen.contains(&b.run) {
            continue;
        }
        seen.push(b.run);
        let keys: Vec<String> = app
            .keymap
            .bindings
            .iter()
            .filter(|x| x.run == b.run)
            .map(|x| x.on.join(""))
            .collect();
        // The keymap's own words in English; the catalogue's in Vietnamese.
        let key = format!("action.{}", b.run.name());
        let desc = match app.i18n.lang() {
            crate::tui::i18n::Lang::Vi if app.i18n.t(&key) != key => app.i18n.t(&key).to_string(),
            _ => b.desc.clone(),
        };
        out.push(format!("{:<14} {}", keys.join(" "), desc));
    }
    out
}

/// Draws whichever overlay the mode calls for.
pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    match &app.mode {
        Mode::Help => {
            let lines = help_lines(app);
            let two = area.width >= 76;
            let w = if two {
                area.width.saturating_sub(4)
            } else {
                area.width.min(64)
            };
            let rows = if two { lines.len().div_ceil(2) } else { lines.len() };
            let r = centered(area, w, rows as u16 + 2);
            Clear.render(r, buf);
            let b = block(app, app.i18n.t("help.title").to_string());
            let inner = b.inner(r);
            b.render(r, buf);
            if two {
                let [a, c] = Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(inner);
                let (l, rr) = lines.split_at(rows.min(lines.len()));
                Paragraph::new(l.iter().map(|s| Line::raw(s.clone())).collect::<Vec<_>>()).render(a, buf);
                Paragraph::new(rr.iter().map(|s| Line::raw(s.clone())).collect::<Vec<_>>()).render(c, buf);
            } else {
                Paragraph::new(lines.into_iter().map(Line::raw).collect::<Vec<_>>()).render(inner, buf);
            }
        }
        Mode::Picker(p) => {
            let title = app.i18n.t(match p.kind {
                PickerKind::RejectReason => "picker.reason",
                PickerKind::Master => "picker.master",
                PickerKind::Agencies => "picker.agency",
            });
            let vis = p.visible();
            let h = (vis.len() as u16 + 3).min(area.height);
            let r = centered(area, area.width.saturating_sub(6).min(90), h.max(5));
            Clear.render(r, buf);
            let b = block(app, title.to_string());
            let inner = b.inner(r);
            b.render(r, buf);
            let mut lines = vec![Line::raw(format!("> {}▏", sanitize(&p.search)))];
            let room = inner.height.saturating_sub(1) as usize;
            let start = p.cursor.saturating_sub(room.saturating_sub(1));
            for (i, (code, label)) in vis.iter().enumerate().skip(start).take(room) {
                let mark = if p.chosen.contains(code) {
                    "[x] "
                } else if p.kind == PickerKind::Agencies {
                    "[ ] "
                } else {
                    ""
                };
                let line = Line::raw(format!("{mark}{}", sanitize(label)));
                lines.push(if i == p.cursor {
                    line.style(app.theme.selected)
                } else {
                    line
                });
            }
            Paragraph::new(lines).render(inner, buf);
        }
        _ => {}
    }
}
