//! The fixed reference data of the IOC: categories (lĩnh vực), agencies and wards.

use super::model::Priority;
use super::text::slug;
use serde::Deserialize;
use std::sync::OnceLock;

/// A category of field report and its defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct Category {
    /// Stable code (DOMAIN.md).
    pub code: &'static str,
    /// Vietnamese name, as the desk shows it.
    pub name_vi: &'static str,
    /// English name.
    pub name_en: &'static str,
    /// Agencies a report of this category goes to by default; `ward` means the ward's People's
    /// Committee (`ward-<code>`).
    pub agencies: &'static [&'static str],
    /// Default priority.
    pub priority: Priority,
    /// Working days allowed to answer.
    pub deadline_days: u32,
    /// Raised by the system itself (a camera outage, a watched plate, a service-level alert),
    /// never offered to citizens.
    pub system: bool,
}

/// Every category, `invalid` last.
pub const CATEGORIES: &[Category] = &[
    cat(
        "waste",
        "Môi trường – rác thải",
        "Environment – waste",
        &["hepco"],
        Priority::P3,
    ),
    cat(
        "drainage",
        "Thoát nước – ngập úng",
        "Drainage – flooding",
        &["infra"],
        Priority::P2,
    ),
    cat("water_supply", "Cấp nước", "Water supply", &["huewaco"], Priority::P3),
    cat(
        "trees_parks",
        "Cây xanh – công viên",
        "Trees – parks",
        &["parks"],
        Priority::P3,
    ),
    cat(
        "street_lighting",
        "Chiếu sáng công cộng",
        "Street lighting",
        &["ward"],
        Priority::P3,
    ),
    cat(
        "roads",
        "Hạ tầng giao thông",
        "Roads and traffic infrastructure",
        &["construction"],
        Priority::P3,
    ),
    cat(
        "power_telecom",
        "Điện – viễn thông",
        "Power – telecom",
        &["evn-hue"],
        Priority::P3,
    ),
    cat(
        "urban_order",
        "Trật tự đô thị – xây dựng",
        "Urban order – building",
        &["ward"],
        Priority::P4,
    ),
    cat(
        "public_security",
        "An ninh trật tự – ATGT",
        "Public order – traffic safety",
        &["police"],
        Priority::P2,
    ),
    cat(
        "health",
        "Y tế – an toàn thực phẩm",
        "Health – food safety",
        &["health"],
        Priority::P3,
    ),
    cat(
        "heritage_tourism",
        "Di tích – du lịch",
        "Heritage – tourism",
        &["heritage"],
        Priority::P4,
    ),
    sys(
        "camera_outage",
        "Sự cố camera",
        "Camera outage",
        &["cam-maint"],
        Priority::P2,
        2,
    ),
    sys(
        "watchlist",
        "Biển số trong danh sách theo dõi",
        "Watched plate seen",
        &["police"],
        Priority::P1,
        1,
    ),
    sys(
        "service_level",
        "Cảnh báo chỉ tiêu dịch vụ",
        "Service-level alert",
        &["ioc"],
        Priority::P2,
        3,
    ),
    cat("invalid", "Không hợp lệ", "Not actionable", &[], Priority::P4),
];

const fn cat(
    code: &'static str,
    name_vi: &'static str,
    name_en: &'static str,
    agencies: &'static [&'static str],
    priority: Priority,
) -> Category {
    Category {
        code,
        name_vi,
        name_en,
        agencies,
        priority,
        deadline_days: 7,
        system: false,
    }
}

/// A category the system raises itself, with its own deadline.
const fn sys(
    code: &'static str,
    name_vi: &'static str,
    name_en: &'static str,
    agencies: &'static [&'static str],
    priority: Priority,
    deadline_days: u32,
) -> Category {
    Category {
        code,
        name_vi,
        name_en,
        agencies,
        priority,
        deadline_days,
        system: true,
    }
}

/// The category codes in catalogue order (the classifier's labels).
pub const CATEGORY_CODES: [&str; 12] = [
    "waste",
    "drainage",
    "water_supply",
    "trees_parks",
    "street_lighting",
    "roads",
    "power_telecom",
    "urban_order",
    "public_security",
    "health",
    "heritage_tourism",
    "invalid",
];

/// The category with this code.
pub fn category(code: &str) -> Option<&'static Category> {
    CATEGORIES.iter().find(|c| c.code == code)
}

/// A handling unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Agency {
    /// Stable code, e.g. `hepco` or `ward-phu-xuan`.
    pub code: String,
    /// Vietnamese name.
    pub name: String,
}

