//! Addresses without coordinates: the ward a report is about, read from its text.
//!
//! Evidence, strongest first: a ward written with its prefix (`phường Phú Hội`, `P. Vĩ Dạ`, new
//! or old name, with or without diacritics), a landmark (`chợ Đông Ba`), a street of
//! `assets/geo/streets.toml` (a street that crosses wards splits its weight), a ward's name
//! without prefix. Evidence for one ward combines as independent (`1 − Π(1 − cᵢ)`); the best
//! ward's confidence is reduced by half the runner-up's.
//!
//! With diacritics, names that fold alike are told apart (`Thuận Hòa`, old, now Phú Xuân, is not
//! `Thuận Hóa`, new); without, the new ward wins with a lower confidence.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use crate::domain::catalog::{self, tone_normal};
use crate::domain::text::fold;

/// One name to look for: its words (with diacritics, tone-normalised) and folded, the ward it
/// means, its kind and base confidence.
struct Needle {
    exact: String,
    folded: String,
    ward: String,
    what: String,
    /// Base confidence when found with its diacritics.
    conf: f64,
    /// Whether a `phường`/`p.` prefix must precede it (ward names) or may (adds confidence).
    ward_name: bool,
}

/// Lowercase words separated by single spaces, padded with a space at each end; `folded` drops
/// the diacritics.
fn words(text: &str, folded: bool) -> String {
    let t = if folded {
        fold(text)
    } else {
        tone_normal(&text.to_lowercase())
    };
    let mut out = String::from(" ");
    for w in crate::domain::text::words(&t) {
        out.push_str(w);
        out.push(' ');
    }
    out
}

fn needles() -> &'static [Needle] {
    static N: OnceLock<Vec<Needle>> = OnceLock::new();
    N.get_or_init(|| {
        let mut v = Vec::new();
        for w in catalog::wards() {
            v.push(Needle {
                exact: words(&w.name, false),
                folded: words(&w.name, true),
                ward: w.code.clone(),
                what: format!("ward {}", w.name),
                conf: 0.95,
                ward_name: true,
            });
            for o in &w.old {
                v.push(Needle {
                    exact: words(&o.name, false),
                    folded: words(&o.name, true),
                    ward: w.code.clone(),
                    what: format!("old ward {} (now {})", o.name, w.name),
                    conf: 0.9,
                    ward_name: true,
                });
            }
        }
        let geo = crate::demo::texts::Geo::load();
        for l in &geo.landmarks {
            v.push(Needle {
                exact: words(&l.name, false),
                folded: words(&l.name, true),
                ward: l.ward.clone(),
                what: format!("landmark {}", l.name),
                conf: 0.8,
                ward_name: false,
            });
        }
        // A street in several wards: its weight is split among them.
        let mut streets: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for s in &geo.streets {
            let e = streets.entry(s.name.as_str()).or_default();
            if !e.contains(&s.ward.as_str()) {
                e.push(s.ward.as_str());
            }
        }
        for (name, wards) in streets {
            for w in &wards {
                v.push(Needle {
                    exact: words(name, false),
                    folded: words(name, true),
                    ward: (*w).to_string(),
                    what: format!("street {name}"),
                    conf: 0.7 / wards.len() as f64,
                    ward_name: false,
                });
            }
        }
        v
    })
}

/// Whether `hay` contains `needle` right after a ward prefix (`phường`, `p`, `phuong`, `xã`).
fn prefixed(hay: &str, needle: &str) -> bool {
    [" phường", " phuong", " p", " xã", " xa", " f"]
        .iter()
        .any(|p| hay.contains(&format!("{p}{needle}")))
}

/// The ward a text is about, as `(ward code, confidence in [0, 1], reason)`; `None` when the text
/// names no ward, street or landmark of the city.
pub fn ward_from_text(text: &str) -> Option<(String, f64, String)> {
    let exact = words(text, false);
    let folded = words(text, true);
    let has_marks = exact != folded;
    let mut evidence: BTreeMap<&str, Vec<(f64, &str)>> = BTreeMap::new();
    for n in needles() {
        let (found_exact, found_folded) = (exact.contains(&n.exact), folded.contains(&n.folded));
        if !found_folded {
            continue;
        }
        // With diacritics in the text, a name must match with its own.
        if has_marks && !found_exact {
            continue;
        }
        let mut c = if found_exact && has_marks { n.conf } else { n.conf * 0.9 };
        if n.ward_name {
            let with_prefix = if found_exact && has_marks {
                prefixed(&exact, &n.exact)
            } else {
                prefixed(&folded, &n.folded)
            };
            if !with_prefix {
                c *= 0.65;
            }
        }
        evidence.entry(n.ward.as_str()).or_default().push((c, n.what.as_str()));
    }
    let mut scored: Vec<(f64, &str, String)> = evidence
        .into_iter()
        .map(|(ward, mut ev)| {
            ev.sort_by(|a, b| b.0.total_cmp(&a.0));
            let combined = 1.0 - ev.iter().map(|(c, _)| 1.0 - c).product::<f64>();
            let reason = ev.iter().take(3).map(|(_, w)| *w).collect::<Vec<_>>().join("; ");
            (combined.min(0.99), ward, reason)
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    let (best, ward, reason) = scored.first()?.clone();
    let second = scored.get(1).map(|s| s.0).unwrap_or(0.0);
    let conf = (best - second / 2.0).clamp(0.0, 1.0);
    Some((ward.to_string(), conf, reason))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ward(text: &str) -> (String, f64) {
        let (w, c, _) = ward_from_text(text).unwrap_or_else(|| panic!("no ward in {text}"));
        (w, c)
    }

    #[test]
    fn ward_names_new_and_old_with_and_without_diacritics() {
        assert_eq!(ward("Rác ở kiệt 5, phường Phú Hội").0, "thuan-hoa");
        assert_eq!(ward("rac o kiet 5, phuong Phu Hoi").0, "thuan-hoa");
        assert_eq!(ward("Đèn hỏng ở P. Vĩ Dạ").0, "vy-da");
        assert_eq!(ward("Ngập ở phường Tây Lộc").0, "phu-xuan");
        assert_eq!(ward("ngap o phuong tay loc").0, "phu-xuan");
        // Diacritics tell the old Thuận Hòa (now Phú Xuân) from the new Thuận Hóa.
        assert_eq!(ward("Cây đổ ở phường Thuận Hòa").0, "phu-xuan");
        assert_eq!(ward("Cây đổ ở phường Thuận Hóa").0, "thuan-hoa");
        let (w, c) = ward("cay do o phuong thuan hoa");
        assert_eq!(w, "thuan-hoa");
        let (_, c_marked) = ward("Cây đổ ở phường Thuận Hóa");
        assert!(c < c_marked, "{c} vs {c_marked}");
        assert!(c_marked >= 0.9, "{c_marked}");
    }

    #[test]
    fn streets_and_landmarks() {
        let (w, c, reason) = ward_from_text("Rác tồn đọng gần chợ Đông Ba").expect("landmark");
        assert_eq!(w, "phu-xuan");
        assert!(c >= 0.6, "{c}");
        assert!(reason.contains("landmark"), "{reason}");
        let (w, _, reason) = ward_from_text("ổ gà trên đường Hoàng Quốc Việt").expect("street");
        assert!(reason.contains("street Hoàng Quốc Việt"), "{reason}");
        assert_eq!(ward_from_text("o ga tren duong hoang quoc viet").map(|x| x.0), Some(w));
        assert!(ward_from_text("Xin chào, cho hỏi thủ tục").is_none());
        assert!(ward_from_text("").is_none());
    }
}
