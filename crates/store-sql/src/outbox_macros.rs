//! Outbox mail, notifications and report subscriptions, shared by both backends.
//!
//! Other capabilities enqueue inside their own transactions with [`enqueue_mail_in_tx!`] and
//! [`notify_in_tx!`], so that a change and the mail it causes commit together or not at all.

/// Backend-neutral SQL of the outbox, for statements run inside other capabilities' transactions.
pub mod outbox_sql {
    /// Inserts a mail unless its dedupe key exists. Binds: dedupe_key, message_id, to_addr,
    /// subject, body_text, attachment_name, attachment_type, attachment, now.
    pub const INSERT_MAIL: &str = "INSERT INTO outbox_mail (dedupe_key, message_id, to_addr, subject, body_text, \
         attachment_name, attachment_type, attachment, status, attempts, next_attempt_at, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', 0, $9, $9) ON CONFLICT (dedupe_key) DO NOTHING";
    /// Inserts a notification unless its dedupe key exists. Binds: dedupe_key, user_id, org_id,
    /// title, body, link, now.
    pub const INSERT_NOTIFICATION: &str = "INSERT INTO notifications (dedupe_key, user_id, org_id, title, body, link, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (dedupe_key) DO NOTHING";
}

/// Enqueues `&OutgoingMail` inside an open transaction `tx`; evaluates to
/// `Result<bool, StoreError>` (`false` when the dedupe key existed).
#[macro_export]
macro_rules! enqueue_mail_in_tx {
    ($tx:expr, $mail:expr) => {{
        let m: &$crate::deps::thutuc_store::outbox::OutgoingMail = $mail;
        let (an, at, ab) = match &m.attachment {
            Some(a) => (
                Some(a.filename.clone()),
                Some(a.content_type.clone()),
                Some(a.bytes.clone()),
            ),
            None => (None, None, None),
        };
        $crate::deps::sqlx::query($crate::outbox_sql::INSERT_MAIL)
            .bind(&m.dedupe_key)
            .bind(m.message_id())
            .bind(&m.to)
            .bind(&m.subject)
            .bind(&m.body_text)
            .bind(an)
            .bind(at)
            .bind(ab)
            .bind($crate::deps::chrono::Utc::now())
            .execute(&mut *$tx)
            .await
            .map(|r| r.rows_affected() == 1)
            .map_err($crate::rows::map_err)
    }};
}

/// Creates `&NewNotification` inside an open transaction `tx`; evaluates to
/// `Result<bool, StoreError>` (`false` when the dedupe key existed).
#[macro_export]
macro_rules! notify_in_tx {
    ($tx:expr, $n:expr) => {{
        let n: &$crate::deps::thutuc_store::outbox::NewNotification = $n;
        $crate::deps::sqlx::query($crate::outbox_sql::INSERT_NOTIFICATION)
            .bind(&n.dedupe_key)
            .bind(n.user_id)
            .bind(&n.org_id)
            .bind(&n.title)
            .bind(&n.body)
            .bind(&n.link)
            .bind($crate::deps::chrono::Utc::now())
            .execute(&mut *$tx)
            .await
            .map(|r| r.rows_affected() == 1)
            .map_err($crate::rows::map_err)
    }};
}

