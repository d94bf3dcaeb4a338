//! Statutory holidays (Labour Code 2019, Art 112) computed from [`CalendarRules`] and the
//! lunar calendar, and make-up days (nghỉ bù, Art 111(3)) for holidays that fall on a
//! weekly rest day. Yearly notices, which the [`super::Calendar`] layers on top, may move
//! the Tết days and the second National Day day; this module only knows the defaults.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Days, NaiveDate};

use super::error::CalendarError;
use super::lunar::{self, LunarDate};
use super::notices::{CalendarDay, DayKind};
pub use super::rules::{
    AdjacentDay, CalendarRules, FixedHoliday, LunarHoliday, MakeUpRule, NationalDayRule, TetRule,
};

/// Which rule produced a statutory day; notices replace whole groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Group {
    /// A day of the Tết block.
    Tet,
    /// The day added to 02/9.
    NationalDayAdjacent,
    /// Any other statutory day (fixed solar or lunar date).
    Other,
}

fn holiday(date: NaiveDate, name_vi: String, source: &str) -> CalendarDay {
    CalendarDay {
        date,
        kind: DayKind::Holiday,
        name_vi,
        source: source.to_string(),
    }
}

fn tet_day_name(date: NaiveDate) -> String {
    match lunar::solar_to_lunar(date) {
        Ok(LunarDate { month: 1, day, .. }) => format!("Tết Nguyên đán (mùng {day} tháng Giêng)"),
        Ok(LunarDate { day, .. }) => format!("Tết Nguyên đán ({day} tháng Chạp)"),
        Err(_) => "Tết Nguyên đán".to_string(),
    }
}

/// Statutory holidays of a solar year with the rule group that produced each, in date order.
pub(crate) fn statutory_days(
    rules: &CalendarRules,
    year: i32,
) -> Result<Vec<(Group, CalendarDay)>, CalendarError> {
    let applies = |from: Option<i32>| from.is_none_or(|f| year >= f);
    let mut out = Vec::new();
    for f in rules
        .fixed
        .iter()
        .filter(|f| f.enabled && applies(f.from_year))
    {
        if let Some(date) = NaiveDate::from_ymd_opt(year, f.month, f.day) {
            out.push((Group::Other, holiday(date, f.name_vi.clone(), &f.source)));
        }
    }
    for l in rules
        .lunar
        .iter()
        .filter(|l| l.enabled && applies(l.from_year))
    {
        match lunar::lunar_to_solar(LunarDate::new(year, l.month, l.day)) {
            Ok(date) => out.push((Group::Other, holiday(date, l.name_vi.clone(), &l.source))),
            // Day 30 of a 29-day month: take the last day of the month instead.
            Err(CalendarError::NoSuchLunarDate(_)) if l.day == 30 => {
                let date = lunar::lunar_to_solar(LunarDate::new(year, l.month, 29))?;
                out.push((Group::Other, holiday(date, l.name_vi.clone(), &l.source)));
            }
            Err(e) => return Err(e),
        }
    }
    if rules.tet.enabled {
        let first = lunar::tet(year)?;
        let start = first - Days::new(u64::from(rules.tet.days_before));
        let len = u64::from(rules.tet.days_before) + u64::from(rules.tet.days_from_new_year);
        for date in start.iter_days().take(usize::try_from(len).unwrap_or(0)) {
            out.push((
                Group::Tet,
                holiday(date, tet_day_name(date), &rules.tet.source),
            ));
        }
    }
    let nd = &rules.national_day_adjacent;
    if nd.enabled && year >= nd.from_year {
        let (day, label) = match nd.adjacent {
            AdjacentDay::Before => (1, "01/9"),
            AdjacentDay::After => (3, "03/9"),
        };
        if let Some(date) = NaiveDate::from_ymd_opt(year, 9, day) {
            let name = format!("Quốc khánh (ngày liền kề {label})");
            out.push((Group::NationalDayAdjacent, holiday(date, name, &nd.source)));
        }
    }
    out.sort_by_key(|(_, d)| d.date);
    Ok(out)
}

/// The statutory holidays of a solar year under `rules`, without make-up days or notices.
pub fn statutory_holidays(
    rules: &CalendarRules,
    year: i32,
) -> Result<Vec<CalendarDay>, CalendarError> {
    if !(lunar::MIN_YEAR..=lunar::MAX_YEAR).contains(&year) {
        return Err(CalendarError::YearOutOfRange(year));
    }
    Ok(statutory_days(rules, year)?
        .into_iter()
        .map(|(_, d)| d)
        .collect())
}

