//! The working-day calendar: statutory holidays, make-up days and yearly notices merged
//! into one dated table, plus deadline arithmetic in working days.
//!
//! Construction precomputes, for every day of 1900–2100, how many working days precede it
//! (a prefix sum) and the list of all working days, so `add_working_days` and
//! `working_days_between` are O(1) array lookups.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Days, NaiveDate};

use super::error::CalendarError;
use super::holidays::{self, Group};
use super::hours::OfficeHours;
use super::lunar;
use super::notices::{self, CalendarDay, DayKind};
use super::rules::CalendarRules;

/// A notice row this close to mùng 1 (in days) is taken to fix the Tết block of its year.
const TET_WINDOW_DAYS: i64 = 12;
/// A notice row between these dates (month, day) fixes the second National Day day.
const NATIONAL_DAY_WINDOW: ((u32, u32), (u32, u32)) = ((8, 20), (9, 15));

/// The Vietnamese civil-service working-day calendar for 1900–2100.
///
/// Built from [`CalendarRules`] and override rows (yearly notices). For a year whose
/// override rows include a day off near Tết (or near 02/9), those rows are authoritative for
/// the Tết block (or the second National Day day) and the computed default is dropped; the
/// other statutory days and their make-up days are still computed. An override row always
/// wins over a computed row on the same date.
#[derive(Debug, Clone)]
pub struct Calendar {
    pub(crate) rules: CalendarRules,
    pub(crate) office: OfficeHours,
    table: BTreeMap<NaiveDate, CalendarDay>,
    /// `prefix[i]` = working days in `[min_date, min_date + i)`; one longer than the range.
    prefix: Vec<u32>,
    /// Day offsets (from `min_date`) of all working days, ascending.
    working: Vec<u32>,
}

fn in_range(date: NaiveDate) -> Result<(), CalendarError> {
    if date < lunar::min_date() || date > lunar::max_date() {
        Err(CalendarError::OutOfRange(date))
    } else {
        Ok(())
    }
}

impl Calendar {
    /// Builds the calendar from rules and override rows (e.g. from [`notices::parse_notice_csv`]).
    ///
    /// Fails when a row is outside 1900–2100 or rows contradict each other or the weekly
    /// rest days (see [`notices::parse_notice_csv`]).
    pub fn new(rules: CalendarRules, overrides: Vec<CalendarDay>) -> Result<Self, CalendarError> {
        for row in &overrides {
            in_range(row.date)?;
        }
        let is_rest = |w| rules.is_rest_day(w);
        let keep = notices::check_rows(&overrides, &is_rest).map_err(|(_, e)| e)?;
        let overrides: Vec<CalendarDay> = overrides
            .into_iter()
            .zip(keep)
            .filter_map(|(row, k)| k.then_some(row))
            .collect();
        let override_dates: BTreeSet<NaiveDate> = overrides.iter().map(|r| r.date).collect();

        let mut table = BTreeMap::new();
        let mut on_rest_days = Vec::new();
        for year in lunar::MIN_YEAR..=lunar::MAX_YEAR {
            let tet = lunar::tet(year)?;
            let (from, to) = NATIONAL_DAY_WINDOW;
            let nd_from = NaiveDate::from_ymd_opt(year, from.0, from.1);
            let nd_to = NaiveDate::from_ymd_opt(year, to.0, to.1);
            let days_off = || overrides.iter().filter(|r| r.kind.is_day_off());
            let tet_fixed = days_off().any(|r| (r.date - tet).num_days().abs() <= TET_WINDOW_DAYS);
            let nd_fixed = days_off().any(|r| Some(r.date) >= nd_from && Some(r.date) <= nd_to);
            for (group, day) in holidays::statutory_days(&rules, year)? {
                let replaced = match group {
                    Group::Tet => tet_fixed,
                    Group::NationalDayAdjacent => nd_fixed,
                    Group::Other => false,
                };
                if replaced || table.contains_key(&day.date) {
                    continue;
                }
                if rules.is_rest_day(day.date.weekday()) && !override_dates.contains(&day.date) {
                    on_rest_days.push(day.clone());
                }
                table.insert(day.date, day);
            }
        }
        for row in overrides {
            table.insert(row.date, row);
        }
        if rules.make_up.enabled {
            on_rest_days.sort_by_key(|d| d.date);
            for row in holidays::make_up_days(&rules, &on_rest_days, &table) {
                table.insert(row.date, row);
            }
        }

        let mut prefix = Vec::with_capacity(74_000);
        let mut working = Vec::with_capacity(52_000);
        let mut count = 0u32;
        prefix.push(0);
        for (offset, date) in (0u32..).zip(
            lunar::min_date()
                .iter_days()
                .take_while(|d| *d <= lunar::max_date()),
        ) {
            let works = match table.get(&date) {
                Some(row) => !row.kind.is_day_off(),
                None => !rules.is_rest_day(date.weekday()),
            };
            if works {
                working.push(offset);
                count += 1;
            }
            prefix.push(count);
        }
        Ok(Self {
            rules,
            office: OfficeHours::default(),
            table,
            prefix,
            working,
        })
    }

