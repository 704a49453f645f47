//! The demo city's words and places: Huế's streets and landmarks, and the Vietnamese building
//! blocks of citizen field reports (phản ánh hiện trường), agency answers and officer notes.
//!
//! Both banks are TOML assets embedded in the binary (`assets/geo/streets.toml`,
//! `assets/demo/texts.toml`) and parsed once. [`TextBank::compose`] turns them into one realistic
//! report: a place in a ward, an opening, one or two problem sentences, maybe a detail and a
//! closing, sometimes rendered without diacritics, with chat abbreviations, or with a typo, and
//! sometimes naming the ward by its pre-2025 name.

use std::collections::BTreeMap;
use std::f64::consts::PI;
use std::sync::OnceLock;

use serde::Deserialize;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::demo::rng::Rng;

const STREETS_TOML: &str = include_str!("../../assets/geo/streets.toml");
const TEXTS_TOML: &str = include_str!("../../assets/demo/texts.toml");
const WARDS_TOML: &str = include_str!("../../assets/geo/wards.toml");

/// The category codes the text bank covers, in the project's canonical order.
pub use crate::domain::catalog::CATEGORY_CODES as CATEGORIES;

/// A street (or one ward's stretch of a long street) with an approximate point on it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Street {
    /// The street's name without "đường" (`Lê Lợi`).
    pub name: String,
    /// The canonical code of the ward this stretch lies in (`thuan-hoa`).
    pub ward: String,
    /// Approximate latitude (WGS84).
    pub lat: f64,
    /// Approximate longitude (WGS84).
    pub lon: f64,
}

/// A named place people refer to: a market, bridge, school, heritage site…
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Landmark {
    /// The Vietnamese name as written at the start of a sentence (`Chợ Đông Ba`).
    pub name: String,
    /// The canonical code of its ward.
    pub ward: String,
    /// Approximate latitude (WGS84).
    pub lat: f64,
    /// Approximate longitude (WGS84).
    pub lon: f64,
    /// What it is: `market`, `school`, `hospital`, `bridge`, `park`, `pagoda`, `heritage`, …
    pub kind: String,
}

/// The demo city's streets and landmarks.
#[derive(Debug, Clone, Deserialize)]
pub struct Geo {
    /// Every street stretch.
    #[serde(rename = "street")]
    pub streets: Vec<Street>,
    /// Every landmark.
    #[serde(rename = "landmark")]
    pub landmarks: Vec<Landmark>,
}

impl Geo {
    /// The embedded streets and landmarks, parsed once.
    ///
    /// Panics only if the embedded asset is broken, which the tests guard.
    pub fn load() -> &'static Geo {
        static GEO: OnceLock<Geo> = OnceLock::new();
        GEO.get_or_init(|| toml::from_str(STREETS_TOML).expect("assets/geo/streets.toml parses"))
    }

    /// The landmark nearest to a point, with its distance in metres (None without landmarks).
    pub fn nearest_landmark(&self, lat: f64, lon: f64) -> Option<(&Landmark, f64)> {
        self.landmarks
            .iter()
            .map(|l| (l, metres(lat, lon, l.lat, l.lon)))
            .min_by(|a, b| a.1.total_cmp(&b.1))
    }
}

/// Approximate distance in metres between two nearby points (equirectangular).
fn metres(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let k = 111_320.0;
    let dy = (lat2 - lat1) * k;
    let dx = (lon2 - lon1) * k * ((lat1 + lat2) / 2.0).to_radians().cos();
    (dx * dx + dy * dy).sqrt()
}

#[derive(Debug, Deserialize)]
struct WardFile {
    ward: Vec<WardRow>,
}

#[derive(Debug, Deserialize)]
struct WardRow {
    code: String,
    name: String,
    #[serde(default)]
    old: Vec<OldUnit>,
}

#[derive(Debug, Deserialize)]
struct OldUnit {
    name: String,
    lat: f64,
    lon: f64,
}

#[derive(Debug, Deserialize)]
struct TextFile {
    openings: Vec<String>,
    closings: Vec<String>,
    times: Vec<String>,
    notes: Vec<String>,
    return_reasons: Vec<String>,
    category: BTreeMap<String, CategoryTexts>,
}

