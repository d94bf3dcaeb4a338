//! Errors of the feedback module. Messages are bilingual (Vietnamese / English) and name the
//! field concerned, because they reach citizens on the public form and API clients.

use serde::Serialize;

use crate::calendar::CalendarError;

/// One invalid field of a submission: which field and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// Field name as used by the form and the API (e.g. `sender_phone`).
    pub field: &'static str,
    /// Vietnamese message.
    pub message_vi: String,
    /// English message.
    pub message_en: String,
}

impl FieldError {
    /// Builds a field error.
    pub fn new(field: &'static str, vi: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            field,
            message_vi: vi.into(),
            message_en: en.into(),
        }
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: {} / {}",
            self.field, self.message_vi, self.message_en
        )
    }
}

/// Why a feedback operation failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FeedbackError {
    /// One or more fields are invalid.
    #[error("dữ liệu không hợp lệ / invalid input: {}", list(.0))]
    Invalid(Vec<FieldError>),
    /// The event is not allowed in the current status.
    #[error(
        "không thể {event} khi phản ánh đang ở trạng thái {from} / cannot {event} while the item is {from}"
    )]
    Transition {
        /// Current status (stable identifier).
        from: &'static str,
        /// Attempted event (stable identifier).
        event: &'static str,
    },
    /// Reopening after the configured window.
    #[error(
        "đã quá thời hạn mở lại ({days} ngày kể từ khi trả lời) / the reopen window of {days} days after the answer has passed"
    )]
    ReopenWindowClosed {
        /// Window length in calendar days.
        days: u32,
    },
    /// A deadline could not be computed.
    #[error(transparent)]
    Calendar(#[from] CalendarError),
}

fn list(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

impl FeedbackError {
    /// Shorthand for a single invalid field.
    pub fn field(field: &'static str, vi: impl Into<String>, en: impl Into<String>) -> Self {
        Self::Invalid(vec![FieldError::new(field, vi, en)])
    }
}
