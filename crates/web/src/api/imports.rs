//! `POST /api/v1/imports`: the CLI importers over HTTP. The body is the file itself; the
//! format and options are query parameters. With `dry_run=true` nothing is written and the
//! summary is a preview of what would change.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use thutuc_domain::access::Action;
use thutuc_import::apply::{ImportOptions, ImportSummary, import_records};
use thutuc_store::Store;
use utoipa::IntoParams;

use crate::auth::Actor;
use crate::error::{WebError, WebResult};
use crate::extract::ApiQuery;
use crate::state::AppState;

/// Import options.
#[derive(Debug, Clone, Deserialize, Serialize, IntoParams)]
pub struct ImportQuery {
    /// portal-page, portal-json, structured, csdl-xlsx, json, csv or xlsx.
    pub format: String,
    /// Organisation that owns every record (default: the caller's organisation; administrators
    /// may omit it to match owners from the data).
    pub org: Option<String>,
    /// Commit the good records and report the rest (default: all or nothing).
    #[serde(default)]
    pub partial: bool,
    /// Preview only.
    #[serde(default)]
    pub dry_run: bool,
    /// Valid-from of new versions (default: today, Vietnam time).
    pub valid_from: Option<chrono::NaiveDate>,
}

/// Imports a file of procedures.
#[utoipa::path(post, path = "/api/v1/imports", tag = "imports", params(ImportQuery), request_body(content = Vec<u8>, description = "The file (JSON Lines, optionally gzipped; CSV; XLSX)"),
    security(("bearer" = [])),
    responses((status = 200, description = "Summary: created, updated, unchanged, rejected with line/column/reason", body = Object),
              (status = 400, description = "Unknown format or unreadable file"), (status = 403, description = "Not allowed")))]
pub async fn import<S: Store>(
    State(st): State<AppState<S>>,
    actor: Actor,
    ApiQuery(q): ApiQuery<ImportQuery>,
    body: Bytes,
) -> WebResult<Json<ImportSummary>> {
    Ok(Json(run_import(&st, &actor, &q, &body).await?))
}

/// One import for the API and the workspace's upload page: checks the caller's right to
/// import for the owner, reads the file with the format's reader, plans against the catalogue
/// (a dry run stops there) and writes; then the search index and page cache follow at once.
pub async fn run_import<S: Store>(
    st: &AppState<S>,
    actor: &Actor,
    q: &ImportQuery,
    body: &[u8],
) -> WebResult<ImportSummary> {
    let owner = match (&q.org, actor.role) {
        (Some(o), _) => Some(o.clone()),
        (None, thutuc_domain::access::Role::Admin) => None,
        (None, _) => Some(actor.org_id.clone()),
    };
    if let Some(o) = owner.as_ref().filter(|o| st.tree().get(o).is_none()) {
        return Err(WebError::bad_request(format!(
            "org «{o}» không tồn tại / unknown organisation"
        )));
    }
    actor.may(
        st,
        Action::Import,
        owner.as_deref().unwrap_or(&actor.org_id),
    )?;
    if body.is_empty() {
        return Err(WebError::bad_request("tệp rỗng / empty file"));
    }
    if !thutuc_import::read::FORMATS.contains(&q.format.as_str()) {
        return Err(WebError::bad_request(format!(
            "định dạng «{}» không được hỗ trợ; dùng một trong: {} / unknown format",
            q.format,
            thutuc_import::read::FORMATS.join(", ")
        )));
    }
    let ext = if body.starts_with(&[0x1f, 0x8b]) {
        "jsonl.gz"
    } else if body.starts_with(b"PK") {
        "xlsx"
    } else if q.format == "csv" {
        "csv"
    } else {
        "jsonl"
    };
    let dir = tempfile::tempdir()
        .map_err(|e| WebError::from(thutuc_store::StoreError::Other(e.to_string())))?;
    let path = dir.path().join(format!("upload.{ext}"));
    std::fs::write(&path, body)
        .map_err(|e| WebError::from(thutuc_store::StoreError::Other(e.to_string())))?;
    let format = q.format.clone();
    let records =
        tokio::task::spawn_blocking(move || thutuc_import::read::read_path(&format, &path))
            .await
            .map_err(|e| WebError::from(thutuc_store::StoreError::Other(e.to_string())))?
            .map_err(|e| WebError::bad_request(e.to_string()))?;
    let today = (chrono::Utc::now() + chrono::Duration::hours(7)).date_naive();
    let opts = ImportOptions {
        partial: q.partial,
        owner,
        valid_from: q.valid_from.unwrap_or(today),
        dry_run: q.dry_run,
        scope: import_scope(st, actor),
    };
    let started = chrono::Utc::now() - chrono::Duration::seconds(1);
    let summary = import_records(&st.store, records, &opts).await?;
    if !summary.rolled_back {
        st.sync_changes(started).await;
        let changed = st.store.changed_since(started).await?;
        for c in changed {
            st.cache.invalidate(c.code.as_str());
        }
    }
    Ok(summary)
}

/// The organisations whose procedures `actor` may write by import: everything for
/// administrators, otherwise the actor's organisation subtree.
pub fn import_scope<S: Store>(st: &AppState<S>, actor: &Actor) -> Option<Vec<String>> {
    (actor.role != thutuc_domain::access::Role::Admin).then(|| st.tree().subtree(&actor.org_id))
}
