//! Storage ports of the officer workspace: browser sessions, login throttling, account
//! administration and the hash-chained audit log.
//!
//! The audit log is append-only: every row stores `hash = sha256(prev_hash || canonical row)`
//! (see [`audit_hash`]), so editing, deleting or reordering a row breaks the chain and
//! [`AuditStore::verify_audit`] names the first broken row.

use async_trait::async_trait;
use chrono::{DateTime, SubsecRound, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::StoreResult;
use crate::model::{Page, User};

/// A browser session as stored. The cookie holds a random id; the store holds only its hash.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionRecord {
    /// SHA-256 of the cookie value (hex).
    pub id_hash: String,
    /// The signed-in user.
    pub user_id: i64,
    /// Synchroniser token for CSRF checks.
    pub csrf_token: String,
    /// When the session was opened.
    pub created_at: DateTime<Utc>,
    /// Last request seen (idle expiry is measured from here).
    pub last_seen: DateTime<Utc>,
    /// Client address at sign-in.
    pub ip: String,
    /// Browser at sign-in.
    pub user_agent: String,
    /// When the session was ended (sign-out); ended sessions are kept, never deleted.
    pub ended_at: Option<DateTime<Utc>>,
}

/// Browser sessions.
#[async_trait]
pub trait SessionStore: Send + Sync {
    /// Stores a new session.
    async fn create_session(&self, s: &SessionRecord) -> StoreResult<()>;
    /// A session that has not been ended, with its user; `NotFound` otherwise.
    async fn live_session(&self, id_hash: &str) -> StoreResult<(SessionRecord, User)>;
    /// Records activity on a session.
    async fn touch_session(&self, id_hash: &str, at: DateTime<Utc>) -> StoreResult<()>;
    /// Ends one session (sign-out or idle expiry).
    async fn end_session(&self, id_hash: &str, at: DateTime<Utc>) -> StoreResult<()>;
    /// Ends every live session of a user except `keep`; returns how many were ended.
    async fn end_user_sessions(
        &self,
        user_id: i64,
        keep: Option<&str>,
        at: DateTime<Utc>,
    ) -> StoreResult<u64>;
    /// A user's live sessions, newest first.
    async fn user_sessions(&self, user_id: i64) -> StoreResult<Vec<SessionRecord>>;
}

/// Counters of failed sign-ins, per key (`acct:<email>` or `ip:<address>`), in a time window.
#[async_trait]
pub trait LoginThrottle: Send + Sync {
    /// Records one failure.
    async fn record_login_failure(&self, key: &str, at: DateTime<Utc>) -> StoreResult<()>;
    /// Failures recorded for `key` at or after `since`.
    async fn login_failures(&self, key: &str, since: DateTime<Utc>) -> StoreResult<i64>;
    /// Forgets the failures of `key` (after a successful sign-in).
    async fn clear_login_failures(&self, key: &str) -> StoreResult<()>;
}

/// Account administration beyond [`crate::UserStore`], and the author of a draft.
#[async_trait]
pub trait AccountStore: Send + Sync {
    /// One user by id.
    async fn user_by_id(&self, id: i64) -> StoreResult<User>;
    /// Users of the given organisations (all when `None`), ordered by e-mail.
    async fn list_users(&self, orgs: Option<&[String]>) -> StoreResult<Vec<User>>;
    /// Replaces a user's password hash.
    async fn set_password_hash(&self, user_id: i64, hash: &str) -> StoreResult<()>;
    /// Who opened a version (the `created_by` e-mail), for separation of duties.
    async fn version_author(&self, code: &thutuc_domain::TthcCode, seq: i64)
    -> StoreResult<String>;
}

/// An audit entry to append.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewAuditEntry {
    /// Who (e-mail, or `system`).
    pub actor: String,
    /// What, as a stable identifier (`draft.update`, `decision.apply`, `user.create`, …).
    pub action: String,
    /// Kind of record (`procedure_version`, `decision`, `user`, `session`).
    pub entity_type: String,
    /// The record's key (`1.000080/3`, `163/QĐ-BTP`, an e-mail).
    pub entity_id: String,
    /// The record before the change (JSON), if any.
    pub before: Option<serde_json::Value>,
    /// The record after the change (JSON), if any.
    pub after: Option<serde_json::Value>,
}

/// A stored audit entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// 1, 2, 3… without gaps.
    pub seq: i64,
    /// When (UTC, microsecond precision so both backends store it exactly).
    pub at: DateTime<Utc>,
    /// Who.
    pub actor: String,
    /// What.
    pub action: String,
    /// Kind of record.
    pub entity_type: String,
    /// Record key.
    pub entity_id: String,
    /// Before, as the stored JSON text (hashed as is).
    pub before: Option<String>,
    /// After, as the stored JSON text.
    pub after: Option<String>,
    /// Hash of the previous row (64 zeros for the first).
    pub prev_hash: String,
    /// `sha256(prev_hash || canonical row)`.
    pub hash: String,
}

