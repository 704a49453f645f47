//! The desk's pure state and its `update(&mut App, Msg) -> Vec<Effect>`: no I/O here, effects are
//! data that the driver ([`super::effects`]) performs and answers with more messages.

use super::i18n::I18n;
use super::keymap::{Action, KeyResult, Keymap, key_name};
use super::theme::Theme;
use crate::domain::query::{CaseFilter, CaseSort, Counts, ReportFilter};
use crate::domain::{Case, Envelope, Event, EventData, Priority, Report, ReportState};
use crate::ioc::{CaseDetail, IocError, ReportDetail};
use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::collections::BTreeSet;

pub use super::actions::targets;
pub use super::modal::{InputKind, Mode, Picker, PickerKind, Target};

/// Rows loaded per list: the store pages, the desk never loads everything.
pub const PAGE: usize = 500;

/// The four panels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Panel {
    /// Cases.
    Queue,
    /// New reports.
    Triage,
    /// Cameras and their health.
    Cameras,
    /// Per-agency service levels.
    Service,
}

impl Panel {
    /// In tab order.
    pub const ALL: [Panel; 4] = [Panel::Queue, Panel::Triage, Panel::Cameras, Panel::Service];
    /// The catalogue key of the title.
    pub fn title_key(self) -> &'static str {
        match self {
            Panel::Queue => "panel.queue",
            Panel::Triage => "panel.triage",
            Panel::Cameras => "panel.cameras",
            Panel::Service => "panel.service",
        }
    }
    /// The name keymap entries scope bindings with (`panel = "cameras"`).
    pub fn name(self) -> &'static str {
        match self {
            Panel::Queue => "queue",
            Panel::Triage => "triage",
            Panel::Cameras => "cameras",
            Panel::Service => "service",
        }
    }
    /// The actions the hint line offers on this panel, most used first.
    pub fn hint_actions(self) -> &'static [Action] {
        use Action::*;
        match self {
            Panel::Queue => &[
                Help,
                Filter,
                Priority,
                Claim,
                Acknowledge,
                Extend,
                Approve,
                Return,
                Close,
                Reopen,
                Note,
                Mark,
                Quit,
            ],
            Panel::Triage => &[Help, Filter, Verify, Reject, Merge, Forward, Note, Mark, Copy, Quit],
            Panel::Cameras => &[Snapshot, Refresh, PanelNext, Help, Quit],
            Panel::Service => &[Refresh, PanelNext, Help, Quit],
        }
    }
    fn index(self) -> usize {
        Panel::ALL.iter().position(|p| *p == self).unwrap_or(0)
    }
}

/// What the detail pane shows.
#[derive(Debug, Clone, PartialEq)]
pub enum Detail {
    /// A case.
    Case(Box<CaseDetail>),
    /// A report.
    Report(Box<ReportDetail>),
}

/// One agency's service levels.
#[derive(Debug, Clone, PartialEq)]
pub struct AgencyLevel {
    /// Agency code.
    pub agency: String,
    /// Share of answered cases answered on time (extensions included), in the sample.
    pub on_time: Option<f64>,
    /// Open cases.
    pub backlog: u64,
    /// Overdue cases.
    pub overdue: u64,
    /// Share of ratings 4–5, in the sample.
    pub satisfaction: Option<f64>,
}

/// The service levels panel's figures.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ServiceLevels {
    /// Per agency, busiest first.
    pub agencies: Vec<AgencyLevel>,
    /// Reports received per Huế day, oldest first (14 days).
    pub intake: Vec<u64>,
    /// How many cases the rates were computed from.
    pub sample: usize,
}

/// Fixed facts for the status bar.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StatusInfo {
    /// Store path or server.
    pub connection: String,
    /// The actor's name.
    pub actor: String,
    /// The actor's role.
    pub role: String,
    /// The demo city was seeded at this start.
    pub demo: bool,
}

