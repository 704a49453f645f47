//! Reading a [`NewReport`] from one line of JSON, as an import file or the API holds it.
//!
//! An exported line (known fields, strings without escapes, plain numbers) is read directly,
//! without serde's general machinery; anything else — an escape, an unknown or repeated field, a
//! value of an unexpected type, a malformed line — goes to `serde_json`, which reads it or says
//! what is wrong in its own words. So the result is always exactly what `serde_json` gives.

use super::command::{NewReport, usual_receipt_time};
use super::model::{Channel, Reporter};

/// Reads one report.
pub fn new_report_from_json(text: &str) -> serde_json::Result<NewReport> {
    match Cursor::new(text).report() {
        Some(n) => Ok(n),
        None => serde_json::from_str(text),
    }
}

/// A reader of the plain form: every method returns `None` where the general reader must decide.
struct Cursor<'a> {
    b: &'a [u8],
    s: &'a str,
    i: usize,
}

impl<'a> Cursor<'a> {
    fn new(s: &'a str) -> Self {
        Cursor {
            b: s.as_bytes(),
            s,
            i: 0,
        }
    }

    /// Skips JSON whitespace.
    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.b.get(self.i) {
            self.i += 1;
        }
    }

    /// Whether the next token is the byte `c` (taken if so).
    fn eat(&mut self, c: u8) -> bool {
        self.ws();
        let hit = self.b.get(self.i) == Some(&c);
        self.i += usize::from(hit);
        hit
    }

    /// A string without escapes or control characters.
    fn string(&mut self) -> Option<&'a str> {
        if !self.eat(b'"') {
            return None;
        }
        let start = self.i;
        self.i = start + plain_len(&self.b[start..]);
        if self.b.get(self.i) != Some(&b'"') {
            return None;
        }
        self.i += 1;
        // Between two ASCII bytes of valid UTF-8: a whole string.
        self.s.get(start..self.i - 1)
    }

    /// `null`, taken if it is next.
    fn null(&mut self) -> bool {
        self.ws();
        let hit = self.b[self.i..].starts_with(b"null");
        if hit {
            self.i += 4;
        }
        hit
    }

    /// `null` as `None`, else what `value` reads.
    fn opt<T>(&mut self, value: impl FnOnce(&mut Self) -> Option<T>) -> Option<Option<T>> {
        if self.null() {
            return Some(None);
        }
        value(self).map(Some)
    }

    fn opt_string(&mut self) -> Option<Option<String>> {
        self.opt(|c| c.string().map(str::to_string))
    }

    /// A number in JSON's grammar: an integer exactly as `i64`/`u64` (then as `f64`, as serde
    /// does), otherwise as the nearest `f64` (as serde does with `float_roundtrip`); out of
    /// range or unusually long ones are left to serde.
    fn number(&mut self) -> Option<f64> {
        self.ws();
        let b = self.b;
        let start = self.i;
        let mut i = start + usize::from(b.get(start) == Some(&b'-'));
        let digits = |i: &mut usize| {
            let from = *i;
            while b.get(*i).is_some_and(u8::is_ascii_digit) {
                *i += 1;
            }
            *i - from
        };
        let int = digits(&mut i);
        if int == 0 || (int > 1 && b[i - int] == b'0') {
            return None;
        }
        let mut whole = true;
        if b.get(i) == Some(&b'.') {
            i += 1;
            if digits(&mut i) == 0 {
                return None;
            }
            whole = false;
        }
        if let Some(b'e' | b'E') = b.get(i) {
            i += 1;
            if let Some(b'+' | b'-') = b.get(i) {
                i += 1;
            }
            if digits(&mut i) == 0 {
                return None;
            }
            whole = false;
        }
        if i - start > 24 {
            return None;
        }
        let token = &self.s[start..i];
        let v = if whole {
            // serde reads an integer as a `u64`, or a negative one as its magnitude negated
            // (`-0` is -0.0).
            match token.strip_prefix('-') {
                Some(m) => -(m.parse::<u64>().ok()? as f64),
                None => token.parse::<u64>().ok()? as f64,
            }
        } else {
            // Not beyond `f64`, and not below its normal range (unless zero).
            let v = token.parse::<f64>().ok()?;
            let zero = !token.bytes().any(|c| (b'1'..=b'9').contains(&c));
            if !(v.is_normal() || (zero && v == 0.0)) {
                return None;
            }
            v
        };
        self.i = i;
        Some(v)
    }

    /// The fields of an object, each once and all known, as `field(cursor, index)`; `known`
    /// numbers a field's name (below 32).
    fn object(
        &mut self,
        known: fn(&str) -> Option<usize>,
        mut field: impl FnMut(&mut Self, usize) -> Option<()>,
    ) -> Option<()> {
        if !self.eat(b'{') {
            return None;
        }
        if self.eat(b'}') {
            return Some(());
        }
        let mut seen = 0u32;
        loop {
            let key = self.string()?;
            let k = known(key)?;
            if seen & (1 << k) != 0 || !self.eat(b':') {
                return None;
            }
            seen |= 1 << k;
            field(self, k)?;
            if self.eat(b'}') {
                return Some(());
            }
            if !self.eat(b',') {
                return None;
            }
        }
    }

    fn media(&mut self) -> Option<Vec<String>> {
        if !self.eat(b'[') {
            return None;
        }
        let mut out = Vec::new();
        if self.eat(b']') {
            return Some(out);
        }
        loop {
            out.push(self.string()?.to_string());
            if self.eat(b']') {
                return Some(out);
            }
            if !self.eat(b',') {
                return None;
            }
        }
    }

    fn reporter(&mut self) -> Option<Reporter> {
        let mut r = Reporter::default();
        self.object(reporter_field, |c, k| {
            let v = c.opt_string()?;
            match k {
                0 => r.name = v,
                1 => r.phone = v,
                2 => r.email = v,
                3 => r.device_id = v,
                _ => r.account_id = v,
            }
            Some(())
        })?;
        Some(r)
    }

    fn report(&mut self) -> Option<NewReport> {
        let mut n = NewReport::default();
        let mut text = false;
        self.object(report_field, |c, k| {
            match k {
                0 => n.id = c.opt_string()?,
                1 => n.received_at = c.opt(|c| usual_receipt_time(c.string()?))?,
                2 => {
                    n.channel = c.opt(|c| {
                        let s = c.string()?;
                        Channel::ALL.iter().copied().find(|ch| ch.as_str() == s)
                    })?
                }
                3 => {
                    n.text = c.string()?.to_string();
                    text = true;
                }
                4 => n.category = c.opt_string()?,
                5 => n.ward = c.opt_string()?,
                6 => n.lat = c.opt(Self::number)?,
                7 => n.lon = c.opt(Self::number)?,
                8 => n.address = c.opt_string()?,
                9 => n.media = c.media()?,
                _ => n.reporter = c.opt(Self::reporter)?,
            }
            Some(())
        })?;
        self.ws();
        (text && self.i == self.b.len()).then_some(n)
    }
}

