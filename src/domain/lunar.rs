//! The Vietnamese lunisolar calendar (âm lịch), computed astronomically for UTC+7.
//!
//! Vietnam's calendar follows the Chinese rules but is reckoned at the meridian of UTC+7 instead of
//! UTC+8, so the two differ in some years (Tết 1985 and 2007 came a day or a month apart). No table is
//! embedded: dates come from new moons and the sun's longitude, following the method published by
//! Hồ Ngọc Đức (low-precision series from Meeus), re-implemented here:
//!
//! * a month starts on the local day of a new moon;
//! * month 11 is the month that contains the winter solstice (sun at 270°);
//! * a lunar year with 13 months between two months 11 gets a leap month: the first month after
//!   month 11 during which the sun enters no new 30° sector (no "major solar term"); it repeats the
//!   number of the month before it.
//!
//! Supported years: [`MIN_YEAR`]..=[`MAX_YEAR`]; the ΔT approximation is poor outside that span.
//! Checked against a full ephemeris (VSOP87/ELP) over that span: every Tết, Giỗ Tổ and leap month
//! agrees; only three new moons within ~90 s of local midnight (1944-06, 2072-12, 2077-11) land on
//! the neighbouring day, and none of them starts month 1 or 3.

use chrono::{Datelike, NaiveDate};
use std::f64::consts::PI;

/// First lunar year that [`lunar_to_solar`] converts.
pub const MIN_YEAR: i32 = 1900;
/// Last lunar year that [`lunar_to_solar`] converts.
pub const MAX_YEAR: i32 = 2100;

/// Vietnam's civil time zone, in hours east of UTC, at which new moons and solar terms are dated.
const TZ_HOURS: f64 = 7.0;
/// Mean length of a synodic month in days.
const SYNODIC_MONTH: f64 = 29.530_588_853;
/// Julian date of the new moon that serves as lunation 0 (1900-01-01 ~13:50 UT).
const LUNATION_ZERO_JD: f64 = 2_415_021.076_998_695;
/// Julian day number of 1900-01-01, the origin of the lunation index estimate.
const JDN_1900: i64 = 2_415_021;
/// Offset between chrono's days-from-CE (0001-01-01 = 1) and the Julian day number.
const JDN_CE_OFFSET: i64 = 1_721_425;

/// A date in the Vietnamese lunar calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LunarDate {
    /// Lunar year; months 11 and 12 may fall in January of the next solar year.
    pub year: i32,
    /// Month number 1..=12 (a leap month repeats the number of the month before it).
    pub month: u32,
    /// Day of the month 1..=30.
    pub day: u32,
    /// Whether this is the leap (nhuận) month.
    pub leap: bool,
}

/// The solar (Gregorian) date of a lunar date, or `None` when the lunar date does not exist
/// (month or day out of range, day 30 of a 29-day month, a leap month the year does not have) or the
/// year is outside [`MIN_YEAR`]..=[`MAX_YEAR`].
///
/// `lunar_to_solar(2026, 1, 1, false)` is Tết 2026, 2026-02-17.
pub fn lunar_to_solar(year: i32, month: u32, day: u32, leap: bool) -> Option<NaiveDate> {
    if !(MIN_YEAR..=MAX_YEAR).contains(&year) || !(1..=12).contains(&month) || !(1..=30).contains(&day) {
        return None;
    }
    // Months 11 and 12 follow the month 11 of their own year; months 1..=10 follow the previous one.
    let (a11, b11) = if month < 11 {
        (month11(year - 1), month11(year))
    } else {
        (month11(year), month11(year + 1))
    };
    let k = lunation_index(a11);
    let mut off = (i64::from(month) + 1) % 12; // months after month 11: 11→0, 12→1, 1→2, …
    if b11 - a11 > 365 {
        let leap_off = leap_month_offset(a11);
        let leap_month = (leap_off + 10) % 12; // the leap month repeats the month before it
        let leap_month = if leap_month == 0 { 12 } else { leap_month };
        if leap && i64::from(month) != leap_month {
            return None;
        }
        if leap || off >= leap_off {
            off += 1;
        }
    } else if leap {
        return None;
    }
    let start = new_moon_day(k + off);
    let next = new_moon_day(k + off + 1);
    if i64::from(day) > next - start {
        return None;
    }
    jdn_to_date(start + i64::from(day) - 1)
}

