//! Service levels kept current as events arrive: [`LiveSli`] folds each event into the little it
//! needs (the cases, through the same `apply_case` as the store; per citizen report only its
//! receipt time and whether it passed verification; each camera's state timeline), in constant time per event,
//! and gives the whole [`SliReport`] for any `now` without reading the store. The store's
//! computation over its read tables is the reference: the two agree exactly.

use super::{Inputs, SliReport, SloSpec, Timeline, compute};
use crate::domain::lifecycle::{apply_camera, apply_case, new_case, touches};
use crate::domain::model::{Camera, Case};
use crate::domain::{Event, EventData};
use chrono::{DateTime, Duration, Utc};
use std::collections::HashMap;

/// What the service levels need of a report.
#[derive(Debug, Clone, Copy)]
struct ReportFacts {
    received_at: DateTime<Utc>,
    verified: bool,
    has_case: bool,
}

/// The running state behind the service levels, fed event by event.
#[derive(Debug, Default)]
pub struct LiveSli {
    reports: HashMap<String, ReportFacts>,
    cases: HashMap<String, Case>,
    cameras: HashMap<String, (Camera, Timeline)>,
    last_seq: u64,
}

impl LiveSli {
    /// An empty state (before the first event).
    pub fn new() -> Self {
        LiveSli::default()
    }

    /// The sequence number of the last event folded in.
    pub fn last_seq(&self) -> u64 {
        self.last_seq
    }

    /// Folds one event in. Events must come in log order; one already seen is ignored.
    pub fn apply(&mut self, ev: &Event) {
        if ev.seq <= self.last_seq && self.last_seq > 0 {
            return;
        }
        self.last_seq = ev.seq;
        let d = &ev.data;
        match d {
            // The system's own reports (raised cases) are not citizens' and do not count.
            EventData::ReportReceived {
                id,
                received_at,
                channel,
                ..
            } if *channel != crate::domain::Channel::System => {
                self.reports.insert(
                    id.clone(),
                    ReportFacts {
                        received_at: *received_at,
                        verified: false,
                        has_case: false,
                    },
                );
            }
            EventData::ReportVerified { id, .. } => {
                if let Some(r) = self.reports.get_mut(id) {
                    r.verified = true;
                }
            }
            EventData::ReportMerged {
                id, case_id: Some(_), ..
            } => {
                if let Some(r) = self.reports.get_mut(id) {
                    r.has_case = true;
                }
            }
            EventData::CaseOpened { report_ids, .. } => {
                for id in report_ids {
                    if let Some(r) = self.reports.get_mut(id) {
                        r.has_case = true;
                    }
                }
            }
            EventData::CameraRegistered { id, .. } | EventData::CameraStateChanged { id, .. } => {
                let known = self.cameras.remove(id);
                let (mut cam, mut tl) = match known {
                    Some((c, tl)) => (Some(c), tl),
                    None => (None, Vec::new()),
                };
                apply_camera(&mut cam, d, ev.at);
                if let Some(c) = cam {
                    // The timeline starts at registration, in the unknown state, and follows
                    // every change of state.
                    if tl.is_empty() || matches!(d, EventData::CameraStateChanged { .. }) {
                        tl.push((ev.at, c.state));
                    }
                    self.cameras.insert(id.clone(), (c, tl));
                }
            }
            _ => {}
        }
        if let Some(c) = new_case(d, ev.at, &ev.actor) {
            self.cases.insert(c.id.clone(), c);
        }
        for id in touches(d).1 {
            if let Some(c) = self.cases.get_mut(id) {
                apply_case(c, d, ev.at, &ev.actor);
            }
        }
    }

    /// The service levels over `[now - window, now]`, as the store computes them; with `agency`,
    /// only that agency's cases count (what an agency-scoped reader sees).
    pub fn report(
        &self,
        now: DateTime<Utc>,
        window: Duration,
        slos: &[SloSpec],
        agency: Option<&str>,
    ) -> Result<SliReport, String> {
        let from = now - window;
        // The same selection as the store's: opened, acknowledged or answered in the window, or
        // still awaiting the unit.
        let cases: Vec<Case> = self
            .cases
            .values()
            .filter(|c| {
                c.opened_at >= from
                    || c.answered_at.is_some_and(|t| t >= from)
                    || c.acknowledged_at.is_some_and(|t| t >= from)
                    || c.state.awaits_unit()
            })
            .filter(|c| agency.is_none_or(|a| c.agencies.iter().any(|x| x == a)))
            .cloned()
            .collect();
        let (mut all, mut verified) = (0u64, 0u64);
        for r in self.reports.values().filter(|r| r.received_at >= from) {
            all += 1;
            verified += u64::from(r.verified || r.has_case);
        }
        let mut cameras: Vec<(Camera, Timeline)> = self.cameras.values().cloned().collect();
        cameras.sort_by(|a, b| (&a.0.site, &a.0.id).cmp(&(&b.0.site, &b.0.id)));
        let inp = Inputs {
            cases: &cases,
            reports: (all, verified),
            cameras: &cameras,
            slos,
        };
        compute(&inp, now, window)
    }
}
