//! `demo seed`: a deterministic Huế dataset made by simulating the IOC's days.
//!
//! Reports arrive over D days; each one's life (verification, forwarding, the agency's work,
//! extensions, answers, approval, rating) is scheduled as timed commands on one queue and run in
//! time order through the same [`decide`](crate::domain::lifecycle::decide) and `apply` as live
//! commands, so the data always obeys the state machines. Whatever would happen after the end
//! date is left in the future: recent reports are still new, some cases are overdue.

use super::rng::Rng;
use super::texts::{Composed, TextBank};
use crate::domain::calendar::{Calendar, hue_offset};
use crate::domain::lifecycle::{self, Context, View, apply_case, apply_report, new_case, new_report_row, touches};
use crate::domain::text::fold;
use crate::domain::{
    Actor, Case, Channel, Command, Envelope, Event, EventData, NewReport, Priority, RejectReason, Report, ReportState,
    Reporter, Role, Suggestion,
};
use crate::store::{Store, StoreError, rows};
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use rustc_hash::FxHashMap;
use std::borrow::Cow;
use std::collections::{HashMap, VecDeque};

/// What to generate.
#[derive(Debug, Clone)]
pub struct SeedOptions {
    /// Number of reports.
    pub reports: usize,
    /// Days of history.
    pub days: u32,
    /// Random seed.
    pub seed: u64,
    /// The Huế date the history ends at (exclusive: the data covers the days before it).
    pub until: NaiveDate,
}

/// What was generated.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct SeedSummary {
    /// Reports created.
    pub reports: usize,
    /// Cases opened.
    pub cases: usize,
    /// Events written.
    pub events: u64,
    /// Cameras registered.
    pub cameras: usize,
}

/// Category mix of submissions (invalid about a third, DOMAIN.md).
const MIX: &[(&str, f64)] = &[
    ("waste", 10.0),
    ("drainage", 7.0),
    ("water_supply", 4.0),
    ("trees_parks", 5.0),
    ("street_lighting", 6.0),
    ("roads", 8.0),
    ("power_telecom", 4.0),
    ("urban_order", 9.0),
    ("public_security", 6.0),
    ("health", 2.5),
    ("heritage_tourism", 2.5),
    ("invalid", 33.0),
];

const OFFICERS: &[&str] = &["ioc.lan", "ioc.minh", "ioc.hoa", "ioc.tuan", "ioc.thao", "ioc.quang"];
const SUPERVISORS: &[&str] = &["ioc.truc-ban", "ioc.pho-gd"];

/// One scheduled step of a report's life.
#[derive(Debug, Clone)]
enum Step {
    /// A submission, with the classifier's suggestion its receipt carries and its search text.
    Receive(Box<Intake>),
    Verify(&'static str),
    Reject(RejectReason),
    Merge(String),
    Forward,
    Ack,
    Start,
    Extend(u32),
    Answer,
    Return,
    Approve,
    Rate(u8),
    Close,
    Reopen,
    Note,
}

/// A report as it arrives: the submission, the classifier's suggestion for its text and its
/// search text (both made on the texts' thread, or anew where the simulation rewrites the text).
#[derive(Debug, Clone)]
struct Intake {
    report: NewReport,
    suggestion: Suggestion,
    search: String,
}

/// A report as the world keeps it: without its words (its row does not hold them), with its
/// search text and the sequence number of its `ReportReceived` event.
struct Kept {
    report: Report,
    search: String,
    receipt: u64,
}

/// In-memory state the generator decides against. The generator numbers reports and cases
/// itself (`R0000001`, `C0000001`, …), so each is kept at its number's place in a vector: no
/// keys to hash or store, no map twice the size of what it holds, and the rows come out in id
/// order as they are.
#[derive(Default)]
struct World {
    reports: Vec<Option<Kept>>,
    cases: Vec<Option<Case>>,
    /// How many of `reports` and `cases` are filled.
    report_count: usize,
    case_count: usize,
    dups: FxHashMap<String, Vec<String>>,
}

/// The place of the report or case `id` with `prefix` (`R0000001` is 0), if the generator could
/// have made it.
fn slot(id: &str, prefix: char) -> Option<usize> {
    let digits = id.strip_prefix(prefix)?;
    if digits.len() < 7 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse::<usize>().ok()?.checked_sub(1)
}

/// Puts `value` at `at` in `v`, growing it as needed; false if the place was taken.
fn put<T>(v: &mut Vec<Option<T>>, at: usize, value: T) -> bool {
    if v.len() <= at {
        v.resize_with(at + 1, || None);
    }
    v[at].replace(value).is_none()
}

impl View for World {
    fn report(&self, id: &str) -> Option<Cow<'_, Report>> {
        self.kept(id).map(|k| Cow::Borrowed(&k.report))
    }
    fn case(&self, id: &str) -> Option<Cow<'_, Case>> {
        self.case_of(id).map(Cow::Borrowed)
    }
    fn duplicates_of(&self, id: &str) -> Vec<String> {
        self.dups.get(id).cloned().unwrap_or_default()
    }
    fn next_report_id(&self) -> String {
        format!("R{:07}", self.report_count + 1)
    }
    fn camera(&self, _id: &str) -> Option<crate::domain::Camera> {
        None
    }
    fn next_case_id(&self) -> String {
        format!("C{:07}", self.case_count + 1)
    }
}