const AGENCIES: &[(&str, &str)] = &[
    ("hepco", "Công ty CP Môi trường và Công trình đô thị Huế"),
    ("infra", "Trung tâm Quản lý và khai thác hạ tầng TP Huế"),
    ("huewaco", "Công ty CP Cấp nước Huế"),
    ("parks", "Trung tâm Công viên cây xanh Huế"),
    ("construction", "Sở Xây dựng"),
    ("roads-office", "Văn phòng quản lý đường bộ"),
    ("evn-hue", "Công ty Điện lực Thừa Thiên Huế"),
    ("telecom", "Các doanh nghiệp viễn thông"),
    ("police", "Công an TP Huế"),
    ("health", "Sở Y tế"),
    ("heritage", "Trung tâm Bảo tồn Di tích Cố đô Huế"),
    ("tourism", "Sở Du lịch"),
    ("ioc", "Trung tâm Giám sát, điều hành đô thị thông minh (IOC)"),
    // The maintenance unit that camera outages go to (not named in the public sources).
    ("cam-maint", "Tổ kỹ thuật bảo trì camera (IOC)"),
];

/// Every agency: the fixed units, then one People's Committee per ward.
pub fn agencies() -> &'static [Agency] {
    static ALL: OnceLock<Vec<Agency>> = OnceLock::new();
    ALL.get_or_init(|| {
        let mut v: Vec<Agency> = AGENCIES
            .iter()
            .map(|(c, n)| Agency {
                code: (*c).into(),
                name: (*n).into(),
            })
            .collect();
        for w in wards() {
            v.push(Agency {
                code: format!("ward-{}", w.code),
                name: format!("UBND phường {}", w.name),
            });
        }
        v
    })
}

/// The agency with this code.
pub fn agency(code: &str) -> Option<&'static Agency> {
    agencies().iter().find(|a| a.code == code)
}

/// The default agencies for a category in a ward (a canonical ward code): the routing rules in
/// force ([`super::routing::active`]), `ward` entries resolved to the ward's committee.
pub fn default_agencies(category: &str, ward: Option<&str>) -> Vec<String> {
    super::routing::active().agencies(category, ward)
}

/// A ward (phường) with the old units merged into it.
#[derive(Debug, Clone, PartialEq)]
pub struct Ward {
    /// Code: the name folded with hyphens (`phu-xuan`).
    pub code: String,
    /// Name as written today.
    pub name: String,
    /// Approximate centre.
    pub lat: f64,
    /// Approximate centre.
    pub lon: f64,
    /// Old units, with their approximate centres.
    pub old: Vec<OldUnit>,
}

/// A pre-2025 ward or commune, now an alias.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct OldUnit {
    /// Its name.
    pub name: String,
    /// Approximate centre.
    pub lat: f64,
    /// Approximate centre.
    pub lon: f64,
}

#[derive(Deserialize)]
struct WardFile {
    ward: Vec<WardRow>,
}

#[derive(Deserialize)]
struct WardRow {
    code: String,
    name: String,
    lat: f64,
    lon: f64,
    old: Vec<OldUnit>,
}

/// The wards of the demo city (assets/geo/wards.toml, embedded).
pub fn wards() -> &'static [Ward] {
    static ALL: OnceLock<Vec<Ward>> = OnceLock::new();
    ALL.get_or_init(|| {
        let f: WardFile = toml::from_str(include_str!("../../assets/geo/wards.toml"))
            .expect("assets/geo/wards.toml is embedded and checked by a test");
        f.ward
            .into_iter()
            .map(|w| Ward {
                code: w.code,
                name: w.name,
                lat: w.lat,
                lon: w.lon,
                old: w.old,
            })
            .collect()
    })
}

/// The ward with this code.
pub fn ward(code: &str) -> Option<&'static Ward> {
    wards().iter().find(|w| w.code == code)
}

/// Resolves a ward given by code, name or old name, with or without diacritics and the
/// "phường" prefix: `Phú Hội`, `phu hoi`, `P. Phú Hội` and `thuan-hoa` all give `thuan-hoa`.
pub fn resolve_ward(input: &str) -> Option<&'static Ward> {
    /// Lookup tables built once: exact spellings (tone-normalised, lowercase) and slugs.
    struct Index {
        exact: std::collections::HashMap<String, usize>,
        slugs: std::collections::HashMap<String, usize>,
    }
    static INDEX: OnceLock<Index> = OnceLock::new();
    let ix = INDEX.get_or_init(|| {
        let mut exact = std::collections::HashMap::new();
        let mut slugs = std::collections::HashMap::new();
        // Old names first, so a new ward's own name overwrites an old one that reads the same.
        for (i, w) in wards().iter().enumerate() {
            for o in &w.old {
                exact.entry(tone_normal(&o.name.to_lowercase())).or_insert(i);
                slugs.entry(slug(&o.name)).or_insert(i);
            }
        }
        for (i, w) in wards().iter().enumerate() {
            exact.insert(tone_normal(&w.name.to_lowercase()), i);
            slugs.insert(w.code.clone(), i);
        }
        Index { exact, slugs }
    });
    if let Some(w) = wards().iter().find(|w| w.code == input) {
        return Some(w);
    }
    let lower = input.trim().to_lowercase();
    let mut name = lower.as_str();
    for p in ["phường ", "phuong ", "p. ", "p.", "xã ", "xa "] {
        if let Some(rest) = name.strip_prefix(p) {
            name = rest.trim();
            break;
        }
    }
    // With diacritics, the exact spelling decides: `Thuận Hòa` (old) is not `Thuận Hóa` (new).
    // Without, a new ward's name wins over an old one that folds the same.
    let exact = tone_normal(name);
    ix.exact
        .get(&exact)
        .or_else(|| ix.slugs.get(&slug(&exact)))
        .map(|&i| &wards()[i])
}

