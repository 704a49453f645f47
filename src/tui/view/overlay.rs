//! Overlays drawn over the body: the help (generated from the active keymap), pickers,
//! confirmations and a camera's snapshot.

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
        Mode::Snapshot => snapshot(app, area, buf),
        _ => {}
    }
}

/// The snapshot overlay: the whole body, the camera in the title, the image (or "loading…", or
/// why not) centred, and a caption saying how to close it and how it is drawn.
fn snapshot(app: &App, area: Rect, buf: &mut Buffer) {
    use crate::tui::snapshot::SnapshotState;
    let Some(view) = &app.snapshot else { return };
    Clear.render(area, buf);
    let title = app.i18n.tf(
        "snapshot.title",
        &[("name", &sanitize(&view.name)), ("id", &sanitize(&view.id))],
    );
    let b = block(app, title);
    let inner = b.inner(area);
    b.render(area, buf);
    let image_area = Rect {
        height: inner.height.saturating_sub(1),
        ..inner
    };
    let caption = Rect {
        y: image_area.bottom(),
        height: inner.height.min(1),
        ..inner
    };
    let loading = (app.i18n.t("snapshot.loading"), app.theme.dim);
    let text = match &view.state {
        SnapshotState::Loading => Some(loading),
        SnapshotState::Failed(why) => Some((why.as_str(), app.theme.alert)),
        SnapshotState::Ready { shown, .. } => match shown {
            // The driver fits the image to this very area before drawing.
            Some((fitted, p)) if *fitted == image_area => {
                let size = p.size();
                let at = centered(image_area, size.width, size.height);
                ratatui_image::Image::new(p).render(at, buf);
                if let crate::tui::snapshot::Graphics::HalfBlocks { truecolor: false } = app.graphics {
                    to_256(buf, at);
                }
                None
            }
            _ => Some(loading),
        },
    };
    if let Some((text, style)) = text {
        let r = centered(image_area, image_area.width, 3.min(image_area.height));
        Paragraph::new(text.to_string())
            .style(style)
            .alignment(ratatui::layout::Alignment::Center)
            .wrap(ratatui::widgets::Wrap { trim: true })
            .render(r, buf);
    }
    let hint = app.i18n.tf("snapshot.hint", &[("how", app.graphics.name())]);
    Paragraph::new(hint).style(app.theme.dim).render(caption, buf);
}

/// Brings 24-bit cell colours in `area` to the nearest of the 256, for terminals that have no more.
fn to_256(buf: &mut Buffer, area: Rect) {
    use crate::tui::theme::nearest_256;
    use ratatui::style::Color;
    let near = |c: Color| match c {
        Color::Rgb(r, g, b) => Color::Indexed(nearest_256(r, g, b)),
        other => other,
    };
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right() {
            if let Some(cell) = buf.cell_mut((x, y)) {
                let (fg, bg) = (near(cell.fg), near(cell.bg));
                cell.set_fg(fg).set_bg(bg);
            }
        }
    }
}
