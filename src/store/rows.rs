//! Mapping between read-table rows and domain records.

use crate::domain::model::*;
use crate::domain::text::fold;
use chrono::{DateTime, Utc};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row, params};

/// A time as the store keeps it in the log and the tables made from it: milliseconds since
/// 1970-01-01 UTC. An integer sorts as the time does and takes 6 bytes where RFC 3339 text took
/// 24 (times are written several times per report: its row, three indexes, its receipt).
pub fn ms(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

/// A stored time ([`ms`]) read back.
pub fn from_ms(v: i64) -> rusqlite::Result<DateTime<Utc>> {
    DateTime::from_timestamp_millis(v).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Integer,
            format!("a stored time of {v} ms is out of range").into(),
        )
    })
}

/// [`from_ms`] of a time that may be absent.
pub fn opt_from_ms(v: Option<i64>) -> rusqlite::Result<Option<DateTime<Utc>>> {
    v.map(from_ms).transpose()
}

/// `YYYY-MM-DDTHH:MM:SS` of a time whose year has four digits (0–9999), written by hand.
pub(crate) fn date_time_digits(t: &DateTime<Utc>) -> [u8; 19] {
    use chrono::{Datelike, Timelike};
    let mut b = *b"0000-00-00T00:00:00";
    let mut put = |at: usize, width: usize, mut v: u32| {
        for i in (0..width).rev() {
            b[at + i] = b'0' + (v % 10) as u8;
            v /= 10;
        }
    };
    // The naive time once: each accessor of a `DateTime` works it out anew.
    let n = t.naive_utc();
    put(0, 4, n.year().clamp(0, 9999) as u32);
    put(5, 2, n.month());
    put(8, 2, n.day());
    put(11, 2, n.hour());
    put(14, 2, n.minute());
    put(17, 2, n.second());
    b
}

fn coded<T: std::str::FromStr<Err = String>>(s: &str) -> rusqlite::Result<T> {
    s.parse::<T>()
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, e.into()))
}

fn json<T: serde::de::DeserializeOwned>(s: &str) -> rusqlite::Result<T> {
    serde_json::from_str(s)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e)))
}

/// The report columns, in the order [`report_from_row`] reads them. The words of a report are
/// read from its receipt in the log (`receipt` resolves to the report row's column).
pub const REPORT_COLS: &str = "id, received_at, channel, (SELECT payload FROM events WHERE seq = receipt), category, ward, \
     lat, lon, state, duplicate_of, case_id, reject_reason, suggested_category, suggested_confidence, version, updated_by, \
     updated_at";

/// What a report's row takes from its receipt (the `ReportReceived` payload).
#[derive(serde::Deserialize)]
struct Receipt {
    text: String,
    #[serde(default)]
    address: Option<String>,
    #[serde(default)]
    media: Vec<String>,
    #[serde(default)]
    reporter: Option<Reporter>,
}

/// Reads a report from a row selected with [`REPORT_COLS`].
pub fn report_from_row(r: &Row<'_>) -> rusqlite::Result<Report> {
    let id: String = r.get(0)?;
    let receipt: Receipt = match r.get_ref(3)?.as_str_or_null()? {
        Some(payload) => json(payload)?,
        None => {
            return Err(rusqlite::Error::FromSqlConversionFailure(
                3,
                rusqlite::types::Type::Null,
                format!("report {id} has no receipt in the log").into(),
            ));
        }
    };
    Ok(Report {
        id,
        received_at: from_ms(r.get(1)?)?,
        channel: coded(&r.get::<_, String>(2)?)?,
        text: receipt.text,
        category: r.get(4)?,
        ward: r.get(5)?,
        lat: r.get(6)?,
        lon: r.get(7)?,
        address: receipt.address,
        media: receipt.media,
        state: coded(&r.get::<_, String>(8)?)?,
        duplicate_of: r.get(9)?,
        case_id: r.get(10)?,
        reject_reason: r.get::<_, Option<String>>(11)?.map(|s| coded(&s)).transpose()?,
        reporter: receipt.reporter,
        suggested_category: r.get(12)?,
        suggested_confidence: r.get(13)?,
        version: r.get::<_, i64>(14)? as u64,
        updated_by: r.get(15)?,
        updated_at: from_ms(r.get(16)?)?,
    })
}

/// The folded search text of a report: its text and address.
pub fn report_folded(r: &Report) -> String {
    folded_with_address(fold(&r.text), r.address.as_deref())
}

