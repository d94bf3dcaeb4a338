//! SQLite backend (the embedded default): WAL journal, `busy_timeout`, foreign keys on,
//! writes in `BEGIN IMMEDIATE` transactions so concurrent writers queue instead of failing
//! on lock upgrade. The SQL itself is shared with PostgreSQL through
//! [`thutuc_store_sql::impl_sql_store!`]; only connection set-up, migrations and the write
//! transaction live here.

use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool, Transaction};
use thutuc_store::{Store, StoreError, StoreResult};
use thutuc_store_sql::rows::map_err;

/// The migrations of this backend, embedded in the binary.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// A SQLite-backed store.
#[derive(Clone, Debug)]
pub struct SqliteStore {
    pool: SqlitePool,
}

impl SqliteStore {
    /// Opens (creating if missing) the database at `url` (`sqlite://path` or a plain path) and migrates it.
    pub async fn connect(url: &str) -> StoreResult<Self> {
        let url = if url.starts_with("sqlite:") {
            url.to_string()
        } else {
            format!("sqlite://{url}")
        };
        let opts = SqliteConnectOptions::from_str(&url)
            .map_err(|e| StoreError::Unavailable(format!("{url}: {e}")))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            // 8 MiB page cache per connection (default 2 MiB): statistics read index ranges
            // repeatedly; bounded so that 8 connections stay within the server memory budget.
            .pragma("cache_size", "-8192")
            // Rows travel from SQLite's worker thread in a channel; at the default 50 the two
            // threads hand over every 50 rows (a statistics read of 5,000 rows: 3× slower).
            .row_buffer_size(4096);
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .min_connections(1)
            .connect_with(opts)
            .await
            .map_err(|e| StoreError::Unavailable(format!("{url}: {e}")))?;
        MIGRATOR
            .run(&pool)
            .await
            .map_err(|e| StoreError::Unavailable(format!("migrations: {e}")))?;
        Ok(Self { pool })
    }

    /// The pool, for backend-specific tooling (benchmarks, FTS comparisons).
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// SQLite takes the write lock up front: a deferred transaction that later writes can
    /// fail with SQLITE_BUSY on lock upgrade, which `busy_timeout` does not cover.
    async fn begin_write(&self) -> StoreResult<Transaction<'static, Sqlite>> {
        self.pool
            .begin_with("BEGIN IMMEDIATE")
            .await
            .map_err(map_err)
    }

    /// SQLite has no row locks; `BEGIN IMMEDIATE` already serialises writers.
    const FOR_UPDATE: &'static str = "";

    /// Lock suffix for the procedure row `p` in a query with outer joins.
    const FOR_UPDATE_OF_P: &'static str = "";

    /// SQLite: `BEGIN IMMEDIATE` already serialises outbox claims.
    const SKIP_LOCKED: &'static str = "";

    /// `YYYY-MM` of a date column (`{col}` is replaced by the column).
    const MONTH_KEY: &'static str = "substr({col}, 1, 7)";

    /// Byte-wise text order (the order of Rust's `str`), appended to a column in `ORDER BY`.
    const COLLATE_BYTES: &'static str = "";
}

thutuc_store_sql::impl_sql_store!(SqliteStore, sqlx::Sqlite);
thutuc_store_sql::impl_sql_auth_store!(SqliteStore, sqlx::Sqlite);
thutuc_store_sql::impl_sql_stats_store!(SqliteStore, sqlx::Sqlite);
thutuc_store_sql::impl_sql_calendar_store!(SqliteStore, sqlx::Sqlite);
thutuc_store_sql::impl_sql_feedback_store!(SqliteStore, sqlx::Sqlite);
thutuc_store_sql::impl_sql_task_store!(SqliteStore, sqlx::Sqlite);
thutuc_store_sql::impl_sql_outbox_store!(SqliteStore, sqlx::Sqlite);
thutuc_store_sql::impl_sql_review_store!(SqliteStore, sqlx::Sqlite);
thutuc_store_sql::impl_sql_staging_store!(SqliteStore, sqlx::Sqlite);

impl Store for SqliteStore {
    fn backend(&self) -> &'static str {
        "sqlite"
    }
}