/// The lunar date of a solar date, or `None` outside the supported span of years.
pub fn solar_to_lunar(d: NaiveDate) -> Option<LunarDate> {
    if !(MIN_YEAR..=MAX_YEAR).contains(&d.year()) {
        return None;
    }
    let jdn = date_to_jdn(d);
    // The mean-lunation estimate can be off by one either way (true new moons wander ±14 h from the
    // mean), so step back from the lunation after it until one starts on or before `d`.
    let mut k = ((jdn as f64 - LUNATION_ZERO_JD) / SYNODIC_MONTH).floor() as i64 + 1;
    let mut start = new_moon_day(k);
    while start > jdn {
        k -= 1;
        start = new_moon_day(k);
    }
    // The month-11 pair that brackets the month of `d` decides the lunar year and the leap month.
    let this11 = month11(d.year());
    let (a11, b11, mut year) = if this11 <= start {
        (this11, month11(d.year() + 1), d.year() + 1)
    } else {
        (month11(d.year() - 1), this11, d.year())
    };
    let day = u32::try_from(jdn - start + 1).ok()?;
    // Months are 29 or 30 days, so dividing by 29 counts whole months since month 11 exactly.
    let diff = (start - a11) / 29;
    let mut leap = false;
    let mut month = diff + 11;
    if b11 - a11 > 365 {
        let leap_off = leap_month_offset(a11);
        if diff >= leap_off {
            month = diff + 10;
            leap = diff == leap_off;
        }
    }
    if month > 12 {
        month -= 12;
    }
    // Months 11 and 12 (diff 0..=2 with a leap) still belong to the year that started before them.
    if month >= 11 && diff < 4 {
        year -= 1;
    }
    Some(LunarDate {
        year,
        month: u32::try_from(month).ok()?,
        day,
        leap,
    })
}

/// Julian day number of a Gregorian date.
fn date_to_jdn(d: NaiveDate) -> i64 {
    i64::from(d.num_days_from_ce()) + JDN_CE_OFFSET
}

/// Gregorian date of a Julian day number.
fn jdn_to_date(jdn: i64) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(i32::try_from(jdn - JDN_CE_OFFSET).ok()?)
}

/// Index of the lunation that starts on local day `jdn` (counted from [`LUNATION_ZERO_JD`]).
fn lunation_index(jdn: i64) -> i64 {
    ((jdn as f64 - LUNATION_ZERO_JD) / SYNODIC_MONTH + 0.5).floor() as i64
}

