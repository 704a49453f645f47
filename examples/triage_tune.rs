//! Compares training hyper-parameters of the report classifier by five-fold cross-validation on
//! the corpus (the figure the defaults are chosen by), on the corpus's own held-out fifth and,
//! given a file, on that NDJSON file of labelled reports (measurement only, never for choosing).
//!
//! `cargo run --release --example triage_tune -- [data.ndjson]`

use iocdesk::triage::classifier::{TrainOptions, builtin_corpus, folds, holdout_split, parse_corpus};
use iocdesk::triage::{Classifier, Evaluation, evaluate};

fn items(rows: Vec<(String, String)>) -> Vec<(String, String, String)> {
    rows.into_iter()
        .enumerate()
        .map(|(i, (t, c))| (format!("{i}"), t, c))
        .collect()
}

fn line(e: &Evaluation) -> String {
    let t = &e.at_confidence["0.9"];
    format!(
        "acc {:.3} @0.9 cov {:.3} prec {:.3}",
        e.accuracy, t.coverage, t.precision
    )
}

fn main() {
    let other = std::env::args()
        .nth(1)
        .map(|p| items(parse_corpus(&std::fs::read_to_string(p).expect("readable file"))));
    let all = builtin_corpus();
    let (train, held) = holdout_split(&all);
    let held = items(held);
    let splits = folds(&all, 5);
    // (epochs, λ, dropout)
    let grid: [(usize, f64, f64); 6] = [
        (6, 2e-5, 0.0),
        (10, 1e-5, 0.3),
        (12, 1e-5, 0.3),
        (15, 1e-5, 0.4),
        (15, 1e-5, 0.5),
        (6, 1e-4, 0.0),
    ];
    for (epochs, lambda, dropout) in grid {
        let opts = TrainOptions {
            epochs,
            lambda,
            dropout,
            ..TrainOptions::default()
        };
        let cv: f64 = splits
            .iter()
            .map(|(tr, te)| evaluate(&Classifier::train_with(tr, &opts), &items(te.clone())).accuracy)
            .sum::<f64>()
            / splits.len() as f64;
        let part = Classifier::train_with(&train, &opts);
        let mut s = format!(
            "ep {epochs:2} λ {lambda:.0e} do {dropout:.1} | cv5 acc {cv:.4} | held {}",
            line(&evaluate(&part, &held))
        );
        if let Some(o) = &other {
            let full = Classifier::train_with(&all, &opts);
            s += &format!(" | other {} T {:.2}", line(&evaluate(&full, o)), full.temperature());
        }
        println!("{s}");
    }
}
