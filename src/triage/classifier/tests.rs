//! Tests of the classifier: tokens, features, determinism, arithmetic, the binary format and
//! the built-in model.

use super::*;

fn ex(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(t, c)| (t.to_string(), c.to_string())).collect()
}

fn tiny() -> Vec<(String, String)> {
    let mut v = Vec::new();
    for i in 0..12 {
        v.push((format!("rác tồn đọng bốc mùi số {i}"), "waste".to_string()));
        v.push((
            format!("đèn đường không sáng tối om số {i}"),
            "street_lighting".to_string(),
        ));
        v.push((format!("cống tắc ngập nước số {i}"), "drainage".to_string()));
    }
    v
}

#[test]
fn tokenizes_folded_and_diacritic_free_alike() {
    assert_eq!(
        tokenize("Đường Lê Lợi ngập, ổ gà!"),
        vec!["duong", "le", "loi", "ngap", "o", "ga"]
    );
    assert_eq!(
        tokenize("Cột đèn KHÔNG sáng, tối om"),
        tokenize("cot den khong sang toi om")
    );
    assert_eq!(tokenize("LH 0905123456 nhé"), vec!["lh", "#phone", "nhe"]);
    assert!(tokenize("  ...  ").is_empty());
}

#[test]
fn features_are_unigrams_and_bigrams() {
    let f = feature_strings(&tokenize("ổ gà lớn"));
    assert_eq!(f, vec!["o", "ga", "lon", "o ga", "ga lon"]);
}

#[test]
fn training_is_deterministic_and_order_free() {
    let data = tiny();
    let a = Classifier::train(&data);
    let b = Classifier::train(&data);
    assert_eq!(a.to_bytes(), b.to_bytes());
    let mut rev = data.clone();
    rev.reverse();
    assert_eq!(Classifier::train(&rev).to_bytes(), a.to_bytes());
}

#[test]
fn tiny_corpus_arithmetic() {
    let c = Classifier::train(&tiny());
    assert_eq!(c.categories(), ["drainage", "street_lighting", "waste"]);
    for text in ["rác bốc mùi", "đèn không sáng", "cống ngập", "chưa gặp bao giờ"] {
        let p = c.probabilities(text);
        assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-9, "{p:?}");
        assert!(p.iter().all(|&x| (0.0..=1.0).contains(&x)));
    }
    let s = c.suggest("Rác tồn đọng bốc mùi quá");
    assert_eq!(s.category, "waste");
    assert!(s.confidence > 0.5, "{s:?}");
    let p = c.probabilities("Rác tồn đọng bốc mùi quá");
    assert_eq!(s.confidence, p.iter().cloned().fold(0.0, f64::max));
    assert!(!s.explanation.is_empty() && s.explanation.len() <= 5);
    assert!(s.explanation[0].1 > 0.0);
    assert!(s.explanation.windows(2).all(|w| w[0].1 >= w[1].1));
    let feats: Vec<&str> = s.explanation.iter().map(|(f, _)| f.as_str()).collect();
    assert!(
        feats.iter().any(|f| f.contains("rac") || f.contains("mui")),
        "{feats:?}"
    );
    assert_eq!(c.suggest("den duong khong sang").category, "street_lighting");
    assert_eq!(c.suggest("Cống tắc, ngập nước").category, "drainage");
    // A text with no known feature falls back to the priors: near-uniform confidence.
    let u = c.suggest("xyz qwv");
    assert!(u.explanation.is_empty());
    assert!(u.confidence < 0.6, "{u:?}");
}

#[test]
fn bytes_round_trip() {
    let c = Classifier::train(&tiny());
    let b = c.to_bytes();
    let d = Classifier::from_bytes(&b).expect("round trip");
    assert_eq!(d.to_bytes(), b);
    for t in ["rác bốc mùi", "đèn tối om", "ngập"] {
        assert_eq!(c.suggest(t), d.suggest(t));
    }
    assert!(Classifier::from_bytes(&b[..b.len() - 3]).is_err());
    assert!(Classifier::from_bytes(b"nonsense").is_err());
    let mut extra = b.clone();
    extra.push(0);
    assert!(Classifier::from_bytes(&extra).is_err());
}

