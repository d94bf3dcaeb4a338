//! Finding procedures: the home page's type-ahead suggestions and the results page with facets,
//! highlights and paging. Every query goes through [`find`], so replacing the store's list
//! filter with the search engine is a change to that one function.

use askama::Template;
use axum::extract::{Query, State};
use serde::Deserialize;
use thutuc_domain::procedure::Level;
use thutuc_domain::text;
use thutuc_store::{Page, ProcedureSummary, Store};

use crate::error::WebResult;
use crate::pages::context::{Base, Ctx};
use crate::pages::error::{PageResult, html};
use crate::pages::fmt;
use crate::state::AppState;
use crate::views::ProcedureListQuery;

/// Results per page.
pub const PAGE_SIZE: i64 = 20;

/// Runs a procedure query: text queries go to the search index (ranked, accent-insensitive),
/// plain listings to the store. The one function that decides where portal queries go; an
/// index failure falls back to the store's filter so the portal keeps answering.
pub async fn find<S: Store>(st: &AppState<S>, q: &ProcedureListQuery) -> WebResult<Found> {
    let f = crate::api::procedures::filter_from_query(st, q)?;
    if f.q.as_deref().is_some_and(|t| !t.trim().is_empty()) {
        let req = crate::api::procedures::search_request(&f);
        let r = req.clone();
        match crate::api::procedures::run_search(st.search.clone(), move |s| s.search(&r)).await {
            Ok(resp) => {
                let mut items = Vec::with_capacity(resp.hits.len());
                let mut marks = Vec::with_capacity(resp.hits.len());
                for h in resp.hits {
                    let Ok(code) = thutuc_domain::TthcCode::parse(&h.code) else {
                        continue;
                    };
                    items.push(ProcedureSummary {
                        code,
                        name: h.name,
                        kind: h.kind,
                        owner_org: h.owner_org,
                        sector: h.sector,
                        levels: h.levels.iter().map(|l| l.as_str().to_string()).collect(),
                        abolished: h.status == thutuc_search::DocStatus::Abolished,
                        current_seq: None,
                        draft_seq: None,
                    });
                    marks.push(h.highlights);
                }
                let page = Page {
                    items,
                    total: resp.total as i64,
                    limit: req.limit as i64,
                    offset: req.offset as i64,
                };
                return Ok(Found {
                    page,
                    facets: Some(resp.facets),
                    marks,
                });
            }
            Err(e) => tracing::warn!(error = %e, "search index failed; listing from the store"),
        }
    }
    Ok(Found {
        page: st.store.list_procedures(&f).await?,
        facets: None,
        marks: Vec::new(),
    })
}

/// What a query found.
pub struct Found {
    /// The page of procedures.
    pub page: Page<ProcedureSummary>,
    /// The index's facet counts (text queries answered by the index only).
    pub facets: Option<thutuc_search::Facets>,
    /// Per item of `page`, the index's highlighted name and snippet (escaped HTML), marked
    /// with the same analysis as the search itself; empty for plain listings.
    pub marks: Vec<thutuc_search::Highlights>,
}

impl Found {
    /// The page's result lines, highlighted when the index answered.
    pub fn rows<S: Store>(&self, st: &AppState<S>, ctx: &Ctx) -> Vec<ResultRow> {
        let tree = st.tree();
        self.page
            .items
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let owner = tree
                    .get(&p.owner_org)
                    .map(|o| o.name.clone())
                    .unwrap_or_default();
                ResultRow::new(ctx, p, self.marks.get(i), owner)
            })
            .collect()
    }
}

/// One result line.
#[derive(Debug, Clone)]
pub struct ResultRow {
    /// Code.
    pub code: String,
    /// The name as HTML: escaped, with the query's words in `<mark>` when a search found it.
    pub name_html: String,
    /// A highlighted fragment of another field (HTML), when the name does not show every
    /// word of the query.
    pub snippet_html: Option<String>,
    /// Field.
    pub sector: String,
    /// Owner's name.
    pub owner: String,
    /// Level labels.
    pub levels: Vec<&'static str>,
    /// Abolished.
    pub abolished: bool,
}