#[derive(Debug, Deserialize)]
struct CategoryTexts {
    problems: Vec<String>,
    details: Vec<String>,
    answers: Vec<String>,
}

/// The Vietnamese building blocks of reports, answers and notes, with the places to put them.
#[derive(Debug)]
pub struct TextBank {
    texts: TextFile,
    wards: Vec<WardRow>,
    geo: &'static Geo,
}

/// A generated report: the text and where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Composed {
    /// The citizen's text, one line.
    pub text: String,
    /// The address as the citizen gave it (`kiệt 27 Hoàng Quốc Việt, phường An Cựu`).
    pub address: String,
    /// The canonical ward code (`an-cuu`), even when the text names the old ward.
    pub ward: String,
    /// Latitude of the reported point.
    pub lat: f64,
    /// Longitude of the reported point.
    pub lon: f64,
}

/// Where a report is, before its text is written.
struct Spot {
    /// The place phrase for `{place}` ("trước cổng chợ Đông Ba", "trước nhà số 12 Lê Lợi").
    place: String,
    /// The same place as a bare noun phrase ("chợ Đông Ba", "đường Lê Lợi"), for templates whose
    /// own word already says where ("đầu {place}", "gần {place}").
    bare: String,
    /// The address core, without the ward.
    address: String,
    /// The landmark phrase for `{landmark}`.
    landmark: String,
    ward: String,
    lat: f64,
    lon: f64,
}

