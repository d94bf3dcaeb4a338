//! In-app notifications (thông báo) of the workspace: those addressed to the signed-in user and
//! to their organisation — new comments, reminders, escalations — newest first; opening one marks
//! it read for this user only.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect};
use serde::Deserialize;
use thutuc_store::Store;

use crate::pages::context::{Base, Ctx};
use crate::pages::error::{PageError, PageResult, html};
use crate::pages::fmt;
use crate::session::Viewer;
use crate::state::AppState;

/// A notification as shown.
pub struct Row {
    /// Id.
    pub id: i64,
    /// Title.
    pub title: String,
    /// Text.
    pub body: String,
    /// `dd/mm/yyyy hh:mm`.
    pub at: String,
    /// Read by this user.
    pub read: bool,
}

#[derive(Template)]
#[template(path = "notifications.html")]
struct NotificationsPage {
    b: Base,
    rows: Vec<Row>,
    unread_only: bool,
}

/// Query of the list.
#[derive(Debug, Deserialize)]
pub struct ListQuery {
    /// `1` for unread only.
    pub chua_doc: Option<u8>,
}

fn orgs_of(v: &Viewer) -> Vec<String> {
    vec![v.actor.org_id.clone()]
}

/// Unread count for the workspace home, as shown ("" when none, "99+" beyond 99).
pub async fn unread<S: Store>(st: &AppState<S>, v: &Viewer) -> String {
    let n = st
        .store
        .notifications_for(v.actor.user_id, &orgs_of(v), true, 100)
        .await
        .map(|n| n.len())
        .unwrap_or(0);
    match n {
        0 => String::new(),
        1..=99 => n.to_string(),
        _ => "99+".to_string(),
    }
}

/// `GET /can-bo/thong-bao`.
pub async fn list<S: Store>(
    State(st): State<AppState<S>>,
    ctx: Ctx,
    Query(q): Query<ListQuery>,
) -> PageResult {
    let v = ctx.viewer()?;
    let unread_only = q.chua_doc == Some(1);
    let items = st
        .store
        .notifications_for(v.actor.user_id, &orgs_of(v), unread_only, 200)
        .await?;
    let page = NotificationsPage {
        b: ctx.base(ctx.lang.t("notif.title"), "workspace"),
        rows: items
            .into_iter()
            .map(|n| Row {
                id: n.id,
                title: n.title,
                body: n.body,
                at: fmt::datetime(n.created_at),
                read: n.read,
            })
            .collect(),
        unread_only,
    };
    html(&page)
}

/// `POST /can-bo/thong-bao/{id}`: marks it read and opens its link.
pub async fn open<S: Store>(
    State(st): State<AppState<S>>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> PageResult {
    let v = ctx.viewer()?;
    let mine = st
        .store
        .notifications_for(v.actor.user_id, &orgs_of(v), false, 1_000)
        .await?
        .into_iter()
        .find(|n| n.id == id)
        .ok_or_else(|| PageError::not_found(format!("thông báo #{id}")))?;
    st.store.mark_notification_read(id, v.actor.user_id).await?;
    // Only workspace paths are followed (never an external address).
    let to = if mine.link.starts_with('/') && !mine.link.starts_with("//") {
        mine.link
    } else {
        "/can-bo/thong-bao".to_string()
    };
    Ok(Redirect::to(&to).into_response())
}
