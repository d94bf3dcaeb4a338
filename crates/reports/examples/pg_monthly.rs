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
use thutuc_reports::service::{ReportEnv, ReportRequest, build, trend};
use thutuc_reports::{DateBasis, Period};
use thutuc_store::StatsStore;
use thutuc_store_postgres::PgStore;

type Res<T> = Result<T, Box<dyn std::error::Error>>;

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

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
    for month in ["2016-06", "2020-06", "2025-11"] {
        let req = ReportRequest {
            period: Period::parse(month)?,
            basis: DateBasis::Signed,
            scope: None,
        };
        let mut times = Vec::new();
        let mut items = 0;
        for _ in 0..15 {
            let t = Instant::now();
            let rep = build(&store, &env, &req, today).await?;
            times.push(ms(t));
            items = rep.national.items.len();
        }
        times.sort_by(f64::total_cmp);
        println!(
            "PostgreSQL: monthly report {month}, all agencies ({items} counted items): median {:.1} ms, max {:.1} ms",
            times[times.len() / 2],
            times[times.len() - 1]
        );
    }
    let mut times = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        trend(
            &store,
            &env,
            Period::parse("2025-11")?,
            12,
            DateBasis::Signed,
            None,
            today,
        )
        .await?;
        times.push(ms(t));
    }
    times.sort_by(f64::total_cmp);
    println!(
        "PostgreSQL: 12-month trend ending 2025-11: median {:.1} ms",
        times[times.len() / 2]
    );
    Ok(())
}
