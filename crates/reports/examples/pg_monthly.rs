//! The monthly report on PostgreSQL (issue 7): the reports benchmark's data copied into a
//! PostgreSQL database by `scripts/bench-reports-pg.sh`, then the first build of the statistics
//! mirror, monthly reports for all agencies (median of 15) and the 12-month trend, as the
//! SQLite benchmark (`benches/reports.rs`) measures them.
//!
//! Run: `scripts/bench-reports-pg.sh` (or `cargo run --release -p thutuc-reports --example
//! pg_monthly -- postgres://…` on a database that already holds the data).

use std::sync::Arc;
use std::time::Instant;

use chrono::NaiveDate;
use thutuc_domain::calendar::Calendar;
use thutuc_domain::params::PublicationRules;
use thutuc_reports::service::ReportEnv;
use thutuc_store::StatsStore;
use thutuc_store_postgres::PgStore;

#[path = "../benches/common/mod.rs"]
mod common;

use common::ms;

type Res<T> = Result<T, Box<dyn std::error::Error>>;

#[tokio::main]
async fn main() -> Res<()> {
    let url = std::env::args()
        .nth(1)
        .ok_or("usage: pg_monthly postgres://…")?;
    let store = PgStore::connect(&url).await?;
    let today = NaiveDate::from_ymd_opt(2026, 1, 10).ok_or("date")?;
    let t = Instant::now();
    let r = store.refresh_stats(today).await?;
    println!(
        "PostgreSQL: first refresh (mirror of {} procedures, {} snapshot months): {:.0} ms",
        r.procedures,
        r.months_added,
        ms(t)
    );
    let env = ReportEnv::load(
        &store,
        Arc::new(PublicationRules::default()),
        Arc::new(Calendar::default_vn()?),
    )
    .await?;
    common::monthly_and_trend("PostgreSQL: ", &store, &env, today).await?;
    Ok(())
}
