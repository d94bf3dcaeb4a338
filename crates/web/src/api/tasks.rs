//! Directing and urging over HTTP (`/api/v1/tasks`, `/api/v1/directives`,
//! `/api/v1/working-groups`, `/api/v1/tasks/ranking`). Every call needs a signed-in actor;
//! permissions come from `thutuc_domain::tasks::may` with the actor's relation to the task,
//! computed from the organisation tree. Officers and leaders see what their subtree leads,
//! coordinates or assigned; the Working Group and administrators see everything.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use thutuc_domain::access::Role;
use thutuc_domain::calendar::TaskStatus;
use thutuc_domain::tasks::{
    self, DeadlineChange, Directive, Meeting, OrgTally, PeriodicReport, Ranking, Task, TaskAction,
    TaskRelation, WorkingGroup,
};
use thutuc_store::{
    DirectiveRecord, ExtensionRecord, MeetingRecord, Store, TaskChange, TaskEvent, TaskFilter,
    TaskRecord,
};
use utoipa::{IntoParams, ToSchema};

use crate::auth::Actor;
use crate::error::{WebError, WebResult};
use crate::extract::{ApiJson, ApiQuery};
use crate::state::AppState;
use crate::views::PageView;

pub use crate::pages::fmt::today_vn;

/// True for the Working Group and administrators, who see and assign everywhere.
pub fn is_national(actor: &Actor) -> bool {
    matches!(actor.role, Role::Admin | Role::Oversight)
}

/// How `actor` relates to `task` (see [`TaskRelation`]).
pub fn relation<S: Store>(st: &AppState<S>, actor: &Actor, task: &Task) -> TaskRelation {
    TaskRelation {
        lead_in_subtree: st.tree().is_within(&task.lead_org, &actor.org_id),
        is_lead: actor.org_id == task.lead_org,
        is_assigner: actor.org_id == task.assigner_org,
        is_coordinating: task.coordinating_orgs.iter().any(|o| o == &actor.org_id),
    }
}

/// The action a lifecycle step needs.
pub fn action_of(change: &TaskChange) -> TaskAction {
    match change {
        TaskChange::Progress { .. } => TaskAction::ReportProgress,
        TaskChange::Submit { .. } => TaskAction::Submit,
        TaskChange::RequestExtension { .. } => TaskAction::RequestExtension,
        TaskChange::Accept => TaskAction::Accept,
        TaskChange::Return { .. } => TaskAction::Return,
        TaskChange::DecideExtension { .. } | TaskChange::ChangeDeadline { .. } => {
            TaskAction::DecideExtension
        }
        TaskChange::Cancel { .. } => TaskAction::Cancel,
    }
}

/// Checks the task permission matrix; a 403 names the role, organisation and action.
pub fn check<S: Store>(
    st: &AppState<S>,
    actor: &Actor,
    action: TaskAction,
    task: &Task,
) -> WebResult<()> {
    if tasks::may(actor.role, action, relation(st, actor, task)) {
        Ok(())
    } else {
        Err(WebError::forbidden(format!(
            "{} ({}) không được «{action:?}» nhiệm vụ do {} chủ trì, {} giao / {} of {} may not {action:?} this task",
            actor.role.label_vi(),
            actor.org_id,
            task.lead_org,
            task.assigner_org,
            actor.role.as_str(),
            actor.org_id
        )))
    }
}

/// A task with its status on a date.
#[derive(Debug, Serialize, ToSchema)]
pub struct TaskView {
    /// Id.
    pub id: i64,
    /// Revision (send it back with the next step).
    pub rev: i64,
    /// The task.
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub task: Task,
    /// Status on `as_of` (absent for cancelled tasks).
    #[schema(value_type = Option<String>)]
    pub status: Option<TaskStatus>,
    /// Working days late on `as_of`.
    pub delay_working_days: i64,
    /// Evaluation date.
    pub as_of: NaiveDate,
}

