//! The home page: search with type-ahead, entry points (field, level, life event, ministry,
//! province), headline figures and the latest publication decisions.

use askama::Template;
use axum::extract::State;
use thutuc_domain::org::OrgKind;
use thutuc_domain::text;
use thutuc_store::{CatalogueCounts, DecisionFilter, Store};

use crate::pages::context::{Base, Ctx};
use crate::pages::error::{PageResult, html};
use crate::pages::fmt;
use crate::state::AppState;

/// A labelled link.
#[derive(Debug, Clone)]
pub struct Link {
    /// Target.
    pub href: String,
    /// Text.
    pub label: String,
}

/// A decision line.
#[derive(Debug, Clone)]
pub struct DecisionLine {
    /// Link to the decision page.
    pub href: String,
    /// Number.
    pub number: String,
    /// Title.
    pub title: String,
    /// Signed, dd/mm/yyyy.
    pub signed: String,
    /// Issuer name.
    pub issuer: String,
    /// Published late.
    pub late: bool,
}

#[derive(Template)]
#[template(path = "home.html")]
struct Home {
    b: Base,
    q: String,
    counts: CatalogueCounts,
    fields: Vec<Link>,
    levels: Vec<Link>,
    events: Vec<Link>,
    ministries: Vec<Link>,
    provinces: Vec<Link>,
    latest: Vec<DecisionLine>,
}

/// Life and business events and the words that find their procedures.
const EVENTS: [(&str, &str); 6] = [
    ("event.birth", "khai sinh"),
    ("event.business", "doanh nghiệp"),
    ("event.residence", "cư trú"),
    ("event.land", "đất đai"),
    ("event.health", "y tế"),
    ("event.education", "giáo dục"),
];

/// Turns decision summaries into display lines.
pub fn decision_lines<S: Store>(
    st: &AppState<S>,
    items: Vec<thutuc_store::DecisionSummary>,
) -> Vec<DecisionLine> {
    let tree = st.tree();
    items
        .into_iter()
        .map(|d| DecisionLine {
            href: format!("/quyet-dinh/{}", fmt::path_enc(&d.number)),
            signed: fmt::date(d.signed_on),
            issuer: tree
                .get(&d.issuer_org)
                .map(|o| o.name.clone())
                .unwrap_or(d.issuer_org),
            late: d.late.unwrap_or(false),
            number: d.number,
            title: d.title,
        })
        .collect()
}

/// What the home page shows that is the same for every visitor (cached a few seconds).
struct HomeData {
    counts: CatalogueCounts,
    fields: Vec<Link>,
    ministries: Vec<Link>,
    provinces: Vec<Link>,
    latest: Vec<DecisionLine>,
}

async fn home_data<S: Store>(st: &AppState<S>) -> Result<HomeData, thutuc_store::StoreError> {
    let counts = st.store.catalogue_counts().await?;
    let mut sectors = st.store.sectors().await?;
    sectors.sort_by_key(|s| text::sort_key(&s.name));
    let latest = st
        .store
        .list_decisions(&DecisionFilter {
            limit: 6,
            ..Default::default()
        })
        .await?;
    let tree = st.tree();
    let today = fmt::today_vn();
    let orgs_of = |pred: &dyn Fn(OrgKind) -> bool| {
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
    Ok(HomeData {
        counts,
        fields: sectors
            .into_iter()
            .take(18)
            .map(|s| Link {
                href: format!("/tim-kiem?field={}", fmt::q_enc(&s.id)),
                label: s.name,
            })
            .collect(),
        ministries: orgs_of(&|k| {
            matches!(
                k,
                OrgKind::Ministry | OrgKind::MinistryLevel | OrgKind::GovernmentAgency
            )
        }),
        provinces: orgs_of(&|k| k == OrgKind::Province),
        latest: decision_lines(st, latest.items),
    })
}

/// `GET /`.
pub async fn home<S: Store>(State(st): State<AppState<S>>, ctx: Ctx) -> PageResult {
    let data = ctx.caches.short("home", || home_data(&st)).await?;
    let lang = ctx.lang;
    let page = Home {
        b: ctx.base(lang.t("home.title"), "home"),
        q: String::new(),
        counts: data.counts.clone(),
        fields: data.fields.clone(),
        levels: ["ministry", "province", "commune"]
            .iter()
            .map(|l| Link {
                href: format!("/tim-kiem?level={l}"),
                label: lang.t(fmt::level_key(l)).to_string(),
            })
            .collect(),
        events: EVENTS
            .iter()
            .map(|(k, q)| Link {
                href: format!("/tim-kiem?q={}", fmt::q_enc(q)),
                label: lang.t(k).to_string(),
            })
            .collect(),
        ministries: data.ministries.clone(),
        provinces: data.provinces.clone(),
        latest: data.latest.clone(),
    };
    html(&page)
}
