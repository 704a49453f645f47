//! The dispatch desk (ratatui TUI). [`run`] owns the real terminal; [`run_loop`] is generic over
//! the backend and the input stream, so tests drive it with keys and read a `TestBackend`.
//!
//! Shape: [`app`] is the pure state machine (`update(&mut App, Msg) -> Vec<Effect>`), [`effects`]
//! performs effects through [`crate::ioc::Ioc`] (never SQL or HTTP), [`view`] draws.

#![warn(missing_docs)]

pub mod actions;
pub mod app;
pub mod command;
pub mod effects;
pub mod i18n;
pub mod keymap;
pub mod modal;
pub mod snapshot;
pub mod theme;
pub mod view;

use app::{App, Msg, StatusInfo};
use chrono::Utc;
use crossterm::event::{Event as TermEvent, KeyEventKind};
use futures::{Stream, StreamExt};
use i18n::{I18n, Lang};
use keymap::Keymap;
use ratatui::Terminal;
use ratatui::backend::Backend;
use std::collections::VecDeque;
use std::io::Write;
use theme::Theme;
use tokio::sync::mpsc::Receiver;

use crate::domain::Event;
use crate::ioc::{Connection, Ioc, IocError};

/// How the desk looks and behaves, resolved from flags, environment and the config file.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `--lang` or the config's `lang`.
    pub lang: Option<String>,
    /// `LANG` from the environment.
    pub env_lang: Option<String>,
    /// Theme name.
    pub theme: Option<String>,
    /// No colours (`--no-color`, `NO_COLOR`).
    pub no_color: bool,
    /// Keymap name (`default`, `vim`).
    pub keymap: Option<String>,
    /// The user's `keymap.toml`, if any.
    pub user_keymap: Option<String>,
    /// Ring the bell on a new P1 case.
    pub bell: bool,
    /// The demo city was seeded at this start.
    pub demo: bool,
}

/// Builds the desk state for a core handle.
pub fn build_app(ioc: &Ioc, o: &Options) -> App {
    let i18n = I18n::new(Lang::pick(o.lang.as_deref(), o.env_lang.as_deref()));
    let mut warnings = Vec::new();
    let keymap = Keymap::load(o.keymap.as_deref(), o.user_keymap.as_deref(), &mut warnings);
    let actor = ioc.actor();
    let info = StatusInfo {
        connection: match ioc.connection() {
            Connection::Local(p) | Connection::Remote(p) => p,
        },
        actor: actor.name.clone(),
        role: actor.role.to_string(),
        demo: o.demo,
    };
    let mut app = App::new(
        i18n,
        Theme::named(o.theme.as_deref(), o.no_color),
        keymap,
        info,
        Utc::now(),
    );
    app.bell = o.bell;
    if !warnings.is_empty() {
        let m = app.i18n.tf("msg.keymap", &[("msg", &warnings.join("; "))]);
        app.say(m, true);
    }
    app
}

/// Waits on an optional receiver; never resolves when there is none.
async fn recv_opt<T>(rx: &mut Option<Receiver<T>>) -> Option<T> {
    match rx {
        Some(r) => r.recv().await,
        None => futures::future::pending().await,
    }
}

/// Slow effects running beside the loop; each answers with at most one message.
type Jobs = tokio::task::JoinSet<Option<Msg>>;

/// Feeds one message through `update` and performs the effects, until nothing is left.
pub async fn dispatch(app: &mut App, ioc: &Ioc, msg: Msg, out: Option<&mut dyn Write>) {
    dispatch_with(app, ioc, msg, out, None).await;
}

/// [`dispatch`], with slow effects started on `jobs` instead of awaited (when given).
async fn dispatch_with(
    app: &mut App,
    ioc: &Ioc,
    msg: Msg,
    mut out: Option<&mut dyn Write>,
    mut jobs: Option<&mut Jobs>,
) {
    let mut queue = VecDeque::from([msg]);
    while let Some(m) = queue.pop_front() {
        for fx in app::update(app, m) {
            if let Some(jobs) = jobs.as_mut().filter(|_| fx.is_slow()) {
                let ioc = ioc.clone();
                jobs.spawn(async move { effects::slow(&ioc, fx).await });
                continue;
            }
            let w = out.as_mut().map(|w| &mut **w as &mut dyn Write);
            if let Some(next) = effects::perform(ioc, fx, w).await {
                queue.push_back(next);
            }
        }
    }
}

/// Loads what a fresh desk shows (counts, queue, triage list, the detail of the selection).
pub async fn start(app: &mut App, ioc: &Ioc) {
    for fx in app.startup() {
        if let Some(m) = effects::perform(ioc, fx, None).await {
            dispatch(app, ioc, m, None).await;
        }
    }
}