/// Builds a [`TaskView`] on a date.
pub fn task_view<S: Store>(st: &AppState<S>, r: TaskRecord, as_of: NaiveDate) -> TaskView {
    let cal = st.calendar.get();
    TaskView {
        id: r.id,
        rev: r.rev,
        status: tasks::status_as_of(&r.task, as_of),
        delay_working_days: tasks::delay_working_days(&r.task, &cal, as_of).unwrap_or(0),
        task: r.task,
        as_of,
    }
}

/// A task with its history.
#[derive(Debug, Serialize, ToSchema)]
pub struct TaskDetailView {
    /// The task.
    #[serde(flatten)]
    pub task: TaskView,
    /// Progress reports, submissions, returns…
    #[schema(value_type = Vec<Object>)]
    pub events: Vec<TaskEvent>,
    /// Every deadline change.
    #[schema(value_type = Vec<Object>)]
    pub deadline_history: Vec<DeadlineChange>,
    /// Extension requests.
    #[schema(value_type = Vec<Object>)]
    pub extensions: Vec<ExtensionRecord>,
    /// Sub-tasks delegated to units.
    pub sub_tasks: Vec<TaskView>,
    /// The sub-tasks' progress rolled up (equal shares; a sub-task reported done or accepted
    /// counts 100 %, cancelled ones are left out); absent without sub-tasks.
    #[schema(value_type = Option<Object>)]
    pub progress_rollup: Option<tasks::ProgressRollup>,
}

/// Task list query.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct TaskListQuery {
    /// Organisation (with its subtree): what it leads, coordinates or assigned.
    pub org: Option<String>,
    /// `done_on_time`, `done_late`, `open_within_term`, `open_overdue`.
    pub status: Option<String>,
    /// Evaluation date (default today).
    pub as_of: Option<NaiveDate>,
    /// Deadline from.
    pub from: Option<NaiveDate>,
    /// Deadline to.
    pub to: Option<NaiveDate>,
    /// Source directive id.
    pub directive: Option<i64>,
    /// Page size (≤ 500).
    pub limit: Option<i64>,
    /// Offset.
    pub offset: Option<i64>,
}

/// Parses a status name.
pub fn parse_status(s: &str) -> WebResult<Option<TaskStatus>> {
    Ok(Some(match s {
        "" => return Ok(None),
        "done_on_time" => TaskStatus::DoneOnTime,
        "done_late" => TaskStatus::DoneLate,
        "open_within_term" => TaskStatus::OpenWithinTerm,
        "open_overdue" => TaskStatus::OpenOverdue,
        other => {
            return Err(WebError::bad_request(format!(
                "status «{other}» không hợp lệ (done_on_time, done_late, open_within_term, open_overdue) / unknown status"
            )));
        }
    }))
}

/// Builds the store filter, restricting officers and leaders to their own subtree.
pub fn filter_for<S: Store>(
    st: &AppState<S>,
    actor: &Actor,
    q: &TaskListQuery,
) -> WebResult<TaskFilter> {
    let org = match q.org.as_deref().filter(|o| !o.is_empty()) {
        Some(o) if st.tree().get(o).is_none() => {
            return Err(WebError::bad_request(format!(
                "org «{o}» không tồn tại / unknown organisation"
            )));
        }
        Some(o) if !is_national(actor) && !st.tree().is_within(o, &actor.org_id) => {
            return Err(WebError::forbidden(format!(
                "{} chỉ xem được nhiệm vụ trong phạm vi của mình / {} may only list its own subtree",
                actor.org_id, actor.org_id
            )));
        }
        Some(o) => Some(o.to_string()),
        None if is_national(actor) => None,
        None => Some(actor.org_id.clone()),
    };
    Ok(TaskFilter {
        subtree: org.is_some(),
        org,
        status: parse_status(q.status.as_deref().unwrap_or(""))?,
        as_of: Some(q.as_of.unwrap_or_else(today_vn)),
        deadline_from: q.from,
        deadline_to: q.to,
        directive_id: q.directive,
        parent_id: None,
        limit: q.limit,
        offset: q.offset,
    })
}

