//! Read queries: filtered, sorted, paged in SQL, never by loading everything.

use super::rows::{self, CASE_COLS, REPORT_COLS, ms};
use super::schema::SUBJECT_INDEXED;
use super::{Store, StoreError};
use crate::domain::query::{CaseFilter, CaseSort, Counts, ReportFilter};
use crate::domain::text::fold;
use crate::domain::{Case, Event, Note, Report};
use chrono::{DateTime, Utc};
use rusqlite::types::Value;
use rusqlite::{Connection, params, params_from_iter};

/// The last sequence number in the log (0 when empty).
pub fn last_seq(c: &Connection) -> rusqlite::Result<u64> {
    c.prepare_cached("SELECT COALESCE(MAX(seq), 0) FROM events")?
        .query_row([], |r| r.get::<_, i64>(0))
        .map(|v| v as u64)
}

/// Ids of reports merged into `id`.
pub fn duplicates_of(c: &Connection, id: &str) -> rusqlite::Result<Vec<String>> {
    // `CAST(?1 AS TEXT)` rather than a bare `?1`: SQLite's planner peeks at a bare parameter when
    // it weighs the other plans and would then re-plan the statement at every new id.
    let mut st = c.prepare_cached(
        "SELECT id FROM reports WHERE duplicate_of = CAST(?1 AS TEXT) AND duplicate_of IS NOT NULL \
         ORDER BY received_at, id",
    )?;
    st.query_map([id], |r| r.get(0))?.collect()
}

/// The condition for folded text that holds the folded query where a word starts — at the
/// start or after a character that is not a letter or digit — so that `rac` finds `rác` and
/// `(rác`, not `trách`. A query that starts with neither is looked for anywhere. (LIKE, which is
/// quick, finds the texts that hold the query anywhere; GLOB looks for a word start in those.)
const QUERY_MATCH: &str = r"folded LIKE ? ESCAPE '\' AND (folded GLOB ? OR folded GLOB ?)";

/// [`QUERY_MATCH`]'s patterns: a LIKE (`%`, `_` and `\` escaped), then two GLOBs (`*`, `?` and
/// `[` taken literally).
fn query_patterns(q: &str) -> [Value; 3] {
    let folded = fold(q);
    let mut like = String::from("%");
    let mut glob = String::with_capacity(folded.len() + 8);
    for ch in folded.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            like.push('\\');
        }
        like.push(ch);
        if matches!(ch, '*' | '?' | '[') {
            glob.push('[');
            glob.push(ch);
            glob.push(']');
        } else {
            glob.push(ch);
        }
    }
    like.push('%');
    let (first, second) = if folded.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        (format!("{glob}*"), format!("*[^a-z0-9]{glob}*"))
    } else {
        (format!("*{glob}*"), format!("*{glob}*"))
    };
    [Value::Text(like), Value::Text(first), Value::Text(second)]
}

/// A WHERE clause under construction.
#[derive(Default)]
struct Where {
    parts: Vec<String>,
    args: Vec<Value>,
}

impl Where {
    fn push(&mut self, sql: &str, args: impl IntoIterator<Item = Value>) {
        self.parts.push(sql.to_string());
        self.args.extend(args);
    }
    fn any_of(&mut self, col: &str, values: impl IntoIterator<Item = String>) {
        let vals: Vec<Value> = values.into_iter().map(Value::Text).collect();
        if vals.is_empty() {
            return;
        }
        let marks = vec!["?"; vals.len()].join(", ");
        self.push(&format!("{col} IN ({marks})"), vals);
    }
    fn sql(&self) -> String {
        if self.parts.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", self.parts.join(" AND "))
        }
    }
}

