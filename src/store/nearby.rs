//! Duplicate candidates: an in-memory R-tree (rstar) of every report with coordinates, built
//! from the store at first use and kept current from the event log, and the ranking of the open
//! reports near a given one.
//!
//! A candidate of report `r` is an open report (new or verified, not in a closed case) other
//! than `r`, within `radius_m` metres of it, received within `days` days of it (either side), of
//! the same category or a related one ([`related`]). Candidates are ranked by a score in
//! `[0, 1]`: closeness, recency and the Jaccard similarity of their folded syllables, weighed
//! 0.4 / 0.2 / 0.4, times 0.8 for a related (not the same) category.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use rstar::RTree;
use rstar::primitives::GeomWithData;
use rusqlite::{Connection, params};

use super::rows;
use crate::domain::{Report, ReportState};

/// Metres per degree of latitude (and of longitude at the equator).
const M_PER_DEG: f64 = 111_320.0;
/// The latitude the projection is centred on (Huế).
const LAT0: f64 = 16.466;

/// Parameters of a duplicate-candidate query.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DuplicateParams {
    /// Search radius in metres.
    pub radius_m: f64,
    /// Time window in days, either side of the report's receipt.
    pub days: f64,
    /// At most this many candidates.
    pub limit: usize,
}

impl Default for DuplicateParams {
    fn default() -> Self {
        DuplicateParams {
            radius_m: 250.0,
            days: 7.0,
            limit: 20,
        }
    }
}

/// Categories whose reports often describe one problem (a flooded street full of mud is
/// `drainage` or `waste`; a fallen tree on the wires `trees_parks` or `power_telecom`).
pub fn related(a: &str, b: &str) -> bool {
    const PAIRS: &[(&str, &str)] = &[
        ("drainage", "waste"),
        ("drainage", "roads"),
        ("trees_parks", "power_telecom"),
        ("street_lighting", "power_telecom"),
        ("roads", "urban_order"),
        ("urban_order", "public_security"),
        ("trees_parks", "roads"),
    ];
    PAIRS.iter().any(|&(x, y)| (x == a && y == b) || (x == b && y == a))
}

/// A point in metres on a plane tangent near Huế (equirectangular): good to well under a metre
/// over a few kilometres.
fn project(lat: f64, lon: f64) -> [f64; 2] {
    [lon * M_PER_DEG * LAT0.to_radians().cos(), lat * M_PER_DEG]
}

/// The Jaccard similarity of two texts' sets of folded syllables.
pub fn jaccard(a: &str, b: &str) -> f64 {
    let sa: HashSet<String> = crate::triage::tokenize(a).into_iter().collect();
    let sb: HashSet<String> = crate::triage::tokenize(b).into_iter().collect();
    let union = sa.union(&sb).count();
    if union == 0 {
        return 0.0;
    }
    sa.intersection(&sb).count() as f64 / union as f64
}

/// What the index keeps of a report.
#[derive(Debug, Clone)]
struct Meta {
    id: String,
    /// Seconds since the epoch.
    received: i64,
    /// Projected position, when the report has coordinates.
    pos: Option<[f64; 2]>,
    /// Index in [`crate::triage::CATEGORIES`] of its confirmed or suggested category.
    cat: Option<u8>,
    /// New or verified (a closed case is checked when ranking).
    open: bool,
}

/// The index of a category code in [`crate::triage::CATEGORIES`].
fn cat_index(code: Option<&str>) -> Option<u8> {
    let code = code?;
    crate::triage::CATEGORIES
        .iter()
        .position(|c| *c == code)
        .map(|i| i as u8)
}

/// Whether a candidate of category `b` may duplicate a report of category `a`.
fn compatible(a: Option<u8>, b: Option<u8>) -> bool {
    let cats = crate::triage::CATEGORIES;
    match (a, b) {
        (Some(a), Some(b)) => a == b || related(cats[a as usize], cats[b as usize]),
        _ => false,
    }
}

type Point = GeomWithData<[f64; 2], u32>;

/// The spatial index of the store's reports.
#[derive(Debug, Default)]
pub struct NearbyIndex {
    tree: RTree<Point>,
    meta: Vec<Meta>,
    by_id: HashMap<String, u32>,
    /// The last event applied.
    seq: u64,
}

impl NearbyIndex {
    /// Builds the index from the reports table.
    pub fn build(c: &Connection) -> rusqlite::Result<NearbyIndex> {
        let seq = super::query::last_seq(c)?;
        let mut st = c.prepare(
            "SELECT id, received_at, lat, lon, COALESCE(category, suggested_category), \
             state IN ('new', 'verified') FROM reports",
        )?;
        let mut rows_ = st.query([])?;
        let mut ix = NearbyIndex {
            seq,
            ..NearbyIndex::default()
        };
        let mut points = Vec::new();
        while let Some(r) = rows_.next()? {
            let id: String = r.get(0)?;
            let received = rows::from_ms(r.get(1)?)?.timestamp();
            let pos = match (r.get::<_, Option<f64>>(2)?, r.get::<_, Option<f64>>(3)?) {
                (Some(lat), Some(lon)) => Some(project(lat, lon)),
                _ => None,
            };
            let cat = cat_index(r.get::<_, Option<String>>(4)?.as_deref());
            let open: bool = r.get(5)?;
            let i = ix.meta.len() as u32;
            if let Some(p) = pos {
                points.push(Point::new(p, i));
            }
            ix.by_id.insert(id.clone(), i);
            ix.meta.push(Meta {
                id,
                received,
                pos,
                cat,
                open,
            });
        }
        ix.tree = RTree::bulk_load(points);
        Ok(ix)
    }

