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
pub async fn find<S: Store>(
    st: &AppState<S>,
    q: &ProcedureListQuery,
) -> WebResult<Page<ProcedureSummary>> {
    Ok(find_with_facets(st, q).await?.0)
}

/// Like [`find`], with the index's facet counts for text queries.
pub async fn find_with_facets<S: Store>(
    st: &AppState<S>,
    q: &ProcedureListQuery,
) -> WebResult<(Page<ProcedureSummary>, Option<thutuc_search::Facets>)> {
    let f = crate::api::procedures::filter_from_query(st, q)?;
    if f.q.as_deref().is_some_and(|t| !t.trim().is_empty()) {
        let req = crate::api::procedures::search_request(&f);
        let r = req.clone();
        match crate::api::procedures::run_search(st.search.clone(), move |s| s.search(&r)).await {
            Ok(resp) => {
                let items = resp
                    .hits
                    .into_iter()
                    .filter_map(|h| {
                        Some(ProcedureSummary {
                            code: thutuc_domain::TthcCode::parse(&h.code).ok()?,
                            name: h.name,
                            kind: h.kind,
                            owner_org: h.owner_org,
                            sector: h.sector,
                            levels: h.levels.iter().map(|l| l.as_str().to_string()).collect(),
                            abolished: h.status == thutuc_search::DocStatus::Abolished,
                            current_seq: None,
                            draft_seq: None,
                        })
                    })
                    .collect();
                let page = Page {
                    items,
                    total: resp.total as i64,
                    limit: req.limit as i64,
                    offset: req.offset as i64,
                };
                return Ok((page, Some(resp.facets)));
            }
            Err(e) => tracing::warn!(error = %e, "search index failed; listing from the store"),
        }
    }
    Ok((st.store.list_procedures(&f).await?, None))
}

/// A piece of text, highlighted or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seg {
    /// The text.
    pub text: String,
    /// Matches a query word.
    pub hit: bool,
}

/// Splits `s` into segments marking every accent-insensitive occurrence of the words of `q`.
pub fn highlight(s: &str, q: &str) -> Vec<Seg> {
    let chars: Vec<char> = s.chars().collect();
    let mut folded = String::new();
    let mut owner: Vec<usize> = Vec::new(); // folded byte -> original char index
    for (i, &c) in chars.iter().enumerate() {
        text::fold_char_into(c, &mut folded);
        owner.resize(folded.len(), i);
    }
    let mut hit = vec![false; chars.len()];
    for word in text::fold(q)
        .split_whitespace()
        .filter(|w| w.chars().count() >= 2)
    {
        let mut from = 0;
        while let Some(pos) = folded[from..].find(word) {
            let start = from + pos;
            for b in start..start + word.len() {
                if let Some(&i) = owner.get(b) {
                    hit[i] = true;
                }
            }
            from = start + word.len().max(1);
        }
    }
    let mut out: Vec<Seg> = Vec::new();
    for (c, h) in chars.into_iter().zip(hit) {
        match out.last_mut() {
            Some(last) if last.hit == h => last.text.push(c),
            _ => out.push(Seg {
                text: c.to_string(),
                hit: h,
            }),
        }
    }
    out
}

/// One result line.
#[derive(Debug, Clone)]
pub struct ResultRow {
    /// Code.
    pub code: String,
    /// Name in segments.
    pub name: Vec<Seg>,
    /// Field.
    pub sector: String,
    /// Owner's name.
    pub owner: String,
    /// Level labels.
    pub levels: Vec<&'static str>,
    /// Abolished.
    pub abolished: bool,
}

fn rows<S: Store>(
    st: &AppState<S>,
    ctx: &Ctx,
    items: &[ProcedureSummary],
    q: &str,
) -> Vec<ResultRow> {
    let tree = st.tree();
    items
        .iter()
        .map(|p| ResultRow {
            code: p.code.to_string(),
            name: highlight(&p.name, q),
            sector: p.sector.clone(),
            owner: tree
                .get(&p.owner_org)
                .map(|o| o.name.clone())
                .unwrap_or_default(),
            levels: p
                .levels
                .iter()
                .map(|l| ctx.lang.t(fmt::level_key(l)))
                .collect(),
            abolished: p.abolished,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "suggest.html")]
struct Suggest {
    rows: Vec<ResultRow>,
}

/// Query of the suggestion endpoint.
#[derive(Debug, Deserialize)]
pub struct SuggestQuery {
    /// What the user typed.
    #[serde(default)]
    pub q: String,
}

/// `GET /goi-y?q=`: up to 8 suggestions as an HTML fragment (for htmx).
pub async fn suggest<S: Store>(
    State(st): State<AppState<S>>,
    ctx: Ctx,
    Query(q): Query<SuggestQuery>,
) -> PageResult {
    let text = q.q.trim();
    if text.chars().count() < 2 {
        return html(&Suggest { rows: vec![] });
    }
    let page = find(
        &st,
        &ProcedureListQuery {
            q: Some(text.chars().take(200).collect()),
            limit: Some(8),
            ..Default::default()
        },
    )
    .await?;
    html(&Suggest {
        rows: rows(&st, &ctx, &page.items, text),
    })
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
    let (found, facets) = find_with_facets(&st, &q).await?;
    let fc = facets.as_ref();
    let lang = ctx.lang;
    let text = q.q.clone().unwrap_or_default();
    let pages = ((found.total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
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
        total: found.total,
        rows: rows(&st, &ctx, &found.items, &text),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_ignore_diacritics_and_keep_the_original_text() {
        let segs = highlight("Đăng ký khai sinh", "dang ky");
        let marked: Vec<&str> = segs
            .iter()
            .filter(|s| s.hit)
            .map(|s| s.text.as_str())
            .collect();
        assert_eq!(marked, vec!["Đăng", "ký"]);
        let joined: String = segs.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(joined, "Đăng ký khai sinh");
    }
}
