//! Directing and urging in the workspace (`/can-bo/nhiem-vu…`): the task list with status
//! filters, the task page with its forms, assignment from a directive or meeting, the
//! dashboard with the ranking and drill-down, and the public page of the Working Group's
//! meetings and conclusions (`/to-cong-tac`). Handlers reuse `api::tasks` for permissions
//! and store calls, so the pages and the API cannot disagree.

pub mod assign;
pub mod members;
pub mod urging;

use askama::Template;
use axum::extract::{Path, State};
use chrono::NaiveDate;
use serde::Deserialize;
use thutuc_domain::calendar::TaskStatus;
use thutuc_store::{Store, TaskChange};

use crate::api::tasks::{self as api, RankingQuery, TaskListQuery, TaskView};
use crate::pages::context::{Base, Ctx};
use crate::pages::error::{PageError, PageResult, html};
use crate::pages::fmt;
use crate::state::AppState;

/// A task line in lists.
#[derive(Debug, Clone)]
pub struct TaskLine {
    /// Task page.
    pub href: String,
    /// Title.
    pub title: String,
    /// Lead organisation name.
    pub lead: String,
    /// Deadline dd/mm/yyyy.
    pub deadline: String,
    /// Status key for `b.t`.
    pub status_key: &'static str,
    /// CSS class of the status.
    pub status_class: &'static str,
    /// Working days late.
    pub delay: i64,
    /// Progress percent.
    pub progress: u8,
}

/// The UI key of a status.
pub fn status_key(s: Option<TaskStatus>) -> &'static str {
    match s {
        Some(TaskStatus::DoneOnTime) => "tasks.st.done_on_time",
        Some(TaskStatus::DoneLate) => "tasks.st.done_late",
        Some(TaskStatus::OpenWithinTerm) => "tasks.st.open_within_term",
        Some(TaskStatus::OpenOverdue) => "tasks.st.open_overdue",
        None => "tasks.st.cancelled",
    }
}

fn status_class(s: Option<TaskStatus>) -> &'static str {
    match s {
        Some(TaskStatus::DoneOnTime) | Some(TaskStatus::OpenWithinTerm) => "ok",
        Some(TaskStatus::DoneLate) | Some(TaskStatus::OpenOverdue) => "warn",
        None => "muted",
    }
}

fn org_name<S: Store>(st: &AppState<S>, id: &str) -> String {
    st.tree()
        .get(id)
        .map(|o| o.name.clone())
        .unwrap_or_else(|| id.to_string())
}

/// A list line from a view.
pub fn line<S: Store>(st: &AppState<S>, v: &TaskView) -> TaskLine {
    TaskLine {
        href: format!("/can-bo/nhiem-vu/{}", v.id),
        title: v.task.title.clone(),
        lead: org_name(st, &v.task.lead_org),
        deadline: fmt::date(v.task.deadline),
        status_key: status_key(v.status),
        status_class: status_class(v.status),
        delay: v.delay_working_days,
        progress: v.task.progress,
    }
}

#[derive(Template)]
#[template(path = "tasks_list.html")]
struct ListPage {
    b: Base,
    lines: Vec<TaskLine>,
    total: i64,
    status: String,
    org: String,
    statuses: Vec<(&'static str, &'static str)>,
}

/// `GET /can-bo/nhiem-vu?status=&org=`.
pub async fn list<S: Store>(
    State(st): State<AppState<S>>,
    ctx: Ctx,
    axum::extract::Query(q): axum::extract::Query<TaskListQuery>,
) -> PageResult {
    let v = ctx.viewer()?;
    let f = api::filter_for(&st, &v.actor, &q)?;
    let as_of = f.as_of.unwrap_or_else(api::today_vn);
    let page = st
        .store
        .list_tasks(&thutuc_store::TaskFilter {
            limit: Some(200),
            ..f
        })
        .await?;
    let lines = page
        .items
        .into_iter()
        .map(|r| line(&st, &api::task_view(&st, r, as_of)))
        .collect();
    let lang = ctx.lang;
    html(&ListPage {
        b: ctx.base(lang.t("tasks.title"), "workspace"),
        lines,
        total: page.total,
        status: q.status.unwrap_or_default(),
        org: q.org.unwrap_or_default(),
        statuses: [
            "done_on_time",
            "done_late",
            "open_within_term",
            "open_overdue",
        ]
        .into_iter()
        .map(|s| (s, lang.t(status_key(api::parse_status(s).ok().flatten()))))
        .collect(),
    })
}

