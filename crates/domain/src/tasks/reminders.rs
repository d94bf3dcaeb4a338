//! Reminders and escalation (nhắc việc, đôn đốc, báo cáo vượt cấp) as a pure schedule. A sweep
//! calls [`due_reminders`] for every open task each day and enqueues what comes back; the
//! dedupe key of each reminder is stable (task, deadline, step), so running the sweep twice, or
//! again after a crash, adds nothing. The deadline is part of the key: after an extension the
//! schedule starts afresh for the new deadline.
//!
//! Catch-up rule: when several "before the deadline" steps have passed unnoticed (the task was
//! assigned late, or the sweep did not run), only the most urgent one is due; likewise only the
//! latest overdue step. Escalations are one-off once their threshold is reached.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Task, TaskError, TaskState};
use crate::calendar::Calendar;

/// Configuration of reminders, in working days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReminderPolicy {
    /// Nhắc trước hạn: working days before the deadline (0 = on the deadline), e.g. `[5, 2, 0]`.
    pub before: Vec<i64>,
    /// Nhắc quá hạn: every K working days while overdue (0 = never).
    pub overdue_every: i64,
    /// Báo cáo lãnh đạo cơ quan after L working days overdue (0 = never).
    pub escalate_leader_after: i64,
    /// Báo cáo Tổ công tác after W working days overdue (0 = never).
    pub escalate_group_after: i64,
}

impl Default for ReminderPolicy {
    fn default() -> Self {
        Self {
            before: vec![5, 2, 0],
            overdue_every: 5,
            escalate_leader_after: 10,
            escalate_group_after: 20,
        }
    }
}

/// What a reminder says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ReminderKind {
    /// The deadline is `working_days` away (0 = today).
    BeforeDeadline {
        /// Working days left.
        working_days: i64,
    },
    /// The task is `working_days` overdue.
    Overdue {
        /// Working days overdue at this step.
        working_days: i64,
    },
    /// Escalated to the lead organisation's leader.
    EscalateLeader {
        /// The threshold reached.
        working_days: i64,
    },
    /// Escalated to the Working Group.
    EscalateGroup {
        /// The threshold reached.
        working_days: i64,
    },
}

/// Who receives a reminder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReminderTarget {
    /// The lead organisation's officers.
    LeadOrg,
    /// The lead organisation's leaders.
    LeadOrgLeader,
    /// The Working Group (its host organisation).
    WorkingGroup,
}

/// One reminder due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reminder {
    /// Store id of the task.
    pub task_id: i64,
    /// What it says.
    pub kind: ReminderKind,
    /// Recipient.
    pub target: ReminderTarget,
    /// The working day on which the step falls.
    pub fire_on: NaiveDate,
    /// Stable key: `task:{id}:{deadline}:{step}`.
    pub dedupe_key: String,
}