fn report_where(f: &ReportFilter, now: DateTime<Utc>) -> Where {
    let mut w = Where::default();
    w.any_of("state", f.states.iter().map(|s| s.as_str().to_string()));
    w.any_of("category", f.categories.iter().cloned());
    w.any_of("id", f.ids.iter().cloned());
    if let Some(ward) = &f.ward {
        w.push("ward = ?", [Value::Text(ward.clone())]);
    }
    if let Some(a) = &f.agency {
        w.push(
            "case_id IN (SELECT case_id FROM case_agencies WHERE agency = ?)",
            [Value::Text(a.clone())],
        );
    }
    if f.overdue {
        w.push(
            "case_id IN (SELECT id FROM cases WHERE awaiting = 1 AND deadline < ?)",
            [Value::Integer(ms(now))],
        );
    }
    if let Some(q) = f.query.as_deref().filter(|q| !q.trim().is_empty()) {
        w.push(QUERY_MATCH, query_patterns(q));
    }
    if let Some(s) = f.since {
        w.push("received_at >= ?", [Value::Integer(ms(s))]);
    }
    if let Some(u) = f.until {
        w.push("received_at <= ?", [Value::Integer(ms(u))]);
    }
    if f.unassigned {
        w.push("case_id IS NULL AND duplicate_of IS NULL", []);
    }
    if let Some((t, id)) = &f.after {
        let cmp = if f.oldest_first { ">" } else { "<" };
        w.push(
            &format!("(received_at {cmp} ? OR (received_at = ? AND id {cmp} ?))"),
            [Value::Integer(ms(*t)), Value::Integer(ms(*t)), Value::Text(id.clone())],
        );
    }
    w
}

fn case_where(f: &CaseFilter, now: DateTime<Utc>) -> Where {
    let mut w = Where::default();
    w.any_of("state", f.states.iter().map(|s| s.as_str().to_string()));
    w.any_of("category", f.categories.iter().cloned());
    w.any_of("priority", f.priorities.iter().map(|p| p.as_str().to_string()));
    w.any_of("id", f.ids.iter().cloned());
    if let Some(ward) = &f.ward {
        w.push("ward = ?", [Value::Text(ward.clone())]);
    }
    if let Some(a) = &f.agency {
        w.push(
            "id IN (SELECT case_id FROM case_agencies WHERE agency = ?)",
            [Value::Text(a.clone())],
        );
    }
    if f.overdue {
        w.push("awaiting = 1 AND deadline < ?", [Value::Integer(ms(now))]);
    }
    if f.open {
        w.push("state <> 'closed'", []);
    }
    if let Some(q) = f.query.as_deref().filter(|q| !q.trim().is_empty()) {
        w.push(QUERY_MATCH, query_patterns(q));
    }
    if let Some(s) = f.since {
        w.push("opened_at >= ?", [Value::Integer(ms(s))]);
    }
    match f.claimed_by.as_deref() {
        Some("-") => w.push("claimed_by IS NULL", []),
        Some(by) => w.push("claimed_by = ?", [Value::Text(by.to_string())]),
        None => {}
    }
    w
}

fn page(limit: usize, offset: usize) -> String {
    format!(" LIMIT {} OFFSET {}", limit.min(crate::domain::query::MAX_PAGE), offset)
}

/// A report an officer labelled differently from the classifier's suggestion.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Relabelled {
    /// Report id.
    pub id: String,
    /// Its text.
    pub text: String,
    /// The classifier's suggestion.
    pub suggested: String,
    /// The category the officer confirmed (`invalid` for a report rejected as invalid or spam).
    pub category: String,
}

