//! Approval by a leader: a draft awaiting approval is published through a publication decision
//! created and applied in one step, with the late-publication check shown before confirming.
//! Separation of duties: a leader may not approve a draft they created or edited, nor apply a
//! decision they prepared.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use chrono::{Duration, NaiveDate};
use serde::Deserialize;
use thutuc_domain::TthcCode;
use thutuc_domain::access::Action;
use thutuc_domain::decision::{DecisionEntry, IssuerKind, PublicationDecision, Timeliness};
use thutuc_domain::org::OrgKind;
use thutuc_domain::version::{ChangeKind, ProcedureVersion, VersionStatus};
use thutuc_store::{ApplyRequest, AuditFilter, Store, StoreError};

use crate::api::decisions::timeliness_of;
use crate::i18n::Lang;
use crate::pages::audit::{audited, entry, json};
use crate::pages::context::{Base, Ctx};
use crate::pages::drafts::entity;
use crate::pages::error::{ErrorInfo, PageError, PageResult, html};
use crate::pages::fmt;
use crate::pages::record::{ChangeRow, changes};
use crate::session::Viewer;
use crate::state::AppState;

/// The approval form.
#[derive(Debug, Clone, Deserialize, Default)]
pub struct ApproveForm {
    /// Decision number.
    #[serde(default)]
    pub number: String,
    /// Title.
    #[serde(default)]
    pub title: String,
    /// Signed on (YYYY-MM-DD).
    #[serde(default)]
    pub signed_on: String,
    /// Effective on.
    #[serde(default)]
    pub effective_on: String,
    /// Regulating document.
    #[serde(default)]
    pub legal_document: String,
    /// `check` or `approve`.
    #[serde(default)]
    pub op: String,
}

#[derive(Template)]
#[template(path = "approve.html")]
struct ApprovePage {
    b: Base,
    code: String,
    seq: i64,
    name: String,
    form: ApproveForm,
    changes: Vec<ChangeRow>,
    timeliness: Option<Timeliness>,
    deadline: String,
    errors: Vec<String>,
    comments: Vec<crate::pages::comments::CommentRow>,
}

/// Refuses a leader who created or edited the draft (separation of duties).
pub async fn check_separation<S: Store>(
    st: &AppState<S>,
    viewer: &Viewer,
    lang: Lang,
    code: &TthcCode,
    seq: i64,
) -> Result<(), PageError> {
    let me = viewer.actor.email.as_str();
    let author = st.store.version_author(code, seq).await?;
    let edited = st
        .store
        .audit_entries(&AuditFilter {
            actor: Some(me.to_string()),
            entity_type: Some("procedure_version".into()),
            entity_prefix: Some(entity(code, seq)),
            limit: 500,
            offset: 0,
        })
        .await?
        .items
        .iter()
        .any(|e| {
            e.entity_id == entity(code, seq)
                && matches!(e.action.as_str(), "draft.create" | "draft.update")
        });
    if author.eq_ignore_ascii_case(me) || edited {
        return Err(PageError::Page(ErrorInfo::new(
            StatusCode::FORBIDDEN,
            "err.403",
            lang.t("approve.own"),
        )));
    }
    Ok(())
}

async fn load<S: Store>(
    st: &AppState<S>,
    ctx: &Ctx,
    code: &str,
    seq: i64,
) -> Result<(ProcedureVersion, TthcCode), PageError> {
    let viewer = ctx.viewer()?;
    let code = TthcCode::parse(code).map_err(|e| PageError::not_found(e.to_string()))?;
    let v = st.store.version(&code, seq).await?;
    if !v.status.is_open_draft() {
        return Err(PageError::not_found(format!(
            "dự thảo {seq} của thủ tục {code}"
        )));
    }
    viewer.actor.may(st, Action::Publish, &v.owner_org)?;
    check_separation(st, viewer, ctx.lang, &code, seq).await?;
    if v.status != VersionStatus::InReview {
        return Err(PageError::Page(ErrorInfo::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "err.422",
            ctx.lang.t("approve.not_ready"),
        )));
    }
    Ok((v, code))
}

