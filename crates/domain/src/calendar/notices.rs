//! Dated calendar rows (`CalendarDay`) and the yearly notices that fix Tết, the second
//! National Day holiday and swapped working days. The notices are kept as an editable CSV
//! table (`date,kind,name_vi,source`); the rows for 2021–2026 ship embedded
//! ([`NOTICES_CSV`]) and officers add each new notice in the same format.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use super::error::CalendarError;

/// The embedded notice rows for 2021–2026 (`notices.csv`), read by
/// [`super::Calendar::default_vn`].
pub const NOTICES_CSV: &str = include_str!("notices.csv");

/// Notice rows recalled from the notices but **not yet checked against the notice text**.
/// They are *not* loaded by [`super::Calendar::default_vn`]; each matches what the default
/// rules compute anyway, so loading them only changes the cited source. Confirm each row
/// against the notice, then move it to `notices.csv`.
pub const NOTICE_ROWS_NEEDING_CONFIRMATION: &str = "\
date,kind,name_vi,source
2023-09-01,holiday,Quốc khánh (ngày liền kề 01/9),5034/TB-LĐTBXH (cần đối chiếu / needs confirmation)
2023-09-04,make_up,Nghỉ bù Quốc khánh (02/9 là thứ Bảy),5034/TB-LĐTBXH (cần đối chiếu / needs confirmation)
2026-09-01,holiday,Quốc khánh (ngày liền kề 01/9),9441/TB-BNV (cần đối chiếu / needs confirmation)
";

/// What a dated row means for the working-day calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// Ngày nghỉ lễ, tết: a statutory holiday (or a day of the Tết block fixed by a notice).
    Holiday,
    /// Ngày nghỉ bù: a make-up day for a holiday that fell on a weekly rest day.
    MakeUp,
    /// Ngày nghỉ hoán đổi: a weekday off in exchange for a weekend day worked.
    SwappedDayOff,
    /// Ngày làm bù: a weekend day worked in exchange for a weekday off.
    SwappedWorkday,
}

impl DayKind {
    /// All kinds, in CSV order.
    pub const ALL: [DayKind; 4] = [
        Self::Holiday,
        Self::MakeUp,
        Self::SwappedDayOff,
        Self::SwappedWorkday,
    ];

    /// The CSV spelling (`holiday`, `make_up`, `swapped_day_off`, `swapped_workday`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Holiday => "holiday",
            Self::MakeUp => "make_up",
            Self::SwappedDayOff => "swapped_day_off",
            Self::SwappedWorkday => "swapped_workday",
        }
    }

    /// True for kinds that make the day a day off.
    pub fn is_day_off(self) -> bool {
        !matches!(self, Self::SwappedWorkday)
    }

    fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == raw)
    }
}

impl fmt::Display for DayKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One dated row of the holiday table, with the document it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarDay {
    /// The solar date.
    pub date: NaiveDate,
    /// What the day is.
    pub kind: DayKind,
    /// Vietnamese name shown to users, e.g. "Giỗ Tổ Hùng Vương".
    pub name_vi: String,
    /// The legal source or notice number, e.g. "6150/TB-BLĐTBXH".
    pub source: String,
}

fn malformed(line: usize, column: usize, reason: impl Into<String>) -> CalendarError {
    CalendarError::Malformed {
        line,
        column,
        reason: reason.into(),
    }
}

/// Splits one CSV record; double quotes may wrap a field and `""` is a literal quote.
/// On error returns the 1-based column and the reason.
fn split_record(line: &str) -> Result<Vec<String>, (usize, &'static str)> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut chars = line.chars().peekable();
    let mut quoted = false;
    let mut at_start = true;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (false, '"') if at_start => {
                quoted = true;
                at_start = false;
            }
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => {
                quoted = false;
                if chars.peek().is_some_and(|&n| n != ',') {
                    return Err((
                        fields.len() + 1,
                        "ký tự sau dấu ngoặc kép đóng / text after closing quote",
                    ));
                }
            }
            (false, ',') => {
                fields.push(std::mem::take(&mut field));
                at_start = true;
            }
            (_, c) => {
                field.push(c);
                at_start = false;
            }
        }
    }
    if quoted {
        return Err((
            fields.len() + 1,
            "thiếu dấu ngoặc kép đóng / unterminated quote",
        ));
    }
    fields.push(field);
    Ok(fields)
}

fn parse_date(raw: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(raw, "%d/%m/%Y"))
        .ok()
}

const HEADER: [&str; 4] = ["date", "kind", "name_vi", "source"];

