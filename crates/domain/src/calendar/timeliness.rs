//! On-time classification (đúng hạn / trễ hạn), pure and by **date**: the time of day never
//! matters, so a dossier done at 15:00 on its due date is on time. Used by the one-stop
//! dossier statistics (Decision 766/QĐ-TTg progress indicator) and by directed tasks
//! (Decision 42/2014/QĐ-TTg).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Timeliness of a dossier at the end of a reporting period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Timeliness {
    /// Done before the due date (trước hạn).
    Early,
    /// Done on the due date (đúng hạn).
    OnTime,
    /// Done after the due date (trễ hạn).
    Late,
    /// Still open and the due date is not before the period end (trong hạn).
    WithinTerm,
    /// Still open and the due date passed before the period end (quá hạn).
    Overdue,
}

impl Timeliness {
    /// True for the outcomes counted as on time (early or on the due date).
    pub fn is_on_time(self) -> bool {
        matches!(self, Self::Early | Self::OnTime)
    }

    /// True for dossiers not yet done.
    pub fn is_open(self) -> bool {
        matches!(self, Self::WithinTerm | Self::Overdue)
    }
}

/// Classifies a dossier: done dossiers by comparing the completion date with the due date;
/// open dossiers are within term when `due ≥ period_end`, otherwise overdue.
pub fn classify(due: NaiveDate, done: Option<NaiveDate>, period_end: NaiveDate) -> Timeliness {
    match done {
        Some(d) if d < due => Timeliness::Early,
        Some(d) if d == due => Timeliness::OnTime,
        Some(_) => Timeliness::Late,
        None if due >= period_end => Timeliness::WithinTerm,
        None => Timeliness::Overdue,
    }
}

/// Status of a directed task (nhiệm vụ được giao, Decision 42/2014/QĐ-TTg).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    /// Đã hoàn thành đúng hạn: completed on or before the deadline.
    DoneOnTime,
    /// Đã hoàn thành quá hạn: completed after the deadline.
    DoneLate,
    /// Đang thực hiện trong hạn: open and the deadline is not past.
    OpenWithinTerm,
    /// Đang thực hiện quá hạn: open and the deadline is past.
    OpenOverdue,
}

/// Task status as of a date: completion on the deadline day is on time; an open task is
/// overdue from the day after its deadline.
pub fn task_status(
    deadline: NaiveDate,
    completed_at: Option<NaiveDate>,
    as_of: NaiveDate,
) -> TaskStatus {
    match completed_at {
        Some(done) if done <= deadline => TaskStatus::DoneOnTime,
        Some(_) => TaskStatus::DoneLate,
        None if as_of <= deadline => TaskStatus::OpenWithinTerm,
        None => TaskStatus::OpenOverdue,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    #[test]
    fn completion_before_the_due_date_is_early() {
        assert_eq!(
            classify(ymd(2025, 4, 29), Some(ymd(2025, 4, 28)), ymd(2025, 6, 30)),
            Timeliness::Early
        );
    }

    #[test]
    fn completion_on_the_due_date_is_on_time() {
        let t = classify(ymd(2025, 4, 29), Some(ymd(2025, 4, 29)), ymd(2025, 6, 30));
        assert_eq!(t, Timeliness::OnTime);
        assert!(t.is_on_time());
    }

    #[test]
    fn completion_after_the_due_date_is_late() {
        assert_eq!(
            classify(ymd(2025, 4, 29), Some(ymd(2025, 4, 30)), ymd(2025, 6, 30)),
            Timeliness::Late
        );
    }

    #[test]
    fn an_open_dossier_due_on_the_period_end_is_within_term() {
        assert_eq!(
            classify(ymd(2025, 6, 30), None, ymd(2025, 6, 30)),
            Timeliness::WithinTerm
        );
    }

    #[test]
    fn an_open_dossier_due_before_the_period_end_is_overdue() {
        let t = classify(ymd(2025, 6, 29), None, ymd(2025, 6, 30));
        assert_eq!(t, Timeliness::Overdue);
        assert!(t.is_open() && !t.is_on_time());
    }

    #[test]
    fn a_task_completed_on_its_deadline_is_done_on_time() {
        assert_eq!(
            task_status(ymd(2025, 3, 31), Some(ymd(2025, 3, 31)), ymd(2025, 4, 30)),
            TaskStatus::DoneOnTime
        );
    }

    #[test]
    fn a_task_completed_after_its_deadline_is_done_late() {
        assert_eq!(
            task_status(ymd(2025, 3, 31), Some(ymd(2025, 4, 1)), ymd(2025, 4, 30)),
            TaskStatus::DoneLate
        );
    }

    #[test]
    fn an_open_task_is_overdue_only_after_its_deadline_day() {
        assert_eq!(
            task_status(ymd(2025, 3, 31), None, ymd(2025, 3, 31)),
            TaskStatus::OpenWithinTerm
        );
        assert_eq!(
            task_status(ymd(2025, 3, 31), None, ymd(2025, 4, 1)),
            TaskStatus::OpenOverdue
        );
    }
}
