//! Errors of the task domain. Messages are bilingual (Vietnamese / English) and name the field
//! at fault, because they reach officers filling in forms as well as API clients.

use chrono::NaiveDate;

use crate::calendar::CalendarError;

/// Why a task operation was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TaskError {
    /// A field is missing or malformed.
    #[error("{field}: {message}")]
    Invalid {
        /// The field at fault (`deadline`, `title`, …).
        field: &'static str,
        /// Explanation in Vietnamese / English.
        message: String,
    },
    /// The deadline lies before the assignment date.
    #[error(
        "deadline: hạn xử lý {deadline} trước ngày giao {assigned_on} / the deadline {deadline} is before the assignment date {assigned_on}"
    )]
    DeadlineBeforeAssignment {
        /// The date the task was assigned.
        assigned_on: NaiveDate,
        /// The rejected deadline.
        deadline: NaiveDate,
    },
    /// The lifecycle does not allow this step in the current state.
    #[error(
        "state: không thể {action} khi nhiệm vụ đang ở trạng thái «{state}» / cannot {action_en} a task that is {state_en}"
    )]
    WrongState {
        /// The attempted step, in Vietnamese.
        action: &'static str,
        /// The attempted step, in English.
        action_en: &'static str,
        /// The current state, in Vietnamese.
        state: &'static str,
        /// The current state, in English.
        state_en: &'static str,
    },
    /// A recurrence rule can never produce a date.
    #[error("recurrence: {0}")]
    NeverFires(String),
    /// The working-day calendar could not answer (date out of range).
    #[error("calendar: {0}")]
    Calendar(#[from] CalendarError),
}

impl TaskError {
    /// Shorthand for [`TaskError::Invalid`].
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        Self::Invalid {
            field,
            message: message.into(),
        }
    }

    /// The field a form should highlight.
    pub fn field(&self) -> &'static str {
        match self {
            Self::Invalid { field, .. } => field,
            Self::DeadlineBeforeAssignment { .. } => "deadline",
            Self::WrongState { .. } => "state",
            Self::NeverFires(_) => "recurrence",
            Self::Calendar(_) => "deadline",
        }
    }
}
