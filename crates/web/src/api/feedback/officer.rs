//! Officer and Working Group endpoints of `/api/v1/feedback` (bearer token). An officer sees
//! and acts only on items whose current agency lies in their organisation subtree; leaders
//! approve and publish answers; the Working Group (oversight) reads everything.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::{Extension, Json};
use chrono::{Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use thutuc_domain::access::{Action, Role};
use thutuc_domain::feedback::{Classification, ContentKind, Evaluation, Outcome, Status};
use thutuc_store::Store;
use thutuc_store::feedback::{
    FeedbackAction, FeedbackActor, FeedbackFilter, FeedbackGroupBy, FeedbackItem, FeedbackNote,
    FeedbackStatsRow, vn_date,
};
use utoipa::{IntoParams, ToSchema};

use super::service::FeedbackRuntime;
use super::views::{OfficerFeedback, register_number, timeliness};
use crate::auth::Actor;
use crate::error::{WebError, WebResult};
use crate::extract::{ApiJson, ApiQuery};
use crate::state::AppState;

/// Organisations whose items the actor may list (`None` = all).
pub fn visible_orgs<S: Store>(st: &AppState<S>, actor: &Actor) -> Option<Vec<String>> {
    match actor.role {
        Role::Admin | Role::Oversight => None,
        Role::Officer | Role::Leader => Some(st.tree().subtree(&actor.org_id)),
    }
}

/// Inbox query.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct InboxQuery {
    /// Comma-separated statuses.
    pub status: Option<String>,
    /// Only overdue items.
    pub overdue: Option<bool>,
    /// Procedure code.
    pub procedure: Option<String>,
    /// Received from (YYYY-MM-DD).
    pub from: Option<NaiveDate>,
    /// Received to.
    pub to: Option<NaiveDate>,
    /// Only items assigned to me.
    pub mine: Option<bool>,
    /// Escalation level at least (`agency_leader`, `working_group`).
    pub escalation: Option<String>,
    /// Page size.
    pub limit: Option<i64>,
    /// Offset.
    pub offset: Option<i64>,
}

impl InboxQuery {
    /// The store filter for `actor`.
    pub fn filter<S: Store>(&self, st: &AppState<S>, actor: &Actor) -> WebResult<FeedbackFilter> {
        let mut statuses = Vec::new();
        for s in self
            .status
            .as_deref()
            .unwrap_or("")
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            statuses.push(Status::parse(s).ok_or_else(|| {
                WebError::bad_request(format!(
                    "status: trạng thái «{s}» không tồn tại / unknown status"
                ))
            })?);
        }
        Ok(FeedbackFilter {
            orgs: visible_orgs(st, actor),
            statuses,
            overdue_as_of: self.overdue.unwrap_or(false).then(|| vn_date(Utc::now())),
            procedure_code: self.procedure.clone().filter(|s| !s.is_empty()),
            from: self.from,
            to: self.to,
            assigned_to: self.mine.unwrap_or(false).then_some(actor.user_id),
            escalation: self.escalation.clone().filter(|s| !s.is_empty()),
            published_only: false,
            limit: self.limit.unwrap_or(50),
            offset: self.offset.unwrap_or(0),
        })
    }
}

/// A row of the inbox.
#[derive(Debug, Serialize, ToSchema)]
pub struct InboxRow {
    /// The item.
    #[schema(value_type = Object)]
    pub item: FeedbackItem,
    /// Deadline status today.
    pub timeliness: String,
}

/// An inbox page.
#[derive(Debug, Serialize, ToSchema)]
pub struct InboxPage {
    /// Rows.
    pub items: Vec<InboxRow>,
    /// Total matching.
    pub total: i64,
}

/// The officer's inbox: items routed to their organisation subtree, most urgent first.
#[utoipa::path(get, path = "/api/v1/feedback", tag = "feedback", params(InboxQuery), security(("bearer" = [])),
    responses((status = 200, description = "Inbox", body = InboxPage), (status = 401, description = "No token")))]
pub async fn inbox<S: Store>(
    State(st): State<AppState<S>>,
    actor: Actor,
    ApiQuery(q): ApiQuery<InboxQuery>,
) -> WebResult<Json<InboxPage>> {
    let page = st.store.list_feedback(&q.filter(&st, &actor)?).await?;
    let today = vn_date(Utc::now());
    Ok(Json(InboxPage {
        total: page.total,
        items: page
            .items
            .into_iter()
            .map(|item| InboxRow {
                timeliness: timeliness(&item, today).as_str().into(),
                item,
            })
            .collect(),
    }))
}

