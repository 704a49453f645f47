//! Text rules for Vietnamese: folding for search, and making untrusted citizen text safe to draw.

use unicode_normalization::char::is_combining_mark;

/// Folds text for diacritic-insensitive search: NFD, combining marks dropped, `đ`→`d`, lowercase,
/// runs of whitespace collapsed to one space.
///
/// `Thuận Hoà`, `Thuận Hòa` and `thuan hoa` all fold to `thuan hoa`, whatever the tone placement.
pub fn fold(s: &str) -> String {
    let mut out = String::new();
    fold_onto(s, &mut out);
    out
}

/// Appends [`fold`] of `s` to `out` (what `out.push_str(&fold(s))` gives, without a string of
/// its own).
pub fn fold_onto(s: &str, out: &mut String) {
    let bytes = s.as_bytes();
    let table = latin_table();
    let mut o: Vec<u8> = std::mem::take(out).into_bytes();
    // Where this fold starts: no space before its first character.
    let start = o.len();
    // Room for the fold: a character of the fast path gives at most as many bytes as it takes
    // (a due space included), and one the general rule folds to more makes room for itself.
    o.resize(start + bytes.len(), 0);
    let (mut i, mut n, mut space) = (0, start, false);
    let mut general = Vec::new();
    loop {
        (i, n, space) = fold_fast(bytes, table, &mut o, (i, n, space), start);
        let Some(c) = s.get(i..).and_then(|rest| rest.chars().next()) else {
            break;
        };
        i += c.len_utf8();
        // The general rule into a buffer of its own, after a stand-in for what is written
        // already (it only asks whether anything is: a space is due after text, not before).
        general.clear();
        general.extend_from_slice(if n > start { b"." } else { b"" });
        let mark = general.len();
        unicode_normalization::char::decompose_canonical(c, |d| fold_char(d, &mut general, &mut space, 0));
        let folded = &general[mark..];
        // Room for the rest as the fast path writes it (a due space too).
        let room = n + folded.len() + (bytes.len() - i) + usize::from(space);
        if o.len() < room {
            o.resize(room, 0);
        }
        o[n..n + folded.len()].copy_from_slice(folded);
        n += folded.len();
    }
    o.truncate(n);
    *out = String::from_utf8(o).expect("a fold is whole characters");
}

/// What [`fold_onto`] folds a byte at a time: from byte `i` of `bytes` into `o` at `n`, as long
/// as each character folds to at most one ASCII byte (ASCII, and the characters of
/// [`latin_table`]: what Vietnamese is written in). Stops at the end or at a character that
/// takes the general rule; returns where, and whether a space is due. `o` has room for a byte
/// per byte taken.
fn fold_fast(
    bytes: &[u8],
    table: &[u8],
    o: &mut [u8],
    (mut i, mut n, mut space): (usize, usize, bool),
    start: usize,
) -> (usize, usize, bool) {
    while let Some(&b) = bytes.get(i) {
        // The one ASCII byte this character folds to, and its length in bytes.
        let (f, len) = if b < 0x80 {
            if matches!(b, b' ' | b'\t'..=b'\r') {
                space |= n > start;
                i += 1;
                continue;
            }
            (b.to_ascii_lowercase(), 1)
        } else {
            // From its UTF-8 bytes (`bytes` is valid UTF-8): two bytes are U+0080 to U+07FF,
            // and E1 B8 80 to E1 BB BF are Latin Extended Additional, U+1E00 to U+1EFF.
            let (f, len) = match (b, bytes.get(i + 1), bytes.get(i + 2)) {
                (0xC2..=0xDF, Some(&c), _) => (table[((usize::from(b & 0x1F) << 6) | usize::from(c & 0x3F)) - 0x80], 2),
                (0xE1, Some(&c @ 0xB8..=0xBB), Some(&d)) => {
                    let u = (usize::from(c & 0x3F) << 6) | usize::from(d & 0x3F);
                    (table[TONES + u - 0xE00], 3)
                }
                _ => (GENERAL, 0),
            };
            match f {
                GENERAL => break,
                SKIP => {
                    i += len;
                    continue;
                }
                f => (f, len),
            }
        };
        if space {
            o[n] = b' ';
            n += 1;
            space = false;
        }
        o[n] = f;
        n += 1;
        i += len;
    }
    (i, n, space)
}