    /// The default Vietnamese calendar: default rules plus the embedded notices 2021–2026.
    pub fn default_vn() -> Result<Self, CalendarError> {
        Self::new(CalendarRules::default(), notices::embedded_notices()?)
    }

    /// Replaces the office hours used by the hours mode (see [`Calendar::add_working_hours`]).
    pub fn with_office_hours(mut self, office: OfficeHours) -> Result<Self, CalendarError> {
        office.validate()?;
        self.office = office;
        Ok(self)
    }

    /// The rules the calendar was built from.
    pub fn rules(&self) -> &CalendarRules {
        &self.rules
    }

    /// The office hours of the hours mode.
    pub fn office_hours(&self) -> &OfficeHours {
        &self.office
    }

    fn index(&self, date: NaiveDate) -> Result<usize, CalendarError> {
        in_range(date)?;
        usize::try_from((date - lunar::min_date()).num_days())
            .map_err(|_| CalendarError::OutOfRange(date))
    }

    fn date_at(&self, offset: u32) -> NaiveDate {
        lunar::min_date() + Days::new(u64::from(offset))
    }

    /// Whether `date` is a working day (not a weekly rest day unless worked by swap, not a
    /// holiday, make-up day or swapped day off).
    pub fn is_working_day(&self, date: NaiveDate) -> Result<bool, CalendarError> {
        let i = self.index(date)?;
        Ok(self.prefix[i + 1] > self.prefix[i])
    }

    /// The table row for `date`, if the date is special (holiday, make-up, swap).
    pub fn day(&self, date: NaiveDate) -> Option<&CalendarDay> {
        self.table.get(&date)
    }

    /// Every non-working weekday and every worked weekly rest day of `year`, in date order,
    /// with name and source. Empty for years outside 1900–2100.
    pub fn holidays(&self, year: i32) -> Vec<CalendarDay> {
        self.special_days(year)
            .into_iter()
            .filter(|d| {
                let rest = self.rules.is_rest_day(d.date.weekday());
                (d.kind.is_day_off() && !rest) || (d.kind == DayKind::SwappedWorkday && rest)
            })
            .collect()
    }

    /// Every row of `year` in the table, including holidays that fall on a weekly rest day.
    pub fn special_days(&self, year: i32) -> Vec<CalendarDay> {
        let (Some(from), Some(to)) = (
            NaiveDate::from_ymd_opt(year, 1, 1),
            NaiveDate::from_ymd_opt(year, 12, 31),
        ) else {
            return Vec::new();
        };
        self.table
            .range(from..=to)
            .map(|(_, d)| d.clone())
            .collect()
    }