/// Loads an item the actor may see.
pub async fn visible_item<S: Store>(
    st: &AppState<S>,
    actor: &Actor,
    id: i64,
    action: Action,
) -> WebResult<FeedbackItem> {
    let it = st.store.feedback(id).await?;
    actor.may(st, action, &it.current_org)?;
    Ok(it)
}

/// The complete item with history, notes and attachments.
pub async fn officer_view<S: Store>(
    st: &AppState<S>,
    it: FeedbackItem,
) -> WebResult<OfficerFeedback> {
    Ok(OfficerFeedback {
        history: st.store.feedback_history(it.id).await?,
        notes: st.store.feedback_notes(it.id).await?,
        attachments: st.store.feedback_attachments(it.id).await?,
        timeliness: timeliness(&it, vn_date(Utc::now())).as_str().into(),
        register_number: register_number(&it),
        item: it,
    })
}

/// One item (officers of the responsible agency, the Working Group).
#[utoipa::path(get, path = "/api/v1/feedback/{id}", tag = "feedback", params(("id" = i64, Path, description = "Item id")), security(("bearer" = [])),
    responses((status = 200, description = "Item", body = OfficerFeedback), (status = 403, description = "Another agency's item")))]
pub async fn item<S: Store>(
    State(st): State<AppState<S>>,
    actor: Actor,
    Path(id): Path<i64>,
) -> WebResult<Json<OfficerFeedback>> {
    let it = visible_item(&st, &actor, id, Action::ReadInternal).await?;
    Ok(Json(officer_view(&st, it).await?))
}

/// An action on an item, checked against `rev`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ActionBody {
    /// Vào sổ.
    Register,
    /// Phân loại.
    Classify {
        /// `not_accepted`, `conduct`, `within_competence`, `outside_competence`.
        #[schema(value_type = String)]
        classification: Classification,
        /// One of the 8 kinds of Art 5.
        #[schema(value_type = String)]
        content_kind: ContentKind,
        /// Field id.
        sector_id: Option<String>,
        /// Reason (required when not accepted).
        reason: Option<String>,
    },
    /// Chuyển.
    Transfer {
        /// Target agency id.
        to_org: String,
        /// Note.
        #[serde(default)]
        note: String,
    },
    /// Giao cán bộ.
    Assign {
        /// Officer id.
        user_id: i64,
    },
    /// Yêu cầu bổ sung.
    RequestInfo,
    /// Đã nhận bổ sung.
    InfoReceived,
    /// Gia hạn.
    Extend {
        /// Working days.
        days: i64,
    },
    /// Đánh giá.
    Evaluate {
        /// Findings per criterion.
        #[schema(value_type = Object)]
        evaluation: Evaluation,
        /// Outcome.
        #[schema(value_type = String)]
        outcome: Outcome,
    },
    /// Soạn trả lời.
    DraftAnswer {
        /// Text.
        text: String,
        /// Publish on approval.
        #[serde(default)]
        is_public: bool,
    },
    /// Duyệt (leader, not the drafter).
    ApproveAnswer,
    /// Công khai.
    Publish,
    /// Đóng.
    Close,
    /// Đánh dấu trùng.
    MarkDuplicate {
        /// Canonical item id.
        of: i64,
    },
}

/// Request body of an action.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ActRequest {
    /// Revision the client saw.
    pub rev: i64,
    /// The action.
    pub action: ActionBody,
}

impl ActionBody {
    /// The store action and the permission it needs.
    pub fn into_action(self) -> (FeedbackAction, Action) {
        use FeedbackAction as F;
        let edit = Action::EditDraft;
        match self {
            Self::Register => (F::Register, edit),
            Self::Classify {
                classification,
                content_kind,
                sector_id,
                reason,
            } => (
                F::Classify {
                    classification,
                    content_kind,
                    sector_id,
                    reason,
                },
                edit,
            ),
            Self::Transfer { to_org, note } => (F::Transfer { to_org, note }, edit),
            Self::Assign { user_id } => (F::Assign { user_id }, edit),
            Self::RequestInfo => (F::RequestInfo, edit),
            Self::InfoReceived => (F::InfoReceived, edit),
            Self::Extend { days } => (F::Extend { days }, Action::Publish),
            Self::Evaluate {
                evaluation,
                outcome,
            } => (
                F::Evaluate {
                    evaluation,
                    outcome,
                },
                edit,
            ),
            Self::DraftAnswer { text, is_public } => (F::DraftAnswer { text, is_public }, edit),
            Self::ApproveAnswer => (F::ApproveAnswer, Action::Publish),
            Self::Publish => (F::Publish, Action::Publish),
            Self::Close => (F::Close, edit),
            Self::MarkDuplicate { of } => (F::MarkDuplicate { of }, edit),
        }
    }
}