/// Normalises Vietnamese tone placement to the modern style (`hoà` → `hòa`, `thuỷ` → `thủy`) and
/// composes characters, so two spellings of one name compare equal.
pub fn tone_normal(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    const PAIRS: &[(&str, &str)] = &[
        ("oà", "òa"),
        ("oá", "óa"),
        ("oả", "ỏa"),
        ("oã", "õa"),
        ("oạ", "ọa"),
        ("oè", "òe"),
        ("oé", "óe"),
        ("oẻ", "ỏe"),
        ("oẽ", "õe"),
        ("oẹ", "ọe"),
        ("uỳ", "ùy"),
        ("uý", "úy"),
        ("uỷ", "ủy"),
        ("uỹ", "ũy"),
        ("uỵ", "ụy"),
    ];
    let mut t: String = s.nfc().collect();
    for (old, new) in PAIRS {
        if t.contains(old) {
            t = t.replace(old, new);
        }
    }
    t
}

/// The ward of a point: the nearest old unit's centre decides (approximate Voronoi boundaries).
pub fn ward_at(lat: f64, lon: f64) -> Option<&'static Ward> {
    let mut best: Option<(&Ward, f64)> = None;
    for w in wards() {
        let centres = std::iter::once((w.lat, w.lon)).chain(w.old.iter().map(|o| (o.lat, o.lon)));
        for (a, b) in centres {
            let d = (a - lat).powi(2) + ((b - lon) * 0.958).powi(2);
            if best.is_none_or(|(_, bd)| d < bd) {
                best = Some((w, d));
            }
        }
    }
    // Farther than ~25 km from every centre is outside the city.
    best.filter(|(_, d)| *d < 0.05).map(|(w, _)| w)
}

/// Distance in metres between two points (haversine).
pub fn distance_m(a: (f64, f64), b: (f64, f64)) -> f64 {
    let r = 6_371_000.0_f64;
    let (la1, lo1, la2, lo2) = (a.0.to_radians(), a.1.to_radians(), b.0.to_radians(), b.1.to_radians());
    let h = ((la2 - la1) / 2.0).sin().powi(2) + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    2.0 * r * h.sqrt().asin()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wards_parse_and_resolve_aliases() {
        assert_eq!(wards().len(), 11);
        assert_eq!(resolve_ward("Phú Hội").map(|w| w.code.as_str()), Some("thuan-hoa"));
        assert_eq!(
            resolve_ward("phuong dong ba").map(|w| w.code.as_str()),
            Some("phu-xuan")
        );
        assert_eq!(resolve_ward("Thuận Hoà").map(|w| w.code.as_str()), Some("phu-xuan"));
        assert_eq!(resolve_ward("thuan-hoa").map(|w| w.code.as_str()), Some("thuan-hoa"));
        assert_eq!(resolve_ward("Vĩ Dạ").map(|w| w.code.as_str()), Some("vy-da"));
        assert_eq!(resolve_ward("Vỹ Dạ").map(|w| w.code.as_str()), Some("vy-da"));
        assert!(resolve_ward("Hà Nội").is_none());
    }

    #[test]
    fn ward_codes_are_slugs_of_names() {
        for w in wards() {
            assert_eq!(w.code, slug(&w.name));
        }
    }

    #[test]
    fn points_fall_in_wards() {
        assert_eq!(ward_at(16.4726, 107.5885).map(|w| w.code.as_str()), Some("phu-xuan"));
        assert_eq!(ward_at(16.4677, 107.5956).map(|w| w.code.as_str()), Some("thuan-hoa"));
        assert!(ward_at(21.0, 105.8).is_none());
    }

    #[test]
    fn categories_and_agencies() {
        assert_eq!(CATEGORIES.len(), 15);
        // The citizens' categories are the classifier's labels; the system's are not.
        let codes: Vec<&str> = CATEGORIES.iter().filter(|c| !c.system).map(|c| c.code).collect();
        assert_eq!(codes, CATEGORY_CODES);
        assert_eq!(default_agencies("camera_outage", Some("phu-xuan")), vec!["cam-maint"]);
        assert_eq!(default_agencies("urban_order", Some("phu-xuan")), vec!["ward-phu-xuan"]);
        assert_eq!(default_agencies("waste", None), vec!["hepco"]);
        assert!(agency("ward-thuan-an").is_some());
        for c in CATEGORIES {
            for a in default_agencies(c.code, Some("an-cuu")) {
                assert!(agency(&a).is_some(), "{a}");
            }
        }
        let d = distance_m((16.4698, 107.5786), (16.4726, 107.5885));
        assert!((1000.0..1200.0).contains(&d), "{d}");
    }
}