/// [`report_folded`] from `text`, the [`fold`] of the report's text, made already, and its address.
pub fn folded_with_address(text: String, address: Option<&str>) -> String {
    let mut s = text;
    if let Some(a) = address {
        s.push(' ');
        crate::domain::text::fold_onto(a, &mut s);
    }
    s
}

/// Writes a new report's row; `receipt` is the sequence number of its `ReportReceived` event.
/// Over an existing row it replaces every column but the receipt.
pub fn put_report(c: &Connection, r: &Report, receipt: u64) -> rusqlite::Result<()> {
    put_report_folded(c, r, &report_folded(r), receipt)
}

/// [`put_report`] with the search text ([`report_folded`]) the caller made.
pub fn put_report_folded(c: &Connection, r: &Report, folded: &str, receipt: u64) -> rusqlite::Result<()> {
    write_report(c, r, folded, receipt)
}

/// The columns of a report row, in the order [`bind_report`] binds them.
pub const REPORT_ROW: &str = "id, receipt, received_at, channel, folded, category, ward, lat, lon, state, duplicate_of, \
     case_id, reject_reason, suggested_category, suggested_confidence, version, updated_by, updated_at";

/// The number of columns in [`REPORT_ROW`].
pub const REPORT_ROW_LEN: usize = 18;

/// Binds a report row's [`REPORT_ROW`] values to parameters `first..first + REPORT_ROW_LEN`.
pub fn bind_report(
    st: &mut rusqlite::Statement<'_>,
    first: usize,
    r: &Report,
    folded: &str,
    receipt: u64,
) -> rusqlite::Result<()> {
    let at = |i: usize| first + i;
    st.raw_bind_parameter(at(0), &r.id)?;
    st.raw_bind_parameter(at(1), receipt as i64)?;
    st.raw_bind_parameter(at(2), ms(r.received_at))?;
    st.raw_bind_parameter(at(3), r.channel.as_str())?;
    st.raw_bind_parameter(at(4), folded)?;
    st.raw_bind_parameter(at(5), &r.category)?;
    st.raw_bind_parameter(at(6), &r.ward)?;
    st.raw_bind_parameter(at(7), r.lat)?;
    st.raw_bind_parameter(at(8), r.lon)?;
    st.raw_bind_parameter(at(9), r.state.as_str())?;
    st.raw_bind_parameter(at(10), &r.duplicate_of)?;
    st.raw_bind_parameter(at(11), &r.case_id)?;
    st.raw_bind_parameter(at(12), r.reject_reason.map(|x| x.as_str()))?;
    st.raw_bind_parameter(at(13), &r.suggested_category)?;
    st.raw_bind_parameter(at(14), r.suggested_confidence)?;
    st.raw_bind_parameter(at(15), r.version as i64)?;
    st.raw_bind_parameter(at(16), &r.updated_by)?;
    st.raw_bind_parameter(at(17), ms(r.updated_at))?;
    Ok(())
}

fn write_report(c: &Connection, r: &Report, folded: &str, receipt: u64) -> rusqlite::Result<()> {
    const UPSERT: &str = "INSERT INTO reports (id, receipt, received_at, channel, folded, category, ward, lat, lon, state, duplicate_of, \
         case_id, reject_reason, suggested_category, suggested_confidence, version, updated_by, updated_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18) \
         ON CONFLICT(id) DO UPDATE SET received_at = excluded.received_at, channel = excluded.channel, folded = excluded.folded, category = excluded.category, ward = excluded.ward, lat = excluded.lat, lon = excluded.lon, state = excluded.state, duplicate_of = excluded.duplicate_of, case_id = excluded.case_id, reject_reason = excluded.reject_reason, suggested_category = excluded.suggested_category, suggested_confidence = excluded.suggested_confidence, version = excluded.version, updated_by = excluded.updated_by, updated_at = excluded.updated_at";
    let mut st = c.prepare_cached(UPSERT)?;
    bind_report(&mut st, 1, r, folded, receipt)?;
    st.raw_execute()?;
    Ok(())
}