/// Adds one already-folded character: whitespace only marks that a space is due (none at
/// `start`, where the fold began, and one for a run).
#[inline]
fn emit(c: char, out: &mut Vec<u8>, space: &mut bool, start: usize) {
    if c.is_whitespace() {
        if out.len() > start {
            *space = true;
        }
        return;
    }
    if *space {
        out.push(b' ');
        *space = false;
    }
    out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
}

/// Folds one character of a canonical decomposition: the general rule [`fold`] follows.
fn fold_char(c: char, out: &mut Vec<u8>, space: &mut bool, start: usize) {
    if is_combining_mark(c) {
        return;
    }
    match c {
        'đ' | 'Đ' | 'ð' | 'Ð' => emit('d', out, space, start),
        c if c.is_ascii() => emit(c.to_ascii_lowercase(), out, space, start),
        c => c.to_lowercase().for_each(|l| emit(l, out, space, start)),
    }
}

/// In [`latin_table`]: the character folds to nothing (a combining mark).
const SKIP: u8 = 1;

/// In [`latin_table`]: the character takes the general rule.
const GENERAL: u8 = 0;

/// The blocks Vietnamese text is written in, and the combining marks, with each character's
/// fold worked out once by the general rule: every two-byte character (Latin-1 Supplement to
/// Latin Extended-B, the combining diacritics, and beyond), and Latin Extended Additional (where
/// the precomposed tones live).
const LATIN: [(u32, u32); 2] = [(0x0080, 0x0800), (0x1E00, 0x1F00)];

/// Where Latin Extended Additional starts in [`latin_table`]: after the two-byte characters.
const TONES: usize = (LATIN[0].1 - LATIN[0].0) as usize;

/// For each character of [`LATIN`]'s blocks in turn, its fold when that is a single ASCII
/// non-space character, or nothing ([`SKIP`]); [`GENERAL`] otherwise, for the general rule.
fn latin_table() -> &'static [u8] {
    static TABLE: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let all = LATIN.iter().flat_map(|&(from, to)| from..to);
        all.map(|u| {
            // After a letter, so that a space shows as one due.
            let (mut out, mut space) = (vec![b'a'], false);
            if let Some(c) = char::from_u32(u) {
                unicode_normalization::char::decompose_canonical(c, |d| fold_char(d, &mut out, &mut space, 0));
            }
            match (&out[1..], space) {
                ([], false) => SKIP,
                ([f], false) if f.is_ascii_graphic() => *f,
                _ => GENERAL,
            }
        })
        .collect()
    })
}

/// The words of a text: its longest runs of alphanumeric characters, in order — what splitting
/// it at every other character and dropping the empty pieces gives, found a byte at a time
/// (folded text is mostly ASCII; the rest is decoded as it comes).
pub fn words(s: &str) -> Words<'_> {
    Words { s, i: 0 }
}

/// The iterator of [`words`].
pub struct Words<'a> {
    s: &'a str,
    i: usize,
}

impl<'a> Iterator for Words<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let (s, b) = (self.s, self.s.as_bytes());
        // Whether the non-ASCII character at `i` is alphanumeric, and its length.
        let other = |i: usize| s[i..].chars().next().map(|c| (c.is_alphanumeric(), c.len_utf8()));
        let mut i = self.i;
        let start = loop {
            let Some(&c) = b.get(i) else {
                self.i = i;
                return None;
            };
            if c.is_ascii_alphanumeric() {
                break i;
            }
            if c.is_ascii() {
                i += 1;
                continue;
            }
            match other(i) {
                Some((true, _)) => break i,
                Some((false, len)) => i += len,
                None => return None,
            }
        };
        while let Some(&c) = b.get(i) {
            if c.is_ascii_alphanumeric() {
                i += 1;
            } else if c.is_ascii() {
                break;
            } else {
                match other(i) {
                    Some((true, len)) => i += len,
                    _ => break,
                }
            }
        }
        self.i = i;
        Some(&s[start..i])
    }
}

