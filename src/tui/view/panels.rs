//! The cameras and service levels panels.

use super::block;
use crate::tui::app::App;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::{Block, Borders, Paragraph, Row, Sparkline, Table, Widget};

/// Cameras: state, last contact, latency and 24-hour availability, by site; problems first in
/// colour.
pub fn cameras(app: &App, area: Rect, buf: &mut Buffer) {
    use crate::domain::CameraState;
    let title = app.i18n.t("panel.cameras").to_string();
    if app.cameras.is_empty() {
        Paragraph::new(app.i18n.t("cameras.none"))
            .block(block(app, title))
            .render(area, buf);
        return;
    }
    let count = |s: CameraState| app.cameras.iter().filter(|c| c.state == s).count();
    let title = format!(
        "{title} — {} online · {} degraded · {} offline · {} maintenance",
        count(CameraState::Online),
        count(CameraState::Degraded),
        count(CameraState::Offline),
        count(CameraState::Maintenance)
    );
    let header = Row::new(["ID", "Site", "Kind", "State", "Last seen", "ms", "24h", "Case"]).style(app.theme.title);
    let rows = app.cameras.iter().enumerate().map(|(i, c)| {
        let style = match c.state {
            _ if i == app.camera_sel => app.theme.selected,
            CameraState::Offline => app.theme.alert,
            CameraState::Degraded => app.theme.warn,
            CameraState::Maintenance | CameraState::Unknown => app.theme.dim,
            CameraState::Online => app.theme.text,
        };
        Row::new(vec![
            crate::domain::text::sanitize(&c.id),
            crate::domain::text::sanitize(&c.site),
            c.kind.to_string(),
            c.state.to_string(),
            c.last_seen
                .map(|t| {
                    t.with_timezone(&crate::domain::calendar::hue_offset())
                        .format("%m-%d %H:%M")
                        .to_string()
                })
                .unwrap_or_else(|| "—".into()),
            c.latency_ms.map(|l| l.to_string()).unwrap_or_else(|| "—".into()),
            pct(c.availability_24h),
            c.case_id.clone().unwrap_or_else(|| "—".into()),
        ])
        .style(style)
    });
    Table::new(
        rows,
        [
            Constraint::Length(30),
            Constraint::Min(16),
            Constraint::Length(6),
            Constraint::Length(12),
            Constraint::Length(12),
            Constraint::Length(6),
            Constraint::Length(5),
            Constraint::Length(8),
        ],
    )
    .header(header)
    .block(block(app, title))
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