/// Local (UTC+7) Julian day number of the `k`-th new moon after 1900-01-01.
///
/// Meeus' series ("Astronomical Formulae for Calculators"): mean phase plus the main periodic terms
/// from the sun's and moon's anomalies and the moon's argument of latitude; good to a minute or two,
/// which is enough except for new moons within minutes of local midnight.
fn new_moon_day(k: i64) -> i64 {
    let k = k as f64;
    let t = k / 1236.85; // Julian centuries since 1900
    let t2 = t * t;
    let t3 = t2 * t;
    let dr = PI / 180.0;
    let mut jd = 2_415_020.759_33 + 29.530_588_68 * k + 0.000_117_8 * t2 - 0.000_000_155 * t3;
    jd += 0.000_33 * ((166.56 + 132.87 * t - 0.009_173 * t2) * dr).sin();
    let m = (359.224_2 + 29.105_356_08 * k - 0.000_033_3 * t2 - 0.000_003_47 * t3) * dr; // sun anomaly
    let mp = (306.025_3 + 385.816_918_06 * k + 0.010_730_6 * t2 + 0.000_012_36 * t3) * dr; // moon anomaly
    let f = (21.296_4 + 390.670_506_46 * k - 0.001_652_8 * t2 - 0.000_002_39 * t3) * dr; // latitude arg
    let c = (0.173_4 - 0.000_393 * t) * m.sin() + 0.002_1 * (2.0 * m).sin() - 0.406_8 * mp.sin()
        + 0.016_1 * (2.0 * mp).sin()
        - 0.000_4 * (3.0 * mp).sin()
        + 0.010_4 * (2.0 * f).sin()
        - 0.005_1 * (m + mp).sin()
        - 0.007_4 * (m - mp).sin()
        + 0.000_4 * (2.0 * f + m).sin()
        - 0.000_4 * (2.0 * f - m).sin()
        - 0.000_6 * (2.0 * f + mp).sin()
        + 0.001_0 * (2.0 * f - mp).sin()
        + 0.000_5 * (m + 2.0 * mp).sin();
    // ΔT (TT − UT) in days, a polynomial fit that is adequate for the 20th and 21st centuries.
    let delta_t = if t < -11.0 {
        0.001 + 0.000_839 * t + 0.000_226_1 * t2 - 0.000_008_45 * t3 - 0.000_000_081 * t * t3
    } else {
        -0.000_278 + 0.000_265 * t + 0.000_262 * t2
    };
    let jd_new = jd + c - delta_t;
    (jd_new + 0.5 + TZ_HOURS / 24.0).floor() as i64
}

/// The 30° sector (0..=11, 0 = spring equinox) of the sun's apparent longitude at local midnight
/// starting local day `jdn`. Sector 9 starts at the winter solstice.
fn sun_sector(jdn: i64) -> i64 {
    let jd = jdn as f64 - 0.5 - TZ_HOURS / 24.0;
    let t = (jd - 2_451_545.0) / 36_525.0; // Julian centuries since J2000
    let t2 = t * t;
    let dr = PI / 180.0;
    let m = 357.529_10 + 35_999.050_30 * t - 0.000_155_9 * t2 - 0.000_000_48 * t * t2;
    let l0 = 280.466_45 + 36_000.769_83 * t + 0.000_303_2 * t2;
    let centre = (1.914_600 - 0.004_817 * t - 0.000_014 * t2) * (dr * m).sin()
        + (0.019_993 - 0.000_101 * t) * (2.0 * dr * m).sin()
        + 0.000_290 * (3.0 * dr * m).sin();
    let longitude = (l0 + centre).rem_euclid(360.0);
    (longitude / 30.0).floor() as i64
}

/// Local day number on which month 11 of lunar year `year` starts (the month holding the winter
/// solstice of solar year `year`).
fn month11(year: i32) -> i64 {
    let dec31 = NaiveDate::from_ymd_opt(year, 12, 31).expect("31 December exists in supported years");
    let off = date_to_jdn(dec31) - JDN_1900;
    let k = (off as f64 / SYNODIC_MONTH).floor() as i64;
    let nm = new_moon_day(k);
    // A new moon in late December after the solstice means month 11 began one lunation earlier.
    if sun_sector(nm) >= 9 { new_moon_day(k - 1) } else { nm }
}

