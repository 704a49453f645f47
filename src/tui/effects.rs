//! The driver: performs [`Effect`]s through the [`Ioc`] handle and answers with [`Msg`]s.
//! The only place of the desk that does I/O besides the terminal loop.

use super::app::{AgencyLevel, Detail, Effect, Msg, ServiceLevels};
use super::snapshot::Failure;
use crate::domain::query::{CaseFilter, CaseSort, ReportFilter};
use crate::domain::{CaseState, Verdict, calendar};
use crate::ioc::{Ioc, IocError};
use chrono::{DateTime, Duration, NaiveTime, TimeZone, Utc};
use std::collections::BTreeMap;
use std::io::Write;

/// How many recent cases the on-time and satisfaction rates come from (keeps the panel bounded).
pub const SAMPLE: usize = 2_000;

/// Performs one effect; `out` receives the bell and OSC 52 (none in tests).
pub async fn perform(ioc: &Ioc, e: Effect, out: Option<&mut dyn Write>) -> Option<Msg> {
    match e {
        Effect::LoadCases(f) => Some(Msg::Cases(ioc.cases(f).await)),
        Effect::LoadReports(f) => Some(Msg::Reports(ioc.reports(f).await)),
        Effect::LoadCandidates(f) => Some(Msg::Candidates(ioc.reports(f).await)),
        Effect::LoadCase(id) => Some(Msg::Detail(ioc.case(&id).await.map(|d| Detail::Case(Box::new(d))))),
        Effect::LoadReport(id) => Some(Msg::Detail(ioc.report(&id).await.map(|d| Detail::Report(Box::new(d))))),
        Effect::LoadCounts => Some(Msg::Counts(ioc.counts().await)),
        Effect::LoadCameras => Some(Msg::Cameras(ioc.camera_statuses().await)),
        Effect::LoadService(now) => Some(Msg::Service(service_levels(ioc, now).await)),
        Effect::Execute(name, envs) => {
            let mut results = Vec::with_capacity(envs.len());
            for env in envs {
                results.push(ioc.execute(env).await.map(|_| ()));
            }
            Some(Msg::Executed(name, results))
        }
        Effect::Bell => {
            if let Some(w) = out {
                let _ = w.write_all(b"\x07").and_then(|_| w.flush());
            }
            None
        }
        e @ Effect::LoadSnapshot { .. } => slow(ioc, e).await,
        Effect::Copy(text) => {
            if let Some(w) = out {
                let seq = format!("\x1b]52;c;{}\x07", base64(text.as_bytes()));
                let _ = w.write_all(seq.as_bytes()).and_then(|_| w.flush());
            }
            None
        }
    }
}

/// Performs a slow effect (see [`Effect::is_slow`]); these need no terminal, so the loop can run
/// them on a task of their own. `None` for any other effect.
pub async fn slow(ioc: &Ioc, e: Effect) -> Option<Msg> {
    match e {
        Effect::LoadSnapshot { req, id } => Some(Msg::Snapshot(req, snapshot(ioc, &id).await)),
        _ => None,
    }
}

/// Fetches a camera's snapshot through the core and decodes it on the blocking pool (decoding a
/// large JPEG takes long enough to matter).
async fn snapshot(ioc: &Ioc, id: &str) -> Result<image::DynamicImage, Failure> {
    let bytes = ioc.camera_snapshot(id).await.map_err(Failure::Fetch)?;
    tokio::task::spawn_blocking(move || super::snapshot::decode(&bytes))
        .await
        .map_err(|e| Failure::Undecodable(format!("the decoder failed: {e}")))?
}

/// Standard base64 (for OSC 52), small enough not to need a crate.
pub fn base64(data: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                s.push(T[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                s.push('=');
            }
        }
    }
    s
}

/// Per-agency figures: backlog and overdue counted by the store, rates from the latest cases.
async fn service_levels(ioc: &Ioc, now: DateTime<Utc>) -> Result<ServiceLevels, IocError> {
    let sample = ioc
        .cases(CaseFilter {
            sort: CaseSort::Newest,
            limit: SAMPLE,
            ..CaseFilter::default()
        })
        .await?;
    // agency → (answered, on time, rated, satisfied)
    let mut rates: BTreeMap<String, (u32, u32, u32, u32)> = BTreeMap::new();
    for c in &sample {
        for a in &c.agencies {
            let e = rates.entry(a.clone()).or_default();
            if let Some(v) = c.verdict {
                e.0 += 1;
                if matches!(v, Verdict::OnTime | Verdict::Extended) {
                    e.1 += 1;
                }
            }
            if let Some(r) = c.rating {
                e.2 += 1;
                if r >= 4 {
                    e.3 += 1;
                }
            }
        }
    }
    let mut agencies = Vec::new();
    for (agency, (answered, on_time, rated, satisfied)) in rates {
        let f = |overdue| CaseFilter {
            agency: Some(agency.clone()),
            states: CaseState::AWAITING.to_vec(),
            overdue,
            limit: 1,
            ..CaseFilter::default()
        };
        let backlog = ioc.count_cases(f(false)).await?;
        let overdue = ioc.count_cases(f(true)).await?;
        let ratio = |a: u32, b: u32| (b > 0).then(|| f64::from(a) / f64::from(b));
        agencies.push(AgencyLevel {
            agency,
            on_time: ratio(on_time, answered),
            backlog,
            overdue,
            satisfaction: ratio(satisfied, rated),
        });
    }
    agencies.sort_by(|a, b| b.backlog.cmp(&a.backlog).then(a.agency.cmp(&b.agency)));
    let today = calendar::local_date(now);
    let mut intake = Vec::with_capacity(14);
    for back in (0..14).rev() {
        let day = today - Duration::days(back);
        let start = calendar::hue_offset()
            .from_local_datetime(&day.and_time(NaiveTime::MIN))
            .single()
            .map(|t| t.with_timezone(&Utc));
        let Some(start) = start else { continue };
        let n = ioc
            .count_reports(ReportFilter {
                since: Some(start),
                until: Some(start + Duration::days(1) - Duration::seconds(1)),
                limit: 1,
                ..ReportFilter::default()
            })
            .await?;
        intake.push(n);
    }
    Ok(ServiceLevels {
        agencies,
        intake,
        sample: sample.len(),
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn base64_matches_rfc4648() {
        assert_eq!(super::base64(b"foobar"), "Zm9vYmFy");
        assert_eq!(super::base64(b"fooba"), "Zm9vYmE=");
        assert_eq!(super::base64(b"foob"), "Zm9vYg==");
    }
}