/// Lists tasks (filtered, paginated, ordered by deadline).
#[utoipa::path(get, path = "/api/v1/tasks", tag = "tasks", params(TaskListQuery), security(("bearer" = [])),
    responses((status = 200, description = "A page of tasks", body = Object), (status = 400, description = "Bad filter"), (status = 403, description = "Outside the actor's subtree")))]
pub async fn list<S: Store>(
    State(st): State<AppState<S>>,
    actor: Actor,
    ApiQuery(q): ApiQuery<TaskListQuery>,
) -> WebResult<Json<PageView<TaskView>>> {
    let f = filter_for(&st, &actor, &q)?;
    let as_of = f.as_of.unwrap_or_else(today_vn);
    let page = st.store.list_tasks(&f).await?;
    Ok(Json(PageView {
        items: page
            .items
            .into_iter()
            .map(|r| task_view(&st, r, as_of))
            .collect(),
        total: page.total,
        limit: page.limit,
        offset: page.offset,
    }))
}

/// New tasks, assigned by the actor's organisation.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateTasksRequest {
    /// The tasks (`assigner_org` is set to the actor's organisation).
    #[schema(value_type = Vec<Object>)]
    pub tasks: Vec<Task>,
}

/// Checks and creates tasks for a user (shared with the workspace form).
pub async fn create_for<S: Store>(
    st: &AppState<S>,
    actor: &Actor,
    mut items: Vec<Task>,
) -> WebResult<Vec<TaskRecord>> {
    if items.is_empty() {
        return Err(WebError::bad_request(
            "cần ít nhất một nhiệm vụ / no tasks given",
        ));
    }
    let tree = st.tree();
    for (i, t) in items.iter_mut().enumerate() {
        t.assigner_org = actor.org_id.clone();
        t.state = thutuc_domain::tasks::TaskState::Open;
        t.progress = 0;
        t.submitted_on = None;
        t.completed_on = None;
        t.evidence = None;
        for o in std::iter::once(&t.lead_org).chain(&t.coordinating_orgs) {
            if tree.get(o).is_none() {
                return Err(WebError::bad_request(format!(
                    "tasks[{i}]: tổ chức «{o}» không tồn tại / unknown organisation"
                )));
            }
        }
        check(st, actor, TaskAction::Assign, t).map_err(|e| WebError {
            detail: format!("tasks[{i}]: {}", e.detail),
            ..e
        })?;
        if let Some(pid) = t.parent_id {
            let parent = st.store.get_task(pid).await?;
            if !is_national(actor) && parent.task.lead_org != actor.org_id {
                return Err(WebError::forbidden(format!(
                    "tasks[{i}]: chỉ cơ quan chủ trì nhiệm vụ {pid} mới giao nhiệm vụ con / only the lead of task {pid} delegates sub-tasks"
                )));
            }
        }
    }
    Ok(st.store.create_tasks(&items, &actor.email).await?)
}

/// Assigns tasks (the Working Group anywhere; an organisation within its own subtree).
#[utoipa::path(post, path = "/api/v1/tasks", tag = "tasks", request_body = CreateTasksRequest, security(("bearer" = [])),
    responses((status = 201, description = "Created", body = Vec<TaskView>), (status = 403, description = "Outside the assigner's authority"), (status = 422, description = "Invalid (e.g. deadline before assignment)")))]
pub async fn create<S: Store>(
    State(st): State<AppState<S>>,
    actor: Actor,
    ApiJson(req): ApiJson<CreateTasksRequest>,
) -> WebResult<(StatusCode, Json<Vec<TaskView>>)> {
    let today = today_vn();
    let created = create_for(&st, &actor, req.tasks).await?;
    let views = created
        .into_iter()
        .map(|r| task_view(&st, r, today))
        .collect();
    Ok((StatusCode::CREATED, Json(views)))
}

