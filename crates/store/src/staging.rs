//! Uploads waiting for their confirmation (the workspace's import preview): kept in the
//! database, not in one server's memory, so that the confirmation may reach any app server.
//! Each is bound to the user who uploaded it, taken at most once, and expires.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::StoreResult;

/// An upload to keep until it is confirmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StagedUpload {
    /// Random token (the form carries it).
    pub token: String,
    /// The user who uploaded it (only they may take it).
    pub user_id: i64,
    /// When it was staged.
    pub created_at: DateTime<Utc>,
    /// What the caller needs besides the file (JSON: file name, options, the preview's plan).
    pub meta: String,
    /// The file.
    pub bytes: Vec<u8>,
}

/// Storage of staged uploads.
#[async_trait]
pub trait StagingStore: Send + Sync {
    /// Keeps an upload; staged uploads created before `expired_before` are deleted first, and
    /// then the user's oldest beyond `per_user - 1`, so that at most `per_user` remain per user.
    async fn stage_upload(
        &self,
        upload: &StagedUpload,
        expired_before: DateTime<Utc>,
        per_user: i64,
    ) -> StoreResult<()>;
    /// Takes (reads and deletes, in one transaction) the user's upload under `token`, unless
    /// it was created before `expired_before`. `None` when absent, expired, used or another
    /// user's.
    async fn take_staged_upload(
        &self,
        token: &str,
        user_id: i64,
        expired_before: DateTime<Utc>,
    ) -> StoreResult<Option<StagedUpload>>;
}
