//! `demo seed` and `demo live`: the Huế demo city.

use super::Env;
use crate::demo::seed::SeedOptions;
use crate::domain::calendar::local_date;
use chrono::{NaiveDate, Utc};
use clap::Subcommand;

/// `iocdesk demo …`
#[derive(Debug, Subcommand)]
pub enum DemoCmd {
    /// Build the deterministic demo dataset into an empty store.
    Seed {
        /// Number of reports.
        #[arg(long, default_value_t = 5000)]
        reports: usize,
        /// Days of history.
        #[arg(long, default_value_t = 90)]
        days: u32,
        /// Random seed: the same seed and end date give the same data.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The Huế date the history ends at (default: today).
        #[arg(long, value_name = "DATE")]
        until: Option<NaiveDate>,
    },
    /// Keep the city alive: new reports, agency answers, camera heartbeats, until interrupted.
    Live {
        /// New reports per second.
        #[arg(long, default_value_t = 1.0)]
        rate: f64,
        /// Random seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Stop after this many seconds (default: until Ctrl-C).
        #[arg(long)]
        duration: Option<u64>,
    },
}

/// Runs a demo command.
pub async fn run(cmd: DemoCmd, env: &Env) -> anyhow::Result<i32> {
    match cmd {
        DemoCmd::Seed {
            reports,
            days,
            seed: s,
            until,
        } => {
            let core = env.local_ioc()?;
            let o = SeedOptions {
                reports,
                days,
                seed: s,
                until: until.unwrap_or_else(|| local_date(Utc::now())),
            };
            let t = std::time::Instant::now();
            let sum = tokio::task::block_in_place(|| core.seed(&o))?;
            if !env.global.quiet {
                eprintln!(
                    "seeded {} reports, {} cases, {} cameras, {} events in {:.1}s",
                    sum.reports,
                    sum.cases,
                    sum.cameras,
                    sum.events,
                    t.elapsed().as_secs_f64()
                );
            }
            Ok(0)
        }
        DemoCmd::Live {
            rate,
            seed: s,
            duration,
        } => {
            let ioc = env.ioc()?;
            crate::demo::live::run(
                ioc,
                rate,
                s,
                duration.map(std::time::Duration::from_secs),
                env.global.quiet,
            )
            .await?;
            Ok(0)
        }
    }
}
