//! Open311 responses in both formats: one JSON value rendered as JSON or as the spec's XML, the
//! spec's error documents, and the small text helpers (HTML stripping, +07:00 times).

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, FixedOffset, SecondsFormat, Utc};
use serde_json::Value;

/// The response format, chosen by the path's suffix (`.json` or `.xml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `application/json`.
    Json,
    /// `text/xml`.
    Xml,
}

/// Splits `requests.json` into (`requests`, JSON); `None` when the suffix is neither format.
pub fn split_format(file: &str) -> Option<(&str, Format)> {
    if let Some(stem) = file.strip_suffix(".json") {
        Some((stem, Format::Json))
    } else {
        file.strip_suffix(".xml").map(|stem| (stem, Format::Xml))
    }
}

/// An Open311 error: a status and a description, rendered as the spec's error list.
#[derive(Debug, Clone)]
pub struct Open311Error {
    /// 400, 403 or 404 (or 413/500 for transport troubles).
    pub status: StatusCode,
    /// What went wrong.
    pub description: String,
    /// The format to answer in.
    pub format: Format,
}

impl Open311Error {
    /// An error with this status and description.
    pub fn new(status: StatusCode, format: Format, description: impl Into<String>) -> Self {
        Open311Error {
            status,
            description: description.into(),
            format,
        }
    }
    /// A 400.
    pub fn bad(format: Format, description: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, format, description)
    }
    /// A 404.
    pub fn not_found(format: Format, description: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, format, description)
    }
}

impl IntoResponse for Open311Error {
    fn into_response(self) -> Response {
        if self.status.is_server_error() {
            tracing::error!("open311: {}", self.description);
        }
        let body = serde_json::json!([{ "code": self.status.as_u16(), "description": self.description }]);
        render(self.status, self.format, "errors", &body)
    }
}

/// The child element name of a list element in the spec's XML.
fn item_name(list: &str) -> &str {
    match list {
        "services" => "service",
        "service_requests" => "request",
        "attributes" => "attribute",
        "values" => "value",
        "endpoints" => "endpoint",
        "formats" => "format",
        "errors" => "error",
        _ => "item",
    }
}

/// Escapes text for XML content.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 cannot carry at all.
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\r' | '\t') => {}
            c => out.push(c),
        }
    }
    out
}

fn write_xml(out: &mut String, name: &str, v: &Value) {
    match v {
        Value::Null => {
            out.push('<');
            out.push_str(name);
            out.push_str("/>");
        }
        Value::Array(items) => {
            out.push_str(&format!("<{name}>"));
            for i in items {
                write_xml(out, item_name(name), i);
            }
            out.push_str(&format!("</{name}>"));
        }
        Value::Object(m) => {
            out.push_str(&format!("<{name}>"));
            for (k, v) in m {
                write_xml(out, k, v);
            }
            out.push_str(&format!("</{name}>"));
        }
        Value::String(s) => out.push_str(&format!("<{name}>{}</{name}>", xml_escape(s))),
        Value::Bool(b) => out.push_str(&format!("<{name}>{b}</{name}>")),
        Value::Number(n) => out.push_str(&format!("<{name}>{n}</{name}>")),
    }
}

/// The XML document for `v` under the root element `root` (a list's items get the spec's names).
pub fn to_xml(root: &str, v: &Value) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    write_xml(&mut out, root, v);
    out.push('\n');
    out
}

/// Renders `v` in `format` with `status`; `root` names the XML root element.
pub fn render(status: StatusCode, format: Format, root: &str, v: &Value) -> Response {
    let (body, ctype) = match format {
        Format::Json => (v.to_string(), "application/json; charset=utf-8"),
        Format::Xml => (to_xml(root, v), "text/xml; charset=utf-8"),
    };
    let mut r = (status, body).into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(ctype));
    r
}

