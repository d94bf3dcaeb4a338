//! Tokenizers for the portal's flattened tables, where header labels and cells are glued
//! with no separator: "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến5 Ngày làm
//! việcMiễn phíDịch vụ bưu chính…". Each tokenizer knows the table's header labels and the
//! shape of its cells ([`crate::cells`]) and never relies on a particular record.
//!
//! Problems are reported as [`Issue`]s whose `code` is a stable identifier (see
//! [`IssueCode`]); the parse-quality metric ([`crate::quality`]) groups failures by it.

pub mod channels;
pub mod dossier;
pub mod legal;

pub use channels::parse_channels;
pub use dossier::parse_dossier;
pub use legal::{parse_legal_bases, parse_results};

/// Stable identifiers of the problems a tokenizer can report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum IssueCode {
    /// A time limit given as a bare number: kept with `TimeUnit::Unknown` (a flag, not a failure).
    UnitUnknown,
    /// A bare time glued to a fee amount ("1200 VNĐ"): the split is a guess.
    TimeFeeAmbiguous,
    /// A channel's time cell could not be read.
    TimeUnparsed,
    /// A channel's fee cell could not be read.
    FeeUnparsed,
    /// The table has no recognisable channel row.
    NoChannels,
    /// Text before the first row that is neither a header nor a row.
    LeadingText,
    /// A dossier row without a count.
    CountMissing,
}

impl IssueCode {
    /// The stable identifier written at the start of [`crate::FieldProblem::message`].
    pub fn as_str(self) -> &'static str {
        match self {
            IssueCode::UnitUnknown => "unit-unknown",
            IssueCode::TimeFeeAmbiguous => "time-fee-ambiguous",
            IssueCode::TimeUnparsed => "time-unparsed",
            IssueCode::FeeUnparsed => "fee-unparsed",
            IssueCode::NoChannels => "no-channels",
            IssueCode::LeadingText => "leading-text",
            IssueCode::CountMissing => "count-missing",
        }
    }

    /// Whether the issue is a documented flag rather than a parse failure.
    pub fn is_flag(self) -> bool {
        matches!(self, IssueCode::UnitUnknown)
    }

    /// All codes.
    pub const ALL: [IssueCode; 7] = [
        IssueCode::UnitUnknown,
        IssueCode::TimeFeeAmbiguous,
        IssueCode::TimeUnparsed,
        IssueCode::FeeUnparsed,
        IssueCode::NoChannels,
        IssueCode::LeadingText,
        IssueCode::CountMissing,
    ];

    /// Reads the code back from a problem message.
    pub fn from_message(message: &str) -> Option<IssueCode> {
        let head = message.split(':').next()?;
        Self::ALL.into_iter().find(|c| c.as_str() == head)
    }
}

/// A problem found while tokenizing one table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    /// What kind of problem.
    pub code: IssueCode,
    /// Human-readable detail.
    pub detail: String,
    /// The fragment concerned.
    pub original: String,
}

impl Issue {
    pub(crate) fn new(
        code: IssueCode,
        detail: impl Into<String>,
        original: impl Into<String>,
    ) -> Self {
        Self {
            code,
            detail: detail.into(),
            original: original.into(),
        }
    }

    /// Converts to a record-level problem on `field`; the message starts with the code.
    pub fn into_problem(self, field: &str) -> crate::FieldProblem {
        crate::FieldProblem {
            field: field.into(),
            message: format!("{}: {}", self.code.as_str(), self.detail),
            original: self.original,
        }
    }
}

/// Truncates text for problem reports (whole characters, at most `max`).
pub(crate) fn excerpt(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(max).collect::<String>())
    }
}

/// Cuts `text` at the first of `labels` (page furniture that leaked into a field).
pub(crate) fn cut_at<'a>(text: &'a str, labels: &[&str]) -> &'a str {
    let end = labels
        .iter()
        .filter_map(|l| text.find(l))
        .min()
        .unwrap_or(text.len());
    &text[..end]
}
