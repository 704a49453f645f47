//! `GET /metrics`: queue sizes, camera states, on-time rates and request counts in the
//! Prometheus text exposition format (written by hand: a handful of gauges needs no crate).

use super::AppState;
use crate::domain::{Actor, CameraState};
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;

/// Requests served, by (method, status): (count, seconds).
static REQUESTS: Mutex<BTreeMap<(String, u16), (u64, f64)>> = Mutex::new(BTreeMap::new());

/// Counts one served request (called by the logging middleware).
pub fn observe(method: &str, status: u16, seconds: f64) {
    if let Ok(mut m) = REQUESTS.lock() {
        let e = m.entry((method.to_string(), status)).or_default();
        e.0 += 1;
        e.1 += seconds;
    }
}

/// Escapes a label value.
fn esc(v: &str) -> String {
    v.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

/// Builds the exposition text.
pub struct Exposition(String);

impl Exposition {
    fn family(&mut self, name: &str, kind: &str, help: &str) {
        let _ = writeln!(self.0, "# HELP {name} {help}\n# TYPE {name} {kind}");
    }
    fn sample(&mut self, name: &str, labels: &[(&str, &str)], value: f64) {
        let l: Vec<String> = labels.iter().map(|(k, v)| format!("{k}=\"{}\"", esc(v))).collect();
        let l = if l.is_empty() {
            String::new()
        } else {
            format!("{{{}}}", l.join(","))
        };
        let _ = writeln!(self.0, "{name}{l} {value}");
    }
}

/// `GET /metrics` (no auth: only counts, never content).
pub(super) async fn metrics(State(st): State<AppState>) -> Response {
    match render(&st).await {
        Ok(body) => (
            [(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")],
            body,
        )
            .into_response(),
        Err(e) => {
            tracing::warn!("metrics: {e}");
            (StatusCode::INTERNAL_SERVER_ERROR, format!("metrics unavailable: {e}\n")).into_response()
        }
    }
}

async fn render(st: &AppState) -> Result<String, crate::ioc::IocError> {
    let core = st.core.as_actor(Actor::system());
    let counts = core.counts().await?;
    let cams = core.camera_statuses().await?;
    let sli = core.sli(chrono::Duration::days(30), Vec::new()).await?;
    let mut x = Exposition(String::new());
    x.family("iocdesk_reports_new", "gauge", "Reports awaiting verification.");
    x.sample("iocdesk_reports_new", &[], counts.new_reports as f64);
    x.family("iocdesk_cases_open", "gauge", "Cases not closed.");
    x.sample("iocdesk_cases_open", &[], counts.open_cases as f64);
    x.family(
        "iocdesk_cases_overdue",
        "gauge",
        "Cases awaiting a unit past their deadline.",
    );
    x.sample("iocdesk_cases_overdue", &[], counts.overdue_cases as f64);
    x.family(
        "iocdesk_events_last_seq",
        "gauge",
        "The event log's last sequence number.",
    );
    x.sample("iocdesk_events_last_seq", &[], counts.last_seq as f64);
    x.family("iocdesk_cameras", "gauge", "Cameras by state.");
    for s in CameraState::ALL {
        let n = cams.iter().filter(|c| c.state == *s).count();
        x.sample("iocdesk_cameras", &[("state", s.as_str())], n as f64);
    }
    x.family(
        "iocdesk_camera_site_availability_ratio",
        "gauge",
        "Mean share of the last 30 days the site's cameras were online.",
    );
    for s in &sli.camera_sites {
        if let Some(a) = s.availability {
            x.sample("iocdesk_camera_site_availability_ratio", &[("site", &s.site)], a);
        }
    }
    let mut groups = vec![("all".to_string(), &sli.overall)];
    groups.extend(sli.agencies.iter().map(|(k, v)| (k.clone(), v)));
    x.family(
        "iocdesk_on_time_ratio",
        "gauge",
        "Share of the last 30 days' answers given by the deadline (strict: the original one).",
    );
    for (agency, i) in &groups {
        for (kind, v) in [("strict", i.on_time_strict), ("extended", i.on_time_extended)] {
            if let Some(v) = v {
                x.sample("iocdesk_on_time_ratio", &[("agency", agency), ("deadline", kind)], v);
            }
        }
    }
    x.family("iocdesk_backlog_cases", "gauge", "Cases awaiting a unit, per agency.");
    for (agency, i) in &groups {
        x.sample("iocdesk_backlog_cases", &[("agency", agency)], i.backlog as f64);
    }
    let reqs = REQUESTS.lock().map(|m| m.clone()).unwrap_or_default();
    x.family(
        "iocdesk_http_request_duration_seconds",
        "summary",
        "HTTP requests served and their total duration.",
    );
    for ((method, status), (n, secs)) in &reqs {
        let status = status.to_string();
        let l = [("method", method.as_str()), ("status", status.as_str())];
        x.sample("iocdesk_http_request_duration_seconds_count", &l, *n as f64);
        x.sample("iocdesk_http_request_duration_seconds_sum", &l, *secs);
    }
    Ok(x.0)
}
