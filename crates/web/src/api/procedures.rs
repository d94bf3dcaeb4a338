//! Procedure endpoints: list, current version (served from memory with an ETag), versions,
//! diff, completeness, localisations, and draft editing.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use thutuc_domain::access::Action;
use thutuc_domain::procedure::ProcedureKind;
use thutuc_domain::version::VersionStatus;
use thutuc_domain::{TthcCode, completeness, diff};
use thutuc_store::{
    NewDraft, ProcedureFilter, ProcedureStatusFilter, ProcedureSummary, Store, StoreError,
};

use crate::auth::Actor;
use crate::error::{WebError, WebResult};
use crate::extract::{ApiJson, ApiQuery};
use crate::state::{AppState, CachedVersion};
use crate::views::*;

/// Parses the list query into a store filter (shared with the portal pages).
pub fn filter_from_query<S: Store>(
    st: &AppState<S>,
    q: &ProcedureListQuery,
) -> WebResult<ProcedureFilter> {
    let kind = match q.kind.as_deref() {
        None | Some("") => None,
        Some(k) => Some(ProcedureKind::parse(k).ok_or_else(|| {
            WebError::bad_request(format!("type «{k}» phải là external hoặc internal"))
        })?),
    };
    let status = match q.status.as_deref() {
        None | Some("") => None,
        Some("in_force") => Some(ProcedureStatusFilter::InForce),
        Some("abolished") => Some(ProcedureStatusFilter::Abolished),
        Some("has_draft") => Some(ProcedureStatusFilter::HasDraft),
        Some(s) => {
            return Err(WebError::bad_request(format!(
                "status «{s}» phải là in_force, abolished hoặc has_draft"
            )));
        }
    };
    let level = match q.level.as_deref() {
        None | Some("") => None,
        Some(l) => Some(
            thutuc_domain::procedure::Level::parse(l)
                .ok_or_else(|| WebError::bad_request(format!("level «{l}» không hợp lệ")))?
                .as_str()
                .to_string(),
        ),
    };
    let owner_orgs = match q.agency.as_deref() {
        None | Some("") => None,
        Some(a) => {
            let tree = st.tree();
            if tree.get(a).is_none() {
                return Err(WebError::bad_request(format!(
                    "agency «{a}» không tồn tại / unknown organisation"
                )));
            }
            Some(tree.subtree(a))
        }
    };
    if q.q.as_ref().is_some_and(|s| s.chars().count() > 500) {
        return Err(WebError::bad_request(
            "q quá dài (tối đa 500 ký tự) / query too long",
        ));
    }
    Ok(ProcedureFilter {
        q: q.q.clone(),
        level,
        sector: q.field.clone().filter(|s| !s.is_empty()),
        owner_orgs,
        kind,
        status,
        limit: q.limit.unwrap_or(20),
        offset: q.offset.unwrap_or(0),
    })
}

/// Builds a search request from the list query (the store filter already validated it).
pub fn search_request(f: &ProcedureFilter) -> thutuc_search::SearchRequest {
    use thutuc_search::{DocStatus, Filters};
    let filters = Filters {
        levels: f
            .level
            .as_deref()
            .and_then(thutuc_domain::procedure::Level::parse)
            .into_iter()
            .collect(),
        sectors: f.sector.clone().into_iter().collect(),
        owner_orgs: f.owner_orgs.clone().unwrap_or_default(),
        kinds: f.kind.into_iter().collect(),
        statuses: match f.status {
            Some(ProcedureStatusFilter::InForce) => vec![DocStatus::InForce],
            Some(ProcedureStatusFilter::Abolished) => vec![DocStatus::Abolished],
            _ => vec![],
        },
        ..Default::default()
    };
    thutuc_search::SearchRequest {
        q: f.q.clone().unwrap_or_default(),
        filters,
        limit: f.limit.clamp(1, 100) as usize,
        offset: f.offset.max(0) as usize,
    }
}

