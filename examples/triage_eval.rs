//! Evaluates the built-in report classifier on an NDJSON file of labelled reports
//! (`{"id", "text", "ward", "lat", "lon", "category"}` per line) and prints the evaluation as
//! JSON. With `--holdout`, also evaluates a model trained on the embedded corpus minus its
//! held-out fifth, on that fifth.
//!
//! `cargo run --example triage_eval -- data.ndjson [--holdout]`

use std::time::Instant;

use iocdesk::triage::classifier::{builtin_corpus, holdout_split};
use iocdesk::triage::{Classifier, evaluate};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.iter().find(|a| !a.starts_with("--")) else {
        eprintln!("usage: triage_eval FILE.ndjson [--holdout]");
        std::process::exit(2);
    };
    let mut items = Vec::new();
    for (i, line) in std::fs::read_to_string(path)?.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value = serde_json::from_str(line)?;
        let field = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_string);
        let id = field("id").unwrap_or_else(|| format!("line-{}", i + 1));
        let (Some(text), Some(category)) = (field("text"), field("category")) else {
            return Err(format!("line {}: text and category are required", i + 1).into());
        };
        items.push((id, text, category));
    }
    let started = Instant::now();
    let model = Classifier::builtin();
    eprintln!(
        "built-in model trained in {:.2?} (temperature {:.3})",
        started.elapsed(),
        model.temperature()
    );
    println!("{}", serde_json::to_string_pretty(&evaluate(model, &items))?);
    if args.iter().any(|a| a == "--holdout") {
        let (train, held) = holdout_split(&builtin_corpus());
        let partial = Classifier::train(&train);
        let held: Vec<(String, String, String)> = held
            .into_iter()
            .enumerate()
            .map(|(i, (t, c))| (format!("held-{i}"), t, c))
            .collect();
        let e = evaluate(&partial, &held);
        eprintln!("own held-out split:");
        println!("{}", serde_json::to_string_pretty(&e)?);
    }
    Ok(())
}