/// The hash of the row before the first.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Truncates a timestamp to what both databases store exactly.
pub fn audit_time(t: DateTime<Utc>) -> DateTime<Utc> {
    t.trunc_subsecs(6)
}

/// The canonical text of a row: fields joined by newlines, JSON texts as stored, the time as
/// RFC 3339 with microseconds. Lengths prefix free-text fields so that no two rows share a text.
pub fn audit_canonical(e: &AuditEntry) -> String {
    let field = |s: &str| format!("{}:{s}", s.len());
    let opt = |s: &Option<String>| s.as_deref().map_or_else(|| "-".to_string(), field);
    format!(
        "{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}",
        e.seq,
        audit_time(e.at).format("%Y-%m-%dT%H:%M:%S%.6fZ"),
        field(&e.actor),
        field(&e.action),
        field(&e.entity_type),
        field(&e.entity_id),
        opt(&e.before),
        opt(&e.after),
    )
}

/// `sha256(prev_hash || canonical row)`, hex.
pub fn audit_hash(e: &AuditEntry) -> String {
    let mut h = Sha256::new();
    h.update(e.prev_hash.as_bytes());
    h.update(audit_canonical(e).as_bytes());
    hex::encode(h.finalize())
}

/// Filters for browsing the audit log.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AuditFilter {
    /// Exact actor.
    pub actor: Option<String>,
    /// Exact entity type.
    pub entity_type: Option<String>,
    /// Entity id prefix (e.g. a procedure code).
    pub entity_prefix: Option<String>,
    /// Page size (1–500).
    pub limit: i64,
    /// Offset.
    pub offset: i64,
}

/// Result of checking the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditVerification {
    /// Rows checked.
    pub rows: i64,
    /// Hash of the last row (the head).
    pub head: String,
    /// The first row that does not verify, with the reason; `None` when the chain is intact.
    pub broken: Option<(i64, String)>,
}

impl AuditVerification {
    /// True when every row verified.
    pub fn is_intact(&self) -> bool {
        self.broken.is_none()
    }
}

/// The append-only, hash-chained audit log.
#[async_trait]
pub trait AuditStore: Send + Sync {
    /// Appends an entry, chaining it to the head in one serialised write.
    async fn append_audit(&self, e: &NewAuditEntry) -> StoreResult<AuditEntry>;
    /// Entries, newest first.
    async fn audit_entries(&self, f: &AuditFilter) -> StoreResult<Page<AuditEntry>>;
    /// Recomputes every hash in order and checks the links and the head.
    async fn verify_audit(&self) -> StoreResult<AuditVerification>;
}

/// Checks a run of rows (in `seq` order) continuing from `prev` at `expected_seq`; returns the
/// first failure. Shared by the backends so the rule is written once.
pub fn verify_rows(
    rows: &[AuditEntry],
    prev: &mut String,
    expected_seq: &mut i64,
) -> Option<(i64, String)> {
    for r in rows {
        if r.seq != *expected_seq {
            return Some((
                *expected_seq,
                format!(
                    "thiếu dòng {} (gặp dòng {}) / row missing",
                    expected_seq, r.seq
                ),
            ));
        }
        if r.prev_hash != *prev {
            return Some((r.seq, "liên kết tới dòng trước bị sai / broken link".into()));
        }
        if audit_hash(r) != r.hash {
            return Some((r.seq, "nội dung đã bị sửa / content altered".into()));
        }
        prev.clone_from(&r.hash);
        *expected_seq += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(seq: i64, prev: &str) -> AuditEntry {
        let mut e = AuditEntry {
            seq,
            at: DateTime::parse_from_rfc3339("2026-01-02T03:04:05.123456789Z")
                .expect("time")
                .with_timezone(&Utc),
            actor: "a@b".into(),
            action: "draft.update".into(),
            entity_type: "procedure_version".into(),
            entity_id: "1.000080/2".into(),
            before: None,
            after: Some("{\"rev\":2}".into()),
            prev_hash: prev.into(),
            hash: String::new(),
        };
        e.hash = audit_hash(&e);
        e
    }

    #[test]
    fn a_chain_verifies_and_an_edited_row_is_found() {
        let a = entry(1, GENESIS_HASH);
        let b = entry(2, &a.hash);
        let (mut prev, mut seq) = (GENESIS_HASH.to_string(), 1);
        assert_eq!(
            verify_rows(&[a.clone(), b.clone()], &mut prev, &mut seq),
            None
        );
        let mut bad = b;
        bad.actor = "x@y".into();
        let (mut prev, mut seq) = (GENESIS_HASH.to_string(), 1);
        assert_eq!(
            verify_rows(&[a, bad], &mut prev, &mut seq).map(|b| b.0),
            Some(2)
        );
    }

    #[test]
    fn the_hash_ignores_sub_microsecond_time() {
        let a = entry(1, GENESIS_HASH);
        let mut b = a.clone();
        b.at = audit_time(b.at);
        assert_eq!(audit_hash(&a), audit_hash(&b));
    }
}
