//! Errors of the calendar module. Messages are bilingual (Vietnamese / English) because they
//! reach officers editing notice tables as well as API clients.

use chrono::NaiveDate;

use super::lunar::LunarDate;

/// Why a calendar operation failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CalendarError {
    /// The date lies outside the supported range 1900-01-01 ..= 2100-12-31.
    #[error(
        "ngày {0} nằm ngoài phạm vi lịch 1900–2100 / date {0} is outside the supported range 1900–2100"
    )]
    OutOfRange(NaiveDate),
    /// The (lunar or solar) year lies outside the supported range 1900 ..= 2100.
    #[error(
        "năm {0} nằm ngoài phạm vi lịch 1900–2100 / year {0} is outside the supported range 1900–2100"
    )]
    YearOutOfRange(i32),
    /// The lunar date does not exist (e.g. day 30 of a 29-day month, or a leap month that the
    /// year does not have).
    #[error("ngày âm lịch {0} không tồn tại / lunar date {0} does not exist")]
    NoSuchLunarDate(LunarDate),
    /// A notice table (CSV) could not be read.
    #[error(
        "bảng lịch nghỉ lỗi ở dòng {line}, cột {column}: {reason} / notice table malformed at line {line}, column {column}: {reason}"
    )]
    Malformed {
        /// 1-based line number in the CSV text.
        line: usize,
        /// 1-based column number (1 = date, 2 = kind, 3 = name_vi, 4 = source).
        column: usize,
        /// What is wrong, in Vietnamese and English.
        reason: String,
    },
    /// Two rows of the override table disagree, or a row contradicts the weekly rest days.
    #[error("mâu thuẫn tại ngày {date}: {reason} / contradiction on {date}: {reason}")]
    Contradiction {
        /// The date concerned.
        date: NaiveDate,
        /// What contradicts what.
        reason: String,
    },
    /// A count that must not be negative was negative (e.g. working minutes to add).
    #[error("số lượng không được âm: {0} / count must not be negative: {0}")]
    NegativeCount(i64),
    /// The office-hours configuration is unusable.
    #[error("giờ làm việc không hợp lệ: {0} / invalid office hours: {0}")]
    InvalidOfficeHours(String),
}
