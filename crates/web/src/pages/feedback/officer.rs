//! Officer pages under `/can-bo/phan-anh`: the inbox (filters, pagination, batch
//! publication), the item page (register, classify, transfer with routing suggestions,
//! assign, notes, pause, evaluation, answer from a template, approval, publication,
//! duplicates), attachment download with safe headers, and the Working Group's view of
//! escalated items by agency. Permissions as in the API: the item's current agency must lie in
//! the viewer's subtree; approval and publication need the leader's `Publish` right.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect};
use axum::{Extension, Form};
use chrono::Utc;
use serde::Deserialize;
use thutuc_domain::access::Action;
use thutuc_domain::feedback::{
    Classification, ContentKind, Criterion, Evaluation, Outcome, Verdict,
};
use thutuc_store::Store;
use thutuc_store::feedback::{FeedbackAction, FeedbackItem, vn_date};

use crate::api::feedback::officer::{
    EscalatedGroup, InboxQuery, RoutingSuggestion, apply_action, escalated_groups, officer_view,
    suggestions, visible_item,
};
use crate::api::feedback::service::FeedbackRuntime;
use crate::api::feedback::views::{OfficerFeedback, register_number, timeliness};
use crate::pages::context::{Base, Ctx};
use crate::pages::error::{PageResult, html};
use crate::state::AppState;

/// Answer templates (mẫu trả lời): key, text.
pub const TEMPLATES: &[(&str, &str)] = &[
    (
        "received",
        "Cơ quan đã tiếp nhận và nghiên cứu phản ánh, kiến nghị của Ông/Bà. Kết quả xử lý như sau: ",
    ),
    (
        "explain",
        "Quy định hiện hành vẫn phù hợp; cơ quan xin giải thích như sau: ",
    ),
    (
        "amend",
        "Cơ quan đã sửa đổi, bổ sung quy định theo kiến nghị của Ông/Bà tại văn bản: ",
    ),
    (
        "recommend",
        "Cơ quan đã kiến nghị cơ quan có thẩm quyền sửa đổi quy định tại văn bản: ",
    ),
];

/// An inbox row for the template.
pub struct Row {
    /// The item.
    pub item: FeedbackItem,
    /// Register number.
    pub register: String,
    /// Timeliness key.
    pub timeliness: &'static str,
}

#[derive(Template)]
#[template(path = "feedback_inbox.html")]
struct InboxPage {
    b: Base,
    rows: Vec<Row>,
    total: i64,
    q: InboxForm,
    prev: Option<String>,
    next: Option<String>,
}

#[derive(Template)]
#[template(path = "feedback_officer_item.html")]
struct ItemPage {
    b: Base,
    v: OfficerFeedback,
    register: String,
    timeliness: &'static str,
    suggestions: Vec<RoutingSuggestion>,
    classes: Vec<(&'static str, &'static str)>,
    kinds: Vec<(&'static str, &'static str)>,
    criteria: Vec<(&'static str, &'static str)>,
    outcomes: Vec<(&'static str, &'static str)>,
    templates: &'static [(&'static str, &'static str)],
    error: String,
}

#[derive(Template)]
#[template(path = "feedback_wg.html")]
struct WgPage {
    b: Base,
    groups: Vec<EscalatedGroup>,
}

/// Inbox filter form.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct InboxForm {
    /// Status.
    #[serde(default)]
    pub status: String,
    /// Overdue only ("1").
    #[serde(default)]
    pub overdue: String,
    /// Procedure.
    #[serde(default)]
    pub procedure: String,
    /// From date.
    #[serde(default)]
    pub from: String,
    /// To date.
    #[serde(default)]
    pub to: String,
    /// Offset.
    #[serde(default)]
    pub offset: i64,
}

fn key(t: thutuc_domain::feedback::FeedbackTimeliness) -> &'static str {
    use thutuc_domain::feedback::FeedbackTimeliness as T;
    match t {
        T::PendingWithinTerm => "fb.t.pending_within_term",
        T::Overdue => "fb.t.overdue",
        T::AnsweredOnTime => "fb.t.answered_on_time",
        T::AnsweredLate => "fb.t.answered_late",
    }
}

