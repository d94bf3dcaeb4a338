//! Recurring duties (nhiệm vụ định kỳ) such as "report the month's TTHC changes by the 20th of
//! each month". A rule produces one occurrence per period; the instance key `series:period` makes
//! materialisation idempotent (the store keeps it unique).
//!
//! Choices: a monthly or quarterly day beyond the month's length (29–31) means the month's last
//! day ("by the end of the month"); a yearly date must exist in some year (29/02 fires in leap
//! years only, 30/02 never and is refused). A nominal date that is not a working day follows
//! the rule's [`NonWorkingPolicy`].

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::TaskError;
use crate::calendar::Calendar;

/// When the nominal date is not a working day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NonWorkingPolicy {
    /// Keep the date (the deadline may fall on a day off).
    Keep,
    /// Move to the previous working day.
    PreviousWorkingDay,
    /// Move to the next working day.
    NextWorkingDay,
}

/// The pattern of a recurring deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "every", rename_all = "snake_case")]
pub enum Recurrence {
    /// Hằng tháng, trước ngày `day`.
    Monthly {
        /// Day of month, 1–31 (29–31 clamp to the month's end).
        day: u8,
    },
    /// Hằng quý, ngày `day` của tháng thứ `month_of_quarter` (1–3) trong quý.
    Quarterly {
        /// 1, 2 or 3.
        month_of_quarter: u8,
        /// Day of month, 1–31 (clamped).
        day: u8,
    },
    /// Hằng năm, ngày `day` tháng `month`.
    Yearly {
        /// 1–12.
        month: u8,
        /// Day of month; must exist in that month.
        day: u8,
    },
}

/// A recurring series: its key, pattern and non-working-day policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecurrenceRule {
    /// Series key, unique (e.g. `bc-thang-tthc:BTP`).
    pub series: String,
    /// Pattern.
    pub pattern: Recurrence,
    /// Policy for days off.
    pub policy: NonWorkingPolicy,
}

/// One generated deadline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Occurrence {
    /// Period label: `2025-03`, `2025-Q1`, `2025`.
    pub period: String,
    /// The date the pattern names.
    pub nominal: NaiveDate,
    /// The deadline after applying the policy.
    pub deadline: NaiveDate,
    /// `series:period`, unique per task instance.
    pub instance_key: String,
}

fn last_day(year: i32, month: u32) -> u32 {
    (28..=31)
        .rev()
        .find(|d| NaiveDate::from_ymd_opt(year, month, *d).is_some())
        .unwrap_or(28)
}

fn clamped(year: i32, month: u32, day: u8) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, u32::from(day).min(last_day(year, month)))
}

impl RecurrenceRule {
    /// Refuses rules that can never fire (day 0, day 32, month 13, 30/02 yearly, …) and empty keys.
    pub fn validate(&self) -> Result<(), TaskError> {
        if self.series.trim().is_empty() {
            return Err(TaskError::invalid(
                "series",
                "mã chuỗi nhiệm vụ trống / series key is empty",
            ));
        }
        let never = |what: String| Err(TaskError::NeverFires(what));
        match self.pattern {
            Recurrence::Monthly { day } | Recurrence::Quarterly { day, .. }
                if !(1..=31).contains(&day) =>
            {
                never(format!(
                    "ngày {day} không tồn tại trong tháng nào, quy tắc không bao giờ phát sinh / day {day} exists in no month, the rule never fires"
                ))
            }
            Recurrence::Quarterly {
                month_of_quarter, ..
            } if !(1..=3).contains(&month_of_quarter) => never(format!(
                "tháng thứ {month_of_quarter} của quý không tồn tại (1–3) / month {month_of_quarter} of a quarter does not exist (1–3), the rule never fires"
            )),
            Recurrence::Yearly { month, day } => {
                let exists = (1..=12).contains(&month)
                    && NaiveDate::from_ymd_opt(2024, u32::from(month), u32::from(day)).is_some();
                if exists {
                    Ok(())
                } else {
                    never(format!(
                        "ngày {day}/{month} không tồn tại, quy tắc không bao giờ phát sinh / {day}/{month} never exists, the rule never fires"
                    ))
                }
            }
            _ => Ok(()),
        }
    }

    fn nominal_in(&self, year: i32, month: u32) -> Option<(String, NaiveDate)> {
        match self.pattern {
            Recurrence::Monthly { day } => {
                clamped(year, month, day).map(|d| (format!("{year}-{month:02}"), d))
            }
            Recurrence::Quarterly {
                month_of_quarter,
                day,
            } => {
                let q = (month - 1) / 3;
                (month == q * 3 + u32::from(month_of_quarter))
                    .then(|| clamped(year, month, day).map(|d| (format!("{year}-Q{}", q + 1), d)))
                    .flatten()
            }
            Recurrence::Yearly { month: m, day } => (u32::from(m) == month)
                .then(|| {
                    NaiveDate::from_ymd_opt(year, month, u32::from(day))
                        .map(|d| (year.to_string(), d))
                })
                .flatten(),
        }
    }

