//! The cameras and service levels panels.

use super::block;
use crate::tui::app::App;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::{Block, Borders, Paragraph, Row, Sparkline, Table, Widget};

/// Cameras: the core has no camera API yet, and the desk says so rather than inventing any.
pub fn cameras(app: &App, area: Rect, buf: &mut Buffer) {
    Paragraph::new(app.i18n.t("cameras.none"))
        .block(block(app, app.i18n.t("panel.cameras").to_string()))
        .render(area, buf);
}

fn pct(v: Option<f64>) -> String {
    v.map(|v| format!("{:.0}%", v * 100.0)).unwrap_or_else(|| "—".into())
}

/// Service levels: per-agency table and the intake sparkline.
pub fn service(app: &App, area: Rect, buf: &mut Buffer) {
    let Some(s) = &app.service else {
        Paragraph::new(app.i18n.t("service.loading"))
            .block(block(app, app.i18n.t("panel.service").to_string()))
            .render(area, buf);
        return;
    };
    let [table_area, spark_area] = Layout::vertical([Constraint::Min(4), Constraint::Length(5)]).areas(area);
    let header = Row::new(
        [
            "col.agency",
            "col.ontime",
            "col.backlog",
            "col.overdue",
            "col.satisfaction",
        ]
        .map(|k| app.i18n.t(k).to_string()),
    )
    .style(app.theme.title);
    let rows = s.agencies.iter().map(|a| {
        let style = if a.overdue > 0 { app.theme.alert } else { app.theme.text };
        Row::new(vec![
            a.agency.clone(),
            pct(a.on_time),
            a.backlog.to_string(),
            if a.overdue > 0 {
                format!("!{}", a.overdue)
            } else {
                "0".into()
            },
            pct(a.satisfaction),
        ])
        .style(style)
    });
    let title = format!(
        "{} — {}",
        app.i18n.t("panel.service"),
        app.i18n.tf("service.sample", &[("n", &s.sample.to_string())])
    );
    Table::new(
        rows,
        [
            Constraint::Length(24),
            Constraint::Length(9),
            Constraint::Length(9),
            Constraint::Length(9),
            Constraint::Length(10),
        ],
    )
    .header(header)
    .block(block(app, title))
    .render(table_area, buf);
    let max = s.intake.iter().max().copied().unwrap_or(0);
    let title = app.i18n.tf("service.intake", &[("max", &max.to_string())]);
    Sparkline::default()
        .data(&s.intake)
        .style(app.theme.good)
        .block(Block::default().borders(Borders::ALL).title(title))
        .render(spark_area, buf);
}
