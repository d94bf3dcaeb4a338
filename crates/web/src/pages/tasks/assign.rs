//! Turning a directive or a meeting's conclusions into tasks (`/can-bo/nhiem-vu/giao`): one
//! form records the source document (optional) and up to ten task rows, each with its lead
//! organisation, clause and deadline. Everything is created in one transaction or not at all.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::NaiveDate;
use thutuc_domain::tasks::{Directive, DirectiveKind, Task};
use thutuc_store::Store;

use crate::api::tasks as api;
use crate::pages::context::{Base, Ctx};
use crate::pages::error::{PageError, PageResult, html};
use crate::state::AppState;

/// Rows offered by the form.
pub const ROWS: usize = 10;

#[derive(Template)]
#[template(path = "task_new.html")]
struct AssignPage {
    b: Base,
    rows: Vec<usize>,
    orgs: Vec<(String, String)>,
    errors: Vec<String>,
    today: String,
}

async fn render<S: Store>(
    st: &AppState<S>,
    ctx: &Ctx,
    errors: Vec<String>,
    status: StatusCode,
) -> PageResult {
    let v = ctx.viewer()?;
    let tree = st.tree();
    let scope = if api::is_national(&v.actor) {
        tree.roots()
            .iter()
            .flat_map(|r| tree.subtree(&r.id))
            .collect::<Vec<_>>()
    } else {
        tree.subtree(&v.actor.org_id)
    };
    let mut orgs: Vec<(String, String)> = scope
        .into_iter()
        .filter_map(|id| {
            let o = tree.get(&id)?;
            matches!(
                o.kind,
                thutuc_domain::org::OrgKind::Ministry
                    | thutuc_domain::org::OrgKind::MinistryLevel
                    | thutuc_domain::org::OrgKind::GovernmentAgency
                    | thutuc_domain::org::OrgKind::Province
                    | thutuc_domain::org::OrgKind::Department
                    | thutuc_domain::org::OrgKind::Unit
            )
            .then(|| (o.id.clone(), o.name.clone()))
        })
        .collect();
    orgs.sort_by(|a, b| a.1.cmp(&b.1));
    let lang = ctx.lang;
    let mut r = html(&AssignPage {
        b: ctx.base(lang.t("tasks.assign"), "workspace"),
        rows: (1..=ROWS).collect(),
        orgs,
        errors,
        today: api::today_vn().to_string(),
    })?;
    *r.status_mut() = status;
    Ok(r)
}

/// `GET /can-bo/nhiem-vu/giao`.
pub async fn form<S: Store>(State(st): State<AppState<S>>, ctx: Ctx) -> PageResult {
    render(&st, &ctx, Vec::new(), StatusCode::OK).await
}

fn field<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.trim())
        .unwrap_or("")
}

fn date(s: &str, what: &str, errors: &mut Vec<String>) -> Option<NaiveDate> {
    match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        Ok(d) => Some(d),
        Err(_) => {
            errors.push(format!(
                "{what}: ngày «{s}» phải có dạng YYYY-MM-DD / date must be YYYY-MM-DD"
            ));
            None
        }
    }
}

/// `POST /can-bo/nhiem-vu/giao`.
pub async fn create<S: Store>(
    State(st): State<AppState<S>>,
    ctx: Ctx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let v = ctx.viewer()?;
    let mut errors = Vec::new();
    let assigned_on = date(field(&pairs, "assigned_on"), "Ngày giao", &mut errors);
    let number = field(&pairs, "number");
    let directive = (!number.is_empty()).then(|| Directive {
        kind: match field(&pairs, "kind") {
            "resolution" => DirectiveKind::Resolution,
            "decision" => DirectiveKind::Decision,
            "official_letter" => DirectiveKind::OfficialLetter,
            _ => DirectiveKind::ConclusionNotice,
        },
        number: number.to_string(),
        date: assigned_on.unwrap_or_else(api::today_vn),
        issuer_org: v.actor.org_id.clone(),
        title: field(&pairs, "directive_title").to_string(),
        public: field(&pairs, "public") == "on",
        meeting_id: None,
    });
    let mut tasks = Vec::new();
    for i in 1..=ROWS {
        let title = field(&pairs, &format!("title_{i}"));
        if title.is_empty() {
            continue;
        }
        let lead = field(&pairs, &format!("lead_{i}"));
        let deadline = date(
            field(&pairs, &format!("deadline_{i}")),
            &format!("Dòng {i}, thời hạn"),
            &mut errors,
        );
        if let (Some(a), Some(d)) = (assigned_on, deadline) {
            let mut t = Task::new(title, v.actor.org_id.clone(), lead, a, d);
            t.clause = field(&pairs, &format!("clause_{i}")).to_string();
            if let Err(e) = t.validate() {
                errors.push(format!("Dòng {i}: {e}"));
            }
            tasks.push(t);
        }
    }
    if tasks.is_empty() && errors.is_empty() {
        errors.push("Cần ít nhất một nhiệm vụ / at least one task is required".into());
    }
    if !errors.is_empty() {
        return render(&st, &ctx, errors, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let meeting_date = field(&pairs, "meeting_date");
    let meeting_id = if meeting_date.is_empty() {
        None
    } else {
        let date = date(meeting_date, "Ngày họp", &mut errors);
        let groups = st.store.working_groups().await?;
        let tree = st.tree();
        let group = groups
            .iter()
            .find(|g| tree.is_within(&v.actor.org_id, &g.org) || g.org == v.actor.org_id)
            .or_else(|| groups.iter().find(|_| api::is_national(&v.actor)));
        match (date, group) {
            (Some(date), Some(g)) => {
                let m = thutuc_domain::tasks::Meeting {
                    group: g.code.clone(),
                    date,
                    format: thutuc_domain::tasks::MeetingFormat::InPerson,
                    participants: Vec::new(),
                    agenda: field(&pairs, "agenda").to_string(),
                    minutes: String::new(),
                    conclusions: field(&pairs, "conclusions").to_string(),
                    public: field(&pairs, "public") == "on",
                };
                Some(st.store.create_meeting(&m).await?.id)
            }
            (Some(_), None) => {
                errors.push("Chưa có tổ công tác của cơ quan để ghi phiên họp / no working group of this organisation".into());
                None
            }
            _ => None,
        }
    };
    if !errors.is_empty() {
        return render(&st, &ctx, errors, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    if let Some(mut d) = directive {
        d.meeting_id = meeting_id;
        let rec = st.store.create_directive(&d).await?;
        for t in &mut tasks {
            t.directive_id = Some(rec.id);
        }
    }
    match api::create_for(&st, &v.actor, tasks).await {
        Ok(_) => Err(PageError::Redirect("/can-bo/nhiem-vu".into())),
        Err(e) => render(&st, &ctx, vec![e.detail], e.status).await,
    }
}
