//! SQL shared by both storage backends. The statements use `$N` placeholders, which both
//! PostgreSQL and SQLite (through sqlx) accept, and only portable SQL (`ON CONFLICT`,
//! `RETURNING`, `COALESCE`). Everything dialect-specific stays in the backend crates, which
//! provide these hooks and then instantiate [`impl_sql_store!`] (and the capability macros):
//!
//! - a field `pool: sqlx::Pool<Db>`;
//! - `async fn begin_write(&self) -> StoreResult<sqlx::Transaction<'static, Db>>` (SQLite uses
//!   `BEGIN IMMEDIATE`, PostgreSQL a plain transaction with row locks);
//! - `const FOR_UPDATE: &'static str` appended to reads that precede a write;
//! - `const SKIP_LOCKED: &'static str` appended to queue claims (PostgreSQL
//!   ` FOR UPDATE SKIP LOCKED`, so that concurrent workers take different rows).
//!
//! Why a macro and not generics: sqlx's generic bounds (executor HRTBs, per-type
//! `Encode`/`Decode`) must be repeated at every call site; the macro expands to concrete code
//! per backend and keeps the SQL in one place.

mod auth_macros;
mod calendar_macros;
mod feedback_impl_macros;
#[doc(hidden)]
pub mod feedback_logic;
mod feedback_macros;
mod macros;
mod outbox_macros;
mod review_macros;
mod staging_macros;
pub use outbox_macros::outbox_sql;
pub mod rows;
#[doc(hidden)]
pub mod stats_helpers;
mod stats_macros;
#[doc(hidden)]
pub mod task_helpers;
mod task_impl_macros;
mod task_macros;

#[doc(hidden)]
pub mod deps {
    pub use async_trait::async_trait;
    pub use chrono;
    pub use futures_util;
    pub use serde_json;
    pub use sqlx;
    pub use thutuc_domain;
    pub use thutuc_store;
    pub use tokio;
}