/// Loads a task the actor may read.
pub async fn readable<S: Store>(st: &AppState<S>, actor: &Actor, id: i64) -> WebResult<TaskRecord> {
    let r = st.store.get_task(id).await?;
    check(st, actor, TaskAction::Read, &r.task)?;
    Ok(r)
}

/// Builds the detail view.
pub async fn detail_of<S: Store>(
    st: &AppState<S>,
    r: TaskRecord,
    as_of: NaiveDate,
) -> WebResult<TaskDetailView> {
    let id = r.id;
    let subs = st
        .store
        .list_tasks(&TaskFilter {
            parent_id: Some(id),
            limit: Some(500),
            ..TaskFilter::default()
        })
        .await?;
    let progress_rollup = tasks::rollup_progress(subs.items.iter().map(|s| &s.task));
    Ok(TaskDetailView {
        progress_rollup,
        events: st.store.task_events(id).await?,
        deadline_history: st.store.deadline_history(id).await?,
        extensions: st.store.extensions(id).await?,
        sub_tasks: subs
            .items
            .into_iter()
            .map(|s| task_view(st, s, as_of))
            .collect(),
        task: task_view(st, r, as_of),
    })
}

/// One task with its history, deadline changes, extensions and sub-tasks.
#[utoipa::path(get, path = "/api/v1/tasks/{id}", tag = "tasks", params(("id" = i64, Path, description = "Task id")), security(("bearer" = [])),
    responses((status = 200, description = "Task", body = TaskDetailView), (status = 403, description = "Not visible to the actor"), (status = 404, description = "Unknown")))]
pub async fn get<S: Store>(
    State(st): State<AppState<S>>,
    actor: Actor,
    Path(id): Path<i64>,
) -> WebResult<Json<TaskDetailView>> {
    let r = readable(&st, &actor, id).await?;
    Ok(Json(detail_of(&st, r, today_vn()).await?))
}

/// A lifecycle step: `{"rev": 3, "change": {"action": "submit", "evidence": "…"}}`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct TaskStepRequest {
    /// The revision the client saw.
    pub rev: i64,
    /// The step (`progress`, `submit`, `accept`, `return`, `cancel`, `request_extension`,
    /// `decide_extension`, `change_deadline`).
    #[schema(value_type = Object)]
    pub change: TaskChange,
}

/// Checks and applies a step for a user (shared with the workspace forms).
pub async fn step_for<S: Store>(
    st: &AppState<S>,
    actor: &Actor,
    id: i64,
    rev: i64,
    change: &TaskChange,
) -> WebResult<TaskRecord> {
    let r = st.store.get_task(id).await?;
    check(st, actor, action_of(change), &r.task)?;
    Ok(st
        .store
        .update_task(id, rev, change, &actor.email, today_vn())
        .await?)
}

/// Applies a lifecycle step (only the lead reports; only the assigner accepts, returns,
/// cancels and decides extensions). A stale `rev` answers 409 with the current task.
#[utoipa::path(post, path = "/api/v1/tasks/{id}/steps", tag = "tasks", params(("id" = i64, Path, description = "Task id")), request_body = TaskStepRequest, security(("bearer" = [])),
    responses((status = 200, description = "Updated", body = TaskView), (status = 403, description = "Not the lead / assigner"), (status = 409, description = "Stale rev"), (status = 422, description = "Refused by the lifecycle")))]
pub async fn step<S: Store>(
    State(st): State<AppState<S>>,
    actor: Actor,
    Path(id): Path<i64>,
    ApiJson(req): ApiJson<TaskStepRequest>,
) -> WebResult<Json<TaskView>> {
    let r = step_for(&st, &actor, id, req.rev, &req.change).await?;
    Ok(Json(task_view(&st, r, today_vn())))
}