impl World {
    fn with_capacity(reports: usize) -> World {
        World {
            reports: Vec::with_capacity(reports),
            cases: Vec::with_capacity(reports * 2 / 3),
            dups: FxHashMap::with_capacity_and_hasher(reports / 10, Default::default()),
            ..World::default()
        }
    }

    fn kept(&self, id: &str) -> Option<&Kept> {
        self.reports.get(slot(id, 'R')?)?.as_ref()
    }

    /// The report at place `n`.
    fn at(&self, n: usize) -> Option<&Report> {
        Some(&self.reports.get(n)?.as_ref()?.report)
    }

    fn case_of(&self, id: &str) -> Option<&Case> {
        self.cases.get(slot(id, 'C')?)?.as_ref()
    }

    /// Folds an event in; a report it creates gets `search` as its search text (and is kept
    /// without its words). A report or case whose id the generator could not have made stops the
    /// seed: it would be missing from the rows.
    fn apply(&mut self, ev: &mut Event, search: &mut Option<String>) -> Result<(), String> {
        if let Some(r) = new_report_row(&mut ev.data, ev.at, &ev.actor) {
            let id = r.id.clone();
            let kept = Kept {
                report: r,
                search: search.take().unwrap_or_default(),
                receipt: ev.seq,
            };
            if !slot(&id, 'R').is_some_and(|n| put(&mut self.reports, n, kept)) {
                return Err(format!("the demo city made report {id} twice or out of its numbering"));
            }
            self.report_count += 1;
        }
        if let Some(c) = new_case(&ev.data, ev.at, &ev.actor) {
            let id = c.id.clone();
            if !slot(&id, 'C').is_some_and(|n| put(&mut self.cases, n, c)) {
                return Err(format!("the demo city made case {id} twice or out of its numbering"));
            }
            self.case_count += 1;
        }
        if let crate::domain::EventData::ReportMerged { id, master, .. } = &ev.data {
            self.dups.entry(master.clone()).or_default().push(id.clone());
        }
        let (rs, cs) = touches(&ev.data);
        for id in rs {
            if let Some(k) = slot(id, 'R').and_then(|n| self.reports.get_mut(n)?.as_mut()) {
                apply_report(&mut k.report, &ev.data, ev.at, &ev.actor);
            }
        }
        for id in cs {
            if let Some(c) = slot(id, 'C').and_then(|n| self.cases.get_mut(n)?.as_mut()) {
                apply_case(c, &ev.data, ev.at, &ev.actor);
            }
        }
        Ok(())
    }
}

/// Local Huế midnight of a date, in UTC.
fn midnight(d: NaiveDate) -> DateTime<Utc> {
    hue_offset()
        .from_local_datetime(&d.and_hms_opt(0, 0, 0).unwrap_or_default())
        .single()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(Utc::now)
}