#[test]
fn empty_training_set_gives_a_harmless_model() {
    let c = Classifier::train(&[]);
    let s = c.suggest("gì cũng được");
    assert_eq!(s.category, "invalid");
    assert_eq!(s.confidence, 0.0);
    assert!(Classifier::from_bytes(&c.to_bytes()).is_ok());
}

#[test]
fn builtin_corpus_is_labelled_and_large() {
    let corpus = builtin_corpus();
    assert!(corpus.len() >= 1800);
    for cat in crate::triage::CATEGORIES {
        let n = corpus.iter().filter(|(_, c)| c == cat).count();
        assert!(n >= if cat == "invalid" { 250 } else { 100 }, "{cat}: {n}");
    }
    assert!(
        corpus
            .iter()
            .all(|(_, c)| crate::triage::CATEGORIES.contains(&c.as_str()))
    );
}

#[test]
fn builtin_model_suggests_sensibly() {
    let c = Classifier::builtin();
    let cases = [
        ("Rác tồn đọng nhiều ngày ở đầu kiệt, bốc mùi", "waste"),
        ("Mưa một giờ mà khu tập thể đã ngập", "drainage"),
        ("Cột đèn không sáng, tối om", "street_lighting"),
        ("Quán cà phê lấn chiếm vỉa hè", "urban_order"),
        ("Karaoke hát quá 22 giờ", "public_security"),
        ("Nuoc yeu vao gio cao diem", "water_supply"),
    ];
    for (text, cat) in cases {
        let s = c.suggest(text);
        assert_eq!(s.category, cat, "{text}: {s:?}");
    }
    let t = c.temperature();
    assert!(t.is_finite() && t > 0.0);
}

#[test]
fn options_without_bigrams_have_only_unigrams() {
    let opts = TrainOptions {
        bigrams: false,
        ..TrainOptions::default()
    };
    let c = Classifier::train_with(&ex(&[("rác bốc mùi", "waste"), ("đèn tắt", "street_lighting")]), &opts);
    assert!(c.features.iter().all(|f| !f.contains(' ')));
}

#[test]
fn folds_partition_the_examples_stably() {
    let data = tiny();
    let f = folds(&data, 5);
    assert_eq!(f.len(), 5);
    let mut held: Vec<(String, String)> = Vec::new();
    for (train, test) in &f {
        assert_eq!(train.len() + test.len(), data.len());
        assert!(test.iter().all(|e| !train.contains(e)));
        held.extend(test.iter().cloned());
    }
    // Every example is held out exactly once, whatever the input order.
    held.sort();
    let mut all = data.clone();
    all.sort();
    assert_eq!(held, all);
    let mut rev = data.clone();
    rev.reverse();
    let g = folds(&rev, 5);
    for ((_, a), (_, b)) in f.iter().zip(&g) {
        let (mut a, mut b) = (a.clone(), b.clone());
        a.sort();
        b.sort();
        assert_eq!(a, b);
    }
    assert_eq!(folds(&data, 0).len(), 1);
}

#[test]
fn default_options_use_dropout_and_stay_deterministic() {
    let opts = TrainOptions::default();
    assert!(opts.dropout > 0.0 && opts.bigrams && !opts.char_grams);
    let a = Classifier::train_with(&tiny(), &opts);
    assert_eq!(a.to_bytes(), Classifier::train_with(&tiny(), &opts).to_bytes());
    assert_eq!(a.suggest("rác bốc mùi").category, "waste");
}

#[test]
fn the_fast_path_sees_the_same_features_and_answers_alike() {
    let model = Classifier::builtin();
    let mut texts: Vec<String> = builtin_corpus().into_iter().map(|(t, _)| t).take(500).collect();
    texts.push("Gọi 0905123456 gấp!! ĐƯỜNG   ngập,,, nuoc tran vao nha".into());
    texts.push(String::new());
    for t in &texts {
        assert_eq!(model.vectorize_text(t).ids, model.vectorize(&tokenize(t)).ids, "{t}");
        let s = model.suggest(t);
        assert_eq!(model.classify(t), (s.category.clone(), s.confidence), "{t}");
        assert_eq!(model.classify_folded(t, &fold(t)), (s.category, s.confidence), "{t}");
    }
}
