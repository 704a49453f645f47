//! Working days and deadlines in Huế: weekends, Vietnam's public holidays (lunar ones included),
//! compensatory days off, and the countdowns the desk shows.
//!
//! Statutory holidays are those of the Labour Code 2019, art. 112 (in force since 2021), applied to
//! every year alike (earlier laws had fewer days; the desk only handles recent cases):
//!
//! * 1/1 — Tết Dương lịch;
//! * Tết Nguyên Đán — 5 days: the last day of the lunar year and lunar 1/1 to 4/1;
//! * Giỗ Tổ Hùng Vương — lunar 10/3;
//! * 30/4 — Ngày Chiến thắng; 1/5 — Ngày Quốc tế Lao động;
//! * Quốc khánh — 2/9 and "one adjacent day before or after": the government picks it each year,
//!   and this module always takes **1/9**, so that the holiday is fixed by rule.
//!
//! A statutory holiday that falls on a Saturday or Sunday gives a compensatory day off (nghỉ bù) on
//! the next day that is neither a weekend, nor a holiday, nor already a compensatory day.
//!
//! Not modelled: the swapped days off the government decrees ad hoc (e.g. a bridge day traded for a
//! Saturday of work). Add the days off through [`Calendar::with_extra_holidays`]; they only add days
//! and never shift compensatory days, because a decree already states its own schedule. The traded
//! working Saturdays are not modelled: the desk does not count them.
//!
//! All dates are local to Asia/Ho_Chi_Minh, a fixed UTC+7 with no daylight saving time.

use crate::domain::lunar;
use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, TimeDelta, Utc, Weekday};
use std::collections::BTreeSet;
use std::sync::{Arc, OnceLock};

pub use crate::domain::lunar::lunar_to_solar;

/// Huế's offset from UTC in seconds (+07:00, no DST since 1975).
const OFFSET_SECS: i32 = 7 * 3600;
/// Seconds in a day; every working day counts 24 hours.
const DAY_SECS: i64 = 86_400;
/// chrono's days-from-CE of 1970-01-01, to turn epoch day numbers into dates.
const EPOCH_DAYS_FROM_CE: i64 = 719_163;
/// Years whose holiday tables are cached; outside, tables are rebuilt on demand (no lunar holidays).
const FIRST_CACHED: i32 = lunar::MIN_YEAR;
/// Last cached year.
const LAST_CACHED: i32 = lunar::MAX_YEAR;
/// Name given to days added through [`Calendar::with_extra_holidays`].
const EXTRA_NAME: &str = "Ngày nghỉ bổ sung";

/// Asia/Ho_Chi_Minh as a fixed offset (+07:00).
pub fn hue_offset() -> FixedOffset {
    FixedOffset::east_opt(OFFSET_SECS).expect("+07:00 is a valid offset")
}

/// The local (Huế) date of an instant.
pub fn local_date(t: DateTime<Utc>) -> NaiveDate {
    epoch_day_to_date((t.timestamp() + i64::from(OFFSET_SECS)).div_euclid(DAY_SECS))
}

/// The date of a local epoch day number; saturates at chrono's bounds, which only instants within
/// seven hours of `DateTime::<Utc>::MAX_UTC` can reach.
fn epoch_day_to_date(day: i64) -> NaiveDate {
    i32::try_from(day + EPOCH_DAYS_FROM_CE)
        .ok()
        .and_then(NaiveDate::from_num_days_from_ce_opt)
        .unwrap_or(if day < 0 { NaiveDate::MIN } else { NaiveDate::MAX })
}

/// The instant 23:59:59 local on `d`, in UTC.
fn end_of_local_day(d: NaiveDate) -> DateTime<Utc> {
    let local = d.and_hms_opt(23, 59, 59).expect("23:59:59 is a valid time");
    // Subtracting 7 h from 23:59:59 stays on the same date, so this cannot overflow chrono's range.
    local.and_utc() - TimeDelta::seconds(i64::from(OFFSET_SECS))
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Why a day is off, for the statutory table of a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Holiday {
    NewYear,
    Tet,
    HungKings,
    Victory,
    Labour,
    National,
    Compensatory,
}

impl Holiday {
    fn name(self) -> &'static str {
        match self {
            Holiday::NewYear => "Tết Dương lịch",
            Holiday::Tet => "Tết Nguyên Đán",
            Holiday::HungKings => "Giỗ Tổ Hùng Vương",
            Holiday::Victory => "Ngày Chiến thắng",
            Holiday::Labour => "Ngày Quốc tế Lao động",
            Holiday::National => "Quốc khánh",
            Holiday::Compensatory => "Nghỉ bù",
        }
    }
}

