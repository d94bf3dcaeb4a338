//! The procedure page, laid out like an official record (Decree 63/2010 Art 8(2)), with the
//! abolished / amended banner, version history, readable diffs and a print-friendly layout.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse};
use serde::Deserialize;
use thutuc_domain::access::Action;
use thutuc_domain::version::{ChangeKind, ProcedureVersion};
use thutuc_domain::{TthcCode, completeness};
use thutuc_store::Store;

use crate::pages::context::{Base, Ctx};
use crate::pages::error::{PageError, PageResult, html};
use crate::pages::fmt;
use crate::pages::record::{ChangeRow, RecordView, changes, record};
use crate::state::AppState;

/// A version history row.
#[derive(Debug, Clone)]
pub struct HistoryRow {
    /// Version number.
    pub seq: i64,
    /// Link.
    pub href: String,
    /// Status label.
    pub status: &'static str,
    /// Valid from.
    pub from: String,
    /// Valid to.
    pub to: String,
    /// Decision.
    pub decision: String,
    /// Link to the decision.
    pub decision_href: String,
    /// Kind of change.
    pub kind: &'static str,
    /// Link to the diff with the previous version.
    pub diff_href: Option<String>,
    /// This is the version shown.
    pub shown: bool,
}

#[derive(Template)]
#[template(path = "procedure.html")]
struct ProcedurePage {
    b: Base,
    code: String,
    name: String,
    owner: String,
    owner_href: String,
    seq: i64,
    status: &'static str,
    decision: String,
    decision_href: String,
    valid_from: String,
    abolished_banner: Option<String>,
    amended_banner: Option<String>,
    old_version: bool,
    rec: RecordView,
    history: Vec<HistoryRow>,
    changes: Vec<ChangeRow>,
    prev_seq: Option<i64>,
    missing: Vec<String>,
    edit_href: Option<String>,
    draft_href: Option<String>,
    csrf: String,
}

async fn show<S: Store>(
    st: &AppState<S>,
    ctx: &Ctx,
    code: &str,
    seq: Option<i64>,
) -> Result<String, PageError> {
    let code = TthcCode::parse(code).map_err(|e| PageError::not_found(e.to_string()))?;
    let p = st.store.get_procedure(&code).await?;
    let current = st.store.current_version(&code).await?;
    let v: ProcedureVersion = match seq {
        Some(s) if s != current.seq => st.store.version(&code, s).await?,
        _ => current.clone(),
    };
    if v.status.is_open_draft() {
        return Err(PageError::not_found(format!(
            "phiên bản {} của thủ tục {code}",
            v.seq
        )));
    }
    let summaries = st.store.versions(&code).await?;
    let public: Vec<_> = summaries.iter().filter(|s| s.status.is_public()).collect();
    let lang = ctx.lang;
    let prev = public.iter().rev().find(|s| s.seq < v.seq).map(|s| s.seq);
    let changes = match prev {
        Some(ps) => changes(&st.store.version(&code, ps).await?.content, &v.content),
        None => vec![],
    };
    let history = public
        .iter()
        .enumerate()
        .map(|(i, s)| HistoryRow {
            seq: s.seq,
            href: format!("/thu-tuc/{code}/phien-ban/{}", s.seq),
            status: lang.t(fmt::status_key(s.status)),
            from: fmt::opt_date(s.valid_from),
            to: fmt::opt_date(s.valid_to),
            decision_href: s
                .decision_no
                .as_deref()
                .map(|d| format!("/quyet-dinh/{}", fmt::path_enc(d)))
                .unwrap_or_default(),
            decision: s.decision_no.clone().unwrap_or_default(),
            kind: s
                .change_kind
                .map(|k| lang.t(fmt::kind_key(k)))
                .unwrap_or(""),
            diff_href: (i > 0).then(|| {
                format!(
                    "/thu-tuc/{code}/so-sanh?from={}&to={}",
                    public[i - 1].seq,
                    s.seq
                )
            }),
            shown: s.seq == v.seq,
        })
        .collect();
    let abolished_banner = (p.abolished).then(|| {
        let last = public.last();
        let when = last
            .and_then(|s| s.valid_to)
            .map(fmt::date)
            .unwrap_or_default();
        let by = last.and_then(|s| s.decision_no.clone()).unwrap_or_default();
        format!(
            "{} {when} {} {by}",
            lang.t("proc.abolished_banner"),
            lang.t("proc.by_decision")
        )
    });
    let amended_banner = (!p.abolished
        && matches!(
            current.change_kind,
            Some(ChangeKind::Amended | ChangeKind::Replaced)
        ))
    .then(|| {
        format!(
            "{} {} {} {}",
            lang.t("proc.amended_banner"),
            fmt::opt_date(current.valid_from),
            lang.t("proc.by_decision"),
            current.decision_no.clone().unwrap_or_default()
        )
    });
    let (mut edit_href, mut draft_href) = (None, None);
    if let Some(viewer) = &ctx.viewer
        && viewer
            .actor
            .may(st, Action::EditDraft, &p.owner_org)
            .is_ok()
        && !p.abolished
    {
        match summaries.iter().find(|s| s.status.is_open_draft()) {
            Some(d) => draft_href = Some(format!("/can-bo/thu-tuc/{code}/du-thao/{}", d.seq)),
            None => edit_href = Some(format!("/can-bo/thu-tuc/{code}/du-thao")),
        }
    }
    let tree = st.tree();
    let page = ProcedurePage {
        b: ctx.base(v.content.name.clone(), "search"),
        code: code.to_string(),
        name: v.content.name.clone(),
        owner: tree
            .get(&p.owner_org)
            .map(|o| o.name.clone())
            .unwrap_or_default(),
        owner_href: format!("/co-quan/{}", p.owner_org),
        seq: v.seq,
        status: lang.t(fmt::status_key(v.status)),
        decision_href: v
            .decision_no
            .as_deref()
            .map(|d| format!("/quyet-dinh/{}", fmt::path_enc(d)))
            .unwrap_or_default(),
        decision: v.decision_no.clone().unwrap_or_default(),
        valid_from: fmt::opt_date(v.valid_from),
        abolished_banner,
        amended_banner,
        old_version: v.seq != current.seq,
        rec: record(lang, &v.content),
        history,
        changes,
        prev_seq: prev,
        missing: completeness::check(&v.content)
            .findings
            .into_iter()
            .filter(|f| f.required)
            .map(|f| format!("({}) {}: {}", f.item, f.component, f.problem))
            .collect(),
        edit_href,
        draft_href,
        csrf: ctx.csrf.clone(),
    };
    Ok(page.render()?)
}

