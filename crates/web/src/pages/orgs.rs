//! Organisation pages: ministries and provinces, and one organisation with its procedures,
//! units and recent decisions.

use askama::Template;
use axum::extract::{Path, Query, State};
use thutuc_domain::org::OrgKind;
use thutuc_domain::text;
use thutuc_store::{DecisionFilter, Store};

use crate::pages::context::{Base, Ctx};
use crate::pages::error::{PageError, PageResult, html};
use crate::pages::fmt;
use crate::pages::home::{DecisionLine, Link, decision_lines};
use crate::pages::search::{PAGE_SIZE, ResultRow, SearchQuery, find};
use crate::state::AppState;
use crate::views::ProcedureListQuery;

#[derive(Template)]
#[template(path = "orgs.html")]
struct ListPage {
    b: Base,
    ministries: Vec<Link>,
    provinces: Vec<Link>,
}

/// `GET /co-quan`.
pub async fn list<S: Store>(State(st): State<AppState<S>>, ctx: Ctx) -> PageResult {
    let tree = st.tree();
    let today = fmt::today_vn();
    let pick = |pred: &dyn Fn(OrgKind) -> bool| {
        let mut v: Vec<Link> = tree
            .all()
            .filter(|o| pred(o.kind) && o.in_force_on(today))
            .map(|o| Link {
                href: format!("/co-quan/{}", o.id),
                label: o.name.clone(),
            })
            .collect();
        v.sort_by_key(|l| text::sort_key(&l.label));
        v
    };
    let t = ListPage {
        b: ctx.base(ctx.lang.t("org.list"), "orgs"),
        ministries: pick(&|k| {
            matches!(
                k,
                OrgKind::Ministry | OrgKind::MinistryLevel | OrgKind::GovernmentAgency
            )
        }),
        provinces: pick(&|k| k == OrgKind::Province),
    };
    html(&t)
}

#[derive(Template)]
#[template(path = "org.html")]
struct OrgPage {
    b: Base,
    name: String,
    kind: String,
    parent: Option<Link>,
    units: Vec<Link>,
    total: i64,
    rows: Vec<ResultRow>,
    lines: Vec<DecisionLine>,
    page: i64,
    pages: i64,
    prev_href: Option<String>,
    next_href: Option<String>,
}

/// `GET /co-quan/{id}`.
pub async fn show<S: Store>(
    State(st): State<AppState<S>>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<SearchQuery>,
) -> PageResult {
    let tree = st.tree();
    let org = tree
        .get(&id)
        .ok_or_else(|| PageError::not_found(format!("tổ chức {id}")))?
        .clone();
    let page = q.trang.unwrap_or(1).clamp(1, 10_000);
    let found = find(
        &st,
        &ProcedureListQuery {
            agency: Some(id.clone()),
            limit: Some(PAGE_SIZE),
            offset: Some((page - 1) * PAGE_SIZE),
            ..Default::default()
        },
    )
    .await?;
    let decisions = st
        .store
        .list_decisions(&DecisionFilter {
            issuer_orgs: Some(tree.subtree(&id)),
            limit: 10,
            ..Default::default()
        })
        .await?;
    let today = fmt::today_vn();
    let mut units: Vec<Link> = tree
        .children(&id)
        .iter()
        .filter_map(|c| tree.get(c))
        .filter(|o| o.in_force_on(today) && o.kind != OrgKind::Commune)
        .map(|o| Link {
            href: format!("/co-quan/{}", o.id),
            label: o.name.clone(),
        })
        .collect();
    units.sort_by_key(|l| text::sort_key(&l.label));
    units.truncate(60);
    let pages = ((found.page.total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    let t = OrgPage {
        b: ctx.base(org.name.clone(), "orgs"),
        kind: org.kind.label_vi().to_string(),
        parent: org.parent.as_ref().and_then(|p| tree.get(p)).map(|p| Link {
            href: format!("/co-quan/{}", p.id),
            label: p.name.clone(),
        }),
        units,
        total: found.page.total,
        rows: found
            .page
            .items
            .iter()
            .map(|p| ResultRow::new(&ctx, p, None, org.name.clone()))
            .collect(),
        lines: decision_lines(&st, decisions.items),
        prev_href: (page > 1).then(|| format!("/co-quan/{id}?trang={}", page - 1)),
        next_href: (page < pages).then(|| format!("/co-quan/{id}?trang={}", page + 1)),
        page,
        pages,
        name: org.name,
    };
    html(&t)
}