/// The statutory and compensatory holidays of one solar year, indexed by day of the year, so that a
/// lookup in a hot loop is one array read.
#[derive(Debug)]
struct YearTable {
    days: [Option<Holiday>; 366],
}

impl YearTable {
    fn build(year: i32) -> YearTable {
        let mut days = [None; 366];
        let mut mark = |d: Option<NaiveDate>, h: Holiday| {
            // Two holidays on one date (e.g. Giỗ Tổ on 30/4) stay one day off: the law grants no
            // extra day for an overlap, only for a weekly rest day.
            if let Some(d) = d
                && d.year() == year
                && days[d.ordinal0() as usize].is_none()
            {
                days[d.ordinal0() as usize] = Some(h);
            }
        };
        mark(NaiveDate::from_ymd_opt(year, 1, 1), Holiday::NewYear);
        if let Some(tet) = lunar_to_solar(year, 1, 1, false) {
            // The lunar year's last day is the eve of Tết, whether month 12 has 29 or 30 days.
            for off in -1..=3 {
                mark(tet.checked_add_signed(TimeDelta::days(off)), Holiday::Tet);
            }
        }
        mark(lunar_to_solar(year, 3, 10, false), Holiday::HungKings);
        mark(NaiveDate::from_ymd_opt(year, 4, 30), Holiday::Victory);
        mark(NaiveDate::from_ymd_opt(year, 5, 1), Holiday::Labour);
        mark(NaiveDate::from_ymd_opt(year, 9, 1), Holiday::National);
        mark(NaiveDate::from_ymd_opt(year, 9, 2), Holiday::National);

        // Compensation is decided in date order, so consecutive weekend holidays take consecutive
        // free weekdays. The last statutory holiday is 2/9, so it never spills into the next year.
        let statutory: Vec<NaiveDate> = (0..366u32)
            .filter(|&i| days[i as usize].is_some())
            .filter_map(|i| NaiveDate::from_yo_opt(year, i + 1))
            .collect();
        for d in statutory.into_iter().filter(|&d| is_weekend(d)) {
            let mut c = d;
            while let Some(next) = c.succ_opt().filter(|n| n.year() == year) {
                c = next;
                let slot = &mut days[c.ordinal0() as usize];
                if !is_weekend(c) && slot.is_none() {
                    *slot = Some(Holiday::Compensatory);
                    break;
                }
            }
        }
        YearTable { days }
    }
}

/// The statutory holiday (or compensatory day) on `d`, from the per-year cache.
///
/// The cache is process-wide because the statutory calendar is the same for every [`Calendar`];
/// each year is computed once, on first use, and read lock-free afterwards.
fn statutory(d: NaiveDate) -> Option<Holiday> {
    static TABLES: [OnceLock<YearTable>; (LAST_CACHED - FIRST_CACHED + 1) as usize] =
        [const { OnceLock::new() }; (LAST_CACHED - FIRST_CACHED + 1) as usize];
    let year = d.year();
    let i = d.ordinal0() as usize;
    if (FIRST_CACHED..=LAST_CACHED).contains(&year) {
        TABLES[(year - FIRST_CACHED) as usize]
            .get_or_init(|| YearTable::build(year))
            .days[i]
    } else {
        YearTable::build(year).days[i]
    }
}

/// A working-day calendar for Huế: weekends, Vietnam's statutory holidays, compensatory days off and
/// any extra days off decreed by the government.
///
/// Cheap to clone and to query: the statutory holidays are cached per year, process-wide.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    extra: Arc<BTreeSet<NaiveDate>>,
}

impl Calendar {
    /// Vietnam's calendar with the statutory holidays.
    pub fn vietnam() -> Self {
        Calendar::default()
    }