impl TextBank {
    /// The embedded text bank, parsed once.
    ///
    /// Panics only if an embedded asset is broken, which the tests guard.
    pub fn load() -> &'static TextBank {
        static BANK: OnceLock<TextBank> = OnceLock::new();
        BANK.get_or_init(|| {
            let texts: TextFile = toml::from_str(TEXTS_TOML).expect("assets/demo/texts.toml parses");
            let wards: WardFile = toml::from_str(WARDS_TOML).expect("assets/geo/wards.toml parses");
            TextBank {
                texts,
                wards: wards.ward,
                geo: Geo::load(),
            }
        })
    }

    /// The category codes present in the bank, sorted.
    pub fn categories(&self) -> Vec<&str> {
        self.texts.category.keys().map(String::as_str).collect()
    }

    /// The problem templates of a category (empty for an unknown code).
    pub fn problems(&self, category: &str) -> &[String] {
        self.texts.category.get(category).map_or(&[], |c| c.problems.as_slice())
    }

    /// The canonical ward codes the bank knows (from `assets/geo/wards.toml`).
    pub fn ward_codes(&self) -> Vec<&str> {
        self.wards.iter().map(|w| w.code.as_str()).collect()
    }

    /// The texts of a category; an unknown code falls back to `invalid`.
    fn category(&self, category: &str) -> (&CategoryTexts, bool) {
        match self.texts.category.get(category) {
            Some(c) => (c, category == "invalid"),
            None => (&self.texts.category["invalid"], true),
        }
    }

    /// Composes one citizen report of `category` (a code of [`CATEGORIES`]) with the given
    /// generator; an unknown code composes a not-actionable (`invalid`) text.
    ///
    /// Picks a street or landmark (its ward and a coordinate jittered by up to ~150 m), an
    /// opening, one or two problem sentences, maybe a detail and a closing; then sometimes renders
    /// it in another register: ~12% without diacritics, ~8% with chat abbreviations, ~3% with a
    /// small typo. About 15% name the old (pre-2025) ward instead of the new one.
    pub fn compose(&self, category: &str, rng: &mut Rng) -> Composed {
        let (cat, invalid) = self.category(category);
        let heritage = category == "heritage_tourism";
        let spot = self.spot(heritage, rng);
        let ward_label = self.ward_label(&spot, rng);
        let time = rng.pick(&self.texts.times).clone();
        let with_ward = format!("{}, {}", spot.place, ward_label);
        let (place, bare) = if rng.chance(0.35) {
            (with_ward.clone(), format!("{}, {}", spot.bare, ward_label))
        } else {
            (spot.place.clone(), spot.bare.clone())
        };
        // `{place}` after a word that already says where ("đầu", "gần", …) takes the bare phrase.
        // (Only the slots a phrase has are looked for: most have none, and a replacement that
        // finds nothing still copies the phrase — this was a quarter of the seed's work.)
        let fill = |t: &str, place: &str, bare: &str| -> String {
            let mut t = t.to_string();
            if t.contains("{place}") {
                for lead in BARE_LEADS {
                    let slot = format!("{lead} {{place}}");
                    if t.contains(&slot) {
                        t = t.replace(&slot, &format!("{lead} {bare}"));
                    }
                }
            }
            if t.contains('{') {
                t = t
                    .replace("{place}", place)
                    .replace("{landmark}", &spot.landmark)
                    .replace("{time}", &time)
                    .replace("{ward}", &ward_label);
            }
            capitalize(&t)
        };

        let mut parts: Vec<String> = Vec::new();
        let p_open = if invalid { 0.25 } else { 0.65 };
        let mut casual_comma = false;
        if rng.chance(p_open) {
            let o = rng.pick(&self.texts.openings).as_str();
            casual_comma = o.ends_with(',') && !o.starts_with("Kính gửi");
            parts.push(fill(o, &place, &bare));
        }
        let first = rng.below(cat.problems.len() as u64) as usize;
        let p1 = &cat.problems[first];
        let body = fill(p1, &place, &bare);
        parts.push(if casual_comma { lower_first(&body) } else { body });
        if !invalid && !p1.contains("{place}") && !p1.contains("{landmark}") {
            let where_ = match rng.below(5) {
                0 => format!("Địa điểm: {with_ward}."),
                1 => format!("Vị trí: {with_ward}."),
                2 => format!("Địa chỉ: {with_ward}."),
                3 => format!("Ở {}, {ward_label}.", spot.bare),
                _ => format!("Tại {}, {ward_label}.", spot.bare),
            };
            parts.push(where_);
        }
        if !invalid && cat.problems.len() > 1 && rng.chance(0.3) {
            let mut second = rng.below(cat.problems.len() as u64 - 1) as usize;
            if second >= first {
                second += 1;
            }
            let here = *rng.pick(&["khu vực này", "đây", "chỗ này"]);
            parts.push(fill(&cat.problems[second], here, here));
        }
        if rng.chance(if invalid { 0.2 } else { 0.45 }) {
            parts.push(fill(rng.pick(&cat.details).as_str(), &place, &bare));
        }
        if rng.chance(if invalid { 0.2 } else { 0.6 }) {
            parts.push(fill(rng.pick(&self.texts.closings).as_str(), &place, &bare));
        }
        let mut text = parts.join(" ");

        let register = rng.unit();
        if register < 0.12 {
            text = strip_diacritics(&text);
        } else if register < 0.20 {
            text = abbreviate(&text, rng);
        }
        if rng.chance(0.03) {
            text = typo(&text, rng);
        }
        let address = if rng.chance(0.8) {
            format!("{}, {}", spot.address, ward_label)
        } else {
            spot.address.clone()
        };
        Composed {
            text,
            address,
            ward: spot.ward,
            lat: spot.lat,
            lon: spot.lon,
        }
    }

    /// An agency's answer text for a category (the IOC's rejection text for `invalid` or an
    /// unknown code), e.g. "Đã cho xe thu gom rác tại vị trí phản ánh, khu vực đã sạch."
    pub fn answer(&self, category: &str, rng: &mut Rng) -> String {
        rng.pick(&self.category(category).0.answers).clone()
    }

    /// A short duty officer's note on a report.
    pub fn note(&self, rng: &mut Rng) -> String {
        rng.pick(&self.texts.notes).clone()
    }

    /// A reason the IOC gives when it returns an agency's answer as not good enough.
    pub fn return_reason(&self, rng: &mut Rng) -> String {
        rng.pick(&self.texts.return_reasons).clone()
    }

    /// Picks where the report is: a street stretch (75%) or a landmark; a heritage or tourism
    /// report is mostly at a heritage site, pagoda, lake, bridge, market or beach.
    fn spot(&self, heritage: bool, rng: &mut Rng) -> Spot {
        let geo = self.geo;
        if heritage && rng.chance(0.7) {
            let sites: Vec<&Landmark> = geo
                .landmarks
                .iter()
                .filter(|l| {
                    matches!(
                        l.kind.as_str(),
                        "heritage" | "pagoda" | "lake" | "bridge" | "market" | "beach"
                    )
                })
                .collect();
            if !sites.is_empty() {
                let l = *rng.pick(sites.as_slice());
                return self.landmark_spot(l, rng);
            }
        }
        if geo.landmarks.is_empty() || (!geo.streets.is_empty() && rng.chance(0.75)) {
            let s = rng.pick(&geo.streets);
            let (lat, lon) = jitter(s.lat, s.lon, rng);
            let near = geo.nearest_landmark(s.lat, s.lon);
            let landmark = near.map_or_else(|| street_phrase(&s.name), |(l, _)| in_sentence(l));
            let n = 1 + rng.below(180);
            let street = street_phrase(&s.name);
            let (place, address) = match rng.weighted(&[0.30, 0.30, 0.08, 0.12, 0.10, 0.10]) {
                1 => (format!("kiệt {n} {}", s.name), format!("kiệt {n} {}", s.name)),
                2 => {
                    let m = 1 + rng.below(40);
                    let a = format!("kiệt {n}/{m} {}", s.name);
                    (a.clone(), a)
                }
                3 => (format!("trước nhà số {n} {}", s.name), format!("{n} {}", s.name)),
                4 if near.is_some_and(|(_, d)| d < 700.0) => (format!("đoạn {street} gần {landmark}"), street.clone()),
                5 => match self.cross_street(s) {
                    Some(other) => {
                        let a = format!("ngã tư {} – {other}", s.name);
                        (a.clone(), a)
                    }
                    None => (street.clone(), street.clone()),
                },
                _ => (street.clone(), street.clone()),
            };
            let bare = if place.starts_with("kiệt") || place.starts_with("ngã tư") {
                place.clone()
            } else {
                street
            };
            Spot {
                place,
                bare,
                address,
                landmark,
                ward: s.ward.clone(),
                lat,
                lon,
            }
        } else {
            self.landmark_spot(rng.pick(&geo.landmarks), rng)
        }
    }

    /// A report's place at a landmark.
    fn landmark_spot(&self, l: &Landmark, rng: &mut Rng) -> Spot {
        let (lat, lon) = jitter(l.lat, l.lon, rng);
        let name = in_sentence(l);
        let lead = match l.kind.as_str() {
            "bridge" => *rng.pick(&["đầu", "chân", "gần", "trên"]),
            "market" | "school" | "hospital" | "pagoda" | "church" | "station" => {
                *rng.pick(&["trước cổng", "gần", "khu vực", "xung quanh"])
            }
            _ => *rng.pick(&["khu vực", "gần", "xung quanh"]),
        };
        Spot {
            place: format!("{lead} {name}"),
            bare: name.clone(),
            address: l.name.clone(),
            landmark: name,
            ward: l.ward.clone(),
            lat,
            lon,
        }
    }

    /// The nearest street of another name in the same ward, to name a crossing.
    fn cross_street(&self, s: &Street) -> Option<&str> {
        self.geo
            .streets
            .iter()
            .filter(|o| o.ward == s.ward && o.name != s.name)
            .map(|o| (o, metres(s.lat, s.lon, o.lat, o.lon)))
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(o, _)| o.name.as_str())
    }

    /// The ward as the citizen writes it: "phường Thuận Hóa", or ~15% of the time the old unit
    /// nearest to the point ("phường Vĩnh Ninh", "Phường Đúc").
    fn ward_label(&self, spot: &Spot, rng: &mut Rng) -> String {
        let Some(w) = self.wards.iter().find(|w| w.code == spot.ward) else {
            return spot.ward.clone();
        };
        let name = if rng.chance(0.15) && !w.old.is_empty() {
            w.old
                .iter()
                .min_by(|a, b| {
                    metres(spot.lat, spot.lon, a.lat, a.lon).total_cmp(&metres(spot.lat, spot.lon, b.lat, b.lon))
                })
                .map_or(w.name.as_str(), |o| o.name.as_str())
        } else {
            w.name.as_str()
        };
        if name.starts_with("Phường ") {
            name.to_string()
        } else {
            format!("phường {name}")
        }
    }
}