/// Implements `OutboxStore` and `SubscriptionStore` for `$store` over `$db`. The backend provides
/// `const SKIP_LOCKED: &str` (PostgreSQL ` FOR UPDATE SKIP LOCKED`; SQLite nothing, since
/// `BEGIN IMMEDIATE` already serialises claims).
#[macro_export]
macro_rules! impl_sql_outbox_store {
    ($store:ty, $db:ty) => {
        const _: () = {
            use $crate::deps::chrono::{DateTime, Utc};
            use $crate::deps::sqlx::{self, Row};
            use $crate::deps::thutuc_store::outbox::*;
            use $crate::deps::thutuc_store::*;
            use $crate::rows::{map_err, parse_col};

            type Db = $db;

            const MAIL_COLS: &str = "id, dedupe_key, message_id, to_addr, subject, body_text, attachment_name, \
                status, attempts, next_attempt_at, last_error, created_at, sent_at, claim_token";

            fn mail_from_row(r: &<Db as sqlx::Database>::Row) -> StoreResult<OutboxMail> {
                let status: String = r.try_get("status").map_err(map_err)?;
                Ok(OutboxMail {
                    id: r.try_get("id").map_err(map_err)?,
                    dedupe_key: r.try_get("dedupe_key").map_err(map_err)?,
                    message_id: r.try_get("message_id").map_err(map_err)?,
                    to: r.try_get("to_addr").map_err(map_err)?,
                    subject: r.try_get("subject").map_err(map_err)?,
                    body_text: r.try_get("body_text").map_err(map_err)?,
                    attachment: None,
                    attachment_name: r.try_get("attachment_name").map_err(map_err)?,
                    status: parse_col(&status, "outbox_mail.status", MailStatus::parse)?,
                    attempts: r.try_get("attempts").map_err(map_err)?,
                    next_attempt_at: r.try_get("next_attempt_at").map_err(map_err)?,
                    last_error: r.try_get("last_error").map_err(map_err)?,
                    created_at: r.try_get("created_at").map_err(map_err)?,
                    sent_at: r.try_get("sent_at").map_err(map_err)?,
                    claim_token: r.try_get("claim_token").map_err(map_err)?,
                })
            }

            #[$crate::deps::async_trait]
            impl OutboxStore for $store {
                async fn enqueue_mail(&self, mail: &OutgoingMail) -> StoreResult<bool> {
                    let mut tx = self.begin_write().await?;
                    let fresh = $crate::enqueue_mail_in_tx!(tx, mail)?;
                    tx.commit().await.map_err(map_err)?;
                    Ok(fresh)
                }

                async fn claim_mail(&self, now: DateTime<Utc>, lease_secs: i64, token: &str, limit: i64) -> StoreResult<Vec<OutboxMail>> {
                    let mut tx = self.begin_write().await?;
                    let pick = format!(
                        "SELECT id FROM outbox_mail WHERE (status = 'pending' AND next_attempt_at <= $1) \
                         OR (status = 'sending' AND lease_until < $1) ORDER BY next_attempt_at, id LIMIT $2{}",
                        Self::SKIP_LOCKED
                    );
                    let ids: Vec<i64> = sqlx::query_scalar(&pick).bind(now).bind(limit).fetch_all(&mut *tx).await.map_err(map_err)?;
                    let lease = now + $crate::deps::chrono::Duration::seconds(lease_secs.max(1));
                    let mut out = Vec::with_capacity(ids.len());
                    for id in ids {
                        let sql = format!(
                            "UPDATE outbox_mail SET status = 'sending', lease_until = $2, claim_token = $3, attempts = attempts + 1 \
                             WHERE id = $1 RETURNING {MAIL_COLS}, attachment_type, attachment"
                        );
                        let r = sqlx::query(&sql).bind(id).bind(lease).bind(token).fetch_one(&mut *tx).await.map_err(map_err)?;
                        let mut m = mail_from_row(&r)?;
                        let bytes: Option<Vec<u8>> = r.try_get("attachment").map_err(map_err)?;
                        let ctype: Option<String> = r.try_get("attachment_type").map_err(map_err)?;
                        if let (Some(name), Some(bytes)) = (m.attachment_name.clone(), bytes) {
                            m.attachment = Some(MailAttachment {
                                filename: name,
                                content_type: ctype.unwrap_or_else(|| "application/octet-stream".into()),
                                bytes,
                            });
                        }
                        out.push(m);
                    }
                    tx.commit().await.map_err(map_err)?;
                    Ok(out)
                }

                async fn mark_mail_sent(&self, id: i64, token: &str, at: DateTime<Utc>) -> StoreResult<()> {
                    // Recorded even if the lease was lost meanwhile: the server did accept it.
                    let n = sqlx::query(
                        "UPDATE outbox_mail SET status = 'sent', sent_at = $2, lease_until = NULL, last_error = NULL \
                         WHERE id = $1 AND (claim_token = $3 OR status = 'sending')",
                    )
                    .bind(id)
                    .bind(at)
                    .bind(token)
                    .execute(&self.pool)
                    .await
                    .map_err(map_err)?
                    .rows_affected();
                    if n == 0 {
                        return Err(StoreError::NotFound(format!("thư #{id} trong hàng đợi")));
                    }
                    Ok(())
                }

                async fn mark_mail_failed(&self, id: i64, token: &str, error: &str, retry_at: Option<DateTime<Utc>>) -> StoreResult<()> {
                    let (status, next) = match retry_at {
                        Some(t) => ("pending", Some(t)),
                        None => ("dead", None),
                    };
                    let n = sqlx::query(
                        "UPDATE outbox_mail SET status = $2, next_attempt_at = COALESCE($3, next_attempt_at), lease_until = NULL, \
                         last_error = $4 WHERE id = $1 AND claim_token = $5 AND status = 'sending'",
                    )
                    .bind(id)
                    .bind(status)
                    .bind(next)
                    .bind(error)
                    .bind(token)
                    .execute(&self.pool)
                    .await
                    .map_err(map_err)?
                    .rows_affected();
                    if n == 0 {
                        return Err(StoreError::conflict(format!("thư #{id}: lượt gửi đã hết hạn / claim expired")));
                    }
                    Ok(())
                }

                async fn requeue_mail(&self, id: i64, at: DateTime<Utc>) -> StoreResult<()> {
                    let n = sqlx::query("UPDATE outbox_mail SET status = 'pending', next_attempt_at = $2, attempts = 0 WHERE id = $1 AND status = 'dead'")
                        .bind(id)
                        .bind(at)
                        .execute(&self.pool)
                        .await
                        .map_err(map_err)?
                        .rows_affected();
                    if n == 0 {
                        return Err(StoreError::Rule(format!("thư #{id} không ở trạng thái thất bại / mail #{id} is not dead")));
                    }
                    Ok(())
                }

                async fn list_mail(&self, status: Option<MailStatus>, limit: i64, offset: i64) -> StoreResult<Page<OutboxMail>> {
                    let st = status.map(MailStatus::as_str);
                    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox_mail WHERE ($1 IS NULL OR status = $1)")
                        .bind(st)
                        .fetch_one(&self.pool)
                        .await
                        .map_err(map_err)?;
                    let sql = format!("SELECT {MAIL_COLS} FROM outbox_mail WHERE ($1 IS NULL OR status = $1) ORDER BY id DESC LIMIT $2 OFFSET $3");
                    let rows = sqlx::query(&sql).bind(st).bind(limit).bind(offset).fetch_all(&self.pool).await.map_err(map_err)?;
                    let items = rows.iter().map(mail_from_row).collect::<StoreResult<Vec<_>>>()?;
                    Ok(Page { items, total, limit, offset })
                }

                async fn outbox_counts(&self) -> StoreResult<OutboxCounts> {
                    let rows = sqlx::query("SELECT status, COUNT(*) AS n FROM outbox_mail GROUP BY status")
                        .fetch_all(&self.pool)
                        .await
                        .map_err(map_err)?;
                    let mut c = OutboxCounts::default();
                    for r in rows {
                        let s: String = r.try_get("status").map_err(map_err)?;
                        let n: i64 = r.try_get("n").map_err(map_err)?;
                        match MailStatus::parse(&s) {
                            Some(MailStatus::Pending) => c.pending = n,
                            Some(MailStatus::Sending) => c.sending = n,
                            Some(MailStatus::Sent) => c.sent = n,
                            Some(MailStatus::Dead) => c.dead = n,
                            None => {}
                        }
                    }
                    Ok(c)
                }

                async fn notify(&self, items: &[NewNotification]) -> StoreResult<usize> {
                    let mut tx = self.begin_write().await?;
                    let mut fresh = 0;
                    for n in items {
                        if n.user_id.is_none() && n.org_id.is_none() {
                            return Err(StoreError::invalid("notification", "thông báo phải có người nhận hoặc cơ quan / a notification needs a user or an organisation"));
                        }
                        if $crate::notify_in_tx!(tx, n)? {
                            fresh += 1;
                        }
                    }
                    tx.commit().await.map_err(map_err)?;
                    Ok(fresh)
                }

                async fn notifications_for(&self, user_id: i64, org_ids: &[String], unread_only: bool, limit: i64) -> StoreResult<Vec<Notification>> {
                    let mut qb = sqlx::QueryBuilder::<Db>::new(
                        "SELECT n.id, n.user_id, n.org_id, n.title, n.body, n.link, n.created_at, \
                         (SELECT COUNT(*) FROM notification_reads r WHERE r.notification_id = n.id AND r.user_id = ",
                    );
                    qb.push_bind(user_id);
                    qb.push(") AS is_read FROM notifications n WHERE (n.user_id = ");
                    qb.push_bind(user_id);
                    if !org_ids.is_empty() {
                        qb.push(" OR n.org_id IN (");
                        let mut sep = qb.separated(", ");
                        for o in org_ids {
                            sep.push_bind(o.as_str());
                        }
                        qb.push(")");
                    }
                    qb.push(")");
                    if unread_only {
                        qb.push(" AND NOT EXISTS (SELECT 1 FROM notification_reads r WHERE r.notification_id = n.id AND r.user_id = ");
                        qb.push_bind(user_id);
                        qb.push(")");
                    }
                    qb.push(" ORDER BY n.id DESC LIMIT ");
                    qb.push_bind(limit);
                    let rows = qb.build().fetch_all(&self.pool).await.map_err(map_err)?;
                    rows.iter()
                        .map(|r| {
                            let read: i64 = r.try_get("is_read").map_err(map_err)?;
                            Ok(Notification {
                                id: r.try_get("id").map_err(map_err)?,
                                user_id: r.try_get("user_id").map_err(map_err)?,
                                org_id: r.try_get("org_id").map_err(map_err)?,
                                title: r.try_get("title").map_err(map_err)?,
                                body: r.try_get("body").map_err(map_err)?,
                                link: r.try_get("link").map_err(map_err)?,
                                created_at: r.try_get("created_at").map_err(map_err)?,
                                read: read > 0,
                            })
                        })
                        .collect()
                }

                async fn mark_notification_read(&self, id: i64, user_id: i64) -> StoreResult<()> {
                    sqlx::query(
                        "INSERT INTO notification_reads (notification_id, user_id, read_at) VALUES ($1, $2, $3) \
                         ON CONFLICT (notification_id, user_id) DO NOTHING",
                    )
                    .bind(id)
                    .bind(user_id)
                    .bind(Utc::now())
                    .execute(&self.pool)
                    .await
                    .map_err(map_err)?;
                    Ok(())
                }
            }

            #[$crate::deps::async_trait]
            impl SubscriptionStore for $store {
                async fn subscribe_reports(&self, user_id: i64, scope: &str) -> StoreResult<()> {
                    let mut tx = self.begin_write().await?;
                    sqlx::query("INSERT INTO report_subscriptions (user_id, scope, created_at) VALUES ($1, $2, $3) ON CONFLICT (user_id, scope) DO NOTHING")
                        .bind(user_id)
                        .bind(scope)
                        .bind(Utc::now())
                        .execute(&mut *tx)
                        .await
                        .map_err(map_err)?;
                    <$store>::commit_audited(tx).await
                }

                async fn unsubscribe_reports(&self, user_id: i64, scope: &str) -> StoreResult<()> {
                    let mut tx = self.begin_write().await?;
                    sqlx::query("DELETE FROM report_subscriptions WHERE user_id = $1 AND scope = $2")
                        .bind(user_id)
                        .bind(scope)
                        .execute(&mut *tx)
                        .await
                        .map_err(map_err)?;
                    <$store>::commit_audited(tx).await
                }

                async fn report_subscribers(&self, scope: &str) -> StoreResult<Vec<ReportSubscription>> {
                    subs(&self.pool, "s.scope = $1", scope.to_string()).await
                }

                async fn subscriptions_of(&self, user_id: i64) -> StoreResult<Vec<ReportSubscription>> {
                    subs(&self.pool, "s.user_id = $1", user_id).await
                }
            }

            async fn subs<T>(pool: &sqlx::Pool<Db>, cond: &str, arg: T) -> StoreResult<Vec<ReportSubscription>>
            where
                T: for<'q> sqlx::Encode<'q, Db> + sqlx::Type<Db> + Send + 'static,
            {
                let sql = format!(
                    "SELECT s.user_id, u.email, u.name, s.scope FROM report_subscriptions s JOIN users u ON u.id = s.user_id WHERE {cond} ORDER BY u.email, s.scope"
                );
                let rows = sqlx::query(&sql).bind(arg).fetch_all(pool).await.map_err(map_err)?;
                rows.iter()
                    .map(|r| {
                        Ok(ReportSubscription {
                            user_id: r.try_get("user_id").map_err(map_err)?,
                            email: r.try_get("email").map_err(map_err)?,
                            name: r.try_get("name").map_err(map_err)?,
                            scope: r.try_get("scope").map_err(map_err)?,
                        })
                    })
                    .collect()
            }
        };
    };
}
