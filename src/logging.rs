//! Logging to a file under the state dir, never to the screen the desk owns.

use std::path::Path;

/// Starts logging to `file` (level from `IOCDESK_LOG`, default `info`); the guard flushes on drop.
/// Logging is best effort: an unwritable state dir leaves logging off.
pub fn init(file: &Path) -> Option<tracing_appender::non_blocking::WorkerGuard> {
    let dir = file.parent()?;
    std::fs::create_dir_all(dir).ok()?;
    let name = file.file_name()?.to_owned();
    let appender = tracing_appender::rolling::never(dir, name);
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let filter = tracing_subscriber::EnvFilter::try_from_env("IOCDESK_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(false)
        .try_init()
        .ok()?;
    Some(guard)
}
