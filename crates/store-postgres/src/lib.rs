//! PostgreSQL backend (production). The SQL is shared with SQLite through
//! [`thutuc_store_sql::impl_sql_store!`]; here live connection set-up, migrations, and the
//! write transaction, which takes row locks (`FOR UPDATE`) on what it reads before writing.

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{PgPool, Postgres, Transaction};
use thutuc_store::{Store, StoreError, StoreResult};
use thutuc_store_sql::rows::map_err;

/// The migrations of this backend, embedded in the binary.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// A PostgreSQL-backed store.
#[derive(Clone, Debug)]
pub struct PgStore {
    pool: PgPool,
}

impl PgStore {
    /// Connects to `url` (`postgres://…`) and runs the migrations.
    pub async fn connect(url: &str) -> StoreResult<Self> {
        Self::connect_with(url, 16).await
    }

    /// Connects with a given pool size.
    pub async fn connect_with(url: &str, max_connections: u32) -> StoreResult<Self> {
        let opts =
            PgConnectOptions::from_str(url).map_err(|e| StoreError::Unavailable(format!("{e}")))?;
        let pool = PgPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(opts)
            .await
            .map_err(|e| StoreError::Unavailable(format!("{e}")))?;
        MIGRATOR
            .run(&pool)
            .await
            .map_err(|e| StoreError::Unavailable(format!("migrations: {e}")))?;
        Ok(Self { pool })
    }

    /// The pool, for backend-specific tooling.
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    async fn begin_write(&self) -> StoreResult<Transaction<'static, Postgres>> {
        self.pool.begin().await.map_err(map_err)
    }

    /// Row locks on the records a write depends on.
    const FOR_UPDATE: &'static str = " FOR UPDATE";

    /// Lock suffix for the procedure row `p` in a query with outer joins.
    const FOR_UPDATE_OF_P: &'static str = " FOR UPDATE OF p";

    /// Concurrent workers skip rows another worker has locked instead of waiting.
    const SKIP_LOCKED: &'static str = " FOR UPDATE SKIP LOCKED";

    /// `YYYY-MM` of a date column (`{col}` is replaced by the column).
    const MONTH_KEY: &'static str = "to_char({col}, 'YYYY-MM')";

    /// Byte-wise text order (the order of Rust's `str`), appended to a column in `ORDER BY`.
    const COLLATE_BYTES: &'static str = " COLLATE \"C\"";
}

thutuc_store_sql::impl_sql_store!(PgStore, sqlx::Postgres);
thutuc_store_sql::impl_sql_auth_store!(PgStore, sqlx::Postgres);
thutuc_store_sql::impl_sql_stats_store!(PgStore, sqlx::Postgres);
thutuc_store_sql::impl_sql_calendar_store!(PgStore, sqlx::Postgres);
thutuc_store_sql::impl_sql_feedback_store!(PgStore, sqlx::Postgres);
thutuc_store_sql::impl_sql_task_store!(PgStore, sqlx::Postgres);
thutuc_store_sql::impl_sql_outbox_store!(PgStore, sqlx::Postgres);
thutuc_store_sql::impl_sql_review_store!(PgStore, sqlx::Postgres);
thutuc_store_sql::impl_sql_staging_store!(PgStore, sqlx::Postgres);

impl Store for PgStore {
    fn backend(&self) -> &'static str {
        "postgres"
    }
}
