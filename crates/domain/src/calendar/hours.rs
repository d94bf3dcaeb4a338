//! Hours mode: deadlines counted in working hours within office hours (provincial practice,
//! not confirmed by a legal text, hence configurable). Default office hours are 07:00–11:30
//! and 13:30–17:00, an 8-hour day; a dossier received after closing time (or on a day off)
//! starts counting at the opening of the next working day.

use chrono::{NaiveDateTime, NaiveTime, TimeDelta};
use serde::{Deserialize, Serialize};

use super::error::CalendarError;
use super::working::Calendar;

/// One office session (buổi làm việc), e.g. the morning 07:00–11:30.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    /// Opening time.
    pub start: NaiveTime,
    /// Closing time (exclusive of further work).
    pub end: NaiveTime,
}

/// Office hours (giờ làm việc) of a working day: ordered, non-overlapping sessions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficeHours {
    /// The sessions of a day, in order.
    pub sessions: Vec<Session>,
}

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN)
}

impl Default for OfficeHours {
    fn default() -> Self {
        Self {
            sessions: vec![
                Session {
                    start: hm(7, 0),
                    end: hm(11, 30),
                },
                Session {
                    start: hm(13, 30),
                    end: hm(17, 0),
                },
            ],
        }
    }
}

impl OfficeHours {
    /// Checks that there is at least one session and sessions are ordered, non-empty and
    /// do not overlap.
    pub fn validate(&self) -> Result<(), CalendarError> {
        if self.sessions.is_empty() {
            return Err(CalendarError::InvalidOfficeHours(
                "không có buổi làm việc / no session".into(),
            ));
        }
        let mut previous_end: Option<NaiveTime> = None;
        for s in &self.sessions {
            if s.end <= s.start {
                return Err(CalendarError::InvalidOfficeHours(format!(
                    "{}–{}",
                    s.start, s.end
                )));
            }
            if previous_end.is_some_and(|e| s.start < e) {
                return Err(CalendarError::InvalidOfficeHours(format!(
                    "buổi {}–{} chồng lấn / session overlaps the previous one",
                    s.start, s.end
                )));
            }
            previous_end = Some(s.end);
        }
        Ok(())
    }

    /// Seconds of work in one working day (28,800 for the default 8 hours).
    pub fn seconds_per_day(&self) -> i64 {
        self.sessions
            .iter()
            .map(|s| (s.end - s.start).num_seconds())
            .sum()
    }

    /// Hours of work in one working day.
    pub fn hours_per_day(&self) -> f64 {
        self.seconds_per_day() as f64 / 3600.0
    }

    fn opening(&self) -> NaiveTime {
        self.sessions.first().map_or(NaiveTime::MIN, |s| s.start)
    }

    fn closing(&self) -> NaiveTime {
        self.sessions.last().map_or(NaiveTime::MIN, |s| s.end)
    }
}

impl Calendar {
    /// Adds `hours` working hours (fractions allowed, rounded to the minute) to a receipt
    /// time. See [`Calendar::add_working_minutes`].
    pub fn add_working_hours(
        &self,
        start: NaiveDateTime,
        hours: f64,
    ) -> Result<NaiveDateTime, CalendarError> {
        if hours.is_nan() || hours < 0.0 {
            return Err(CalendarError::NegativeCount((hours * 60.0) as i64));
        }
        self.add_working_minutes(start, (hours * 60.0).round() as i64)
    }