/// `GET /can-bo/phan-anh`: the inbox.
pub async fn inbox<S: Store>(
    State(st): State<AppState<S>>,
    ctx: Ctx,
    Query(f): Query<InboxForm>,
) -> PageResult {
    let viewer = ctx.viewer()?;
    let date = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    let query = InboxQuery {
        status: Some(f.status.clone()),
        overdue: Some(f.overdue == "1"),
        procedure: Some(f.procedure.clone()),
        from: date(&f.from),
        to: date(&f.to),
        limit: Some(50),
        offset: Some(f.offset.max(0)),
        ..InboxQuery::default()
    };
    let filter = query.filter(&st, &viewer.actor)?;
    let page = st.store.list_feedback(&filter).await?;
    let today = vn_date(Utc::now());
    let link = |offset: i64| {
        let qs: String = form_urlencoded::Serializer::new(String::new())
            .append_pair("status", &f.status)
            .append_pair("overdue", &f.overdue)
            .append_pair("procedure", &f.procedure)
            .append_pair("from", &f.from)
            .append_pair("to", &f.to)
            .append_pair("offset", &offset.to_string())
            .finish();
        format!("/can-bo/phan-anh?{qs}")
    };
    let offset = f.offset.max(0);
    let prev = (offset > 0).then(|| link((offset - 50).max(0)));
    let next = (offset + 50 < page.total).then(|| link(offset + 50));
    let rows = page
        .items
        .into_iter()
        .map(|item| Row {
            register: register_number(&item).unwrap_or_default(),
            timeliness: key(timeliness(&item, today)),
            item,
        })
        .collect();
    html(&InboxPage {
        b: ctx.base(ctx.lang.t("fb.inbox"), "workspace"),
        rows,
        total: page.total,
        q: f,
        prev,
        next,
    })
}

fn pairs<T: Copy>(
    all: &[T],
    f: impl Fn(T) -> (&'static str, &'static str),
) -> Vec<(&'static str, &'static str)> {
    all.iter().map(|x| f(*x)).collect()
}

async fn item_page<S: Store>(
    st: &AppState<S>,
    ctx: &Ctx,
    it: FeedbackItem,
    error: String,
) -> PageResult {
    let suggestions = suggestions(st, &it).await?;
    let today = vn_date(Utc::now());
    let register = register_number(&it).unwrap_or_default();
    let timeliness = key(timeliness(&it, today));
    let v = officer_view(st, it).await?;
    html(&ItemPage {
        b: ctx.base(v.item.title.clone(), "workspace"),
        register,
        timeliness,
        suggestions,
        classes: pairs(Classification::ALL, |c| (c.as_str(), c.label_vi())),
        kinds: pairs(ContentKind::ALL, |c| (c.as_str(), c.label_vi())),
        criteria: pairs(Criterion::ALL, |c| (c.as_str(), c.label_vi())),
        outcomes: pairs(Outcome::ALL, |c| (c.as_str(), c.label_vi())),
        templates: TEMPLATES,
        error,
        v,
    })
}

