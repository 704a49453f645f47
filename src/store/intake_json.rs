//! The log's payload of a submission's event (`ReportReceived`, with the classifier's
//! suggestion), written straight into a string: an import writes a million of them, and
//! serde_json's general path (a map serializer, an escape loop a byte at a time, chrono's
//! formatter) was a quarter of the preparing thread's work. The bytes are exactly serde_json's
//! (the tests compare them for every field, escape and time format); any other event goes
//! through serde_json.

use crate::domain::{EventData, Reporter, Suggestion};
use chrono::{DateTime, Datelike, Timelike, Utc};

/// The payload serde_json would write for `d`, if `d` is a submission's event.
pub(super) fn intake_payload(d: &EventData) -> Option<String> {
    match d {
        EventData::ReportReceived {
            id,
            received_at,
            channel,
            text,
            category,
            ward,
            lat,
            lon,
            address,
            media,
            reporter,
            suggestion,
        } => {
            let words = text.len() + address.as_deref().map_or(0, str::len) + id.len();
            let mut o = String::with_capacity(words + words / 8 + 256);
            o.push_str("{\"kind\":\"ReportReceived\",\"id\":");
            string(&mut o, id);
            o.push_str(",\"received_at\":\"");
            time(&mut o, received_at);
            o.push_str("\",\"channel\":\"");
            o.push_str(channel.as_str());
            o.push_str("\",\"text\":");
            string(&mut o, text);
            o.push_str(",\"category\":");
            opt_string(&mut o, category.as_deref());
            o.push_str(",\"ward\":");
            opt_string(&mut o, ward.as_deref());
            o.push_str(",\"lat\":");
            opt_float(&mut o, *lat);
            o.push_str(",\"lon\":");
            opt_float(&mut o, *lon);
            o.push_str(",\"address\":");
            opt_string(&mut o, address.as_deref());
            o.push_str(",\"media\":[");
            for (i, m) in media.iter().enumerate() {
                if i > 0 {
                    o.push(',');
                }
                string(&mut o, m);
            }
            o.push_str("],\"reporter\":");
            match reporter {
                Some(r) => write_reporter(&mut o, r),
                None => o.push_str("null"),
            }
            if let Some(Suggestion { category, confidence }) = suggestion {
                o.push_str(",\"suggestion\":{\"category\":");
                string(&mut o, category);
                o.push_str(",\"confidence\":");
                float(&mut o, *confidence);
                o.push('}');
            }
            o.push('}');
            Some(o)
        }
        _ => None,
    }
}

/// A reporter as its derived `Serialize` writes it: the fields it has, in declaration order.
fn write_reporter(o: &mut String, r: &Reporter) {
    let Reporter {
        name,
        phone,
        email,
        device_id,
        account_id,
    } = r;
    o.push('{');
    let mut first = true;
    for (key, value) in [
        ("name", name),
        ("phone", phone),
        ("email", email),
        ("device_id", device_id),
        ("account_id", account_id),
    ] {
        let Some(v) = value else { continue };
        if !first {
            o.push(',');
        }
        first = false;
        o.push('"');
        o.push_str(key);
        o.push_str("\":");
        string(o, v);
    }
    o.push('}');
}

fn opt_string(o: &mut String, s: Option<&str>) {
    match s {
        Some(s) => string(o, s),
        None => o.push_str("null"),
    }
}

fn opt_float(o: &mut String, f: Option<f64>) {
    match f {
        Some(f) => float(o, f),
        None => o.push_str("null"),
    }
}

/// A number through serde_json itself (its shortest round-trip form; `null` when not finite).
fn float(o: &mut String, f: f64) {
    let mut buf = [0u8; 40];
    let mut w = &mut buf[..];
    if serde_json::to_writer(&mut w, &f).is_ok() {
        let n = 40 - w.len();
        if let Ok(s) = std::str::from_utf8(&buf[..n]) {
            o.push_str(s);
            return;
        }
    }
    o.push_str("null");
}

/// A time as chrono's `Serialize` writes it: RFC 3339 in UTC with `Z`, and as many digits of
/// the second's fraction as it needs (none, 3, 6 or 9).
fn time(o: &mut String, t: &DateTime<Utc>) {
    let n = t.naive_utc();
    let (year, nanos) = (n.year(), n.nanosecond());
    if !(0..=9999).contains(&year) || nanos >= 1_000_000_000 {
        // Years of other widths and leap seconds: chrono's own formatter.
        let s = t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true);
        o.push_str(&s);
        return;
    }
    let b = super::rows::date_time_digits(t);
    o.push_str(std::str::from_utf8(&b).unwrap_or_default());
    let (digits, v) = match nanos {
        0 => (0, 0),
        n if n % 1_000_000 == 0 => (3, n / 1_000_000),
        n if n % 1_000 == 0 => (6, n / 1_000),
        n => (9, n),
    };
    if digits > 0 {
        let mut f = [b'.'; 10];
        let mut v = v;
        for k in (1..=digits).rev() {
            f[k] = b'0' + (v % 10) as u8;
            v /= 10;
        }
        o.push_str(std::str::from_utf8(&f[..=digits]).unwrap_or_default());
    }
    o.push('Z');
}