/// A landmark's name as written mid-sentence: a leading common noun is lower-cased
/// (`Chợ Đông Ba` → `chợ Đông Ba`), proper names stay (`Đại Nội`, `Đập Đá`).
fn in_sentence(l: &Landmark) -> String {
    const NOUNS: [&str; 22] = [
        "Chợ",
        "Cầu",
        "Hồ",
        "Ga",
        "Bến",
        "Bệnh",
        "Trường",
        "Chùa",
        "Công",
        "Cửa",
        "Nhà",
        "Sân",
        "Núi",
        "Đồi",
        "Điện",
        "Lăng",
        "Phố",
        "Bãi",
        "Cồn",
        "Đàn",
        "Cung",
        "Trung",
    ];
    let first = l.name.split(' ').next().unwrap_or("");
    if NOUNS.contains(&first) {
        let mut c = l.name.chars();
        match c.next() {
            Some(f) => f.to_lowercase().chain(c).collect(),
            None => String::new(),
        }
    } else {
        l.name.clone()
    }
}

/// A point moved by up to ~150 m in a random direction, rounded to 6 decimals.
fn jitter(lat: f64, lon: f64, rng: &mut Rng) -> (f64, f64) {
    let r = 150.0 * rng.unit().sqrt();
    let a = 2.0 * PI * rng.unit();
    let dlat = r * a.cos() / 111_320.0;
    let dlon = r * a.sin() / (111_320.0 * lat.to_radians().cos());
    let round = |x: f64| (x * 1e6).round() / 1e6;
    (round(lat + dlat), round(lon + dlon))
}

