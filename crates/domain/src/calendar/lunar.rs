//! Vietnamese lunisolar calendar (âm lịch) at UTC+7, 1900–2100.
//!
//! Built from the astronomy in [`super::astro`] (Meeus), not from any third-party calendar
//! code. The rules are the usual Chinese-style ones applied at Vietnam's time zone:
//! - a month starts on the civil day (UTC+7) of a true new moon;
//! - month 11 is the month containing the winter solstice (solar longitude 270°);
//! - when 13 months lie between two month-11 starts, the first of them (after month 11)
//!   that contains no major solar term (trung khí, a multiple of 30° of solar longitude)
//!   is the leap month and repeats the number of the month before it.
//!
//! Every month start in range is computed once, lazily, into a table (`OnceLock`), so
//! conversions are binary searches over about 2,500 entries.
//!
//! Vietnam used UTC+8 for parts of the 20th century; dates before 1968 follow UTC+7 here and
//! can differ from historical almanacs by a day.

use std::fmt;
use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::astro;
use super::error::CalendarError;

/// First supported solar year.
pub const MIN_YEAR: i32 = 1900;
/// Last supported solar year.
pub const MAX_YEAR: i32 = 2100;

/// A date in the Vietnamese lunar calendar (ngày âm lịch).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct LunarDate {
    /// Lunar year, numbered like the solar year in which its month 1 (Tết) falls.
    pub year: i32,
    /// Month 1..=12.
    pub month: u8,
    /// Day 1..=30.
    pub day: u8,
    /// True for the leap month (tháng nhuận) repeating `month`.
    pub leap: bool,
}

impl LunarDate {
    /// A non-leap lunar date.
    pub fn new(year: i32, month: u8, day: u8) -> Self {
        Self {
            year,
            month,
            day,
            leap: false,
        }
    }
}

impl fmt::Display for LunarDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let leap = if self.leap { " nhuận" } else { "" };
        write!(f, "{}/{}{}/{} ÂL", self.day, self.month, leap, self.year)
    }
}

/// One lunar month in the precomputed table.
#[derive(Debug, Clone, Copy)]
struct MonthStart {
    /// Julian day number of day 1.
    jdn: i32,
    year: i32,
    month: u8,
    leap: bool,
}

impl MonthStart {
    fn key(&self) -> (i32, u8, bool) {
        (self.year, self.month, self.leap)
    }
}

/// Month starts in chronological order; the last entry only closes the month before it.
struct Table {
    months: Vec<MonthStart>,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(build_table)
}

/// Computes every month from month 11 of 1898 to month 1 of 2102.
fn build_table() -> Table {
    // Lunation numbers: k = 0 is 2000-01-06; a year is ~12.3685 lunations.
    let k_first = ((1898.75 - 2000.0) * 12.3685_f64).floor() as i64;
    let k_last = ((2102.3 - 2000.0) * 12.3685_f64).ceil() as i64;
    let starts: Vec<i32> = (k_first..=k_last)
        .map(|k| astro::local_jdn(astro::new_moon_ut(k)))
        .collect();
    // Solar longitude at the start of each month, unwrapped so it increases monotonically.
    let mut lon = Vec::with_capacity(starts.len());
    let mut turns = 0.0;
    let mut prev = f64::NEG_INFINITY;
    for &jdn in &starts {
        let mut l = astro::solar_longitude_at_local_midnight(jdn) + turns;
        if l < prev {
            turns += 360.0;
            l += 360.0;
        }
        prev = l;
        lon.push(l);
    }
    // Month i spans [starts[i], starts[i+1]); it holds a major term when a multiple of 30°
    // lies in (lon[i], lon[i+1]], and the winter solstice when 270° (mod 360) does.
    let has_major_term = |i: usize| (lon[i + 1] / 30.0).floor() > (lon[i] / 30.0).floor();
    let has_solstice =
        |i: usize| ((lon[i + 1] - 270.0) / 360.0).floor() > ((lon[i] - 270.0) / 360.0).floor();
    let elevens: Vec<usize> = (0..starts.len() - 1).filter(|&i| has_solstice(i)).collect();

    let mut months = Vec::with_capacity(starts.len());
    for pair in elevens.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let leap = if b - a == 13 {
            // Always exists: 13 months share 12 major terms. Fall back to the last month
            // only to stay total under floating-point surprises.
            Some((a + 1..b).find(|&i| !has_major_term(i)).unwrap_or(b - 1))
        } else {
            None
        };
        let mut year = civil_year(starts[a]);
        let mut month = 10u8;
        for (i, &jdn) in starts.iter().enumerate().take(b).skip(a) {
            if Some(i) == leap {
                months.push(MonthStart {
                    jdn,
                    year,
                    month,
                    leap: true,
                });
            } else {
                month += 1;
                if month == 13 {
                    month = 1;
                    year += 1;
                }
                months.push(MonthStart {
                    jdn,
                    year,
                    month,
                    leap: false,
                });
            }
        }
    }
    if let Some(&last) = elevens.last() {
        let year = civil_year(starts[last]);
        months.push(MonthStart {
            jdn: starts[last],
            year,
            month: 11,
            leap: false,
        });
    }
    Table { months }
}

