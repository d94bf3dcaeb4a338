//! Status of a task on a date (Decision 42/2014/QĐ-TTg as amended by 23/2018/QĐ-TTg) and its
//! delay in working days. The status itself compares dates (a completion on the deadline day is
//! on time, an open task is overdue from the day after); the delay counts only working days of
//! the Vietnamese calendar, so Tết and swapped days never inflate it.

use chrono::NaiveDate;

use super::{Task, TaskError, TaskState};
use crate::calendar::{Calendar, TaskStatus, task_status};

/// The status of `task` as of `as_of`; `None` for cancelled tasks and tasks not yet assigned on
/// that date. A completion reported after `as_of` is not known yet, so the task counts as open.
pub fn status_as_of(task: &Task, as_of: NaiveDate) -> Option<TaskStatus> {
    if task.state == TaskState::Cancelled || task.assigned_on > as_of {
        return None;
    }
    let done = match task.state {
        TaskState::Accepted => task.completed_on.filter(|d| *d <= as_of),
        _ => None,
    };
    Some(task_status(task.deadline, done, as_of))
}

/// Working days late: for a late completion the working days in (deadline, completed]; for an
/// overdue task the working days in (deadline, as_of]; 0 otherwise.
pub fn delay_working_days(task: &Task, cal: &Calendar, as_of: NaiveDate) -> Result<i64, TaskError> {
    Ok(match status_as_of(task, as_of) {
        Some(TaskStatus::DoneLate) => match task.completed_on {
            Some(done) => cal.working_days_between(task.deadline, done)?.max(0),
            None => 0,
        },
        Some(TaskStatus::OpenOverdue) => cal.working_days_between(task.deadline, as_of)?.max(0),
        _ => 0,
    })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use std::sync::OnceLock;

    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    fn cal() -> &'static Calendar {
        static CAL: OnceLock<Calendar> = OnceLock::new();
        CAL.get_or_init(|| Calendar::default_vn().expect("calendar"))
    }

    fn accepted(deadline: NaiveDate, done: NaiveDate) -> Task {
        let mut t = Task::new("x", "VPCP", "BTP", ymd(2024, 1, 1), deadline);
        t.submit(done, "123/BC-BTP").expect("submit");
        t.accept().expect("accept");
        t
    }

    #[test]
    fn a_task_due_before_tet_and_done_after_it_is_late_by_working_days_only() {
        // Deadline Fri 24/01/2025; Tết off Sat 25/01 – Sun 02/02; done Tue 04/02.
        let t = accepted(ymd(2025, 1, 24), ymd(2025, 2, 4));
        assert_eq!(
            status_as_of(&t, ymd(2025, 2, 28)),
            Some(TaskStatus::DoneLate)
        );
        assert_eq!(delay_working_days(&t, cal(), ymd(2025, 2, 28)), Ok(2));
    }

    #[test]
    fn an_open_task_is_overdue_across_the_swapped_saturday_of_april_2025() {
        // Deadline Fri 25/04/2025; Sat 26/04 is worked (swap), 30/4, 1/5, 2/5 off.
        let t = Task::new("x", "VPCP", "BTP", ymd(2025, 4, 1), ymd(2025, 4, 25));
        assert_eq!(
            status_as_of(&t, ymd(2025, 4, 25)),
            Some(TaskStatus::OpenWithinTerm)
        );
        assert_eq!(
            status_as_of(&t, ymd(2025, 4, 26)),
            Some(TaskStatus::OpenOverdue)
        );
        // (25/04, 05/05]: Sat 26, Mon 28, Tue 29, Mon 05 = 4 working days.
        assert_eq!(delay_working_days(&t, cal(), ymd(2025, 5, 5)), Ok(4));
    }

    #[test]
    fn a_completion_reported_on_the_deadline_is_on_time_even_if_accepted_later() {
        let t = accepted(ymd(2025, 3, 31), ymd(2025, 3, 31));
        assert_eq!(
            status_as_of(&t, ymd(2025, 4, 15)),
            Some(TaskStatus::DoneOnTime)
        );
        assert_eq!(delay_working_days(&t, cal(), ymd(2025, 4, 15)), Ok(0));
    }

    #[test]
    fn a_submission_awaiting_acceptance_still_counts_as_open() {
        let mut t = Task::new("x", "VPCP", "BTP", ymd(2025, 3, 1), ymd(2025, 3, 10));
        t.submit(ymd(2025, 3, 9), "BC").expect("submit");
        assert_eq!(
            status_as_of(&t, ymd(2025, 3, 12)),
            Some(TaskStatus::OpenOverdue)
        );
    }

    #[test]
    fn cancelled_and_future_tasks_have_no_status() {
        let mut t = Task::new("x", "VPCP", "BTP", ymd(2025, 3, 1), ymd(2025, 3, 10));
        assert_eq!(status_as_of(&t, ymd(2025, 2, 28)), None);
        t.cancel().expect("cancel");
        assert_eq!(status_as_of(&t, ymd(2025, 3, 5)), None);
    }

    proptest! {
        #[test]
        fn delay_is_zero_exactly_when_the_task_is_not_late(
            deadline_off in 0i64..400, done_off in 0i64..400, as_of_off in 0i64..500, open in any::<bool>()
        ) {
            let base = ymd(2024, 1, 2);
            let deadline = base + chrono::Duration::days(deadline_off);
            let done = base + chrono::Duration::days(done_off);
            let as_of = base + chrono::Duration::days(as_of_off);
            let t = if open {
                Task::new("x", "A", "B", base, deadline)
            } else {
                accepted(deadline, done)
            };
            let delay = delay_working_days(&t, cal(), as_of).expect("in range");
            let status = status_as_of(&t, as_of);
            prop_assert!(delay >= 0);
            if matches!(status, Some(TaskStatus::DoneOnTime | TaskStatus::OpenWithinTerm)) {
                prop_assert_eq!(delay, 0);
            }
            // Delay never exceeds the calendar days late.
            let calendar_late = match status {
                Some(TaskStatus::DoneLate) => (done - deadline).num_days(),
                Some(TaskStatus::OpenOverdue) => (as_of - deadline).num_days(),
                _ => 0,
            };
            prop_assert!(delay <= calendar_late);
        }
    }
}