/// The number [`Cursor::report`] gives a field of [`NewReport`].
fn report_field(name: &str) -> Option<usize> {
    Some(match name {
        "id" => 0,
        "received_at" => 1,
        "channel" => 2,
        "text" => 3,
        "category" => 4,
        "ward" => 5,
        "lat" => 6,
        "lon" => 7,
        "address" => 8,
        "media" => 9,
        "reporter" => 10,
        _ => return None,
    })
}

/// The number [`Cursor::reporter`] gives a field of [`Reporter`].
fn reporter_field(name: &str) -> Option<usize> {
    Some(match name {
        "name" => 0,
        "phone" => 1,
        "email" => 2,
        "device_id" => 3,
        "account_id" => 4,
        _ => return None,
    })
}

/// The bytes before the first `"`, `\\` or control character (all of them if there is none),
/// eight at a time.
fn plain_len(b: &[u8]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // The high bit of each byte of `v` that is zero, and maybe of later ones: the lowest is
    // always right.
    let zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    let mut chunks = b.chunks_exact(8);
    let mut i = 0;
    for chunk in chunks.by_ref() {
        let v = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
        let below = v.wrapping_sub(ONES * 0x20) & !v & HIGH;
        let hit = zero(v ^ (ONES * u64::from(b'"'))) | zero(v ^ (ONES * u64::from(b'\\'))) | below;
        if hit != 0 {
            return i + (hit.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    let rest = chunks.remainder();
    i + rest
        .iter()
        .position(|&c| c == b'"' || c == b'\\' || c < 0x20)
        .unwrap_or(rest.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What serde alone says, for comparison.
    fn general(text: &str) -> Result<NewReport, String> {
        serde_json::from_str(text).map_err(|e| e.to_string())
    }

    fn direct(text: &str) -> Option<NewReport> {
        Cursor::new(text).report()
    }

    /// Equal, down to the sign of a zero.
    fn same(a: &NewReport, b: &NewReport) -> bool {
        let bits = |n: &NewReport| (n.lat.map(f64::to_bits), n.lon.map(f64::to_bits));
        a == b && bits(a) == bits(b)
    }

    const LINE: &str = r#"{"id":"R0000001","received_at":"2026-08-21T17:00:01Z","channel":"app","text":"Hố ga ở đường Nguyễn Huệ bị tắc","category":"drainage","ward":"thuan-hoa","lat":16.46092,"lon":107.58466,"address":"đường Nguyễn Huệ","media":["a.jpg"],"reporter":{"name":"Công dân 1","phone":"0979607495","device_id":"hue-s-1"}}"#;

    #[test]
    fn finds_the_end_of_a_plain_stretch_at_any_place() {
        for len in 0..20 {
            for end in [b'"', b'\\', b'\n', 0x1f, 0] {
                let mut b = vec![b'a'; len];
                b.extend_from_slice("ệ".as_bytes());
                let at = b.len();
                b.push(end);
                b.extend_from_slice(b"\"\\xyz");
                assert_eq!(plain_len(&b), at, "{len} {end}");
            }
            assert_eq!(plain_len(&vec![b' '; len]), len);
            assert_eq!(plain_len(&vec![0x7f; len]), len);
        }
    }

    #[test]
    fn reads_an_exported_line_directly_and_as_serde_does() {
        let n = direct(LINE).expect("the plain form");
        assert_eq!(Ok(n.clone()), general(LINE));
        assert_eq!(n.lat, Some(16.46092));
        assert_eq!(n.reporter.unwrap().device_id.as_deref(), Some("hue-s-1"));
    }

    #[test]
    fn leaves_everything_unusual_to_serde() {
        for line in [
            r#"{"text":"a \"quoted\" word"}"#,
            r#"{"text":"x","extra":1}"#,
            r#"{"text":"x","text":"y"}"#,
            r#"{"text":"x","lat":01}"#,
            r#"{"text":"x","lat":1e400}"#,
            r#"{"text":"x","lat":1e-400}"#,
            r#"{"text":"x","lat":99999999999999999999}"#,
            r#"{"text":"x","lat":"16"}"#,
            r#"{"text":"x","media":null}"#,
            r#"{"text":"x","channel":"App"}"#,
            r#"{"text":"x","received_at":"2026-08-21T17:00:01+07:00"}"#,
            r#"{"text":"x","reporter":{"name":"a","nick":"b"}}"#,
            r#"{"text":"x"} {}"#,
            r#"{"text":"x","#,
            r#"{"id":"R1"}"#,
            "{\"text\":\"tab\there\"}",
            r#"[]"#,
        ] {
            assert_eq!(direct(line), None, "{line}");
        }
        // And serde still reads those it can.
        assert!(new_report_from_json(r#"{"text":"a \"quoted\" word"}"#).is_ok());
        assert!(new_report_from_json(r#"{"text":"x","lat":01}"#).is_err());
    }

    #[test]
    fn reads_integers_and_negative_zero_as_serde_does() {
        for line in [
            r#"{"text":"x","lat":16,"lon":-0}"#,
            r#"{"text":"x","lat":-0.0,"lon":18446744073709551615}"#,
            r#"{"text":"x","lat":1.5e2,"lon":-9223372036854775808}"#,
            r#" { "text" : "x" , "lat" : null , "reporter" : null } "#,
            r#"{"text":"","media":[],"reporter":{}}"#,
        ] {
            let n = direct(line).expect(line);
            let g = general(line).expect(line);
            assert!(same(&n, &g), "{line}: {n:?} against {g:?}");
        }
    }

    fn word() -> impl Strategy<Value = String> {
        "[a-zA-Z0-9 đĐàảãạăắằẳẵặâấầẩẫậơưÀ-ỹ\"\\\\/\u{1}\n.,:{}\\[\\]-]{0,12}"
    }

    fn report() -> impl Strategy<Value = NewReport> {
        (
            (
                proptest::option::of(word()),
                proptest::option::of(0i64..4_000_000_000_000i64),
                proptest::option::of(proptest::sample::select(Channel::ALL)),
                word(),
                proptest::option::of(word()),
                proptest::option::of(word()),
            ),
            (
                proptest::option::of(any::<f64>()),
                proptest::option::of(-200.0f64..200.0),
                proptest::option::of(word()),
                proptest::collection::vec(word(), 0..3),
                proptest::option::of((
                    proptest::option::of(word()),
                    proptest::option::of(word()),
                    proptest::option::of(word()),
                )),
            ),
        )
            .prop_map(
                |((id, ms, channel, text, category, ward), (lat, lon, address, media, who))| NewReport {
                    id,
                    received_at: ms.and_then(chrono::DateTime::from_timestamp_millis),
                    channel,
                    text,
                    category,
                    ward,
                    lat: lat.filter(|v| v.is_finite()),
                    lon,
                    address,
                    media,
                    reporter: who.map(|(name, phone, device_id)| Reporter {
                        name,
                        phone,
                        device_id,
                        ..Reporter::default()
                    }),
                },
            )
    }

    proptest! {
        #[test]
        fn any_report_written_by_serde_reads_back_the_same(n in report()) {
            let line = serde_json::to_string(&n).unwrap();
            // Without escapes and with a normal latitude, the line is in the plain form.
            let plain = !line.contains('\\') && n.lat.is_none_or(|v| v == 0.0 || v.is_normal());
            prop_assert_eq!(direct(&line).is_some(), plain, "{}", line);
            let got = new_report_from_json(&line).unwrap();
            prop_assert!(same(&got, &general(&line).unwrap()), "{}", line);
            prop_assert!(same(&got, &n), "{}", line);
        }

        #[test]
        fn a_changed_line_reads_directly_only_as_serde_reads_it(n in report(), at in 0usize..400, with in "[\"\\\\{}\\[\\],: 0-9a-z.eE+-]{0,3}", cut in any::<bool>()) {
            let line = serde_json::to_string(&n).unwrap();
            let mut at = at.min(line.len());
            while !line.is_char_boundary(at) {
                at -= 1;
            }
            let end = if cut { (at + 2).min(line.len()) } else { at };
            let end = (end..=line.len()).find(|&e| line.is_char_boundary(e)).unwrap_or(line.len());
            let changed = format!("{}{}{}", &line[..at], with, &line[end..]);
            if let Some(d) = direct(&changed) {
                let g = general(&changed);
                prop_assert!(g.as_ref().is_ok_and(|g| same(&d, g)), "{}: {:?} against {:?}", changed, d, g);
            }
        }
    }
}