/// Runs a search on the search threads ([`crate::search_pool`]: one per core, first come first
/// served, so a search never stalls the async workers).
pub async fn run_search<T: Send + 'static>(
    index: std::sync::Arc<thutuc_search::SearchIndex>,
    f: impl FnOnce(&thutuc_search::SearchIndex) -> Result<T, thutuc_search::SearchError>
    + Send
    + 'static,
) -> Result<T, thutuc_search::SearchError> {
    crate::search_pool::run(move || f(&index))
        .await
        .unwrap_or_else(|| Err(thutuc_search::SearchError::Io("search task failed".into())))
}

/// The search answer, serialised straight from the response (keys in the order the former
/// `json!` map produced).
#[derive(serde::Serialize)]
struct SearchPage<'a> {
    facets: &'a thutuc_search::Facets,
    items: &'a [thutuc_search::Hit],
    limit: usize,
    offset: usize,
    relaxed: bool,
    total: u64,
}

/// Lists procedures. With `q`, results come from the search index: ranked, with highlights
/// (`<mark>`, HTML-escaped) and facet counts; without `q`, in catalogue order from the database.
#[utoipa::path(get, path = "/api/v1/procedures", tag = "procedures", params(ProcedureListQuery),
    responses((status = 200, description = "A page of procedures (with `facets` and `highlights` when q is given)", body = Object), (status = 400, description = "Bad filter")))]
pub async fn list<S: Store>(
    State(st): State<AppState<S>>,
    ApiQuery(q): ApiQuery<ProcedureListQuery>,
) -> WebResult<axum::response::Response> {
    let f = filter_from_query(&st, &q)?;
    let has_text = f.q.as_deref().is_some_and(|t| !t.trim().is_empty());
    if has_text && f.status != Some(ProcedureStatusFilter::HasDraft) {
        let req = search_request(&f);
        let (limit, offset) = (req.limit, req.offset);
        let resp = run_search(st.search.clone(), move |s| s.search(&req))
            .await
            .map_err(|e| WebError::from(StoreError::Other(e.to_string())))?;
        return Ok(Json(SearchPage {
            facets: &resp.facets,
            items: &resp.hits,
            limit,
            offset,
            relaxed: resp.relaxed,
            total: resp.total,
        })
        .into_response());
    }
    let page: PageView<ProcedureSummary> = st.store.list_procedures(&f).await?.into();
    Ok(Json(page).into_response())
}

/// Type-ahead: up to 10 procedures whose name or code starts like the text.
#[utoipa::path(get, path = "/api/v1/suggest", tag = "procedures", params(TextQuery),
    responses((status = 200, description = "Suggestions [{code, name}]", body = Object)))]
pub async fn suggest<S: Store>(
    State(st): State<AppState<S>>,
    ApiQuery(q): ApiQuery<TextQuery>,
) -> WebResult<Json<Vec<thutuc_search::Suggestion>>> {
    let text = q.q.unwrap_or_default();
    let limit = q.limit.unwrap_or(10).clamp(1, 10) as usize;
    let found = run_search(st.search.clone(), move |s| s.suggest(&text, limit))
        .await
        .map_err(|e| WebError::from(StoreError::Other(e.to_string())))?;
    Ok(Json(found))
}

async fn load_current<S: Store>(
    st: &AppState<S>,
    code: &TthcCode,
) -> WebResult<std::sync::Arc<CachedVersion>> {
    if let Some(c) = st.cache.get(code.as_str()) {
        return Ok(c);
    }
    let p = st.store.get_procedure(code).await?;
    let v = st.store.current_version(code).await?;
    let owner_name = st
        .tree()
        .get(&p.owner_org)
        .map(|o| o.name.clone())
        .unwrap_or_default();
    let view = ProcedureView {
        code: code.to_string(),
        kind: p.kind.as_str().into(),
        owner_org: p.owner_org,
        owner_name,
        abolished: p.abolished,
        completeness: completeness::check(&v.content),
        version: v,
    };
    let body =
        serde_json::to_vec(&view).map_err(|e| WebError::from(StoreError::Other(e.to_string())))?;
    let etag = format!("\"{}-{}-{}\"", code, view.version.seq, view.version.rev);
    Ok(st.cache.put(
        code.as_str(),
        CachedVersion {
            seq: view.version.seq,
            etag,
            body: body.into(),
        },
    ))
}

