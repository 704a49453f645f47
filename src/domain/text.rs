//! Text rules for Vietnamese: folding for search, and making untrusted citizen text safe to draw.

use unicode_normalization::char::is_combining_mark;

/// Folds text for diacritic-insensitive search: NFD, combining marks dropped, `đ`→`d`, lowercase,
/// runs of whitespace collapsed to one space.
///
/// `Thuận Hoà`, `Thuận Hòa` and `thuan hoa` all fold to `thuan hoa`, whatever the tone placement.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    let mut push = |c: char, out: &mut String| {
        if is_combining_mark(c) {
            return;
        }
        let c = match c {
            'đ' | 'Đ' | 'ð' | 'Ð' => 'd',
            c => c,
        };
        if c.is_whitespace() {
            if !out.is_empty() {
                space = true;
            }
            return;
        }
        if space {
            out.push(' ');
            space = false;
        }
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.extend(c.to_lowercase());
        }
    };
    for c in s.chars() {
        // ASCII needs no decomposition; everything else is decomposed one character at a time,
        // which is what NFD does for text without reordering concerns (marks are dropped anyway).
        if c.is_ascii() {
            push(c, &mut out);
        } else {
            unicode_normalization::char::decompose_canonical(c, |d| push(d, &mut out));
        }
    }
    out
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
