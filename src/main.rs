//! The `iocdesk` binary: parse the command line, set up logging and the panic hook, dispatch.

use clap::Parser;
use iocdesk::cli::{self, Cli, Env};

fn main() {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            // clap prints help/version to stdout (exit 0) and usage errors with a hint (exit 2).
            let _ = e.print();
            std::process::exit(e.exit_code());
        }
    };
    let code = match run(cli) {
        Ok(code) => code,
        Err(e) => cli::report_error(&e),
    };
    std::process::exit(code);
}

fn run(cli: Cli) -> anyhow::Result<i32> {
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    let env = Env::new(cli.global)?;
    let _log = iocdesk::logging::init(&env.paths.log_file);
    match cli.command {
        Some(cmd) => rt.block_on(cli::run(cmd, env)),
        None => rt.block_on(cli::desk(env)),
    }
}
