//! The store's schema, as numbered migrations run in order at open.

/// Migrations: index + 1 is the `user_version` after it ran.
pub const MIGRATIONS: &[&str] = &[
    // 1: the event log and the read tables.
    r#"
    CREATE TABLE events (
        seq      INTEGER PRIMARY KEY,
        at       TEXT NOT NULL,
        actor    TEXT NOT NULL,
        kind     TEXT NOT NULL,
        subject  TEXT NOT NULL,
        related  TEXT,
        payload  TEXT NOT NULL
    );
    CREATE INDEX events_subject ON events(subject);
    CREATE INDEX events_related ON events(related) WHERE related IS NOT NULL;
    CREATE INDEX events_kind_at ON events(kind, at);
    "#,
    // 2: read tables (rebuilt from the log by `admin rebuild`).
    r#"
    CREATE TABLE reports (
        id                   TEXT PRIMARY KEY,
        received_at          TEXT NOT NULL,
        channel              TEXT NOT NULL,
        text                 TEXT NOT NULL,
        folded               TEXT NOT NULL,
        category             TEXT,
        ward                 TEXT,
        lat                  REAL,
        lon                  REAL,
        address              TEXT,
        media                TEXT NOT NULL,
        state                TEXT NOT NULL,
        duplicate_of         TEXT,
        case_id              TEXT,
        reject_reason        TEXT,
        reporter             TEXT,
        suggested_category   TEXT,
        suggested_confidence REAL,
        version              INTEGER NOT NULL,
        updated_by           TEXT NOT NULL,
        updated_at           TEXT NOT NULL
    );
    CREATE INDEX reports_received ON reports(received_at, id);
    CREATE INDEX reports_state ON reports(state, received_at);
    CREATE INDEX reports_ward ON reports(ward, received_at);
    CREATE INDEX reports_dup ON reports(duplicate_of) WHERE duplicate_of IS NOT NULL;
    CREATE INDEX reports_case ON reports(case_id) WHERE case_id IS NOT NULL;
    CREATE TABLE cases (
        id                TEXT PRIMARY KEY,
        state             TEXT NOT NULL,
        awaiting          INTEGER NOT NULL,
        priority          TEXT NOT NULL,
        category          TEXT NOT NULL,
        ward              TEXT,
        agencies          TEXT NOT NULL,
        folded            TEXT NOT NULL,
        opened_at         TEXT NOT NULL,
        deadline          TEXT NOT NULL,
        original_deadline TEXT NOT NULL,
        sla_deadline      TEXT NOT NULL,
        acknowledged_at   TEXT,
        answered_at       TEXT,
        answer            TEXT,
        verdict           TEXT,
        published_at      TEXT,
        closed_at         TEXT,
        rating            INTEGER,
        extensions        INTEGER NOT NULL,
        escalation        INTEGER NOT NULL,
        claimed_by        TEXT,
        report_ids        TEXT NOT NULL,
        version           INTEGER NOT NULL,
        updated_by        TEXT NOT NULL,
        updated_at        TEXT NOT NULL
    );
    CREATE INDEX cases_queue ON cases(awaiting, deadline, id);
    CREATE INDEX cases_ward ON cases(ward, awaiting, deadline);
    CREATE INDEX cases_state ON cases(state, deadline);
    CREATE INDEX cases_opened ON cases(opened_at);
    CREATE TABLE case_agencies (
        agency  TEXT NOT NULL,
        case_id TEXT NOT NULL,
        PRIMARY KEY (agency, case_id)
    ) WITHOUT ROWID;
    CREATE TABLE notes (
        seq     INTEGER PRIMARY KEY,
        subject TEXT NOT NULL,
        at      TEXT NOT NULL,
        actor   TEXT NOT NULL,
        text    TEXT NOT NULL
    );
    CREATE INDEX notes_subject ON notes(subject);
    CREATE TABLE counters (
        name  TEXT PRIMARY KEY,
        value INTEGER NOT NULL
    );
    "#,
    // 3: cameras and plate sightings.
    r#"
    CREATE TABLE cameras (
        id           TEXT PRIMARY KEY,
        name         TEXT NOT NULL,
        site         TEXT NOT NULL,
        kind         TEXT NOT NULL,
        rtsp_url     TEXT,
        snapshot_url TEXT,
        lat          REAL,
        lon          REAL,
        ward         TEXT,
        state        TEXT NOT NULL,
        state_since  TEXT NOT NULL
    );
    CREATE INDEX cameras_site ON cameras(site, id);
    CREATE TABLE sightings (
        seq        INTEGER PRIMARY KEY,
        camera_id  TEXT NOT NULL,
        plate      TEXT NOT NULL,
        plate_key  TEXT NOT NULL,
        seen_at    TEXT NOT NULL,
        confidence REAL NOT NULL
    );
    CREATE INDEX sightings_key ON sightings(plate_key);
    "#,
    // 4: API tokens for `iocdesk serve` (not made from the log: never rebuilt or verified).
    r#"
    CREATE TABLE tokens (
        id          TEXT PRIMARY KEY,
        hash        TEXT NOT NULL UNIQUE,
        name        TEXT NOT NULL,
        role        TEXT NOT NULL,
        agency      TEXT,
        created_at  TEXT NOT NULL,
        expires_at  TEXT,
        revoked_at  TEXT
    );
    "#,
    // 5: the prober's memory of each camera (probe results are not events: never rebuilt).
    r#"
    CREATE TABLE camera_health (
        id            TEXT PRIMARY KEY,
        last_seen     TEXT,
        last_probe    TEXT,
        latency_ms    INTEGER,
        failing_since TEXT,
        last_error    TEXT,
        pending       TEXT,
        pending_count INTEGER NOT NULL DEFAULT 0
    );
    "#,
    // 6: queue indexes in the queue's own order (pending first, soonest deadline), so the first
    // page is read off the index instead of sorting every case.
    r#"
    DROP INDEX IF EXISTS cases_queue;
    DROP INDEX IF EXISTS cases_ward;
    CREATE INDEX cases_queue ON cases(awaiting DESC, deadline, id);
    CREATE INDEX cases_ward ON cases(ward, awaiting DESC, deadline, id);
    "#,
    // 7: cases the system raised (camera outages, watched plates, burn-rate alerts) and the plate
    // watchlist; both read tables made from the log.
    r#"
    CREATE TABLE raised_cases (
        case_id TEXT PRIMARY KEY,
        source  TEXT NOT NULL,
        key     TEXT NOT NULL
    );
    CREATE INDEX raised_cases_key ON raised_cases(source, key);
    CREATE TABLE watchlist (
        plate    TEXT PRIMARY KEY,
        reason   TEXT,
        added_at TEXT NOT NULL,
        added_by TEXT NOT NULL
    );
    "#,
    // 8: report indexes that end with the id, so a page of one state or one ward, oldest first
    // (keyset paging on received_at, id), is read off the index instead of sorted row by row.
    r#"
    DROP INDEX IF EXISTS reports_state;
    DROP INDEX IF EXISTS reports_ward;
    CREATE INDEX reports_state ON reports(state, received_at, id);
    CREATE INDEX reports_ward ON reports(ward, received_at, id);
    "#,
    // 9: a report's words are in the log once. The row keeps what queries filter, sort and
    // search by, and `receipt`, the sequence number of its `ReportReceived` event, whose payload
    // holds the text, address, media and reporter. A receipt is found through its report's row,
    // so the log's subject index leaves receipts out; no query asks for receipts or intake
    // suggestions by kind, so the kind index leaves both out (see `SUBJECT_INDEXED` and
    // `KIND_INDEXED`). At a million reports this is 0.5 GB less to write and to keep. (The table
    // is made anew rather than renamed: a rename opens the connection's temporary schema, after
    // which an index build can no longer switch temporary storage inside its transaction.)
    r#"
    CREATE TABLE reports_v9 AS SELECT id,
        (SELECT MIN(e.seq) FROM events e WHERE e.subject = r.id AND e.kind = 'ReportReceived') AS receipt,
        received_at, channel, folded, category, ward, lat, lon, state, duplicate_of, case_id,
        reject_reason, suggested_category, suggested_confidence, version, updated_by, updated_at
        FROM reports r;
    DROP TABLE reports;
    CREATE TABLE reports (
        id                   TEXT PRIMARY KEY,
        receipt              INTEGER NOT NULL,
        received_at          TEXT NOT NULL,
        channel              TEXT NOT NULL,
        folded               TEXT NOT NULL,
        category             TEXT,
        ward                 TEXT,
        lat                  REAL,
        lon                  REAL,
        state                TEXT NOT NULL,
        duplicate_of         TEXT,
        case_id              TEXT,
        reject_reason        TEXT,
        suggested_category   TEXT,
        suggested_confidence REAL,
        version              INTEGER NOT NULL,
        updated_by           TEXT NOT NULL,
        updated_at           TEXT NOT NULL
    );
    INSERT INTO reports SELECT * FROM reports_v9 ORDER BY id;
    DROP TABLE reports_v9;
    CREATE INDEX reports_received ON reports(received_at, id);
    CREATE INDEX reports_state ON reports(state, received_at, id);
    CREATE INDEX reports_ward ON reports(ward, received_at, id);
    CREATE INDEX reports_dup ON reports(duplicate_of) WHERE duplicate_of IS NOT NULL;
    CREATE INDEX reports_case ON reports(case_id) WHERE case_id IS NOT NULL;
    DROP INDEX IF EXISTS events_subject;
    DROP INDEX IF EXISTS events_kind_at;
    CREATE INDEX events_subject ON events(subject) WHERE kind <> 'ReportReceived';
    CREATE INDEX events_kind_at ON events(kind, at) WHERE kind NOT IN ('ReportReceived', 'ReportClassified');
    "#,
    // 10: the times of the log and of the tables made from it (and the prober's) as integer
    // milliseconds since 1970-01-01 UTC (`rows::ms`), where they were RFC 3339 text: 6 bytes
    // instead of 24 wherever a time is written — a report's row, three of its indexes and its
    // receipt's log row — and compared as numbers. Each table is copied out, made anew with
    // INTEGER times and copied back (a rename would open the connection's temporary schema; see
    // migration 9), with its indexes as before. Tokens keep their own RFC 3339 text.
    r#"
    CREATE TABLE events_v10 AS SELECT seq,
        CAST(round(unixepoch(at, 'subsec') * 1000) AS INTEGER) AS at,
        actor, kind, subject, related, payload FROM events;
    DROP TABLE events;
    CREATE TABLE events (
        seq      INTEGER PRIMARY KEY,
        at       INTEGER NOT NULL,
        actor    TEXT NOT NULL,
        kind     TEXT NOT NULL,
        subject  TEXT NOT NULL,
        related  TEXT,
        payload  TEXT NOT NULL
    );
    INSERT INTO events SELECT * FROM events_v10 ORDER BY seq;
    DROP TABLE events_v10;
    CREATE INDEX events_subject ON events(subject) WHERE kind <> 'ReportReceived';
    CREATE INDEX events_related ON events(related) WHERE related IS NOT NULL;
    CREATE INDEX events_kind_at ON events(kind, at) WHERE kind NOT IN ('ReportReceived', 'ReportClassified');
    CREATE TABLE reports_v10 AS SELECT id, receipt,
        CAST(round(unixepoch(received_at, 'subsec') * 1000) AS INTEGER) AS received_at,
        channel, folded, category, ward, lat, lon, state, duplicate_of, case_id, reject_reason, suggested_category,
        suggested_confidence, version, updated_by,
        CAST(round(unixepoch(updated_at, 'subsec') * 1000) AS INTEGER) AS updated_at
        FROM reports;
    DROP TABLE reports;
    CREATE TABLE reports (
        id                   TEXT PRIMARY KEY,
        receipt              INTEGER NOT NULL,
        received_at          INTEGER NOT NULL,
        channel              TEXT NOT NULL,
        folded               TEXT NOT NULL,
        category             TEXT,
        ward                 TEXT,
        lat                  REAL,
        lon                  REAL,
        state                TEXT NOT NULL,
        duplicate_of         TEXT,
        case_id              TEXT,
        reject_reason        TEXT,
        suggested_category   TEXT,
        suggested_confidence REAL,
        version              INTEGER NOT NULL,
        updated_by           TEXT NOT NULL,
        updated_at           INTEGER NOT NULL
    );
    INSERT INTO reports SELECT * FROM reports_v10 ORDER BY id;
    DROP TABLE reports_v10;
    CREATE INDEX reports_received ON reports(received_at, id);
    CREATE INDEX reports_state ON reports(state, received_at, id);
    CREATE INDEX reports_ward ON reports(ward, received_at, id);
    CREATE INDEX reports_dup ON reports(duplicate_of) WHERE duplicate_of IS NOT NULL;
    CREATE INDEX reports_case ON reports(case_id) WHERE case_id IS NOT NULL;
    CREATE TABLE cases_v10 AS SELECT id, state, awaiting, priority, category, ward, agencies, folded,
        CAST(round(unixepoch(opened_at, 'subsec') * 1000) AS INTEGER) AS opened_at,
        CAST(round(unixepoch(deadline, 'subsec') * 1000) AS INTEGER) AS deadline,
        CAST(round(unixepoch(original_deadline, 'subsec') * 1000) AS INTEGER) AS original_deadline,
        CAST(round(unixepoch(sla_deadline, 'subsec') * 1000) AS INTEGER) AS sla_deadline,
        CAST(round(unixepoch(acknowledged_at, 'subsec') * 1000) AS INTEGER) AS acknowledged_at,
        CAST(round(unixepoch(answered_at, 'subsec') * 1000) AS INTEGER) AS answered_at, answer, verdict,
        CAST(round(unixepoch(published_at, 'subsec') * 1000) AS INTEGER) AS published_at,
        CAST(round(unixepoch(closed_at, 'subsec') * 1000) AS INTEGER) AS closed_at,
        rating, extensions, escalation, claimed_by, report_ids, version, updated_by,
        CAST(round(unixepoch(updated_at, 'subsec') * 1000) AS INTEGER) AS updated_at
        FROM cases;
    DROP TABLE cases;
    CREATE TABLE cases (
        id                TEXT PRIMARY KEY,
        state             TEXT NOT NULL,
        awaiting          INTEGER NOT NULL,
        priority          TEXT NOT NULL,
        category          TEXT NOT NULL,
        ward              TEXT,
        agencies          TEXT NOT NULL,
        folded            TEXT NOT NULL,
        opened_at         INTEGER NOT NULL,
        deadline          INTEGER NOT NULL,
        original_deadline INTEGER NOT NULL,
        sla_deadline      INTEGER NOT NULL,
        acknowledged_at   INTEGER,
        answered_at       INTEGER,
        answer            TEXT,
        verdict           TEXT,
        published_at      INTEGER,
        closed_at         INTEGER,
        rating            INTEGER,
        extensions        INTEGER NOT NULL,
        escalation        INTEGER NOT NULL,
        claimed_by        TEXT,
        report_ids        TEXT NOT NULL,
        version           INTEGER NOT NULL,
        updated_by        TEXT NOT NULL,
        updated_at        INTEGER NOT NULL
    );
    INSERT INTO cases SELECT * FROM cases_v10 ORDER BY id;
    DROP TABLE cases_v10;
    CREATE INDEX cases_queue ON cases(awaiting DESC, deadline, id);
    CREATE INDEX cases_ward ON cases(ward, awaiting DESC, deadline, id);
    CREATE INDEX cases_state ON cases(state, deadline);
    CREATE INDEX cases_opened ON cases(opened_at);
    CREATE TABLE notes_v10 AS SELECT seq, subject,
        CAST(round(unixepoch(at, 'subsec') * 1000) AS INTEGER) AS at, actor, text FROM notes;
    DROP TABLE notes;
    CREATE TABLE notes (
        seq     INTEGER PRIMARY KEY,
        subject TEXT NOT NULL,
        at      INTEGER NOT NULL,
        actor   TEXT NOT NULL,
        text    TEXT NOT NULL
    );
    INSERT INTO notes SELECT * FROM notes_v10 ORDER BY seq;
    DROP TABLE notes_v10;
    CREATE INDEX notes_subject ON notes(subject);
    CREATE TABLE cameras_v10 AS SELECT id, name, site, kind, rtsp_url, snapshot_url, lat, lon, ward, state,
        CAST(round(unixepoch(state_since, 'subsec') * 1000) AS INTEGER) AS state_since FROM cameras;
    DROP TABLE cameras;
    CREATE TABLE cameras (
        id           TEXT PRIMARY KEY,
        name         TEXT NOT NULL,
        site         TEXT NOT NULL,
        kind         TEXT NOT NULL,
        rtsp_url     TEXT,
        snapshot_url TEXT,
        lat          REAL,
        lon          REAL,
        ward         TEXT,
        state        TEXT NOT NULL,
        state_since  INTEGER NOT NULL
    );
    INSERT INTO cameras SELECT * FROM cameras_v10 ORDER BY id;
    DROP TABLE cameras_v10;
    CREATE INDEX cameras_site ON cameras(site, id);
    CREATE TABLE sightings_v10 AS SELECT seq, camera_id, plate, plate_key,
        CAST(round(unixepoch(seen_at, 'subsec') * 1000) AS INTEGER) AS seen_at, confidence FROM sightings;
    DROP TABLE sightings;
    CREATE TABLE sightings (
        seq        INTEGER PRIMARY KEY,
        camera_id  TEXT NOT NULL,
        plate      TEXT NOT NULL,
        plate_key  TEXT NOT NULL,
        seen_at    INTEGER NOT NULL,
        confidence REAL NOT NULL
    );
    INSERT INTO sightings SELECT * FROM sightings_v10 ORDER BY seq;
    DROP TABLE sightings_v10;
    CREATE INDEX sightings_key ON sightings(plate_key);
    CREATE TABLE watchlist_v10 AS SELECT plate, reason,
        CAST(round(unixepoch(added_at, 'subsec') * 1000) AS INTEGER) AS added_at, added_by FROM watchlist;
    DROP TABLE watchlist;
    CREATE TABLE watchlist (
        plate    TEXT PRIMARY KEY,
        reason   TEXT,
        added_at INTEGER NOT NULL,
        added_by TEXT NOT NULL
    );
    INSERT INTO watchlist SELECT * FROM watchlist_v10 ORDER BY plate;
    DROP TABLE watchlist_v10;
    CREATE TABLE camera_health_v10 AS SELECT id,
        CAST(round(unixepoch(last_seen, 'subsec') * 1000) AS INTEGER) AS last_seen,
        CAST(round(unixepoch(last_probe, 'subsec') * 1000) AS INTEGER) AS last_probe, latency_ms,
        CAST(round(unixepoch(failing_since, 'subsec') * 1000) AS INTEGER) AS failing_since, last_error,
        pending, pending_count FROM camera_health;
    DROP TABLE camera_health;
    CREATE TABLE camera_health (
        id            TEXT PRIMARY KEY,
        last_seen     INTEGER,
        last_probe    INTEGER,
        latency_ms    INTEGER,
        failing_since INTEGER,
        last_error    TEXT,
        pending       TEXT,
        pending_count INTEGER NOT NULL DEFAULT 0
    );
    INSERT INTO camera_health SELECT * FROM camera_health_v10 ORDER BY id;
    DROP TABLE camera_health_v10;
    "#,
];

