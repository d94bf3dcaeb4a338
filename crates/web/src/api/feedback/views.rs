//! JSON views of feedback items: the public view never carries personal data (initials only,
//! phone numbers and e-mail addresses masked inside the text); the officer view is complete.

use chrono::{NaiveDate, Utc};
use serde::Serialize;
use thutuc_domain::feedback::redact::{public_name, redact_text};
use thutuc_domain::feedback::{FeedbackTimeliness, TrackingCode};
use thutuc_store::feedback::{AttachmentMeta, FeedbackEvent, FeedbackItem, FeedbackNote, vn_date};
use utoipa::ToSchema;

/// Deadline status of an item today.
pub fn timeliness(it: &FeedbackItem, today: NaiveDate) -> FeedbackTimeliness {
    FeedbackTimeliness::of(it.due_on, it.answered_on, today)
}

/// What anyone may see of an item (tracking page, public list, Open311).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicFeedback {
    /// Tracking code (display form).
    pub tracking_code: String,
    /// Sender initials only.
    pub sender: String,
    /// Title, with personal data masked.
    pub title: String,
    /// Content, with personal data masked.
    pub content: String,
    /// Procedure concerned.
    pub procedure_code: Option<String>,
    /// Status identifier.
    pub status: String,
    /// Status in Vietnamese.
    pub status_label: String,
    /// `open`, `resolved` or `closed`.
    pub state_type: String,
    /// Agency handling it.
    pub agency: String,
    /// Received on.
    pub received_on: NaiveDate,
    /// Reply deadline.
    pub due_on: NaiveDate,
    /// Deadline status today.
    pub timeliness: String,
    /// Answer (once approved), masked.
    pub answer: Option<String>,
    /// Date of the answer.
    pub answered_on: Option<NaiveDate>,
    /// Reason when not accepted.
    pub reject_reason: Option<String>,
    /// Rating given.
    pub rating: Option<String>,
}

impl PublicFeedback {
    /// Builds the redacted view.
    pub fn of(it: &FeedbackItem, agency_name: String) -> Self {
        let today = vn_date(Utc::now());
        let code = TrackingCode::parse(&it.tracking_code)
            .map(|c| c.display())
            .unwrap_or_else(|_| it.tracking_code.clone());
        let answered = it.answered_at.is_some();
        Self {
            tracking_code: code,
            sender: public_name(&it.sender_name),
            title: redact_text(&it.title),
            content: redact_text(&it.content),
            procedure_code: it.procedure_code.clone(),
            status: it.status.as_str().into(),
            status_label: it.status.label_vi().into(),
            state_type: it.status.state_type().into(),
            agency: agency_name,
            received_on: it.received_on,
            due_on: it.due_on,
            timeliness: timeliness(it, today).as_str().into(),
            answer: if answered {
                it.answer_text.as_deref().map(redact_text)
            } else {
                None
            },
            answered_on: it.answered_on,
            reject_reason: it.reject_reason.as_deref().map(redact_text),
            rating: it.rating.map(|r| r.as_str().to_string()),
        }
    }
}

/// The complete view for officers of the responsible agency.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OfficerFeedback {
    /// The stored item.
    #[schema(value_type = Object)]
    pub item: FeedbackItem,
    /// Deadline status today.
    pub timeliness: String,
    /// Register number, when registered.
    pub register_number: Option<String>,
    /// History.
    #[schema(value_type = Vec<Object>)]
    pub history: Vec<FeedbackEvent>,
    /// Internal notes.
    #[schema(value_type = Vec<Object>)]
    pub notes: Vec<FeedbackNote>,
    /// Attachments.
    #[schema(value_type = Vec<Object>)]
    pub attachments: Vec<AttachmentMeta>,
}

/// Register number text of an item.
pub fn register_number(it: &FeedbackItem) -> Option<String> {
    match (it.register_year, it.register_seq) {
        (Some(year), Some(seq)) => Some(
            thutuc_domain::feedback::RegisterNumber {
                agency: it.current_org.clone(),
                year,
                seq,
            }
            .to_string(),
        ),
        _ => None,
    }
}
