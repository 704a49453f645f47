//! The `iocdesk` binary: parse the command line, set up logging and the panic hook, dispatch.

use clap::Parser;
use iocdesk::cli::{self, Cli, Env};

// A server answers thousands of small requests a second, each allocating and freeing many small
// buffers; mimalloc does that with far less contention between threads than the system allocator.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    let out = match cli.command {
        Some(cmd) => rt.block_on(cli::run(cmd, env)),
        None => rt.block_on(cli::desk(env)),
    };
    // Background work still running once the command is done (a camera probe waiting on a name
    // lookup, say) must not hold the exit: dropping the runtime would wait for it without limit.
    // An unfinished store write is a transaction never committed, so nothing is half-written.
    rt.shutdown_timeout(std::time::Duration::from_millis(500));
    out
}