/// Writes the columns of a report row that differ from `old`, the row as it was read: an UPDATE
/// keeps up only the indexes of the columns it sets, where a whole-row write rewrites them all.
pub fn update_report(c: &Connection, old: &Report, r: &Report) -> rusqlite::Result<()> {
    fn fixed(o: &Report) -> impl PartialEq + '_ {
        (
            &o.id,
            o.received_at,
            o.channel,
            &o.text,
            &o.ward,
            o.lat,
            o.lon,
            &o.address,
            &o.media,
            &o.reporter,
        )
    }
    if fixed(old) != fixed(r) {
        // Nothing changes a report as received; a row that differs there is rewritten whole
        // (its receipt stays).
        return put_report(c, r, 0);
    }
    let mut cols: Vec<&str> = Vec::new();
    let mut vals: Vec<Value> = vec![Value::Text(r.id.clone())];
    let mut set = |col: &'static str, changed: bool, v: Value| {
        if changed {
            cols.push(col);
            vals.push(v);
        }
    };
    let text = |s: &Option<String>| s.clone().map_or(Value::Null, Value::Text);
    set("state", old.state != r.state, Value::Text(r.state.as_str().into()));
    set("category", old.category != r.category, text(&r.category));
    set(
        "duplicate_of",
        old.duplicate_of != r.duplicate_of,
        text(&r.duplicate_of),
    );
    set("case_id", old.case_id != r.case_id, text(&r.case_id));
    set(
        "reject_reason",
        old.reject_reason != r.reject_reason,
        r.reject_reason.map_or(Value::Null, |x| Value::Text(x.as_str().into())),
    );
    set(
        "suggested_category",
        old.suggested_category != r.suggested_category,
        text(&r.suggested_category),
    );
    set(
        "suggested_confidence",
        old.suggested_confidence != r.suggested_confidence,
        r.suggested_confidence.map_or(Value::Null, Value::Real),
    );
    set("version", old.version != r.version, Value::Integer(r.version as i64));
    set(
        "updated_by",
        old.updated_by != r.updated_by,
        Value::Text(r.updated_by.clone()),
    );
    set(
        "updated_at",
        old.updated_at != r.updated_at,
        Value::Integer(ms(r.updated_at)),
    );
    if cols.is_empty() {
        return Ok(());
    }
    let assignments: Vec<String> = cols
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{c} = ?{}", i + 2))
        .collect();
    c.prepare_cached(&format!("UPDATE reports SET {} WHERE id = ?1", assignments.join(", ")))?
        .execute(rusqlite::params_from_iter(vals))?;
    Ok(())
}

/// One report by id.
pub fn get_report(c: &Connection, id: &str) -> rusqlite::Result<Option<Report>> {
    c.prepare_cached(&format!("SELECT {REPORT_COLS} FROM reports WHERE id = ?1"))?
        .query_row([id], report_from_row)
        .optional()
}

/// The case columns, in the order [`case_from_row`] reads them.
pub const CASE_COLS: &str = "id, state, priority, category, ward, agencies, opened_at, deadline, original_deadline, \
     sla_deadline, acknowledged_at, answered_at, answer, verdict, published_at, closed_at, rating, extensions, escalation, \
     claimed_by, report_ids, version, updated_by, updated_at";

/// Reads a case from a row selected with [`CASE_COLS`].
pub fn case_from_row(r: &Row<'_>) -> rusqlite::Result<Case> {
    Ok(Case {
        id: r.get(0)?,
        state: coded(&r.get::<_, String>(1)?)?,
        priority: coded(&r.get::<_, String>(2)?)?,
        category: r.get(3)?,
        ward: r.get(4)?,
        agencies: json(&r.get::<_, String>(5)?)?,
        opened_at: from_ms(r.get(6)?)?,
        deadline: from_ms(r.get(7)?)?,
        original_deadline: from_ms(r.get(8)?)?,
        sla_deadline: from_ms(r.get(9)?)?,
        acknowledged_at: opt_from_ms(r.get(10)?)?,
        answered_at: opt_from_ms(r.get(11)?)?,
        answer: r.get(12)?,
        verdict: r.get::<_, Option<String>>(13)?.map(|s| coded(&s)).transpose()?,
        published_at: opt_from_ms(r.get(14)?)?,
        closed_at: opt_from_ms(r.get(15)?)?,
        rating: r.get::<_, Option<i64>>(16)?.map(|x| x as u8),
        extensions: r.get::<_, i64>(17)? as u32,
        escalation: r.get::<_, i64>(18)? as u32,
        claimed_by: r.get(19)?,
        report_ids: json(&r.get::<_, String>(20)?)?,
        version: r.get::<_, i64>(21)? as u64,
        updated_by: r.get(22)?,
        updated_at: from_ms(r.get(23)?)?,
    })
}