/// The reminders due for an open task on `today` (see the module docs). Tasks that are not
/// open (submitted, accepted, cancelled) or not yet assigned get none.
pub fn due_reminders(
    task_id: i64,
    task: &Task,
    policy: &ReminderPolicy,
    cal: &Calendar,
    today: NaiveDate,
) -> Result<Vec<Reminder>, TaskError> {
    let mut out = Vec::new();
    if task.state != TaskState::Open || task.assigned_on > today {
        return Ok(out);
    }
    let key = |step: String| format!("task:{task_id}:{}:{step}", task.deadline);
    if today <= task.deadline {
        let mut best: Option<(i64, NaiveDate)> = None;
        for &n in policy.before.iter().filter(|n| **n >= 0) {
            let fire_on = if n == 0 && !cal.is_working_day(task.deadline)? {
                cal.add_working_days(task.deadline, -1)?
            } else if n == 0 {
                task.deadline
            } else {
                cal.add_working_days(task.deadline, -n)?
            };
            if fire_on <= today && fire_on >= task.assigned_on && best.is_none_or(|(b, _)| n < b) {
                best = Some((n, fire_on));
            }
        }
        if let Some((n, fire_on)) = best {
            out.push(Reminder {
                task_id,
                kind: ReminderKind::BeforeDeadline { working_days: n },
                target: ReminderTarget::LeadOrg,
                fire_on,
                dedupe_key: key(format!("before:{n}")),
            });
        }
        return Ok(out);
    }
    let late = cal.working_days_between(task.deadline, today)?;
    if late < 1 {
        return Ok(out);
    }
    if policy.overdue_every > 0 {
        let step = 1 + (late - 1) / policy.overdue_every * policy.overdue_every;
        out.push(Reminder {
            task_id,
            kind: ReminderKind::Overdue { working_days: step },
            target: ReminderTarget::LeadOrg,
            fire_on: cal.add_working_days(task.deadline, step)?,
            dedupe_key: key(format!("overdue:{step}")),
        });
    }
    let escalations = [
        (
            policy.escalate_leader_after,
            ReminderTarget::LeadOrgLeader,
            "escalate-leader",
        ),
        (
            policy.escalate_group_after,
            ReminderTarget::WorkingGroup,
            "escalate-group",
        ),
    ];
    for (after, target, name) in escalations {
        if after > 0 && late >= after {
            let kind = match target {
                ReminderTarget::WorkingGroup => ReminderKind::EscalateGroup {
                    working_days: after,
                },
                _ => ReminderKind::EscalateLeader {
                    working_days: after,
                },
            };
            out.push(Reminder {
                task_id,
                kind,
                target,
                fire_on: cal.add_working_days(task.deadline, after)?,
                dedupe_key: key(name.to_string()),
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;

    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    fn cal() -> &'static Calendar {
        static CAL: std::sync::OnceLock<Calendar> = std::sync::OnceLock::new();
        CAL.get_or_init(|| Calendar::default_vn().expect("calendar"))
    }

    /// Runs a daily sweep from `from` to `to` and returns each key with the first day it appeared.
    fn simulate(
        task: &Task,
        policy: &ReminderPolicy,
        from: NaiveDate,
        to: NaiveDate,
    ) -> BTreeMap<NaiveDate, Vec<String>> {
        let mut seen = std::collections::BTreeSet::new();
        let mut sent: BTreeMap<NaiveDate, Vec<String>> = BTreeMap::new();
        let mut day = from;
        while day <= to {
            for r in due_reminders(7, task, policy, cal(), day).expect("range") {
                if seen.insert(r.dedupe_key.clone()) {
                    sent.entry(day).or_default().push(r.dedupe_key);
                }
            }
            day = day.succ_opt().expect("date");
        }
        sent
    }

    #[test]
    fn the_schedule_before_a_deadline_after_tet_counts_working_days() {
        // Deadline Fri 07/02/2025. 5 working days before skips Tết (25/01–02/02): Fri 24/01.
        let t = Task::new("x", "VPCP", "BTP", ymd(2025, 1, 2), ymd(2025, 2, 7));
        let sent = simulate(
            &t,
            &ReminderPolicy::default(),
            ymd(2025, 1, 2),
            ymd(2025, 2, 7),
        );
        let got: Vec<(NaiveDate, String)> = sent
            .into_iter()
            .flat_map(|(d, ks)| ks.into_iter().map(move |k| (d, k)))
            .collect();
        assert_eq!(
            got,
            vec![
                (ymd(2025, 1, 24), "task:7:2025-02-07:before:5".to_string()),
                (ymd(2025, 2, 5), "task:7:2025-02-07:before:2".to_string()),
                (ymd(2025, 2, 7), "task:7:2025-02-07:before:0".to_string()),
            ]
        );
    }

    #[test]
    fn overdue_reminders_repeat_every_k_working_days_then_escalate_once() {
        let t = Task::new("x", "VPCP", "BTP", ymd(2025, 3, 3), ymd(2025, 3, 7));
        let policy = ReminderPolicy {
            before: vec![],
            overdue_every: 5,
            escalate_leader_after: 10,
            escalate_group_after: 15,
        };
        let sent = simulate(&t, &policy, ymd(2025, 3, 3), ymd(2025, 4, 10));
        let keys: Vec<&str> = sent.values().flatten().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "task:7:2025-03-07:overdue:1",
                "task:7:2025-03-07:overdue:6",
                "task:7:2025-03-07:escalate-leader",
                "task:7:2025-03-07:overdue:11",
                "task:7:2025-03-07:escalate-group",
                "task:7:2025-03-07:overdue:16",
                "task:7:2025-03-07:overdue:21",
            ]
        );
        // Overdue step 1 is Mon 10/03 (the weekend does not count).
        assert_eq!(sent.keys().next(), Some(&ymd(2025, 3, 10)));
    }

    #[test]
    fn a_late_assignment_gets_only_the_most_urgent_reminder() {
        let t = Task::new("x", "VPCP", "BTP", ymd(2025, 3, 6), ymd(2025, 3, 7));
        let r = due_reminders(1, &t, &ReminderPolicy::default(), cal(), ymd(2025, 3, 6))
            .expect("range");
        assert!(
            r.is_empty(),
            "the 2-day step (05/03) was before assignment: {r:?}"
        );
        let r = due_reminders(1, &t, &ReminderPolicy::default(), cal(), ymd(2025, 3, 7))
            .expect("range");
        assert_eq!(r[0].kind, ReminderKind::BeforeDeadline { working_days: 0 });
    }

    #[test]
    fn submitted_accepted_and_cancelled_tasks_get_no_reminders_and_extensions_restart_keys() {
        let mut t = Task::new("x", "VPCP", "BTP", ymd(2025, 3, 3), ymd(2025, 3, 7));
        let today = ymd(2025, 3, 20);
        assert!(
            !due_reminders(1, &t, &ReminderPolicy::default(), cal(), today)
                .expect("ok")
                .is_empty()
        );
        t.change_deadline(ymd(2025, 3, 31), "vpcp", "gia hạn", today)
            .expect("extend");
        let r =
            due_reminders(1, &t, &ReminderPolicy::default(), cal(), ymd(2025, 3, 31)).expect("ok");
        assert_eq!(r[0].dedupe_key, "task:1:2025-03-31:before:0");
        t.submit(today, "BC 1").expect("submit");
        assert!(
            due_reminders(1, &t, &ReminderPolicy::default(), cal(), today)
                .expect("ok")
                .is_empty()
        );
    }

    proptest! {
        #[test]
        fn reminders_never_fire_in_the_future_and_keys_are_unique_per_day(
            assigned in 0i64..700, span in 0i64..90, today in 0i64..900
        ) {
            let base = ymd(2024, 1, 1);
            let a = base + chrono::Duration::days(assigned);
            let t = Task::new("x", "A", "B", a, a + chrono::Duration::days(span));
            let day = base + chrono::Duration::days(today);
            let rs = due_reminders(3, &t, &ReminderPolicy::default(), cal(), day).expect("range");
            let mut keys: Vec<&str> = rs.iter().map(|r| r.dedupe_key.as_str()).collect();
            keys.sort_unstable();
            keys.dedup();
            prop_assert_eq!(keys.len(), rs.len());
            for r in &rs {
                prop_assert!(r.fire_on <= day);
            }
            let before = rs.iter().filter(|r| matches!(r.kind, ReminderKind::BeforeDeadline { .. })).count();
            prop_assert!(before <= 1);
        }
    }
}
