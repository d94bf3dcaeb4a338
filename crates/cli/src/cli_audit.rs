//! The audit trail of command-line changes: each is recorded as `cli:` and the operating-system
//! user running it, through the same pending-entry mechanism as the web
//! (`thutuc_store::audit_scope`).

use thutuc_store::{NewAuditEntry, Store};

/// Who a command-line change is recorded as.
pub fn actor() -> String {
    let who = std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .unwrap_or_else(|_| "unknown".into());
    format!("cli:{who}")
}

/// An entry by [`actor`] (built as the web builds its entries).
pub fn entry(action: &str, entity: (&str, &str), after: serde_json::Value) -> NewAuditEntry {
    thutuc_web::pages::audit::entry(&actor(), action, entity, None, Some(after))
}

/// Runs `write` with its audit entry: stored in the write's own transaction where the store
/// supports it, otherwise appended right after the write succeeded.
pub async fn audited<S: Store, T>(
    s: &S,
    e: NewAuditEntry,
    write: impl std::future::Future<Output = anyhow::Result<T>>,
) -> anyhow::Result<T> {
    let (out, left) = thutuc_store::audit_scope::audited(e, write).await;
    let out = out?;
    if let Some(e) = left {
        s.append_audit(&e).await?;
    }
    Ok(out)
}