impl ResultRow {
    /// The line of `p`, with the index's highlights when there are any.
    pub fn new(
        ctx: &Ctx,
        p: &ProcedureSummary,
        mark: Option<&thutuc_search::Highlights>,
        owner: String,
    ) -> Self {
        let name_html = match mark {
            Some(m) => m.name.clone(),
            None => {
                let mut out = String::with_capacity(p.name.len() + 16);
                thutuc_search::highlight::escape_html(&p.name, &mut out);
                out
            }
        };
        Self {
            code: p.code.to_string(),
            name_html,
            snippet_html: mark.and_then(|m| m.other.clone()),
            sector: p.sector.clone(),
            owner,
            levels: p
                .levels
                .iter()
                .map(|l| ctx.lang.t(fmt::level_key(l)))
                .collect(),
            abolished: p.abolished,
        }
    }
}

#[derive(Template)]
#[template(path = "suggest.html")]
struct Suggest {
    rows: Vec<SuggestRow>,
}

/// One type-ahead suggestion.
#[derive(Debug, Clone)]
pub struct SuggestRow {
    /// Code.
    pub code: String,
    /// The name as HTML, escaped, with what was typed marked.
    pub name_html: String,
}

/// Query of the suggestion endpoint.
#[derive(Debug, Deserialize)]
pub struct SuggestQuery {
    /// What the user typed.
    #[serde(default)]
    pub q: String,
}

/// `GET /goi-y?q=`: up to 8 suggestions as an HTML fragment (for htmx), from the index's
/// type-ahead (names whose words start with what was typed, codes and document numbers by
/// prefix; the same as `/api/v1/suggest`); from a plain search when the index fails.
pub async fn suggest<S: Store>(
    State(st): State<AppState<S>>,
    ctx: Ctx,
    Query(q): Query<SuggestQuery>,
) -> PageResult {
    let text = q.q.trim();
    if text.chars().count() < 2 {
        return html(&Suggest { rows: vec![] });
    }
    let typed: String = text.chars().take(200).collect();
    let t = typed.clone();
    let rows = match crate::api::procedures::run_search(st.search.clone(), move |s| {
        s.suggest(&t, 8)
    })
    .await
    {
        Ok(found) => found
            .into_iter()
            .map(|s| SuggestRow {
                code: s.code,
                name_html: s.name_html,
            })
            .collect(),
        Err(e) => {
            tracing::warn!(error = %e, "type-ahead from the index failed; searching instead");
            let found = find(
                &st,
                &ProcedureListQuery {
                    q: Some(typed),
                    limit: Some(8),
                    ..Default::default()
                },
            )
            .await?;
            found
                .rows(&st, &ctx)
                .into_iter()
                .map(|r| SuggestRow {
                    code: r.code,
                    name_html: r.name_html,
                })
                .collect()
        }
    };
    html(&Suggest { rows })
}

/// A select option.
#[derive(Debug, Clone)]
pub struct Opt {
    /// Value.
    pub value: String,
    /// Label.
    pub label: String,
    /// Selected.
    pub selected: bool,
}

