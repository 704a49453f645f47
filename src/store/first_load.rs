//! The store's file during a first load (an import into a store without events, written with a
//! rollback journal, see [`super::Store::import_reports`]): its pages written out as the import
//! goes, and its disk blocks reserved ahead of its end.
//!
//! A first load appends a page at a time, and the file system then finds a block for every page
//! as it is written (a sixth of the system's work in an import of a million reports). Blocks
//! reserved in large runs ahead of the file's end (`fallocate` with `KEEP_SIZE`: the file's size,
//! which is what SQLite reads, does not change) spare that. What is left reserved past the end
//! is given back at the end of the load ([`Flusher::finish`]).
//!
//! Pages written out a period ago are dropped from the system's cache (they are on disk; a
//! first load of a million reports writes a gigabyte the system would otherwise keep): the
//! pages written next reuse the memory just freed. On a virtual machine whose memory the host
//! gives as it is first touched, claiming a gigabyte of new memory for the cache cost half the
//! system's share of an import (1.3 s of 2.5–3.0 s of system time at a million reports).

use rusqlite::Connection;
use std::fs::File;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

/// How often the file's pages are written out, at most.
const EVERY: Duration = Duration::from_millis(250);

/// Blocks reserved past the file's end: twice what the file grew by in the last period (the
/// pages of the next one), within these bounds.
const AHEAD_MIN: u64 = 4 << 20;
const AHEAD_MAX: u64 = 256 << 20;

/// The thread that writes a first load's pages out and reserves its blocks.
pub(super) struct Flusher<'scope> {
    stop: Sender<()>,
    thread: std::thread::ScopedJoinHandle<'scope, File>,
}

impl<'scope> Flusher<'scope> {
    /// Starts the thread on the store's file, opened for writing (`None` if it cannot be: the
    /// load then goes on without).
    pub(super) fn start<'env>(
        scope: &'scope std::thread::Scope<'scope, 'env>,
        path: &std::path::Path,
    ) -> Option<Flusher<'scope>> {
        let file = std::fs::OpenOptions::new().write(true).open(path).ok()?;
        let (stop, stopped) = std::sync::mpsc::channel::<()>();
        let thread = scope.spawn(move || run(file, &stopped));
        Some(Flusher { stop, thread })
    }

    /// Stops the thread once the load's last transaction is committed, gives back the blocks
    /// reserved past the file's end and closes the file. Closing a descriptor of the store's
    /// file drops every lock this process holds on it (POSIX locks are the process's, not the
    /// descriptor's), so this runs while `conn` holds none: after the commit, before the journal
    /// mode changes back. Other connections of this process would lose theirs too; a first load
    /// starts with none (switching the journal needs the store alone), and another process's
    /// locks are its own.
    pub(super) fn finish(self, conn: &Connection) {
        drop(self.stop);
        let Ok(file) = self.thread.join() else { return };
        // Under a read lock: with a rollback journal nobody writes the file meanwhile, so its
        // size is its size. (Only space is at stake: an error leaves the blocks reserved.)
        let trim = || -> rusqlite::Result<()> {
            conn.execute_batch("BEGIN")?;
            conn.query_row("SELECT count(*) FROM sqlite_schema", [], |_| Ok(()))?;
            let _ = file.metadata().and_then(|m| file.set_len(m.len()));
            conn.execute_batch("COMMIT")
        };
        if trim().is_err() && !conn.is_autocommit() {
            let _ = conn.execute_batch("ROLLBACK");
        }
        drop(file);
    }
}

/// The thread's loop: every period, reserve blocks ahead if the file is about to reach the end
/// of those reserved, write the pages out (sooner than the commit's own sync: an error here is
/// the commit's), and drop from the system's cache those that were out a period ago already
/// (SQLite keeps the pages it works on in its own cache; the ones just written may still be
/// read back). A sync that took the whole period is followed by the next at once: on a slow disk
/// the writing out never pauses.
fn run(file: File, stopped: &Receiver<()>) -> File {
    let (mut wait, mut last, mut reserved, mut out) = (EVERY, 0u64, 0u64, 0u64);
    while let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(wait) {
        let started = Instant::now();
        let len = file.metadata().map(|m| m.len());
        if let Ok(len) = len {
            let ahead = (2 * len.saturating_sub(last)).clamp(AHEAD_MIN, AHEAD_MAX);
            if len + ahead / 2 > reserved && reserve(&file, len, ahead) {
                reserved = len + ahead;
            }
            last = len;
        }
        if file.sync_data().is_ok() {
            uncache(&file, out);
            out = len.unwrap_or(0);
        }
        wait = EVERY.saturating_sub(started.elapsed());
    }
    file
}

/// Drops the file's first `len` bytes, written out, from the system's cache.
#[cfg(any(target_os = "linux", target_os = "android"))]
fn uncache(file: &File, len: u64) {
    if let Some(len) = std::num::NonZeroU64::new(len) {
        let _ = rustix::fs::fadvise(file, 0, Some(len), rustix::fs::Advice::DontNeed);
    }
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn uncache(_file: &File, _len: u64) {}

/// Reserves `ahead` bytes of blocks from `len` on, without changing the file's size.
#[cfg(any(target_os = "linux", target_os = "android"))]
fn reserve(file: &File, len: u64, ahead: u64) -> bool {
    rustix::fs::fallocate(file, rustix::fs::FallocateFlags::KEEP_SIZE, len, ahead).is_ok()
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn reserve(_file: &File, _len: u64, _ahead: u64) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reserve_past_the_end_is_given_back_and_the_size_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("store.sqlite3");
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch("PRAGMA journal_mode = TRUNCATE; CREATE TABLE t (x); INSERT INTO t VALUES (1);")
            .unwrap();
        let size = std::fs::metadata(&path).unwrap().len();
        // Whether this file system reserves blocks at all (tmpfs and ext4 do).
        let scratch = File::create(dir.path().join("scratch")).unwrap();
        let reserves = reserve(&scratch, 0, AHEAD_MIN);
        std::thread::scope(|scope| {
            let f = Flusher::start(scope, &path).unwrap();
            // The first period's reservation (waited for: the machine may be busy).
            let deadline = Instant::now() + Duration::from_secs(20);
            while reserves && blocks(&path) * 512 < size + AHEAD_MIN && Instant::now() < deadline {
                std::thread::sleep(EVERY / 5);
            }
            if reserves {
                assert!(blocks(&path) * 512 >= size + AHEAD_MIN, "blocks reserved past the end");
            }
            f.finish(&conn);
        });
        assert_eq!(std::fs::metadata(&path).unwrap().len(), size);
        assert!(
            blocks(&path) * 512 < size + AHEAD_MIN,
            "the blocks past the end were given back"
        );
        let n: i64 = conn.query_row("SELECT x FROM t", [], |r| r.get(0)).unwrap();
        assert_eq!(n, 1);
    }

    fn blocks(path: &std::path::Path) -> u64 {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(path).unwrap().blocks()
    }
}