/// Ranking query.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct RankingQuery {
    /// Period start (default 1 January of this year).
    pub from: Option<NaiveDate>,
    /// Period end (default 31 December of this year).
    pub to: Option<NaiveDate>,
    /// Evaluation date (default today).
    pub as_of: Option<NaiveDate>,
    /// Minimum volume (completed + overdue) to be ranked (default 5).
    pub min_volume: Option<u64>,
    /// Restrict to an organisation's subtree.
    pub org: Option<String>,
}

/// Dashboard: the periodic report, per-organisation tallies and the ranking.
#[derive(Debug, Serialize, ToSchema)]
pub struct RankingView {
    /// Period start.
    pub from: NaiveDate,
    /// Period end.
    pub to: NaiveDate,
    /// Evaluation date.
    pub as_of: NaiveDate,
    /// Totals in the report shape (rate = completed ÷ (completed + overdue)).
    #[schema(value_type = Object)]
    pub report: PeriodicReport,
    /// Ranked and below-minimum organisations.
    #[schema(value_type = Object)]
    pub ranking: Ranking,
}

/// Computes the dashboard for a query (shared with the workspace page).
pub async fn ranking_for<S: Store>(st: &AppState<S>, q: &RankingQuery) -> WebResult<RankingView> {
    use chrono::Datelike;
    let today = today_vn();
    let as_of = q.as_of.unwrap_or(today);
    let year = as_of.year();
    let from = q
        .from
        .or(NaiveDate::from_ymd_opt(year, 1, 1))
        .unwrap_or(as_of);
    let to =
        q.to.or(NaiveDate::from_ymd_opt(year, 12, 31))
            .unwrap_or(as_of);
    if to < from {
        return Err(WebError::bad_request(format!(
            "to ({to}) trước from ({from}) / period ends before it starts"
        )));
    }
    let org = q.org.as_deref().filter(|o| !o.is_empty());
    let counts = st.store.task_tallies(from, to, as_of, org).await?;
    let cal = st.calendar.get();
    let tallies: Vec<OrgTally> = counts
        .with_delays(&cal, to.min(as_of))
        .map_err(|e| WebError::bad_request(e.to_string()))?;
    Ok(RankingView {
        from,
        to,
        as_of,
        report: tasks::report(&tallies),
        ranking: tasks::rank(tallies, q.min_volume.unwrap_or(5)),
    })
}

/// Ranking of organisations by on-time rate with a minimum volume, and the periodic report.
#[utoipa::path(get, path = "/api/v1/tasks/ranking", tag = "tasks", params(RankingQuery), security(("bearer" = [])),
    responses((status = 200, description = "Report and ranking", body = RankingView), (status = 400, description = "Bad period")))]
pub async fn ranking<S: Store>(
    State(st): State<AppState<S>>,
    _actor: Actor,
    ApiQuery(q): ApiQuery<RankingQuery>,
) -> WebResult<Json<RankingView>> {
    Ok(Json(ranking_for(&st, &q).await?))
}

/// Directives, newest first (every signed-in user).
#[utoipa::path(get, path = "/api/v1/directives", tag = "tasks", security(("bearer" = [])), responses((status = 200, description = "Directives", body = Vec<Object>)))]
pub async fn directives<S: Store>(
    State(st): State<AppState<S>>,
    _actor: Actor,
) -> WebResult<Json<Vec<DirectiveRecord>>> {
    Ok(Json(st.store.directives(false).await?))
}

/// Records a directive (the Working Group, administrators, or an organisation for itself).
#[utoipa::path(post, path = "/api/v1/directives", tag = "tasks", request_body = Object, security(("bearer" = [])),
    responses((status = 201, description = "Created", body = Object), (status = 403, description = "Not the issuer"), (status = 409, description = "Number exists"), (status = 422, description = "Invalid")))]
