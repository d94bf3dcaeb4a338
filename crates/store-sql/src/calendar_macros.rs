//! Calendar rows, shared by both backends.

/// Implements `thutuc_store::CalendarStore` for `$store` over `$db`.
#[macro_export]
macro_rules! impl_sql_calendar_store {
    ($store:ty, $db:ty) => {
        const _: () = {
            use $crate::deps::chrono::{NaiveDate, Utc};
            use $crate::deps::sqlx::{self, Row};
            use $crate::deps::thutuc_domain::calendar::{CalendarDay, DayKind};
            use $crate::deps::thutuc_store::*;
            use $crate::rows::map_err;

            fn kind_str(k: DayKind) -> String {
                $crate::deps::serde_json::to_value(k).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
            }

            #[$crate::deps::async_trait]
            impl CalendarStore for $store {
                async fn calendar_days(&self) -> StoreResult<Vec<CalendarDay>> {
                    let rows = sqlx::query("SELECT day, kind, name_vi, source FROM calendar_days WHERE active = $1 ORDER BY day")
                        .bind(true)
                        .fetch_all(&self.pool)
                        .await
                        .map_err(map_err)?;
                    rows.iter()
                        .map(|r| {
                            let kind: String = r.try_get("kind").map_err(map_err)?;
                            Ok(CalendarDay {
                                date: r.try_get("day").map_err(map_err)?,
                                kind: $crate::deps::serde_json::from_value($crate::deps::serde_json::Value::String(kind.clone()))
                                    .map_err(|_| StoreError::Other(format!("calendar_days.kind không hợp lệ: {kind}")))?,
                                name_vi: r.try_get("name_vi").map_err(map_err)?,
                                source: r.try_get("source").map_err(map_err)?,
                            })
                        })
                        .collect()
                }

                async fn upsert_calendar_days(&self, rows: &[CalendarDay], by: &str) -> StoreResult<usize> {
                    let mut tx = self.begin_write().await?;
                    for d in rows {
                        sqlx::query(
                            "INSERT INTO calendar_days (day, kind, name_vi, source, active, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
                             ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, name_vi = excluded.name_vi, source = excluded.source, active = excluded.active, \
                             updated_by = excluded.updated_by, updated_at = excluded.updated_at",
                        )
                        .bind(d.date)
                        .bind(kind_str(d.kind))
                        .bind(&d.name_vi)
                        .bind(&d.source)
                        .bind(true)
                        .bind(by)
                        .bind(Utc::now())
                        .execute(&mut *tx)
                        .await
                        .map_err(map_err)?;
                    }
                    tx.commit().await.map_err(map_err)?;
                    Ok(rows.len())
                }

                async fn withdraw_calendar_day(&self, day: NaiveDate, by: &str) -> StoreResult<()> {
                    let n = sqlx::query("UPDATE calendar_days SET active = $2, updated_by = $3, updated_at = $4 WHERE day = $1")
                        .bind(day)
                        .bind(false)
                        .bind(by)
                        .bind(Utc::now())
                        .execute(&self.pool)
                        .await
                        .map_err(map_err)?
                        .rows_affected();
                    if n == 0 {
                        return Err(StoreError::NotFound(format!("ngày {day} trong lịch")));
                    }
                    Ok(())
                }
            }
        };
    };
}