    /// Adds dates that are not working days (e.g. a swapped day off decreed by the government).
    ///
    /// Extra days do not move compensatory days: a decree states the whole schedule itself.
    pub fn with_extra_holidays(self, days: impl IntoIterator<Item = NaiveDate>) -> Self {
        let mut extra = Arc::unwrap_or_clone(self.extra);
        extra.extend(days);
        Calendar { extra: Arc::new(extra) }
    }

    /// Whether `d` is a statutory holiday, a compensatory day off or an extra day off.
    pub fn is_holiday(&self, d: NaiveDate) -> bool {
        statutory(d).is_some() || self.extra.contains(&d)
    }

    /// The Vietnamese name of the holiday on `d` (e.g. "Tết Nguyên Đán", "Nghỉ bù" for a
    /// compensatory day, "Ngày nghỉ bổ sung" for an extra day), or `None` on an ordinary day.
    pub fn holiday_name(&self, d: NaiveDate) -> Option<&'static str> {
        match statutory(d) {
            Some(h) => Some(h.name()),
            None => self.extra.contains(&d).then_some(EXTRA_NAME),
        }
    }

    /// Whether `d` is a working day: neither Saturday, Sunday nor a holiday.
    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        !is_weekend(d) && !self.is_holiday(d)
    }

    /// The first working day strictly after `d` (saturating at `NaiveDate::MAX`, far beyond any
    /// real deadline).
    pub fn next_working_day(&self, d: NaiveDate) -> NaiveDate {
        let mut d = d;
        while let Some(next) = d.succ_opt() {
            d = next;
            if self.is_working_day(d) {
                return d;
            }
        }
        d
    }

    /// The working day `days` working days after `d`.
    fn add_working_days(&self, d: NaiveDate, days: u32) -> NaiveDate {
        (0..days).fold(d, |d, _| self.next_working_day(d))
    }

    /// The deadline of something received at `received`: let start = the local receipt date if it
    /// is a working day, else the next working day; the deadline is the END (23:59:59 local) of the
    /// working day that is `days` working days after start. Returned in UTC.
    ///
    /// Received Friday 2026-11-20 10:00 +07 with 7 days → end of Tuesday 2026-12-01 local; received
    /// Saturday 2026-11-21 → start Monday 23 → end of Wednesday 2026-12-02.
    pub fn deadline(&self, received: DateTime<Utc>, days: u32) -> DateTime<Utc> {
        let date = local_date(received);
        let start = if self.is_working_day(date) {
            date
        } else {
            self.next_working_day(date)
        };
        end_of_local_day(self.add_working_days(start, days))
    }

    /// Moves an existing deadline by `days` working days (for extensions): the end of the working day
    /// `days` working days after the deadline's local date. With `days == 0` the deadline is
    /// returned unchanged.
    pub fn extend(&self, deadline: DateTime<Utc>, days: u32) -> DateTime<Utc> {
        if days == 0 {
            return deadline;
        }
        end_of_local_day(self.add_working_days(local_date(deadline), days))
    }

    /// Working time (seconds) from `from` to `to` counting only working days (each working day counts
    /// 24 h; a non-working day counts 0). Negative when `to` is before `from`.
    pub fn working_seconds_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> i64 {
        if to < from {
            return -self.working_seconds_between(to, from);
        }
        // Work in local seconds since the epoch, so each local day is an aligned 86 400 s slice.
        let from = from.timestamp() + i64::from(OFFSET_SECS);
        let to = to.timestamp() + i64::from(OFFSET_SECS);
        let mut total = 0;
        for day in from.div_euclid(DAY_SECS)..=to.div_euclid(DAY_SECS) {
            let start = from.max(day * DAY_SECS);
            let end = to.min((day + 1) * DAY_SECS);
            if end > start && self.is_working_day(epoch_day_to_date(day)) {
                total += end - start;
            }
        }
        total
    }
}

