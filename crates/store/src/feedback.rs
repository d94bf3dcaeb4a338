//! Storage port for feedback and recommendations (phản ánh, kiến nghị — PAKN, issue 9).
//!
//! Every change is one transaction checked against the item's `rev`; deadlines are computed
//! inside that transaction from the working-day calendar and the agency's policy passed in
//! [`FeedbackClock`], so the stored due date always matches the stored pauses and transfers.
//! Register numbers come from a counter row per agency and year, incremented in the same
//! transaction as the registration: no gaps, no duplicates.

mod types;

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use thutuc_domain::calendar::Calendar;
use thutuc_domain::feedback::DeadlineConfig;

pub use types::*;

use crate::{Page, StoreResult};

/// What deadline computations need: the calendar and the policy book.
#[derive(Debug, Clone, Copy)]
pub struct FeedbackClock<'a> {
    /// Working-day calendar.
    pub cal: &'a Calendar,
    /// Deadline policies per agency.
    pub config: &'a DeadlineConfig,
}

/// Feedback items, their history, notes, attachments, duplicates and statistics.
#[async_trait]
pub trait FeedbackStore: Send + Sync {
    /// Stores a submission with its attachments and duplicate keys in one transaction and
    /// returns it; the caller acknowledges only after this returns (durable before ack).
    async fn submit_feedback(
        &self,
        sub: &FeedbackSubmission,
        clock: FeedbackClock<'_>,
    ) -> StoreResult<FeedbackItem>;
    /// One item.
    async fn feedback(&self, id: i64) -> StoreResult<FeedbackItem>;
    /// One item by tracking code (compact form).
    async fn feedback_by_code(&self, code: &str) -> StoreResult<FeedbackItem>;
    /// Applies one action if `expected_rev` is current; otherwise `Conflict`.
    async fn act_on_feedback(
        &self,
        id: i64,
        expected_rev: i64,
        actor: &FeedbackActor,
        action: &FeedbackAction,
        now: DateTime<Utc>,
        clock: FeedbackClock<'_>,
    ) -> StoreResult<FeedbackItem>;
    /// History, oldest first.
    async fn feedback_history(&self, id: i64) -> StoreResult<Vec<FeedbackEvent>>;
    /// Adds an internal note.
    async fn add_feedback_note(
        &self,
        id: i64,
        author: &str,
        body: &str,
    ) -> StoreResult<FeedbackNote>;
    /// Notes, oldest first.
    async fn feedback_notes(&self, id: i64) -> StoreResult<Vec<FeedbackNote>>;
    /// Attachment metadata of an item.
    async fn feedback_attachments(&self, id: i64) -> StoreResult<Vec<AttachmentMeta>>;
    /// One attachment with its bytes.
    async fn feedback_attachment(
        &self,
        attachment_id: i64,
    ) -> StoreResult<(AttachmentMeta, Vec<u8>)>;
    /// Filtered, paginated list, most urgent (earliest due) first.
    async fn list_feedback(&self, filter: &FeedbackFilter) -> StoreResult<Page<FeedbackItem>>;
    /// Items sharing a MinHash band key with `keys` (candidate duplicates), newest first,
    /// excluding `exclude`. The caller ranks them by similarity.
    async fn feedback_candidates(
        &self,
        keys: &[i64],
        exclude: Option<i64>,
        limit: i64,
    ) -> StoreResult<Vec<FeedbackItem>>;
    /// Statistics for items received in `[from, to]`, as of `as_of`.
    async fn feedback_stats(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        as_of: NaiveDate,
        orgs: Option<&[String]>,
        group: FeedbackGroupBy,
    ) -> StoreResult<Vec<FeedbackStatsRow>>;
    /// Number of feedback items concerning a procedure.
    async fn feedback_count_for_procedure(&self, code: &str) -> StoreResult<i64>;
    /// Past routing decisions for a procedure (or field): target agency and count, most
    /// frequent first.
    async fn feedback_routing_history(
        &self,
        procedure_code: Option<&str>,
        sector_id: Option<&str>,
    ) -> StoreResult<Vec<(String, i64)>>;
    /// Raises escalation levels of open items overdue as of `as_of` per their agency's
    /// ladder; returns `(item, level)` for each item whose level rose (idempotent).
    async fn escalate_feedback(
        &self,
        as_of: NaiveDate,
        clock: FeedbackClock<'_>,
    ) -> StoreResult<Vec<(FeedbackItem, String)>>;
}

/// Hex SHA-256 of attachment bytes (stored for integrity checks and de-duplication).
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

/// The Vietnamese civil date (UTC+7) of an instant: deadlines count in local days.
pub fn vn_date(at: DateTime<Utc>) -> NaiveDate {
    (at + chrono::Duration::hours(7)).date_naive()
}