/// Assigns make-up days (Art 111(3)) for `on_rest_days`, the statutory holidays that fall
/// on a weekly rest day, in date order. `table` holds every dated row already decided
/// (holidays, notice rows). Each holiday takes the next day that is not a rest day, not off
/// and not worked by swap; a `make_up` row from a notice found there is *claimed* instead of
/// adding a second make-up day. Returns only the new rows.
pub(crate) fn make_up_days(
    rules: &CalendarRules,
    on_rest_days: &[CalendarDay],
    table: &BTreeMap<NaiveDate, CalendarDay>,
) -> Vec<CalendarDay> {
    let mut claimed = BTreeSet::new();
    let mut new_rows: Vec<CalendarDay> = Vec::new();
    for h in on_rest_days {
        let mut day = h.date;
        // A run of holidays is at most a few weeks long; 60 days is a safe bound.
        for _ in 0..60 {
            let Some(next) = day.succ_opt() else { break };
            day = next;
            if rules.is_rest_day(day.weekday()) || new_rows.iter().any(|r| r.date == day) {
                continue;
            }
            match table.get(&day) {
                Some(row) if row.kind == DayKind::MakeUp && !claimed.contains(&day) => {
                    claimed.insert(day);
                    break;
                }
                Some(_) => continue,
                None => {
                    new_rows.push(CalendarDay {
                        date: day,
                        kind: DayKind::MakeUp,
                        name_vi: format!("Nghỉ bù {} ({})", h.name_vi, h.date.format("%d/%m/%Y")),
                        source: rules.make_up.source.clone(),
                    });
                    break;
                }
            }
        }
    }
    new_rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    #[test]
    fn default_rules_give_eleven_statutory_days_from_2021() {
        let days = statutory_holidays(&CalendarRules::default(), 2025).expect("in range");
        assert_eq!(days.len(), 11);
    }

    #[test]
    fn before_2021_national_day_has_one_day() {
        let days = statutory_holidays(&CalendarRules::default(), 2019).expect("in range");
        assert_eq!(days.len(), 10);
    }

    #[test]
    fn default_tet_is_the_last_day_of_the_year_and_the_first_four_of_the_next() {
        let days = statutory_holidays(&CalendarRules::default(), 2024).expect("in range");
        let tet: Vec<_> = days
            .iter()
            .filter(|d| d.name_vi.starts_with("Tết Nguyên"))
            .map(|d| d.date)
            .collect();
        let expected: Vec<_> = ymd(2024, 2, 9).iter_days().take(5).collect();
        assert_eq!(tet, expected);
    }

    #[test]
    fn the_tet_span_is_configurable() {
        let mut rules = CalendarRules::default();
        rules.tet.days_before = 2;
        rules.tet.days_from_new_year = 3;
        let days = statutory_holidays(&rules, 2024).expect("in range");
        let first = days
            .iter()
            .find(|d| d.name_vi.starts_with("Tết Nguyên"))
            .expect("tet");
        assert_eq!(first.date, ymd(2024, 2, 8));
    }

    #[test]
    fn hung_kings_day_2026_falls_on_sunday_26_april() {
        let days = statutory_holidays(&CalendarRules::default(), 2026).expect("in range");
        assert!(
            days.iter()
                .any(|d| d.date == ymd(2026, 4, 26) && d.name_vi == "Giỗ Tổ Hùng Vương")
        );
    }

    #[test]
    fn culture_day_can_be_switched_on_from_2026() {
        let mut rules = CalendarRules::default();
        for f in rules
            .fixed
            .iter_mut()
            .filter(|f| f.month == 11 && f.day == 24)
        {
            f.enabled = true;
        }
        let has = |y| {
            statutory_holidays(&rules, y)
                .expect("in range")
                .iter()
                .any(|d| d.date.month() == 11)
        };
        assert!(has(2026));
        assert!(!has(2025));
    }

    #[test]
    fn the_adjacent_national_day_can_be_the_third() {
        let mut rules = CalendarRules::default();
        rules.national_day_adjacent.adjacent = AdjacentDay::After;
        let days = statutory_holidays(&rules, 2024).expect("in range");
        assert!(days.iter().any(|d| d.date == ymd(2024, 9, 3)));
    }
}
