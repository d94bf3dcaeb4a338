//! Directing and urging (chỉ đạo, đôn đốc), Decision 42/2014/QĐ-TTg as amended by
//! 23/2018/QĐ-TTg: working groups and their meetings, directives that assign tasks, the task
//! lifecycle with extensions, status on a date with the working-day calendar, recurring duties,
//! reminder and escalation schedules, rankings and the periodic report. Pure: no I/O.
//!
//! **Completed date.** A task's completion date is the date its accepted completion was
//! *reported* (submitted), not the date the assigner accepted it: an organisation that reports
//! on its deadline is on time even if the assigner reviews the evidence a week later. A
//! returned submission is forgotten; only the submission that gets accepted counts.

mod error;
mod group;
mod lifecycle;
mod permissions;
mod ranking;
mod recurrence;
mod reminders;
mod status;
mod task;

pub use error::TaskError;
pub use group::{
    Directive, DirectiveKind, GroupLevel, GroupMember, Meeting, MeetingFormat, MemberChange,
    MemberRole, WorkingGroup,
};
pub use lifecycle::{DeadlineChange, ExtensionDecision, ExtensionRequest};
pub use permissions::{TaskAction, TaskRelation, may};
pub use ranking::{OrgTally, PeriodicReport, RankedOrg, Ranking, TaskFact, rank, report, tally};
pub use recurrence::{NonWorkingPolicy, Occurrence, Recurrence, RecurrenceRule};
pub use reminders::{Reminder, ReminderKind, ReminderPolicy, ReminderTarget, due_reminders};
pub use status::{delay_working_days, status_as_of};
pub use task::{OutputKind, Priority, ProgressRollup, Task, TaskState, rollup_progress};