    /// Adds `n` working days to `date`.
    ///
    /// Convention: for `n ≥ 1` the result is the n-th working day strictly after `date`
    /// (the start day itself never counts, whether or not it is a working day); `n = 0`
    /// returns `date` if it is a working day, else the next working day; `n < 0` returns the
    /// |n|-th working day strictly before `date`. Hence
    /// `working_days_between(d, add_working_days(d, n)) == n` for every `n ≥ 1`, and for
    /// every `n` when `d` is a working day.
    pub fn add_working_days(&self, date: NaiveDate, n: i64) -> Result<NaiveDate, CalendarError> {
        let i = self.index(date)?;
        let k = match n {
            1.. => i64::from(self.prefix[i + 1]) + n - 1,
            0 => i64::from(self.prefix[i]),
            _ => i64::from(self.prefix[i]) + n,
        };
        let beyond = if n >= 0 {
            lunar::max_date() + Days::new(1)
        } else {
            lunar::min_date() - Days::new(1)
        };
        let offset = usize::try_from(k)
            .ok()
            .and_then(|k| self.working.get(k))
            .ok_or(CalendarError::OutOfRange(beyond))?;
        Ok(self.date_at(*offset))
    }

    /// Number of working days in `(a, b]`; negative (minus the count in `(b, a]`) when
    /// `b < a`.
    pub fn working_days_between(&self, a: NaiveDate, b: NaiveDate) -> Result<i64, CalendarError> {
        let (i, j) = (self.index(a)?, self.index(b)?);
        Ok(i64::from(self.prefix[j + 1]) - i64::from(self.prefix[i + 1]))
    }

    /// Adds `n` calendar days; when `push_off_non_working` is set and the result is not a
    /// working day, moves it forward to the next working day (a due date never falls on a
    /// day off).
    pub fn add_calendar_days(
        &self,
        date: NaiveDate,
        n: i64,
        push_off_non_working: bool,
    ) -> Result<NaiveDate, CalendarError> {
        let shifted = date
            .checked_add_signed(chrono::Duration::days(n))
            .ok_or(CalendarError::OutOfRange(date))?;
        in_range(shifted)?;
        if push_off_non_working {
            self.add_working_days(shifted, 0)
        } else {
            Ok(shifted)
        }
    }

    /// Moves a due date by the working days during which the clock was paused (e.g. while
    /// a supplement was requested). Each pause `(start, end)` stops the clock for the
    /// working days in `(start, end]`; overlapping pauses count once. Extensions are not
    /// pauses: an extension simply replaces the due date.
    pub fn due_with_pauses(
        &self,
        due: NaiveDate,
        pauses: &[(NaiveDate, NaiveDate)],
    ) -> Result<NaiveDate, CalendarError> {
        let mut spans: Vec<(NaiveDate, NaiveDate)> = Vec::with_capacity(pauses.len());
        for &(start, end) in pauses {
            if end < start {
                let reason = format!(
                    "tạm dừng kết thúc ({end}) trước khi bắt đầu / pause ends before it starts"
                );
                return Err(CalendarError::Contradiction {
                    date: start,
                    reason,
                });
            }
            spans.push((start, end));
        }
        spans.sort();
        let mut paused = 0;
        let mut current: Option<(NaiveDate, NaiveDate)> = None;
        for (start, end) in spans {
            current = match current {
                Some((s, e)) if start <= e => Some((s, e.max(end))),
                Some((s, e)) => {
                    paused += self.working_days_between(s, e)?;
                    Some((start, end))
                }
                None => Some((start, end)),
            };
        }
        if let Some((s, e)) = current {
            paused += self.working_days_between(s, e)?;
        }
        if paused == 0 {
            Ok(due)
        } else {
            self.add_working_days(due, paused)
        }
    }

    /// A short stable fingerprint (FNV-1a, hex) of the rules and the dated table, to record
    /// with each computed deadline which calendar version was used.
    pub fn fingerprint(&self) -> String {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        let mut feed = |bytes: &[u8]| {
            for &b in bytes {
                hash ^= u64::from(b);
                hash = hash.wrapping_mul(0x0100_0000_01b3);
            }
        };
        feed(
            serde_json::to_string(&self.rules)
                .unwrap_or_default()
                .as_bytes(),
        );
        feed(
            serde_json::to_string(&self.office)
                .unwrap_or_default()
                .as_bytes(),
        );
        for row in self.table.values() {
            feed(format!("{}|{}|{}|{}\n", row.date, row.kind, row.name_vi, row.source).as_bytes());
        }
        format!("{hash:016x}")
    }
}
