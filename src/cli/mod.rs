//! The command line: clap definitions and dispatch, one file per command group.

mod admin;
mod cameras;
mod data;
mod demo;
mod list;
pub mod output;
mod plates;
mod report;
mod serve;
mod shell;
mod sli;
mod token;
mod triage;

use crate::domain::{Actor, Role};
use crate::ioc::{CaCerts, Ioc, IocError, LocalIoc, RemoteIoc};
use crate::settings::{FileSettings, Paths};
use clap::{Args, Parser, Subcommand};
use output::Format;
use std::path::PathBuf;

/// Operator console for a city Intelligent Operations Center (Huế IOC model).
///
/// With no command, opens the dispatch desk on the embedded store.
#[derive(Debug, Parser)]
#[command(name = "iocdesk", version, about, long_about = None, after_help = EXAMPLES)]
pub struct Cli {
    /// Options every command takes.
    #[command(flatten)]
    pub global: Global,
    /// What to do (the desk when absent).
    #[command(subcommand)]
    pub command: Option<Cmd>,
}

const EXAMPLES: &str = "Examples:
  iocdesk                                   open the desk (seeds the demo city on first run)
  iocdesk reports list --status new --ward 'Phú Hội'
  iocdesk cases list --overdue --output json
  iocdesk demo seed --reports 5000 --seed 7";

/// Options every command takes.
#[derive(Debug, Args, Clone)]
pub struct Global {
    /// Store directory (default: the XDG data dir).
    #[arg(long, global = true, env = "IOCDESK_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Output format for data on stdout.
    #[arg(long, short = 'o', global = true, value_enum, default_value_t = Format::Table)]
    pub output: Format,
    /// Your name on the events you cause (local store).
    #[arg(long, global = true, env = "IOCDESK_ACTOR", value_name = "NAME")]
    pub actor: Option<String>,
    /// No colours (also NO_COLOR).
    #[arg(long, global = true)]
    pub no_color: bool,
    /// Language of the desk and messages: vi or en.
    #[arg(long, global = true, value_name = "LANG")]
    pub lang: Option<String>,
    /// Print only data and errors.
    #[arg(long, short = 'q', global = true)]
    pub quiet: bool,
    /// Open an empty store instead of seeding the demo city on first run.
    #[arg(long, global = true)]
    pub no_demo: bool,
    /// Work on a server (`iocdesk serve`) instead of the local store.
    #[arg(long, global = true, env = "IOCDESK_REMOTE", value_name = "URL")]
    pub remote: Option<String>,
    /// Bearer token for --remote (see `iocdesk token create`).
    #[arg(
        long,
        global = true,
        env = "IOCDESK_TOKEN",
        value_name = "TOKEN",
        hide_env_values = true
    )]
    pub token: Option<String>,
    /// PEM file of a private certificate authority to trust for an https:// --remote.
    #[arg(long, global = true, env = "IOCDESK_CA_CERT", value_name = "FILE")]
    pub ca_cert: Option<PathBuf>,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Field reports: list and show.
    #[command(
        subcommand,
        after_help = "Examples:\n  iocdesk reports list --status new --query 'dong ba'\n  iocdesk reports show R0000042 --output json"
    )]
    Reports(list::ReportsCmd),
    /// Cases: list and show.
    #[command(
        subcommand,
        after_help = "Examples:\n  iocdesk cases list --overdue --agency hepco\n  iocdesk cases show C0000007"
    )]
    Cases(list::CasesCmd),
    /// Import reports from NDJSON (`-` for stdin).
    #[command(
        after_help = "Examples:\n  iocdesk import reports.ndjson\n  cat new.ndjson | iocdesk import - --skip-invalid"
    )]
    Import(data::ImportArgs),
    /// Export reports as NDJSON or CSV.
    #[command(
        after_help = "Examples:\n  iocdesk export --format ndjson > reports.ndjson\n  iocdesk export --format csv > reports.csv"
    )]
    Export(data::ExportArgs),
    /// The Huế demo city: seed a dataset or keep it alive.
    #[command(
        subcommand,
        after_help = "Examples:\n  iocdesk demo seed --reports 5000 --days 90 --seed 1\n  iocdesk demo live --rate 2"
    )]
    Demo(demo::DemoCmd),
    /// Store administration: rebuild and verify the read tables from the log.
    #[command(
        subcommand,
        after_help = "Examples:\n  iocdesk admin verify\n  iocdesk admin rebuild"
    )]
    Admin(admin::AdminCmd),
    /// Batch triage: the filters of `reports list`, then actions on every match.
    #[command(
        after_help = "Examples:\n  iocdesk triage --status new --query rac --verify --forward hepco --dry-run\n  iocdesk triage --status new --merge-duplicates --yes\n  iocdesk triage --ids ids.txt --reject spam --yes --output json\n  iocdesk triage eval labelled.ndjson --output json"
    )]
    Triage(triage::TriageArgs),
    /// Serve the store over HTTP: JSON API, event stream, bearer tokens.
    #[command(
        after_help = "Examples:\n  iocdesk serve --listen 0.0.0.0:8080\n  iocdesk serve --listen 0.0.0.0:8443 --tls-cert server.pem --tls-key server-key.pem\n  iocdesk token create --role officer --name lan"
    )]
    Serve(serve::ServeArgs),
    /// API tokens for `serve`: create, list, revoke.
    #[command(
        subcommand,
        after_help = "Examples:\n  iocdesk token create --role viewer --name wall --expires 30d\n  iocdesk token revoke 1a2b3c4d"
    )]
    Token(token::TokenCmd),
    /// The digital report for a day, week or month, from the data itself.
    #[command(
        after_help = "Examples:\n  iocdesk report daily --date 2026-11-20\n  iocdesk report weekly --format csv > week.csv\n  iocdesk report monthly --format json"
    )]
    Report(report::ReportArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    #[command(
        after_help = "Examples:\n  iocdesk completions bash > /etc/bash_completion.d/iocdesk\n  iocdesk completions zsh > ~/.zfunc/_iocdesk"
    )]
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff).
    #[command(after_help = "Example:\n  iocdesk man | man -l -")]
    Man,
    /// Cameras: import the registry, list their health, probe them.
    #[command(
        subcommand,
        after_help = "Examples:\n  iocdesk cameras import cameras.csv\n  iocdesk cameras probe --id cam-dongba-01 --output ndjson\n  iocdesk cameras list --output json"
    )]
    Cameras(cameras::CamerasCmd),
    /// Licence plates: import sightings, search a plate's route.
    #[command(
        subcommand,
        after_help = "Examples:\n  iocdesk plates import sightings.ndjson\n  iocdesk plates search 75A-123.45\n  iocdesk plates watch add 75A-123.45 --reason 'stolen, report R0000042'"
    )]
    Plates(plates::PlatesCmd),
    /// Service levels per agency, camera availability, SLOs and burn-rate alerts.
    #[command(after_help = "Examples:\n  iocdesk sli\n  iocdesk sli --window 7d --output json")]
    Sli(sli::SliArgs),
    /// Print the config, data, state and log paths.
    #[command(after_help = "Example:\n  iocdesk paths --output json")]
    Paths,
}

