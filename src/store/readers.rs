//! A pool of read-only connections to the store file, so queries run side by side and beside the
//! one writer: in WAL mode a reader sees the last commit without waiting for, or blocking, the
//! writer. Each use is one read transaction, so a multi-query read (a case with its reports,
//! notes and timeline) sees one consistent snapshot.

use super::{Store, StoreConfig, StoreError};
use rusqlite::{Connection, OpenFlags};
use std::path::PathBuf;
use std::sync::{Condvar, Mutex};

/// Read-only stores over one file: at most `max` open, opened on demand and kept for reuse; a
/// read that finds them all busy waits for one rather than opening more (fifty desks woken by
/// the same event must not open fifty connections).
pub struct Readers {
    path: PathBuf,
    config: StoreConfig,
    pool: Mutex<Pool>,
    freed: Condvar,
    max: usize,
    /// A connection kept only to ask SQLite whether anyone committed (`PRAGMA data_version`).
    probe: Mutex<Option<Connection>>,
}

struct Pool {
    idle: Vec<Store>,
    /// Connections open, idle or lent.
    open: usize,
}

impl std::fmt::Debug for Readers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Readers").field("path", &self.path).finish()
    }
}

/// A lent connection; goes back to the pool when dropped (or is closed after a panic).
struct Lease<'a> {
    readers: &'a Readers,
    store: Option<Store>,
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        let Ok(mut p) = self.readers.pool.lock() else {
            return;
        };
        match self.store.take() {
            Some(s) if !std::thread::panicking() => p.idle.push(s),
            _ => p.open = p.open.saturating_sub(1),
        }
        self.readers.freed.notify_one();
    }
}

impl Readers {
    /// A pool over the store file at `path` with at most `max` connections. Opens nothing yet.
    pub fn new(path: PathBuf, config: StoreConfig, max: usize) -> Readers {
        Readers {
            path,
            config,
            pool: Mutex::new(Pool {
                idle: Vec::new(),
                open: 0,
            }),
            freed: Condvar::new(),
            max: max.max(1),
            probe: Mutex::new(None),
        }
    }

    fn lease(&self) -> Result<Lease<'_>, StoreError> {
        let poisoned = || StoreError::Io {
            path: self.path.clone(),
            message: "the read pool's lock was poisoned".into(),
        };
        let mut p = self.pool.lock().map_err(|_| poisoned())?;
        loop {
            if let Some(s) = p.idle.pop() {
                return Ok(Lease {
                    readers: self,
                    store: Some(s),
                });
            }
            if p.open < self.max {
                p.open += 1;
                drop(p);
                // On failure the lease drops empty, which gives the slot back.
                let mut lease = Lease {
                    readers: self,
                    store: None,
                };
                lease.store = Some(self.open()?);
                return Ok(lease);
            }
            p = self.freed.wait(p).map_err(|_| poisoned())?;
        }
    }

    /// Runs `f` on a read-only store inside one read transaction.
    pub fn read<T>(&self, f: impl FnOnce(&Store) -> T) -> Result<T, StoreError> {
        let lease = self.lease()?;
        let Some(store) = lease.store.as_ref() else {
            return Err(StoreError::Io {
                path: self.path.clone(),
                message: "no read connection".into(),
            });
        };
        let snapshot = Snapshot::begin(&store.conn)?;
        let out = f(store);
        snapshot.end()?;
        Ok(out)
    }

    /// A number that changes whenever any connection, in this process or another, commits to the
    /// file (SQLite's `data_version` as seen from a connection that never writes); `None` when
    /// it cannot be asked. Cheap: no disk access, a few microseconds.
    pub fn data_version(&self) -> Option<i64> {
        let mut probe = self.probe.lock().ok()?;
        if probe.is_none() {
            *probe = Some(self.open().ok()?.conn);
        }
        let conn = probe.as_ref()?;
        let v = conn
            .prepare_cached("PRAGMA data_version")
            .and_then(|mut st| st.query_row([], |r| r.get::<_, i64>(0)));
        match v {
            Ok(v) => Some(v),
            Err(_) => {
                // Try a fresh connection next time.
                *probe = None;
                None
            }
        }
    }

    /// Closes the idle connections (before the writer needs the file to itself, e.g. to leave
    /// WAL mode for a bulk load).
    pub fn close_idle(&self) {
        if let Ok(mut p) = self.pool.lock() {
            let n = p.idle.len();
            p.idle.clear();
            p.open -= n;
        }
        if let Ok(mut p) = self.probe.lock() {
            *p = None;
        }
    }

    fn open(&self) -> Result<Store, StoreError> {
        // Read-write flags without CREATE: the file must exist, and SQLite may still update the
        // WAL index; `query_only` is what forbids changes.
        let conn = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        conn.set_prepared_statement_cache_capacity(128);
        conn.execute_batch(
            "PRAGMA query_only = ON;
             PRAGMA temp_store = MEMORY;
             PRAGMA cache_size = -16384;
             PRAGMA mmap_size = 8589934592;",
        )?;
        Ok(Store {
            conn,
            path: Some(self.path.clone()),
            config: self.config.clone(),
            nearby: None,
        })
    }
}

/// An open read transaction; ended by [`Snapshot::end`], or rolled back if dropped (a panic).
struct Snapshot<'a> {
    conn: &'a Connection,
    open: bool,
}

impl<'a> Snapshot<'a> {
    fn begin(conn: &'a Connection) -> Result<Self, StoreError> {
        conn.prepare_cached("BEGIN DEFERRED")?.execute([])?;
        Ok(Snapshot { conn, open: true })
    }

    fn end(mut self) -> Result<(), StoreError> {
        self.open = false;
        self.conn.prepare_cached("COMMIT")?.execute([])?;
        Ok(())
    }
}

impl Drop for Snapshot<'_> {
    fn drop(&mut self) {
        if self.open {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Actor, Command, Envelope, NewReport, Role};

    #[test]
    fn readers_see_each_commit_and_cannot_write() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut w = Store::open_dir(dir.path(), StoreConfig::default()).expect("store");
        let path = w.path().expect("a file").to_path_buf();
        let r = Readers::new(path, StoreConfig::default(), 2);
        let count = |r: &Readers| r.read(|s| s.counts(chrono::Utc::now()).expect("counts").last_seq);
        assert_eq!(count(&r).expect("read"), 0);
        let v0 = r.data_version().expect("version");
        assert_eq!(r.data_version(), Some(v0), "nothing committed: same version");
        let n = NewReport {
            text: "Đèn đường hỏng".into(),
            ..Default::default()
        };
        let actor = Actor::new("t", Role::Admin);
        w.execute(&Envelope::from(Command::SubmitReport(n)), &actor, chrono::Utc::now())
            .expect("submit");
        assert_ne!(r.data_version(), Some(v0), "the writer's commit shows");
        assert!(count(&r).expect("read") > 0, "a pooled reader sees the commit");
        let refused = r.read(|s| s.conn.execute_batch("DELETE FROM events")).expect("read");
        assert!(refused.is_err(), "readers are query-only");
        // More readers at once than connections: they take turns, none fails.
        let r = std::sync::Arc::new(r);
        let threads: Vec<_> = (0..8)
            .map(|_| {
                let r = r.clone();
                std::thread::spawn(move || count(&r).expect("read"))
            })
            .collect();
        for t in threads {
            assert!(t.join().expect("thread") > 0);
        }
        assert!(r.pool.lock().expect("pool").open <= 2);
    }
}