/// Messages: keys, time, and the answers to effects.
// Messages are short-lived and moved once; boxing the large results buys nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum Msg {
    /// A key press.
    Key(KeyEvent),
    /// The clock (once a second).
    Tick(DateTime<Utc>),
    /// Cases loaded.
    Cases(Result<Vec<Case>, IocError>),
    /// Reports loaded.
    Reports(Result<Vec<Report>, IocError>),
    /// Candidate masters for a merge loaded.
    Candidates(Result<Vec<Report>, IocError>),
    /// The detail of the selected item.
    Detail(Result<Detail, IocError>),
    /// Status bar counts.
    Counts(Result<Counts, IocError>),
    /// Service levels.
    Service(Result<ServiceLevels, IocError>),
    /// Cameras with their health.
    Cameras(Result<Vec<crate::domain::health::CameraStatus>, IocError>),
    /// Commands ran: the action name and one result per command.
    Executed(String, Vec<Result<(), IocError>>),
    /// A live event (or the stream's failure).
    Live(Result<Event, IocError>),
    /// A camera snapshot for request `.0`, decoded (or why not).
    Snapshot(u64, Result<image::DynamicImage, super::snapshot::Failure>),
    /// SIGTERM, SIGHUP: leave now.
    Shutdown,
}

/// What the driver should do.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Load the queue.
    LoadCases(CaseFilter),
    /// Load the triage list.
    LoadReports(ReportFilter),
    /// Load merge candidates.
    LoadCandidates(ReportFilter),
    /// Load a case's detail.
    LoadCase(String),
    /// Load a report's detail.
    LoadReport(String),
    /// Load status bar counts.
    LoadCounts,
    /// Compute service levels as of a time.
    LoadService(DateTime<Utc>),
    /// Load the cameras with their health.
    LoadCameras,
    /// Run commands in order, under an action name.
    Execute(String, Vec<Envelope>),
    /// Ring the terminal bell.
    Bell,
    /// Copy text to the clipboard (OSC 52).
    Copy(String),
    /// Fetch and decode a camera's snapshot (slow: the driver runs it beside the loop).
    LoadSnapshot {
        /// The request, so a late answer for a closed overlay is dropped.
        req: u64,
        /// Camera id.
        id: String,
    },
}

impl Effect {
    /// Effects that may take seconds (a camera on the network): the loop keeps drawing and
    /// reading keys while they run, and their answer comes back as a message.
    pub fn is_slow(&self) -> bool {
        matches!(self, Effect::LoadSnapshot { .. })
    }
}

/// The whole desk state.
pub struct App {
    /// Focused panel.
    pub panel: Panel,
    /// The queue's rows.
    pub cases: Vec<Case>,
    /// The triage list's rows.
    pub reports: Vec<Report>,
    /// Selected row in the queue.
    pub case_sel: usize,
    /// Selected row in triage.
    pub report_sel: usize,
    /// Free-text filter of the queue.
    pub case_query: String,
    /// Free-text filter of triage.
    pub report_query: String,
    /// Ward filter (canonical code).
    pub ward: Option<String>,
    /// Agency filter.
    pub agency: Option<String>,
    /// Only overdue cases.
    pub overdue: bool,
    /// Queue order.
    pub sort: CaseSort,
    /// Marked ids (reports or cases).
    pub marked: BTreeSet<String>,
    /// The detail pane's content.
    pub detail: Option<Detail>,
    /// The detail pane is shown on narrow terminals.
    pub show_detail: bool,
    /// Service levels, once computed.
    pub service: Option<ServiceLevels>,
    /// Cameras with their health, by site.
    pub cameras: Vec<crate::domain::health::CameraStatus>,
    /// Selected row in the cameras panel.
    pub camera_sel: usize,
    /// Status bar counts.
    pub counts: Counts,
    /// The modal state.
    pub mode: Mode,
    /// The message line: text and whether it is an error.
    pub message: Option<(String, bool)>,
    /// Now (from ticks, so tests control time).
    pub now: DateTime<Utc>,
    /// The active keymap.
    pub keymap: Keymap,
    /// Keys typed towards a multi-key binding.
    pub pending: Vec<String>,
    /// Text catalogue.
    pub i18n: I18n,
    /// Styles.
    pub theme: Theme,
    /// Status bar facts.
    pub info: StatusInfo,
    /// The live event stream is up.
    pub connected: bool,
    /// Flash the status bar until then (a new P1 case).
    pub flash_until: Option<DateTime<Utc>>,
    /// Ring the bell on a new P1 case.
    pub bell: bool,
    /// The desk should exit.
    pub quit: bool,
    /// Command-line history, oldest first.
    pub history: Vec<String>,
    /// The last event seen.
    pub last_seq: u64,
    /// Something changed since the last refresh.
    pub dirty: bool,
    /// How the terminal draws images (half-blocks until [`super::snapshot::detect`] says more).
    pub graphics: super::snapshot::Graphics,
    /// The camera snapshot overlay, while open.
    pub snapshot: Option<super::snapshot::SnapshotView>,
    /// The last snapshot request made.
    pub snapshot_req: u64,
}