fn issuer_kind(kind: Option<OrgKind>) -> IssuerKind {
    match kind {
        Some(OrgKind::Ministry | OrgKind::MinistryLevel | OrgKind::GovernmentAgency) => {
            IssuerKind::Ministry
        }
        Some(OrgKind::Province) => IssuerKind::Province,
        _ => IssuerKind::Other,
    }
}

fn build<S: Store>(
    st: &AppState<S>,
    v: &ProcedureVersion,
    amend: bool,
    f: &ApproveForm,
) -> Result<PublicationDecision, Vec<String>> {
    let mut errors = Vec::new();
    let date = |s: &str, what: &str, errors: &mut Vec<String>| {
        fmt::parse_date(s).unwrap_or_else(|| {
            errors.push(format!(
                "{what}: «{s}» không phải ngày hợp lệ (dd/mm/yyyy)."
            ));
            NaiveDate::MIN
        })
    };
    let signed = date(&f.signed_on, "Ngày ký", &mut errors);
    let effective = date(&f.effective_on, "Ngày có hiệu lực", &mut errors);
    let number = thutuc_domain::text::clean_inline(&f.number);
    if number.is_empty() {
        errors.push("Số quyết định không được để trống.".into());
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let tree = st.tree();
    Ok(PublicationDecision {
        number,
        title: f.title.trim().to_string(),
        signed_on: signed,
        effective_on: effective,
        issuer_org: v.owner_org.clone(),
        issuer_kind: issuer_kind(tree.get(&v.owner_org).map(|o| o.kind)),
        shortened: false,
        applies_central: None,
        entries: vec![DecisionEntry {
            kind: if amend {
                ChangeKind::Amended
            } else {
                ChangeKind::New
            },
            code: v.code.clone(),
            name: v.content.name.clone(),
            legal_document: Some(f.legal_document.trim().to_string()).filter(|s| !s.is_empty()),
            effective_date: None,
            changed_components: vec![],
            internal: false,
            replaces: None,
            content: None,
        }],
    })
}

async fn show<S: Store>(
    st: &AppState<S>,
    ctx: &Ctx,
    v: &ProcedureVersion,
    form: ApproveForm,
    errors: Vec<String>,
    status: StatusCode,
) -> PageResult {
    let current = st
        .store
        .current_version(&v.code)
        .await
        .ok()
        .filter(|c| c.status.is_public());
    let timeliness = build(st, v, current.is_some(), &form)
        .ok()
        .map(|d| timeliness_of(st, &d));
    let page = ApprovePage {
        b: ctx.base(
            format!("{} — {}", ctx.lang.t("approve.title"), v.code),
            "workspace",
        ),
        comments: crate::pages::comments::rows(st, &v.code, v.seq).await,
        code: v.code.to_string(),
        seq: v.seq,
        name: v.content.name.clone(),
        changes: current
            .map(|c| changes(&c.content, &v.content))
            .unwrap_or_default(),
        deadline: timeliness
            .as_ref()
            .map(|t| fmt::date(t.deadline))
            .unwrap_or_default(),
        timeliness,
        form,
        errors,
    };
    let mut r = html(&page)?;
    *r.status_mut() = status;
    Ok(r)
}

/// `GET /can-bo/thu-tuc/{code}/du-thao/{seq}/phe-duyet`.
pub async fn form<S: Store>(
    State(st): State<AppState<S>>,
    ctx: Ctx,
    Path((code, seq)): Path<(String, i64)>,
) -> PageResult {
    let (v, _) = load(&st, &ctx, &code, seq).await?;
    let today = fmt::today_vn();
    let form = ApproveForm {
        title: format!(
            "Quyết định công bố thủ tục hành chính sửa đổi, bổ sung: {}",
            v.content.name
        ),
        signed_on: today.format("%Y-%m-%d").to_string(),
        effective_on: (today + Duration::days(30)).format("%Y-%m-%d").to_string(),
        ..Default::default()
    };
    show(&st, &ctx, &v, form, vec![], StatusCode::OK).await
}

/// `POST …/phe-duyet`: `op=check` recomputes the deadline; `op=approve` creates the decision
/// and applies it (publishing the draft).
pub async fn approve<S: Store>(
    State(st): State<AppState<S>>,
    ctx: Ctx,
    Path((code, seq)): Path<(String, i64)>,
    Form(f): Form<ApproveForm>,
) -> PageResult {
    let (v, code) = load(&st, &ctx, &code, seq).await?;
    let viewer = ctx.viewer()?;
    if f.op != "approve" {
        return show(&st, &ctx, &v, f, vec![], StatusCode::OK).await;
    }
    let amend = st
        .store
        .current_version(&code)
        .await
        .is_ok_and(|c| c.status.is_public());
    let d = match build(&st, &v, amend, &f) {
        Ok(d) => d,
        Err(errors) => {
            return show(&st, &ctx, &v, f, errors, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    let cap = viewer.actor.may(&st, Action::Publish, &d.issuer_org)?;
    let e = entry(
        &cap.actor.email,
        "decision.create",
        ("decision", &d.number),
        None,
        json(&d),
    );
    let rec = match audited(&st.store, e, st.store.create_decision(&d, &cap.actor.email)).await {
        Ok(r) => r,
        Err(
            StoreError::Conflict { message, .. }
            | StoreError::Rule(message)
            | StoreError::Invalid { message, .. },
        ) => {
            return show(
                &st,
                &ctx,
                &v,
                f,
                vec![message],
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
        Err(e) => return Err(e.into()),
    };
    let timeliness = timeliness_of(&st, &d);
    let req = ApplyRequest {
        number: d.number.clone(),
        expected_rev: rec.rev,
        applied_on: fmt::today_vn(),
        timeliness: Some(timeliness),
        dry_run: false,
    };
    let e = entry(
        &cap.actor.email,
        "decision.apply",
        ("decision", &d.number),
        None,
        json(&req),
    );
    let applied = audited(&st.store, e, st.store.apply_decision(&req)).await;
    match applied {
        Ok(_) => {}
        Err(
            StoreError::Rule(message)
            | StoreError::Invalid { message, .. }
            | StoreError::Conflict { message, .. },
        ) => {
            return show(
                &st,
                &ctx,
                &v,
                f,
                vec![message],
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
        Err(e) => return Err(e.into()),
    }
    st.cache.invalidate(code.as_str());
    ctx.caches.invalidate(code.as_str());
    Ok(Redirect::to(&format!("/thu-tuc/{code}")).into_response())
}

/// The form applying a prepared decision.
#[derive(Debug, Deserialize)]
pub struct ApplyForm {
    /// Decision number.
    pub number: String,
    /// Revision seen.
    pub rev: i64,
}

/// `POST /can-bo/ap-dung-quyet-dinh`: a leader applies a decision prepared by someone else.
pub async fn apply_prepared<S: Store>(
    State(st): State<AppState<S>>,
    ctx: Ctx,
    Form(f): Form<ApplyForm>,
) -> PageResult {
    let viewer = ctx.viewer()?;
    let cur = st.store.get_decision(&f.number).await?;
    let cap = viewer
        .actor
        .may(&st, Action::Publish, &cur.decision.issuer_org)?;
    if cur.created_by.eq_ignore_ascii_case(&cap.actor.email) {
        return Err(PageError::Page(ErrorInfo::new(
            StatusCode::FORBIDDEN,
            "err.403",
            ctx.lang.t("approve.own"),
        )));
    }
    let req = ApplyRequest {
        number: f.number.clone(),
        expected_rev: f.rev,
        applied_on: fmt::today_vn(),
        timeliness: Some(timeliness_of(&st, &cur.decision)),
        dry_run: false,
    };
    let e = entry(
        &cap.actor.email,
        "decision.apply",
        ("decision", &f.number),
        json(&cur),
        json(&req),
    );
    let report = audited(&st.store, e, st.store.apply_decision(&req)).await?;
    for e in &report.entries {
        st.cache.invalidate(e.code.as_str());
        ctx.caches.invalidate(e.code.as_str());
    }
    for e in &cur.decision.entries {
        if let Some(r) = &e.replaces {
            st.cache.invalidate(r.as_str());
            ctx.caches.invalidate(r.as_str());
        }
    }
    Ok(Redirect::to(&format!("/quyet-dinh/{}", fmt::path_enc(&f.number))).into_response())
}
