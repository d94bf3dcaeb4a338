//! Organisations (tree and lookup), fields and legal documents.

use axum::Json;
use axum::extract::{Path, State};
use thutuc_domain::legal::LegalDocument;
use thutuc_domain::org::{OrgKind, Sector};
use thutuc_store::Store;

use crate::error::{WebError, WebResult};
use crate::extract::ApiQuery;
use crate::state::{AppState, OrgTree};
use crate::views::*;

fn org_view(tree: &OrgTree, o: &thutuc_domain::org::Organisation) -> OrganisationView {
    let mut path = Vec::new();
    let mut cur = o.parent.clone();
    while let Some(p) = cur {
        if path.len() > 16 {
            break;
        }
        cur = tree.get(&p).and_then(|x| x.parent.clone());
        path.insert(0, p);
    }
    OrganisationView {
        kind_label: o.kind.label_vi().into(),
        children: tree.children(&o.id).len(),
        path,
        org: o.clone(),
    }
}

/// Lists organisations: children of `parent` (default: roots), or a name search across the tree.
#[utoipa::path(get, path = "/api/v1/organisations", tag = "organisations", params(OrgListQuery), responses((status = 200, description = "Organisations", body = Object)))]
pub async fn list<S: Store>(
    State(st): State<AppState<S>>,
    ApiQuery(q): ApiQuery<OrgListQuery>,
) -> WebResult<Json<PageView<OrganisationView>>> {
    let tree = st.tree();
    let kind = match q.kind.as_deref() {
        None | Some("") => None,
        Some(k) => Some(
            OrgKind::parse(k)
                .ok_or_else(|| WebError::bad_request(format!("kind «{k}» không hợp lệ")))?,
        ),
    };
    let today = chrono::Utc::now().date_naive();
    let mut items: Vec<&thutuc_domain::org::Organisation> = match (&q.q, &q.parent) {
        (Some(text), _) if !text.trim().is_empty() => {
            let key = thutuc_domain::text::match_key(text);
            tree.all()
                .filter(|o| {
                    thutuc_domain::text::match_key(&o.name).contains(&key)
                        || o.id.eq_ignore_ascii_case(text.trim())
                })
                .collect()
        }
        (_, Some(p)) => {
            if tree.get(p).is_none() {
                return Err(WebError::not_found(format!("tổ chức {p}")));
            }
            tree.children(p)
                .iter()
                .filter_map(|id| tree.get(id))
                .collect()
        }
        _ => tree.roots(),
    };
    items.retain(|o| kind.is_none_or(|k| o.kind == k) && (q.historic || o.in_force_on(today)));
    items.sort_by_key(|o| thutuc_domain::text::sort_key(&o.name));
    let total = items.len();
    let (limit, offset) = (q.limit.unwrap_or(100).clamp(1, 5000), q.offset.unwrap_or(0));
    let page = items
        .into_iter()
        .skip(offset)
        .take(limit)
        .map(|o| org_view(&tree, o))
        .collect();
    Ok(Json(PageView {
        items: page,
        total: total as i64,
        limit: limit as i64,
        offset: offset as i64,
    }))
}

/// One organisation, with its successors when historic.
#[utoipa::path(get, path = "/api/v1/organisations/{id}", tag = "organisations", params(("id" = String, Path, description = "Organisation id, e.g. BTP, P01")),
    responses((status = 200, description = "Organisation", body = Object), (status = 404, description = "Unknown")))]
pub async fn get<S: Store>(
    State(st): State<AppState<S>>,
    Path(id): Path<String>,
) -> WebResult<Json<serde_json::Value>> {
    let tree = st.tree();
    let o = tree
        .get(&id)
        .ok_or_else(|| WebError::not_found(format!("tổ chức {id}")))?;
    let successors = st.store.successors(&id).await?;
    let mut v = serde_json::to_value(org_view(&tree, o)).unwrap_or_default();
    v["successors"] = serde_json::to_value(successors).unwrap_or_default();
    Ok(Json(v))
}

/// Fields (lĩnh vực).
#[utoipa::path(get, path = "/api/v1/fields", tag = "organisations", responses((status = 200, description = "Fields", body = Object)))]
pub async fn sectors<S: Store>(State(st): State<AppState<S>>) -> WebResult<Json<Vec<Sector>>> {
    Ok(Json(st.store.sectors().await?))
}

/// Legal documents.
#[utoipa::path(get, path = "/api/v1/legal-documents", tag = "legal", params(TextQuery), responses((status = 200, description = "Documents", body = Object)))]
pub async fn legal_list<S: Store>(
    State(st): State<AppState<S>>,
    ApiQuery(q): ApiQuery<TextQuery>,
) -> WebResult<Json<PageView<LegalDocument>>> {
    Ok(Json(
        st.store
            .list_legal_docs(q.q.as_deref(), q.limit.unwrap_or(50), q.offset.unwrap_or(0))
            .await?
            .into(),
    ))
}

/// One legal document by number (URL-encoded: 123%2F2015%2FNĐ-CP).
#[utoipa::path(get, path = "/api/v1/legal-documents/{number}", tag = "legal", params(("number" = String, Path, description = "Số ký hiệu")),
    responses((status = 200, description = "Document", body = Object), (status = 404, description = "Unknown")))]
pub async fn legal_get<S: Store>(
    State(st): State<AppState<S>>,
    Path(number): Path<String>,
) -> WebResult<Json<LegalDocument>> {
    let n = thutuc_domain::codes::normalize_doc_number(&number).unwrap_or(number);
    Ok(Json(st.store.get_legal_doc(&n).await?))
}