/// One history line.
#[derive(Debug, Clone)]
pub struct EventLine {
    /// Date.
    pub on: String,
    /// Kind key.
    pub kind: String,
    /// Percent.
    pub percent: u8,
    /// Note.
    pub note: String,
    /// Who.
    pub by: String,
    /// Attachments: (link or empty, label).
    pub files: Vec<(String, String)>,
}

/// An attachment of a step as shown: uploaded files (`tep:{id}:{name}`) link to their
/// download; names and links typed through the API are shown as text.
fn attachment_line(task_id: i64, a: &str) -> (String, String) {
    match a
        .strip_prefix("tep:")
        .and_then(|r| r.split_once(':'))
        .and_then(|(id, name)| id.parse::<i64>().ok().map(|id| (id, name)))
    {
        Some((file, name)) => (
            format!("/can-bo/nhiem-vu/{task_id}/tep/{file}"),
            name.to_string(),
        ),
        None => (String::new(), a.to_string()),
    }
}

#[derive(Template)]
#[template(path = "task.html")]
struct TaskPage {
    b: Base,
    id: i64,
    rev: i64,
    t: TaskLine,
    assigner: String,
    description: String,
    clause: String,
    evidence: String,
    state: &'static str,
    events: Vec<EventLine>,
    deadlines: Vec<(String, String, String, String)>,
    pending_extension: Option<(i64, String, String)>,
    subs: Vec<TaskLine>,
    /// Roll-up of the sub-tasks' progress: (percent, done, counted).
    rollup: Option<(u8, usize, usize)>,
    is_lead: bool,
    is_assigner: bool,
    is_open: bool,
    is_submitted: bool,
}

/// `GET /can-bo/nhiem-vu/{id}`.
pub async fn show<S: Store>(
    State(st): State<AppState<S>>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> PageResult {
    let v = ctx.viewer()?;
    let r = api::readable(&st, &v.actor, id).await?;
    let rel = api::relation(&st, &v.actor, &r.task);
    let d = api::detail_of(&st, r, api::today_vn()).await?;
    let task = &d.task.task;
    let lang = ctx.lang;
    let pending = d
        .extensions
        .iter()
        .find(|e| e.request.decision == thutuc_domain::tasks::ExtensionDecision::Pending)
        .map(|e| {
            (
                e.id,
                fmt::date(e.request.requested_deadline),
                e.request.reason.clone(),
            )
        });
    html(&TaskPage {
        b: ctx.base(task.title.clone(), "workspace"),
        id: d.task.id,
        rev: d.task.rev,
        t: line(&st, &d.task),
        assigner: org_name(&st, &task.assigner_org),
        description: task.description.clone(),
        clause: task.clause.clone(),
        evidence: task.evidence.clone().unwrap_or_default(),
        state: match lang {
            crate::i18n::Lang::Vi => task.state.label_vi(),
            crate::i18n::Lang::En => task.state.label_en(),
        },
        events: d
            .events
            .iter()
            .map(|e| EventLine {
                on: fmt::date(e.on),
                kind: e.kind.clone(),
                percent: e.percent,
                note: e.note.clone(),
                by: e.by.clone(),
                files: e
                    .attachments
                    .iter()
                    .map(|a| attachment_line(d.task.id, a))
                    .collect(),
            })
            .collect(),
        deadlines: d
            .deadline_history
            .iter()
            .map(|c| {
                (
                    fmt::date(c.old_deadline),
                    fmt::date(c.new_deadline),
                    c.by.clone(),
                    c.reason.clone(),
                )
            })
            .collect(),
        pending_extension: pending,
        subs: d.sub_tasks.iter().map(|s| line(&st, s)).collect(),
        rollup: d.progress_rollup.map(|r| (r.percent, r.done, r.counted)),
        is_lead: rel.is_lead,
        is_assigner: rel.is_assigner,
        is_open: task.state == thutuc_domain::tasks::TaskState::Open,
        is_submitted: task.state == thutuc_domain::tasks::TaskState::Submitted,
    })
}

/// The step form (one form per action; unused fields stay empty).
#[derive(Debug, Default, Deserialize)]
pub struct StepForm {
    /// Revision seen.
    pub rev: i64,
    /// `progress`, `submit`, `accept`, `return`, `cancel`, `request_extension`,
    /// `approve_extension`, `refuse_extension`.
    pub action: String,
    /// Percent.
    #[serde(default)]
    pub percent: Option<u8>,
    /// Free text (note, evidence, reason).
    #[serde(default)]
    pub text: String,
    /// Requested deadline.
    #[serde(default)]
    pub deadline: String,
    /// Extension id.
    #[serde(default)]
    pub extension_id: Option<i64>,
}

fn form_date(s: &str) -> Result<NaiveDate, PageError> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
        PageError::bad_request(format!(
            "ngày «{s}» phải có dạng YYYY-MM-DD / date must be YYYY-MM-DD"
        ))
    })
}

