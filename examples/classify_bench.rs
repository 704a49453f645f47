//! Times 100,000 suggestions of the built-in report classifier on one core (with the explanation,
//! as the desk shows it, and without, as the store records every new report) and prints the rates.
//!
//! `cargo run --release --example classify_bench`

use std::hint::black_box;
use std::time::Instant;

use iocdesk::triage::Classifier;
use iocdesk::triage::classifier::builtin_corpus;

fn main() {
    let started = Instant::now();
    let model = Classifier::builtin();
    println!("training: {:.2?}", started.elapsed());
    let texts: Vec<String> = builtin_corpus().into_iter().map(|(t, _)| t).collect();
    const N: usize = 100_000;
    let started = Instant::now();
    let mut confident = 0usize;
    for i in 0..N {
        let s = model.suggest(black_box(&texts[i % texts.len()]));
        if s.confidence >= 0.9 {
            confident += 1;
        }
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "{N} suggestions in {secs:.3} s: {:.0} reports/s ({confident} at confidence ≥ 0.9)",
        N as f64 / secs
    );
    let started = Instant::now();
    let mut same = 0usize;
    for i in 0..N {
        let (_, confidence) = model.classify(black_box(&texts[i % texts.len()]));
        same += usize::from(confidence >= 0.9);
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "{N} classifications in {secs:.3} s: {:.0} reports/s ({same} at confidence ≥ 0.9)",
        N as f64 / secs
    );
}