impl App {
    /// A fresh desk at `now`.
    pub fn new(i18n: I18n, theme: Theme, keymap: Keymap, info: StatusInfo, now: DateTime<Utc>) -> App {
        App {
            panel: Panel::Queue,
            cases: Vec::new(),
            reports: Vec::new(),
            case_sel: 0,
            report_sel: 0,
            case_query: String::new(),
            report_query: String::new(),
            ward: None,
            agency: None,
            overdue: false,
            sort: CaseSort::Deadline,
            marked: BTreeSet::new(),
            detail: None,
            show_detail: false,
            service: None,
            cameras: Vec::new(),
            camera_sel: 0,
            counts: Counts::default(),
            mode: Mode::Normal,
            message: None,
            now,
            keymap,
            pending: Vec::new(),
            i18n,
            theme,
            info,
            connected: true,
            flash_until: None,
            bell: true,
            quit: false,
            history: Vec::new(),
            last_seq: 0,
            dirty: false,
            graphics: super::snapshot::Graphics::HalfBlocks { truecolor: false },
            snapshot: None,
            snapshot_req: 0,
        }
    }

    /// The queue's filter as it stands.
    pub fn case_filter(&self) -> CaseFilter {
        CaseFilter {
            open: true,
            query: Some(self.case_query.trim().to_string()).filter(|q| !q.is_empty()),
            ward: self.ward.clone(),
            agency: self.agency.clone(),
            overdue: self.overdue,
            sort: self.sort,
            limit: PAGE,
            ..CaseFilter::default()
        }
    }

    /// The triage list's filter as it stands: new reports, oldest first.
    pub fn report_filter(&self) -> ReportFilter {
        ReportFilter {
            states: vec![ReportState::New],
            query: Some(self.report_query.trim().to_string()).filter(|q| !q.is_empty()),
            ward: self.ward.clone(),
            oldest_first: true,
            limit: PAGE,
            ..ReportFilter::default()
        }
    }

    /// The selected case in the queue.
    pub fn selected_case(&self) -> Option<&Case> {
        self.cases.get(self.case_sel)
    }

    /// The selected report in triage.
    pub fn selected_report(&self) -> Option<&Report> {
        self.reports.get(self.report_sel)
    }

    /// Sets the message line.
    pub fn say(&mut self, text: String, error: bool) {
        self.message = Some((text, error));
    }

    /// What a fresh desk loads.
    pub fn startup(&self) -> Vec<Effect> {
        vec![
            Effect::LoadCounts,
            Effect::LoadCases(self.case_filter()),
            Effect::LoadReports(self.report_filter()),
        ]
    }

    /// Reloads what the focused panel shows.
    pub fn refresh(&self) -> Vec<Effect> {
        let mut fx = vec![Effect::LoadCounts];
        match self.panel {
            Panel::Queue => fx.push(Effect::LoadCases(self.case_filter())),
            Panel::Triage => fx.push(Effect::LoadReports(self.report_filter())),
            Panel::Service => fx.push(Effect::LoadService(self.now)),
            Panel::Cameras => fx.push(Effect::LoadCameras),
        }
        fx
    }

