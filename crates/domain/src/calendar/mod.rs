//! Vietnamese working-day calendar: the lunar calendar (computed from Meeus, at UTC+7),
//! statutory holidays of the Labour Code 2019 with make-up days, the yearly notices that
//! fix Tết and swapped days, deadline arithmetic in working days and working hours, and the
//! on-time classification of dossiers and tasks. Pure: no I/O, tables embedded.
//!
//! Typical use:
//! ```
//! use chrono::NaiveDate;
//! use thutuc_domain::calendar::Calendar;
//!
//! let cal = Calendar::default_vn()?;
//! let received = NaiveDate::from_ymd_opt(2025, 4, 25).unwrap_or_default();
//! let due = cal.add_working_days(received, 3)?;
//! assert_eq!(due, NaiveDate::from_ymd_opt(2025, 4, 29).unwrap_or_default());
//! # Ok::<(), thutuc_domain::calendar::CalendarError>(())
//! ```

mod astro;
mod error;
pub mod holidays;
mod hours;
pub mod lunar;
pub mod notices;
mod rules;
pub mod timeliness;
mod working;

pub use error::CalendarError;
pub use holidays::{
    AdjacentDay, CalendarRules, FixedHoliday, LunarHoliday, MakeUpRule, NationalDayRule, TetRule,
    statutory_holidays,
};
pub use hours::{OfficeHours, Session};
pub use lunar::{LunarDate, lunar_to_solar, solar_to_lunar, tet};
pub use notices::{
    CalendarDay, DayKind, NOTICE_ROWS_NEEDING_CONFIRMATION, NOTICES_CSV, parse_notice_csv,
};
pub use timeliness::{TaskStatus, Timeliness, classify, task_status};
pub use working::Calendar;

#[cfg(test)]
mod tests;
