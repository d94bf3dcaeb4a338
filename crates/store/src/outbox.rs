//! The outbox: e-mail and in-app notifications caused by changes, written in the same transaction
//! as the change and delivered later by the job worker (`thutuc-jobs`), never from a request.
//!
//! Every item carries a *dedupe key* (for example `task-reminder:42:before-2:2026-11-20:u7`): the
//! same logical message can be enqueued any number of times (a sweep run twice, a crash and a
//! restart) and exists once. Delivery claims a batch under a lease; a worker that dies mid-send
//! leaves its claim to expire and another run retries it. The one window that cannot be closed
//! with SMTP — the server accepted the message but the worker died before recording it — resends
//! the same `Message-ID`, which receiving systems use to drop the duplicate.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::{Page, StoreResult};

/// An e-mail to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingMail {
    /// Identifies the logical message; a second enqueue with the same key is ignored.
    pub dedupe_key: String,
    /// One recipient address.
    pub to: String,
    /// Subject line.
    pub subject: String,
    /// Plain-text body.
    pub body_text: String,
    /// Optional single attachment (a report, an urging letter).
    pub attachment: Option<MailAttachment>,
}

impl OutgoingMail {
    /// The `Message-ID` (without angle brackets) derived from the dedupe key, so that every
    /// attempt at the same logical mail carries the same id.
    pub fn message_id(&self) -> String {
        use sha2::Digest;
        let digest = sha2::Sha256::digest(self.dedupe_key.as_bytes());
        format!("{}@thutuc.invalid", hex::encode(&digest[..16]))
    }
}

/// A file attached to a mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailAttachment {
    /// File name shown to the recipient.
    pub filename: String,
    /// MIME type.
    pub content_type: String,
    /// Content.
    pub bytes: Vec<u8>,
}

/// Delivery state of an outbox mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MailStatus {
    /// Waiting for its next attempt.
    Pending,
    /// Claimed by a worker (until its lease ends).
    Sending,
    /// Accepted by the SMTP server.
    Sent,
    /// Gave up after the configured attempts; an administrator may requeue it.
    Dead,
}

impl MailStatus {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Sending => "sending",
            Self::Sent => "sent",
            Self::Dead => "dead",
        }
    }
    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "pending" => Self::Pending,
            "sending" => Self::Sending,
            "sent" => Self::Sent,
            "dead" => Self::Dead,
            _ => return None,
        })
    }
}

/// A stored outbox mail.
#[derive(Debug, Clone, Serialize)]
pub struct OutboxMail {
    /// Row id.
    pub id: i64,
    /// Dedupe key.
    pub dedupe_key: String,
    /// Stable `Message-ID` (without angle brackets), the same on every attempt.
    pub message_id: String,
    /// Recipient.
    pub to: String,
    /// Subject.
    pub subject: String,
    /// Body.
    pub body_text: String,
    /// Attachment, when loaded (lists leave it out).
    #[serde(skip)]
    pub attachment: Option<MailAttachment>,
    /// Attachment file name, if any.
    pub attachment_name: Option<String>,
    /// State.
    pub status: MailStatus,
    /// Attempts made so far.
    pub attempts: i64,
    /// When the next attempt may start.
    pub next_attempt_at: DateTime<Utc>,
    /// Last delivery error.
    pub last_error: Option<String>,
    /// Enqueued at.
    pub created_at: DateTime<Utc>,
    /// Accepted by the server at.
    pub sent_at: Option<DateTime<Utc>>,
    /// The claim of the worker holding it (set while `Sending`).
    #[serde(skip)]
    pub claim_token: Option<String>,
}

/// Counts per state, for the admin page and `/metrics`.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct OutboxCounts {
    /// Waiting.
    pub pending: i64,
    /// Claimed now.
    pub sending: i64,
    /// Delivered.
    pub sent: i64,
    /// Given up.
    pub dead: i64,
}

