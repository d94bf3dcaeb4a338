//! Records and requests of the feedback (PAKN) store.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use thutuc_domain::feedback::{
    AttachmentKind, Channel, Classification, ContentKind, Evaluation, FeedbackType, NewFeedback,
    Outcome, Rating, SenderKind, Status,
};

/// A feedback item as stored (phản ánh, kiến nghị). Holds personal data: never render it on
/// a public page without [`thutuc_domain::feedback::redact`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeedbackItem {
    /// Id.
    pub id: i64,
    /// Tracking code (compact form).
    pub tracking_code: String,
    /// Optimistic-concurrency revision.
    pub rev: i64,
    /// Status.
    pub status: Status,
    /// Channel.
    pub channel: Channel,
    /// Sender name.
    pub sender_name: String,
    /// Sender address.
    pub sender_address: String,
    /// Sender phone (normalised).
    pub sender_phone: String,
    /// Sender e-mail.
    pub sender_email: Option<String>,
    /// Person, business or organisation.
    pub sender_kind: SenderKind,
    /// Title.
    pub title: String,
    /// Content (plain text; escape on output).
    pub content: String,
    /// Procedure concerned (TTHC code).
    pub procedure_code: Option<String>,
    /// Legal document concerned.
    pub legal_document: Option<String>,
    /// Field (lĩnh vực) id, from the procedure or set when classifying.
    pub sector_id: Option<String>,
    /// Content kind (Art 5).
    pub content_kind: Option<ContentKind>,
    /// Phản ánh or kiến nghị.
    pub feedback_type: Option<FeedbackType>,
    /// Classification (Art 9).
    pub classification: Option<Classification>,
    /// Reason when not accepted.
    pub reject_reason: Option<String>,
    /// Agency that first received it.
    pub receiving_org: String,
    /// Agency currently responsible.
    pub current_org: String,
    /// Register year (when registered by the current agency).
    pub register_year: Option<i32>,
    /// Register sequence within agency and year.
    pub register_seq: Option<i64>,
    /// Officer assigned.
    pub assigned_to: Option<i64>,
    /// Received at.
    pub received_at: DateTime<Utc>,
    /// Received on (date the clock starts).
    pub received_on: NaiveDate,
    /// Date the current agency received the last transfer.
    pub transferred_on: Option<NaiveDate>,
    /// Transferred at least once.
    pub was_transferred: bool,
    /// Transfer deadline (05 working days) while the item may still be transferred.
    pub transfer_due_on: NaiveDate,
    /// Reply deadline.
    pub due_on: NaiveDate,
    /// Start of the open pause (waiting for the sender).
    pub paused_since: Option<NaiveDate>,
    /// Closed pauses.
    pub pauses: Vec<(NaiveDate, NaiveDate)>,
    /// Working days of extension.
    pub extension_days: i64,
    /// Evaluation (Art 14).
    pub evaluation: Option<Evaluation>,
    /// Outcome.
    pub outcome: Option<Outcome>,
    /// Answer text (draft or final).
    pub answer_text: Option<String>,
    /// Publish the answer when approved.
    pub answer_public: bool,
    /// Officer who drafted the answer.
    pub answer_drafted_by: Option<i64>,
    /// Leader who approved it.
    pub answer_approved_by: Option<i64>,
    /// When the answer was sent.
    pub answered_at: Option<DateTime<Utc>>,
    /// Date of the answer (for timeliness).
    pub answered_on: Option<NaiveDate>,
    /// Publish on the portal.
    pub is_public: bool,
    /// When published.
    pub published_at: Option<DateTime<Utc>>,
    /// Sender's rating.
    pub rating: Option<Rating>,
    /// Times reopened.
    pub reopen_count: i64,
    /// Canonical item when a duplicate.
    pub duplicate_of: Option<i64>,
    /// Escalation level reached (`agency_leader`, `working_group`).
    pub escalation: Option<String>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

/// An attachment to store with a submission; the type is sniffed, never trusted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAttachment {
    /// Original file name (display only).
    pub filename: String,
    /// The bytes.
    pub bytes: Vec<u8>,
}

/// Attachment metadata.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentMeta {
    /// Id.
    pub id: i64,
    /// Item id.
    pub item_id: i64,
    /// Original name.
    pub filename: String,
    /// Sniffed kind.
    pub kind: AttachmentKind,
    /// Size in bytes.
    pub size: i64,
}

/// A submission to store.
#[derive(Debug, Clone)]
pub struct FeedbackSubmission {
    /// The validated content.
    pub item: NewFeedback,
    /// Tracking code drawn by the caller (unique; the store refuses a clash with `Conflict`).
    pub tracking_code: String,
    /// Receiving agency.
    pub receiving_org: String,
    /// When received.
    pub received_at: DateTime<Utc>,
    /// Attachments.
    pub attachments: Vec<NewAttachment>,
    /// Maximum bytes per attachment.
    pub max_attachment_bytes: usize,
    /// Officer who entered it (phone, post, in person), if any.
    pub entered_by: Option<i64>,
}

/// Who acts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedbackActor {
    /// User id (`None` for the sender acting through the tracking code).
    pub user_id: Option<i64>,
    /// Label for the history (e-mail or "người gửi").
    pub label: String,
}