fn civil_year(jdn: i32) -> i32 {
    date_from_jdn(jdn).map_or(0, |d| d.year())
}

pub(crate) fn jdn(date: NaiveDate) -> i32 {
    date.num_days_from_ce() + astro::JDN_CE_OFFSET
}

pub(crate) fn date_from_jdn(jdn: i32) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(jdn - astro::JDN_CE_OFFSET)
}

/// First supported date, 1900-01-01.
pub fn min_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(MIN_YEAR, 1, 1).unwrap_or(NaiveDate::MIN)
}

/// Last supported date, 2100-12-31.
pub fn max_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(MAX_YEAR, 12, 31).unwrap_or(NaiveDate::MAX)
}

fn check_range(date: NaiveDate) -> Result<(), CalendarError> {
    if date < min_date() || date > max_date() {
        Err(CalendarError::OutOfRange(date))
    } else {
        Ok(())
    }
}

/// Converts a solar (Gregorian) date to the Vietnamese lunar date.
pub fn solar_to_lunar(date: NaiveDate) -> Result<LunarDate, CalendarError> {
    check_range(date)?;
    let j = jdn(date);
    let months = &table().months;
    let idx = months.partition_point(|m| m.jdn <= j);
    let m = idx
        .checked_sub(1)
        .and_then(|i| months.get(i))
        .ok_or(CalendarError::OutOfRange(date))?;
    let day = u8::try_from(j - m.jdn + 1).map_err(|_| CalendarError::OutOfRange(date))?;
    Ok(LunarDate {
        year: m.year,
        month: m.month,
        day,
        leap: m.leap,
    })
}

/// Converts a Vietnamese lunar date to the solar date.
pub fn lunar_to_solar(lunar: LunarDate) -> Result<NaiveDate, CalendarError> {
    if !(MIN_YEAR - 1..=MAX_YEAR).contains(&lunar.year) {
        return Err(CalendarError::YearOutOfRange(lunar.year));
    }
    let months = &table().months;
    let key = (lunar.year, lunar.month, lunar.leap);
    let idx = months.partition_point(|m| m.key() < key);
    let (Some(m), Some(next)) = (months.get(idx), months.get(idx + 1)) else {
        return Err(CalendarError::YearOutOfRange(lunar.year));
    };
    if m.key() != key || lunar.day == 0 || i32::from(lunar.day) > next.jdn - m.jdn {
        return Err(CalendarError::NoSuchLunarDate(lunar));
    }
    let date = date_from_jdn(m.jdn + i32::from(lunar.day) - 1)
        .ok_or(CalendarError::NoSuchLunarDate(lunar))?;
    check_range(date)?;
    Ok(date)
}

/// Number of days (29 or 30) of a lunar month.
pub fn month_length(year: i32, month: u8, leap: bool) -> Result<u8, CalendarError> {
    let missing = CalendarError::NoSuchLunarDate(LunarDate {
        year,
        month,
        day: 1,
        leap,
    });
    if !(MIN_YEAR - 1..=MAX_YEAR).contains(&year) {
        return Err(CalendarError::YearOutOfRange(year));
    }
    let months = &table().months;
    let idx = months.partition_point(|m| m.key() < (year, month, leap));
    match (months.get(idx), months.get(idx + 1)) {
        (Some(m), Some(next)) if m.key() == (year, month, leap) => {
            u8::try_from(next.jdn - m.jdn).map_err(|_| missing)
        }
        _ => Err(missing),
    }
}

/// The leap month (tháng nhuận) of a lunar year, if it has one.
pub fn leap_month(year: i32) -> Result<Option<u8>, CalendarError> {
    if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
        return Err(CalendarError::YearOutOfRange(year));
    }
    Ok(table()
        .months
        .iter()
        .find(|m| m.year == year && m.leap)
        .map(|m| m.month))
}