    /// How many reports the index holds.
    pub fn len(&self) -> usize {
        self.meta.len()
    }

    /// True when the index holds no report.
    pub fn is_empty(&self) -> bool {
        self.meta.is_empty()
    }

    /// Applies the reports touched by events after the last one seen.
    pub fn sync(&mut self, c: &Connection) -> rusqlite::Result<()> {
        let last = super::query::last_seq(c)?;
        if last <= self.seq {
            return Ok(());
        }
        let mut st = c.prepare_cached("SELECT DISTINCT subject FROM events WHERE seq > ?1")?;
        let ids: Vec<String> = st
            .query_map(params![self.seq as i64], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for id in ids {
            if let Some(r) = rows::get_report(c, &id)? {
                self.upsert(&r);
            }
        }
        self.seq = last;
        Ok(())
    }

    /// Adds a report, or moves it if it is already there.
    pub fn upsert(&mut self, r: &Report) {
        let pos = r.lat.zip(r.lon).map(|(lat, lon)| project(lat, lon));
        let received = r.received_at.timestamp();
        let i = match self.by_id.get(&r.id) {
            Some(&i) => {
                if let Some(old) = self.meta[i as usize].pos {
                    self.tree.remove(&Point::new(old, i));
                }
                i
            }
            None => {
                let i = self.meta.len() as u32;
                self.by_id.insert(r.id.clone(), i);
                self.meta.push(Meta {
                    id: r.id.clone(),
                    received,
                    pos: None,
                    cat: None,
                    open: false,
                });
                i
            }
        };
        let m = &mut self.meta[i as usize];
        m.received = received;
        m.pos = pos;
        m.cat = cat_index(r.category.as_deref().or(r.suggested_category.as_deref()));
        m.open = matches!(r.state, ReportState::New | ReportState::Verified);
        if let Some(p) = pos {
            self.tree.insert(Point::new(p, i));
        }
    }

    /// Ids of the new or verified reports of a category compatible with `category` (the same or
    /// [`related`]) within `radius_m` of `(lat, lon)` received within `days` of `at`, with their
    /// distance in metres; `except` left out.
    #[allow(clippy::too_many_arguments)]
    pub fn near(
        &self,
        category: &str,
        lat: f64,
        lon: f64,
        at: DateTime<Utc>,
        except: &str,
        radius_m: f64,
        days: f64,
    ) -> Vec<(&str, f64)> {
        let cat = cat_index(Some(category));
        let q = project(lat, lon);
        let window = (days * 86_400.0) as i64;
        let t = at.timestamp();
        self.tree
            .locate_within_distance(q, radius_m * radius_m)
            .filter_map(|p| {
                let m = &self.meta[p.data as usize];
                if !m.open || !compatible(cat, m.cat) {
                    return None;
                }
                let d = ((p.geom()[0] - q[0]).powi(2) + (p.geom()[1] - q[1]).powi(2)).sqrt();
                ((m.received - t).abs() <= window && m.id != except).then_some((m.id.as_str(), d))
            })
            .collect()
    }
}

/// Ranks the open candidates among `near` (id, distance) for report `r`.
pub fn rank(
    c: &Connection,
    r: &Report,
    near: &[(&str, f64)],
    p: &DuplicateParams,
) -> rusqlite::Result<Vec<(Report, f64)>> {
    let Some(cat) = r.category.as_deref().or(r.suggested_category.as_deref()) else {
        return Ok(Vec::new());
    };
    let mut closed = c.prepare_cached("SELECT state = 'closed' FROM cases WHERE id = ?1")?;
    let mut out = Vec::new();
    for &(id, d) in near {
        let Some(o) = rows::get_report(c, id)? else {
            continue;
        };
        let open_state = matches!(o.state, ReportState::New | ReportState::Verified);
        let in_closed_case = match &o.case_id {
            Some(k) => closed.query_row(params![k], |x| x.get::<_, bool>(0)).unwrap_or(false),
            None => false,
        };
        let Some(ocat) = o.category.as_deref().or(o.suggested_category.as_deref()) else {
            continue;
        };
        let same = ocat == cat;
        if !open_state || in_closed_case || !(same || related(cat, ocat)) {
            continue;
        }
        let dt = (o.received_at - r.received_at).num_seconds().abs() as f64 / 86_400.0;
        let closeness = (1.0 - d / p.radius_m.max(1.0)).clamp(0.0, 1.0);
        let recency = (1.0 - dt / p.days.max(1e-9)).clamp(0.0, 1.0);
        let score = (0.4 * closeness + 0.2 * recency + 0.4 * jaccard(&r.text, &o.text)) * if same { 1.0 } else { 0.8 };
        out.push((o, score));
    }
    out.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.id.cmp(&b.0.id)));
    out.truncate(p.limit);
    Ok(out)
}