/// The columns of a case row, in the order [`bind_case`] binds them.
pub const CASE_ROW: &str = "id, state, awaiting, priority, category, ward, agencies, folded, opened_at, deadline, \
     original_deadline, sla_deadline, acknowledged_at, answered_at, answer, verdict, published_at, closed_at, rating, \
     extensions, escalation, claimed_by, report_ids, version, updated_by, updated_at";

/// Binds a case row's [`CASE_ROW`] values to parameters `first..`; `folded` is its search text.
pub fn bind_case(st: &mut rusqlite::Statement<'_>, first: usize, k: &Case, folded: &str) -> rusqlite::Result<()> {
    let values: [&dyn rusqlite::ToSql; 26] = [
        &k.id,
        &k.state.as_str(),
        &(k.state.awaits_unit() as i64),
        &k.priority.as_str(),
        &k.category,
        &k.ward,
        &serde_json::to_string(&k.agencies).unwrap_or_else(|_| "[]".into()),
        &folded,
        &ms(k.opened_at),
        &ms(k.deadline),
        &ms(k.original_deadline),
        &ms(k.sla_deadline),
        &k.acknowledged_at.map(ms),
        &k.answered_at.map(ms),
        &k.answer,
        &k.verdict.map(|v| v.as_str()),
        &k.published_at.map(ms),
        &k.closed_at.map(ms),
        &k.rating.map(i64::from),
        &i64::from(k.extensions),
        &i64::from(k.escalation),
        &k.claimed_by,
        &serde_json::to_string(&k.report_ids).unwrap_or_else(|_| "[]".into()),
        &(k.version as i64),
        &k.updated_by,
        &ms(k.updated_at),
    ];
    for (i, v) in values.into_iter().enumerate() {
        st.raw_bind_parameter(first + i, v)?;
    }
    Ok(())
}

/// Writes a case row and its agency index (insert or replace). `folded` is the search text.
pub fn put_case(c: &Connection, k: &Case, folded: &str) -> rusqlite::Result<()> {
    let mut st = c.prepare_cached(&format!(
        "INSERT INTO cases ({CASE_ROW}) VALUES ({}) \
         ON CONFLICT(id) DO UPDATE SET state = excluded.state, awaiting = excluded.awaiting, priority = excluded.priority, category = excluded.category, ward = excluded.ward, agencies = excluded.agencies, folded = excluded.folded, opened_at = excluded.opened_at, deadline = excluded.deadline, original_deadline = excluded.original_deadline, sla_deadline = excluded.sla_deadline, acknowledged_at = excluded.acknowledged_at, answered_at = excluded.answered_at, answer = excluded.answer, verdict = excluded.verdict, published_at = excluded.published_at, closed_at = excluded.closed_at, rating = excluded.rating, extensions = excluded.extensions, escalation = excluded.escalation, claimed_by = excluded.claimed_by, report_ids = excluded.report_ids, version = excluded.version, updated_by = excluded.updated_by, updated_at = excluded.updated_at",
        placeholders(26)
    ))?;
    bind_case(&mut st, 1, k, folded)?;
    st.raw_execute()?;
    let mut ins = c.prepare_cached("INSERT OR IGNORE INTO case_agencies (agency, case_id) VALUES (?1, ?2)")?;
    for a in &k.agencies {
        ins.execute(params![a, k.id])?;
    }
    Ok(())
}

/// `n` parameters for one row's values: `?, ?, …`.
fn placeholders(n: usize) -> String {
    vec!["?"; n].join(", ")
}

/// An `INSERT OR FAIL` of `rows` rows of `cols` (a comma-separated list) into `table`, each value a
/// parameter in order. `OR FAIL`: a statement of many rows that could stop half-way with SQLite's
/// default `ABORT` has SQLite copy every page it touches to a statement journal first, to undo
/// its own rows; one that fails keeps the rows before the one at fault instead (the callers roll
/// the whole transaction back).
pub fn insert_sql(table: &str, cols: &str, rows: usize) -> String {
    let row = format!("({})", placeholders(cols.split(',').count()));
    format!(
        "INSERT OR FAIL INTO {table} ({cols}) VALUES {}",
        vec![row; rows].join(", ")
    )
}