/// A street as written in a sentence: "đường Lê Lợi", but "Tỉnh lộ 10A" as it is.
fn street_phrase(name: &str) -> String {
    if name.starts_with("Tỉnh lộ") || name.starts_with("Quốc lộ") {
        name.to_string()
    } else {
        format!("đường {name}")
    }
}

/// Words after which a template's `{place}` takes the bare noun phrase.
const BARE_LEADS: [&str; 15] = [
    "đầu",
    "gần",
    "Khu vực",
    "khu vực",
    "dọc",
    "Dọc",
    "góc",
    "khúc cua",
    "đoạn",
    "lề đường",
    "quanh",
    "hai bên",
    "giữa",
    "cho",
    "Tại",
];

/// Lower-cases the first character.
fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Upper-cases the first character.
fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Strips Vietnamese diacritics but keeps case and punctuation: `Đường Lê Lợi, phường Phú Hội!`
/// → `Duong Le Loi, phuong Phu Hoi!` (unlike [`crate::domain::text::fold`], which also
/// lower-cases and collapses spaces).
pub fn strip_diacritics(s: &str) -> String {
    s.nfd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| match c {
            'đ' => 'd',
            'Đ' => 'D',
            c => c,
        })
        .nfc()
        .collect()
}

/// Splits text into runs of letters/digits (words) and runs of everything else.
fn tokens(s: &str) -> Vec<(bool, String)> {
    let mut out: Vec<(bool, String)> = Vec::new();
    for c in s.chars() {
        let w = c.is_alphanumeric();
        match out.last_mut() {
            Some((kind, t)) if *kind == w => t.push(c),
            _ => out.push((w, c.to_string())),
        }
    }
    out
}

