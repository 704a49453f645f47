//! `admin rebuild` and `admin verify`: the read tables against the event log.

use super::Env;
use super::output::Format;
use clap::Subcommand;

/// `iocdesk admin …`
#[derive(Debug, Subcommand)]
pub enum AdminCmd {
    /// Replay the event log into fresh read tables.
    Rebuild,
    /// Check that replaying the log gives exactly the current read tables (exit 1 if not).
    Verify,
}

/// Runs an admin command on the local store.
pub async fn run(cmd: AdminCmd, env: &Env) -> anyhow::Result<i32> {
    let store = env.local_ioc()?;
    match cmd {
        AdminCmd::Rebuild => {
            let n = store.rebuild()?;
            if !env.global.quiet {
                eprintln!("rebuilt the read tables from {n} events");
            }
            Ok(0)
        }
        AdminCmd::Verify => {
            let r = store.verify()?;
            match env.global.output {
                Format::Json | Format::Ndjson => println!(
                    "{}",
                    serde_json::to_string(&serde_json::json!({
                        "ok": r.ok(), "events": r.events, "rows": r.rows, "differences": r.differences
                    }))?
                ),
                _ => {
                    if r.ok() {
                        let rows: Vec<String> = r.rows.iter().map(|(t, n)| format!("{t} {n}")).collect();
                        println!(
                            "ok: {} events replay to the current tables ({})",
                            r.events,
                            rows.join(", ")
                        );
                    } else {
                        for d in &r.differences {
                            println!("difference: {}", crate::domain::text::sanitize(d));
                        }
                    }
                }
            }
            Ok(if r.ok() { 0 } else { 1 })
        }
    }
}