/// Makes untrusted text safe to put on a terminal.
///
/// Escape sequences (CSI, OSC, DCS, APC, PM, SOS) are dropped whole; other C0/C1 controls, bidi
/// overrides and isolates, and zero-width characters are replaced by a visible `�`-free stand-in
/// (`·`); newlines and tabs become spaces so one item stays on one line.
pub fn sanitize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => skip_escape(&mut chars),
            // C1 string introducers: DCS, SOS, OSC, PM, APC — drop up to the terminator.
            '\u{90}' | '\u{98}' | '\u{9d}' | '\u{9e}' | '\u{9f}' => skip_string(&mut chars),
            '\u{9b}' => skip_csi(&mut chars),
            '\n' | '\r' | '\t' => out.push(' '),
            c if is_unsafe(c) => out.push('·'),
            c => out.push(c),
        }
    }
    out
}

/// True for characters that must never reach a terminal as they are.
fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{200b}'..='\u{200f}'   // zero-width space/joiners, LRM, RLM
            | '\u{202a}'..='\u{202e}' // bidi embeddings and overrides
            | '\u{2060}'..='\u{2064}' // word joiner, invisible operators
            | '\u{2066}'..='\u{2069}' // bidi isolates
            | '\u{feff}'              // zero-width no-break space
            | '\u{061c}'              // Arabic letter mark
            | '\u{fff9}'..='\u{fffb}' // interlinear annotations
        )
}

type Chars<'a> = std::iter::Peekable<std::str::Chars<'a>>;

/// Skips the rest of an escape sequence that began with ESC.
fn skip_escape(chars: &mut Chars<'_>) {
    match chars.next() {
        Some('[') => skip_csi(chars),
        Some(']' | 'P' | 'X' | '^' | '_') => skip_string(chars),
        // ESC followed by intermediates then a final byte (e.g. `ESC ( B`).
        Some(c) if ('\u{20}'..='\u{2f}').contains(&c) => {
            while let Some(&n) = chars.peek() {
                chars.next();
                if !('\u{20}'..='\u{2f}').contains(&n) {
                    break;
                }
            }
        }
        _ => {}
    }
}

/// Skips a CSI sequence's parameters up to and including its final byte.
fn skip_csi(chars: &mut Chars<'_>) {
    for c in chars.by_ref() {
        if ('\u{40}'..='\u{7e}').contains(&c) {
            break;
        }
        if !('\u{20}'..='\u{3f}').contains(&c) {
            break;
        }
    }
}

/// Skips a control string (OSC, DCS, …) up to BEL, ST (`ESC \`) or the C1 ST.
fn skip_string(chars: &mut Chars<'_>) {
    while let Some(c) = chars.next() {
        match c {
            '\u{7}' | '\u{9c}' => break,
            '\u{1b}' => {
                if chars.peek() == Some(&'\\') {
                    chars.next();
                }
                break;
            }
            _ => {}
        }
    }
}

