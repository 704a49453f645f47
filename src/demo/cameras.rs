//! The demo city's cameras: 42 urban cameras at 15 sites, 7 at 4 city gateways, and one at the
//! reception desk of each of the 36 pre-2025 ward and commune offices (SEEDS.md).

use super::rng::Rng;
use crate::domain::catalog::{self, wards};
use crate::domain::text::slug;
use crate::domain::{CameraKind, CameraState, EventData};
use chrono::{DateTime, Duration, Utc};

/// Urban sites: name, lat, lon, number of cameras.
const URBAN: &[(&str, f64, f64, usize)] = &[
    ("Cầu Trường Tiền", 16.4690, 107.5900, 4),
    ("Chợ Đông Ba", 16.4726, 107.5885, 4),
    ("Ngọ Môn – Đại Nội", 16.4672, 107.5790, 3),
    ("Ga Huế", 16.4565, 107.5780, 3),
    ("Bến xe phía Nam", 16.4485, 107.6045, 2),
    ("Ngã sáu Hùng Vương – Lý Thường Kiệt", 16.4620, 107.5935, 3),
    ("Đập Đá", 16.4730, 107.5960, 3),
    ("Cầu Phú Xuân", 16.4640, 107.5840, 2),
    ("Công viên Thương Bạc", 16.4705, 107.5925, 2),
    ("Bệnh viện Trung ương Huế", 16.4630, 107.5880, 3),
    ("Chợ Bến Ngự", 16.4555, 107.5880, 3),
    ("Cầu Dã Viên", 16.4610, 107.5710, 2),
    ("Ngã tư Lê Lợi – Hà Nội", 16.4660, 107.5870, 3),
    ("Phố đi bộ Nguyễn Đình Chiểu", 16.4685, 107.5905, 3),
    ("Cửa Thượng Tứ", 16.4715, 107.5840, 2),
];

/// Gateway sites: name, lat, lon, number of cameras.
const GATEWAYS: &[(&str, f64, f64, usize)] = &[
    ("Cửa ngõ phía Bắc – QL1A Hương Sơ", 16.4940, 107.5600, 2),
    ("Cửa ngõ phía Nam – QL1A An Tây", 16.4300, 107.6000, 2),
    ("Cửa ngõ Thuận An – Tỉnh lộ 10A", 16.5350, 107.6200, 2),
    ("Cửa ngõ phía Tây – Kim Long", 16.4620, 107.5350, 1),
];

/// The registration events (and a few initial state changes) of every demo camera.
pub fn events(start: DateTime<Utc>, seed: u64) -> Vec<(DateTime<Utc>, EventData)> {
    let mut r = Rng::new(seed).fork(77);
    let mut out = Vec::new();
    let mut push_site =
        |out: &mut Vec<(DateTime<Utc>, EventData)>, site: &str, lat: f64, lon: f64, n: usize, gateway: bool| {
            let site_slug = slug(site);
            for i in 1..=n {
                let kind = match (gateway, i % 4) {
                    (true, 1) => CameraKind::Anpr,
                    (true, _) => CameraKind::Fixed,
                    (false, 1) => CameraKind::Ptz,
                    (false, 2) => CameraKind::Anpr,
                    (false, 3) => CameraKind::Face,
                    _ => CameraKind::Fixed,
                };
                let id = format!("cam-{}-{:02}", short(&site_slug), i);
                let (la, lo) = (lat + (r.unit() - 0.5) * 0.0006, lon + (r.unit() - 0.5) * 0.0006);
                out.push((start, registered(&id, &format!("{site} #{i}"), site, kind, la, lo)));
            }
        };
    for (site, lat, lon, n) in URBAN {
        push_site(&mut out, site, *lat, *lon, *n, false);
    }
    for (site, lat, lon, n) in GATEWAYS {
        push_site(&mut out, site, *lat, *lon, *n, true);
    }
    for w in wards() {
        for o in &w.old {
            let id = format!("cam-desk-{}", slug(&o.name));
            let site = format!("Bộ phận một cửa {}", o.name);
            out.push((
                start,
                registered(
                    &id,
                    &format!("Quầy tiếp nhận {}", o.name),
                    &site,
                    CameraKind::Desk,
                    o.lat,
                    o.lon,
                ),
            ));
        }
    }
    // Most cameras come online; a few are degraded, offline or under maintenance.
    let ids: Vec<String> = out
        .iter()
        .filter_map(|(_, e)| match e {
            EventData::CameraRegistered { id, .. } => Some(id.clone()),
            _ => None,
        })
        .collect();
    for id in ids {
        let t = start + Duration::minutes(1 + r.below(30) as i64);
        let (state, reason) = match r.below(100) {
            0..=2 => (CameraState::Offline, "no answer to RTSP OPTIONS"),
            3..=6 => (CameraState::Degraded, "probe latency over 800 ms"),
            7 => (CameraState::Maintenance, "thay ống kính, đơn vị bảo trì"),
            _ => (CameraState::Online, "stream described"),
        };
        out.push((
            t,
            EventData::CameraStateChanged {
                id,
                state,
                reason: reason.into(),
            },
        ));
    }
    out.sort_by_key(|(t, _)| *t);
    out
}

/// A site's slug cut to its first 28 characters, at a hyphen.
fn short(s: &str) -> String {
    let mut out = String::new();
    for part in s.split('-') {
        if out.len() + part.len() > 28 {
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(part);
    }
    out
}

fn registered(id: &str, name: &str, site: &str, kind: CameraKind, lat: f64, lon: f64) -> EventData {
    EventData::CameraRegistered {
        id: id.to_string(),
        name: name.to_string(),
        site: site.to_string(),
        camera_kind: kind,
        rtsp_url: Some(format!("rtsp://{id}.cam.ioc.hue.example:554/live")),
        snapshot_url: None,
        lat: Some((lat * 1e5).round() / 1e5),
        lon: Some((lon * 1e5).round() / 1e5),
        ward: catalog::ward_at(lat, lon).map(|w| w.code.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seeds_camera_counts() {
        let ev = events(Utc::now(), 1);
        let regs: Vec<_> = ev
            .iter()
            .filter(|(_, e)| matches!(e, EventData::CameraRegistered { .. }))
            .collect();
        let urban: usize = URBAN.iter().map(|s| s.3).sum();
        let gate: usize = GATEWAYS.iter().map(|s| s.3).sum();
        assert_eq!((URBAN.len(), urban, GATEWAYS.len(), gate), (15, 42, 4, 7));
        assert_eq!(
            regs.len(),
            42 + 7 + 36 + 1,
            "one desk camera per old unit (incl. Long Hồ)"
        );
        let mut ids: Vec<_> = ev.iter().map(|(_, e)| e.subject().to_string()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), regs.len(), "camera ids are unique");
    }
}