/// `GET /can-bo/phan-anh/{id}`: the item page.
pub async fn item<S: Store>(
    State(st): State<AppState<S>>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> PageResult {
    let viewer = ctx.viewer()?;
    let it = visible_item(&st, &viewer.actor, id, Action::ReadInternal).await?;
    item_page(&st, &ctx, it, String::new()).await
}

/// The action form of the item page (`op` names the action).
#[derive(Debug, Default, Deserialize)]
pub struct ActForm {
    /// Action.
    pub op: String,
    /// Revision seen (a string: flattened forms deliver every value as text).
    pub rev: String,
    /// Classification.
    #[serde(default)]
    pub classification: String,
    /// Content kind.
    #[serde(default)]
    pub content_kind: String,
    /// Reason / note.
    #[serde(default)]
    pub reason: String,
    /// Transfer target.
    #[serde(default)]
    pub to_org: String,
    /// Outcome.
    #[serde(default)]
    pub outcome: String,
    /// Answer text.
    #[serde(default)]
    pub text: String,
    /// Answer template key.
    #[serde(default)]
    pub template: String,
    /// Publish on approval ("1").
    #[serde(default)]
    pub is_public: String,
    /// Canonical item for duplicates.
    #[serde(default)]
    pub of: String,
    /// Extension days.
    #[serde(default)]
    pub days: String,
    /// Verdicts per criterion (`c_<criterion>`).
    #[serde(flatten)]
    pub rest: std::collections::HashMap<String, String>,
}

fn parse_action(f: &ActForm, user_id: i64) -> Result<(FeedbackAction, Action), String> {
    let bad = |what: &str| format!("{what}: giá trị không hợp lệ / invalid value");
    let edit = Action::EditDraft;
    Ok(match f.op.as_str() {
        "register" => (FeedbackAction::Register, edit),
        "classify" => (
            FeedbackAction::Classify {
                classification: Classification::parse(&f.classification)
                    .ok_or_else(|| bad("classification"))?,
                content_kind: ContentKind::parse(&f.content_kind)
                    .ok_or_else(|| bad("content_kind"))?,
                sector_id: None,
                reason: Some(f.reason.clone()).filter(|r| !r.trim().is_empty()),
            },
            edit,
        ),
        "transfer" => (
            FeedbackAction::Transfer {
                to_org: f.to_org.trim().to_string(),
                note: f.reason.clone(),
            },
            edit,
        ),
        "assign" => (FeedbackAction::Assign { user_id }, edit),
        "request_info" => (FeedbackAction::RequestInfo, edit),
        "info_received" => (FeedbackAction::InfoReceived, edit),
        "extend" => (
            FeedbackAction::Extend {
                days: f.days.trim().parse().map_err(|_| bad("days"))?,
            },
            Action::Publish,
        ),
        "evaluate" => {
            let mut findings = Vec::new();
            for c in Criterion::ALL {
                let v = f
                    .rest
                    .get(&format!("c_{}", c.as_str()))
                    .and_then(|v| Verdict::parse(v))
                    .ok_or_else(|| bad(c.label_vi()))?;
                findings.push((
                    *c,
                    v,
                    f.rest
                        .get(&format!("n_{}", c.as_str()))
                        .cloned()
                        .unwrap_or_default(),
                ));
            }
            (
                FeedbackAction::Evaluate {
                    evaluation: Evaluation { findings },
                    outcome: Outcome::parse(&f.outcome).ok_or_else(|| bad("outcome"))?,
                },
                edit,
            )
        }
        "draft_answer" => {
            let mut text = f.text.trim().to_string();
            if let Some((_, t)) = TEMPLATES.iter().find(|(k, _)| *k == f.template) {
                text = format!("{t}{text}");
            }
            (
                FeedbackAction::DraftAnswer {
                    text,
                    is_public: f.is_public == "1",
                },
                edit,
            )
        }
        "approve_answer" => (FeedbackAction::ApproveAnswer, Action::Publish),
        "publish" => (FeedbackAction::Publish, Action::Publish),
        "close" => (FeedbackAction::Close, edit),
        "mark_duplicate" => (
            FeedbackAction::MarkDuplicate {
                of: f.of.trim().parse().map_err(|_| bad("of"))?,
            },
            edit,
        ),
        other => return Err(format!("thao tác «{other}» không tồn tại / unknown action")),
    })
}

/// `POST /can-bo/phan-anh/{id}`: applies an action, then shows the item again.
pub async fn act<S: Store>(
    State(st): State<AppState<S>>,
    Extension(rt): Extension<Arc<FeedbackRuntime>>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<ActForm>,
) -> PageResult {
    let viewer = ctx.viewer()?;
    let rev: i64 = f.rev.trim().parse().unwrap_or(-1);
    let result = match parse_action(&f, viewer.user.id) {
        Ok((action, needs)) => apply_action(&st, &rt, &viewer.actor, id, rev, action, needs)
            .await
            .map_err(|e| e.detail),
        Err(m) => Err(m),
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/can-bo/phan-anh/{id}")).into_response()),
        Err(message) => {
            let it = visible_item(&st, &viewer.actor, id, Action::ReadInternal).await?;
            item_page(&st, &ctx, it, message).await
        }
    }
}

/// A note.
#[derive(Debug, Deserialize)]
pub struct NoteForm {
    /// Text.
    pub body: String,
}

/// `POST /can-bo/phan-anh/{id}/ghi-chu`: adds an internal note.
pub async fn note<S: Store>(
    State(st): State<AppState<S>>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<NoteForm>,
) -> PageResult {
    let viewer = ctx.viewer()?;
    let _ = visible_item(&st, &viewer.actor, id, Action::EditDraft).await?;
    st.store
        .add_feedback_note(id, &viewer.user.email, &f.body)
        .await?;
    Ok(Redirect::to(&format!("/can-bo/phan-anh/{id}")).into_response())
}

/// `POST /can-bo/phan-anh/cong-khai`: publishes every selected answered item.
pub async fn batch_publish<S: Store>(
    State(st): State<AppState<S>>,
    Extension(rt): Extension<Arc<FeedbackRuntime>>,
    ctx: Ctx,
    body: axum::body::Bytes,
) -> PageResult {
    let viewer = ctx.viewer()?;
    for (k, v) in form_urlencoded::parse(&body) {
        if k != "ids" {
            continue;
        }
        let Some((id, rev)) = v
            .split_once(':')
            .and_then(|(a, b)| Some((a.parse::<i64>().ok()?, b.parse::<i64>().ok()?)))
        else {
            continue;
        };
        apply_action(
            &st,
            &rt,
            &viewer.actor,
            id,
            rev,
            FeedbackAction::Publish,
            Action::Publish,
        )
        .await?;
    }
    Ok(Redirect::to("/can-bo/phan-anh?status=answered").into_response())
}

/// `GET /can-bo/phan-anh/tep/{id}`: an attachment, served as a download with safe headers.
pub async fn attachment<S: Store>(
    State(st): State<AppState<S>>,
    ctx: Ctx,
    Path(att): Path<i64>,
) -> PageResult {
    let viewer = ctx.viewer()?;
    let (meta, bytes) = st.store.feedback_attachment(att).await?;
    let _ = visible_item(&st, &viewer.actor, meta.item_id, Action::ReadInternal).await?;
    crate::pages::security::download(
        meta.kind,
        &format!("tep-{}.{}", meta.id, meta.kind.extension()),
        bytes,
    )
}

/// `GET /can-bo/phan-anh/to-cong-tac`: escalated items by agency (Working Group).
pub async fn working_group<S: Store>(State(st): State<AppState<S>>, ctx: Ctx) -> PageResult {
    let viewer = ctx.viewer()?;
    let groups = escalated_groups(&st, &viewer.actor).await?;
    html(&WgPage {
        b: ctx.base(ctx.lang.t("fb.wg"), "workspace"),
        groups,
    })
}