/// One case by id.
pub fn get_case(c: &Connection, id: &str) -> rusqlite::Result<Option<Case>> {
    c.prepare_cached(&format!("SELECT {CASE_COLS} FROM cases WHERE id = ?1"))?
        .query_row([id], case_from_row)
        .optional()
}

/// The stored search text of a case.
pub fn case_folded(c: &Connection, id: &str) -> rusqlite::Result<String> {
    c.prepare_cached("SELECT folded FROM cases WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()
        .map(Option::unwrap_or_default)
}

/// Reads a named counter.
pub fn counter(c: &Connection, name: &str) -> rusqlite::Result<u64> {
    c.prepare_cached("SELECT value FROM counters WHERE name = ?1")?
        .query_row([name], |r| r.get::<_, i64>(0))
        .optional()
        .map(|v| v.unwrap_or(0) as u64)
}

/// Raises a named counter to at least `value`.
pub fn bump_counter(c: &Connection, name: &str, value: u64) -> rusqlite::Result<()> {
    c.prepare_cached(
        "INSERT INTO counters (name, value) VALUES (?1, ?2) ON CONFLICT(name) DO UPDATE SET value = max(value, excluded.value)",
    )?
    .execute(params![name, value as i64])?;
    Ok(())
}

/// Adds `delta` to a named counter (the running totals the status bar reads).
pub fn add_counter(c: &Connection, name: &str, delta: i64) -> rusqlite::Result<()> {
    c.prepare_cached(
        "INSERT INTO counters (name, value) VALUES (?1, ?2) ON CONFLICT(name) DO UPDATE SET value = value + excluded.value",
    )?
    .execute(params![name, delta])?;
    Ok(())
}

/// The numeric part of an id like `R0001234` (0 when there is none).
pub fn id_number(id: &str) -> u64 {
    let digits = id.bytes().rev().take_while(u8::is_ascii_digit).count();
    id[id.len() - digits..].parse().unwrap_or(0)
}

/// The camera columns, in the order [`camera_from_row`] reads them.
pub const CAMERA_COLS: &str = "id, name, site, kind, rtsp_url, snapshot_url, lat, lon, ward, state, state_since";

/// Reads a camera from a row selected with [`CAMERA_COLS`].
pub fn camera_from_row(r: &Row<'_>) -> rusqlite::Result<Camera> {
    Ok(Camera {
        id: r.get(0)?,
        name: r.get(1)?,
        site: r.get(2)?,
        kind: coded(&r.get::<_, String>(3)?)?,
        rtsp_url: r.get(4)?,
        snapshot_url: r.get(5)?,
        lat: r.get(6)?,
        lon: r.get(7)?,
        ward: r.get(8)?,
        state: coded(&r.get::<_, String>(9)?)?,
        state_since: from_ms(r.get(10)?)?,
    })
}

/// One camera by id.
pub fn get_camera(c: &Connection, id: &str) -> rusqlite::Result<Option<Camera>> {
    c.prepare_cached(&format!("SELECT {CAMERA_COLS} FROM cameras WHERE id = ?1"))?
        .query_row([id], camera_from_row)
        .optional()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn an_id_number_is_its_trailing_digits() {
        for (id, n) in [
            ("R0001234", 1234),
            ("C12", 12),
            ("R1x2", 2),
            ("Ệ07", 7),
            ("R", 0),
            ("", 0),
            ("R99999999999999999999999", 0),
        ] {
            assert_eq!(id_number(id), n, "{id}");
        }
    }

    #[test]
    fn a_stored_time_reads_back_to_the_millisecond() {
        for secs in [-62_167_219_200i64, -1, 0, 1_700_000_000, 1_795_000_123, 253_402_300_799] {
            for ns in [0u32, 7_000_000, 999_000_000, 999_999_999] {
                let t = Utc.timestamp_opt(secs, ns).single().unwrap();
                let back = from_ms(ms(t)).unwrap();
                assert_eq!(back.timestamp(), t.timestamp());
                assert_eq!(back.timestamp_subsec_nanos(), ns / 1_000_000 * 1_000_000);
            }
        }
        // Index order is time order.
        let a = Utc.timestamp_opt(-1, 500_000_000).single().unwrap();
        let b = Utc.timestamp_opt(0, 0).single().unwrap();
        assert!(ms(a) < ms(b));
        assert!(from_ms(i64::MAX).is_err());
    }
}
