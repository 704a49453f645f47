//! Vietnamese licence plates: normalisation (`75A-123.45`, `75A12345` and `75 A1 234.56` are
//! one plate each) and the OCR-tolerant key used to look them up.

/// The plate's characters, uppercase ASCII letters and digits only (`75A-123.45` → `75A12345`).
pub fn normalize(plate: &str) -> String {
    plate
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// A key that is the same for plates OCR commonly confuses: 0/O/D, 1/I, 8/B, 5/S, 2/Z map to
/// one symbol each.
pub fn key(plate: &str) -> String {
    normalize(plate)
        .chars()
        .map(|c| match c {
            'O' | 'D' | 'Q' => '0',
            'I' | 'L' => '1',
            'B' => '8',
            'S' => '5',
            'Z' => '2',
            'G' => '6',
            c => c,
        })
        .collect()
}

/// A sighting that matches a plate search.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SightingHit {
    /// The plate as read.
    pub plate: String,
    /// The camera.
    pub camera_id: String,
    /// The camera's site (empty when the camera is unknown).
    pub site: String,
    /// When.
    pub seen_at: chrono::DateTime<chrono::Utc>,
    /// OCR confidence.
    pub confidence: f64,
    /// 0 the same plate, 1 an OCR confusion, 2 one character off.
    pub closeness: u8,
    /// Match score, best 1.0.
    pub score: f64,
}

/// The symbols a key is made of (letters that [`key`] folds away never appear).
const KEY_ALPHABET: &str = "0123456789ACEFHJKMNPRTUVWXY";

/// Every key within one edit (a dropped, an extra or a changed character) of `k`, `k` included.
/// Used to look plates up in an index of keys.
pub fn neighbours(k: &str) -> Vec<String> {
    let chars: Vec<char> = k.chars().collect();
    let mut out = std::collections::BTreeSet::new();
    out.insert(k.to_string());
    for i in 0..chars.len() {
        let mut v = chars.clone();
        v.remove(i);
        out.insert(v.into_iter().collect());
    }
    for i in 0..=chars.len() {
        for c in KEY_ALPHABET.chars() {
            let mut v = chars.clone();
            v.insert(i, c);
            out.insert(v.into_iter().collect());
            if i < chars.len() {
                let mut w = chars.clone();
                w[i] = c;
                out.insert(w.into_iter().collect());
            }
        }
    }
    out.into_iter().collect()
}

/// True when `a` and `b` differ by at most one insertion, deletion or substitution.
pub fn within_one_edit(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let (s, l) = if a.len() <= b.len() { (&a, &b) } else { (&b, &a) };
    if l.len() - s.len() > 1 {
        return false;
    }
    let p = s.iter().zip(l.iter()).take_while(|(x, y)| x == y).count();
    if s.len() == l.len() {
        s[p..].len() <= 1 || s[p + 1..] == l[p + 1..]
    } else {
        s[p..] == l[p + 1..]
    }
}

/// How close a seen plate is to the one searched for: 0 the same plate, 1 the same OCR key,
/// 2 one edit away on the keys; `None` when further.
pub fn closeness(query: &str, seen: &str) -> Option<u8> {
    if normalize(query) == normalize(seen) {
        return Some(0);
    }
    let (q, s) = (key(query), key(seen));
    if q == s {
        Some(1)
    } else if within_one_edit(&q, &s) {
        Some(2)
    } else {
        None
    }
}

/// The score of a match for its closeness: 1.0 the same plate, 0.9 an OCR confusion, 0.7 one
/// character off (ties are broken by time, newest first, so the score never contradicts the
/// order).
pub fn score(closeness: u8) -> f64 {
    match closeness {
        0 => 1.0,
        1 => 0.9,
        _ => 0.7,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_plates_within_one_edit() {
        assert_eq!(closeness("75A-123.45", "75A12345"), Some(0));
        assert_eq!(closeness("75AI234S", "75A-123.45"), Some(1));
        assert_eq!(closeness("75A-12345", "75A-1234"), Some(2));
        assert_eq!(closeness("75A-1245", "75A-123.45"), Some(2));
        assert_eq!(closeness("75A-12399", "75A-123.45"), None);
        assert!(within_one_edit("ABC", "ABXC"));
        assert!(within_one_edit("ABC", "AXC"));
        assert!(!within_one_edit("ABC", "XBY"));
        let n = neighbours(&key("75A12345"));
        assert!(n.contains(&key("75A1234")));
        assert!(n.contains(&key("75A123945")));
        assert!(n.iter().all(|k| within_one_edit(k, &key("75A12345"))));
        assert!(score(0) > score(1) && score(1) > score(2));
    }

    #[test]
    fn normalises_formats() {
        assert_eq!(normalize("75A-123.45"), "75A12345");
        assert_eq!(normalize("75 a1 234.56"), "75A123456");
        assert_eq!(key("75AI234S"), key("75A-123.45"));
        assert_eq!(key("75B-O01.88"), key("758-001.B8"));
    }
}