/// Reads a notice table: a header `date,kind,name_vi,source`, then one row per day. Blank
/// lines and lines starting with `#` are ignored. Dates are `YYYY-MM-DD` or `DD/MM/YYYY`.
///
/// Errors carry the 1-based line and column. Rows are also checked against each other and
/// against the civil-service weekend (Saturday, Sunday): the same date both off and worked,
/// a worked weekday listed as `swapped_workday`, or a weekend day listed as `make_up` or
/// `swapped_day_off` is a [`CalendarError::Contradiction`]. Repeating a date with the same
/// meaning is allowed; the first row wins.
pub fn parse_notice_csv(text: &str) -> Result<Vec<CalendarDay>, CalendarError> {
    let mut rows = Vec::new();
    let mut lines_of = Vec::new();
    let mut header_seen = false;
    for (i, raw_line) in text.lines().enumerate() {
        let line_no = i + 1;
        let line = raw_line.trim_end_matches('\r');
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let fields = split_record(line).map_err(|(col, why)| malformed(line_no, col, why))?;
        if !header_seen {
            for (col, expected) in HEADER.iter().enumerate() {
                let got = fields.get(col).map(|f| f.trim().to_lowercase());
                if got.as_deref() != Some(*expected) {
                    let why = format!(
                        "tiêu đề phải là «{}» / header must be «{}»",
                        HEADER.join(","),
                        HEADER.join(",")
                    );
                    return Err(malformed(line_no, col + 1, why));
                }
            }
            if fields.len() > HEADER.len() {
                return Err(malformed(
                    line_no,
                    HEADER.len() + 1,
                    "thừa cột / too many columns",
                ));
            }
            header_seen = true;
            continue;
        }
        if fields.len() < HEADER.len() {
            return Err(malformed(
                line_no,
                fields.len() + 1,
                "thiếu cột / missing column",
            ));
        }
        if fields.len() > HEADER.len() {
            return Err(malformed(
                line_no,
                HEADER.len() + 1,
                "thừa cột / too many columns",
            ));
        }
        let date = parse_date(fields[0].trim()).ok_or_else(|| {
            malformed(
                line_no,
                1,
                format!("ngày «{}» không hợp lệ / invalid date", fields[0].trim()),
            )
        })?;
        let kind = DayKind::parse(fields[1].trim()).ok_or_else(|| {
            malformed(
                line_no,
                2,
                format!(
                    "loại ngày «{}» không hợp lệ / unknown kind",
                    fields[1].trim()
                ),
            )
        })?;
        let name_vi = fields[2].trim().to_string();
        if name_vi.is_empty() {
            return Err(malformed(line_no, 3, "thiếu tên ngày / empty name"));
        }
        let source = fields[3].trim().to_string();
        if source.is_empty() {
            return Err(malformed(line_no, 4, "thiếu văn bản nguồn / empty source"));
        }
        rows.push(CalendarDay {
            date,
            kind,
            name_vi,
            source,
        });
        lines_of.push(line_no);
    }
    if !header_seen {
        return Err(malformed(1, 1, "thiếu dòng tiêu đề / missing header"));
    }
    let weekend = |w: Weekday| matches!(w, Weekday::Sat | Weekday::Sun);
    let keep = check_rows(&rows, &weekend)
        .map_err(|(idx, err)| annotate(err, lines_of.get(idx).copied()))?;
    Ok(rows
        .into_iter()
        .zip(keep)
        .filter_map(|(row, k)| k.then_some(row))
        .collect())
}

fn annotate(err: CalendarError, line: Option<usize>) -> CalendarError {
    match (err, line) {
        (CalendarError::Contradiction { date, reason }, Some(line)) => {
            CalendarError::Contradiction {
                date,
                reason: format!("dòng {line} / line {line}: {reason}"),
            }
        }
        (err, _) => err,
    }
}

/// Checks rows against each other and the weekly rest days. Returns, per row, whether to
/// keep it (false for a repeated date with the same meaning), or the index of the first
/// offending row with its error.
pub(crate) fn check_rows(
    rows: &[CalendarDay],
    is_rest_day: &dyn Fn(Weekday) -> bool,
) -> Result<Vec<bool>, (usize, CalendarError)> {
    let mut first_by_date: BTreeMap<NaiveDate, usize> = BTreeMap::new();
    let mut keep = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        let rest = is_rest_day(row.date.weekday());
        let contradiction = |reason: String| {
            (
                i,
                CalendarError::Contradiction {
                    date: row.date,
                    reason,
                },
            )
        };
        match row.kind {
            DayKind::SwappedWorkday if !rest => {
                return Err(contradiction("ngày làm bù phải là ngày nghỉ hằng tuần / a swapped workday must be a weekly rest day".into()));
            }
            DayKind::MakeUp | DayKind::SwappedDayOff if rest => {
                let why = format!(
                    "{} rơi vào ngày nghỉ hằng tuần / {} falls on a weekly rest day",
                    row.kind, row.kind
                );
                return Err(contradiction(why));
            }
            _ => {}
        }
        match first_by_date.get(&row.date) {
            Some(&j) if rows[j].kind.is_day_off() != row.kind.is_day_off() => {
                let why = format!(
                    "vừa là ngày nghỉ vừa là ngày làm việc ({} và {}) / listed both as day off and workday",
                    rows[j].kind, row.kind
                );
                return Err(contradiction(why));
            }
            Some(_) => keep.push(false),
            None => {
                first_by_date.insert(row.date, i);
                keep.push(true);
            }
        }
    }
    Ok(keep)
}

