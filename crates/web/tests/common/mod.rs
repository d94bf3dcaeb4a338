//! The application under test for the HTTP test binaries: the real router on a temporary
//! SQLite database with the given organisations and accounts (each with an API token).
// Each test binary uses its own subset of these helpers.
#![allow(dead_code)]

use axum::Router;
use thutuc_domain::calendar::Calendar;
use thutuc_domain::org::{OrgKind, Organisation};
use thutuc_domain::params::PublicationRules;
use thutuc_store::{NewUser, OrgStore, UserStore};
use thutuc_store_sqlite::SqliteStore;
use thutuc_web::AppState;
use thutuc_web::auth::hash_token;

/// The router and its store.
pub struct App {
    pub router: Router,
    pub store: SqliteStore,
    _dir: tempfile::TempDir,
}

/// An organisation fixture.
pub fn org(id: &str, name: &str, kind: OrgKind, parent: Option<&str>) -> Organisation {
    Organisation {
        id: id.into(),
        name: name.into(),
        kind,
        eid: None,
        admin_code: None,
        parent: parent.map(Into::into),
        valid_from: None,
        valid_to: None,
    }
}

/// A fresh application with `orgs` and `accounts` (e-mail, organisation, role, token).
pub async fn app_with(orgs: &[Organisation], accounts: &[(&str, &str, &str, &str)]) -> App {
    let dir = tempfile::tempdir().expect("tmp");
    let store = SqliteStore::connect(dir.path().join("t.db").to_str().expect("path"))
        .await
        .expect("store");
    store.upsert_orgs(orgs).await.expect("orgs");
    for (email, org, role, token) in accounts {
        let u = store
            .create_user(&NewUser {
                email: (*email).into(),
                name: (*email).into(),
                org_id: (*org).into(),
                role: (*role).into(),
                password_hash: "x".into(),
            })
            .await
            .expect("user");
        store
            .add_token(u.id, &hash_token(token), "test")
            .await
            .expect("token");
    }
    let state = AppState::new(
        store.clone(),
        PublicationRules::default(),
        Calendar::default_vn().expect("calendar"),
    )
    .await
    .expect("state");
    App {
        router: thutuc_web::router(state),
        store,
        _dir: dir,
    }
}