/// The current public version of a procedure.
#[utoipa::path(get, path = "/api/v1/procedures/{code}", tag = "procedures", params(("code" = String, Path, description = "Mã TTHC, e.g. 1.000080")),
    responses((status = 200, description = "Procedure with its current version", body = ProcedureView), (status = 304, description = "Not modified (ETag)"),
              (status = 400, description = "Malformed code"), (status = 404, description = "Unknown code")))]
pub async fn get<S: Store>(
    State(st): State<AppState<S>>,
    Path(code): Path<String>,
    headers: HeaderMap,
) -> WebResult<Response> {
    let code = TthcCode::parse(&code)?;
    let wants_ld = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("application/ld+json"));
    if wants_ld {
        return crate::api::export::procedure_jsonld(&st, &code).await;
    }
    let cached = load_current(&st, &code).await?;
    let etag =
        HeaderValue::from_str(&cached.etag).map_err(|e| WebError::bad_request(e.to_string()))?;
    if headers
        .get(header::IF_NONE_MATCH)
        .is_some_and(|v| v.as_bytes() == cached.etag.as_bytes())
    {
        return Ok((StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response());
    }
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (header::ETAG, etag),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
            (header::VARY, HeaderValue::from_static("accept")),
        ],
        cached.body.clone(),
    )
        .into_response())
}

/// Version history.
#[utoipa::path(get, path = "/api/v1/procedures/{code}/versions", tag = "procedures", params(("code" = String, Path, description = "Mã TTHC")),
    responses((status = 200, description = "Versions, oldest first", body = Object), (status = 404, description = "Unknown code")))]
pub async fn versions<S: Store>(
    State(st): State<AppState<S>>,
    Path(code): Path<String>,
) -> WebResult<Json<Vec<thutuc_store::VersionSummary>>> {
    let code = TthcCode::parse(&code)?;
    let mut vs = st.store.versions(&code).await?;
    vs.retain(|v| v.status.is_public());
    if vs.is_empty() {
        return Err(WebError::not_found(format!(
            "thủ tục {code} chưa có phiên bản được công bố"
        )));
    }
    Ok(Json(vs))
}

/// One version. Drafts are visible only to users who may read them.
#[utoipa::path(get, path = "/api/v1/procedures/{code}/versions/{seq}", tag = "procedures",
    params(("code" = String, Path, description = "Mã TTHC"), ("seq" = i64, Path, description = "Version number")),
    responses((status = 200, description = "The version", body = VersionView), (status = 404, description = "Unknown")))]
pub async fn version<S: Store>(
    State(st): State<AppState<S>>,
    Path((code, seq)): Path<(String, i64)>,
    actor: Option<Actor>,
) -> WebResult<Json<VersionView>> {
    let code = TthcCode::parse(&code)?;
    let v = st.store.version(&code, seq).await?;
    if v.status.is_open_draft() {
        let Some(actor) = actor else {
            return Err(WebError::not_found(format!(
                "phiên bản {seq} của thủ tục {code}"
            )));
        };
        actor.may(&st, Action::ReadInternal, &v.owner_org)?;
    }
    Ok(Json(VersionView {
        status_label: v.status.label_vi().into(),
        version: v,
    }))
}

/// Field-level diff between two public versions, in Vietnamese.
#[utoipa::path(get, path = "/api/v1/procedures/{code}/diff", tag = "procedures", params(("code" = String, Path, description = "Mã TTHC"), DiffQuery),
    responses((status = 200, description = "Changes", body = DiffView), (status = 400, description = "Bad versions")))]
pub async fn diff_versions<S: Store>(
    State(st): State<AppState<S>>,
    Path(code): Path<String>,
    ApiQuery(q): ApiQuery<DiffQuery>,
) -> WebResult<Json<DiffView>> {
    let code = TthcCode::parse(&code)?;
    let to = match q.to {
        Some(t) => t,
        None => st.store.current_version(&code).await?.seq,
    };
    let from = q.from.unwrap_or(to - 1);
    if from < 1 || from == to {
        return Err(WebError::bad_request(format!(
            "cần hai phiên bản khác nhau (from={from}, to={to})"
        )));
    }
    let (a, b) = (
        st.store.version(&code, from).await?,
        st.store.version(&code, to).await?,
    );
    if !a.status.is_public() || !b.status.is_public() {
        return Err(WebError::not_found(
            "chỉ so sánh các phiên bản đã công bố / only published versions",
        ));
    }
    let changes = diff::diff(&a.content, &b.content);
    Ok(Json(DiffView {
        code: code.to_string(),
        from,
        to,
        changed_components: diff::changed_components(&changes),
        changes,
    }))
}