/// Rewrites common words the way people type them on a phone: k/ko, dc/đc, ng, j, bít, and
/// `P.`/`đ.` before a ward or street name.
fn abbreviate(s: &str, rng: &mut Rng) -> String {
    let toks = tokens(s);
    let mut out = String::with_capacity(s.len());
    for (i, (word, t)) in toks.iter().enumerate() {
        if !word {
            out.push_str(t);
            continue;
        }
        let lower = t.to_lowercase();
        let next_is_name = toks
            .get(i + 2)
            .is_some_and(|(w, n)| *w && n.chars().next().is_some_and(char::is_uppercase))
            && toks.get(i + 1).is_some_and(|(_, sep)| sep == " ");
        let short: Option<&str> = match lower.as_str() {
            "không" => Some(*rng.pick(&["k", "ko", "ko"])),
            "được" => Some(*rng.pick(&["dc", "đc"])),
            "người" => Some("ng"),
            "gì" => Some("j"),
            "biết" => Some("bít"),
            "rồi" => Some("r"),
            "với" => Some("vs"),
            "nhiều" => Some("nhìu"),
            "phường" if next_is_name => Some("P."),
            "đường" if next_is_name => Some("đ."),
            _ => None,
        };
        match short {
            Some(a) if rng.chance(0.8) => {
                let upper = t.chars().next().is_some_and(char::is_uppercase);
                if upper && a != "P." {
                    out.push_str(&capitalize(a));
                } else {
                    out.push_str(a);
                }
            }
            _ => out.push_str(t),
        }
    }
    // "P." or "đ." followed by a space reads fine; avoid a doubled dot before punctuation.
    out.replace("..", ".")
}