fn opts(
    pairs: impl IntoIterator<Item = (String, String)>,
    current: &Option<String>,
    counts: Option<&[thutuc_search::FacetCount]>,
) -> Vec<Opt> {
    // By value, so that a list of a hundred agencies is not searched a hundred times.
    let counts: Option<std::collections::HashMap<&str, u64>> =
        counts.map(|c| c.iter().map(|x| (x.value.as_str(), x.count)).collect());
    pairs
        .into_iter()
        .map(|(value, label)| {
            let n = counts.as_ref().and_then(|c| c.get(value.as_str()).copied());
            Opt {
                selected: current.as_deref() == Some(value.as_str()),
                label: match n {
                    Some(n) => format!("{label} ({})", fmt::number(n as i64)),
                    None => label,
                },
                value,
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    b: Base,
    q: String,
    total: i64,
    rows: Vec<ResultRow>,
    levels: Vec<Opt>,
    fields: Vec<Opt>,
    agencies: Vec<Opt>,
    types: Vec<Opt>,
    statuses: Vec<Opt>,
    page: i64,
    pages: i64,
    prev_href: Option<String>,
    next_href: Option<String>,
}

/// Query of the results page (the API's filters plus a page number).
#[derive(Debug, Deserialize, Default)]
pub struct SearchQuery {
    /// Text.
    pub q: Option<String>,
    /// Level.
    pub level: Option<String>,
    /// Field id.
    pub field: Option<String>,
    /// Agency id.
    pub agency: Option<String>,
    /// `external` / `internal`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// `in_force` / `abolished`.
    pub status: Option<String>,
    /// 1-based page.
    pub trang: Option<i64>,
}

fn empty_none(s: &Option<String>) -> Option<String> {
    s.clone().filter(|x| !x.trim().is_empty())
}

/// `GET /tim-kiem`: results with facets and paging.
pub async fn results<S: Store>(
    State(st): State<AppState<S>>,
    ctx: Ctx,
    Query(sq): Query<SearchQuery>,
) -> PageResult {
    let page = sq.trang.unwrap_or(1).clamp(1, 10_000);
    let q = ProcedureListQuery {
        q: empty_none(&sq.q).map(|s| s.chars().take(200).collect()),
        level: empty_none(&sq.level),
        field: empty_none(&sq.field),
        agency: empty_none(&sq.agency),
        kind: empty_none(&sq.kind),
        status: empty_none(&sq.status),
        limit: Some(PAGE_SIZE),
        offset: Some((page - 1) * PAGE_SIZE),
    };
    let found = find(&st, &q).await?;
    let fc = found.facets.as_ref();
    let lang = ctx.lang;
    let text = q.q.clone().unwrap_or_default();
    let pages = ((found.page.total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    let href = |p: i64| {
        let mut s = form_urlencoded::Serializer::new(String::new());
        for (k, v) in [
            ("q", &q.q),
            ("level", &q.level),
            ("field", &q.field),
            ("agency", &q.agency),
            ("type", &q.kind),
            ("status", &q.status),
        ] {
            if let Some(v) = v {
                s.append_pair(k, v);
            }
        }
        s.append_pair("trang", &p.to_string());
        format!("/tim-kiem?{}", s.finish())
    };
    let options = ctx
        .caches
        .short("search-options", || async {
            let tree = st.tree();
            let today = fmt::today_vn();
            let mut agencies: Vec<(String, String)> = tree
                .all()
                .filter(|o| {
                    use thutuc_domain::org::OrgKind::*;
                    matches!(
                        o.kind,
                        Ministry | MinistryLevel | GovernmentAgency | Province
                    ) && o.in_force_on(today)
                })
                .map(|o| (o.id.clone(), o.name.clone()))
                .collect();
            agencies.sort_by_key(|(_, n)| text::sort_key(n));
            let mut sectors: Vec<(String, String)> = st
                .store
                .sectors()
                .await?
                .into_iter()
                .map(|s| (s.id, s.name))
                .collect();
            sectors.sort_by_key(|(_, n)| text::sort_key(n));
            Ok::<_, thutuc_store::StoreError>((sectors, agencies))
        })
        .await?;
    let (sectors, agencies) = (options.0.iter().cloned(), options.1.iter().cloned());
    let title = if text.is_empty() {
        lang.t("nav.search").to_string()
    } else {
        format!("{}: {text}", lang.t("search.title"))
    };
    let t = SearchPage {
        b: ctx.base(title, "search"),
        total: found.page.total,
        rows: found.rows(&st, &ctx),
        levels: opts(
            [
                Level::Ministry,
                Level::Province,
                Level::Commune,
                Level::Other,
                Level::District,
            ]
            .iter()
            .map(|l| {
                (
                    l.as_str().to_string(),
                    lang.t(fmt::level_key(l.as_str())).to_string(),
                )
            }),
            &q.level,
            fc.map(|f| f.levels.as_slice()),
        ),
        fields: opts(sectors, &q.field, fc.map(|f| f.sectors.as_slice())),
        agencies: opts(agencies, &q.agency, fc.map(|f| f.owner_orgs.as_slice())),
        types: opts(
            ["external", "internal"]
                .map(|k| (k.to_string(), lang.t(&format!("type.{k}")).to_string())),
            &q.kind,
            fc.map(|f| f.kinds.as_slice()),
        ),
        statuses: opts(
            ["in_force", "abolished"]
                .map(|k| (k.to_string(), lang.t(&format!("status.{k}")).to_string())),
            &q.status,
            fc.map(|f| f.statuses.as_slice()),
        ),
        prev_href: (page > 1).then(|| href(page - 1)),
        next_href: (page < pages).then(|| href(page + 1)),
        page,
        pages,
        q: text,
    };
    html(&t)
}