/// Reads the step form: urlencoded, or `multipart/form-data` when files come with a
/// progress update (the files' type and size are checked by the store, in the step's
/// transaction).
fn read_step_form(
    headers: &axum::http::HeaderMap,
    body: &[u8],
) -> Result<(StepForm, Vec<thutuc_store::TaskFile>), PageError> {
    let Some(parts) = crate::api::feedback::multipart::parse(headers, body) else {
        let f: StepForm = serde_urlencoded::from_bytes(body).map_err(|e| {
            PageError::bad_request(format!("biểu mẫu không hợp lệ / bad form: {e}"))
        })?;
        return Ok((f, Vec::new()));
    };
    let mut fields = Vec::new();
    let mut files = Vec::new();
    for p in parts {
        match p.filename {
            Some(name) if p.name == "files" => {
                if !p.data.is_empty() {
                    files.push(thutuc_store::TaskFile {
                        name,
                        bytes: p.data,
                    });
                }
            }
            Some(_) => {}
            None => fields.push((p.name, String::from_utf8_lossy(&p.data).into_owned())),
        }
    }
    let encoded =
        serde_urlencoded::to_string(&fields).map_err(|e| PageError::bad_request(e.to_string()))?;
    let f: StepForm = serde_urlencoded::from_str(&encoded)
        .map_err(|e| PageError::bad_request(format!("biểu mẫu không hợp lệ / bad form: {e}")))?;
    Ok((f, files))
}

/// Largest step form (a progress update with its files).
pub const MAX_STEP_BYTES: usize =
    thutuc_store::TASK_FILES_PER_STEP * thutuc_store::TASK_FILE_MAX_BYTES + 1024 * 1024;

/// `POST /can-bo/nhiem-vu/{id}/buoc`.
pub async fn step<S: Store>(
    State(st): State<AppState<S>>,
    ctx: Ctx,
    Path(id): Path<i64>,
    headers: axum::http::HeaderMap,
    body: axum::body::Body,
) -> PageResult {
    let v = ctx.viewer()?;
    let body = crate::api::feedback::multipart::read_body(body, MAX_STEP_BYTES).await?;
    let (f, files) = read_step_form(&headers, &body)?;
    let text = f.text.trim().to_string();
    if !files.is_empty() && f.action != "progress" {
        return Err(PageError::bad_request(
            "chỉ gửi tệp kèm cập nhật tiến độ / files go with a progress update",
        ));
    }
    let change = match f.action.as_str() {
        "progress" => TaskChange::Progress {
            percent: f.percent.unwrap_or(0),
            note: text,
            attachments: vec![],
            files,
        },
        "submit" => TaskChange::Submit { evidence: text },
        "accept" => TaskChange::Accept,
        "return" => TaskChange::Return { reason: text },
        "cancel" => TaskChange::Cancel { reason: text },
        "request_extension" => TaskChange::RequestExtension {
            deadline: form_date(&f.deadline)?,
            reason: text,
        },
        "approve_extension" | "refuse_extension" => TaskChange::DecideExtension {
            extension_id: f.extension_id.unwrap_or(0),
            approve: f.action == "approve_extension",
            note: text,
        },
        other => {
            return Err(PageError::bad_request(format!(
                "thao tác «{other}» không hợp lệ / unknown action"
            )));
        }
    };
    api::step_for(&st, &v.actor, id, f.rev, &change).await?;
    Err(PageError::Redirect(format!("/can-bo/nhiem-vu/{id}")))
}

