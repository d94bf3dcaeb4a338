//! Organisation administration (quản trị cơ quan, administrators only): find an organisation,
//! rename it or record its electronic identifier, close it from a date (kept for history, never
//! deleted), and add a unit under it (a department of a province, a unit of a ministry). Every
//! change is audited with its before and after; the server's organisation tree reloads at once.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use serde::Deserialize;
use thutuc_domain::access::Action;
use thutuc_domain::org::{OrgKind, Organisation};
use thutuc_domain::text;
use thutuc_store::{Store, StoreError};

use crate::pages::audit::{audited, entry, json};
use crate::pages::context::{Base, Ctx};
use crate::pages::error::{PageError, PageResult, html};
use crate::pages::fmt;
use crate::state::AppState;

/// An organisation in a list.
pub struct OrgLine {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Kind (Vietnamese).
    pub kind: &'static str,
    /// Parent's name.
    pub parent: String,
    /// Closed on, if closed.
    pub closed: String,
}

#[derive(Template)]
#[template(path = "org_admin_list.html")]
struct ListPage {
    b: Base,
    q: String,
    rows: Vec<OrgLine>,
    total: usize,
}

#[derive(Template)]
#[template(path = "org_admin.html")]
struct OrgPage {
    b: Base,
    org: OrgLine,
    eid: String,
    children: Vec<OrgLine>,
    kinds: Vec<(&'static str, &'static str)>,
    errors: Vec<String>,
    done: bool,
    child: ChildForm,
}

/// Query of the list.
#[derive(Debug, Deserialize)]
pub struct ListQuery {
    /// Name or id, accents optional.
    pub q: Option<String>,
}

fn line<S: Store>(st: &AppState<S>, o: &Organisation) -> OrgLine {
    let tree = st.tree();
    OrgLine {
        id: o.id.clone(),
        name: o.name.clone(),
        kind: o.kind.label_vi(),
        parent: o
            .parent
            .as_deref()
            .and_then(|p| tree.get(p))
            .map(|p| p.name.clone())
            .unwrap_or_default(),
        closed: fmt::opt_date(o.valid_to),
    }
}

fn admin_only<S: Store>(st: &AppState<S>, ctx: &Ctx) -> Result<String, PageError> {
    let v = ctx.viewer()?;
    let cap = v.actor.may(st, Action::Administer, &v.actor.org_id)?;
    Ok(cap.actor.email.clone())
}

/// `GET /quan-tri/co-quan`.
pub async fn list<S: Store>(
    State(st): State<AppState<S>>,
    ctx: Ctx,
    Query(q): Query<ListQuery>,
) -> PageResult {
    admin_only(&st, &ctx)?;
    let query = q.q.unwrap_or_default();
    let needle = text::fold(query.trim());
    let tree = st.tree();
    let mut found: Vec<&Organisation> = tree
        .all()
        .filter(|o| {
            if needle.is_empty() {
                matches!(
                    o.kind,
                    OrgKind::Government
                        | OrgKind::Ministry
                        | OrgKind::MinistryLevel
                        | OrgKind::GovernmentAgency
                        | OrgKind::Province
                ) && o.valid_to.is_none()
            } else {
                text::fold(&o.name).contains(&needle) || text::fold(&o.id).contains(&needle)
            }
        })
        .collect();
    found.sort_by_cached_key(|o| text::sort_key(&o.name));
    let total = found.len();
    let page = ListPage {
        b: ctx.base(ctx.lang.t("orgadm.title"), "workspace"),
        rows: found.into_iter().take(200).map(|o| line(&st, o)).collect(),
        total,
        q: query,
    };
    html(&page)
}

/// The add-a-unit form.
#[derive(Debug, Default, Deserialize)]
pub struct ChildForm {
    /// New id (upper case letters, digits, `-`, `_`).
    #[serde(default)]
    pub child_id: String,
    /// Name.
    #[serde(default)]
    pub child_name: String,
    /// Kind.
    #[serde(default)]
    pub child_kind: String,
}

/// Every form of the organisation page (`op` says which).
#[derive(Debug, Deserialize)]
pub struct OrgForm {
    /// `save`, `close` or `add`.
    pub op: String,
    /// New name (`save`).
    #[serde(default)]
    pub name: String,
    /// Electronic identifier (`save`).
    #[serde(default)]
    pub eid: String,
    /// Closing date `YYYY-MM-DD` (`close`).
    #[serde(default)]
    pub closed_on: String,
    /// The unit to add (`add`).
    #[serde(flatten)]
    pub child: ChildForm,
}

const KINDS: [OrgKind; 3] = [OrgKind::Department, OrgKind::Unit, OrgKind::Commune];