/// Events the simulation hands the writer at a time.
const BATCH: usize = 4096;

/// Builds the dataset into an empty store.
pub fn seed(store: &mut Store, o: &SeedOptions) -> Result<SeedSummary, StoreError> {
    if store.last_seq()? > 0 {
        return Err(StoreError::Io {
            path: store.path().map(Into::into).unwrap_or_default(),
            message: "the store is not empty: seed a fresh --data-dir".into(),
        });
    }
    let cal = Calendar::vietnam();
    let bank = TextBank::load();
    let end = midnight(o.until);
    let start = end - Duration::days(i64::from(o.days.max(1)));
    let root = Rng::new(o.seed);
    let mut arrivals = root.fork(1);
    let mut fates = root.fork(2);
    let mut words = root.fork(3);

    // Arrival times: a daily rhythm with storm peaks, sorted.
    let days = o.days.max(1) as usize;
    let mut day_weight: Vec<f64> = (0..days).map(|_| 0.7 + 0.6 * arrivals.unit()).collect();
    for _ in 0..(days / 20).max(1) {
        let storm = arrivals.below(days as u64) as usize;
        for (k, w) in day_weight.iter_mut().enumerate().skip(storm).take(3) {
            *w *= 3.0 - (k - storm) as f64 * 0.7;
        }
    }
    let hour_weight: Vec<f64> = (0..24)
        .map(|h| {
            if (6..22).contains(&h) {
                3.0 + if (7..11).contains(&h) { 2.0 } else { 0.0 }
            } else {
                0.5
            }
        })
        .collect();
    let mut times: Vec<DateTime<Utc>> = (0..o.reports)
        .map(|_| {
            let d = arrivals.weighted(&day_weight) as i64;
            let h = arrivals.weighted(&hour_weight) as i64;
            start + Duration::days(d) + Duration::hours(h) + Duration::seconds(arrivals.below(3600) as i64)
        })
        .collect();
    times.sort();

    let mut agenda = Agenda::new(start, end);
    let mut recent: HashMap<&'static str, VecDeque<Master>> = HashMap::new();
    // A fresh store is written without a journal: a seed that dies is simply run again into a new
    // directory, and the writes go straight to the file.
    store.fast_load(true)?;
    let mut bulk = store.bulk()?;
    let mut summary = SeedSummary::default();
    let cats: Vec<f64> = MIX.iter().map(|(_, w)| *w).collect();
    let config = crate::store::StoreConfig::default();
    let days_for = |c: &str| config.days_for(c);

    // The cameras are installed before the first report of the period.
    let mut seq = bulk.last_seq();
    let cameras: Vec<Event> = super::cameras::events(start - Duration::days(1), o.seed)
        .into_iter()
        .map(|(at, data)| {
            seq += 1;
            summary.cameras += usize::from(matches!(data, crate::domain::EventData::CameraRegistered { .. }));
            Event {
                seq,
                at,
                actor: "system".into(),
                data,
            }
        })
        .collect();
    bulk.events(&cameras)?;
    // Three threads: texts are composed and classified on one (each report's words come from its
    // own generator, so the data stay deterministic), the city is simulated on another, and this
    // one writes the events the simulation sends it, in batches, then the final rows the
    // simulation's thread makes from its world.
    let mut catr = root.fork(4);
    let categories: Vec<&'static str> = (0..times.len()).map(|_| MIX[catr.weighted(&cats)].0).collect();
    let (reports, cases, events) = std::thread::scope(|scope| -> Result<(usize, usize, u64), StoreError> {
        let (tx, rx) = std::sync::mpsc::sync_channel::<(Composed, Suggestion, String)>(8192);
        let (etx, erx) = std::sync::mpsc::sync_channel::<Load>(64);
        // What the writer has written goes back to the simulation's thread, which frees it where
        // it was made: freeing another thread's memory costs both threads, and the writer is the
        // busiest.
        let (done, written) = std::sync::mpsc::channel::<Load>();
        let categories = &categories;
        scope.spawn(move || {
            for (i, cat) in categories.iter().enumerate() {
                let mut r = root.fork(1_000_000 + i as u64);
                let c = bank.compose(cat, &mut r);
                let (suggestion, search) =
                    suggestion_and_search(&c.text, (!c.address.is_empty()).then_some(&c.address));
                if tx.send((c, suggestion, search)).is_err() {
                    break;
                }
            }
        });
        let cal = &cal;
        let days_for = &days_for;
        let sim = scope.spawn(move || {
            // Sized for the whole run up front: growing a million entries moves them all.
            let mut world = World::with_capacity(times.len());
            let send = |load: Load| {
                while let Ok(w) = written.try_recv() {
                    drop(w);
                }
                etx.send(load).is_ok()
            };
            let mut batch = Vec::with_capacity(BATCH);
            let mut next = 0usize;
            loop {
                // The next thing to happen: a new arrival or a scheduled step, whichever is first.
                let arrival = times.get(next).copied();
                // A step runs before an arrival at the same time.
                let step = agenda.pop_before(arrival.unwrap_or(end));
                let (at, mut step, n) = match (arrival, step) {
                    (_, Some((t, _, st, n))) => (t, st, n),
                    (Some(a), None) => {
                        let cat = categories[next];
                        let n = next;
                        next += 1;
                        let id = format!("R{next:07}");
                        let Ok((c, suggestion, search)) = rx.recv() else { break };
                        let (intake, plan) = arrive(
                            &mut fates,
                            &mut words,
                            cat,
                            (c, suggestion, search),
                            a,
                            &id,
                            &mut recent,
                            cal,
                        );
                        for (t, st) in plan {
                            agenda.push(t, st, n);
                        }
                        (a, Step::Receive(Box::new(intake)), n)
                    }
                    (None, None) => break,
                };
                // A receipt carries the suggestion; its report's row, the search text.
                let (mut suggested, mut search) = match &mut step {
                    Step::Receive(intake) => (
                        Some(intake.suggestion.clone()),
                        Some(std::mem::take(&mut intake.search)),
                    ),
                    _ => (None, None),
                };
                let Some((actor, cmd)) = to_command(step, n, &world, &mut fates, bank) else {
                    continue;
                };
                let ctx = Context {
                    actor: &actor,
                    now: at,
                    calendar: cal,
                    deadline_days: days_for,
                };
                let Ok(events) = lifecycle::decide(&Envelope::from(cmd), &world, &ctx) else {
                    continue;
                };
                for mut data in events {
                    if let EventData::ReportReceived { suggestion, .. } = &mut data {
                        *suggestion = suggested.take();
                    }
                    seq += 1;
                    let mut ev = Event {
                        seq,
                        at,
                        actor: actor.name.clone(),
                        data,
                    };
                    world.apply(&mut ev, &mut search)?;
                    batch.push(ev);
                }
                // The writer stopped on an error: it reports it.
                if batch.len() >= BATCH && !send(Load::Events(std::mem::replace(&mut batch, Vec::with_capacity(BATCH))))
                {
                    return Ok(None);
                }
            }
            let counts = (world.report_count, world.case_count, seq);
            if !send(Load::Events(batch)) || !world.send_rows(send) {
                return Ok(None);
            }
            drop(etx);
            // The last ones, once the writer is done with them.
            while written.recv().is_ok() {}
            Ok(Some(counts))
        });
        for load in erx {
            match &load {
                Load::Events(evs) => bulk.events(evs)?,
                Load::Cases(cases) => bulk.cases(cases)?,
                Load::Reports(reports) => bulk.reports(reports)?,
            }
            // The simulation's thread is gone only if it stopped early: nothing more to write.
            let _ = done.send(load);
        }
        drop(done);
        match sim.join() {
            Ok(Ok(Some(counts))) => Ok(counts),
            Ok(Err(message)) => Err(StoreError::Io {
                path: Default::default(),
                message,
            }),
            _ => Err(StoreError::Io {
                path: Default::default(),
                message: "the demo city's simulation stopped early".into(),
            }),
        }
    })?;
    bulk.commit()?;
    store.fast_load(false)?;
    summary.reports = reports;
    summary.cases = cases;
    summary.events = events;
    Ok(summary)
}

