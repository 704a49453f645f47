//! Rendering: `impl Widget for &App` lays out the screen; the sub-modules draw panels, the detail
//! pane and overlays. Views only read the state. Citizen text is sanitized before it is drawn.

mod detail;
mod lists;
mod overlay;
mod panels;

use super::app::{App, Panel};
use super::modal::Mode;
use crate::domain::calendar;
use ratatui::buffer::Buffer;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};

/// Below this the desk shows only a "too small" message.
pub const MIN_WIDTH: u16 = 60;
/// Below this the desk shows only a "too small" message.
pub const MIN_HEIGHT: u16 = 16;
/// From this width the detail pane sits beside the list.
pub const WIDE: u16 = 110;

impl Widget for &App {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
            let msg = self.i18n.t("small.message");
            let pad = area.height.saturating_sub(2) / 2;
            let mut lines: Vec<Line> = (0..pad).map(|_| Line::raw("")).collect();
            lines.push(Line::raw(msg));
            Paragraph::new(lines)
                .alignment(Alignment::Center)
                .wrap(Wrap { trim: true })
                .render(area, buf);
            return;
        }
        let [header, body, message, hint, status] = regions(area);
        render_header(self, header, buf);
        let wide = area.width >= WIDE;
        let (list, detail) = if wide {
            let [l, d] = Layout::horizontal([Constraint::Min(84), Constraint::Percentage(32)]).areas(body);
            (l, Some(d))
        } else if self.show_detail {
            let [l, d] = Layout::vertical([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(body);
            (l, Some(d))
        } else {
            (body, None)
        };
        match self.panel {
            Panel::Queue => lists::queue(self, list, buf),
            Panel::Triage => lists::triage(self, list, buf),
            Panel::Cameras => panels::cameras(self, body, buf),
            Panel::Service => panels::service(self, body, buf),
        }
        if let (Some(d), Panel::Queue | Panel::Triage) = (detail, self.panel) {
            detail::render(self, d, buf);
        }
        render_message(self, message, buf);
        Paragraph::new(hint_line(self)).style(self.theme.dim).render(hint, buf);
        render_status(self, status, buf);
        overlay::render(self, body, buf);
    }
}

/// Header, body, message line, hint line and status bar of a frame.
fn regions(area: Rect) -> [Rect; 5] {
    Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(5),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area)
}

/// Where the snapshot overlay puts the image in a frame: the body inside the overlay's border,
/// less the caption line at its foot.
pub fn snapshot_image_area(frame: Rect) -> Rect {
    let [_, body, ..] = regions(frame);
    let inner = Block::default().borders(Borders::ALL).inner(body);
    Rect {
        height: inner.height.saturating_sub(1),
        ..inner
    }
}

/// The key hint line, generated from the active keymap so remapped keys show as they are.
pub fn hint_line(app: &App) -> String {
    let mut parts = Vec::new();
    for a in app.panel.hint_actions() {
        let shortest = app
            .keymap
            .bindings
            .iter()
            .filter(|b| b.run == *a)
            .min_by_key(|b| b.on.concat().chars().count());
        let Some(b) = shortest else {
            continue;
        };
        let key = b.on.join("").replace("<Space>", "space").replace("<Enter>", "enter");
        parts.push(format!("{key} {}", app.i18n.t(&format!("short.{}", a.name()))));
    }
    parts.join(" · ")
}

fn render_header(app: &App, area: Rect, buf: &mut Buffer) {
    let mut spans = Vec::new();
    for (i, p) in Panel::ALL.iter().enumerate() {
        let label = format!(" {} {} ", i + 1, app.i18n.t(p.title_key()));
        let style = if *p == app.panel {
            app.theme.selected.patch(app.theme.title)
        } else {
            app.theme.text
        };
        spans.push(Span::styled(label, style));
        spans.push(Span::raw("│"));
    }
    let mut filters = Vec::new();
    if let Some(w) = &app.ward {
        let name = crate::domain::catalog::ward(w)
            .map(|w| w.name.clone())
            .unwrap_or_else(|| w.clone());
        filters.push(format!("{}={name}", app.i18n.t("col.ward")));
    }
    if let Some(a) = &app.agency {
        filters.push(format!("{}={a}", app.i18n.t("col.agency")));
    }
    if app.overdue {
        filters.push(app.i18n.t("col.overdue").to_string());
    }
    if !filters.is_empty() {
        spans.push(Span::styled(format!(" [{}]", filters.join(" ")), app.theme.warn));
    }
    Paragraph::new(Line::from(spans)).render(area, buf);
}

