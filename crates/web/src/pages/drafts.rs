//! Editing a draft version of a procedure: open a draft from the version in force, edit its
//! structured fields with optimistic concurrency (a stale revision re-renders the form with the
//! user's input and the other person's changes), preview the diff, submit it for approval.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use serde::Deserialize;
use thutuc_domain::TthcCode;
use thutuc_domain::access::Action;
use thutuc_domain::procedure::ProcedureContent;
use thutuc_domain::version::{ProcedureVersion, VersionStatus};
use thutuc_store::{NewDraft, Store, StoreError};

use crate::pages::audit::{audited, entry, json};
use crate::pages::context::{Base, Ctx};
use crate::pages::draft_form::{ChannelRow, DocRow, DraftForm, LegalRow, StepRow, new_key};
use crate::pages::draft_rows::row_html;
use crate::pages::error::{PageError, PageResult, html};
use crate::pages::fmt;
use crate::pages::record::{ChangeRow, changes};
use crate::state::AppState;

fn parse_code(code: &str) -> Result<TthcCode, PageError> {
    TthcCode::parse(code).map_err(|e| PageError::not_found(e.to_string()))
}

/// The audit key of a version.
pub fn entity(code: &TthcCode, seq: i64) -> String {
    format!("{code}/{seq}")
}

/// `POST /can-bo/thu-tuc/{code}/du-thao`: opens a draft copying the version in force.
pub async fn open<S: Store>(
    State(st): State<AppState<S>>,
    ctx: Ctx,
    Path(code): Path<String>,
) -> PageResult {
    let v = ctx.viewer()?;
    let code = parse_code(&code)?;
    let p = st.store.get_procedure(&code).await?;
    let cap = v.actor.may(&st, Action::EditDraft, &p.owner_org)?;
    let cur = st.store.current_version(&code).await?;
    let req = NewDraft {
        code: code.clone(),
        kind: p.kind,
        owner_org: cap.org.clone(),
        content: cur.content,
        created_by: cap.actor.email.clone(),
    };
    // The new version's number is only known inside the write: the entry names the
    // procedure and its current version.
    let e = entry(
        &cap.actor.email,
        "draft.create",
        ("procedure_version", &entity(&code, cur.seq)),
        None,
        json(&req),
    );
    let draft = audited(&st.store, e, st.store.create_draft(req)).await?;
    Ok(Redirect::to(&format!("/can-bo/thu-tuc/{code}/du-thao/{}", draft.seq)).into_response())
}

#[derive(Template)]
#[template(path = "draft.html")]
struct DraftPage {
    b: Base,
    code: String,
    seq: i64,
    status: &'static str,
    in_review: bool,
    editable: bool,
    may_submit: bool,
    may_approve: bool,
    author: String,
    form: DraftForm,
    preview: Vec<ChangeRow>,
    errors: Vec<String>,
    conflict: Vec<ChangeRow>,
    conflicted: bool,
    saved: bool,
    notice: Option<&'static str>,
    step_html: Vec<String>,
    channel_html: Vec<String>,
    doc_html: Vec<String>,
    legal_html: Vec<String>,
    comments: Vec<crate::pages::comments::CommentRow>,
    may_comment: bool,
}

struct Shown {
    errors: Vec<String>,
    conflict: Option<Vec<ChangeRow>>,
    saved: bool,
    notice: Option<&'static str>,
}