/// A change to an item (one transaction each, checked against `rev`).
#[derive(Debug, Clone, PartialEq)]
pub enum FeedbackAction {
    /// Vào sổ: takes the next register number of the current agency and year.
    Register,
    /// Phân loại; `NotAccepted` moves to Rejected with `reason`, `WithinCompetence` to
    /// InReview, the others stay Classified until transferred.
    Classify {
        /// Art 9 class.
        classification: Classification,
        /// Art 5 kind.
        content_kind: ContentKind,
        /// Field id.
        sector_id: Option<String>,
        /// Reason (required for NotAccepted).
        reason: Option<String>,
    },
    /// Chuyển to another agency (must exist); history is kept.
    Transfer {
        /// Target agency.
        to_org: String,
        /// Note.
        note: String,
    },
    /// Giao cho cán bộ.
    Assign {
        /// Officer.
        user_id: i64,
    },
    /// Yêu cầu bổ sung (pauses the clock).
    RequestInfo,
    /// Đã nhận bổ sung (resumes the clock and moves the deadline).
    InfoReceived,
    /// Gia hạn.
    Extend {
        /// Working days.
        days: i64,
    },
    /// Đánh giá and conclude (→ Decided).
    Evaluate {
        /// Findings.
        evaluation: Evaluation,
        /// Outcome.
        outcome: Outcome,
    },
    /// Soạn trả lời.
    DraftAnswer {
        /// Text.
        text: String,
        /// Publish when approved.
        is_public: bool,
    },
    /// Lãnh đạo duyệt (not the drafter) → Answered; duplicates get the same answer.
    ApproveAnswer,
    /// Công khai on the portal.
    Publish,
    /// Người gửi đánh giá.
    Rate(Rating),
    /// Người gửi mở lại (window checked against the agency's policy).
    Reopen {
        /// Reason.
        reason: String,
    },
    /// Đóng.
    Close,
    /// Đánh dấu trùng với `of`.
    MarkDuplicate {
        /// Canonical item.
        of: i64,
    },
}

impl FeedbackAction {
    /// Stable name for the history.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Register => "register",
            Self::Classify { .. } => "classify",
            Self::Transfer { .. } => "transfer",
            Self::Assign { .. } => "assign",
            Self::RequestInfo => "request_info",
            Self::InfoReceived => "info_received",
            Self::Extend { .. } => "extend",
            Self::Evaluate { .. } => "evaluate",
            Self::DraftAnswer { .. } => "draft_answer",
            Self::ApproveAnswer => "approve_answer",
            Self::Publish => "publish",
            Self::Rate(_) => "rate",
            Self::Reopen { .. } => "reopen",
            Self::Close => "close",
            Self::MarkDuplicate { .. } => "mark_duplicate",
        }
    }
}

/// One history entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeedbackEvent {
    /// When.
    pub at: DateTime<Utc>,
    /// Who.
    pub actor: String,
    /// Action name.
    pub action: String,
    /// Status before.
    pub from_status: String,
    /// Status after.
    pub to_status: String,
    /// Agency before.
    pub from_org: String,
    /// Agency after.
    pub to_org: String,
    /// Free detail (reason, note, outcome).
    pub detail: String,
}

/// An internal note (ghi chú nội bộ).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedbackNote {
    /// Id.
    pub id: i64,
    /// Author.
    pub author: String,
    /// When.
    pub at: DateTime<Utc>,
    /// Text.
    pub body: String,
}

/// Officer inbox filter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedbackFilter {
    /// Agencies whose items are visible (`None` = all, for oversight).
    pub orgs: Option<Vec<String>>,
    /// Statuses.
    pub statuses: Vec<Status>,
    /// Only open items overdue as of this date.
    pub overdue_as_of: Option<NaiveDate>,
    /// Procedure code.
    pub procedure_code: Option<String>,
    /// Received on or after.
    pub from: Option<NaiveDate>,
    /// Received on or before.
    pub to: Option<NaiveDate>,
    /// Assigned officer.
    pub assigned_to: Option<i64>,
    /// Only escalated to this level or higher (`agency_leader`, `working_group`).
    pub escalation: Option<String>,
    /// Only published (public list).
    pub published_only: bool,
    /// Page size.
    pub limit: i64,
    /// Offset.
    pub offset: i64,
}

/// Statistics grouping.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeedbackGroupBy {
    /// By current agency.
    Agency,
    /// By field.
    Sector,
    /// By procedure.
    Procedure,
    /// By month of receipt (`YYYY-MM`).
    Month,
}

/// One row of statistics (as of a date).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedbackStatsRow {
    /// Group key (agency id, field id, procedure code or month; empty = none).
    pub key: String,
    /// Received.
    pub received: i64,
    /// Accepted (not rejected, not duplicate).
    pub accepted: i64,
    /// Not accepted.
    pub rejected: i64,
    /// Transferred at least once.
    pub transferred: i64,
    /// Answered on time.
    pub answered_on_time: i64,
    /// Answered late.
    pub answered_late: i64,
    /// Pending within term.
    pub pending_within_term: i64,
    /// Pending overdue.
    pub overdue: i64,
    /// Rated satisfied or neutral.
    pub satisfied: i64,
    /// Rated dissatisfied.
    pub dissatisfied: i64,
    /// Reopened (re-sent).
    pub reopened: i64,
}