/// What the simulation's thread hands the writer: events, then the final rows.
enum Load {
    Events(Vec<Event>),
    /// Cases, each with its search text (its first report's).
    Cases(Vec<(Case, String)>),
    /// Reports, each with its search text and receipt.
    Reports(Vec<(Report, String, u64)>),
}

/// Rows handed to the writer at a time.
const ROW_BATCH: usize = 1024;

impl World {
    /// Hands the final rows to `send` (false: the writer stopped) in id order, which is arrival
    /// order: recent reports (the triage queue) and recent cases then sit together in the file
    /// instead of scattered across it. Cases first: a case's search text is its first report's,
    /// taken while the reports are still here.
    fn send_rows(self, send: impl Fn(Load) -> bool) -> bool {
        let World { reports, cases, .. } = self;
        let search_of = |id: &str| {
            slot(id, 'R')
                .and_then(|n| reports.get(n)?.as_ref())
                .map(|k| k.search.clone())
                .unwrap_or_default()
        };
        let mut cases = cases.into_iter().flatten().peekable();
        while cases.peek().is_some() {
            let chunk = cases
                .by_ref()
                .take(ROW_BATCH)
                .map(|c| {
                    let search = c.report_ids.first().map(|id| search_of(id)).unwrap_or_default();
                    (c, search)
                })
                .collect();
            if !send(Load::Cases(chunk)) {
                return false;
            }
        }
        let mut reports = reports.into_iter().flatten().peekable();
        while reports.peek().is_some() {
            let chunk = reports
                .by_ref()
                .take(ROW_BATCH)
                .map(|k| (k.report, k.search, k.receipt))
                .collect();
            if !send(Load::Reports(chunk)) {
                return false;
            }
        }
        true
    }
}