/// The embedded notice rows (2021–2026), parsed.
pub fn embedded_notices() -> Result<Vec<CalendarDay>, CalendarError> {
    parse_notice_csv(NOTICES_CSV)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    #[test]
    fn the_embedded_notice_table_parses() {
        let rows = embedded_notices().expect("embedded table is valid");
        assert!(rows.len() > 30);
        assert!(
            rows.iter()
                .any(|r| r.date == ymd(2025, 4, 26) && r.kind == DayKind::SwappedWorkday)
        );
    }

    #[test]
    fn the_rows_needing_confirmation_parse_too() {
        let rows = parse_notice_csv(NOTICE_ROWS_NEEDING_CONFIRMATION).expect("valid");
        assert!(rows.iter().all(|r| r.source.contains("needs confirmation")));
    }

    #[test]
    fn vietnamese_dates_and_quoted_names_are_accepted() {
        let csv = "date,kind,name_vi,source\n02/05/2025,swapped_day_off,\"Nghỉ, hoán đổi\",6150/TB-BLĐTBXH\n";
        let rows = parse_notice_csv(csv).expect("valid");
        assert_eq!(rows[0].date, ymd(2025, 5, 2));
        assert_eq!(rows[0].name_vi, "Nghỉ, hoán đổi");
    }

    #[test]
    fn a_bad_date_reports_its_line_and_column() {
        let csv = "# comment\ndate,kind,name_vi,source\n2025-13-01,holiday,X,Y\n";
        let err = parse_notice_csv(csv).expect_err("bad date");
        assert!(
            matches!(
                err,
                CalendarError::Malformed {
                    line: 3,
                    column: 1,
                    ..
                }
            ),
            "{err}"
        );
    }

    #[test]
    fn an_unknown_kind_reports_column_two() {
        let csv = "date,kind,name_vi,source\n2025-05-02,vacation,X,Y\n";
        let err = parse_notice_csv(csv).expect_err("bad kind");
        assert!(matches!(
            err,
            CalendarError::Malformed {
                line: 2,
                column: 2,
                ..
            }
        ));
    }

    #[test]
    fn a_missing_source_column_is_malformed() {
        let err = parse_notice_csv("date,kind,name_vi,source\n2025-05-02,holiday,X\n")
            .expect_err("short row");
        assert!(matches!(
            err,
            CalendarError::Malformed {
                line: 2,
                column: 4,
                ..
            }
        ));
    }

    #[test]
    fn a_missing_header_is_malformed() {
        let err = parse_notice_csv("2025-05-02,holiday,X,Y\n").expect_err("no header");
        assert!(matches!(
            err,
            CalendarError::Malformed {
                line: 1,
                column: 1,
                ..
            }
        ));
    }

    #[test]
    fn a_date_both_off_and_worked_is_a_contradiction() {
        let csv =
            "date,kind,name_vi,source\n2025-04-26,swapped_workday,A,S\n2025-04-26,holiday,B,S\n";
        let err = parse_notice_csv(csv).expect_err("contradiction");
        assert!(
            matches!(err, CalendarError::Contradiction { date, .. } if date == ymd(2025, 4, 26))
        );
        assert!(err.to_string().contains("line 3"));
    }

    #[test]
    fn a_swapped_workday_on_a_weekday_is_a_contradiction() {
        let csv = "date,kind,name_vi,source\n2025-04-25,swapped_workday,A,S\n";
        assert!(matches!(
            parse_notice_csv(csv),
            Err(CalendarError::Contradiction { .. })
        ));
    }

    #[test]
    fn a_make_up_day_on_a_sunday_is_a_contradiction() {
        let csv = "date,kind,name_vi,source\n2025-04-27,make_up,A,S\n";
        assert!(matches!(
            parse_notice_csv(csv),
            Err(CalendarError::Contradiction { .. })
        ));
    }

    #[test]
    fn a_repeated_row_with_the_same_meaning_is_kept_once() {
        let csv =
            "date,kind,name_vi,source\n2025-05-02,holiday,A,S\n2025-05-02,swapped_day_off,B,S\n";
        let rows = parse_notice_csv(csv).expect("valid");
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].name_vi, "A");
    }
}