#[derive(Template)]
#[template(path = "tasks_dashboard.html")]
struct DashboardPage {
    b: Base,
    from: String,
    to: String,
    as_of: String,
    report: thutuc_domain::tasks::PeriodicReport,
    ranked: Vec<(
        usize,
        String,
        String,
        thutuc_domain::tasks::OrgTally,
        String,
        String,
    )>,
    below: Vec<(String, String, thutuc_domain::tasks::OrgTally)>,
    rate: String,
    min_volume: u64,
}

fn pct(r: Option<f64>) -> String {
    r.map(|x| format!("{:.2}%", x * 100.0))
        .unwrap_or_else(|| "—".into())
}

/// `GET /can-bo/nhiem-vu/bang-dieu-khien?from=&to=&as_of=&min_volume=`.
pub async fn dashboard<S: Store>(
    State(st): State<AppState<S>>,
    ctx: Ctx,
    axum::extract::Query(q): axum::extract::Query<RankingQuery>,
) -> PageResult {
    let v = ctx.viewer()?;
    let q = if api::is_national(&v.actor) {
        q
    } else {
        RankingQuery {
            org: Some(v.actor.org_id.clone()),
            ..q
        }
    };
    let r = api::ranking_for(&st, &q).await?;
    let lang = ctx.lang;
    html(&DashboardPage {
        b: ctx.base(lang.t("tasks.dashboard"), "workspace"),
        from: r.from.to_string(),
        to: r.to.to_string(),
        as_of: r.as_of.to_string(),
        rate: r
            .report
            .completion_rate_percent
            .map(|x| format!("{x:.2}%"))
            .unwrap_or_else(|| "—".into()),
        report: r.report,
        min_volume: r.ranking.min_volume,
        ranked: r
            .ranking
            .ranked
            .into_iter()
            .map(|x| {
                let rate = pct(x.tally.on_time_rate());
                let delay = x
                    .tally
                    .average_delay()
                    .map(|d| format!("{d:.1}"))
                    .unwrap_or_else(|| "—".into());
                (
                    x.rank,
                    x.tally.org.clone(),
                    org_name(&st, &x.tally.org),
                    x.tally,
                    rate,
                    delay,
                )
            })
            .collect(),
        below: r
            .ranking
            .below_minimum
            .into_iter()
            .map(|t| (t.org.clone(), org_name(&st, &t.org), t))
            .collect(),
    })
}

#[derive(Template)]
#[template(path = "working_group_public.html")]
struct PublicPage {
    b: Base,
    meetings: Vec<(String, String, String, String)>,
    directives: Vec<(String, String, String)>,
}

/// `GET /to-cong-tac`: public meetings of the Working Group and their conclusions.
pub async fn public<S: Store>(State(st): State<AppState<S>>, ctx: Ctx) -> PageResult {
    let lang = ctx.lang;
    let meetings = st
        .store
        .meetings(true)
        .await?
        .into_iter()
        .map(|m| {
            (
                fmt::date(m.meeting.date),
                m.meeting.group,
                m.meeting.agenda,
                m.meeting.conclusions,
            )
        })
        .collect();
    let directives = st
        .store
        .directives(true)
        .await?
        .into_iter()
        .map(|d| {
            (
                d.directive.number,
                fmt::date(d.directive.date),
                d.directive.title,
            )
        })
        .collect();
    html(&PublicPage {
        b: ctx.base(lang.t("tasks.public_title"), "working_group"),
        meetings,
        directives,
    })
}

/// `GET /can-bo/nhiem-vu/{id}/tep/{file}`: a progress file, for whoever may see the task,
/// served as a download with its sniffed type and a sandboxing policy.
pub async fn file<S: Store>(
    State(st): State<AppState<S>>,
    ctx: Ctx,
    Path((id, file)): Path<(i64, i64)>,
) -> PageResult {
    let v = ctx.viewer()?;
    // Reading the task checks that the viewer may see it (lead, coordinating, assigner,
    // their parents, the Working Group).
    api::readable(&st, &v.actor, id).await?;
    let (meta, bytes) = st.store.task_file(id, file).await?;
    crate::pages::security::download(
        meta.kind,
        &format!("nhiem-vu-{id}-tep-{}.{}", meta.id, meta.kind.extension()),
        bytes,
    )
}