pub async fn create_directive<S: Store>(
    State(st): State<AppState<S>>,
    actor: Actor,
    ApiJson(d): ApiJson<Directive>,
) -> WebResult<(StatusCode, Json<DirectiveRecord>)> {
    if !is_national(&actor) && !st.tree().is_within(&d.issuer_org, &actor.org_id) {
        return Err(WebError::forbidden(format!(
            "{} không ban hành văn bản thay cho {} / may not record directives of {}",
            actor.org_id, d.issuer_org, d.issuer_org
        )));
    }
    Ok((
        StatusCode::CREATED,
        Json(st.store.create_directive(&d).await?),
    ))
}

/// Working groups with members and meetings.
#[derive(Debug, Serialize, ToSchema)]
pub struct WorkingGroupsView {
    /// Groups.
    #[schema(value_type = Vec<Object>)]
    pub groups: Vec<WorkingGroup>,
    /// Meetings, newest first.
    #[schema(value_type = Vec<Object>)]
    pub meetings: Vec<MeetingRecord>,
}

/// Working groups, members and meetings (signed-in users see every meeting).
#[utoipa::path(get, path = "/api/v1/working-groups", tag = "tasks", security(("bearer" = [])), responses((status = 200, description = "Groups", body = WorkingGroupsView)))]
pub async fn working_groups<S: Store>(
    State(st): State<AppState<S>>,
    _actor: Actor,
) -> WebResult<Json<WorkingGroupsView>> {
    Ok(Json(WorkingGroupsView {
        groups: st.store.working_groups().await?,
        meetings: st.store.meetings(false).await?,
    }))
}

/// Creates or replaces a working group (Working Group secretariat and administrators).
#[utoipa::path(put, path = "/api/v1/working-groups", tag = "tasks", request_body = Object, security(("bearer" = [])),
    responses((status = 204, description = "Saved"), (status = 403, description = "Not allowed"), (status = 422, description = "Invalid")))]
pub async fn put_working_group<S: Store>(
    State(st): State<AppState<S>>,
    actor: Actor,
    ApiJson(g): ApiJson<WorkingGroup>,
) -> WebResult<StatusCode> {
    if !is_national(&actor) && !st.tree().is_within(&g.org, &actor.org_id) {
        return Err(WebError::forbidden(
            "chỉ Tổ công tác hoặc cơ quan chủ quản / only the Working Group or the host organisation",
        ));
    }
    // Nothing is deleted by a user action: a member left out of the new list stays in the
    // record, ended yesterday (a member ended earlier keeps their last day).
    let mut g = g;
    if let Some(old) = st
        .store
        .working_groups()
        .await?
        .into_iter()
        .find(|o| o.code == g.code)
    {
        let yesterday = today_vn().pred_opt().unwrap_or_else(today_vn);
        for mut m in old.members {
            if !g
                .members
                .iter()
                .any(|n| n.person == m.person && n.org == m.org)
            {
                m.ended_on = Some(m.ended_on.unwrap_or(yesterday));
                g.members.push(m);
            }
        }
    }
    st.store.upsert_working_group(&g).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Records a meeting of a working group.
#[utoipa::path(post, path = "/api/v1/working-groups/meetings", tag = "tasks", request_body = Object, security(("bearer" = [])),
    responses((status = 201, description = "Created", body = Object), (status = 403, description = "Not allowed")))]
pub async fn create_meeting<S: Store>(
    State(st): State<AppState<S>>,
    actor: Actor,
    ApiJson(m): ApiJson<Meeting>,
) -> WebResult<(StatusCode, Json<MeetingRecord>)> {
    let groups = st.store.working_groups().await?;
    let g = groups.iter().find(|g| g.code == m.group).ok_or_else(|| {
        WebError::bad_request(format!(
            "tổ công tác «{}» không tồn tại / unknown group",
            m.group
        ))
    })?;
    if !is_national(&actor) && !st.tree().is_within(&g.org, &actor.org_id) {
        return Err(WebError::forbidden(
            "chỉ cơ quan chủ quản của tổ / only the group's host organisation",
        ));
    }
    Ok((
        StatusCode::CREATED,
        Json(st.store.create_meeting(&m).await?),
    ))
}
