//! Evaluation of a classifier on labelled reports: accuracy, per-category precision and recall,
//! the confusion matrix, and how precise the confident suggestions are.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::classifier::Classifier;

/// The confidence thresholds reported in [`Evaluation::at_confidence`].
pub const THRESHOLDS: [(&str, f64); 5] = [("0.5", 0.5), ("0.7", 0.7), ("0.8", 0.8), ("0.9", 0.9), ("0.95", 0.95)];

/// Precision and recall of one category.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CategoryStats {
    /// Share of the items predicted as this category that truly are (0 when none is predicted).
    pub precision: f64,
    /// Share of the items of this category that were predicted as it (0 when there are none).
    pub recall: f64,
    /// Number of items whose true category is this one.
    pub support: usize,
}

/// What happens when only suggestions at or above a confidence threshold are trusted.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ThresholdStats {
    /// Share of the items whose confidence is at least the threshold.
    pub coverage: f64,
    /// Accuracy among those items (0 when no item reaches the threshold).
    pub precision: f64,
}

/// The result of [`evaluate`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    /// Number of items.
    pub n: usize,
    /// Share of items whose suggested category is the true one.
    pub accuracy: f64,
    /// Per category (every category that is true or predicted for some item).
    pub per_category: BTreeMap<String, CategoryStats>,
    /// True category → predicted category → count.
    pub confusion: BTreeMap<String, BTreeMap<String, usize>>,
    /// Threshold ("0.5", "0.7", "0.8", "0.9", "0.95") → coverage and precision.
    pub at_confidence: BTreeMap<String, ThresholdStats>,
}

/// Share `a / b`, 0 when `b` is 0.
fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// Evaluates a classifier on `(id, text, category)` items.
pub fn evaluate(c: &Classifier, items: &[(String, String, String)]) -> Evaluation {
    let predictions: Vec<(String, f64)> = items
        .iter()
        .map(|(_, text, _)| {
            let s = c.suggest(text);
            (s.category, s.confidence)
        })
        .collect();
    let n = items.len();
    let mut confusion: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    let mut correct = 0;
    for ((_, _, truth), (pred, _)) in items.iter().zip(&predictions) {
        *confusion
            .entry(truth.clone())
            .or_default()
            .entry(pred.clone())
            .or_default() += 1;
        if truth == pred {
            correct += 1;
        }
    }
    let cats: BTreeSet<&String> = items
        .iter()
        .map(|(_, _, t)| t)
        .chain(predictions.iter().map(|(p, _)| p))
        .collect();
    let per_category = cats
        .into_iter()
        .map(|cat| {
            let support = items.iter().filter(|(_, _, t)| t == cat).count();
            let predicted = predictions.iter().filter(|(p, _)| p == cat).count();
            let hits = items
                .iter()
                .zip(&predictions)
                .filter(|((_, _, t), (p, _))| t == cat && p == cat)
                .count();
            let stats = CategoryStats {
                precision: ratio(hits, predicted),
                recall: ratio(hits, support),
                support,
            };
            (cat.clone(), stats)
        })
        .collect();
    let at_confidence = THRESHOLDS
        .iter()
        .map(|(name, t)| {
            let covered: Vec<bool> = items
                .iter()
                .zip(&predictions)
                .filter(|(_, (_, conf))| conf >= t)
                .map(|((_, _, truth), (pred, _))| truth == pred)
                .collect();
            let right = covered.iter().filter(|&&ok| ok).count();
            let stats = ThresholdStats {
                coverage: ratio(covered.len(), n),
                precision: ratio(right, covered.len()),
            };
            (name.to_string(), stats)
        })
        .collect();
    Evaluation {
        n,
        accuracy: ratio(correct, n),
        per_category,
        confusion,
        at_confidence,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(rows: &[(&str, &str)]) -> Vec<(String, String, String)> {
        rows.iter()
            .enumerate()
            .map(|(i, (t, c))| (format!("t{i}"), t.to_string(), c.to_string()))
            .collect()
    }

    #[test]
    fn hand_computed_four_items() {
        let mut train = Vec::new();
        for i in 0..10 {
            train.push((format!("rác bốc mùi {i}"), "waste".to_string()));
            train.push((format!("đèn tắt tối om {i}"), "street_lighting".to_string()));
        }
        let c = Classifier::train(&train);
        // Two waste texts (both predicted waste), one lighting text (predicted lighting), and one
        // lighting-worded text labelled waste (predicted lighting: a miss).
        let set = items(&[
            ("rác bốc mùi", "waste"),
            ("rác rác bốc mùi", "waste"),
            ("đèn tắt tối om", "street_lighting"),
            ("đèn tắt", "waste"),
        ]);
        let preds: Vec<_> = set.iter().map(|(_, t, _)| c.suggest(t)).collect();
        assert_eq!(
            preds.iter().map(|s| s.category.as_str()).collect::<Vec<_>>(),
            ["waste", "waste", "street_lighting", "street_lighting"]
        );
        let e = evaluate(&c, &set);
        assert_eq!(e.n, 4);
        assert_eq!(e.accuracy, 0.75);
        let w = &e.per_category["waste"];
        assert_eq!((w.precision, w.recall, w.support), (1.0, 2.0 / 3.0, 3));
        let l = &e.per_category["street_lighting"];
        assert_eq!((l.precision, l.recall, l.support), (0.5, 1.0, 1));
        assert_eq!(e.confusion["waste"]["waste"], 2);
        assert_eq!(e.confusion["waste"]["street_lighting"], 1);
        assert_eq!(e.confusion["street_lighting"]["street_lighting"], 1);
        assert_eq!(e.at_confidence.len(), 5);
        // Threshold figures, recomputed by hand from the four confidences.
        for (name, t) in THRESHOLDS {
            let covered: Vec<usize> = (0..4).filter(|&i| preds[i].confidence >= t).collect();
            let right = covered.iter().filter(|&&i| i != 3).count();
            let s = &e.at_confidence[name];
            assert_eq!(s.coverage, covered.len() as f64 / 4.0);
            let p = if covered.is_empty() {
                0.0
            } else {
                right as f64 / covered.len() as f64
            };
            assert_eq!(s.precision, p);
        }
        let json = serde_json::to_value(&e).expect("serialises");
        for key in ["n", "accuracy", "per_category", "confusion", "at_confidence"] {
            assert!(json.get(key).is_some(), "{key}");
        }
        assert!(json["at_confidence"]["0.9"].get("coverage").is_some());
        assert!(json["per_category"]["waste"].get("support").is_some());
    }

    #[test]
    fn empty_set() {
        let c = Classifier::train(&[("rác".to_string(), "waste".to_string())]);
        let e = evaluate(&c, &[]);
        assert_eq!((e.n, e.accuracy), (0, 0.0));
        assert!(e.per_category.is_empty());
        assert_eq!(e.at_confidence["0.5"].coverage, 0.0);
    }
}