/// Offset from month 11 (which starts on local day `a11`) of the leap month in a 13-month year:
/// the first month whose start and end lie in the same 30° sector of the sun's longitude.
fn leap_month_offset(a11: i64) -> i64 {
    let k = lunation_index(a11);
    let mut i = 1;
    let mut sector = sun_sector(new_moon_day(k + 1));
    loop {
        let last = sector;
        i += 1;
        sector = sun_sector(new_moon_day(k + i));
        if sector == last || i >= 14 {
            return i - 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
    }

    #[test]
    fn tet_dates() {
        let cases = [
            (2020, ymd(2020, 1, 25)),
            (2021, ymd(2021, 2, 12)),
            (2022, ymd(2022, 2, 1)),
            (2023, ymd(2023, 1, 22)),
            (2024, ymd(2024, 2, 10)),
            (2025, ymd(2025, 1, 29)),
            (2026, ymd(2026, 2, 17)),
            (2027, ymd(2027, 2, 6)),
            (2028, ymd(2028, 1, 26)),
            // Not 2030-02-03, which is China's date: the new moon is at 16:07 UTC on 2 February,
            // 23:07 in Vietnam but 00:07 on the 3rd at UTC+8 (checked against a full ephemeris).
            (2030, ymd(2030, 2, 2)),
            (2035, ymd(2035, 2, 8)),
        ];
        for (year, tet) in cases {
            assert_eq!(lunar_to_solar(year, 1, 1, false), Some(tet), "Tết {year}");
        }
    }

    #[test]
    fn utc7_differs_from_china() {
        // Reckoned at UTC+7, Tết 1985 came a month before China's (1985-02-20) and Tết 2007 a day
        // before (2007-02-18): the cases that show the time zone is applied.
        assert_eq!(lunar_to_solar(1985, 1, 1, false), Some(ymd(1985, 1, 21)));
        assert_eq!(lunar_to_solar(2007, 1, 1, false), Some(ymd(2007, 2, 17)));
    }

    #[test]
    fn hung_kings_dates() {
        assert_eq!(lunar_to_solar(2023, 3, 10, false), Some(ymd(2023, 4, 29)));
        assert_eq!(lunar_to_solar(2024, 3, 10, false), Some(ymd(2024, 4, 18)));
        assert_eq!(lunar_to_solar(2025, 3, 10, false), Some(ymd(2025, 4, 7)));
        assert_eq!(lunar_to_solar(2026, 3, 10, false), Some(ymd(2026, 4, 26)));
    }

    #[test]
    fn leap_months() {
        assert_eq!(lunar_to_solar(2023, 2, 1, true), Some(ymd(2023, 3, 22)));
        assert_eq!(lunar_to_solar(2025, 6, 1, true), Some(ymd(2025, 7, 25)));
        assert_eq!(lunar_to_solar(2020, 4, 1, true), Some(ymd(2020, 5, 23)));
        assert_eq!(lunar_to_solar(2024, 6, 1, true), None, "2024 has no leap month");
        assert_eq!(lunar_to_solar(2025, 5, 1, true), None, "2025's leap month is the 6th");
    }

    #[test]
    fn rejects_invalid() {
        assert_eq!(lunar_to_solar(2026, 13, 1, false), None);
        assert_eq!(lunar_to_solar(2026, 1, 0, false), None);
        assert_eq!(lunar_to_solar(2026, 1, 31, false), None);
        assert_eq!(lunar_to_solar(1899, 1, 1, false), None);
        assert_eq!(lunar_to_solar(2101, 1, 1, false), None);
    }

    #[test]
    fn round_trip_every_day() {
        // Every solar day maps to a lunar date that maps back, across the whole supported span, and
        // consecutive days advance the lunar day by one or start a new month.
        let mut d = ymd(1900, 2, 1);
        let end = ymd(2100, 12, 1);
        let mut prev: Option<LunarDate> = None;
        while d < end {
            let l = solar_to_lunar(d).expect("in range");
            assert_eq!(lunar_to_solar(l.year, l.month, l.day, l.leap), Some(d), "{d} → {l:?}");
            if let Some(p) = prev {
                assert!(
                    l.day == p.day + 1 || (l.day == 1 && (p.day == 29 || p.day == 30)),
                    "{d}"
                );
            }
            prev = Some(l);
            d = d.succ_opt().expect("in range");
        }
    }
}
