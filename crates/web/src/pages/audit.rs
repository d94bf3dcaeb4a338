//! The audit trail of the workspace: [`record`] appends one hash-chained entry for every change
//! made through the web; [`verify`] checks the chain (for `thutuc audit verify`); and the audit
//! log page lets administrators and the Working Group browse it.

use askama::Template;
use axum::extract::{Query, State};
use serde::Deserialize;
use serde_json::Value;
use thutuc_domain::access::{Action, Role};
use thutuc_store::{AuditFilter, AuditVerification, NewAuditEntry, Store, StoreResult};

use crate::pages::context::{Base, Ctx};
use crate::pages::error::{PageResult, html};
use crate::pages::fmt;
use crate::state::AppState;

/// An audit entry.
pub fn entry(
    actor: &str,
    action: &str,
    entity: (&str, &str),
    before: Option<Value>,
    after: Option<Value>,
) -> NewAuditEntry {
    NewAuditEntry {
        actor: actor.into(),
        action: action.into(),
        entity_type: entity.0.into(),
        entity_id: entity.1.into(),
        before,
        after,
    }
}

/// Appends an audit entry. A failure is logged and returned: callers treat it as an error
/// only after their change is stored, so the user sees the change and the alert in the logs.
/// Prefer [`audited`], which stores the entry in the change's own transaction.
pub async fn record<S: Store>(
    store: &S,
    actor: &str,
    action: &str,
    entity: (&str, &str),
    before: Option<Value>,
    after: Option<Value>,
) -> StoreResult<()> {
    append(store, &entry(actor, action, entity, before, after)).await
}

async fn append<S: Store>(store: &S, e: &NewAuditEntry) -> StoreResult<()> {
    let r = store.append_audit(e).await;
    if let Err(err) = &r {
        tracing::error!(error = %err, action = %e.action, "audit append failed");
    }
    r.map(|_| ())
}

/// Runs a store write with its audit entry: writes that support it store the entry in their
/// own transaction, so the change and its entry are stored together or not at all (see
/// `thutuc_store::audit_scope`); after a write that does not, the entry is appended right
/// after the change, as [`record`] does. `after` in the entry is the change as requested.
pub async fn audited<S: Store, T>(
    store: &S,
    e: NewAuditEntry,
    write: impl std::future::Future<Output = StoreResult<T>>,
) -> StoreResult<T> {
    let (out, left) = thutuc_store::audit_scope::audited(e, write).await;
    if let (Ok(_), Some(e)) = (&out, left) {
        append(store, &e).await?;
    }
    out
}

/// JSON of a value for the audit log (never fails: falls back to null).
pub fn json<T: serde::Serialize>(v: &T) -> Option<Value> {
    serde_json::to_value(v).ok()
}

/// Verifies the whole chain: for the CLI (`thutuc audit verify`) and the audit page.
pub async fn verify<S: Store>(store: &S) -> StoreResult<AuditVerification> {
    store.verify_audit().await
}

/// A one-line Vietnamese/English report of a verification, and whether it passed.
pub fn verify_report(v: &AuditVerification) -> (bool, String) {
    match &v.broken {
        None => (
            true,
            format!(
                "Nhật ký toàn vẹn / audit log intact: {} dòng, đầu chuỗi {}",
                v.rows, v.head
            ),
        ),
        Some((row, why)) => (
            false,
            format!(
                "Nhật ký bị sửa đổi / audit log TAMPERED at row {row}: {why} ({} dòng hợp lệ trước đó)",
                v.rows
            ),
        ),
    }
}

/// A displayed entry.
#[derive(Debug, Clone)]
pub struct Row {
    /// Sequence.
    pub seq: i64,
    /// When.
    pub at: String,
    /// Who.
    pub actor: String,
    /// What.
    pub action: String,
    /// Record.
    pub entity: String,
    /// Before (pretty JSON).
    pub before: String,
    /// After (pretty JSON).
    pub after: String,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    b: Base,
    intact: bool,
    report: String,
    rows: Vec<Row>,
    filter: String,
    total: i64,
    page: i64,
    pages: i64,
    prev_href: Option<String>,
    next_href: Option<String>,
}

/// Query of the audit page.
#[derive(Debug, Deserialize)]
pub struct AuditQuery {
    /// Record key prefix.
    pub ma: Option<String>,
    /// 1-based page.
    pub trang: Option<i64>,
}

fn pretty(s: &Option<String>) -> String {
    s.as_deref()
        .and_then(|t| serde_json::from_str::<Value>(t).ok())
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_default()
}

/// `GET /quan-tri/nhat-ky`: administrators and the Working Group.
pub async fn page<S: Store>(
    State(st): State<AppState<S>>,
    ctx: Ctx,
    Query(q): Query<AuditQuery>,
) -> PageResult {
    let viewer = ctx.viewer()?;
    if viewer.actor.role != Role::Oversight {
        viewer
            .actor
            .may(&st, Action::Administer, &viewer.actor.org_id)?;
    }
    const PAGE: i64 = 50;
    let page = q.trang.unwrap_or(1).clamp(1, 100_000);
    let filter = q.ma.clone().unwrap_or_default();
    let found = st
        .store
        .audit_entries(&AuditFilter {
            entity_prefix: Some(filter.clone()).filter(|f| !f.is_empty()),
            limit: PAGE,
            offset: (page - 1) * PAGE,
            ..Default::default()
        })
        .await?;
    let (intact, report) = verify_report(&verify(&st.store).await?);
    let pages = ((found.total + PAGE - 1) / PAGE).max(1);
    let href = |p: i64| format!("/quan-tri/nhat-ky?ma={}&trang={p}", fmt::q_enc(&filter));
    let t = AuditPage {
        b: ctx.base(ctx.lang.t("audit.title"), "workspace"),
        intact,
        report,
        rows: found
            .items
            .iter()
            .map(|e| Row {
                seq: e.seq,
                at: fmt::datetime(e.at),
                actor: e.actor.clone(),
                action: e.action.clone(),
                entity: format!("{} {}", e.entity_type, e.entity_id),
                before: pretty(&e.before),
                after: pretty(&e.after),
            })
            .collect(),
        total: found.total,
        prev_href: (page > 1).then(|| href(page - 1)),
        next_href: (page < pages).then(|| href(page + 1)),
        page,
        pages,
        filter,
    };
    html(&t)
}