    /// Loads the detail of the selected item.
    pub fn load_detail(&self) -> Vec<Effect> {
        match self.panel {
            Panel::Queue => self
                .selected_case()
                .map(|c| Effect::LoadCase(c.id.clone()))
                .into_iter()
                .collect(),
            Panel::Triage => self
                .selected_report()
                .map(|r| Effect::LoadReport(r.id.clone()))
                .into_iter()
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Focuses a panel.
    pub fn focus(&mut self, p: Panel) -> Vec<Effect> {
        if self.panel != p {
            self.marked.clear();
            self.detail = None;
        }
        self.panel = p;
        let mut fx = self.refresh();
        if p == Panel::Service && self.service.is_some() {
            fx.retain(|e| !matches!(e, Effect::LoadService(_)));
        }
        fx.extend(self.load_detail());
        fx
    }

    /// Cycles panels.
    pub fn cycle(&mut self, step: isize) -> Vec<Effect> {
        let n = Panel::ALL.len() as isize;
        let i = (self.panel.index() as isize + step).rem_euclid(n) as usize;
        self.focus(Panel::ALL[i])
    }

    /// Rows in the focused list.
    pub fn row_count(&self) -> usize {
        match self.panel {
            Panel::Queue => self.cases.len(),
            Panel::Triage => self.reports.len(),
            Panel::Cameras => self.cameras.len(),
            _ => 0,
        }
    }

    /// Moves the selection to row `i` (clamped); loads its detail when it changed.
    pub fn select(&mut self, i: isize) -> Vec<Effect> {
        let n = self.row_count();
        if n == 0 {
            return Vec::new();
        }
        let i = i.clamp(0, n as isize - 1) as usize;
        let sel = match self.panel {
            Panel::Queue => &mut self.case_sel,
            Panel::Triage => &mut self.report_sel,
            Panel::Cameras => &mut self.camera_sel,
            _ => return Vec::new(),
        };
        if *sel == i && self.detail.is_some() {
            return Vec::new();
        }
        *sel = i;
        self.load_detail()
    }

    /// The selected row's index.
    pub fn selection(&self) -> usize {
        match self.panel {
            Panel::Queue => self.case_sel,
            Panel::Triage => self.report_sel,
            Panel::Cameras => self.camera_sel,
            _ => 0,
        }
    }
}

/// Puts the selection back on the item with `id` after a reload, else clamps it.
fn keep(sel: &mut usize, old: Option<String>, ids: impl Iterator<Item = String>) {
    let ids: Vec<String> = ids.collect();
    if let Some(pos) = old.and_then(|o| ids.iter().position(|i| *i == o)) {
        *sel = pos;
    } else if *sel >= ids.len() {
        *sel = ids.len().saturating_sub(1);
    }
}

/// The state machine: one message in, effects out.
pub fn update(app: &mut App, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Key(k) => key(app, k),
        Msg::Tick(now) => {
            app.now = now;
            if app.flash_until.is_some_and(|t| t < now) {
                app.flash_until = None;
            }
            if app.dirty {
                app.dirty = false;
                let mut fx = app.refresh();
                fx.extend(app.load_detail());
                return fx;
            }
            Vec::new()
        }
        Msg::Cases(r) => match r {
            Ok(rows) => {
                let old = app.selected_case().map(|c| c.id.clone());
                let was = old.clone();
                keep(&mut app.case_sel, old, rows.iter().map(|c| c.id.clone()));
                app.cases = rows;
                let now_sel = app.selected_case().map(|c| c.id.clone());
                if app.panel == Panel::Queue && (was != now_sel || app.detail.is_none()) {
                    return app.load_detail();
                }
                Vec::new()
            }
            Err(e) => err(app, &e),
        },
        Msg::Reports(r) => match r {
            Ok(rows) => {
                let old = app.selected_report().map(|c| c.id.clone());
                let was = old.clone();
                keep(&mut app.report_sel, old, rows.iter().map(|c| c.id.clone()));
                app.reports = rows;
                let now_sel = app.selected_report().map(|c| c.id.clone());
                if app.panel == Panel::Triage && (was != now_sel || app.detail.is_none()) {
                    return app.load_detail();
                }
                Vec::new()
            }
            Err(e) => err(app, &e),
        },
        Msg::Candidates(r) => match r {
            Ok(rows) => super::modal::open_master_picker(app, rows),
            Err(e) => err(app, &e),
        },
        Msg::Detail(r) => {
            match r {
                Ok(d) => app.detail = Some(d),
                Err(IocError::NotFound(_)) => app.detail = None,
                Err(e) => return err(app, &e),
            }
            Vec::new()
        }
        Msg::Counts(r) => match r {
            Ok(c) => {
                app.last_seq = app.last_seq.max(c.last_seq);
                app.counts = c;
                Vec::new()
            }
            Err(e) => err(app, &e),
        },
        Msg::Service(r) => match r {
            Ok(s) => {
                app.service = Some(s);
                Vec::new()
            }
            Err(e) => err(app, &e),
        },
        Msg::Cameras(r) => match r {
            Ok(c) => {
                app.camera_sel = app.camera_sel.min(c.len().saturating_sub(1));
                app.cameras = c;
                Vec::new()
            }
            Err(e) => err(app, &e),
        },
        Msg::Executed(name, results) => executed(app, &name, results),
        Msg::Live(r) => live(app, r),
        Msg::Snapshot(req, r) => super::snapshot::arrived(app, req, r),
        Msg::Shutdown => {
            app.quit = true;
            Vec::new()
        }
    }
}

/// Shows an error on the message line.
fn err(app: &mut App, e: &IocError) -> Vec<Effect> {
    let text = app
        .i18n
        .tf("msg.error", &[("msg", &crate::domain::text::sanitize(&e.to_string()))]);
    app.say(text, true);
    Vec::new()
}

fn executed(app: &mut App, name: &str, results: Vec<Result<(), IocError>>) -> Vec<Effect> {
    let ok = results.iter().filter(|r| r.is_ok()).count();
    let errors: Vec<&IocError> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    let conflict = errors.iter().find(|e| matches!(e, IocError::Conflict { .. }));
    let text = if let Some(c) = conflict {
        let msg = match c {
            IocError::Conflict { message, .. } => message.clone(),
            other => other.to_string(),
        };
        app.i18n
            .tf("msg.conflict", &[("msg", &crate::domain::text::sanitize(&msg))])
    } else if let Some(e) = errors.first() {
        let (o, n) = (ok.to_string(), errors.len().to_string());
        let e = crate::domain::text::sanitize(&e.to_string());
        app.i18n
            .tf("msg.failed", &[("action", name), ("ok", &o), ("n", &n), ("err", &e)])
    } else {
        app.i18n.tf("msg.done", &[("action", name), ("n", &ok.to_string())])
    };
    app.say(text, !errors.is_empty());
    app.marked.clear();
    let mut fx = app.refresh();
    fx.extend(app.load_detail());
    fx
}

fn live(app: &mut App, r: Result<Event, IocError>) -> Vec<Effect> {
    match r {
        Ok(ev) => {
            app.connected = true;
            app.last_seq = app.last_seq.max(ev.seq);
            app.dirty = true;
            if let EventData::CaseOpened {
                case_id,
                priority: Priority::P1,
                ..
            } = &ev.data
            {
                app.flash_until = Some(app.now + chrono::Duration::seconds(5));
                let text = app.i18n.tf("msg.new_p1", &[("id", case_id)]);
                app.say(text, false);
                if app.bell {
                    return vec![Effect::Bell];
                }
            }
            // A camera going down flashes and rings like a P1 case.
            if let EventData::CameraStateChanged {
                id,
                state: crate::domain::CameraState::Offline,
                ..
            } = &ev.data
            {
                app.flash_until = Some(app.now + chrono::Duration::seconds(5));
                let text = app.i18n.tf("msg.camera_down", &[("id", id)]);
                app.say(text, true);
                if app.bell {
                    return vec![Effect::Bell];
                }
            }
            Vec::new()
        }
        Err(_) => {
            // Resynchronise: whatever was missed shows on the next refresh.
            app.connected = false;
            app.dirty = true;
            let text = app.i18n.t("msg.reconnect").to_string();
            app.say(text, true);
            Vec::new()
        }
    }
}

/// A key press: modes first, then the keymap.
fn key(app: &mut App, k: KeyEvent) -> Vec<Effect> {
    let ctrl_c = k.code == KeyCode::Char('c') && k.modifiers.contains(KeyModifiers::CONTROL);
    if !matches!(app.mode, Mode::Normal) {
        if ctrl_c && !matches!(app.mode, Mode::Help | Mode::Confirm { .. } | Mode::Snapshot) {
            let prompt = app.i18n.t("confirm.quit").to_string();
            app.mode = Mode::Confirm {
                prompt,
                envs: Vec::new(),
                name: "quit".into(),
            };
            return Vec::new();
        }
        return super::modal::key(app, k);
    }
    let Some(name) = key_name(&k) else {
        return Vec::new();
    };
    app.pending.push(name);
    match app.keymap.resolve_in(&app.pending, app.panel.name()) {
        KeyResult::Pending => Vec::new(),
        KeyResult::NotFound => {
            app.pending.clear();
            Vec::new()
        }
        KeyResult::Matched(a) => {
            app.pending.clear();
            super::actions::run(app, a)
        }
    }
}