/// Serves a procedure page: from the router's cache for anonymous visitors (the page then
/// carries no per-visitor data), rendered afresh for signed-in users.
async fn cached<S: Store>(st: &AppState<S>, ctx: &Ctx, code: &str, seq: Option<i64>) -> PageResult {
    if ctx.viewer.is_some() {
        let body = show(st, ctx, code, seq).await?;
        return Ok(Html(with_feedback_count(st, code, &body).await).into_response());
    }
    ctx.caches.sync(st).await;
    let variant = format!("{}?{}|{}", ctx.path, ctx.query, ctx.lang.code());
    if let Some(hit) = ctx.caches.page(code, &variant) {
        let body = std::str::from_utf8(&hit).unwrap_or_default();
        return Ok(Html(with_feedback_count(st, code, body).await).into_response());
    }
    let anonymous = Ctx {
        csrf: String::new(),
        ..ctx.clone()
    };
    let body = show(st, &anonymous, code, seq).await?;
    ctx.caches.put_page(code, &variant, body.clone());
    Ok(Html(with_feedback_count(st, code, &body).await).into_response())
}

/// Where the page shows how many feedback items concern the procedure. The count changes
/// with every submission, so it is filled in when the page is served ([`crate::state::FeedbackCounts`]:
/// fresh after an intake on this server, at most 10 s old otherwise), never kept in the cached page.
const FEEDBACK_COUNT_MARK: &str = "<!--thutuc:feedback-count-->";

async fn with_feedback_count<S: Store>(st: &AppState<S>, code: &str, body: &str) -> String {
    let n = st.feedback_counts.get(&st.store, code).await;
    body.replacen(FEEDBACK_COUNT_MARK, &fmt::number(n), 1)
}

/// `GET /thu-tuc/{code}`: the current version.
pub async fn current<S: Store>(
    State(st): State<AppState<S>>,
    ctx: Ctx,
    Path(code): Path<String>,
) -> PageResult {
    cached(&st, &ctx, &code, None).await
}

/// `GET /thu-tuc/{code}/phien-ban/{seq}`: one public version.
pub async fn version<S: Store>(
    State(st): State<AppState<S>>,
    ctx: Ctx,
    Path((code, seq)): Path<(String, i64)>,
) -> PageResult {
    cached(&st, &ctx, &code, Some(seq)).await
}

#[derive(Template)]
#[template(path = "diff.html")]
struct DiffPage {
    b: Base,
    code: String,
    name: String,
    from: i64,
    to: i64,
    changes: Vec<ChangeRow>,
}

/// Query of the comparison page.
#[derive(Debug, Deserialize)]
pub struct DiffQuery {
    /// Older version.
    pub from: i64,
    /// Newer version.
    pub to: i64,
}

/// `GET /thu-tuc/{code}/so-sanh?from=&to=`: readable diff of two public versions.
pub async fn compare<S: Store>(
    State(st): State<AppState<S>>,
    ctx: Ctx,
    Path(code): Path<String>,
    Query(q): Query<DiffQuery>,
) -> PageResult {
    let code = TthcCode::parse(&code).map_err(|e| PageError::not_found(e.to_string()))?;
    let (a, b) = (
        st.store.version(&code, q.from).await?,
        st.store.version(&code, q.to).await?,
    );
    if !a.status.is_public() || !b.status.is_public() {
        return Err(PageError::not_found(format!("thủ tục {code}")));
    }
    let page = DiffPage {
        b: ctx.base(
            format!("{} — {}", ctx.lang.t("diff.title"), b.content.name),
            "search",
        ),
        code: code.to_string(),
        name: b.content.name.clone(),
        from: q.from,
        to: q.to,
        changes: changes(&a.content, &b.content),
    };
    html(&page)
}
