//! The desk's user-facing text: one embedded catalogue per language (`assets/i18n/*.toml`).

use std::collections::BTreeMap;

const EN: &str = include_str!("../../assets/i18n/en.toml");
const VI: &str = include_str!("../../assets/i18n/vi.toml");

/// A language of the desk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// English.
    En,
    /// Vietnamese.
    Vi,
}

impl Lang {
    /// `--lang` or the config's `lang` when given, else `LANG` (`vi*` gives Vietnamese), else English.
    pub fn pick(explicit: Option<&str>, env_lang: Option<&str>) -> Lang {
        let from = |s: &str| {
            if s.to_ascii_lowercase().starts_with("vi") {
                Lang::Vi
            } else {
                Lang::En
            }
        };
        match explicit {
            Some(s) if !s.trim().is_empty() => from(s),
            _ => env_lang.map(from).unwrap_or(Lang::En),
        }
    }
}

/// A loaded catalogue: dotted keys (`panel.queue`) to text, English as the fallback.
#[derive(Debug, Clone)]
pub struct I18n {
    lang: Lang,
    texts: BTreeMap<String, String>,
    fallback: BTreeMap<String, String>,
}

/// Flattens nested TOML tables into dotted keys.
fn flatten(prefix: &str, v: &toml::Value, out: &mut BTreeMap<String, String>) {
    match v {
        toml::Value::Table(t) => {
            for (k, v) in t {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&key, v, out);
            }
        }
        toml::Value::String(s) => {
            out.insert(prefix.to_string(), s.clone());
        }
        other => {
            out.insert(prefix.to_string(), other.to_string());
        }
    }
}

/// Parses one embedded catalogue; an unparsable one is empty (a test keeps them parsable).
fn load(src: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    if let Ok(v) = src.parse::<toml::Table>() {
        flatten("", &toml::Value::Table(v), &mut out);
    }
    out
}

impl I18n {
    /// The catalogue for a language.
    pub fn new(lang: Lang) -> I18n {
        let texts = load(match lang {
            Lang::En => EN,
            Lang::Vi => VI,
        });
        I18n {
            lang,
            texts,
            fallback: load(EN),
        }
    }

    /// The language.
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// The text for a key; the English text, then the key itself, when missing.
    pub fn t<'a>(&'a self, key: &'a str) -> &'a str {
        self.texts
            .get(key)
            .or_else(|| self.fallback.get(key))
            .map(String::as_str)
            .unwrap_or(key)
    }

    /// The text for a key with `{name}` placeholders filled in.
    pub fn tf(&self, key: &str, args: &[(&str, &str)]) -> String {
        let mut s = self.t(key).to_string();
        for (k, v) in args {
            s = s.replace(&format!("{{{k}}}"), v);
        }
        s
    }

    /// Every key of a catalogue (for the parity test).
    pub fn keys(lang: Lang) -> Vec<String> {
        I18n::new(lang).texts.into_keys().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogues_have_the_same_keys() {
        let en = I18n::keys(Lang::En);
        assert!(en.len() > 40);
        assert_eq!(en, I18n::keys(Lang::Vi));
    }

    #[test]
    fn lang_pick() {
        assert_eq!(Lang::pick(None, Some("vi_VN.UTF-8")), Lang::Vi);
        assert_eq!(Lang::pick(Some("en"), Some("vi_VN.UTF-8")), Lang::En);
        assert_eq!(Lang::pick(None, Some("C.UTF-8")), Lang::En);
        assert_eq!(
            I18n::new(Lang::Vi).t("small.message"),
            "Cửa sổ quá nhỏ: cần ít nhất 60×16"
        );
    }
}