/// Tết Nguyên đán: the solar date of day 1 of month 1 of lunar year `year`.
pub fn tet(year: i32) -> Result<NaiveDate, CalendarError> {
    if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
        return Err(CalendarError::YearOutOfRange(year));
    }
    lunar_to_solar(LunarDate::new(year, 1, 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    #[test]
    fn tet_falls_on_the_known_dates() {
        for (year, m, d) in [
            (2024, 2, 10),
            (2025, 1, 29),
            (2026, 2, 17),
            (2000, 2, 5),
            (2021, 2, 12),
            (2023, 1, 22),
        ] {
            assert_eq!(tet(year).expect("in range"), ymd(year, m, d), "Tết {year}");
        }
    }

    #[test]
    fn tet_follows_vietnam_time_where_it_differs_from_china() {
        assert_eq!(tet(1985).expect("in range"), ymd(1985, 1, 21));
        assert_eq!(tet(2007).expect("in range"), ymd(2007, 2, 17));
        assert_eq!(tet(2030).expect("in range"), ymd(2030, 2, 2));
        // North Vietnam's 1968 switch to UTC+7 moved Tết Mậu Thân a day earlier.
        assert_eq!(tet(1968).expect("in range"), ymd(1968, 1, 29));
    }

    #[test]
    fn hung_kings_day_is_10_march_lunar() {
        assert_eq!(
            lunar_to_solar(LunarDate::new(2026, 3, 10)).expect("exists"),
            ymd(2026, 4, 26)
        );
        assert_eq!(
            lunar_to_solar(LunarDate::new(2025, 3, 10)).expect("exists"),
            ymd(2025, 4, 7)
        );
    }

    #[test]
    fn leap_months_match_the_vietnamese_almanac() {
        for (year, leap) in [
            (2020, Some(4)),
            (2023, Some(2)),
            (2024, None),
            (2025, Some(6)),
            (2028, Some(5)),
            (2033, Some(11)),
        ] {
            assert_eq!(
                leap_month(year).expect("in range"),
                leap,
                "leap month of {year}"
            );
        }
    }

    #[test]
    fn a_leap_month_date_round_trips() {
        let leap = LunarDate {
            year: 2025,
            month: 6,
            day: 1,
            leap: true,
        };
        let solar = lunar_to_solar(leap).expect("2025 has a leap sixth month");
        assert_eq!(solar, ymd(2025, 7, 25));
        assert_eq!(solar_to_lunar(solar).expect("in range"), leap);
    }

    #[test]
    fn a_leap_month_the_year_lacks_is_rejected() {
        let missing = LunarDate {
            year: 2024,
            month: 6,
            day: 1,
            leap: true,
        };
        assert_eq!(
            lunar_to_solar(missing),
            Err(CalendarError::NoSuchLunarDate(missing))
        );
    }

    #[test]
    fn day_30_of_a_short_month_is_rejected() {
        let short = (1..=12)
            .find(|&m| month_length(2024, m, false).expect("exists") == 29)
            .expect("a short month");
        assert!(lunar_to_solar(LunarDate::new(2024, short, 30)).is_err());
    }

    #[test]
    fn dates_outside_1900_to_2100_are_out_of_range() {
        assert_eq!(
            solar_to_lunar(ymd(1899, 12, 31)),
            Err(CalendarError::OutOfRange(ymd(1899, 12, 31)))
        );
        assert!(solar_to_lunar(ymd(2101, 1, 1)).is_err());
        assert_eq!(tet(2101), Err(CalendarError::YearOutOfRange(2101)));
        assert!(
            solar_to_lunar(ymd(1900, 1, 1)).is_ok() && solar_to_lunar(ymd(2100, 12, 31)).is_ok()
        );
    }

    #[test]
    fn lunar_dates_display_in_vietnamese_style() {
        assert_eq!(
            LunarDate {
                year: 2025,
                month: 6,
                day: 1,
                leap: true
            }
            .to_string(),
            "1/6 nhuận/2025 ÂL"
        );
    }

    proptest::proptest! {
        #[test]
        fn solar_to_lunar_to_solar_round_trips(offset in 0i64..73_414) {
            let date = min_date() + chrono::Duration::days(offset);
            let lunar = solar_to_lunar(date).expect("in range");
            proptest::prop_assert_eq!(lunar_to_solar(lunar).expect("exists"), date);
        }
    }
}
