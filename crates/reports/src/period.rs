//! Reporting periods: month, quarter, half-year, year (Decree 63/2010 Art 35 reporting) and
//! any date range up to ten years. Each has a stable key (used by editions and URLs) and a
//! Vietnamese label.

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::ReportError;

/// Longest date range accepted.
pub const MAX_YEARS: u32 = 10;

/// A reporting period (both ends inclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Period {
    /// Tháng.
    Month {
        /// Year.
        year: i32,
        /// 1–12.
        month: u32,
    },
    /// Quý.
    Quarter {
        /// Year.
        year: i32,
        /// 1–4.
        quarter: u32,
    },
    /// 6 tháng (half 1 = đầu năm, 2 = cuối năm).
    HalfYear {
        /// Year.
        year: i32,
        /// 1–2.
        half: u32,
    },
    /// Năm.
    Year {
        /// Year.
        year: i32,
    },
    /// Any range of at most ten years.
    Range {
        /// First day.
        from: NaiveDate,
        /// Last day.
        to: NaiveDate,
    },
}

fn roman(n: u32) -> &'static str {
    ["I", "II", "III", "IV"]
        .get(n.saturating_sub(1) as usize)
        .copied()
        .unwrap_or("?")
}

impl Period {
    /// A month, checked.
    pub fn month(year: i32, month: u32) -> Result<Self, ReportError> {
        if !(1..=12).contains(&month) || !(1900..=2100).contains(&year) {
            return Err(ReportError::InvalidPeriod(format!("{year}-{month:02}")));
        }
        Ok(Self::Month { year, month })
    }

    /// A date range, checked: `from <= to` and shorter than ten years.
    pub fn range(from: NaiveDate, to: NaiveDate) -> Result<Self, ReportError> {
        if to < from {
            return Err(ReportError::InvalidRange(format!("{to} trước {from}")));
        }
        let limit = from
            .checked_add_months(Months::new(12 * MAX_YEARS))
            .ok_or_else(|| ReportError::InvalidRange(format!("{from}")))?;
        if to >= limit {
            return Err(ReportError::InvalidRange(format!(
                "{from}..{to} dài hơn {MAX_YEARS} năm / longer than {MAX_YEARS} years"
            )));
        }
        Ok(Self::Range { from, to })
    }

    /// Parses `YYYY-MM`, `YYYY-Qn`, `YYYY-Hn`, `YYYY`, or `YYYY-MM-DD..YYYY-MM-DD`.
    pub fn parse(s: &str) -> Result<Self, ReportError> {
        let s = s.trim();
        let bad = || ReportError::InvalidPeriod(s.to_string());
        if let Some((a, b)) = s.split_once("..") {
            let p = |x: &str| NaiveDate::parse_from_str(x.trim(), "%Y-%m-%d").map_err(|_| bad());
            return Self::range(p(a)?, p(b)?);
        }
        let num = |x: &str| -> Result<u32, ReportError> {
            if x.is_empty() || !x.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            x.parse().map_err(|_| bad())
        };
        let (y, rest) = match s.split_once('-') {
            Some((y, r)) => (y, Some(r)),
            None => (s, None),
        };
        if y.len() != 4 {
            return Err(bad());
        }
        let year = num(y)? as i32;
        if !(1900..=2100).contains(&year) {
            return Err(bad());
        }
        match rest {
            None => Ok(Self::Year { year }),
            Some(r) => match r.as_bytes().first() {
                Some(b'Q' | b'q') => match num(&r[1..])? {
                    q @ 1..=4 => Ok(Self::Quarter { year, quarter: q }),
                    _ => Err(bad()),
                },
                Some(b'H' | b'h') => match num(&r[1..])? {
                    h @ 1..=2 => Ok(Self::HalfYear { year, half: h }),
                    _ => Err(bad()),
                },
                _ if r.len() == 2 => Self::month(year, num(r)?).map_err(|_| bad()),
                _ => Err(bad()),
            },
        }
    }

    /// The month before the one containing `today` (the scheduled edition's period).
    pub fn previous_month(today: NaiveDate) -> Self {
        let d = today - chrono::Days::new(u64::from(today.day()));
        Self::Month {
            year: d.year(),
            month: d.month(),
        }
    }

    /// First day.
    pub fn from(&self) -> NaiveDate {
        let first = |y: i32, m: u32| NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(NaiveDate::MIN);
        match *self {
            Self::Month { year, month } => first(year, month),
            Self::Quarter { year, quarter } => first(year, 3 * quarter - 2),
            Self::HalfYear { year, half } => first(year, 6 * half - 5),
            Self::Year { year } => first(year, 1),
            Self::Range { from, .. } => from,
        }
    }