    /// Adds `minutes` of working time, counted only inside office hours of working days.
    ///
    /// A start outside office hours moves to the next opening (the next session the same
    /// day, or the next working morning after closing time or on a day off). A deadline
    /// that exhausts a session exactly ends at that session's closing time. Zero minutes
    /// returns the (moved) start.
    pub fn add_working_minutes(
        &self,
        start: NaiveDateTime,
        minutes: i64,
    ) -> Result<NaiveDateTime, CalendarError> {
        if minutes < 0 {
            return Err(CalendarError::NegativeCount(minutes));
        }
        let office = &self.office;
        let (mut day, mut time) = (start.date(), start.time());
        if !self.is_working_day(day)? || time >= office.closing() {
            day = self.add_working_days(day, 1)?;
            time = office.opening();
        }
        let mut remaining = minutes.saturating_mul(60);
        for s in office.sessions.iter().filter(|s| time < s.end) {
            let from = time.max(s.start);
            let available = (s.end - from).num_seconds();
            if remaining <= available {
                return Ok(day.and_time(from + TimeDelta::seconds(remaining)));
            }
            remaining -= available;
        }
        let per_day = office.seconds_per_day();
        let (full_days, rest) = (remaining / per_day, remaining % per_day);
        if rest == 0 {
            return Ok(self
                .add_working_days(day, full_days)?
                .and_time(office.closing()));
        }
        let last_day = self.add_working_days(day, full_days + 1)?;
        let mut rest = rest;
        for s in &office.sessions {
            let available = (s.end - s.start).num_seconds();
            if rest <= available {
                return Ok(last_day.and_time(s.start + TimeDelta::seconds(rest)));
            }
            rest -= available;
        }
        Ok(last_day.and_time(office.closing()))
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::calendar::rules::CalendarRules;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|d| d.and_hms_opt(h, min, 0))
            .expect("valid")
    }

    fn vn() -> Calendar {
        Calendar::default_vn().expect("default calendar")
    }

    #[test]
    fn three_working_days_from_friday_25_april_2025_end_on_tuesday_29_april_at_nine() {
        assert_eq!(
            vn().add_working_hours(at(2025, 4, 25, 9, 0), 24.0)
                .expect("in range"),
            at(2025, 4, 29, 9, 0)
        );
    }

    #[test]
    fn without_the_2025_swap_the_same_limit_ends_on_friday_2_may() {
        let cal = Calendar::new(CalendarRules::default(), Vec::new()).expect("rules only");
        assert_eq!(
            cal.add_working_hours(at(2025, 4, 25, 9, 0), 24.0)
                .expect("in range"),
            at(2025, 5, 2, 9, 0)
        );
    }

    #[test]
    fn receipt_after_closing_time_starts_the_next_working_morning() {
        // Thu 24/04/2025 17:30 + 2 h → Fri 25/04 09:00.
        assert_eq!(
            vn().add_working_hours(at(2025, 4, 24, 17, 30), 2.0)
                .expect("in range"),
            at(2025, 4, 25, 9, 0)
        );
    }

    #[test]
    fn receipt_on_a_sunday_starts_on_monday_morning() {
        assert_eq!(
            vn().add_working_hours(at(2025, 4, 27, 10, 0), 1.0)
                .expect("in range"),
            at(2025, 4, 28, 8, 0)
        );
    }

    #[test]
    fn the_lunch_break_is_skipped() {
        assert_eq!(
            vn().add_working_hours(at(2025, 4, 24, 11, 0), 1.0)
                .expect("in range"),
            at(2025, 4, 24, 14, 0)
        );
    }

    #[test]
    fn a_limit_that_fills_whole_days_ends_at_closing_time() {
        // Tue 22/04/2025 07:00 + 16 h → Wed 23/04 17:00.
        assert_eq!(
            vn().add_working_hours(at(2025, 4, 22, 7, 0), 16.0)
                .expect("in range"),
            at(2025, 4, 23, 17, 0)
        );
    }

    #[test]
    fn negative_hours_are_rejected() {
        assert!(matches!(
            vn().add_working_hours(at(2025, 4, 22, 7, 0), -1.0),
            Err(CalendarError::NegativeCount(_))
        ));
    }

    #[test]
    fn office_hours_are_configurable() {
        let office = OfficeHours {
            sessions: vec![Session {
                start: hm(8, 0),
                end: hm(12, 0),
            }],
        };
        let cal = vn().with_office_hours(office).expect("valid hours");
        assert_eq!(
            cal.add_working_hours(at(2025, 4, 22, 11, 0), 2.0)
                .expect("in range"),
            at(2025, 4, 23, 9, 0)
        );
    }

    #[test]
    fn overlapping_sessions_are_rejected() {
        let office = OfficeHours {
            sessions: vec![
                Session {
                    start: hm(8, 0),
                    end: hm(12, 0),
                },
                Session {
                    start: hm(11, 0),
                    end: hm(13, 0),
                },
            ],
        };
        assert!(office.validate().is_err());
    }

    #[test]
    fn the_default_day_has_eight_hours() {
        assert!((OfficeHours::default().hours_per_day() - 8.0).abs() < f64::EPSILON);
    }
}
