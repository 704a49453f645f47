//! Report triage: a transparent classifier that suggests a report's category (lĩnh vực) with a
//! calibrated confidence and the n-grams that drove the choice, and its evaluation.
//!
//! Pure: no I/O. The built-in model is trained at first use from the labelled corpus embedded
//! from `assets/triage/corpus.ndjson` (synthetic reports written by `assets/triage/gen/`).

pub mod address;
pub mod classifier;
pub mod eval;

pub use address::ward_from_text;
pub use classifier::{Classifier, Suggestion, tokenize};
pub use eval::{CategoryStats, Evaluation, ThresholdStats, evaluate};

/// The category codes, in the order the desk lists them; `invalid` means not actionable.
pub use crate::domain::catalog::CATEGORY_CODES as CATEGORIES;