/// A scheduled step: when, its scheduling order (ties run in that order), what, and whose
/// report (its place in the world: `R0000001` is 0).
type Entry = (DateTime<Utc>, u64, Step, usize);

/// The scheduled steps, in time order. Steps go into one bucket per hour of the period; the
/// earliest hour's steps are sorted once when the simulation reaches it (a single heap over
/// the millions of future steps of a large city was the slowest part of the simulation).
struct Agenda {
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    buckets: Vec<Vec<Entry>>,
    /// Buckets moved into `now` so far.
    loaded: usize,
    /// The steps of the loaded hours not run yet, latest first.
    now: Vec<Entry>,
    order: u64,
}

impl Agenda {
    fn new(start: DateTime<Utc>, end: DateTime<Utc>) -> Agenda {
        let hours = ((end - start).num_hours().max(0) + 1) as usize;
        Agenda {
            start,
            end,
            buckets: (0..hours).map(|_| Vec::new()).collect(),
            loaded: 0,
            now: Vec::new(),
            order: 0,
        }
    }

    /// Schedules a step; steps at or after the end of the period never happen.
    fn push(&mut self, at: DateTime<Utc>, step: Step, report: usize) {
        if at >= self.end {
            return;
        }
        self.order += 1;
        let hour = ((at - self.start).num_hours().max(0) as usize).min(self.buckets.len() - 1);
        let e = (at, self.order, step, report);
        if hour < self.loaded {
            let key = (at, self.order);
            let i = self.now.partition_point(|x| (x.0, x.1) > key);
            self.now.insert(i, e);
        } else {
            self.buckets[hour].push(e);
        }
    }

    /// The next step if it comes before `limit` (the next arrival). Only the hours up to the
    /// limit's are sorted, so what is scheduled meanwhile still goes to its bucket.
    fn pop_before(&mut self, limit: DateTime<Utc>) -> Option<Entry> {
        let last = ((limit - self.start).num_hours().max(0) as usize).min(self.buckets.len() - 1);
        while self.now.is_empty() && self.loaded <= last {
            self.now = std::mem::take(&mut self.buckets[self.loaded]);
            self.now.sort_unstable_by_key(|e| std::cmp::Reverse((e.0, e.1)));
            self.loaded += 1;
        }
        if self.now.last()?.0 < limit {
            self.now.pop()
        } else {
            None
        }
    }
}