/// A human countdown for the desk, in working days and hours from
/// [`Calendar::working_seconds_between`]`(now, deadline)`: "3d 4h", "3d 0h", "5h", "45m" under an
/// hour, "0m" under a minute, and the same with a leading "-" when overdue ("-2d 3h").
///
/// Units are truncated toward zero: 5 h 59 min left reads "5h", so the desk never promises time that
/// is not there.
pub fn countdown(cal: &Calendar, now: DateTime<Utc>, deadline: DateTime<Utc>) -> String {
    let secs = cal.working_seconds_between(now, deadline);
    let abs = secs.unsigned_abs();
    if abs < 60 {
        return "0m".to_string();
    }
    let sign = if secs < 0 { "-" } else { "" };
    let (days, hours, minutes) = (abs / 86_400, abs % 86_400 / 3_600, abs % 3_600 / 60);
    if days > 0 {
        format!("{sign}{days}d {hours}h")
    } else if hours > 0 {
        format!("{sign}{hours}h")
    } else {
        format!("{sign}{minutes}m")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
    }

    /// An instant given in Huế local time.
    fn hue(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
        hue_offset()
            .with_ymd_and_hms(y, mo, d, h, mi, s)
            .single()
            .expect("valid test instant")
            .with_timezone(&Utc)
    }

    /// The end of a local day, as deadlines are expressed.
    fn end(y: i32, m: u32, d: u32) -> DateTime<Utc> {
        hue(y, m, d, 23, 59, 59)
    }

    #[test]
    fn traits_and_offset() {
        fn assert_traits<T: Clone + Send + Sync + std::fmt::Debug>() {}
        assert_traits::<Calendar>();
        assert_eq!(hue_offset().local_minus_utc(), 7 * 3600);
        // 18:00 UTC on Friday is already Saturday in Huế.
        let t = Utc.with_ymd_and_hms(2026, 11, 20, 18, 0, 0).single().expect("valid");
        assert_eq!(local_date(t), ymd(2026, 11, 21));
        assert_eq!(
            end(2026, 12, 1),
            Utc.with_ymd_and_hms(2026, 12, 1, 16, 59, 59).single().expect("valid")
        );
    }

    #[test]
    fn statutory_holidays_2026() {
        let cal = Calendar::vietnam();
        assert_eq!(cal.holiday_name(ymd(2026, 1, 1)), Some("Tết Dương lịch"));
        for d in 16..=20 {
            assert_eq!(cal.holiday_name(ymd(2026, 2, d)), Some("Tết Nguyên Đán"), "Feb {d}");
        }
        assert!(cal.is_working_day(ymd(2026, 2, 13)));
        assert!(cal.is_working_day(ymd(2026, 2, 23)));
        assert_eq!(cal.holiday_name(ymd(2026, 4, 26)), Some("Giỗ Tổ Hùng Vương"));
        // Giỗ Tổ 2026 is a Sunday: Monday 27/4 is the compensatory day.
        assert_eq!(cal.holiday_name(ymd(2026, 4, 27)), Some("Nghỉ bù"));
        assert_eq!(cal.holiday_name(ymd(2026, 4, 30)), Some("Ngày Chiến thắng"));
        assert_eq!(cal.holiday_name(ymd(2026, 5, 1)), Some("Ngày Quốc tế Lao động"));
        assert_eq!(cal.holiday_name(ymd(2026, 9, 1)), Some("Quốc khánh"));
        assert_eq!(cal.holiday_name(ymd(2026, 9, 2)), Some("Quốc khánh"));
        assert_eq!(cal.holiday_name(ymd(2026, 9, 3)), None);
        assert!(!cal.is_holiday(ymd(2026, 11, 21)), "a weekend is not a holiday");
        assert!(!cal.is_working_day(ymd(2026, 11, 21)));
    }

    #[test]
    fn compensatory_days_match_real_schedules() {
        let cal = Calendar::vietnam();
        // 2023: 1/1 was a Sunday, off on Monday 2/1.
        assert_eq!(cal.holiday_name(ymd(2023, 1, 2)), Some("Nghỉ bù"));
        // 2023: Giỗ Tổ Sat 29/4, 30/4 Sun, 1/5 Mon → off until Wed 3/5, as the government announced.
        assert_eq!(cal.holiday_name(ymd(2023, 4, 29)), Some("Giỗ Tổ Hùng Vương"));
        assert_eq!(cal.holiday_name(ymd(2023, 5, 2)), Some("Nghỉ bù"));
        assert_eq!(cal.holiday_name(ymd(2023, 5, 3)), Some("Nghỉ bù"));
        assert!(cal.is_working_day(ymd(2023, 5, 4)));
        // 2023: 2/9 was a Saturday → Monday 4/9 off.
        assert_eq!(cal.holiday_name(ymd(2023, 9, 4)), Some("Nghỉ bù"));
        assert!(cal.is_working_day(ymd(2023, 9, 5)));
        // 2027: Tết (Fri 5/2 to Tue 9/2) covers a weekend → Wed 10 and Thu 11 off.
        assert_eq!(cal.holiday_name(ymd(2027, 2, 10)), Some("Nghỉ bù"));
        assert_eq!(cal.holiday_name(ymd(2027, 2, 11)), Some("Nghỉ bù"));
        assert!(cal.is_working_day(ymd(2027, 2, 12)));
    }

    #[test]
    fn every_year_has_its_statutory_days() {
        let cal = Calendar::vietnam();
        for year in 1990..=2100 {
            let days: Vec<NaiveDate> = (1..=366).filter_map(|o| NaiveDate::from_yo_opt(year, o)).collect();
            let named = |name: &str| days.iter().filter(|&&d| cal.holiday_name(d) == Some(name)).count();
            assert_eq!(named("Tết Nguyên Đán"), 5, "{year}");
            assert_eq!(named("Giỗ Tổ Hùng Vương"), 1, "{year}");
            assert_eq!(named("Quốc khánh"), 2, "{year}");
            let weekend_holidays = days
                .iter()
                .filter(|&&d| is_weekend(d) && statutory(d).is_some())
                .count();
            assert_eq!(named("Nghỉ bù"), weekend_holidays, "{year}");
        }
    }

    #[test]
    fn next_working_day_skips_weekends_and_holidays() {
        let cal = Calendar::vietnam();
        assert_eq!(cal.next_working_day(ymd(2026, 11, 20)), ymd(2026, 11, 23));
        assert_eq!(cal.next_working_day(ymd(2026, 11, 23)), ymd(2026, 11, 24));
        assert_eq!(cal.next_working_day(ymd(2026, 2, 13)), ymd(2026, 2, 23));
    }

    #[test]
    fn deadline_around_weekends() {
        let cal = Calendar::vietnam();
        assert_eq!(cal.deadline(hue(2026, 11, 20, 10, 0, 0), 7), end(2026, 12, 1));
        // Friday afternoon and late evening still count Friday as the start.
        assert_eq!(cal.deadline(hue(2026, 11, 20, 16, 45, 0), 7), end(2026, 12, 1));
        assert_eq!(cal.deadline(hue(2026, 11, 20, 23, 30, 0), 7), end(2026, 12, 1));
        // Saturday (even 1 a.m. local, still Friday in UTC) and Sunday start on Monday.
        assert_eq!(cal.deadline(hue(2026, 11, 21, 1, 0, 0), 7), end(2026, 12, 2));
        assert_eq!(cal.deadline(hue(2026, 11, 21, 10, 0, 0), 7), end(2026, 12, 2));
        assert_eq!(cal.deadline(hue(2026, 11, 22, 15, 0, 0), 7), end(2026, 12, 2));
        // Zero days: the end of the start day.
        assert_eq!(cal.deadline(hue(2026, 11, 22, 15, 0, 0), 0), end(2026, 11, 23));
    }

    #[test]
    fn deadline_skips_tet() {
        let cal = Calendar::vietnam();
        // Tết 2026: Mon 16/2 to Fri 20/2.
        assert_eq!(cal.deadline(hue(2026, 2, 13, 9, 0, 0), 3), end(2026, 2, 25));
        // Tết 2027: Fri 5/2 to Tue 9/2 plus compensatory Wed 10 and Thu 11.
        assert_eq!(cal.deadline(hue(2027, 2, 3, 9, 0, 0), 3), end(2027, 2, 15));
    }

    #[test]
    fn deadline_skips_spring_and_national_day_holidays() {
        let cal = Calendar::vietnam();
        // 30/4 (Thu) and 1/5 (Fri) 2026.
        assert_eq!(cal.deadline(hue(2026, 4, 28, 14, 0, 0), 3), end(2026, 5, 5));
        // 1/9 (Tue) and 2/9 (Wed) 2026.
        assert_eq!(cal.deadline(hue(2026, 8, 28, 14, 0, 0), 3), end(2026, 9, 4));
    }

    #[test]
    fn extra_holidays() {
        let cal = Calendar::vietnam().with_extra_holidays([ymd(2026, 11, 23)]);
        assert!(cal.is_holiday(ymd(2026, 11, 23)));
        assert_eq!(cal.holiday_name(ymd(2026, 11, 23)), Some("Ngày nghỉ bổ sung"));
        assert_eq!(cal.deadline(hue(2026, 11, 21, 10, 0, 0), 7), end(2026, 12, 3));
        // A clone keeps the extras; the plain calendar does not have them.
        assert!(cal.clone().is_holiday(ymd(2026, 11, 23)));
        assert!(Calendar::vietnam().is_working_day(ymd(2026, 11, 23)));
        // Adding again accumulates.
        let cal = cal.with_extra_holidays([ymd(2026, 11, 24)]);
        assert!(cal.is_holiday(ymd(2026, 11, 23)) && cal.is_holiday(ymd(2026, 11, 24)));
    }

    #[test]
    fn extend_moves_by_working_days() {
        let cal = Calendar::vietnam();
        let due = end(2026, 12, 1);
        assert_eq!(cal.extend(due, 3), end(2026, 12, 4));
        assert_eq!(cal.extend(due, 4), end(2026, 12, 7));
        assert_eq!(cal.extend(due, 0), due);
        // Across Tết 2027 and its compensatory days.
        assert_eq!(cal.extend(end(2027, 2, 4), 1), end(2027, 2, 12));
    }

    #[test]
    fn working_seconds() {
        let cal = Calendar::vietnam();
        // Friday 22:00 to Monday 02:00: 2 h of Friday, the weekend, 2 h of Monday.
        let fri = hue(2026, 11, 20, 22, 0, 0);
        let mon = hue(2026, 11, 23, 2, 0, 0);
        assert_eq!(cal.working_seconds_between(fri, mon), 4 * 3600);
        assert_eq!(cal.working_seconds_between(mon, fri), -4 * 3600);
        assert_eq!(cal.working_seconds_between(fri, fri), 0);
        let sat = hue(2026, 11, 21, 8, 0, 0);
        assert_eq!(cal.working_seconds_between(sat, hue(2026, 11, 22, 20, 0, 0)), 0);
        // A whole working week.
        assert_eq!(
            cal.working_seconds_between(hue(2026, 11, 23, 0, 0, 0), hue(2026, 11, 30, 0, 0, 0)),
            5 * DAY_SECS
        );
        // The Tết week 2026 counts nothing.
        assert_eq!(
            cal.working_seconds_between(hue(2026, 2, 14, 0, 0, 0), hue(2026, 2, 23, 0, 0, 0)),
            0
        );
    }

    #[test]
    fn countdown_formats() {
        let cal = Calendar::vietnam();
        let due = cal.deadline(hue(2026, 11, 20, 10, 0, 0), 7); // end of Tue 1/12
        assert_eq!(countdown(&cal, hue(2026, 11, 23, 9, 0, 0), due), "6d 14h");
        assert_eq!(countdown(&cal, hue(2026, 11, 30, 23, 59, 59), due), "1d 0h");
        assert_eq!(countdown(&cal, hue(2026, 12, 1, 18, 30, 0), due), "5h");
        assert_eq!(countdown(&cal, hue(2026, 12, 1, 23, 14, 59), due), "45m");
        assert_eq!(countdown(&cal, hue(2026, 12, 1, 23, 59, 30), due), "0m");
        // Overdue: Tue's last second, all of Wed, Thu until noon.
        assert_eq!(countdown(&cal, hue(2026, 12, 3, 12, 0, 1), due), "-1d 12h");
        assert_eq!(countdown(&cal, hue(2026, 12, 2, 3, 0, 0), due), "-3h");
        // Overdue over a weekend only counts working days.
        assert_eq!(countdown(&cal, hue(2026, 12, 7, 0, 0, 1), due), "-3d 0h");
    }

    #[test]
    fn hot_queries_are_cheap() {
        let t = std::time::Instant::now();
        let cal = Calendar::vietnam();
        assert!(t.elapsed() < std::time::Duration::from_millis(10));
        let mut d = ymd(1990, 1, 1);
        let mut working = 0;
        while d < ymd(2101, 1, 1) {
            working += usize::from(cal.is_working_day(d));
            d = d.succ_opt().expect("in range");
        }
        assert!(working > 110 * 240, "{working}");
    }
}