impl Store {
    /// Every report whose confirmed category (a `ReportVerified` event, or a rejection as invalid
    /// or spam) differs from its suggestion, by id.
    pub fn relabelled(&self) -> Result<Vec<Relabelled>, StoreError> {
        let mut st = self.conn().prepare(&format!(
            "SELECT id, (SELECT json_extract(payload, '$.text') FROM events WHERE seq = r.receipt), suggested_category, \
                    CASE WHEN state = 'rejected' THEN 'invalid' ELSE category END AS confirmed \
             FROM reports r \
             WHERE suggested_category IS NOT NULL \
               AND ((state = 'rejected' AND reject_reason IN ('invalid', 'spam')) \
                    OR (category IS NOT NULL AND EXISTS \
                        (SELECT 1 FROM events e WHERE e.subject = r.id AND e.kind = 'ReportVerified' AND e.{SUBJECT_INDEXED}))) \
               AND confirmed <> suggested_category \
             ORDER BY id"
        ))?;
        let rows = st.query_map([], |r| {
            Ok(Relabelled {
                id: r.get(0)?,
                text: r.get(1)?,
                suggested: r.get(2)?,
                category: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Reports matching a filter, newest first (or oldest first).
    pub fn list_reports(&self, f: &ReportFilter, now: DateTime<Utc>) -> Result<Vec<Report>, StoreError> {
        let w = report_where(f, now);
        let order = if f.oldest_first {
            "received_at ASC, id ASC"
        } else {
            "received_at DESC, id DESC"
        };
        let sql = format!(
            "SELECT {REPORT_COLS} FROM reports{} ORDER BY {order}{}",
            w.sql(),
            page(f.limit, f.offset)
        );
        let mut st = self.conn().prepare_cached(&sql)?;
        let rows = st.query_map(params_from_iter(w.args.iter()), rows::report_from_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Calls `each` for every report matching a filter, oldest first, without holding them all.
    pub fn each_report(
        &self,
        f: &ReportFilter,
        now: DateTime<Utc>,
        mut each: impl FnMut(Report) -> bool,
    ) -> Result<(), StoreError> {
        let w = report_where(f, now);
        let sql = format!(
            "SELECT {REPORT_COLS} FROM reports{} ORDER BY received_at ASC, id ASC",
            w.sql()
        );
        let mut st = self.conn().prepare(&sql)?;
        let mut rows = st.query(params_from_iter(w.args.iter()))?;
        while let Some(r) = rows.next()? {
            if !each(rows::report_from_row(r)?) {
                break;
            }
        }
        Ok(())
    }

    /// How many reports match a filter (paging ignored).
    pub fn count_reports(&self, f: &ReportFilter, now: DateTime<Utc>) -> Result<u64, StoreError> {
        let w = report_where(f, now);
        let sql = format!("SELECT COUNT(*) FROM reports{}", w.sql());
        Ok(self
            .conn()
            .prepare_cached(&sql)?
            .query_row(params_from_iter(w.args.iter()), |r| r.get::<_, i64>(0))? as u64)
    }

    /// Cases matching a filter, in the filter's order.
    pub fn list_cases(&self, f: &CaseFilter, now: DateTime<Utc>) -> Result<Vec<Case>, StoreError> {
        let w = case_where(f, now);
        let order = match f.sort {
            CaseSort::Deadline => "awaiting DESC, deadline ASC, id ASC",
            CaseSort::Priority => "priority ASC, awaiting DESC, deadline ASC, id ASC",
            CaseSort::Newest => "opened_at DESC, id DESC",
            CaseSort::Updated => "updated_at DESC, id DESC",
        };
        let sql = format!(
            "SELECT {CASE_COLS} FROM cases{} ORDER BY {order}{}",
            w.sql(),
            page(f.limit, f.offset)
        );
        let mut st = self.conn().prepare_cached(&sql)?;
        let rows = st.query_map(params_from_iter(w.args.iter()), rows::case_from_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// How many cases match a filter (paging ignored).
    pub fn count_cases(&self, f: &CaseFilter, now: DateTime<Utc>) -> Result<u64, StoreError> {
        let w = case_where(f, now);
        let sql = format!("SELECT COUNT(*) FROM cases{}", w.sql());
        Ok(self
            .conn()
            .prepare_cached(&sql)?
            .query_row(params_from_iter(w.args.iter()), |r| r.get::<_, i64>(0))? as u64)
    }

    /// The oldest open report (new or verified, not in a closed case) of `category` within
    /// `radius_m` of a point, received in the `days` days up to `before`, other than `except`.
    #[allow(clippy::too_many_arguments)]
    pub fn find_master(
        &self,
        category: &str,
        lat: f64,
        lon: f64,
        before: DateTime<Utc>,
        except: &str,
        radius_m: f64,
        days: i64,
    ) -> Result<Option<Report>, StoreError> {
        // A bounding box in degrees narrows the scan; the exact distance decides.
        let dlat = radius_m / 111_320.0;
        let dlon = radius_m / (111_320.0 * lat.to_radians().cos().max(0.1));
        let sql = format!(
            "SELECT {REPORT_COLS} FROM reports WHERE state IN ('new', 'verified') \
             AND COALESCE(category, suggested_category) = ?1 AND received_at >= ?2 AND received_at <= ?3 AND id <> ?4 \
             AND lat BETWEEN ?5 AND ?6 AND lon BETWEEN ?7 AND ?8 \
             AND (case_id IS NULL OR case_id NOT IN (SELECT id FROM cases WHERE state = 'closed')) \
             ORDER BY received_at ASC, id ASC"
        );
        let mut st = self.conn().prepare_cached(&sql)?;
        let from = before - chrono::Duration::days(days);
        let mut rows = st.query(params![
            category,
            ms(from),
            ms(before),
            except,
            lat - dlat,
            lat + dlat,
            lon - dlon,
            lon + dlon
        ])?;
        while let Some(r) = rows.next()? {
            let rep = rows::report_from_row(r)?;
            if let (Some(a), Some(b)) = (rep.lat, rep.lon)
                && crate::domain::catalog::distance_m((lat, lon), (a, b)) <= radius_m
            {
                return Ok(Some(rep));
            }
        }
        Ok(None)
    }

    /// Every camera, by site then id.
    pub fn list_cameras(&self) -> Result<Vec<crate::domain::Camera>, StoreError> {
        let mut st = self
            .conn()
            .prepare_cached(&format!("SELECT {} FROM cameras ORDER BY site, id", rows::CAMERA_COLS))?;
        let rows = st.query_map([], rows::camera_from_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// One report.
    pub fn report(&self, id: &str) -> Result<Option<Report>, StoreError> {
        Ok(rows::get_report(self.conn(), id)?)
    }

    /// One case.
    pub fn case(&self, id: &str) -> Result<Option<Case>, StoreError> {
        Ok(rows::get_case(self.conn(), id)?)
    }

    /// Notes on a report or case, oldest first.
    pub fn notes(&self, subject: &str) -> Result<Vec<Note>, StoreError> {
        let mut st = self
            .conn()
            .prepare_cached("SELECT subject, at, actor, text FROM notes WHERE subject = ?1 ORDER BY seq")?;
        let rows = st.query_map([subject], |r| {
            Ok(Note {
                subject: r.get(0)?,
                at: rows::from_ms(r.get(1)?)?,
                actor: r.get(2)?,
                text: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The events about these ids (as subject or related), in order.
    pub fn timeline(&self, ids: &[String]) -> Result<Vec<Event>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let marks = vec!["?"; ids.len()].join(", ");
        // Three lookups, each by its own index: events by subject (receipts are not in that
        // index), events that name the ids second, and the receipts of the reports among them.
        let sql = format!(
            "SELECT seq, at, actor, payload FROM events WHERE subject IN ({marks}) AND {SUBJECT_INDEXED} \
             UNION SELECT seq, at, actor, payload FROM events WHERE related IN ({marks}) \
             UNION SELECT seq, at, actor, payload FROM events WHERE seq IN (SELECT receipt FROM reports WHERE id IN ({marks})) \
             ORDER BY seq LIMIT 500"
        );
        let args: Vec<&String> = ids.iter().chain(ids.iter()).chain(ids.iter()).collect();
        let mut st = self.conn().prepare(&sql)?;
        let mut rows = st.query(params_from_iter(args))?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(event_from_row(r)?);
        }
        Ok(out)
    }

    /// Up to `limit` events after `seq`, in order.
    pub fn events_after(&self, seq: u64, limit: usize) -> Result<Vec<Event>, StoreError> {
        let mut st = self
            .conn()
            .prepare_cached("SELECT seq, at, actor, payload FROM events WHERE seq > ?1 ORDER BY seq LIMIT ?2")?;
        let mut rows = st.query(params![seq as i64, limit as i64])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(event_from_row(r)?);
        }
        Ok(out)
    }

    /// The last sequence number.
    pub fn last_seq(&self) -> Result<u64, StoreError> {
        Ok(last_seq(self.conn())?)
    }

    /// Counts for the status bar.
    pub fn counts(&self, now: DateTime<Utc>) -> Result<Counts, StoreError> {
        let c = self.conn();
        let one = |sql: &str, p: &[&dyn rusqlite::ToSql]| -> rusqlite::Result<u64> {
            c.prepare_cached(sql)?
                .query_row(p, |r| r.get::<_, i64>(0))
                .map(|v| v as u64)
        };
        Ok(Counts {
            new_reports: one("SELECT COUNT(*) FROM reports WHERE state = 'new'", &[])?,
            open_cases: rows::counter(c, "cases_total")?.saturating_sub(rows::counter(c, "cases_closed")?),
            overdue_cases: one(
                "SELECT COUNT(*) FROM cases WHERE awaiting = 1 AND deadline < ?1",
                &[&ms(now)],
            )?,
            reports: rows::counter(c, "reports_total")?,
            cases: rows::counter(c, "cases_total")?,
            last_seq: last_seq(c)?,
        })
    }
}

/// Reads an event from `seq, at, actor, payload`.
pub fn event_from_row(r: &rusqlite::Row<'_>) -> Result<Event, StoreError> {
    let seq = r.get::<_, i64>(0)? as u64;
    let payload: String = r.get(3)?;
    let data = serde_json::from_str(&payload).map_err(|e| StoreError::Corrupt {
        seq,
        message: e.to_string(),
    })?;
    Ok(Event {
        seq,
        at: rows::from_ms(r.get(1)?)?,
        actor: r.get(2)?,
        data,
    })
}
