//! Working-group membership in the workspace (`/can-bo/to-cong-tac/{code}/thanh-vien`): every
//! signed-in officer sees the composition (current and former members); the Working Group,
//! administrators and the host organisation's subtree — the same rule as
//! `PUT /api/v1/working-groups` — add a member, change a member's position and role, or end a
//! membership (its last day is recorded; nothing is deleted). Each change is one store
//! transaction ([`thutuc_store::TaskStore::change_group_member`]) and is written to the audit log
//! with the member before and after. Forms carry `_csrf` (checked by the page layer).

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use chrono::NaiveDate;
use serde::Deserialize;
use thutuc_domain::tasks::{GroupMember, MemberChange, MemberRole, WorkingGroup};
use thutuc_store::Store;

use crate::api::tasks as api;
use crate::auth::Actor;
use crate::pages::audit;
use crate::pages::context::{Base, Ctx};
use crate::pages::error::{PageError, PageResult, html};
use crate::pages::fmt;
use crate::state::AppState;

/// The roles in the order of the form's select: stable name and string-table key.
const ROLES: [(MemberRole, &str, &str); 5] = [
    (MemberRole::Head, "head", "tasks.role.head"),
    (MemberRole::Deputy, "deputy", "tasks.role.deputy"),
    (MemberRole::Standing, "standing", "tasks.role.standing"),
    (MemberRole::Member, "member", "tasks.role.member"),
    (
        MemberRole::Secretariat,
        "secretariat",
        "tasks.role.secretariat",
    ),
];

fn role_of(r: MemberRole) -> (&'static str, &'static str) {
    ROLES
        .iter()
        .find(|(x, _, _)| *x == r)
        .map_or(("member", "tasks.role.member"), |(_, n, k)| (*n, *k))
}

fn parse_role(s: &str) -> Result<MemberRole, PageError> {
    ROLES
        .iter()
        .find(|(_, n, _)| *n == s.trim())
        .map(|(r, _, _)| *r)
        .ok_or_else(|| {
            PageError::bad_request(format!("vai trò «{s}» không hợp lệ / unknown role «{s}»"))
        })
}

/// True when `actor` may change `g` (as `PUT /api/v1/working-groups`).
pub fn may_edit<S: Store>(st: &AppState<S>, actor: &Actor, g: &WorkingGroup) -> bool {
    api::is_national(actor) || st.tree().is_within(&g.org, &actor.org_id)
}

/// One member line of the page.
#[derive(Debug, Clone)]
pub struct MemberLine {
    /// Index in the group's list (the form's `index`).
    pub index: usize,
    /// Name.
    pub person: String,
    /// Position.
    pub position: String,
    /// Organisation name.
    pub org: String,
    /// Role's stable name.
    pub role: &'static str,
    /// Role's string-table key.
    pub role_key: &'static str,
    /// First day, dd/mm/yyyy or empty.
    pub since: String,
    /// Last day, dd/mm/yyyy or empty while current.
    pub ended_on: String,
}

#[derive(Template)]
#[template(path = "tasks_members.html")]
struct MembersPage {
    b: Base,
    code: String,
    name: String,
    host: String,
    members: Vec<MemberLine>,
    roles: Vec<(&'static str, &'static str)>,
    can_edit: bool,
    today: String,
}

async fn group<S: Store>(st: &AppState<S>, code: &str) -> Result<WorkingGroup, PageError> {
    st.store
        .working_groups()
        .await?
        .into_iter()
        .find(|g| g.code == code)
        .ok_or_else(|| PageError::not_found(format!("tổ công tác {code}")))
}

fn org_name<S: Store>(st: &AppState<S>, id: &str) -> String {
    st.tree()
        .get(id)
        .map_or_else(|| id.to_string(), |o| o.name.clone())
}

