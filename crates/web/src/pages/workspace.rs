//! The workspace home: the officer's drafts and decisions in preparation within their
//! organisation subtree (everything for administrators and the Working Group), and the tools
//! their role allows.

use askama::Template;
use axum::extract::State;
use thutuc_domain::access::{Action, Role};
use thutuc_domain::decision::DecisionStatus;
use thutuc_store::{DecisionFilter, ProcedureFilter, ProcedureStatusFilter, Store};

use crate::pages::context::{Base, Ctx};
use crate::pages::error::{PageResult, html};
use crate::pages::fmt;
use crate::state::AppState;

/// A draft line.
#[derive(Debug, Clone)]
pub struct DraftLine {
    /// Editor link.
    pub href: String,
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Owner name.
    pub owner: String,
}

/// A decision in preparation.
#[derive(Debug, Clone)]
pub struct PendingDecision {
    /// Public page.
    pub href: String,
    /// Number.
    pub number: String,
    /// Title.
    pub title: String,
    /// Signed.
    pub signed: String,
}

#[derive(Template)]
#[template(path = "workspace.html")]
struct WorkspacePage {
    b: Base,
    name: String,
    email: String,
    role: &'static str,
    org: String,
    drafts: Vec<DraftLine>,
    drafts_total: i64,
    decisions: Vec<PendingDecision>,
    is_admin: bool,
    may_audit: bool,
    may_import: bool,
    unread: String,
}

/// `GET /can-bo`.
pub async fn home<S: Store>(State(st): State<AppState<S>>, ctx: Ctx) -> PageResult {
    let v = ctx.viewer()?;
    let tree = st.tree();
    let everywhere = matches!(v.actor.role, Role::Admin | Role::Oversight);
    let scope = (!everywhere).then(|| tree.subtree(&v.actor.org_id));
    let drafts = st
        .store
        .list_procedures(&ProcedureFilter {
            owner_orgs: scope.clone(),
            status: Some(ProcedureStatusFilter::HasDraft),
            limit: 100,
            ..Default::default()
        })
        .await?;
    let decisions = st
        .store
        .list_decisions(&DecisionFilter {
            issuer_orgs: scope,
            limit: 200,
            ..Default::default()
        })
        .await?;
    let lang = ctx.lang;
    let page = WorkspacePage {
        b: ctx.base(lang.t("ws.title"), "workspace"),
        unread: crate::pages::notifications::unread(&st, v).await,
        name: v.user.name.clone(),
        email: v.user.email.clone(),
        role: lang.t(fmt::role_key(v.actor.role)),
        org: tree
            .get(&v.actor.org_id)
            .map(|o| o.name.clone())
            .unwrap_or_else(|| v.actor.org_id.clone()),
        drafts_total: drafts.total,
        drafts: drafts
            .items
            .into_iter()
            .filter_map(|p| {
                p.draft_seq.map(|seq| DraftLine {
                    href: format!("/can-bo/thu-tuc/{}/du-thao/{seq}", p.code),
                    code: p.code.to_string(),
                    owner: tree
                        .get(&p.owner_org)
                        .map(|o| o.name.clone())
                        .unwrap_or(p.owner_org),
                    name: p.name,
                })
            })
            .collect(),
        decisions: decisions
            .items
            .into_iter()
            .filter(|d| d.status == DecisionStatus::Draft)
            .map(|d| PendingDecision {
                href: format!("/quyet-dinh/{}", fmt::path_enc(&d.number)),
                signed: fmt::date(d.signed_on),
                number: d.number,
                title: d.title,
            })
            .collect(),
        is_admin: v
            .actor
            .may(&st, Action::Administer, &v.actor.org_id)
            .is_ok(),
        may_import: v.actor.may(&st, Action::Import, &v.actor.org_id).is_ok(),
        may_audit: v.actor.role == Role::Oversight
            || v.actor
                .may(&st, Action::Administer, &v.actor.org_id)
                .is_ok(),
    };
    html(&page)
}
