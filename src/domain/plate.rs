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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_formats() {
        assert_eq!(normalize("75A-123.45"), "75A12345");
        assert_eq!(normalize("75 a1 234.56"), "75A123456");
        assert_eq!(key("75AI234S"), key("75A-123.45"));
        assert_eq!(key("75B-O01.88"), key("758-001.B8"));
    }
}