/// A JSON string with serde_json's escapes: `"` and `\` escaped, the control characters below
/// 0x20 as `\b \t \n \f \r` or `\u00xx`, everything else as it is. Eight bytes are checked at a
/// time for anything to escape.
fn string(o: &mut String, s: &str) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero_in = |v: u64| v.wrapping_sub(ONES) & !v & HIGH != 0;
    let bytes = s.as_bytes();
    o.push('"');
    let mut run = 0; // where the bytes not yet copied start
    let mut i = 0;
    while i < bytes.len() {
        if let Some(chunk) = bytes.get(i..i + 8) {
            let mut eight = [0u8; 8];
            eight.copy_from_slice(chunk);
            let x = u64::from_le_bytes(eight);
            let control = x.wrapping_sub(ONES * 0x20) & !x & HIGH != 0;
            if !control && !zero_in(x ^ (ONES * u64::from(b'"'))) && !zero_in(x ^ (ONES * u64::from(b'\\'))) {
                i += 8;
                continue;
            }
        }
        let end = (i + 8).min(bytes.len());
        while i < end {
            let b = bytes[i];
            let escape: &str = match b {
                b'"' => "\\\"",
                b'\\' => "\\\\",
                0x08 => "\\b",
                b'\t' => "\\t",
                b'\n' => "\\n",
                0x0c => "\\f",
                b'\r' => "\\r",
                0..0x20 => "",
                _ => {
                    i += 1;
                    continue;
                }
            };
            o.push_str(&s[run..i]);
            if escape.is_empty() {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                o.push_str("\\u00");
                o.push(HEX[usize::from(b >> 4)] as char);
                o.push(HEX[usize::from(b & 0xf)] as char);
            } else {
                o.push_str(escape);
            }
            i += 1;
            run = i;
        }
    }
    o.push_str(&s[run..]);
    o.push('"');
}

#[cfg(test)]
mod tests {
    use super::intake_payload;
    use crate::domain::{Channel, EventData, Reporter, Suggestion};
    use chrono::{DateTime, TimeZone, Utc};
    use proptest::prelude::*;

    fn same_as_serde(d: &EventData) {
        let ours = intake_payload(d).expect("a submission's event");
        assert_eq!(ours, serde_json::to_string(d).unwrap());
    }

    fn received(text: &str, at: DateTime<Utc>, reporter: Option<Reporter>) -> EventData {
        EventData::ReportReceived {
            id: "R0000001".into(),
            received_at: at,
            channel: Channel::App,
            text: text.into(),
            category: Some("drainage".into()),
            ward: None,
            lat: Some(16.46092),
            lon: None,
            address: Some("đường Nguyễn Huệ, phường Thuận Hóa".into()),
            media: vec!["https://x/1.jpg".into(), "a\"b".into()],
            reporter,
            suggestion: None,
        }
    }

    #[test]
    fn every_field_and_escape_is_written_as_serde_json_writes_it() {
        let all = Reporter {
            name: Some("Công dân \u{1}".into()),
            phone: Some("0979607495".into()),
            email: Some("a@b.vn".into()),
            device_id: Some("hue-s-e2cb".into()),
            account_id: Some("acc\\1".into()),
        };
        let at = Utc.with_ymd_and_hms(2026, 8, 21, 17, 0, 1).unwrap();
        let text: String = (0u8..0x80)
            .map(char::from)
            .chain("Hố ga ở đường Lê Lợi".chars())
            .collect();
        same_as_serde(&received(&text, at, Some(all)));
        same_as_serde(&received("", at, Some(Reporter::default())));
        same_as_serde(&received("x", at, None));
        for channel in Channel::ALL {
            let mut d = received("x", at, None);
            if let EventData::ReportReceived { channel: c, .. } = &mut d {
                *c = *channel;
            }
            same_as_serde(&d);
        }
        for nanos in [0, 5_000_000, 123_456_000, 1, 999_999_999, 1_500_000_000] {
            let t = DateTime::from_timestamp(1_780_000_019, nanos).unwrap();
            same_as_serde(&received("x", t, None));
        }
        for secs in [-62_167_219_200 - 86_400, -1, 253_402_300_800] {
            let t = DateTime::from_timestamp(secs, 0).unwrap();
            same_as_serde(&received("x", t, None));
        }
        for confidence in [0.9990235597203803, 1.0, 0.0, 1e-300, f64::NAN, f64::INFINITY] {
            let mut d = received("x", at, None);
            if let EventData::ReportReceived { suggestion, .. } = &mut d {
                *suggestion = Some(Suggestion {
                    category: "in\"valid\n".into(),
                    confidence,
                });
            }
            same_as_serde(&d);
        }
        assert!(
            intake_payload(&EventData::CaseClaimed {
                case_id: "C1".into(),
                by: "x".into()
            })
            .is_none()
        );
    }

    proptest! {
        #[test]
        fn any_text_time_and_place_is_written_as_serde_json_writes_it(
            text in "\\PC*|[\\x00-\\x7f]{0,40}",
            address in proptest::option::of("[\\x00-\\x2f\\\\a-zà-ỹ]{0,30}"),
            secs in -1_000_000_000_000i64..1_000_000_000_000i64,
            nanos in prop_oneof![Just(0u32), (0u32..1000).prop_map(|m| m * 1_000_000), 0u32..2_000_000_000],
            lat in proptest::option::of(proptest::num::f64::ANY),
            confidence in proptest::num::f64::ANY,
        ) {
            let Some(at) = DateTime::from_timestamp(secs, nanos) else { return Ok(()) };
            let d = EventData::ReportReceived {
                id: text.chars().take(8).collect(),
                received_at: at,
                channel: Channel::Hotline,
                text: text.clone(),
                category: None,
                ward: Some(text.chars().rev().collect()),
                lat,
                lon: Some(confidence),
                address,
                media: vec![text.clone()],
                reporter: Some(Reporter { phone: Some(text.clone()), ..Reporter::default() }),
                suggestion: Some(Suggestion { category: text, confidence }),
            };
            prop_assert_eq!(intake_payload(&d).unwrap(), serde_json::to_string(&d).unwrap());
        }
    }
}