/// What `main` needs to run a command.
pub struct Env {
    /// Global options.
    pub global: Global,
    /// Resolved directories.
    pub paths: Paths,
    /// The config file's settings.
    pub file: FileSettings,
}

impl Env {
    /// Resolves paths and reads the config file.
    pub fn new(global: Global) -> anyhow::Result<Env> {
        let paths = Paths::resolve(global.data_dir.as_deref());
        let file = FileSettings::load(&paths).map_err(anyhow::Error::msg)?;
        let routing_file = paths.config_dir.join("routing.toml");
        if let Ok(text) = std::fs::read_to_string(&routing_file) {
            let r = crate::domain::routing::Routing::parse(&text)
                .map_err(|e| anyhow::anyhow!("{}: {e}", routing_file.display()))?;
            crate::domain::routing::install(r);
        }
        Ok(Env { global, paths, file })
    }

    /// The local actor: `--actor`, the config's `actor`, `$USER`, or `officer`; an admin of
    /// their own store.
    pub fn actor(&self) -> Actor {
        let name = self
            .global
            .actor
            .clone()
            .or_else(|| self.file.actor.clone())
            .or_else(|| std::env::var("USER").ok().filter(|u| !u.is_empty()))
            .unwrap_or_else(|| "officer".into());
        Actor::new(name, Role::Admin)
    }

    /// Working days to answer per category: the routing rules, then the config file's
    /// `[deadline_days]` on top.
    pub fn deadline_days(&self) -> std::collections::BTreeMap<String, u32> {
        let mut days = crate::domain::routing::active().deadline_map();
        days.extend(self.file.deadline_days.clone());
        days
    }

    /// Opens the embedded core acting as `actor`.
    /// Refuses `--remote`: import, export, admin, demo seed, serve and token need the store itself.
    pub fn open_local(&self, actor: Actor) -> anyhow::Result<LocalIoc> {
        if let Some(url) = &self.global.remote {
            return Err(Usage(format!(
                "this command needs the local store (--data-dir), not --remote {url}"
            ))
            .into());
        }
        Ok(LocalIoc::open_dir(&self.paths.data_dir, self.deadline_days(), actor)?)
    }

    /// Opens the core handle: the server named by `--remote`, else the local store.
    pub fn ioc(&self) -> anyhow::Result<Ioc> {
        match &self.global.remote {
            Some(url) => Ok(Ioc::Remote(RemoteIoc::with_ca(
                url,
                self.global.token.clone(),
                self.ca_certs()?,
            )?)),
            None => Ok(Ioc::Local(self.local_ioc()?)),
        }
    }