/// Puts one small typo into a word of four letters or more: two letters swapped, one dropped,
/// or one doubled.
fn typo(s: &str, rng: &mut Rng) -> String {
    let toks = tokens(s);
    let long: Vec<usize> = toks
        .iter()
        .enumerate()
        .filter(|(_, (w, t))| *w && t.chars().count() >= 4)
        .map(|(i, _)| i)
        .collect();
    if long.is_empty() {
        return s.to_string();
    }
    let at = *rng.pick(&long);
    let mut chars: Vec<char> = toks[at].1.chars().collect();
    let i = 1 + rng.below(chars.len() as u64 - 2) as usize;
    match rng.below(3) {
        0 => chars.swap(i, i + 1),
        1 => {
            chars.remove(i);
        }
        _ => chars.insert(i, chars[i]),
    }
    toks.iter()
        .enumerate()
        .map(|(k, (_, t))| if k == at { chars.iter().collect() } else { t.clone() })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn in_hue(lat: f64, lon: f64) -> bool {
        (16.40..=16.58).contains(&lat) && (107.52..=107.65).contains(&lon)
    }

    #[test]
    fn assets_parse() {
        let geo = Geo::load();
        assert!(geo.streets.len() >= 120, "{} streets", geo.streets.len());
        assert!(geo.landmarks.len() >= 40, "{} landmarks", geo.landmarks.len());
        let bank = TextBank::load();
        assert_eq!(bank.categories().len(), CATEGORIES.len());
        assert_eq!(bank.wards.len(), 11);
        assert!(bank.texts.notes.len() >= 15);
        assert!(bank.texts.return_reasons.len() >= 10);
    }

    #[test]
    fn every_category_is_rich() {
        let bank = TextBank::load();
        for c in CATEGORIES {
            let cat = &bank.texts.category[c];
            let distinct: HashSet<&String> = cat.problems.iter().collect();
            assert!(distinct.len() >= 25, "{c}: {} problems", distinct.len());
            assert!(cat.answers.len() >= 10, "{c}: {} answers", cat.answers.len());
            assert!(!cat.details.is_empty(), "{c}: no details");
        }
        let mut rng = Rng::new(3);
        assert!(!bank.answer("waste", &mut rng).is_empty());
        assert!(!bank.note(&mut rng).is_empty());
        assert!(!bank.return_reason(&mut rng).is_empty());
    }

    #[test]
    fn templates_use_known_slots_only() {
        let bank = TextBank::load();
        let t = &bank.texts;
        let all = t
            .openings
            .iter()
            .chain(&t.closings)
            .chain(t.category.values().flat_map(|c| c.problems.iter().chain(&c.details)));
        for s in all {
            let rest = s
                .replace("{place}", "")
                .replace("{landmark}", "")
                .replace("{time}", "")
                .replace("{ward}", "");
            assert!(!rest.contains('{') && !rest.contains('}'), "bad slot in {s:?}");
        }
    }

    #[test]
    fn places_are_in_known_wards_and_in_hue() {
        let bank = TextBank::load();
        let codes: HashSet<&str> = bank.ward_codes().into_iter().collect();
        let geo = Geo::load();
        for s in &geo.streets {
            assert!(codes.contains(s.ward.as_str()), "street {} ward {}", s.name, s.ward);
            assert!(in_hue(s.lat, s.lon), "street {} at {},{}", s.name, s.lat, s.lon);
        }
        for l in &geo.landmarks {
            assert!(codes.contains(l.ward.as_str()), "landmark {} ward {}", l.name, l.ward);
            assert!(in_hue(l.lat, l.lon), "landmark {} at {},{}", l.name, l.lat, l.lon);
            assert!(!l.kind.is_empty());
        }
    }

    #[test]
    fn compose_is_deterministic() {
        let bank = TextBank::load();
        for c in CATEGORIES {
            let a = bank.compose(c, &mut Rng::new(42));
            let b = bank.compose(c, &mut Rng::new(42));
            assert_eq!(a, b);
        }
        let mut r1 = Rng::new(9);
        let mut r2 = Rng::new(9);
        for i in 0..200 {
            let c = CATEGORIES[i % CATEGORIES.len()];
            assert_eq!(bank.compose(c, &mut r1), bank.compose(c, &mut r2));
        }
    }

    #[test]
    fn many_reports_are_varied_and_clean() {
        let bank = TextBank::load();
        let codes: HashSet<&str> = bank.ward_codes().into_iter().collect();
        let mut rng = Rng::new(2025);
        let n = 2000;
        let mut texts = HashSet::new();
        let (mut marked, mut plain, mut old_names) = (0, 0, 0);
        for i in 0..n {
            let c = CATEGORIES[i % CATEGORIES.len()];
            let r = bank.compose(c, &mut rng);
            assert!(!r.text.trim().is_empty());
            assert!(!r.text.chars().any(char::is_control), "control char in {:?}", r.text);
            assert!(!r.address.chars().any(char::is_control));
            assert!(!r.text.contains('{'), "unfilled slot in {:?}", r.text);
            assert!(codes.contains(r.ward.as_str()));
            assert!(in_hue(r.lat, r.lon), "{},{}", r.lat, r.lon);
            if strip_diacritics(&r.text) == r.text {
                plain += 1;
            } else {
                marked += 1;
            }
            let folded = crate::domain::text::fold(&r.address);
            if ["vinh ninh", "phu hoi", "dong ba", "gia hoi", "tay loc", "xuan phu"]
                .iter()
                .any(|o| folded.contains(o))
            {
                old_names += 1;
            }
            texts.insert(r.text);
        }
        assert!(texts.len() >= 1500, "only {} distinct texts", texts.len());
        assert!(marked * 10 >= n * 7, "only {marked} with diacritics");
        assert!(plain >= n / 20, "only {plain} without diacritics");
        assert!(old_names > 0, "no old ward names");
    }

    #[test]
    fn strips_diacritics_keeping_case() {
        assert_eq!(
            strip_diacritics("Đường Lê Lợi, phường Phú Hội!"),
            "Duong Le Loi, phuong Phu Hoi!"
        );
        assert_eq!(strip_diacritics("Thuỷ Biều – ĐẬP ĐÁ"), "Thuy Bieu – DAP DA");
    }

    #[test]
    fn abbreviates_like_a_phone() {
        let mut rng = Rng::new(1);
        let mut seen_p = false;
        for _ in 0..50 {
            let s = abbreviate("Người ta không biết gì, phường Vĩnh Ninh được không", &mut rng);
            assert!(!s.contains(".."));
            seen_p |= s.contains("P. Vĩnh Ninh");
        }
        assert!(seen_p);
    }

    #[test]
    fn typo_changes_one_word() {
        let mut rng = Rng::new(5);
        let s = "Rác tồn đọng nhiều ngày";
        let t = typo(s, &mut rng);
        assert_ne!(s, t);
        assert_eq!(typo("a b c", &mut rng), "a b c");
    }
}