/// `GET /can-bo/to-cong-tac/{code}/thanh-vien`.
pub async fn page<S: Store>(
    State(st): State<AppState<S>>,
    ctx: Ctx,
    Path(code): Path<String>,
) -> PageResult {
    let v = ctx.viewer()?;
    let g = group(&st, &code).await?;
    let can_edit = may_edit(&st, &v.actor, &g);
    html(&MembersPage {
        b: ctx.base(
            format!("{} — {}", g.name, ctx.lang.t("tasks.members")),
            "workspace",
        ),
        members: g
            .members
            .iter()
            .enumerate()
            .map(|(index, m)| MemberLine {
                index,
                person: m.person.clone(),
                position: m.position.clone(),
                org: org_name(&st, &m.org),
                role: role_of(m.role).0,
                role_key: role_of(m.role).1,
                since: m.since.map(fmt::date).unwrap_or_default(),
                ended_on: m.ended_on.map(fmt::date).unwrap_or_default(),
            })
            .collect(),
        host: org_name(&st, &g.org),
        code: g.code,
        name: g.name,
        roles: ROLES.iter().map(|(_, n, k)| (*n, *k)).collect(),
        can_edit,
        today: api::today_vn().format("%Y-%m-%d").to_string(),
    })
}

/// The membership form (one form per action; unused fields stay empty).
#[derive(Debug, Default, Deserialize)]
pub struct MemberForm {
    /// `add`, `update` or `end`.
    pub action: String,
    /// Member index (update, end).
    #[serde(default)]
    pub index: Option<usize>,
    /// Name (add).
    #[serde(default)]
    pub person: String,
    /// Position (add, update).
    #[serde(default)]
    pub position: String,
    /// Organisation id (add).
    #[serde(default)]
    pub org: String,
    /// Role (add, update).
    #[serde(default)]
    pub role: String,
    /// First day (add), YYYY-MM-DD, optional.
    #[serde(default)]
    pub since: String,
    /// Last day (end), YYYY-MM-DD.
    #[serde(default)]
    pub ended_on: String,
}

fn date(field: &str, s: &str) -> Result<NaiveDate, PageError> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
        PageError::bad_request(format!(
            "{field}: ngày «{s}» phải có dạng YYYY-MM-DD / date must be YYYY-MM-DD"
        ))
    })
}

fn index(f: &MemberForm) -> Result<usize, PageError> {
    f.index.ok_or_else(|| {
        PageError::bad_request("chưa chọn thành viên / no member chosen".to_string())
    })
}

/// `POST /can-bo/to-cong-tac/{code}/thanh-vien`.
pub async fn change<S: Store>(
    State(st): State<AppState<S>>,
    ctx: Ctx,
    Path(code): Path<String>,
    Form(f): Form<MemberForm>,
) -> PageResult {
    let v = ctx.viewer()?;
    let g = group(&st, &code).await?;
    if !may_edit(&st, &v.actor, &g) {
        return Err(PageError::forbidden(format!(
            "chỉ Tổ công tác hoặc cơ quan chủ quản của tổ sửa được thành viên / only the Working Group or {} may change the members",
            g.org
        )));
    }
    let change = match f.action.as_str() {
        "add" => {
            let org = f.org.trim();
            if st.tree().get(org).is_none() {
                return Err(PageError::bad_request(format!(
                    "cơ quan «{org}» không tồn tại / unknown organisation"
                )));
            }
            let since = match f.since.trim() {
                "" => None,
                s => Some(date("since", s)?),
            };
            MemberChange::Add {
                member: GroupMember {
                    person: f.person.clone(),
                    position: f.position.clone(),
                    org: org.to_string(),
                    role: parse_role(&f.role)?,
                    since,
                    ended_on: None,
                },
            }
        }
        "update" => MemberChange::Update {
            index: index(&f)?,
            position: f.position.clone(),
            role: parse_role(&f.role)?,
        },
        "end" => MemberChange::End {
            index: index(&f)?,
            on: date("ended_on", &f.ended_on)?,
        },
        other => {
            return Err(PageError::bad_request(format!(
                "thao tác «{other}» không hợp lệ / unknown action"
            )));
        }
    };
    let before = match &change {
        MemberChange::Add { .. } => None,
        MemberChange::Update { index, .. } | MemberChange::End { index, .. } => {
            g.members.get(*index).and_then(audit::json)
        }
    };
    let e = audit::entry(
        &v.actor.email,
        &format!("working_group.member.{}", f.action),
        ("working_group", &code),
        before,
        audit::json(&change),
    );
    audit::audited(&st.store, e, st.store.change_group_member(&code, &change)).await?;
    Err(PageError::Redirect(format!(
        "/can-bo/to-cong-tac/{code}/thanh-vien"
    )))
}