/// Applies an action in one transaction (409 when `rev` is stale).
#[utoipa::path(post, path = "/api/v1/feedback/{id}/actions", tag = "feedback", request_body = ActRequest, params(("id" = i64, Path, description = "Item id")), security(("bearer" = [])),
    responses((status = 200, description = "Updated", body = OfficerFeedback), (status = 403, description = "Not allowed"), (status = 409, description = "Stale rev"), (status = 422, description = "Not allowed in this status or invalid")))]
pub async fn act<S: Store>(
    State(st): State<AppState<S>>,
    Extension(rt): Extension<Arc<FeedbackRuntime>>,
    actor: Actor,
    Path(id): Path<i64>,
    ApiJson(req): ApiJson<ActRequest>,
) -> WebResult<Json<OfficerFeedback>> {
    let (action, needs) = req.action.into_action();
    let it = apply_action(&st, &rt, &actor, id, req.rev, action, needs).await?;
    Ok(Json(officer_view(&st, it).await?))
}

/// Checks permission and the transfer target, then applies the action.
pub async fn apply_action<S: Store>(
    st: &AppState<S>,
    rt: &FeedbackRuntime,
    actor: &Actor,
    id: i64,
    rev: i64,
    action: FeedbackAction,
    needs: Action,
) -> WebResult<FeedbackItem> {
    let _ = visible_item(st, actor, id, needs).await?;
    if let FeedbackAction::Transfer { to_org, .. } = &action
        && st.tree().get(to_org).is_none()
    {
        return Err(WebError::from(thutuc_store::StoreError::invalid(
            "to_org",
            format!("cơ quan «{to_org}» không tồn tại / unknown agency"),
        )));
    }
    let cal = st.calendar.get();
    let who = FeedbackActor {
        user_id: Some(actor.user_id),
        label: actor.email.clone(),
    };
    Ok(st
        .store
        .act_on_feedback(id, rev, &who, &action, Utc::now(), rt.clock(&cal))
        .await?)
}

/// A note body.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NoteBody {
    /// Text.
    pub body: String,
}

/// Adds an internal note.
#[utoipa::path(post, path = "/api/v1/feedback/{id}/notes", tag = "feedback", request_body = NoteBody, params(("id" = i64, Path, description = "Item id")), security(("bearer" = [])),
    responses((status = 200, description = "Note", body = Object)))]
pub async fn note<S: Store>(
    State(st): State<AppState<S>>,
    actor: Actor,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<NoteBody>,
) -> WebResult<Json<FeedbackNote>> {
    let _ = visible_item(&st, &actor, id, Action::EditDraft).await?;
    Ok(Json(
        st.store
            .add_feedback_note(id, &actor.email, &b.body)
            .await?,
    ))
}

/// A routing suggestion.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoutingSuggestion {
    /// Agency id.
    pub org_id: String,
    /// Agency name.
    pub name: String,
    /// Why.
    pub reason: String,
}

/// Routing suggestions for an item.
pub async fn suggestions<S: Store>(
    st: &AppState<S>,
    it: &FeedbackItem,
) -> WebResult<Vec<RoutingSuggestion>> {
    let mut out: Vec<RoutingSuggestion> = Vec::new();
    let name = |id: &str| super::agency_name(st, id);
    if let Some(code) = it
        .procedure_code
        .as_deref()
        .and_then(|c| thutuc_domain::TthcCode::parse(c).ok())
        && let Ok(p) = st.store.get_procedure(&code).await
        && p.owner_org != it.current_org
    {
        out.push(RoutingSuggestion {
            name: name(&p.owner_org),
            org_id: p.owner_org,
            reason: format!("cơ quan công bố thủ tục {code} / agency of the procedure"),
        });
    }
    for (org, n) in st
        .store
        .feedback_routing_history(it.procedure_code.as_deref(), it.sector_id.as_deref())
        .await?
    {
        if org != it.current_org && !out.iter().any(|s| s.org_id == org) {
            out.push(RoutingSuggestion {
                name: name(&org),
                reason: format!("đã chuyển {n} phản ánh tương tự / {n} similar items routed here"),
                org_id: org,
            });
        }
    }
    Ok(out)
}

/// Where to transfer: the procedure's agency, then agencies past items went to.
#[utoipa::path(get, path = "/api/v1/feedback/{id}/routing", tag = "feedback", params(("id" = i64, Path, description = "Item id")), security(("bearer" = [])),
    responses((status = 200, description = "Suggestions", body = Vec<RoutingSuggestion>)))]
pub async fn routing<S: Store>(
    State(st): State<AppState<S>>,
    actor: Actor,
    Path(id): Path<i64>,
) -> WebResult<Json<Vec<RoutingSuggestion>>> {
    let it = visible_item(&st, &actor, id, Action::ReadInternal).await?;
    Ok(Json(suggestions(&st, &it).await?))
}