    /// The occurrences whose nominal date lies in `[from, to]`, in date order.
    pub fn occurrences(
        &self,
        cal: &Calendar,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<Occurrence>, TaskError> {
        self.validate()?;
        let mut out = Vec::new();
        let (mut year, mut month) = (from.year(), from.month());
        while (year, month) <= (to.year(), to.month()) {
            if let Some((period, nominal)) = self.nominal_in(year, month)
                && nominal >= from
                && nominal <= to
            {
                let deadline = match self.policy {
                    _ if cal.is_working_day(nominal)? => nominal,
                    NonWorkingPolicy::Keep => nominal,
                    NonWorkingPolicy::PreviousWorkingDay => cal.add_working_days(nominal, -1)?,
                    NonWorkingPolicy::NextWorkingDay => cal.add_working_days(nominal, 0)?,
                };
                out.push(Occurrence {
                    instance_key: format!("{}:{period}", self.series),
                    period,
                    nominal,
                    deadline,
                });
            }
            (year, month) = if month == 12 {
                (year + 1, 1)
            } else {
                (year, month + 1)
            };
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    fn rule(pattern: Recurrence, policy: NonWorkingPolicy) -> RecurrenceRule {
        RecurrenceRule {
            series: "bc-thang:BTP".into(),
            pattern,
            policy,
        }
    }

    fn cal() -> Calendar {
        Calendar::default_vn().expect("calendar")
    }

    #[test]
    fn the_20th_of_each_month_moves_off_weekends_by_policy() {
        let cal = cal();
        let r = rule(
            Recurrence::Monthly { day: 20 },
            NonWorkingPolicy::NextWorkingDay,
        );
        let occ = r
            .occurrences(&cal, ymd(2025, 1, 1), ymd(2025, 12, 31))
            .expect("rule");
        assert_eq!(occ.len(), 12);
        // 20/04/2025 is a Sunday → Mon 21/04; 20/09/2025 a Saturday → Mon 22/09.
        assert_eq!(occ[3].deadline, ymd(2025, 4, 21));
        assert_eq!(occ[8].deadline, ymd(2025, 9, 22));
        assert_eq!(occ[0].instance_key, "bc-thang:BTP:2025-01");
        let prev = rule(
            Recurrence::Monthly { day: 20 },
            NonWorkingPolicy::PreviousWorkingDay,
        );
        let p = prev
            .occurrences(&cal, ymd(2025, 4, 1), ymd(2025, 4, 30))
            .expect("rule");
        assert_eq!(p[0].deadline, ymd(2025, 4, 18));
        let keep = rule(Recurrence::Monthly { day: 20 }, NonWorkingPolicy::Keep);
        let k = keep
            .occurrences(&cal, ymd(2025, 4, 1), ymd(2025, 4, 30))
            .expect("rule");
        assert_eq!(k[0].deadline, ymd(2025, 4, 20));
    }

    #[test]
    fn a_deadline_in_tet_moves_past_the_whole_holiday() {
        // 29/01/2025 is Tết (off 25/01 – 02/02): next working day Mon 03/02.
        let r = rule(
            Recurrence::Monthly { day: 29 },
            NonWorkingPolicy::NextWorkingDay,
        );
        let occ = r
            .occurrences(&cal(), ymd(2025, 1, 1), ymd(2025, 2, 28))
            .expect("rule");
        assert_eq!(occ[0].deadline, ymd(2025, 2, 3));
        // February has no 29th in 2025: the end of the month.
        assert_eq!(occ[1].nominal, ymd(2025, 2, 28));
    }

    #[test]
    fn quarterly_rules_fire_once_per_quarter() {
        let r = rule(
            Recurrence::Quarterly {
                month_of_quarter: 3,
                day: 15,
            },
            NonWorkingPolicy::Keep,
        );
        let occ = r
            .occurrences(&cal(), ymd(2025, 1, 1), ymd(2025, 12, 31))
            .expect("rule");
        let periods: Vec<&str> = occ.iter().map(|o| o.period.as_str()).collect();
        assert_eq!(periods, ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"]);
        assert_eq!(occ[1].nominal, ymd(2025, 6, 15));
    }

    #[test]
    fn rules_that_can_never_fire_are_refused_clearly() {
        let bad = [
            Recurrence::Yearly { month: 2, day: 30 },
            Recurrence::Monthly { day: 0 },
            Recurrence::Monthly { day: 32 },
            Recurrence::Quarterly {
                month_of_quarter: 4,
                day: 1,
            },
            Recurrence::Yearly { month: 13, day: 1 },
        ];
        for p in bad {
            let e = rule(p, NonWorkingPolicy::Keep)
                .validate()
                .expect_err("never fires");
            assert_eq!(e.field(), "recurrence", "{p:?}");
            assert!(e.to_string().contains("never"), "{e}");
        }
        assert!(
            rule(
                Recurrence::Yearly { month: 2, day: 29 },
                NonWorkingPolicy::Keep
            )
            .validate()
            .is_ok()
        );
    }

    proptest! {
        #[test]
        fn occurrences_are_unique_ordered_and_never_on_a_day_off_when_moved(
            day in 1u8..=31, start in 0i64..2000, len in 0i64..800, next in any::<bool>()
        ) {
            let cal = cal();
            let from = ymd(2022, 1, 1) + chrono::Duration::days(start);
            let to = from + chrono::Duration::days(len);
            let policy = if next { NonWorkingPolicy::NextWorkingDay } else { NonWorkingPolicy::PreviousWorkingDay };
            let occ = rule(Recurrence::Monthly { day }, policy).occurrences(&cal, from, to).expect("rule");
            for w in occ.windows(2) {
                prop_assert!(w[0].nominal < w[1].nominal);
                prop_assert!(w[0].instance_key != w[1].instance_key);
            }
            for o in &occ {
                prop_assert!(cal.is_working_day(o.deadline).expect("range"));
                prop_assert!(o.nominal >= from && o.nominal <= to);
            }
        }
    }
}
