//! HTTP-level tests of the portal and workspace: every page's authorisation, CSRF on every
//! state-changing route, sessions and throttling, the draft → review → publish flow with
//! separation of duties and optimistic concurrency, and the audit chain.

use thutuc_domain::access::{self, Action, Role, Scope};
use thutuc_e2e::fixtures::{BIRTH, HANOI, HCM, PASSWORD};
use thutuc_e2e::{Session, TestApp};
use thutuc_store::{AuditStore, ProcedureStore, SessionStore};
use thutuc_store_tests::fixtures::code;

mod comments;
mod import;
mod org_admin;
mod public;
mod security;
mod stats;
mod tasks_members;
mod workflow;

pub(crate) async fn draft_rev(app: &TestApp, c: &str) -> (i64, i64) {
    let p = app
        .store
        .list_procedures(&thutuc_store::ProcedureFilter {
            q: Some(c.into()),
            limit: 5,
            ..Default::default()
        })
        .await
        .expect("list");
    let seq = p
        .items
        .iter()
        .find(|x| x.code.as_str() == c)
        .and_then(|x| x.draft_seq)
        .expect("open draft");
    (
        seq,
        app.store.version(&code(c), seq).await.expect("version").rev,
    )
}

pub(crate) fn scope(app: &TestApp, actor_org: &str, target_org: &str) -> Scope {
    if app.state.tree().is_within(target_org, actor_org) {
        Scope::Own
    } else {
        Scope::Other
    }
}
