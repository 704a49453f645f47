//! The report classifier: multinomial logistic regression over folded syllable unigrams and
//! bigrams, trained by deterministic SGD, with a temperature fitted on a held-out split so the
//! confidence it reports is calibrated.
//!
//! Features: the text is folded ([`fold`]: no diacritics, `đ`→`d`, lowercase), split on every
//! character that is not alphanumeric, and each syllable and each pair of adjacent syllables is a
//! feature (`o ga` for "ổ gà"); runs of six or more digits (phone numbers) become `#phone`. A
//! report's feature vector is binary and L2-normalised, so long reports are not more confident
//! merely for being long.
//!
//! Training is deterministic: the vocabulary is sorted, the held-out split is chosen by a hash of
//! each text, and the SGD order comes from a fixed-seed SplitMix64. The same examples give the
//! same model, byte for byte ([`Classifier::to_bytes`]).

use rustc_hash::FxHashMap;
use std::collections::{BTreeSet, HashMap};
use std::sync::OnceLock;

use crate::domain::text::fold;

mod io;

/// Labelled examples: `(text, category)` pairs.
pub type Examples = Vec<(String, String)>;

/// A category suggestion for one report.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    /// The suggested category code (see [`super::CATEGORIES`]).
    pub category: String,
    /// The calibrated probability that the suggestion is right, in `[0, 1]`.
    pub confidence: f64,
    /// Up to five features (folded n-grams) of the report with the largest weight toward the
    /// chosen category, largest first; a weight is the feature's contribution to the chosen
    /// category's logit relative to the average category (after temperature scaling).
    pub explanation: Vec<(String, f64)>,
}

/// A trained classifier. Cheap to share: `Clone + Send + Sync`, read-only after training.
#[derive(Debug, Clone)]
pub struct Classifier {
    /// Category codes, sorted.
    categories: Vec<String>,
    /// Feature strings, sorted; unigrams have no space, bigrams one.
    features: Vec<String>,
    /// `features.len() × categories.len()` weights, row-major by feature.
    weights: Vec<f64>,
    /// One bias per category.
    bias: Vec<f64>,
    /// Softmax temperature fitted on the held-out split.
    temperature: f64,
    /// Unigram string → feature id.
    unigrams: FxHashMap<String, u32>,
    /// The same for unigrams of up to 7 bytes (nearly all folded syllables), keyed by
    /// [`short_key`]: a lookup reads no string elsewhere in memory, and an entry is half the size
    /// of one keyed by 16 bytes (the maps are looked up at random, twice per syllable).
    short: FxHashMap<u64, u32>,
    /// (unigram id, unigram id), as [`pair_key`] → bigram feature id.
    bigrams: FxHashMap<u64, u32>,
    /// Whether the model has character-trigram features (`~` + three characters).
    char_grams: bool,
}

/// Hyper-parameters of training; [`TrainOptions::default`] is what [`Classifier::train`] uses.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainOptions {
    /// Passes of SGD over the examples.
    pub epochs: usize,
    /// Initial learning rate.
    pub eta0: f64,
    /// L2 regularisation strength.
    pub lambda: f64,
    /// Whether adjacent-syllable bigrams are features (unigrams always are).
    pub bigrams: bool,
    /// Share of a report's features dropped at random at each SGD step (0 = none): spreads the
    /// weight over more features, so reports worded differently are still recognised.
    pub dropout: f64,
    /// Whether character trigrams of each syllable (with `<`/`>` at its edges, written `~ngu`)
    /// are features too: they let a misspelt or abbreviated syllable share weight with its
    /// correct form.
    pub char_grams: bool,
}

impl Default for TrainOptions {
    fn default() -> Self {
        // Chosen by five-fold cross-validation on the corpus ([`folds`], `examples/triage_tune.rs`):
        // feature dropout with more passes and lighter decay recognises more reports worded
        // unlike the corpus; character trigrams did worse there and stay off.
        TrainOptions {
            epochs: 15,
            eta0: 2.0,
            lambda: 1e-5,
            bigrams: true,
            dropout: 0.4,
            char_grams: false,
        }
    }
}

