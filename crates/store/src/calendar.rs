//! Calendar rows edited or imported by officers (notice days off, swapped working days). The
//! server builds its working-day calendar from the embedded notices plus these rows.

use async_trait::async_trait;
use chrono::NaiveDate;
use thutuc_domain::calendar::CalendarDay;

use crate::StoreResult;

/// Stored calendar rows.
#[async_trait]
pub trait CalendarStore: Send + Sync {
    /// Active rows, by date.
    async fn calendar_days(&self) -> StoreResult<Vec<CalendarDay>>;
    /// Inserts or replaces rows (one transaction) and marks them active.
    async fn upsert_calendar_days(&self, rows: &[CalendarDay], by: &str) -> StoreResult<usize>;
    /// Withdraws a row (kept with `active = false`), so the computed rule applies again.
    async fn withdraw_calendar_day(&self, day: NaiveDate, by: &str) -> StoreResult<()>;
}
