//! The storage error tier. Backends map their driver errors here in one place each; the web
//! layer maps these to HTTP statuses. Domain errors travel inside `Rule` as their message.

/// What went wrong in storage.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The record does not exist. The message names it ("thủ tục 1.000080").
    #[error("không tìm thấy {0} / not found")]
    NotFound(String),
    /// A stale edit or a unique-key clash. `current` holds the record as it is now (JSON), so
    /// the caller can show what changed.
    #[error("{message}")]
    Conflict {
        /// Human-readable explanation naming the record and field.
        message: String,
        /// The current state, when known.
        current: Option<serde_json::Value>,
    },
    /// A domain rule refused the change (open draft exists, overlapping validity, …).
    #[error("{0}")]
    Rule(String),
    /// Invalid input found at the storage boundary (unknown organisation, missing procedure…).
    #[error("{field}: {message}")]
    Invalid {
        /// The field or record at fault.
        field: String,
        /// Explanation.
        message: String,
    },
    /// The database could not be reached.
    #[error("cơ sở dữ liệu không sẵn sàng / database unavailable: {0}")]
    Unavailable(String),
    /// Anything else (logged, never shown in detail).
    #[error("lỗi lưu trữ / storage error: {0}")]
    Other(String),
}

impl StoreError {
    /// Shorthand for a `Conflict` without a current state.
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::Conflict {
            message: message.into(),
            current: None,
        }
    }
    /// Shorthand for `Invalid`.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }
}
