//! Review comments on a draft version (ý kiến góp ý): officers, leaders and the Working Group
//! discuss a draft before it is approved. Comments are append-only, like the audit log.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;
use thutuc_domain::TthcCode;

use crate::StoreResult;

/// A comment to add.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewComment {
    /// Procedure.
    pub code: TthcCode,
    /// Version (an open draft).
    pub seq: i64,
    /// Author's e-mail.
    pub author: String,
    /// Text (1–4,000 characters).
    pub body: String,
}

/// A stored comment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comment {
    /// Id.
    pub id: i64,
    /// Author's e-mail.
    pub author: String,
    /// Text.
    pub body: String,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// Longest comment accepted.
pub const MAX_COMMENT_CHARS: usize = 4_000;

/// Review comments.
#[async_trait]
pub trait ReviewStore: Send + Sync {
    /// Adds a comment to a version; `Invalid` for an empty or too long text, `NotFound` for an
    /// unknown version.
    async fn add_comment(&self, c: &NewComment) -> StoreResult<Comment>;
    /// Comments of a version, oldest first.
    async fn comments(&self, code: &TthcCode, seq: i64) -> StoreResult<Vec<Comment>>;
}
