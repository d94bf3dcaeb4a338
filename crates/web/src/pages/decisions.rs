//! Publication decisions: the list (by issuer, paged) and the decision page with its annex
//! and the late-publication warning.

use askama::Template;
use axum::extract::{Path, Query, State};
use serde::Deserialize;
use thutuc_domain::decision::DecisionStatus;
use thutuc_store::{DecisionFilter, Store};

use crate::api::decisions::timeliness_of;
use crate::pages::context::{Base, Ctx};
use crate::pages::error::{PageResult, html};
use crate::pages::fmt;
use crate::pages::home::{DecisionLine, decision_lines};
use crate::state::AppState;

const PAGE: i64 = 30;

#[derive(Template)]
#[template(path = "decisions.html")]
struct ListPage {
    b: Base,
    lines: Vec<DecisionLine>,
    total: i64,
    page: i64,
    pages: i64,
    prev_href: Option<String>,
    next_href: Option<String>,
}

/// Query of the list.
#[derive(Debug, Deserialize, Default)]
pub struct ListQuery {
    /// Issuer organisation (with its subtree).
    pub issuer: Option<String>,
    /// Decisions naming this procedure.
    pub code: Option<String>,
    /// 1-based page.
    pub trang: Option<i64>,
}

/// `GET /quyet-dinh`.
pub async fn list<S: Store>(
    State(st): State<AppState<S>>,
    ctx: Ctx,
    Query(q): Query<ListQuery>,
) -> PageResult {
    let page = q.trang.unwrap_or(1).clamp(1, 10_000);
    let issuer_orgs = q
        .issuer
        .as_deref()
        .filter(|i| !i.is_empty())
        .map(|i| st.tree().subtree(i));
    let found = st
        .store
        .list_decisions(&DecisionFilter {
            issuer_orgs,
            code: q.code.clone().filter(|c| !c.is_empty()),
            limit: PAGE,
            offset: (page - 1) * PAGE,
            ..Default::default()
        })
        .await?;
    let pages = ((found.total + PAGE - 1) / PAGE).max(1);
    let href = |p: i64| {
        let mut s = form_urlencoded::Serializer::new(String::new());
        if let Some(i) = &q.issuer {
            s.append_pair("issuer", i);
        }
        if let Some(c) = &q.code {
            s.append_pair("code", c);
        }
        s.append_pair("trang", &p.to_string());
        format!("/quyet-dinh?{}", s.finish())
    };
    let t = ListPage {
        b: ctx.base(ctx.lang.t("dec.list"), "decisions"),
        total: found.total,
        lines: decision_lines(&st, found.items),
        prev_href: (page > 1).then(|| href(page - 1)),
        next_href: (page < pages).then(|| href(page + 1)),
        page,
        pages,
    };
    html(&t)
}

/// An annex line.
#[derive(Debug, Clone)]
pub struct EntryRow {
    /// Line number.
    pub line: usize,
    /// Kind label.
    pub kind: &'static str,
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Regulating document.
    pub legal: String,
    /// Effective date.
    pub effective: String,
    /// Changed components.
    pub components: String,
}

#[derive(Template)]
#[template(path = "decision.html")]
struct DecisionPage {
    b: Base,
    number: String,
    title: String,
    signed: String,
    effective: String,
    issuer: String,
    issuer_href: String,
    status: &'static str,
    applied_on: String,
    late: bool,
    deadline: String,
    days_late: i64,
    rule: String,
    entries: Vec<EntryRow>,
    may_apply: bool,
    rev: i64,
}

/// `GET /quyet-dinh/{*number}`.
pub async fn show<S: Store>(
    State(st): State<AppState<S>>,
    ctx: Ctx,
    Path(number): Path<String>,
) -> PageResult {
    let r = st.store.get_decision(&number).await?;
    let tl = r
        .timeliness
        .clone()
        .unwrap_or_else(|| timeliness_of(&st, &r.decision));
    let d = &r.decision;
    let lang = ctx.lang;
    let may_apply = r.status == DecisionStatus::Draft
        && ctx.viewer.as_ref().is_some_and(|v| {
            v.actor
                .may(&st, thutuc_domain::access::Action::Publish, &d.issuer_org)
                .is_ok()
        });
    let t = DecisionPage {
        may_apply,
        rev: r.rev,
        b: ctx.base(
            format!("{} {}", lang.t("dec.number"), d.number),
            "decisions",
        ),
        number: d.number.clone(),
        title: d.title.clone(),
        signed: fmt::date(d.signed_on),
        effective: fmt::date(d.effective_on),
        issuer: st
            .tree()
            .get(&d.issuer_org)
            .map(|o| o.name.clone())
            .unwrap_or_else(|| d.issuer_org.clone()),
        issuer_href: format!("/co-quan/{}", d.issuer_org),
        status: lang.t(match r.status {
            DecisionStatus::Draft => "dec.draft",
            DecisionStatus::Applied => "dec.applied",
        }),
        applied_on: fmt::opt_date(r.applied_on),
        late: tl.late,
        deadline: fmt::date(tl.deadline),
        days_late: tl.days_late,
        rule: tl.rule.source.clone(),
        entries: d
            .entries
            .iter()
            .enumerate()
            .map(|(i, e)| EntryRow {
                line: i + 1,
                kind: lang.t(fmt::kind_key(e.kind)),
                code: e.code.to_string(),
                name: e.name.clone(),
                legal: e.legal_document.clone().unwrap_or_default(),
                effective: fmt::date(d.entry_effective(e)),
                components: e.changed_components.join(", "),
            })
            .collect(),
    };
    html(&t)
}