/// Completeness report of a version (default: current).
#[utoipa::path(get, path = "/api/v1/procedures/{code}/completeness", tag = "procedures", params(("code" = String, Path, description = "Mã TTHC"), SeqQuery),
    responses((status = 200, description = "Findings", body = Object)))]
pub async fn completeness_report<S: Store>(
    State(st): State<AppState<S>>,
    Path(code): Path<String>,
    ApiQuery(q): ApiQuery<SeqQuery>,
) -> WebResult<Json<completeness::CompletenessReport>> {
    let code = TthcCode::parse(&code)?;
    let v = match q.seq {
        Some(s) => st.store.version(&code, s).await?,
        None => st.store.current_version(&code).await?,
    };
    if v.status.is_open_draft() {
        return Err(WebError::not_found("phiên bản chưa công bố / unpublished"));
    }
    Ok(Json(completeness::check(&v.content)))
}

/// Localisations by provinces.
#[utoipa::path(get, path = "/api/v1/procedures/{code}/localisations", tag = "procedures", params(("code" = String, Path, description = "Mã TTHC")),
    responses((status = 200, description = "Localisations", body = Object)))]
pub async fn localisations<S: Store>(
    State(st): State<AppState<S>>,
    Path(code): Path<String>,
) -> WebResult<Json<Vec<thutuc_store::Localisation>>> {
    let code = TthcCode::parse(&code)?;
    Ok(Json(st.store.localisations(&code).await?))
}

/// Opens a draft (new procedure or new version of an existing one).
#[utoipa::path(post, path = "/api/v1/procedures/{code}/drafts", tag = "drafts", request_body = CreateDraftRequest, params(("code" = String, Path, description = "Mã TTHC")),
    security(("bearer" = [])),
    responses((status = 201, description = "Draft created", body = VersionView), (status = 401, description = "No token"), (status = 403, description = "Outside your organisation"),
              (status = 422, description = "A draft is already open / abolished")))]
pub async fn create_draft<S: Store>(
    State(st): State<AppState<S>>,
    actor: Actor,
    Path(code): Path<String>,
    ApiJson(req): ApiJson<CreateDraftRequest>,
) -> WebResult<(StatusCode, Json<VersionView>)> {
    let code = TthcCode::parse(&code)?;
    let kind = match req.kind.as_deref() {
        None => ProcedureKind::External,
        Some(k) => ProcedureKind::parse(k)
            .ok_or_else(|| WebError::bad_request(format!("kind «{k}» không hợp lệ")))?,
    };
    let owner = match st.store.get_procedure(&code).await {
        Ok(p) => p.owner_org,
        Err(StoreError::NotFound(_)) => req
            .owner_org
            .clone()
            .unwrap_or_else(|| actor.org_id.clone()),
        Err(e) => return Err(e.into()),
    };
    if st.tree().get(&owner).is_none() {
        return Err(WebError::bad_request(format!(
            "owner_org «{owner}» không tồn tại / unknown organisation"
        )));
    }
    if req.content.name.trim().is_empty() {
        return Err(WebError::bad_request(
            "content.name: tên thủ tục không được để trống / name is required",
        ));
    }
    let cap = actor.may(&st, Action::EditDraft, &owner)?;
    let v = st
        .store
        .create_draft(NewDraft {
            code,
            kind,
            owner_org: cap.org.clone(),
            content: req.content,
            created_by: cap.actor.email.clone(),
        })
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(VersionView {
            status_label: v.status.label_vi().into(),
            version: v,
        }),
    ))
}