/// The event loop: draw, wait for a key, a live event, a signal, the clock or a slow effect's
/// answer, update, repeat. Ends when the app quits (slow effects still running are dropped) or
/// the input stream ends (tests; slow effects are awaited first, each bounded by its timeout).
#[allow(clippy::too_many_arguments)]
pub async fn run_loop<B, S>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    ioc: &Ioc,
    mut input: S,
    mut live: Option<Receiver<Result<Event, IocError>>>,
    mut ext: Option<Receiver<Msg>>,
    mut out: Option<&mut dyn Write>,
    tick: Option<std::time::Duration>,
) -> anyhow::Result<()>
where
    B: Backend,
    B::Error: Send + Sync + 'static,
    S: Stream<Item = TermEvent> + Unpin,
{
    let mut interval = tick.map(tokio::time::interval);
    // A desk that was live resubscribes from the last event it saw, a few seconds after losing it.
    let was_live = live.is_some();
    let mut retry_at: Option<std::time::Instant> = None;
    let mut jobs = Jobs::new();
    // An image drawn with escape sequences can outlive its cells: repaint all once it is closed.
    let mut image_shown = false;
    loop {
        if was_live && live.is_none() && retry_at.is_some_and(|t| t <= std::time::Instant::now()) {
            live = Some(ioc.subscribe(app.last_seq));
            retry_at = None;
        }
        draw(terminal, app, &mut image_shown)?;
        if app.quit {
            break;
        }
        let msg = tokio::select! {
            biased;
            ev = input.next() => match ev {
                Some(TermEvent::Key(k)) if k.kind != KeyEventKind::Release => Msg::Key(k),
                Some(TermEvent::Resize(..)) => {
                    terminal.autoresize()?;
                    continue;
                }
                Some(_) => continue,
                None => {
                    while let Some(done) = jobs.join_next().await {
                        if let Ok(Some(m)) = done {
                            dispatch(app, ioc, m, out.as_mut().map(|w| &mut **w as &mut dyn Write)).await;
                        }
                    }
                    break;
                }
            },
            Some(done) = jobs.join_next(), if !jobs.is_empty() => match done {
                Ok(Some(m)) => m,
                Ok(None) => continue,
                Err(e) => {
                    tracing::warn!("a desk task failed: {e}");
                    continue;
                }
            },
            m = recv_opt(&mut ext) => match m {
                Some(m) => m,
                None => { ext = None; continue; }
            },
            ev = recv_opt(&mut live) => match ev {
                Some(e) => Msg::Live(e),
                None => {
                    live = None;
                    retry_at = Some(std::time::Instant::now() + std::time::Duration::from_secs(3));
                    Msg::Live(Err(IocError::Unreachable("event stream ended".into())))
                }
            },
            _ = async { match interval.as_mut() { Some(i) => { i.tick().await; } None => futures::future::pending::<()>().await } } => Msg::Tick(Utc::now()),
        };
        let w = out.as_mut().map(|w| &mut **w as &mut dyn Write);
        dispatch_with(app, ioc, msg, w, Some(&mut jobs)).await;
    }
    draw(terminal, app, &mut image_shown)?;
    Ok(())
}

/// Draws one frame, fitting an open snapshot to the frame first.
fn draw<B>(terminal: &mut Terminal<B>, app: &mut App, image_shown: &mut bool) -> anyhow::Result<()>
where
    B: Backend,
    B::Error: Send + Sync + 'static,
{
    let size = terminal.size()?;
    snapshot::fit(app, ratatui::layout::Rect::new(0, 0, size.width, size.height));
    let shown = app.graphics.is_protocol() && app.snapshot.is_some();
    if *image_shown && !shown {
        terminal.clear()?;
    }
    *image_shown = shown;
    terminal.draw(|f| f.render_widget(&*app, f.area()))?;
    Ok(())
}

/// Leaves raw mode and the alternate screen; safe to call more than once.
fn restore() {
    let _ = crossterm::terminal::disable_raw_mode();
    let _ = crossterm::execute!(
        std::io::stdout(),
        crossterm::terminal::LeaveAlternateScreen,
        crossterm::cursor::Show
    );
}

/// Restores the terminal when dropped: normal exit and early returns.
struct Guard;

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
    }
}

/// Opens the desk on the real terminal; returns the exit code.
pub async fn run(ioc: Ioc, o: Options) -> anyhow::Result<i32> {
    let mut app = build_app(&ioc, &o);
    let counts = ioc.counts().await?;
    app.last_seq = counts.last_seq;
    let live = ioc.subscribe(counts.last_seq);

    let prev = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        prev(info);
    }));
    crossterm::terminal::enable_raw_mode()?;
    let _guard = Guard;
    crossterm::execute!(std::io::stdout(), crossterm::terminal::EnterAlternateScreen)?;
    // Before the key reader starts: the query's answer arrives on stdin.
    app.graphics = snapshot::detect();
    let mut terminal = Terminal::new(ratatui::backend::CrosstermBackend::new(std::io::stdout()))?;
    terminal.clear()?;

    let (tx, rx) = tokio::sync::mpsc::channel(1);
    tokio::spawn(async move {
        use tokio::signal::unix::{SignalKind, signal};
        let (Ok(mut term), Ok(mut hup)) = (signal(SignalKind::terminate()), signal(SignalKind::hangup())) else {
            return;
        };
        tokio::select! {
            _ = term.recv() => {}
            _ = hup.recv() => {}
        }
        let _ = tx.send(Msg::Shutdown).await;
    });

    start(&mut app, &ioc).await;
    let input = crossterm::event::EventStream::new().filter_map(|e| async move { e.ok() });
    let mut stdout = std::io::stdout();
    let result = run_loop(
        &mut terminal,
        &mut app,
        &ioc,
        Box::pin(input),
        Some(live),
        Some(rx),
        Some(&mut stdout),
        Some(std::time::Duration::from_secs(1)),
    )
    .await;
    drop(terminal);
    restore();
    result.map(|_| 0)
}