/// A recent report that later ones may duplicate.
#[derive(Debug, Clone)]
struct Master {
    id: String,
    at: DateTime<Utc>,
    lat: f64,
    lon: f64,
    ward: String,
    address: Option<String>,
    text: String,
}

/// A new report: its text, place and channel, and the timed steps of its whole life.
#[allow(clippy::too_many_arguments)]
fn arrive(
    r: &mut Rng,
    words: &mut Rng,
    cat: &'static str,
    (mut c, suggestion, search): (Composed, Suggestion, String),
    at: DateTime<Utc>,
    id: &str,
    recent: &mut HashMap<&'static str, VecDeque<Master>>,
    cal: &Calendar,
) -> (Intake, Vec<(DateTime<Utc>, Step)>) {
    let masters = recent.entry(cat).or_default();
    // Arrivals come in time order: the masters too old to be duplicated are at the front.
    while masters.front().is_some_and(|m| at - m.at >= Duration::days(5)) {
        masters.pop_front();
    }
    let channel = match words.below(100) {
        0..=69 => Channel::App,
        70..=81 => Channel::Hotline,
        82..=89 => Channel::Web,
        90..=94 => Channel::Facebook,
        _ => Channel::Email,
    };
    let mins = |r: &mut Rng, lo: i64, hi: i64| Duration::minutes(lo + r.below((hi - lo).max(1) as u64) as i64);
    // Half the reports are verified within hours; the rest wait for the next shifts, and a
    // backlog builds after storms and weekends: a fifth waits two to seven days, so the triage
    // queue holds about a day and a half of arrivals.
    let verify_at = match r.below(10) {
        0..=4 => at + mins(r, 8, 600),
        5..=7 => at + mins(r, 600, 2880),
        _ => at + mins(r, 2880, 10080),
    };
    let mut plan = Vec::new();
    let duplicate = cat != "invalid" && !masters.is_empty() && r.chance(0.12);
    if duplicate {
        // A duplicate re-reports its master's place in other words.
        let m = masters[r.below(masters.len() as u64) as usize].clone();
        c.lat = m.lat + (words.unit() - 0.5) * 0.0012;
        c.lon = m.lon + (words.unit() - 0.5) * 0.0012;
        c.ward = m.ward.clone();
        c.address = m.address.clone().unwrap_or_default();
        let first = m
            .text
            .split(['.', '!', '?'])
            .find(|s| s.trim().chars().count() > 12)
            .unwrap_or(&m.text)
            .trim();
        let lead = *words.pick(&[
            "Vẫn chưa thấy xử lý:",
            "Phản ánh lại:",
            "Tiếp tục phản ánh:",
            "Bà con ở đây cũng báo:",
            "Như đã báo,",
            "Cho hỏi đã xử lý chưa?",
        ]);
        c.text = format!("{lead} {first}.");
        plan.push((verify_at, Step::Merge(m.id)));
    }
    let with_coords = channel != Channel::Hotline || words.chance(0.3);
    let reporter = Reporter {
        name: Some(format!("Công dân {}", words.below(90_000) + 10_000)),
        phone: Some(format!("09{:08}", words.below(100_000_000))),
        email: None,
        device_id: (channel == Channel::App).then(|| format!("hue-s-{:012x}", words.next_u64() & 0xffff_ffff_ffff)),
        account_id: None,
    };
    let report = NewReport {
        id: Some(id.to_string()),
        received_at: Some(at),
        channel: Some(channel),
        text: c.text.clone(),
        category: None,
        ward: Some(c.ward.clone()),
        lat: with_coords.then_some(round5(c.lat)),
        lon: with_coords.then_some(round5(c.lon)),
        address: (!c.address.is_empty()).then(|| c.address.clone()),
        media: if channel == Channel::App && words.chance(0.6) {
            vec![format!("https://media.hue-s.example/{id}.jpg")]
        } else {
            Vec::new()
        },
        reporter: Some(reporter),
    };
    if duplicate {
        // Its words and address are new: the composed text's suggestion and search text do not
        // hold.
        let (suggestion, search) = suggestion_and_search(&report.text, report.address.as_deref());
        let intake = Intake {
            report,
            suggestion,
            search,
        };
        return (intake, plan);
    }
    let intake = |report| Intake {
        report,
        suggestion,
        search,
    };
    if cat == "invalid" {
        let reason = *r.pick(&[
            RejectReason::Invalid,
            RejectReason::Invalid,
            RejectReason::Invalid,
            RejectReason::OutOfScope,
            RejectReason::Insufficient,
            RejectReason::Spam,
        ]);
        plan.push((verify_at, Step::Reject(reason)));
        return (intake(report), plan);
    }
    masters.push_back(Master {
        id: id.to_string(),
        at,
        lat: c.lat,
        lon: c.lon,
        ward: c.ward.clone(),
        address: report.address.clone(),
        text: c.text.clone(),
    });
    plan.push((verify_at, Step::Verify(cat)));
    let fwd = verify_at + mins(r, 1, 20);
    plan.push((fwd, Step::Forward));
    if r.chance(0.1) {
        plan.push((fwd + mins(r, 1, 30), Step::Note));
    }
    let ack = fwd + mins(r, 20, 1800);
    plan.push((ack, Step::Ack));
    let start = ack + mins(r, 30, 2880);
    plan.push((start, Step::Start));
    if r.chance(0.03) {
        return (intake(report), plan); // never answered: it will be overdue
    }
    let deadline = cal.deadline(at, 7);
    let answer = if r.chance(0.53) {
        let span = (deadline - start).num_minutes().max(60);
        start + Duration::minutes(30 + r.below(span as u64 - 30) as i64)
    } else if r.chance(0.92) {
        // Late but justified: an extension approved before the deadline.
        let ext = deadline - Duration::hours(2 + r.below(40) as i64);
        let days = 3 + r.below(8) as u32;
        plan.push((ext.max(start + Duration::minutes(5)), Step::Extend(days)));
        let new_deadline = cal.extend(deadline, days);
        let span = (new_deadline - deadline).num_minutes().max(60);
        deadline + Duration::minutes(10 + r.below(span as u64 - 10) as i64)
    } else {
        deadline + Duration::hours(6 + r.below(200) as i64)
    };
    plan.push((answer, Step::Answer));
    let mut done = answer;
    if r.chance(0.08) {
        done += mins(r, 60, 1440);
        plan.push((done, Step::Return));
        done += mins(r, 240, 4000);
        plan.push((done, Step::Answer));
    }
    done += mins(r, 60, 2000);
    plan.push((done, Step::Approve));
    if r.chance(0.6) {
        done += mins(r, 120, 6000);
        let rating = if r.chance(0.86) {
            4 + r.below(2) as u8
        } else {
            1 + r.below(3) as u8
        };
        plan.push((done, Step::Rate(rating)));
        if rating <= 2 && r.chance(0.4) {
            plan.push((done + mins(r, 60, 2000), Step::Reopen));
            return (intake(report), plan);
        }
    }
    if r.chance(0.5) {
        plan.push((done + mins(r, 600, 10000), Step::Close));
    }
    (intake(report), plan)
}