/// Edits a draft; a stale `rev` gets 409 with the current state.
#[utoipa::path(put, path = "/api/v1/procedures/{code}/versions/{seq}", tag = "drafts", request_body = UpdateDraftRequest,
    params(("code" = String, Path, description = "Mã TTHC"), ("seq" = i64, Path, description = "Draft version")), security(("bearer" = [])),
    responses((status = 200, description = "Saved", body = VersionView), (status = 409, description = "Edited by someone else; body.current holds the current state")))]
pub async fn update_draft<S: Store>(
    State(st): State<AppState<S>>,
    actor: Actor,
    Path((code, seq)): Path<(String, i64)>,
    ApiJson(req): ApiJson<UpdateDraftRequest>,
) -> WebResult<Json<VersionView>> {
    let code = TthcCode::parse(&code)?;
    let p = st.store.get_procedure(&code).await?;
    let cap = actor.may(&st, Action::EditDraft, &p.owner_org)?;
    let _ = cap;
    let v = st
        .store
        .update_draft(&code, seq, req.rev, req.content)
        .await?;
    Ok(Json(VersionView {
        status_label: v.status.label_vi().into(),
        version: v,
    }))
}

/// Submits a draft for review or returns it to draft.
#[utoipa::path(post, path = "/api/v1/procedures/{code}/versions/{seq}/status", tag = "drafts", request_body = DraftStatusRequest,
    params(("code" = String, Path, description = "Mã TTHC"), ("seq" = i64, Path, description = "Draft version")), security(("bearer" = [])),
    responses((status = 200, description = "Status changed", body = VersionView)))]
pub async fn draft_status<S: Store>(
    State(st): State<AppState<S>>,
    actor: Actor,
    Path((code, seq)): Path<(String, i64)>,
    ApiJson(req): ApiJson<DraftStatusRequest>,
) -> WebResult<Json<VersionView>> {
    let code = TthcCode::parse(&code)?;
    let status = VersionStatus::parse(&req.status)
        .filter(|s| s.is_open_draft())
        .ok_or_else(|| WebError::bad_request("status phải là draft hoặc in_review"))?;
    let p = st.store.get_procedure(&code).await?;
    actor.may(&st, Action::SubmitDraft, &p.owner_org)?;
    let v = st
        .store
        .set_draft_status(&code, seq, req.rev, status)
        .await?;
    Ok(Json(VersionView {
        status_label: v.status.label_vi().into(),
        version: v,
    }))
}

/// Creates or edits a province's localisation of a central procedure (rev 0 to create).
#[utoipa::path(put, path = "/api/v1/procedures/{code}/localisations/{org}", tag = "procedures", request_body = LocalisationRequest,
    params(("code" = String, Path, description = "Mã TTHC"), ("org" = String, Path, description = "Localising organisation, e.g. P01")), security(("bearer" = [])),
    responses((status = 200, description = "Saved", body = Object), (status = 409, description = "Stale revision"), (status = 403, description = "Not your organisation")))]
pub async fn put_localisation<S: Store>(
    State(st): State<AppState<S>>,
    actor: Actor,
    Path((code, org)): Path<(String, String)>,
    crate::extract::ApiJson(req): crate::extract::ApiJson<LocalisationRequest>,
) -> WebResult<Json<thutuc_store::Localisation>> {
    let code = TthcCode::parse(&code)?;
    if st.tree().get(&org).is_none() {
        return Err(WebError::bad_request(format!(
            "tổ chức «{org}» không tồn tại / unknown organisation"
        )));
    }
    if let Some(lc) = &req.local_code {
        match thutuc_domain::ProcedureRef::parse(lc)? {
            thutuc_domain::ProcedureRef::Local { code: c, .. } if c == code => {}
            _ => {
                return Err(WebError::bad_request(format!(
                    "local_code «{lc}» phải có dạng {code}.<mã đơn vị>"
                )));
            }
        }
    }
    let cap = actor.may(&st, Action::EditDraft, &org)?;
    let current = st.store.current_version(&code).await?;
    let loc = thutuc_store::Localisation {
        code,
        org_id: cap.org.clone(),
        local_code: req.local_code,
        overrides: req.overrides,
        central_seq: current.seq,
        drifted: false,
        rev: req.rev,
    };
    Ok(Json(st.store.upsert_localisation(&loc).await?))
}
