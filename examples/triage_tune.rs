//! Compares training hyper-parameters of the report classifier on the corpus's own held-out
//! fifth and, given a file, on that NDJSON file of labelled reports.
//!
//! `cargo run --example triage_tune -- [data.ndjson]`

use iocdesk::triage::classifier::{TrainOptions, builtin_corpus, holdout_split, parse_corpus};
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
    let (train, held) = holdout_split(&builtin_corpus());
    let held = items(held);
    let all = builtin_corpus();
    let grid: Vec<(usize, f64, bool, f64, f64, bool)> = vec![
        (6, 2e-5, true, 0.0, 2.0, false),
        (8, 5e-6, true, 0.0, 2.0, false),
        (10, 2e-5, true, 0.1, 2.0, false),
        (6, 1e-4, true, 0.0, 2.0, false),
    ];
    {
        for (epochs, lambda, bigrams, dropout, eta0, char_grams) in grid {
            {
                let opts = TrainOptions {
                    epochs,
                    lambda,
                    bigrams,
                    dropout,
                    eta0,
                    char_grams,
                };
                let part = Classifier::train_with(&train, &opts);
                let mut s = format!(
                    "ep {epochs:2} η {eta0:.1} λ {lambda:.0e} bi {bigrams:5} do {dropout:.1} cg {char_grams:5} | held {}",
                    line(&evaluate(&part, &held))
                );
                if let Some(o) = &other {
                    let full = Classifier::train_with(&all, &opts);
                    s += &format!(" | other {} T {:.2}", line(&evaluate(&full, o)), full.temperature());
                }
                println!("{s}");
            }
        }
    }
}
