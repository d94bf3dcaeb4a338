//! Test harness shared by every storage test: fresh databases per test for both backends and
//! fixture builders.
//!
//! PostgreSQL runs when `THUTUC_TEST_PG` holds a server URL (for example
//! `postgres://postgres@127.0.0.1:5432/postgres`); each test gets its own database cloned from
//! a migrated template. With `THUTUC_REQUIRE_PG=1` a missing URL fails the test instead of
//! skipping it, which is how CI proves the PostgreSQL suite ran.

pub mod fixtures;

use std::sync::atomic::{AtomicUsize, Ordering};

use sqlx::Connection;
use thutuc_store_postgres::PgStore;
use thutuc_store_sqlite::SqliteStore;
use tokio::sync::OnceCell;

/// A SQLite store on a temporary file (kept alive by the returned guard).
pub async fn sqlite() -> (SqliteStore, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("test.db");
    let store = SqliteStore::connect(path.to_str().expect("utf-8 path"))
        .await
        .expect("sqlite store");
    (store, dir)
}

/// The PostgreSQL server URL, or `None` to skip (panics when `THUTUC_REQUIRE_PG=1`).
pub fn pg_url() -> Option<String> {
    match std::env::var("THUTUC_TEST_PG") {
        Ok(u) if !u.is_empty() => Some(u),
        _ => {
            if std::env::var("THUTUC_REQUIRE_PG").is_ok_and(|v| v == "1") {
                panic!(
                    "THUTUC_REQUIRE_PG=1 but THUTUC_TEST_PG is not set: the PostgreSQL suite must run"
                );
            }
            None
        }
    }
}

fn with_db(url: &str, db: &str) -> String {
    match url.rfind('/') {
        Some(i) if url[..i].contains("://") && !url[..i].ends_with('/') => {
            format!("{}/{db}", &url[..i])
        }
        _ => format!("{url}/{db}"),
    }
}

static TEMPLATE: OnceCell<String> = OnceCell::const_new();
static COUNTER: AtomicUsize = AtomicUsize::new(0);

async fn template(url: &str) -> String {
    TEMPLATE
        .get_or_init(|| async {
            let name = format!("thutuc_tpl_{}", std::process::id());
            let mut admin = sqlx::PgConnection::connect(url)
                .await
                .expect("connect to THUTUC_TEST_PG");
            sqlx::query(&format!("DROP DATABASE IF EXISTS {name}"))
                .execute(&mut admin)
                .await
                .expect("drop template");
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&mut admin)
                .await
                .expect("create template");
            let store = PgStore::connect_with(&with_db(url, &name), 2)
                .await
                .expect("migrate template");
            store.pool().close().await;
            name
        })
        .await
        .clone()
}

/// A PostgreSQL database of its own for one test, dropped by [`PgGuard::drop_db`].
pub struct PgGuard {
    admin_url: String,
    name: String,
}

impl PgGuard {
    /// Drops the test database.
    pub async fn drop_db(self, store: PgStore) {
        store.pool().close().await;
        if let Ok(mut admin) = sqlx::PgConnection::connect(&self.admin_url).await {
            let _ = sqlx::query(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ))
            .execute(&mut admin)
            .await;
        }
    }
}

/// A PostgreSQL store on a fresh database, or `None` when PostgreSQL tests are off.
pub async fn postgres() -> Option<(PgStore, PgGuard)> {
    let url = pg_url()?;
    let tpl = template(&url).await;
    let name = format!(
        "thutuc_t_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst)
    );
    let mut admin = sqlx::PgConnection::connect(&url).await.expect("connect");
    sqlx::query(&format!("CREATE DATABASE {name} TEMPLATE {tpl}"))
        .execute(&mut admin)
        .await
        .expect("clone template");
    let store = PgStore::connect_with(&with_db(&url, &name), 4)
        .await
        .expect("pg store");
    Some((
        store,
        PgGuard {
            admin_url: url,
            name,
        },
    ))
}

/// Generates one `#[tokio::test]` per backend for each listed generic test function
/// `async fn name<S: Store>(s: S)`.
#[macro_export]
macro_rules! contract_tests {
    ($($name:ident),* $(,)?) => {
        mod sqlite_backend {
            $(
                #[tokio::test]
                async fn $name() {
                    let (store, _dir) = $crate::sqlite().await;
                    super::$name(store).await;
                }
            )*
        }
        mod postgres_backend {
            $(
                #[tokio::test]
                async fn $name() {
                    let Some((store, guard)) = $crate::postgres().await else {
                        eprintln!("skipped: THUTUC_TEST_PG not set");
                        return;
                    };
                    super::$name(store.clone()).await;
                    guard.drop_db(store).await;
                }
            )*
        }
    };
}
