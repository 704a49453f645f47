//! The detail pane: the selected case or report in full, with its timeline and notes.

use super::block;
use super::lists::{state_symbol, ward_name};
use crate::domain::text::sanitize;
use crate::domain::{Event, Note, calendar};
use crate::tui::app::{App, Detail};
use chrono::{DateTime, Utc};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

fn local(t: DateTime<Utc>) -> String {
    t.with_timezone(&calendar::hue_offset())
        .format("%d/%m %H:%M")
        .to_string()
}

fn field<'a>(app: &App, k: &str, v: String) -> Line<'a> {
    Line::from(vec![
        Span::styled(format!("{k}: "), app.theme.dim),
        Span::raw(sanitize(&v)),
    ])
}

fn place(lat: Option<f64>, lon: Option<f64>) -> String {
    match (lat, lon) {
        (Some(a), Some(o)) => format!("{a:.5}, {o:.5}"),
        _ => "—".into(),
    }
}

fn tail<'a>(app: &App, lines: &mut Vec<Line<'a>>, timeline: &[Event], notes: &[Note]) {
    lines.push(Line::raw(""));
    lines.push(Line::styled(app.i18n.t("detail.timeline").to_string(), app.theme.title));
    for e in timeline {
        lines.push(Line::raw(sanitize(&format!(
            "{} {} {} {}",
            local(e.at),
            e.data.kind(),
            e.data.subject(),
            e.actor
        ))));
    }
    if !notes.is_empty() {
        lines.push(Line::raw(""));
        lines.push(Line::styled(app.i18n.t("detail.notes").to_string(), app.theme.title));
        for n in notes {
            lines.push(Line::raw(sanitize(&format!("{} {}: {}", local(n.at), n.actor, n.text))));
        }
    }
}

/// Draws the detail pane.
pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let mut lines: Vec<Line> = Vec::new();
    match &app.detail {
        None => lines.push(Line::raw(app.i18n.t("detail.none").to_string())),
        Some(Detail::Case(d)) => {
            let c = &d.case;
            let cal = calendar::Calendar::vietnam();
            lines.push(Line::styled(
                format!("{} {} {} {}", c.id, c.priority, state_symbol(c.state), c.state),
                app.theme.title,
            ));
            lines.push(field(app, app.i18n.t("col.category"), c.category.clone()));
            lines.push(field(app, app.i18n.t("col.ward"), ward_name(c.ward.as_deref())));
            lines.push(field(app, app.i18n.t("col.agencies"), c.agencies.join(", ")));
            lines.push(field(
                app,
                app.i18n.t("col.deadline"),
                format!(
                    "{} ({})",
                    local(c.deadline),
                    calendar::countdown(&cal, app.now, c.deadline)
                ),
            ));
            lines.push(field(
                app,
                app.i18n.t("col.claimed"),
                c.claimed_by.clone().unwrap_or_else(|| "—".into()),
            ));
            if let Some(a) = &c.answer {
                lines.push(field(app, app.i18n.t("detail.answer"), a.clone()));
            }
            lines.push(Line::raw(""));
            lines.push(Line::styled(app.i18n.t("detail.reports").to_string(), app.theme.title));
            for r in &d.reports {
                lines.push(Line::raw(sanitize(&format!("{} {}", r.id, r.text))));
                lines.push(field(app, app.i18n.t("detail.location"), place(r.lat, r.lon)));
            }
            tail(app, &mut lines, &d.timeline, &d.notes);
        }
        Some(Detail::Report(d)) => {
            let r = &d.report;
            lines.push(Line::styled(
                format!("{} {} {}", r.id, r.state, r.channel),
                app.theme.title,
            ));
            lines.push(Line::raw(local(r.received_at)));
            lines.push(Line::raw(sanitize(&r.text)));
            lines.push(Line::raw(""));
            lines.push(field(app, app.i18n.t("col.ward"), ward_name(r.ward.as_deref())));
            if let Some(a) = &r.address {
                lines.push(field(app, app.i18n.t("detail.location"), a.clone()));
            }
            lines.push(field(app, app.i18n.t("detail.latlon"), place(r.lat, r.lon)));
            lines.push(field(
                app,
                app.i18n.t("col.category"),
                r.category.clone().unwrap_or_else(|| "—".into()),
            ));
            if let Some(s) = &r.suggested_category {
                let p = r
                    .suggested_confidence
                    .map(|p| format!(" {:.0}%", p * 100.0))
                    .unwrap_or_default();
                lines.push(field(app, app.i18n.t("col.suggested"), format!("{s}{p}")));
            }
            tail(app, &mut lines, &d.timeline, &d.notes);
        }
    }
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .block(block(app, app.i18n.t("detail.title").to_string()))
        .render(area, buf);
}
