//! Routing rules: category × ward → handling units, with a default priority and a deadline in
//! working days per category, read from a TOML file (`assets/routing.toml`, embedded; an
//! operator's `routing.toml` in the config directory replaces it).
//!
//! The file is validated as it is read: unknown categories, agencies and wards, bad priorities
//! and deadlines outside 1–60 working days are errors that name the line and column. Wards are
//! written by code, name or old name and resolved with [`catalog::resolve_ward`].
//!
//! Pure: parsing takes the text; the CLI reads the file and [`install`]s the result.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::OnceLock;

use serde::Deserialize;
use toml::Spanned;

use super::catalog;
use super::model::Priority;

/// The embedded default rules.
const BUILTIN: &str = include_str!("../../assets/routing.toml");

/// The longest deadline a rule may set, in working days.
pub const MAX_DEADLINE_DAYS: u32 = 60;

/// The rule of one category.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// Units a report goes to; `ward` is the report's ward committee.
    pub agencies: Vec<String>,
    /// Default priority of the case.
    pub priority: Priority,
    /// Working days allowed to answer.
    pub deadline_days: u32,
    /// Exceptions: canonical ward code → units (replacing `agencies` in that ward).
    pub wards: BTreeMap<String, Vec<String>>,
}

/// Validated routing rules.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Routing {
    rules: BTreeMap<String, Rule>,
}

/// An error in a routing file, with its 1-based position.
#[derive(Debug, Clone, PartialEq)]
pub struct RoutingError {
    /// Line, from 1 (0 when the position is unknown).
    pub line: usize,
    /// Column in characters, from 1 (0 when unknown).
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for RoutingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}", self.message)
        } else {
            write!(f, "line {}, column {}: {}", self.line, self.column, self.message)
        }
    }
}

impl std::error::Error for RoutingError {}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileRow {
    #[serde(default)]
    category: BTreeMap<Spanned<String>, RuleRow>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleRow {
    agencies: Vec<Spanned<String>>,
    priority: Option<Spanned<String>>,
    deadline_days: Option<Spanned<i64>>,
    #[serde(default)]
    wards: BTreeMap<Spanned<String>, Vec<Spanned<String>>>,
}

/// 1-based line and column of a byte offset.
fn position(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map(|l| l.chars().count()).unwrap_or(0) + 1;
    (line, col)
}

fn err_at(text: &str, span: std::ops::Range<usize>, message: String) -> RoutingError {
    let (line, column) = position(text, span.start);
    RoutingError { line, column, message }
}

fn check_agencies(text: &str, list: &[Spanned<String>]) -> Result<Vec<String>, RoutingError> {
    list.iter()
        .map(|a| {
            let code = a.get_ref();
            if code == "ward" || catalog::agency(code).is_some() {
                Ok(code.clone())
            } else {
                Err(err_at(text, a.span(), format!("unknown agency `{code}`")))
            }
        })
        .collect()
}

impl Routing {
    /// Parses and validates a routing file.
    pub fn parse(text: &str) -> Result<Routing, RoutingError> {
        let file: FileRow = toml::from_str(text).map_err(|e| {
            let (line, column) = e.span().map(|s| position(text, s.start)).unwrap_or((0, 0));
            RoutingError {
                line,
                column,
                message: e.message().to_string(),
            }
        })?;
        let mut rules = BTreeMap::new();
        for (code, row) in file.category {
            let Some(cat) = catalog::category(code.get_ref()) else {
                return Err(err_at(
                    text,
                    code.span(),
                    format!("unknown category `{}`", code.get_ref()),
                ));
            };
            let agencies = check_agencies(text, &row.agencies)?;
            let priority = match &row.priority {
                None => cat.priority,
                Some(p) => p
                    .get_ref()
                    .parse::<Priority>()
                    .map_err(|_| err_at(text, p.span(), format!("bad priority `{}` (P1–P4)", p.get_ref())))?,
            };
            let deadline_days = match &row.deadline_days {
                None => cat.deadline_days,
                Some(d) => u32::try_from(*d.get_ref())
                    .ok()
                    .filter(|d| (1..=MAX_DEADLINE_DAYS).contains(d))
                    .ok_or_else(|| {
                        err_at(
                            text,
                            d.span(),
                            format!(
                                "deadline_days {} is outside 1–{MAX_DEADLINE_DAYS} working days",
                                d.get_ref()
                            ),
                        )
                    })?,
            };
            let mut wards = BTreeMap::new();
            for (w, list) in &row.wards {
                let Some(ward) = catalog::resolve_ward(w.get_ref()) else {
                    return Err(err_at(text, w.span(), format!("unknown ward `{}`", w.get_ref())));
                };
                wards.insert(ward.code.clone(), check_agencies(text, list)?);
            }
            rules.insert(
                cat.code.to_string(),
                Rule {
                    agencies,
                    priority,
                    deadline_days,
                    wards,
                },
            );
        }
        Ok(Routing { rules })
    }

    /// The embedded rules (`assets/routing.toml`).
    pub fn builtin() -> &'static Routing {
        static R: OnceLock<Routing> = OnceLock::new();
        R.get_or_init(|| Routing::parse(BUILTIN).unwrap_or_default())
    }

    /// The rule of a category, if the file has one.
    pub fn rule(&self, category: &str) -> Option<&Rule> {
        self.rules.get(category)
    }

