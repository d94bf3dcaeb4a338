//! Errors of the report engine: bad requests (period, organisation, template) are told apart
//! from storage and output failures so the web layer can answer 400 vs 500.

use thutuc_store::StoreError;

/// Why a report could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The period text does not parse or names an impossible month.
    #[error(
        "kỳ báo cáo không hợp lệ «{0}» / invalid period (YYYY-MM, YYYY-Qn, YYYY-Hn, YYYY, or FROM..TO)"
    )]
    InvalidPeriod(String),
    /// A date range longer than ten years or ending before it starts.
    #[error("khoảng thời gian không hợp lệ: {0} / invalid date range")]
    InvalidRange(String),
    /// The organisation does not exist.
    #[error("tổ chức «{0}» không tồn tại / unknown organisation")]
    UnknownOrg(String),
    /// A template refers to a placeholder the engine does not provide.
    #[error(
        "mẫu báo cáo: trường «{field}» dùng chỗ trống {{{placeholder}}} không có / template placeholder not provided"
    )]
    MissingPlaceholder {
        /// Template field.
        field: String,
        /// Placeholder name.
        placeholder: String,
    },
    /// The template itself is malformed.
    #[error("mẫu báo cáo không hợp lệ: {0} / invalid template")]
    Template(String),
    /// The working-day calendar does not cover a date.
    #[error("lịch ngày làm việc: {0}")]
    Calendar(String),
    /// Storage failure.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Rendering an output failed.
    #[error("không tạo được tệp báo cáo / output failed: {0}")]
    Output(String),
}

impl ReportError {
    /// True when the caller's request is at fault (HTTP 400).
    pub fn is_bad_request(&self) -> bool {
        matches!(
            self,
            Self::InvalidPeriod(_)
                | Self::InvalidRange(_)
                | Self::UnknownOrg(_)
                | Self::MissingPlaceholder { .. }
                | Self::Template(_)
        )
    }
}