fn render_message(app: &App, area: Rect, buf: &mut Buffer) {
    let (text, style) = match &app.mode {
        Mode::Filter => {
            let q = match app.panel {
                Panel::Queue => &app.case_query,
                _ => &app.report_query,
            };
            (format!("{}{}▏", app.i18n.t("prompt.filter"), q), app.theme.text)
        }
        Mode::Command { text, .. } => {
            let hint = super::command::complete(text)
                .into_iter()
                .take(4)
                .collect::<Vec<_>>()
                .join("  ");
            (format!(":{text}▏   {hint}"), app.theme.text)
        }
        Mode::Confirm { prompt, .. } => (prompt.clone(), app.theme.warn),
        Mode::Priority(_) => (app.i18n.t("prompt.priority").to_string(), app.theme.warn),
        Mode::Input { kind, text, .. } => (format!("{}{}▏", app.i18n.t(kind.prompt_key()), text), app.theme.text),
        _ => match &app.message {
            Some((m, true)) => (m.clone(), app.theme.alert),
            Some((m, false)) => (m.clone(), app.theme.text),
            None => {
                let q = match app.panel {
                    Panel::Queue => app.case_query.as_str(),
                    Panel::Triage => app.report_query.as_str(),
                    _ => "",
                };
                if q.is_empty() {
                    (String::new(), app.theme.text)
                } else {
                    (format!("{}{}", app.i18n.t("prompt.filter"), q), app.theme.dim)
                }
            }
        },
    };
    Paragraph::new(crate::domain::text::sanitize(&text))
        .style(style)
        .render(area, buf);
}

fn render_status(app: &App, area: Rect, buf: &mut Buffer) {
    let local = app.now.with_timezone(&calendar::hue_offset());
    let conn = if app.connected {
        format!("● {}", app.i18n.t("status.live"))
    } else {
        format!("○ {}", app.i18n.t("status.offline"))
    };
    let mut parts = vec![
        crate::domain::text::sanitize(&app.info.connection),
        format!("{} ({})", crate::domain::text::sanitize(&app.info.actor), app.info.role),
        local.format("%H:%M %d/%m ICT").to_string(),
        format!("{} {}", app.counts.new_reports, app.i18n.t("status.new")),
        format!("{} {}", app.counts.overdue_cases, app.i18n.t("status.overdue")),
        conn,
    ];
    if !app.marked.is_empty() {
        parts.push(format!("{} {}", app.marked.len(), app.i18n.t("status.marked")));
    }
    if app.info.demo {
        parts.push(app.i18n.t("status.demo").to_string());
    }
    // The path goes first but is the first to give way on narrow terminals.
    let mut text = parts.join(" │ ");
    let w = area.width as usize;
    if unicode_width::UnicodeWidthStr::width(text.as_str()) > w {
        text = parts[1..].join(" │ ");
    }
    let style = if app.flash_until.is_some() {
        app.theme.flash.patch(app.theme.status)
    } else {
        app.theme.status
    };
    Block::default().style(style).render(area, buf);
    Paragraph::new(text).style(style).render(area, buf);
}

/// A bordered block with a title.
pub(crate) fn block<'a>(app: &App, title: String) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(title, app.theme.title))
}

/// A rectangle centered in `area`.
pub(crate) fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(area.x + (area.width - w) / 2, area.y + (area.height - h) / 2, w, h)
}