/// A time in Huế's offset, e.g. `2026-11-20T08:15:00+07:00`.
pub fn hue_time(t: DateTime<Utc>) -> String {
    let hue = FixedOffset::east_opt(7 * 3600).unwrap_or_else(|| FixedOffset::east_opt(0).expect("zero offset"));
    t.with_timezone(&hue).to_rfc3339_opts(SecondsFormat::Secs, false)
}

/// Parses a W3C/RFC 3339 time (`2026-11-20T08:15:00+07:00`) or a bare date (Huế midnight).
pub fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    let d = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
    let hue = FixedOffset::east_opt(7 * 3600)?;
    d.and_hms_opt(0, 0, 0)?
        .and_local_timezone(hue)
        .single()
        .map(|t| t.with_timezone(&Utc))
}

/// Removes HTML from a citizen's text: tags (and the contents of `script`/`style`) dropped,
/// entities decoded, `<br>` and block ends kept as line breaks, runs of blank space tidied.
pub fn strip_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let starts_tag = after
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!' || c == '?');
        if !starts_tag {
            out.push('<');
            rest = after;
            continue;
        }
        let Some(end) = after.find('>') else {
            // An unfinished tag: drop the rest of it.
            rest = "";
            break;
        };
        let tag = after[..end].trim_start_matches('/').to_ascii_lowercase();
        let name: String = tag.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
        rest = &after[end + 1..];
        if !after.starts_with('/') && (name == "script" || name == "style") {
            let close = format!("</{name}");
            match rest.to_ascii_lowercase().find(&close) {
                Some(j) => {
                    rest = &rest[j..];
                    if let Some(k) = rest.find('>') {
                        rest = &rest[k + 1..];
                    }
                }
                None => rest = "",
            }
            continue;
        }
        if matches!(name.as_str(), "br" | "p" | "div" | "li" | "tr" | "h1" | "h2" | "h3") {
            out.push('\n');
        }
    }
    out.push_str(rest);
    let decoded = decode_entities(&out);
    let lines: Vec<String> = decoded
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    let mut text = String::new();
    let mut blank = false;
    for l in lines {
        if l.is_empty() {
            blank = !text.is_empty();
            continue;
        }
        if !text.is_empty() {
            text.push_str(if blank { "\n\n" } else { "\n" });
        }
        blank = false;
        text.push_str(&l);
    }
    text
}

/// Decodes the named entities people type and every numeric one.
fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let end = after.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let name = &after[..e];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ => {
                    let num = name.strip_prefix('#')?;
                    let code = match num.strip_prefix(['x', 'X']) {
                        Some(h) => u32::from_str_radix(h, 16).ok()?,
                        None => num.parse().ok()?,
                    };
                    char::from_u32(code)
                }
            }?;
            Some((c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &after[e + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_is_stripped_and_entities_decoded() {
        assert_eq!(
            strip_html("<p>Rác <b>tồn đọng</b> &amp; bốc mùi</p><script>alert(1)</script>x &lt; 3 &#7889;"),
            "Rác tồn đọng & bốc mùi\nx < 3 ố"
        );
        assert_eq!(strip_html("a < b and c<d"), "a < b and c");
        assert_eq!(strip_html("AT&T &bogus; &#xZZ;"), "AT&T &bogus; &#xZZ;");
    }

    #[test]
    fn xml_lists_get_item_names() {
        let v = serde_json::json!([{"service_code": "waste", "x": null, "n": 1.5}]);
        assert_eq!(
            to_xml("services", &v),
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<services><service><n>1.5</n><service_code>waste</service_code><x/></service></services>\n"
        );
        assert_eq!(xml_escape("a<b&\"c'"), "a&lt;b&amp;&quot;c&apos;");
    }

    #[test]
    fn times_carry_the_offset() {
        let t = parse_time("2026-11-20T08:15:00+07:00").expect("time");
        assert_eq!(hue_time(t), "2026-11-20T08:15:00+07:00");
        assert_eq!(
            hue_time(parse_time("2026-11-20").expect("date")),
            "2026-11-20T00:00:00+07:00"
        );
        assert!(parse_time("yesterday").is_none());
    }
}
