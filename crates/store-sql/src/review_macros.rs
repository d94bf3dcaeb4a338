//! Review comments, shared by both backends.

/// Implements `thutuc_store::ReviewStore` for `$store` over `$db`.
#[macro_export]
macro_rules! impl_sql_review_store {
    ($store:ty, $db:ty) => {
        const _: () = {
            use $crate::deps::chrono::Utc;
            use $crate::deps::sqlx::{self, Row};
            use $crate::deps::thutuc_domain::TthcCode;
            use $crate::deps::thutuc_store::review::*;
            use $crate::deps::thutuc_store::*;
            use $crate::rows::map_err;

            fn comment_from_row(r: &<$db as sqlx::Database>::Row) -> StoreResult<Comment> {
                Ok(Comment {
                    id: r.try_get("id").map_err(map_err)?,
                    author: r.try_get("author").map_err(map_err)?,
                    body: r.try_get("body").map_err(map_err)?,
                    created_at: r.try_get("created_at").map_err(map_err)?,
                })
            }

            #[$crate::deps::async_trait]
            impl ReviewStore for $store {
                async fn add_comment(&self, c: &NewComment) -> StoreResult<Comment> {
                    let body = c.body.trim();
                    if body.is_empty() {
                        return Err(StoreError::invalid("body", "ý kiến trống / the comment is empty"));
                    }
                    if body.chars().count() > MAX_COMMENT_CHARS {
                        return Err(StoreError::invalid(
                            "body",
                            format!("ý kiến dài quá {MAX_COMMENT_CHARS} ký tự / the comment is longer than {MAX_COMMENT_CHARS} characters"),
                        ));
                    }
                    let exists: Option<i64> = sqlx::query_scalar("SELECT seq FROM procedure_versions WHERE code = $1 AND seq = $2")
                        .bind(c.code.as_str())
                        .bind(c.seq)
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(map_err)?;
                    if exists.is_none() {
                        return Err(StoreError::NotFound(format!("phiên bản {} của thủ tục {}", c.seq, c.code)));
                    }
                    let mut tx = self.begin_write().await?;
                    let r = sqlx::query(
                        "INSERT INTO version_comments (code, seq, author, body, created_at) VALUES ($1, $2, $3, $4, $5) \
                         RETURNING id, author, body, created_at",
                    )
                    .bind(c.code.as_str())
                    .bind(c.seq)
                    .bind(&c.author)
                    .bind(body)
                    .bind(Utc::now())
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(map_err)?;
                    let comment = comment_from_row(&r)?;
                    <$store>::commit_audited(tx).await?;
                    Ok(comment)
                }

                async fn comments(&self, code: &TthcCode, seq: i64) -> StoreResult<Vec<Comment>> {
                    let rows = sqlx::query("SELECT id, author, body, created_at FROM version_comments WHERE code = $1 AND seq = $2 ORDER BY id")
                        .bind(code.as_str())
                        .bind(seq)
                        .fetch_all(&self.pool)
                        .await
                        .map_err(map_err)?;
                    rows.iter().map(comment_from_row).collect()
                }
            }
        };
    };
}