const HOLDOUT_PERCENT: u64 = 20;
/// Share (percent) of the vocabulary, chosen by a hash of each feature, treated as unknown in the
/// held-out fifth when the temperature is fitted. The held-out texts come from the same templates
/// as the training texts, so without this the fitted temperature is that of text worded exactly
/// like the corpus, and over-confident on reports written by someone else.
const UNSEEN_PERCENT: u64 = 35;
const SEED: u64 = 0x0001_CDE5_C0DE;

/// The embedded training corpus (NDJSON, `{"text", "category"}` per line).
const CORPUS: &str = include_str!("../../assets/triage/corpus.ndjson");

/// Splits text into folded syllables: [`fold`], then split on every non-alphanumeric character;
/// runs of six or more digits become `#phone`.
///
/// `Đường ngập` and `duong ngap` give the same tokens.
pub fn tokenize(text: &str) -> Vec<String> {
    crate::domain::text::words(&fold(text))
        .map(|t| {
            if t.len() >= 6 && t.bytes().all(|b| b.is_ascii_digit()) {
                "#phone".to_string()
            } else {
                t.to_string()
            }
        })
        .collect()
}

/// Feature strings of a token list: every unigram and every adjacent bigram.
fn feature_strings(tokens: &[String]) -> Vec<String> {
    let mut out: Vec<String> = tokens.to_vec();
    for w in tokens.windows(2) {
        out.push(format!("{} {}", w[0], w[1]));
    }
    out
}

/// Calls `f` with every character trigram of a syllable framed by `<` and `>`, written with a
/// leading `~` (`ngap` → `~<ng`, `~nga`, `~gap`, `~ap>`); syllables shorter than two characters
/// and `#phone` give none.
fn char_grams(token: &str, buf: &mut String, mut f: impl FnMut(&str)) {
    if token.len() < 2 || token.starts_with('#') {
        return;
    }
    let chars: Vec<char> = std::iter::once('<')
        .chain(token.chars())
        .chain(std::iter::once('>'))
        .collect();
    for w in chars.windows(3) {
        buf.clear();
        buf.push('~');
        buf.extend(w.iter());
        f(buf);
    }
}

/// SplitMix64, for the deterministic SGD order.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = ((u128::from(self.next()) * (i as u128 + 1)) >> 64) as usize;
            v.swap(i, j);
        }
    }
}