async fn render<S: Store>(
    st: &AppState<S>,
    ctx: &Ctx,
    v: &ProcedureVersion,
    form: DraftForm,
    shown: Shown,
    status: StatusCode,
) -> PageResult {
    let viewer = ctx.viewer()?;
    let in_force = st.store.current_version(&v.code).await.ok();
    let proposed = form
        .to_content(&v.content)
        .unwrap_or_else(|_| v.content.clone());
    let preview = match &in_force {
        Some(cur) if cur.status.is_public() => changes(&cur.content, &proposed),
        _ => vec![],
    };
    let lang = ctx.lang;
    let rows = |kind: &str, n: usize| -> Result<Vec<String>, askama::Error> {
        (0..n).map(|i| row_html(lang, &form, kind, i)).collect()
    };
    let editable = v.status == VersionStatus::Draft
        && viewer
            .actor
            .may(st, Action::EditDraft, &v.owner_org)
            .is_ok();
    let page = DraftPage {
        b: ctx.base(
            format!("{} {} — {}", lang.t("draft.title"), v.code, v.content.name),
            "workspace",
        ),
        code: v.code.to_string(),
        seq: v.seq,
        status: lang.t(fmt::status_key(v.status)),
        in_review: v.status == VersionStatus::InReview,
        editable,
        may_submit: viewer
            .actor
            .may(st, Action::SubmitDraft, &v.owner_org)
            .is_ok(),
        may_approve: viewer.actor.may(st, Action::Publish, &v.owner_org).is_ok(),
        author: st
            .store
            .version_author(&v.code, v.seq)
            .await
            .unwrap_or_default(),
        comments: crate::pages::comments::rows(st, &v.code, v.seq).await,
        may_comment: viewer
            .actor
            .may(st, Action::ReadInternal, &v.owner_org)
            .is_ok(),
        step_html: rows("step", form.steps.len())?,
        channel_html: rows("channel", form.channels.len())?,
        doc_html: rows("doc", form.docs.len())?,
        legal_html: rows("legal", form.legal.len())?,
        form,
        preview,
        errors: shown.errors,
        conflicted: shown.conflict.is_some(),
        conflict: shown.conflict.unwrap_or_default(),
        saved: shown.saved,
        notice: shown.notice,
    };
    let mut r = html(&page)?;
    *r.status_mut() = status;
    Ok(r)
}

pub(crate) async fn load<S: Store>(
    st: &AppState<S>,
    ctx: &Ctx,
    code: &str,
    seq: i64,
) -> Result<ProcedureVersion, PageError> {
    let viewer = ctx.viewer()?;
    let code = parse_code(code)?;
    let v = st.store.version(&code, seq).await?;
    if !v.status.is_open_draft() {
        return Err(PageError::not_found(format!(
            "dự thảo {seq} của thủ tục {code}"
        )));
    }
    viewer.actor.may(st, Action::ReadInternal, &v.owner_org)?;
    Ok(v)
}

/// Query of the editor page.
#[derive(Debug, Deserialize)]
pub struct EditQuery {
    /// A message to show: `luu` (saved), `gui` (submitted), `tra` (returned), `mo` (opened).
    pub tb: Option<String>,
}

/// `GET /can-bo/thu-tuc/{code}/du-thao/{seq}`.
pub async fn edit_form<S: Store>(
    State(st): State<AppState<S>>,
    ctx: Ctx,
    Path((code, seq)): Path<(String, i64)>,
    Query(q): Query<EditQuery>,
) -> PageResult {
    let v = load(&st, &ctx, &code, seq).await?;
    let form = DraftForm::from_content(&v.content, v.rev);
    let notice = match q.tb.as_deref() {
        Some("gui") => Some("draft.submitted"),
        Some("tra") => Some("draft.returned"),
        Some("yk") => Some("draft.commented"),
        _ => None,
    };
    let shown = Shown {
        errors: vec![],
        conflict: None,
        saved: q.tb.as_deref() == Some("luu"),
        notice,
    };
    render(&st, &ctx, &v, form, shown, StatusCode::OK).await
}

