//! Timings shared by the SQLite benchmark (`benches/reports.rs`) and the PostgreSQL example
//! (`examples/pg_monthly.rs`), so that both backends are measured the same way.

use std::time::Instant;

use chrono::NaiveDate;
use thutuc_reports::service::{ReportEnv, ReportRequest, build, trend};
use thutuc_reports::{DateBasis, Period};
use thutuc_store::Store;

/// Milliseconds since `t`.
pub fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

/// Median and maximum of some timings.
fn median_max(mut times: Vec<f64>) -> (f64, f64) {
    times.sort_by(f64::total_cmp);
    (times[times.len() / 2], times[times.len() - 1])
}

/// Monthly reports for all agencies (median of 15, three months across the history), then the
/// dashboard's 12-month trend ending 2025-11 (median of 5), printed with `label`.
pub async fn monthly_and_trend<S: Store>(
    label: &str,
    store: &S,
    env: &ReportEnv,
    today: NaiveDate,
) -> Result<(), Box<dyn std::error::Error>> {
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
            let rep = build(store, env, &req, today).await?;
            times.push(ms(t));
            items = rep.national.items.len();
        }
        let (median, max) = median_max(times);
        println!(
            "{label}monthly report {month}, all agencies ({items} counted items): median {median:.1} ms, max {max:.1} ms"
        );
    }
    let mut times = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let points = trend(
            store,
            env,
            Period::parse("2025-11")?,
            12,
            DateBasis::Signed,
            None,
        )
        .await?;
        assert_eq!(points.len(), 12);
        times.push(ms(t));
    }
    let (median, max) = median_max(times);
    println!("{label}12-month trend ending 2025-11: median {median:.1} ms, max {max:.1} ms");
    Ok(())
}
