//! Staged uploads, shared by both backends.

/// Implements `thutuc_store::StagingStore` for `$store` over `$db`.
#[macro_export]
macro_rules! impl_sql_staging_store {
    ($store:ty, $db:ty) => {
        const _: () = {
            use $crate::deps::chrono::{DateTime, Utc};
            use $crate::deps::sqlx::{self, Row};
            use $crate::deps::thutuc_store::*;
            use $crate::rows::map_err;

            #[$crate::deps::async_trait]
            impl StagingStore for $store {
                async fn stage_upload(&self, u: &StagedUpload, expired_before: DateTime<Utc>, per_user: i64) -> StoreResult<()> {
                    let mut tx = self.begin_write().await?;
                    sqlx::query("DELETE FROM staged_uploads WHERE created_at < $1")
                        .bind(expired_before)
                        .execute(&mut *tx)
                        .await
                        .map_err(map_err)?;
                    sqlx::query(
                        "DELETE FROM staged_uploads WHERE user_id = $1 AND token NOT IN \
                         (SELECT token FROM staged_uploads WHERE user_id = $1 ORDER BY created_at DESC, token LIMIT $2)",
                    )
                    .bind(u.user_id)
                    .bind((per_user - 1).max(0))
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err)?;
                    sqlx::query("INSERT INTO staged_uploads (token, user_id, created_at, meta, bytes) VALUES ($1, $2, $3, $4, $5)")
                        .bind(&u.token)
                        .bind(u.user_id)
                        .bind(u.created_at)
                        .bind(&u.meta)
                        .bind(&u.bytes)
                        .execute(&mut *tx)
                        .await
                        .map_err(map_err)?;
                    tx.commit().await.map_err(map_err)?;
                    Ok(())
                }

                async fn take_staged_upload(&self, token: &str, user_id: i64, expired_before: DateTime<Utc>) -> StoreResult<Option<StagedUpload>> {
                    let mut tx = self.begin_write().await?;
                    let sql = format!(
                        "SELECT token, user_id, created_at, meta, bytes FROM staged_uploads WHERE token = $1 AND user_id = $2{}",
                        <$store>::FOR_UPDATE
                    );
                    let row = sqlx::query(&sql).bind(token).bind(user_id).fetch_optional(&mut *tx).await.map_err(map_err)?;
                    let Some(r) = row else {
                        tx.rollback().await.map_err(map_err)?;
                        return Ok(None);
                    };
                    sqlx::query("DELETE FROM staged_uploads WHERE token = $1")
                        .bind(token)
                        .execute(&mut *tx)
                        .await
                        .map_err(map_err)?;
                    tx.commit().await.map_err(map_err)?;
                    let created_at: DateTime<Utc> = r.try_get("created_at").map_err(map_err)?;
                    if created_at < expired_before {
                        return Ok(None);
                    }
                    Ok(Some(StagedUpload {
                        token: r.try_get("token").map_err(map_err)?,
                        user_id: r.try_get("user_id").map_err(map_err)?,
                        created_at,
                        meta: r.try_get("meta").map_err(map_err)?,
                        bytes: r.try_get("bytes").map_err(map_err)?,
                    }))
                }
            }
        };
    };
}