/// The classifier's suggestion for a report's text and the report's search text (with its
/// address), from one folding of the text.
fn suggestion_and_search(text: &str, address: Option<&str>) -> (Suggestion, String) {
    let folded = fold(text);
    let (category, confidence) = crate::triage::Classifier::builtin().classify_folded(text, &folded);
    (
        Suggestion { category, confidence },
        rows::folded_with_address(folded, address),
    )
}

fn round5(x: f64) -> f64 {
    (x * 100_000.0).round() / 100_000.0
}

/// Turns a step into the command and actor that perform it.
/// `n` is the place of the step's report in the world (the one a submission creates).
fn to_command(step: Step, n: usize, w: &World, r: &mut Rng, bank: &TextBank) -> Option<(Actor, Command)> {
    let officer = || Actor::new(*OFFICERS.first().unwrap_or(&"ioc"), Role::Officer);
    let pick_officer = |r: &mut Rng| Actor::new(*r.pick(OFFICERS), Role::Officer);
    let step = match step {
        Step::Receive(intake) => {
            return Some((Actor::new("hue-s", Role::Intake), Command::SubmitReport(intake.report)));
        }
        step => step,
    };
    let report = w.at(n)?;
    let id = report.id.as_str();
    let case_id = || report.case_id.clone();
    let unit = |r: &mut Rng, c: &str| -> Option<Actor> {
        let k = w.case_of(c)?;
        let a = r.pick(&k.agencies).clone();
        Some(Actor {
            name: format!("{a}.canbo"),
            role: Role::Officer,
            agency: Some(a),
        })
    };
    Some(match step {
        Step::Receive(_) => return None, // taken above
        Step::Verify(cat) => (
            pick_officer(r),
            Command::VerifyReport {
                id: id.into(),
                category: Some(cat.into()),
            },
        ),
        Step::Reject(reason) => (pick_officer(r), Command::RejectReport { id: id.into(), reason }),
        Step::Merge(master) => (pick_officer(r), Command::MergeReport { id: id.into(), master }),
        Step::Forward => {
            let pri = if r.chance(0.04) { Some(Priority::P1) } else { None };
            (
                pick_officer(r),
                Command::Forward {
                    report_id: id.into(),
                    agencies: Vec::new(),
                    priority: pri,
                },
            )
        }
        Step::Ack => {
            let c = case_id()?;
            (
                unit(r, &c)?,
                Command::Acknowledge {
                    case_id: c,
                    agency: None,
                },
            )
        }
        Step::Start => {
            let c = case_id()?;
            (unit(r, &c)?, Command::StartWork { case_id: c })
        }
        Step::Extend(days) => {
            let c = case_id()?;
            let reason = r
                .pick(&[
                    "Chờ kinh phí sửa chữa",
                    "Cần phối hợp nhiều đơn vị",
                    "Thời tiết mưa lớn kéo dài",
                    "Chờ vật tư thay thế",
                    "Đang khảo sát hiện trường",
                ])
                .to_string();
            (
                Actor::new(*r.pick(SUPERVISORS), Role::Supervisor),
                Command::Extend {
                    case_id: c,
                    days,
                    reason,
                },
            )
        }
        Step::Answer => {
            let c = case_id()?;
            let cat = w.case_of(&c)?.category.clone();
            (
                unit(r, &c)?,
                Command::Answer {
                    case_id: c,
                    text: bank.answer(&cat, r),
                    agency: None,
                },
            )
        }
        Step::Return => {
            let c = case_id()?;
            (
                officer(),
                Command::ReturnAnswer {
                    case_id: c,
                    reason: "Trả lời chưa đầy đủ, đề nghị bổ sung hình ảnh sau xử lý".into(),
                },
            )
        }
        Step::Approve => (pick_officer(r), Command::ApproveAnswer { case_id: case_id()? }),
        Step::Rate(n) => (
            Actor::new("hue-s", Role::Intake),
            Command::Rate {
                case_id: case_id()?,
                rating: n,
            },
        ),
        Step::Close => (pick_officer(r), Command::Close { case_id: case_id()? }),
        Step::Reopen => (
            Actor::new(*r.pick(SUPERVISORS), Role::Supervisor),
            Command::Reopen {
                case_id: case_id()?,
                reason: "Người dân chưa hài lòng, yêu cầu xử lý lại".into(),
            },
        ),
        Step::Note => {
            if report.state == ReportState::New {
                return None;
            }
            let subject = case_id().unwrap_or_else(|| id.to_string());
            (
                pick_officer(r),
                Command::AddNote {
                    subject,
                    text: bank.note(r),
                },
            )
        }
    })
}