/// Turns a name into its ASCII code: folded, non-alphanumerics to single hyphens
/// (`Phú Xuân` → `phu-xuan`).
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in fold(s).chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_vietnamese() {
        assert_eq!(fold("Chợ Đông Ba"), "cho dong ba");
        assert_eq!(fold("Thuận Hoà"), fold("Thuận Hòa"));
        assert_eq!(fold("Thuận Hoà"), "thuan hoa");
        assert_eq!(fold("  ĐƯỜNG   Lê  Lợi "), "duong le loi");
        assert_eq!(fold("Thủy Biều"), fold("Thuỷ Biều"));
        assert_eq!(fold("khong dau"), "khong dau");
    }

    /// The general rule, one character at a time: what [`fold`] did before its table.
    fn fold_slow(s: &str) -> String {
        let (mut out, mut space) = (Vec::new(), false);
        for c in s.chars() {
            unicode_normalization::char::decompose_canonical(c, |d| fold_char(d, &mut out, &mut space, 0));
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn the_table_folds_every_latin_character_as_the_general_rule_does() {
        let mut checked = 0;
        for &(from, to) in &LATIN {
            for c in (from..to).filter_map(char::from_u32) {
                for s in [
                    format!("{c}"),
                    format!("a{c}b"),
                    format!("a {c}b"),
                    format!("x  {c} "),
                    format!("{c}\u{301}Đ"),
                ] {
                    assert_eq!(fold(&s), fold_slow(&s), "{:?} (U+{:04X})", s, c as u32);
                }
                checked += 1;
            }
        }
        assert_eq!(checked, 0x800 - 0x80 + 0x100);
        // Some characters of the blocks have no single-character fold and take the general rule.
        assert_eq!(fold("ǅ ß"), fold_slow("ǅ ß"));
    }

    proptest::proptest! {
        #[test]
        fn folds_any_text_as_the_general_rule_does(s in "(\\PC|[ \t\r\n\u{b}\u{c}\u{1f}\u{85}\u{a0}\u{2003}àảãạăắằẳẵặâấầẩẫậđĐƠơƯưÀ-ỹ\u{300}-\u{36f}ȺȾİǅẞ])*") {
            proptest::prop_assert_eq!(fold(&s), fold_slow(&s));
            // Onto a string that has text (and ends in a space) already: no space before it.
            let mut onto = String::from("Ab ");
            fold_onto(&s, &mut onto);
            proptest::prop_assert_eq!(onto, format!("Ab {}", fold_slow(&s)));
        }
    }

    proptest::proptest! {
        #[test]
        fn words_are_the_pieces_between_other_characters(s in "(\\PC|[ .,!?\t\n0-9a-z\u{300}\u{a0}\u{2003}đĐ𝟙٣Ⅻ])*") {
            let split: Vec<&str> = s.split(|c: char| !c.is_alphanumeric()).filter(|t| !t.is_empty()).collect();
            proptest::prop_assert_eq!(words(&s).collect::<Vec<_>>(), split);
        }
    }

    #[test]
    fn finds_words() {
        fn found(s: &str) -> Vec<&str> {
            words(s).collect()
        }
        assert_eq!(
            found("  ho ga, o duong nguyen-hue 0979607495!"),
            ["ho", "ga", "o", "duong", "nguyen", "hue", "0979607495"]
        );
        assert_eq!(found("ß·ǅ x\u{301}y"), ["ß", "ǅ", "x", "y"]);
        assert!(found("").is_empty());
        assert!(found(" -- ").is_empty());
    }

    #[test]
    fn folds_characters_that_grow_next_to_spaces() {
        // `Ⱥ` (two bytes) lowercases to `ⱥ` (three); no-break and em spaces take the general rule.
        for s in [
            "Ⱥ\u{a0}x",
            "a\u{a0}\u{2003}ȺȾ y",
            "ȺȺȺ",
            "x\u{a0}",
            "\u{a0}Ⱥ\u{a0}Ⱥ\u{a0}",
            "ẞ İ ǅ",
            "Ⱥ\u{301} \tĐ",
        ] {
            assert_eq!(fold(s), fold_slow(s), "{s:?}");
            let mut onto = String::from("Ab ");
            fold_onto(s, &mut onto);
            assert_eq!(onto, format!("Ab {}", fold_slow(s)), "{s:?}");
        }
    }

    #[test]
    fn folds_precomposed_and_decomposed_alike() {
        use unicode_normalization::UnicodeNormalization;
        let nfc: String = "Vĩ Dạ".nfc().collect();
        let nfd: String = "Vĩ Dạ".nfd().collect();
        assert_eq!(fold(&nfc), fold(&nfd));
        assert_eq!(fold(&nfd), "vi da");
    }

    #[test]
    fn slugs() {
        assert_eq!(slug("Phú Xuân"), "phu-xuan");
        assert_eq!(slug("Vỹ Dạ"), "vy-da");
        assert_eq!(slug("Dương Nỗ"), "duong-no");
    }

    #[test]
    fn strips_escapes_and_bidi() {
        let t = "Cống \u{1b}]2;OWNED\u{7}\u{1b}[2Jtràn \u{202e}evil\u{202c} x";
        let s = sanitize(t);
        assert!(!s.contains('\u{1b}'));
        assert!(!s.contains("OWNED"));
        assert!(!s.contains('\u{202e}'));
        assert!(s.starts_with("Cống tràn"));
        assert!(s.contains("evil"));
        assert_eq!(sanitize("a\u{1b}P1$qm\u{1b}\\b"), "ab");
        assert_eq!(sanitize("a\u{200b}b\nc"), "a·b c");
        assert_eq!(sanitize("a\u{9b}31mb"), "ab");
    }
}