/// `POST /can-bo/thu-tuc/{code}/du-thao/{seq}`: save, or add a row without saving (no-JS).
pub async fn save<S: Store>(
    State(st): State<AppState<S>>,
    ctx: Ctx,
    Path((code, seq)): Path<(String, i64)>,
    body: Bytes,
) -> PageResult {
    let v = load(&st, &ctx, &code, seq).await?;
    let viewer = ctx.viewer()?;
    let mut form = DraftForm::parse(&body);
    let ok = |errors| Shown {
        errors,
        conflict: None,
        saved: false,
        notice: None,
    };
    match form.op.as_str() {
        "add-step" => form.steps.push(StepRow {
            key: new_key(),
            ..Default::default()
        }),
        "add-channel" => form.channels.push(ChannelRow {
            key: new_key(),
            method: "direct".into(),
            time_unit: "working_day".into(),
            ..Default::default()
        }),
        "add-doc" => form.docs.push(DocRow {
            key: new_key(),
            required: true,
            originals: "1".into(),
            copies: "0".into(),
            ..Default::default()
        }),
        "add-legal" => form.legal.push(LegalRow {
            key: new_key(),
            ..Default::default()
        }),
        _ => {
            let cap = viewer.actor.may(&st, Action::EditDraft, &v.owner_org)?;
            if v.status != VersionStatus::Draft {
                return render(
                    &st,
                    &ctx,
                    &v,
                    form,
                    ok(vec![ctx.lang.t("draft.locked").to_string()]),
                    StatusCode::CONFLICT,
                )
                .await;
            }
            let content = match form.to_content(&v.content) {
                Ok(c) => c,
                Err(errors) => {
                    return render(
                        &st,
                        &ctx,
                        &v,
                        form,
                        ok(errors),
                        StatusCode::UNPROCESSABLE_ENTITY,
                    )
                    .await;
                }
            };
            let e = entry(
                &cap.actor.email,
                "draft.update",
                ("procedure_version", &entity(&v.code, v.seq)),
                json(&v),
                json(&content),
            );
            let write = st.store.update_draft(&v.code, v.seq, form.rev, content);
            return match audited(&st.store, e, write).await {
                Ok(_) => Ok(Redirect::to(&format!(
                    "/can-bo/thu-tuc/{}/du-thao/{}?tb=luu",
                    v.code, v.seq
                ))
                .into_response()),
                Err(StoreError::Conflict { .. }) => {
                    let now = st.store.version(&v.code, v.seq).await?;
                    let base: ProcedureContent =
                        serde_json::from_str(&form.base).unwrap_or_else(|_| now.content.clone());
                    let theirs = changes(&base, &now.content);
                    form.rev = now.rev;
                    form.base = serde_json::to_string(&now.content).unwrap_or_default();
                    let shown = Shown {
                        errors: vec![],
                        conflict: Some(theirs),
                        saved: false,
                        notice: None,
                    };
                    render(&st, &ctx, &now, form, shown, StatusCode::CONFLICT).await
                }
                Err(StoreError::Rule(m)) | Err(StoreError::Invalid { message: m, .. }) => {
                    render(
                        &st,
                        &ctx,
                        &v,
                        form,
                        ok(vec![m]),
                        StatusCode::UNPROCESSABLE_ENTITY,
                    )
                    .await
                }
                Err(e) => Err(e.into()),
            };
        }
    }
    render(&st, &ctx, &v, form, ok(vec![]), StatusCode::OK).await
}

/// The status form.
#[derive(Debug, Deserialize)]
pub struct StatusForm {
    /// Revision seen.
    pub rev: i64,
    /// `in_review` or `draft`.
    pub to: String,
}

/// `POST /can-bo/thu-tuc/{code}/du-thao/{seq}/trang-thai`: submit for approval or return.
pub async fn set_status<S: Store>(
    State(st): State<AppState<S>>,
    ctx: Ctx,
    Path((code, seq)): Path<(String, i64)>,
    axum::Form(f): axum::Form<StatusForm>,
) -> PageResult {
    let v = load(&st, &ctx, &code, seq).await?;
    let viewer = ctx.viewer()?;
    let to = VersionStatus::parse(&f.to)
        .filter(|s| s.is_open_draft())
        .ok_or_else(|| PageError::bad_request("trạng thái không hợp lệ"))?;
    let cap = viewer.actor.may(&st, Action::SubmitDraft, &v.owner_org)?;
    let action = if to == VersionStatus::InReview {
        "draft.submit"
    } else {
        "draft.return"
    };
    let e = entry(
        &cap.actor.email,
        action,
        ("procedure_version", &entity(&v.code, v.seq)),
        Some(serde_json::json!({"status": v.status, "rev": v.rev})),
        Some(serde_json::json!({"status": to, "rev": v.rev + 1})),
    );
    let write = st.store.set_draft_status(&v.code, v.seq, f.rev, to);
    audited(&st.store, e, write).await?;
    let tb = if to == VersionStatus::InReview {
        "gui"
    } else {
        "tra"
    };
    Ok(Redirect::to(&format!(
        "/can-bo/thu-tuc/{}/du-thao/{}?tb={tb}",
        v.code, v.seq
    ))
    .into_response())
}
