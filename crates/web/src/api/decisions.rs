//! Publication decisions: list, read (with the late-publication check), create, edit, apply.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use thutuc_domain::access::Action;
use thutuc_domain::decision::{PublicationDecision, Timeliness};
use thutuc_store::{
    ApplyReport, ApplyRequest, DecisionFilter, DecisionRecord, DecisionSummary, Store,
};

use crate::auth::Actor;
use crate::error::{WebError, WebResult};
use crate::extract::{ApiJson, ApiQuery};
use crate::state::AppState;
use crate::views::*;

/// Lateness of a decision with the configured rules and calendar.
pub fn timeliness_of<S: Store>(st: &AppState<S>, d: &PublicationDecision) -> Timeliness {
    let wd = st.working_days.clone();
    d.timeliness(&st.rules, &move |date, n| wd(date, n))
}

fn view<S: Store>(st: &AppState<S>, r: DecisionRecord) -> DecisionView {
    let timeliness = r
        .timeliness
        .clone()
        .unwrap_or_else(|| timeliness_of(st, &r.decision));
    DecisionView {
        status: r.status.as_str().into(),
        rev: r.rev,
        applied_on: r.applied_on,
        timeliness,
        decision: r.decision,
    }
}

/// Lists decisions, newest first.
#[utoipa::path(get, path = "/api/v1/decisions", tag = "decisions", params(DecisionListQuery), responses((status = 200, description = "A page of decisions", body = Object)))]
pub async fn list<S: Store>(
    State(st): State<AppState<S>>,
    ApiQuery(q): ApiQuery<DecisionListQuery>,
) -> WebResult<Json<PageView<DecisionSummary>>> {
    let issuer_orgs = match q.issuer.as_deref() {
        None | Some("") => None,
        Some(i) => {
            let tree = st.tree();
            if tree.get(i).is_none() {
                return Err(WebError::bad_request(format!("issuer «{i}» không tồn tại")));
            }
            Some(tree.subtree(i))
        }
    };
    let f = DecisionFilter {
        issuer_orgs,
        from: q.from,
        to: q.to,
        code: q.code,
        limit: q.limit.unwrap_or(20),
        offset: q.offset.unwrap_or(0),
    };
    Ok(Json(st.store.list_decisions(&f).await?.into()))
}

/// One decision with its entries and lateness.
#[utoipa::path(get, path = "/api/v1/decisions/{number}", tag = "decisions", params(("number" = String, Path, description = "Số quyết định, URL-encoded (163%2FQĐ-BTP)")),
    responses((status = 200, description = "Decision", body = DecisionView), (status = 404, description = "Unknown")))]
pub async fn get<S: Store>(
    State(st): State<AppState<S>>,
    Path(number): Path<String>,
) -> WebResult<Json<DecisionView>> {
    let r = st.store.get_decision(&number).await?;
    Ok(Json(view(&st, r)))
}

/// Creates a draft decision.
#[utoipa::path(post, path = "/api/v1/decisions", tag = "decisions", request_body = Object, security(("bearer" = [])),
    responses((status = 201, description = "Created", body = DecisionView), (status = 409, description = "Number exists"), (status = 422, description = "Invalid")))]
pub async fn create<S: Store>(
    State(st): State<AppState<S>>,
    actor: Actor,
    ApiJson(mut d): ApiJson<PublicationDecision>,
) -> WebResult<(StatusCode, Json<DecisionView>)> {
    d.number = thutuc_domain::text::clean_inline(&d.number);
    if st.tree().get(&d.issuer_org).is_none() {
        return Err(WebError::bad_request(format!(
            "issuer_org «{}» không tồn tại / unknown organisation",
            d.issuer_org
        )));
    }
    let cap = actor.may(&st, Action::EditDecision, &d.issuer_org)?;
    let r = st.store.create_decision(&d, &cap.actor.email).await?;
    Ok((StatusCode::CREATED, Json(view(&st, r))))
}

/// Edits a draft decision.
#[utoipa::path(put, path = "/api/v1/decisions/{number}", tag = "decisions", request_body = UpdateDecisionRequest, params(("number" = String, Path, description = "Số quyết định")),
    security(("bearer" = [])), responses((status = 200, description = "Saved", body = DecisionView), (status = 409, description = "Stale revision")))]
pub async fn update<S: Store>(
    State(st): State<AppState<S>>,
    actor: Actor,
    Path(number): Path<String>,
    ApiJson(req): ApiJson<UpdateDecisionRequest>,
) -> WebResult<Json<DecisionView>> {
    let cur = st.store.get_decision(&number).await?;
    actor.may(&st, Action::EditDecision, &cur.decision.issuer_org)?;
    actor.may(&st, Action::EditDecision, &req.decision.issuer_org)?;
    let r = st
        .store
        .update_decision(&number, req.rev, &req.decision)
        .await?;
    Ok(Json(view(&st, r)))
}

/// Applies a decision (all entries or none); `dry_run` previews.
#[utoipa::path(post, path = "/api/v1/decisions/{number}/apply", tag = "decisions", request_body = ApplyDecisionRequest, params(("number" = String, Path, description = "Số quyết định")),
    security(("bearer" = [])),
    responses((status = 200, description = "Applied: versions created or closed", body = Object), (status = 409, description = "Stale revision"), (status = 422, description = "An entry cannot apply; nothing was written")))]
pub async fn apply<S: Store>(
    State(st): State<AppState<S>>,
    actor: Actor,
    Path(number): Path<String>,
    ApiJson(req): ApiJson<ApplyDecisionRequest>,
) -> WebResult<Json<ApplyReport>> {
    let cur = st.store.get_decision(&number).await?;
    actor.may(&st, Action::Publish, &cur.decision.issuer_org)?;
    let timeliness = timeliness_of(&st, &cur.decision);
    let today = chrono::Utc::now()
        .with_timezone(
            &chrono::FixedOffset::east_opt(7 * 3600)
                .unwrap_or(chrono::FixedOffset::east_opt(0).expect("utc")),
        )
        .date_naive();
    let started = chrono::Utc::now() - chrono::Duration::seconds(1);
    let report = st
        .store
        .apply_decision(&ApplyRequest {
            number,
            expected_rev: req.rev,
            applied_on: today,
            timeliness: Some(timeliness),
            dry_run: req.dry_run,
        })
        .await?;
    if !req.dry_run {
        st.sync_changes(started).await;
        for e in &report.entries {
            st.cache.invalidate(e.code.as_str());
        }
        for e in &cur.decision.entries {
            if let Some(r) = &e.replaces {
                st.cache.invalidate(r.as_str());
            }
        }
    }
    Ok(Json(report))
}