/// Statistics query.
#[derive(Debug, Deserialize, IntoParams)]
pub struct StatsQuery {
    /// From (default: 1 January this year).
    pub from: Option<NaiveDate>,
    /// To (default: today).
    pub to: Option<NaiveDate>,
    /// `agency`, `sector`, `procedure` or `month`.
    #[param(value_type = Option<String>)]
    pub group: Option<FeedbackGroupBy>,
}

/// Statistics with the Decision 766 feedback indicators.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatsView {
    /// Rows.
    #[schema(value_type = Vec<Object>)]
    pub rows: Vec<FeedbackStatsRow>,
    /// Indicators over all rows.
    #[schema(value_type = Object)]
    pub indicators: thutuc_domain::feedback::FeedbackIndicators,
}

/// Received, accepted, transferred, on time / late, pending / overdue, satisfaction.
#[utoipa::path(get, path = "/api/v1/feedback/stats", tag = "feedback", params(StatsQuery), security(("bearer" = [])),
    responses((status = 200, description = "Statistics", body = StatsView)))]
pub async fn stats<S: Store>(
    State(st): State<AppState<S>>,
    actor: Actor,
    ApiQuery(q): ApiQuery<StatsQuery>,
) -> WebResult<Json<StatsView>> {
    let today = vn_date(Utc::now());
    let from = q
        .from
        .unwrap_or_else(|| NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today));
    let to = q.to.unwrap_or(today);
    let orgs = visible_orgs(&st, &actor);
    let rows = st
        .store
        .feedback_stats(
            from,
            to,
            today,
            orgs.as_deref(),
            q.group.unwrap_or(FeedbackGroupBy::Agency),
        )
        .await?;
    Ok(Json(StatsView {
        indicators: indicators(&rows),
        rows,
    }))
}

/// The 766 indicators over statistics rows.
pub fn indicators(rows: &[FeedbackStatsRow]) -> thutuc_domain::feedback::FeedbackIndicators {
    let sum = |f: fn(&FeedbackStatsRow) -> i64| {
        u64::try_from(rows.iter().map(f).sum::<i64>()).unwrap_or(0)
    };
    let accepted = sum(|r| r.accepted);
    thutuc_domain::feedback::IndicatorCounts {
        handled: accepted,
        answered_on_time: sum(|r| r.answered_on_time),
        pending_within_term: sum(|r| r.pending_within_term),
        first_time: accepted.saturating_sub(sum(|r| r.reopened)),
        dissatisfied_resent_or_overdue: sum(|r| r.dissatisfied)
            + sum(|r| r.reopened)
            + sum(|r| r.overdue),
    }
    .indicators()
}

/// Escalated items of one agency.
#[derive(Debug, Serialize, ToSchema)]
pub struct EscalatedGroup {
    /// Agency id.
    pub org_id: String,
    /// Agency name.
    pub name: String,
    /// Items.
    #[schema(value_type = Vec<Object>)]
    pub items: Vec<FeedbackItem>,
}

/// Items escalated to the Working Group, by agency (oversight and admins only).
#[utoipa::path(get, path = "/api/v1/feedback/escalated", tag = "feedback", security(("bearer" = [])),
    responses((status = 200, description = "By agency", body = Vec<EscalatedGroup>), (status = 403, description = "Not the Working Group")))]
pub async fn escalated<S: Store>(
    State(st): State<AppState<S>>,
    actor: Actor,
) -> WebResult<Json<Vec<EscalatedGroup>>> {
    Ok(Json(escalated_groups(&st, &actor).await?))
}

/// Escalated items grouped by agency.
pub async fn escalated_groups<S: Store>(
    st: &AppState<S>,
    actor: &Actor,
) -> WebResult<Vec<EscalatedGroup>> {
    if !matches!(actor.role, Role::Oversight | Role::Admin) {
        return Err(WebError::forbidden(
            "chỉ Tổ công tác xem danh sách này / Working Group only",
        ));
    }
    let page = st
        .store
        .list_feedback(&FeedbackFilter {
            escalation: Some("working_group".into()),
            limit: 500,
            ..FeedbackFilter::default()
        })
        .await?;
    let mut groups: Vec<EscalatedGroup> = Vec::new();
    for it in page.items {
        match groups.iter_mut().find(|g| g.org_id == it.current_org) {
            Some(g) => g.items.push(it),
            None => groups.push(EscalatedGroup {
                name: super::agency_name(st, &it.current_org),
                org_id: it.current_org.clone(),
                items: vec![it],
            }),
        }
    }
    groups.sort_by(|a, b| {
        b.items
            .len()
            .cmp(&a.items.len())
            .then(a.org_id.cmp(&b.org_id))
    });
    Ok(groups)
}