/// The condition of the log's subject index (migration 9). A query by subject repeats it word
/// for word, which is how SQLite knows the partial index answers it; receipts are found through
/// `reports.receipt`.
pub const SUBJECT_INDEXED: &str = "kind <> 'ReportReceived'";

/// The condition of the log's kind index (migration 9), repeated word for word by every query by
/// kind so that SQLite uses the index.
pub const KIND_INDEXED: &str = "kind NOT IN ('ReportReceived', 'ReportClassified')";

/// The read tables, in the order `admin verify` compares them, with their key columns.
pub const READ_TABLES: &[(&str, &str)] = &[
    ("reports", "id"),
    ("cases", "id"),
    ("case_agencies", "agency, case_id"),
    ("notes", "seq"),
    ("counters", "name"),
    ("cameras", "id"),
    ("sightings", "seq"),
    ("raised_cases", "case_id"),
    ("watchlist", "plate"),
];

/// Every secondary index of the schema as (name, its CREATE statement), read from the migrations.
pub fn secondary_indexes() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for m in MIGRATIONS {
        for stmt in m.split(';') {
            let stmt = stmt.trim();
            if let Some(rest) = stmt.strip_prefix("CREATE INDEX ") {
                let name = rest.split_whitespace().next().unwrap_or_default().to_string();
                // A later migration's definition replaces an earlier one of the same name.
                out.retain(|(n, _): &(String, String)| *n != name);
                out.push((name, format!("{stmt};")));
            } else if let Some(rest) = stmt.strip_prefix("DROP INDEX IF EXISTS ") {
                let name = rest.trim();
                out.retain(|(n, _)| n != name);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn finds_the_indexes() {
        let ix = super::secondary_indexes();
        assert!(
            ix.iter()
                .any(|(n, s)| n == "cases_queue" && s.starts_with("CREATE INDEX cases_queue ON cases"))
        );
        assert!(ix.len() >= 10);
    }

    #[test]
    fn the_partial_index_conditions_are_the_ones_the_queries_repeat() {
        let ix = super::secondary_indexes();
        let def = |name: &str| {
            ix.iter()
                .find(|(n, _)| n == name)
                .map(|(_, s)| s.clone())
                .unwrap_or_default()
        };
        assert!(def("events_subject").ends_with(&format!("WHERE {};", super::SUBJECT_INDEXED)));
        assert!(def("events_kind_at").ends_with(&format!("WHERE {};", super::KIND_INDEXED)));
        assert!(def("reports_ward").contains("reports(ward, received_at, id)"));
    }
}