/// FNV-1a, a stable hash for the held-out split.
fn fnv1a(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// A sparse, L2-normalised binary feature vector: sorted unique ids and the shared value.
#[derive(Debug, Clone)]
struct Sparse {
    ids: Vec<u32>,
    value: f64,
}

/// A string of up to 7 bytes as one number: its bytes, then its length in the last byte (two
/// different strings never share a key).
fn short_key(t: &str) -> Option<u64> {
    let b = t.as_bytes();
    (b.len() < 8).then(|| {
        let mut k = [0u8; 8];
        k[..b.len()].copy_from_slice(b);
        k[7] = b.len() as u8;
        u64::from_le_bytes(k)
    })
}

/// A bigram's key in [`Classifier::bigrams`]: its two unigram ids as one number (hashed once).
fn pair_key(a: u32, b: u32) -> u64 {
    (u64::from(a) << 32) | u64::from(b)
}

impl Sparse {
    fn new(mut ids: Vec<u32>) -> Sparse {
        ids.sort_unstable();
        ids.dedup();
        let value = if ids.is_empty() {
            0.0
        } else {
            1.0 / (ids.len() as f64).sqrt()
        };
        Sparse { ids, value }
    }
}

/// Numerically stable softmax in place.
fn softmax(z: &mut [f64]) {
    let m = z.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let mut sum = 0.0;
    for v in z.iter_mut() {
        *v = (*v - m).exp();
        sum += *v;
    }
    for v in z.iter_mut() {
        *v /= sum;
    }
}

impl Classifier {
    /// Trains a classifier on `(text, category)` examples.
    ///
    /// A fifth of the examples (chosen by a hash of the text) is held out to fit the softmax
    /// temperature; the final weights are then trained on all examples. Deterministic: the same
    /// examples, in any order, give the same model.
    pub fn train(examples: &[(String, String)]) -> Classifier {
        Self::train_with(examples, &TrainOptions::default())
    }

    /// [`Classifier::train`] with other hyper-parameters.
    pub fn train_with(examples: &[(String, String)], opts: &TrainOptions) -> Classifier {
        let mut sorted: Vec<(String, String)> = examples.to_vec();
        sorted.sort();
        sorted.dedup();
        let (mut model, data) = Self::skeleton(&sorted, opts);
        // Fit the temperature with a model trained on the examples outside the held-out fifth,
        // on that fifth (features seen only in the held-out part are left out, as at use).
        let held_out: Vec<bool> = sorted.iter().map(|(t, _)| fnv1a(t) % 100 < HOLDOUT_PERCENT).collect();
        let train: Vec<(Sparse, usize)> = data
            .iter()
            .zip(&held_out)
            .filter(|(_, h)| !**h)
            .map(|(d, _)| d.clone())
            .collect();
        let fit = (train.len() < data.len() && !train.is_empty()).then(|| {
            let mut seen = vec![false; model.features.len()];
            for (x, _) in &train {
                for &f in &x.ids {
                    seen[f as usize] = true;
                }
            }
            let held: Vec<(Sparse, usize)> =
                data.iter()
                    .zip(&held_out)
                    .filter(|(_, h)| **h)
                    .map(|((x, y), _)| {
                        let ids = x.ids.iter().copied().filter(|&f| {
                            seen[f as usize] && fnv1a(&model.features[f as usize]) % 100 >= UNSEEN_PERCENT
                        });
                        (Sparse::new(ids.collect()), *y)
                    })
                    .collect();
            let mut part = model.clone();
            move || {
                part.sgd(&train, opts);
                part.fit_temperature(&held)
            }
        });
        // The two trainings are independent (each its own shuffle from the same seed), so they
        // run side by side: the model is the same, ready in about half the time.
        std::thread::scope(|s| {
            let fitted = fit.map(|f| s.spawn(f));
            model.sgd(&data, opts);
            if let Some(fitted) = fitted {
                model.temperature = fitted.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            }
        });
        model
    }

    /// An untrained model over the examples' categories and features, and the examples as
    /// vectors with their category index.
    fn skeleton(examples: &[(String, String)], opts: &TrainOptions) -> (Classifier, Vec<(Sparse, usize)>) {
        let categories: Vec<String> = examples
            .iter()
            .map(|(_, c)| c.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let cat_index: HashMap<String, usize> = categories.iter().enumerate().map(|(i, c)| (c.clone(), i)).collect();
        let token_lists: Vec<Vec<String>> = examples.iter().map(|(t, _)| tokenize(t)).collect();
        let mut features: Vec<String> = Vec::new();
        for tokens in &token_lists {
            if opts.bigrams {
                features.extend(feature_strings(tokens));
            } else {
                features.extend(tokens.iter().cloned());
            }
            if opts.char_grams {
                let mut buf = String::new();
                for t in tokens {
                    char_grams(t, &mut buf, |g| features.push(g.to_string()));
                }
            }
        }
        features.sort_unstable();
        features.dedup();
        let mut c = Classifier {
            weights: vec![0.0; features.len() * categories.len()],
            bias: vec![0.0; categories.len()],
            categories,
            features,
            temperature: 1.0,
            unigrams: FxHashMap::default(),
            short: FxHashMap::default(),
            bigrams: FxHashMap::default(),
            char_grams: false,
        };
        c.build_index();
        let data = token_lists
            .iter()
            .zip(examples)
            .map(|(tokens, (_, cat))| (c.vectorize(tokens), cat_index[cat.as_str()]))
            .collect();
        (c, data)
    }

    /// SGD on the softmax cross-entropy with L2 (Bottou's scaled-weights trick for sparse
    /// decay and the `η₀ / (1 + η₀ λ t)` schedule).
    fn sgd(&mut self, data: &[(Sparse, usize)], opts: &TrainOptions) {
        let k = self.categories.len();
        if k == 0 || data.is_empty() {
            return;
        }
        let mut order: Vec<usize> = (0..data.len()).collect();
        let mut rng = SplitMix(SEED);
        let mut scale = 1.0f64;
        let mut t = 0.0f64;
        let mut z = vec![0.0; k];
        let keep = ((1.0 - opts.dropout.clamp(0.0, 0.95)) * u64::MAX as f64) as u64;
        let mut kept = Sparse {
            ids: Vec::new(),
            value: 0.0,
        };
        for _ in 0..opts.epochs {
            rng.shuffle(&mut order);
            for &i in &order {
                let (full, y) = &data[i];
                let x = if opts.dropout > 0.0 {
                    kept.ids.clear();
                    kept.ids.extend(full.ids.iter().copied().filter(|_| rng.next() <= keep));
                    if kept.ids.is_empty() {
                        kept.ids.extend_from_slice(&full.ids);
                    }
                    kept.value = 1.0 / (kept.ids.len() as f64).sqrt();
                    &kept
                } else {
                    full
                };
                let eta = opts.eta0 / (1.0 + opts.eta0 * opts.lambda * t);
                t += 1.0;
                z.copy_from_slice(&self.bias);
                let sv = scale * x.value;
                for &f in &x.ids {
                    let row = &self.weights[f as usize * k..(f as usize + 1) * k];
                    for (zj, w) in z.iter_mut().zip(row) {
                        *zj += sv * w;
                    }
                }
                softmax(&mut z);
                z[*y] -= 1.0; // gradient of the loss w.r.t. the logits
                scale *= 1.0 - eta * opts.lambda;
                let step = eta * x.value / scale;
                for &f in &x.ids {
                    let row = &mut self.weights[f as usize * k..(f as usize + 1) * k];
                    for (w, g) in row.iter_mut().zip(&z) {
                        *w -= step * g;
                    }
                }
                for (b, g) in self.bias.iter_mut().zip(&z) {
                    *b -= eta * g;
                }
                if scale < 1e-6 {
                    self.weights.iter_mut().for_each(|w| *w *= scale);
                    scale = 1.0;
                }
            }
        }
        self.weights.iter_mut().for_each(|w| *w *= scale);
    }

    /// The temperature minimising the negative log-likelihood of the held-out examples
    /// (golden-section search on log T in [1/20, 20]).
    fn fit_temperature(&self, held: &[(Sparse, usize)]) -> f64 {
        let rows: Vec<(Vec<f64>, usize)> = held.iter().map(|(x, y)| (self.logits(x), *y)).collect();
        if rows.is_empty() {
            return 1.0;
        }
        let nll = |log_t: f64| {
            let temp = log_t.exp();
            let mut total = 0.0;
            let mut z = vec![0.0; self.categories.len()];
            for (l, y) in &rows {
                for (zi, li) in z.iter_mut().zip(l) {
                    *zi = li / temp;
                }
                softmax(&mut z);
                total -= z[*y].max(1e-300).ln();
            }
            total
        };
        let (mut a, mut b) = ((1.0f64 / 20.0).ln(), 20.0f64.ln());
        let g = (5.0f64.sqrt() - 1.0) / 2.0;
        let mut c = b - g * (b - a);
        let mut d = a + g * (b - a);
        let (mut fc, mut fd) = (nll(c), nll(d));
        for _ in 0..60 {
            if fc < fd {
                b = d;
                d = c;
                fd = fc;
                c = b - g * (b - a);
                fc = nll(c);
            } else {
                a = c;
                c = d;
                fc = fd;
                d = a + g * (b - a);
                fd = nll(d);
            }
        }
        ((a + b) / 2.0).exp()
    }

    /// Rebuilds the lookup tables from `features`.
    fn build_index(&mut self) {
        self.unigrams.clear();
        self.short.clear();
        self.bigrams.clear();
        self.char_grams = self.features.iter().any(|f| f.starts_with('~'));
        for (i, f) in self.features.iter().enumerate() {
            if !f.contains(' ') {
                self.unigrams.insert(f.clone(), i as u32);
                if let Some(k) = short_key(f) {
                    self.short.insert(k, i as u32);
                }
            }
        }
        for (i, f) in self.features.iter().enumerate() {
            if let Some((a, b)) = f.split_once(' ')
                && let (Some(&ia), Some(&ib)) = (self.unigrams.get(a), self.unigrams.get(b))
            {
                self.bigrams.insert(pair_key(ia, ib), i as u32);
            }
        }
    }

    /// A unigram's feature id.
    fn unigram(&self, t: &str) -> Option<u32> {
        match short_key(t) {
            Some(k) => self.short.get(&k).copied(),
            None => self.unigrams.get(t).copied(),
        }
    }

    /// The known features of a text, as [`Classifier::vectorize`] of its [`tokenize`]d form
    /// but without a string per token: the syllables are slices of the folded text.
    fn vectorize_text(&self, text: &str) -> Sparse {
        self.vectorize_folded(text, None)
    }

    /// [`Classifier::vectorize_text`] for a caller that has the text's [`fold`] already.
    fn vectorize_folded(&self, text: &str, folded: Option<&str>) -> Sparse {
        if self.char_grams {
            return self.vectorize(&tokenize(text));
        }
        let owned;
        let folded = match folded {
            Some(f) => f,
            None => {
                owned = fold(text);
                &owned
            }
        };
        // A syllable and a bigram at most per two bytes (a letter and a separator).
        let mut ids: Vec<u32> = Vec::with_capacity(folded.len() + 1);
        let mut prev: Option<u32> = None;
        for t in crate::domain::text::words(folded) {
            let t = if t.len() >= 6 && t.bytes().all(|b| b.is_ascii_digit()) {
                "#phone"
            } else {
                t
            };
            let id = self.unigram(t);
            if let Some(a) = id {
                ids.push(a);
            }
            if let (Some(a), Some(b)) = (prev, id)
                && let Some(&f) = self.bigrams.get(&pair_key(a, b))
            {
                ids.push(f);
            }
            prev = id;
        }
        Sparse::new(ids)
    }

    /// The known features of a token list as a normalised sparse vector.
    fn vectorize(&self, tokens: &[String]) -> Sparse {
        let uni: Vec<Option<u32>> = tokens.iter().map(|t| self.unigram(t)).collect();
        let mut ids: Vec<u32> = uni.iter().flatten().copied().collect();
        for w in uni.windows(2) {
            if let (Some(a), Some(b)) = (w[0], w[1])
                && let Some(&f) = self.bigrams.get(&pair_key(a, b))
            {
                ids.push(f);
            }
        }
        if self.char_grams {
            let mut buf = String::with_capacity(16);
            for t in tokens {
                char_grams(t, &mut buf, |g| {
                    if let Some(&f) = self.unigrams.get(g) {
                        ids.push(f);
                    }
                });
            }
        }
        Sparse::new(ids)
    }

    /// Raw logits (before temperature) of a vector.
    fn logits(&self, x: &Sparse) -> Vec<f64> {
        let mut z = vec![0.0; self.categories.len()];
        self.logits_into(x, &mut z);
        z
    }

    /// [`Classifier::logits`] into `z` (one per category).
    fn logits_into(&self, x: &Sparse, z: &mut [f64]) {
        let k = self.categories.len();
        z.copy_from_slice(&self.bias);
        for &f in &x.ids {
            let row = &self.weights[f as usize * k..(f as usize + 1) * k];
            for (zj, w) in z.iter_mut().zip(row) {
                *zj += w * x.value;
            }
        }
    }

    /// The calibrated probability of every category for a text, in [`Classifier::categories`]
    /// order.
    pub fn probabilities(&self, text: &str) -> Vec<f64> {
        let mut z = self.logits(&self.vectorize(&tokenize(text)));
        z.iter_mut().for_each(|v| *v /= self.temperature);
        softmax(&mut z);
        z
    }

    /// The category codes the model knows, sorted.
    pub fn categories(&self) -> &[String] {
        &self.categories
    }

    /// The softmax temperature fitted on the held-out split.
    pub fn temperature(&self) -> f64 {
        self.temperature
    }

    /// Suggests a category for a report, with its calibrated confidence and the five features
    /// that weighed most toward it.
    pub fn suggest(&self, text: &str) -> Suggestion {
        let Some((x, best, confidence)) = self.best(text) else {
            return Suggestion {
                category: "invalid".to_string(),
                confidence: 0.0,
                explanation: Vec::new(),
            };
        };
        let k = self.categories.len();
        let mut contrib: Vec<(u32, f64)> = x
            .ids
            .iter()
            .map(|&f| {
                let row = &self.weights[f as usize * k..(f as usize + 1) * k];
                let mean = row.iter().sum::<f64>() / k as f64;
                (f, (row[best] - mean) * x.value / self.temperature)
            })
            .collect();
        contrib.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        Suggestion {
            category: self.categories[best].clone(),
            confidence,
            explanation: contrib
                .into_iter()
                .take(5)
                .map(|(f, w)| (self.features[f as usize].clone(), w))
                .collect(),
        }
    }

    /// The suggested category and its calibrated confidence, without the explanation: what the
    /// store records for every new report. Same answer as [`Classifier::suggest`].
    pub fn classify(&self, text: &str) -> (String, f64) {
        self.classify_folded(text, &fold(text))
    }

    /// [`Classifier::classify`] for a caller that has `folded`, the text's [`fold`], already
    /// (the store keeps it for search): the text is not folded twice.
    pub fn classify_folded(&self, text: &str, folded: &str) -> (String, f64) {
        match self.best_of(self.vectorize_folded(text, Some(folded))) {
            Some((_, best, confidence)) => (self.categories[best].clone(), confidence),
            None => ("invalid".to_string(), 0.0),
        }
    }

    /// A text's feature vector, the index of its most likely category and that probability
    /// (`None` for a model without categories).
    fn best(&self, text: &str) -> Option<(Sparse, usize, f64)> {
        self.best_of(self.vectorize_text(text))
    }

    fn best_of(&self, x: Sparse) -> Option<(Sparse, usize, f64)> {
        if self.categories.is_empty() {
            return None;
        }
        // On the stack for the usual number of categories (this runs for every new report).
        let (mut stack, mut heap) = ([0.0; 16], Vec::new());
        let k = self.categories.len();
        let z: &mut [f64] = if k <= stack.len() {
            &mut stack[..k]
        } else {
            heap.resize(k, 0.0);
            &mut heap
        };
        self.logits_into(&x, z);
        z.iter_mut().for_each(|v| *v /= self.temperature);
        softmax(z);
        let mut best = 0;
        for (i, p) in z.iter().enumerate() {
            if *p > z[best] {
                best = i;
            }
        }
        Some((x, best, z[best]))
    }

    /// The built-in model, trained once (at first use) from the embedded corpus.
    pub fn builtin() -> &'static Classifier {
        BUILTIN.get_or_init(|| Classifier::train(&builtin_corpus()))
    }

    /// Whether [`Classifier::builtin`] is trained already (it answers without waiting).
    pub fn builtin_is_ready() -> bool {
        BUILTIN.get().is_some()
    }
}

/// The built-in model, once trained.
static BUILTIN: OnceLock<Classifier> = OnceLock::new();

/// Splits examples into a training part and a held-out fifth, by a stable hash of each text (the
/// split [`Classifier::train`] uses to fit its temperature).
pub fn holdout_split(examples: &[(String, String)]) -> (Examples, Examples) {
    examples
        .iter()
        .cloned()
        .partition(|(t, _)| fnv1a(t) % 100 >= HOLDOUT_PERCENT)
}

/// Splits examples into `k` folds by a stable hash of each text, for cross-validation: the
/// `i`-th pair is (every example outside fold `i`, fold `i`). Every example is in exactly one
/// fold's second half; the split depends only on the texts, not on their order.
pub fn folds(examples: &[(String, String)], k: usize) -> Vec<(Examples, Examples)> {
    let k = k.max(1);
    (0..k)
        .map(|i| {
            examples
                .iter()
                .cloned()
                .partition(|(t, _)| (fnv1a(t) >> 7) % k as u64 != i as u64)
        })
        .collect()
}

/// The embedded corpus as `(text, category)` pairs.
pub fn builtin_corpus() -> Vec<(String, String)> {
    parse_corpus(CORPUS)
}

/// Parses NDJSON lines with `text` and `category` fields; lines without both are skipped.
pub fn parse_corpus(ndjson: &str) -> Vec<(String, String)> {
    ndjson
        .lines()
        .filter_map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).ok()?;
            Some((
                v.get("text")?.as_str()?.to_string(),
                v.get("category")?.as_str()?.to_string(),
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests;