    /// The units a report of `category` in `ward` (a canonical code) goes to; `ward` entries
    /// become `ward-<code>`, or `ioc` when the ward is unknown. Categories without a rule use the
    /// catalog's defaults.
    pub fn agencies(&self, category: &str, ward: Option<&str>) -> Vec<String> {
        let list: Vec<String> = match self.rules.get(category) {
            Some(rule) => ward.and_then(|w| rule.wards.get(w)).unwrap_or(&rule.agencies).clone(),
            None => match catalog::category(category) {
                Some(c) => c.agencies.iter().map(|a| a.to_string()).collect(),
                None => return Vec::new(),
            },
        };
        let mut out: Vec<String> = Vec::new();
        for a in list {
            let a = if a == "ward" {
                ward.map(|w| format!("ward-{w}")).unwrap_or_else(|| "ioc".into())
            } else {
                a
            };
            if !out.contains(&a) {
                out.push(a);
            }
        }
        out
    }

    /// The default priority of a category.
    pub fn priority(&self, category: &str) -> Option<Priority> {
        self.rules
            .get(category)
            .map(|r| r.priority)
            .or_else(|| catalog::category(category).map(|c| c.priority))
    }

    /// The working days allowed for a category.
    pub fn deadline_days(&self, category: &str) -> Option<u32> {
        self.rules
            .get(category)
            .map(|r| r.deadline_days)
            .or_else(|| catalog::category(category).map(|c| c.deadline_days))
    }

    /// Category → working days, for every category with a rule.
    pub fn deadline_map(&self) -> BTreeMap<String, u32> {
        self.rules.iter().map(|(c, r)| (c.clone(), r.deadline_days)).collect()
    }
}

static INSTALLED: OnceLock<Routing> = OnceLock::new();

/// Makes `r` the rules of this process (once; later calls are ignored and return `false`).
pub fn install(r: Routing) -> bool {
    INSTALLED.set(r).is_ok()
}

/// The rules in force: the installed ones, else the embedded ones.
pub fn active() -> &'static Routing {
    INSTALLED.get().unwrap_or_else(|| Routing::builtin())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_file_is_valid_and_matches_the_catalog() {
        let r = Routing::parse(BUILTIN).expect("embedded routing.toml is valid");
        for c in catalog::CATEGORIES {
            assert!(r.rule(c.code).is_some(), "{}", c.code);
        }
        assert_eq!(r.agencies("waste", Some("an-cuu")), ["hepco"]);
        assert_eq!(r.agencies("urban_order", Some("an-cuu")), ["ward-an-cuu"]);
        assert_eq!(r.agencies("urban_order", None), ["ioc"]);
        assert_eq!(
            r.agencies("street_lighting", Some("phu-xuan")),
            ["heritage", "ward-phu-xuan"]
        );
        assert_eq!(r.priority("drainage"), Some(Priority::P2));
        assert_eq!(r.deadline_days("roads"), Some(7));
        assert!(r.agencies("nonsense", None).is_empty());
    }

    #[test]
    fn old_ward_names_resolve_and_deadlines_apply() {
        let text = "[category.roads]\nagencies = [\"construction\"]\ndeadline_days = 3\n\
                    [category.roads.wards]\n\"Tây Lộc\" = [\"roads-office\", \"ward\"]\n";
        let r = Routing::parse(text).expect("valid");
        assert_eq!(r.agencies("roads", Some("phu-xuan")), ["roads-office", "ward-phu-xuan"]);
        assert_eq!(r.agencies("roads", Some("an-cuu")), ["construction"]);
        assert_eq!(r.deadline_days("roads"), Some(3));
        assert_eq!(r.deadline_map().get("roads"), Some(&3));
        // A category without a rule keeps the catalog's defaults.
        assert_eq!(r.agencies("waste", None), ["hepco"]);
    }

    fn error(text: &str) -> RoutingError {
        Routing::parse(text).expect_err("should be rejected")
    }

    #[test]
    fn errors_name_the_line() {
        let e = error("[category.waste]\nagencies = [\"hepco\"]\n\n[category.wasted]\nagencies = []\n");
        assert_eq!((e.line, e.message.as_str()), (4, "unknown category `wasted`"), "{e}");
        let e = error("[category.waste]\nagencies = [\"hepco\", \"nobody\"]\n");
        assert_eq!(e.line, 2, "{e}");
        assert!(e.message.contains("unknown agency `nobody`"), "{e}");
        assert!(e.to_string().starts_with("line 2, column "), "{e}");
        let e = error("[category.waste]\nagencies = []\npriority = \"P9\"\n");
        assert_eq!(e.line, 3, "{e}");
        let e = error("[category.waste]\nagencies = []\ndeadline_days = 0\n");
        assert_eq!(e.line, 3, "{e}");
        assert!(e.message.contains("deadline_days 0"), "{e}");
        let e = error("[category.waste]\nagencies = []\n[category.waste.wards]\n\"Atlantis\" = [\"ward\"]\n");
        assert_eq!(e.line, 4, "{e}");
        assert!(e.message.contains("unknown ward"), "{e}");
        let e = error("[category.waste]\nagencies = []\ncolour = \"red\"\n");
        assert_eq!(e.line, 3, "{e}");
        let e = error("[category.waste\n");
        assert_eq!(e.line, 1, "{e}");
    }
}
