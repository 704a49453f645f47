//! The incident queue and report triage tables.

use super::block;
use crate::domain::text::sanitize;
use crate::domain::{CaseState, calendar, catalog};
use crate::tui::app::App;
use chrono::{DateTime, Utc};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Cell, Row, StatefulWidget, Table, TableState};

/// The symbol of a case state, so state never depends on colour.
pub fn state_symbol(s: CaseState) -> &'static str {
    match s {
        CaseState::Forwarded => "»",
        CaseState::Acknowledged => "✓",
        CaseState::InProgress => "◐",
        CaseState::Answered => "✉",
        CaseState::Returned => "↩",
        CaseState::Published => "★",
        CaseState::Closed => "■",
    }
}

/// A ward's display name.
pub fn ward_name(code: Option<&str>) -> String {
    code.map(|c| {
        catalog::ward(c)
            .map(|w| w.name.clone())
            .unwrap_or_else(|| c.to_string())
    })
    .unwrap_or_else(|| "—".into())
}

/// "3d", "5h", "12m" since `t`.
pub fn age(now: DateTime<Utc>, t: DateTime<Utc>) -> String {
    let s = (now - t).num_seconds().max(0);
    if s >= 86_400 {
        format!("{}d", s / 86_400)
    } else if s >= 3_600 {
        format!("{}h", s / 3_600)
    } else {
        format!("{}m", s / 60)
    }
}

/// The rows that fit: drawing only them keeps a frame cheap however long the page is.
fn window(sel: usize, len: usize, area: Rect) -> (usize, usize) {
    let room = area.height.saturating_sub(3).max(1) as usize;
    let start = sel.saturating_sub(room - 1).min(len.saturating_sub(room));
    (start, (start + room).min(len))
}

fn mark(app: &App, id: &str) -> &'static str {
    if app.marked.contains(id) { "●" } else { " " }
}

/// The incident queue.
pub fn queue(app: &App, area: Rect, buf: &mut Buffer) {
    let cal = calendar::Calendar::vietnam();
    let (start, end) = window(app.case_sel, app.cases.len(), area);
    let rows = app.cases[start..end].iter().map(|c| {
        let overdue = c.is_overdue(app.now);
        let due = if c.state.awaits_unit() {
            let cd = calendar::countdown(&cal, app.now, c.deadline);
            if overdue { format!("!{cd}") } else { cd }
        } else {
            "—".into()
        };
        let due_style = if overdue { app.theme.alert } else { app.theme.text };
        Row::new(vec![
            Cell::from(mark(app, &c.id)),
            Cell::from(c.id.clone()),
            Cell::from(c.priority.as_str()),
            Cell::from(format!("{} {}", state_symbol(c.state), c.state)),
            Cell::from(c.category.clone()),
            Cell::from(ward_name(c.ward.as_deref())),
            Cell::from(c.agencies.join(",")),
            Cell::from(Span::styled(due, due_style)),
            Cell::from(sanitize(c.claimed_by.as_deref().unwrap_or("—"))),
        ])
    });
    let header = Row::new(
        [
            "",
            "col.id",
            "col.priority",
            "col.state",
            "col.category",
            "col.ward",
            "col.agencies",
            "col.deadline",
            "col.claimed",
        ]
        .map(|k| {
            if k.is_empty() {
                String::new()
            } else {
                app.i18n.t(k).to_string()
            }
        }),
    )
    .style(app.theme.title);
    let widths = [
        Constraint::Length(1),
        Constraint::Length(8),
        Constraint::Length(3),
        Constraint::Length(13),
        Constraint::Length(12),
        Constraint::Length(11),
        Constraint::Fill(1),
        Constraint::Length(9),
        Constraint::Length(8),
    ];
    let title = format!("{} ({})", app.i18n.t("panel.queue"), app.cases.len());
    let table = Table::new(rows, widths)
        .header(header)
        .block(block(app, title))
        .column_spacing(1)
        .row_highlight_style(app.theme.selected);
    let mut st = TableState::default().with_selected((!app.cases.is_empty()).then_some(app.case_sel - start));
    StatefulWidget::render(table, area, buf, &mut st);
}

/// The triage list: new reports, oldest first.
pub fn triage(app: &App, area: Rect, buf: &mut Buffer) {
    let (start, end) = window(app.report_sel, app.reports.len(), area);
    let rows = app.reports[start..end].iter().map(|r| {
        let suggested = match (&r.suggested_category, r.suggested_confidence) {
            (Some(c), Some(p)) => format!("{c} {:.0}%", p * 100.0),
            (Some(c), None) => c.clone(),
            _ => "—".into(),
        };
        Row::new(vec![
            Cell::from(mark(app, &r.id)),
            Cell::from(r.id.clone()),
            Cell::from(age(app.now, r.received_at)),
            Cell::from(r.channel.as_str()),
            Cell::from(ward_name(r.ward.as_deref())),
            Cell::from(sanitize(&suggested)),
            Cell::from(sanitize(&r.text)),
        ])
    });
    let header = Row::new(
        [
            "",
            "col.id",
            "col.age",
            "col.channel",
            "col.ward",
            "col.suggested",
            "col.text",
        ]
        .map(|k| {
            if k.is_empty() {
                String::new()
            } else {
                app.i18n.t(k).to_string()
            }
        }),
    )
    .style(app.theme.title);
    let widths = [
        Constraint::Length(1),
        Constraint::Length(8),
        Constraint::Length(4),
        Constraint::Length(8),
        Constraint::Length(12),
        Constraint::Length(16),
        Constraint::Fill(1),
    ];
    let title = format!("{} ({})", app.i18n.t("panel.triage"), app.reports.len());
    let table = Table::new(rows, widths)
        .header(header)
        .block(block(app, title))
        .column_spacing(1)
        .row_highlight_style(app.theme.selected);
    let mut st = TableState::default().with_selected((!app.reports.is_empty()).then_some(app.report_sel - start));
    StatefulWidget::render(table, area, buf, &mut st);
}