/// An in-app notification to create, for one user or for every user of an organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNotification {
    /// Identifies the logical notification; duplicates are ignored.
    pub dedupe_key: String,
    /// Addressed to one user …
    pub user_id: Option<i64>,
    /// … or to everyone of an organisation.
    pub org_id: Option<String>,
    /// Short title.
    pub title: String,
    /// Text.
    pub body: String,
    /// Where to go (a path inside the workspace).
    pub link: String,
}

/// A stored notification, as one user sees it.
#[derive(Debug, Clone, Serialize)]
pub struct Notification {
    /// Row id.
    pub id: i64,
    /// Addressed user, if personal.
    pub user_id: Option<i64>,
    /// Addressed organisation, if collective.
    pub org_id: Option<String>,
    /// Title.
    pub title: String,
    /// Text.
    pub body: String,
    /// Link.
    pub link: String,
    /// Created at.
    pub created_at: DateTime<Utc>,
    /// Whether this user has read it.
    pub read: bool,
}

/// Outbox mail and notifications.
#[async_trait]
pub trait OutboxStore: Send + Sync {
    /// Enqueues a mail; `false` when one with the same dedupe key exists (nothing inserted).
    async fn enqueue_mail(&self, mail: &OutgoingMail) -> StoreResult<bool>;
    /// Claims up to `limit` mails due at `now` for `lease` seconds under `token`: pending ones
    /// whose next attempt has come, and `Sending` ones whose lease expired (a crashed worker).
    /// Concurrent workers never claim the same mail.
    async fn claim_mail(
        &self,
        now: DateTime<Utc>,
        lease_secs: i64,
        token: &str,
        limit: i64,
    ) -> StoreResult<Vec<OutboxMail>>;
    /// Records a successful delivery.
    async fn mark_mail_sent(&self, id: i64, token: &str, at: DateTime<Utc>) -> StoreResult<()>;
    /// Records a failed attempt: retried at `retry_at`, or `Dead` when `None`.
    async fn mark_mail_failed(
        &self,
        id: i64,
        token: &str,
        error: &str,
        retry_at: Option<DateTime<Utc>>,
    ) -> StoreResult<()>;
    /// Puts a dead mail back in the queue (an administrator's action).
    async fn requeue_mail(&self, id: i64, at: DateTime<Utc>) -> StoreResult<()>;
    /// Mails, newest first, optionally in one state.
    async fn list_mail(
        &self,
        status: Option<MailStatus>,
        limit: i64,
        offset: i64,
    ) -> StoreResult<Page<OutboxMail>>;
    /// Counts per state.
    async fn outbox_counts(&self) -> StoreResult<OutboxCounts>;
    /// Creates notifications, ignoring those whose dedupe key exists; returns how many are new.
    async fn notify(&self, items: &[NewNotification]) -> StoreResult<usize>;
    /// Notifications for a user: personal ones and those of the given organisations, newest first.
    async fn notifications_for(
        &self,
        user_id: i64,
        org_ids: &[String],
        unread_only: bool,
        limit: i64,
    ) -> StoreResult<Vec<Notification>>;
    /// Marks a notification read for this user.
    async fn mark_notification_read(&self, id: i64, user_id: i64) -> StoreResult<()>;
}

/// A user's opt-in to receive the monthly report edition by e-mail.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ReportSubscription {
    /// The subscriber.
    pub user_id: i64,
    /// Their e-mail address.
    pub email: String,
    /// Report scope: an organisation id, or empty for the national report.
    pub scope: String,
}

/// Opt-ins to report e-mails.
#[async_trait]
pub trait SubscriptionStore: Send + Sync {
    /// Subscribes a user to a scope (idempotent).
    async fn subscribe_reports(&self, user_id: i64, scope: &str) -> StoreResult<()>;
    /// Ends a subscription (idempotent).
    async fn unsubscribe_reports(&self, user_id: i64, scope: &str) -> StoreResult<()>;
    /// Active subscribers of a scope (active accounts only).
    async fn report_subscribers(&self, scope: &str) -> StoreResult<Vec<ReportSubscription>>;
    /// A user's subscriptions.
    async fn subscriptions_of(&self, user_id: i64) -> StoreResult<Vec<ReportSubscription>>;
}