async fn render<S: Store>(
    st: &AppState<S>,
    ctx: &Ctx,
    id: &str,
    errors: Vec<String>,
    done: bool,
    child: ChildForm,
) -> PageResult {
    let tree = st.tree();
    let o = tree
        .get(id)
        .ok_or_else(|| PageError::not_found(format!("cơ quan «{id}»")))?;
    let mut children: Vec<OrgLine> = tree
        .children(id)
        .iter()
        .filter_map(|c| tree.get(c))
        .map(|c| line(st, c))
        .collect();
    children.sort_by_cached_key(|o| text::sort_key(&o.name));
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = OrgPage {
        b: ctx.base(
            format!("{} — {}", ctx.lang.t("orgadm.title"), o.name),
            "workspace",
        ),
        org: line(st, o),
        eid: o.eid.clone().unwrap_or_default(),
        children,
        kinds: KINDS.iter().map(|k| (k.as_str(), k.label_vi())).collect(),
        errors,
        done,
        child,
    };
    let mut r = html(&page)?;
    *r.status_mut() = status;
    Ok(r)
}

/// `GET /quan-tri/co-quan/{id}`.
pub async fn show<S: Store>(
    State(st): State<AppState<S>>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<std::collections::HashMap<String, String>>,
) -> PageResult {
    admin_only(&st, &ctx)?;
    render(
        &st,
        &ctx,
        &id,
        Vec::new(),
        q.contains_key("xong"),
        ChildForm::default(),
    )
    .await
}

fn valid_id(id: &str) -> bool {
    (2..=32).contains(&id.len())
        && id
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// `POST /quan-tri/co-quan/{id}`.
pub async fn save<S: Store>(
    State(st): State<AppState<S>>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(f): Form<OrgForm>,
) -> PageResult {
    let who = admin_only(&st, &ctx)?;
    let before = st.store.get_org(&id).await?;
    let mut errors = Vec::new();
    let (changed, entity_id) = match f.op.as_str() {
        "save" => {
            let name = text::clean(&f.name);
            if !(3..=300).contains(&name.chars().count()) {
                errors.push(
                    "Tên cơ quan phải có từ 3 đến 300 ký tự / the name needs 3–300 characters"
                        .to_string(),
                );
            }
            let eid = f.eid.trim().to_string();
            if eid.len() > 64 {
                errors.push(
                    "Mã định danh điện tử quá dài / the electronic id is too long".to_string(),
                );
            }
            let mut o = before.clone();
            o.name = name;
            o.eid = (!eid.is_empty()).then_some(eid);
            (o, id.clone())
        }
        "close" => {
            let mut o = before.clone();
            match fmt::parse_date(&f.closed_on) {
                Some(d) if o.valid_from.is_none_or(|from| from <= d) => o.valid_to = Some(d),
                Some(_) => errors.push(
                    "Ngày kết thúc trước ngày bắt đầu / the closing date is before the start"
                        .to_string(),
                ),
                None => errors.push(format!(
                    "Ngày «{}» không hợp lệ: dùng dd/mm/yyyy / invalid date",
                    f.closed_on
                )),
            }
            (o, id.clone())
        }
        "add" => {
            let cid = f.child.child_id.trim().to_uppercase();
            let name = text::clean(&f.child.child_name);
            if !valid_id(&cid) {
                errors.push(format!(
                    "Mã «{cid}»: 2–32 ký tự A–Z, 0–9, - hoặc _ / id: 2–32 of A–Z, 0–9, - or _"
                ));
            } else if st.tree().get(&cid).is_some() {
                errors.push(format!("Mã «{cid}» đã được dùng / the id is taken"));
            }
            if !(3..=300).contains(&name.chars().count()) {
                errors.push(
                    "Tên đơn vị phải có từ 3 đến 300 ký tự / the name needs 3–300 characters"
                        .to_string(),
                );
            }
            let kind = OrgKind::parse(&f.child.child_kind).filter(|k| KINDS.contains(k));
            if kind.is_none() {
                errors.push("Chọn loại đơn vị / choose the kind of unit".to_string());
            }
            let o = Organisation {
                id: cid.clone(),
                name,
                kind: kind.unwrap_or(OrgKind::Unit),
                eid: None,
                admin_code: None,
                parent: Some(id.clone()),
                valid_from: Some(fmt::today_vn()),
                valid_to: None,
            };
            (o, cid)
        }
        op => {
            return Err(PageError::bad_request(format!(
                "thao tác «{op}» không hợp lệ"
            )));
        }
    };
    if !errors.is_empty() {
        return render(&st, &ctx, &id, errors, false, f.child).await;
    }
    let old = (f.op != "add").then(|| json(&before)).flatten();
    let e = entry(
        &who,
        &format!("org.{}", f.op),
        ("organisation", &entity_id),
        old,
        json(&changed),
    );
    let write = st.store.upsert_orgs(std::slice::from_ref(&changed));
    match audited(&st.store, e, write).await {
        Ok(_) => {}
        Err(StoreError::Invalid { message, .. }) => {
            return render(&st, &ctx, &id, vec![message], false, f.child).await;
        }
        Err(e) => return Err(e.into()),
    }
    st.reload_orgs().await?;
    Ok(Redirect::to(&format!("/quan-tri/co-quan/{id}?xong=1")).into_response())
}