    /// Last day.
    pub fn to(&self) -> NaiveDate {
        let months = match *self {
            Self::Month { .. } => 1,
            Self::Quarter { .. } => 3,
            Self::HalfYear { .. } => 6,
            Self::Year { .. } => 12,
            Self::Range { to, .. } => return to,
        };
        self.from()
            .checked_add_months(Months::new(months))
            .and_then(|d| d.pred_opt())
            .unwrap_or(NaiveDate::MAX)
    }

    /// Stable key: `2025-03`, `2025-Q1`, `2025-H1`, `2025`, `2025-01-01..2025-02-15`.
    pub fn key(&self) -> String {
        match *self {
            Self::Month { year, month } => format!("{year}-{month:02}"),
            Self::Quarter { year, quarter } => format!("{year}-Q{quarter}"),
            Self::HalfYear { year, half } => format!("{year}-H{half}"),
            Self::Year { year } => format!("{year}"),
            Self::Range { from, to } => format!("{from}..{to}"),
        }
    }

    /// Report kind identifier: `monthly`, `quarterly`, `half_year`, `yearly`, `range`.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Month { .. } => "monthly",
            Self::Quarter { .. } => "quarterly",
            Self::HalfYear { .. } => "half_year",
            Self::Year { .. } => "yearly",
            Self::Range { .. } => "range",
        }
    }

    /// Vietnamese label: "tháng 3 năm 2025", "quý I năm 2025", "6 tháng đầu năm 2025"…
    pub fn label_vi(&self) -> String {
        match *self {
            Self::Month { year, month } => format!("tháng {month} năm {year}"),
            Self::Quarter { year, quarter } => format!("quý {} năm {year}", roman(quarter)),
            Self::HalfYear { year, half: 1 } => format!("6 tháng đầu năm {year}"),
            Self::HalfYear { year, .. } => format!("6 tháng cuối năm {year}"),
            Self::Year { year } => format!("năm {year}"),
            Self::Range { from, to } => format!(
                "từ ngày {} đến ngày {}",
                from.format("%d/%m/%Y"),
                to.format("%d/%m/%Y")
            ),
        }
    }

    /// The months overlapping the period, as `(year, month)`.
    pub fn months(&self) -> Vec<(i32, u32)> {
        let mut out = Vec::new();
        let mut d = NaiveDate::from_ymd_opt(self.from().year(), self.from().month(), 1)
            .unwrap_or(NaiveDate::MIN);
        while d <= self.to() {
            out.push((d.year(), d.month()));
            match d.checked_add_months(Months::new(1)) {
                Some(n) => d = n,
                None => break,
            }
        }
        out
    }

    /// True when the period ended before `today`.
    pub fn is_past(&self, today: NaiveDate) -> bool {
        self.to() < today
    }
}

/// `YYYY-MM` of a date (month buckets are computed in Rust so both databases agree).
pub fn month_key(d: NaiveDate) -> String {
    format!("{}-{:02}", d.year(), d.month())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    #[test]
    fn every_period_kind_parses_to_its_dates_and_back_to_its_key() {
        for (s, from, to) in [
            ("2025-02", "2025-02-01", "2025-02-28"),
            ("2024-Q1", "2024-01-01", "2024-03-31"),
            ("2025-H2", "2025-07-01", "2025-12-31"),
            ("2025", "2025-01-01", "2025-12-31"),
            ("2025-01-10..2025-03-05", "2025-01-10", "2025-03-05"),
        ] {
            let p = Period::parse(s).expect(s);
            assert_eq!((p.from(), p.to()), (d(from), d(to)), "{s}");
            assert_eq!(p.key(), s);
        }
    }

    #[test]
    fn unknown_months_and_ranges_over_ten_years_are_rejected() {
        for s in [
            "2025-13", "2025-00", "25-01", "2025-Q5", "2025-H3", "abc", "2025-1",
        ] {
            assert!(
                matches!(Period::parse(s), Err(ReportError::InvalidPeriod(_))),
                "{s}"
            );
        }
        assert!(matches!(
            Period::parse("2015-01-01..2025-01-01"),
            Err(ReportError::InvalidRange(_))
        ));
        assert!(Period::parse("2015-01-01..2024-12-31").is_ok());
        assert!(matches!(
            Period::parse("2025-02-01..2025-01-01"),
            Err(ReportError::InvalidRange(_))
        ));
    }

    #[test]
    fn labels_are_vietnamese_and_the_previous_month_wraps_the_year() {
        assert_eq!(
            Period::parse("2025-Q3").expect("q").label_vi(),
            "quý III năm 2025"
        );
        assert_eq!(
            Period::previous_month(d("2026-01-05")).key(),
            "2025-12".to_string()
        );
        assert_eq!(Period::parse("2025").expect("y").months().len(), 12);
    }
}