    /// The certificate authorities of `--ca-cert` (none without it); a file that cannot be used
    /// is a usage error.
    pub fn ca_certs(&self) -> anyhow::Result<CaCerts> {
        match &self.global.ca_cert {
            Some(path) => CaCerts::from_pem_file(path).map_err(|e| Usage(e.to_string()).into()),
            None => Ok(CaCerts::default()),
        }
    }

    /// Opens the local core, refusing `--remote` for commands that need the store itself.
    pub fn local_ioc(&self) -> anyhow::Result<LocalIoc> {
        self.open_local(self.actor())
    }
}

/// Runs a parsed command line (the desk is run by `main`); returns the exit code.
pub async fn run(cmd: Cmd, env: Env) -> anyhow::Result<i32> {
    match cmd {
        Cmd::Reports(c) => list::reports(c, &env).await,
        Cmd::Cases(c) => list::cases(c, &env).await,
        Cmd::Import(a) => data::import(a, &env).await,
        Cmd::Export(a) => data::export(a, &env).await,
        Cmd::Demo(c) => demo::run(c, &env).await,
        Cmd::Admin(c) => admin::run(c, &env).await,
        Cmd::Triage(a) => triage::run(a, &env).await,
        Cmd::Serve(a) => serve::run(a, &env).await,
        Cmd::Token(c) => token::run(c, &env).await,
        Cmd::Report(a) => report::run(a, &env).await,
        Cmd::Completions { shell } => shell::completions(shell),
        Cmd::Man => shell::man(),
        Cmd::Cameras(c) => cameras::run(c, &env).await,
        Cmd::Plates(c) => plates::run(c, &env).await,
        Cmd::Sli(a) => sli::run(a, &env).await,
        Cmd::Paths => paths(&env),
    }
}

fn paths(env: &Env) -> anyhow::Result<i32> {
    let p = &env.paths;
    let rows = [
        ("config", p.config_file()),
        ("data", p.data_dir.clone()),
        ("state", p.state_dir.clone()),
        ("log", p.log_file.clone()),
    ];
    match env.global.output {
        Format::Json | Format::Ndjson => {
            let m: serde_json::Map<String, serde_json::Value> = rows
                .iter()
                .map(|(k, v)| (k.to_string(), v.display().to_string().into()))
                .collect();
            println!("{}", serde_json::Value::Object(m));
        }
        _ => {
            for (k, v) in rows {
                println!("{k:<7}{}", v.display());
            }
        }
    }
    Ok(0)
}

/// Maps an error to its exit code and prints it as one line on stderr.
pub fn report_error(e: &anyhow::Error) -> i32 {
    let code = exit_code_of(e);
    eprintln!("iocdesk: {}", crate::domain::text::sanitize(&format!("{e:#}")));
    code
}

/// A usage error found after parsing (a bad flag value): exit code 2.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Usage(pub String);

/// Maps an error to its exit code and prints it as one line on stderr.
pub fn exit_code_of(e: &anyhow::Error) -> i32 {
    if e.downcast_ref::<Usage>().is_some() {
        return 2;
    }
    e.downcast_ref::<IocError>().map(IocError::exit_code).unwrap_or(1)
}

/// Opens the desk (the TUI) on the chosen core.
pub async fn desk(env: Env) -> anyhow::Result<i32> {
    let fresh = !LocalIoc::exists_in(&env.paths.data_dir);
    // A remote desk asks the server who the token belongs to, for the status bar and the rights.
    let ioc = match &env.global.remote {
        Some(url) => Ioc::Remote(RemoteIoc::connect_with_ca(url, env.global.token.clone(), env.ca_certs()?).await?),
        None => env.ioc()?,
    };
    let mut demo = false;
    if fresh
        && !env.global.no_demo
        && let Ioc::Local(local) = &ioc
    {
        let o = crate::demo::seed::SeedOptions {
            reports: 5000,
            days: 90,
            seed: 1,
            until: crate::domain::calendar::local_date(chrono::Utc::now()),
        };
        eprintln!(
            "iocdesk: first start: seeding the Huế demo city into {} …",
            env.paths.data_dir.display()
        );
        local.seed(&o)?;
        demo = true;
    }
    let user_keymap = std::fs::read_to_string(env.paths.config_dir.join("keymap.toml")).ok();
    let no_color = env.global.no_color || std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let opts = crate::tui::Options {
        lang: env.global.lang.clone().or_else(|| env.file.lang.clone()),
        env_lang: std::env::var("LANG").ok(),
        theme: env.file.theme.clone(),
        no_color,
        keymap: env.file.keymap.clone(),
        user_keymap,
        bell: env.file.bell.unwrap_or(true),
        demo,
    };
    // The embedded desk checks the SLOs (and probes, when configured) itself; a remote desk
    // leaves that to its server.
    let watch = env.file.watch.config(&env.file.slo, true).map_err(Usage)?;
    let watcher = matches!(ioc, Ioc::Local(_)).then(|| crate::watch::spawn(&ioc, watch));
    let code = crate::tui::run(ioc, opts).await;
    if let Some(w) = watcher {
        w.abort();
    }
    code
}
