//! Review comments on a draft (ý kiến góp ý): shown on the draft and approval pages, added by
//! anyone who may read the draft (its organisation's officers and leaders, the Working Group).
//! The draft's author is notified in the workspace; every comment is in the audit log.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect};
use serde::Deserialize;
use thutuc_domain::TthcCode;
use thutuc_domain::access::Action;
use thutuc_store::Store;
use thutuc_store::outbox::NewNotification;
use thutuc_store::review::NewComment;

use crate::pages::audit::{audited, entry};
use crate::pages::context::Ctx;
use crate::pages::drafts::{entity, load};
use crate::pages::error::PageResult;
use crate::pages::fmt;
use crate::state::AppState;

/// A comment as displayed.
pub struct CommentRow {
    /// Author's e-mail.
    pub author: String,
    /// `dd/mm/yyyy hh:mm`.
    pub at: String,
    /// Text (escaped by the template).
    pub body: String,
}

/// The comments of a version, for a page (empty when they cannot be read).
pub async fn rows<S: Store>(st: &AppState<S>, code: &TthcCode, seq: i64) -> Vec<CommentRow> {
    match st.store.comments(code, seq).await {
        Ok(list) => list
            .into_iter()
            .map(|c| CommentRow {
                author: c.author,
                at: fmt::datetime(c.created_at),
                body: c.body,
            })
            .collect(),
        Err(e) => {
            tracing::warn!(error = %e, "comments unreadable");
            Vec::new()
        }
    }
}

/// The comment form.
#[derive(Debug, Deserialize)]
pub struct CommentForm {
    /// Text.
    pub body: String,
}

/// `POST /can-bo/thu-tuc/{code}/du-thao/{seq}/y-kien`.
pub async fn add<S: Store>(
    State(st): State<AppState<S>>,
    ctx: Ctx,
    Path((code, seq)): Path<(String, i64)>,
    axum::Form(f): axum::Form<CommentForm>,
) -> PageResult {
    let v = load(&st, &ctx, &code, seq).await?;
    let viewer = ctx.viewer()?;
    let cap = viewer.actor.may(&st, Action::ReadInternal, &v.owner_org)?;
    let e = entry(
        &cap.actor.email,
        "draft.comment",
        ("procedure_version", &entity(&v.code, v.seq)),
        None,
        Some(serde_json::json!({"author": cap.actor.email, "body": f.body})),
    );
    let comment = NewComment {
        code: v.code.clone(),
        seq: v.seq,
        author: cap.actor.email.clone(),
        body: f.body,
    };
    let c = audited(&st.store, e, st.store.add_comment(&comment)).await?;
    // Tell the draft's author, unless they wrote the comment themselves.
    if let Ok(author) = st.store.version_author(&v.code, v.seq).await
        && author != cap.actor.email
        && let Ok(u) = st.store.user_by_email(&author).await
    {
        let link = format!("/can-bo/thu-tuc/{}/du-thao/{}#y-kien", v.code, v.seq);
        let n = NewNotification {
            dedupe_key: format!("comment:{}", c.id),
            user_id: Some(u.id),
            org_id: None,
            title: format!("Ý kiến mới về dự thảo {} / new comment", v.code),
            body: format!(
                "{}: {}",
                cap.actor.email,
                c.body.chars().take(200).collect::<String>()
            ),
            link,
        };
        if let Err(e) = st.store.notify(&[n]).await {
            tracing::warn!(error = %e, "comment notification failed");
        }
    }
    Ok(Redirect::to(&format!(
        "/can-bo/thu-tuc/{}/du-thao/{}?tb=yk#y-kien",
        v.code, v.seq
    ))
    .into_response())
}
