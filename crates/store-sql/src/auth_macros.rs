//! The workspace's storage (sessions, sign-in throttling, accounts, audit log), written once
//! for both backends. It relies on the same hooks as [`crate::impl_sql_store!`]: `pool`,
//! `begin_write()` and `FOR_UPDATE`.

/// Implements `SessionStore`, `LoginThrottle`, `AccountStore` and `AuditStore` for `$store`.
#[macro_export]
macro_rules! impl_sql_auth_store {
    ($store:ty, $db:ty) => {
        const _: () = {
            use $crate::deps::chrono::{DateTime, Utc};
            use $crate::deps::sqlx::{self, Row};
            use $crate::deps::thutuc_domain::TthcCode;
            use $crate::deps::thutuc_store::*;
            use $crate::rows::map_err;

            type Db = $db;
            type Row_ = <Db as sqlx::Database>::Row;

            const SESSION_COLS: &str = "s.id_hash, s.user_id, s.csrf_token, s.created_at, s.last_seen, s.ip, s.user_agent, s.ended_at";
            const USER_COLS: &str = "u.id, u.email, u.name, u.org_id, u.role, u.password_hash";
            const AUDIT_COLS: &str = "seq, at, actor, action, entity_type, entity_id, before_json, after_json, prev_hash, hash";

            fn session_from_row(r: &Row_) -> StoreResult<SessionRecord> {
                Ok(SessionRecord {
                    id_hash: r.try_get("id_hash").map_err(map_err)?,
                    user_id: r.try_get("user_id").map_err(map_err)?,
                    csrf_token: r.try_get("csrf_token").map_err(map_err)?,
                    created_at: r.try_get("created_at").map_err(map_err)?,
                    last_seen: r.try_get("last_seen").map_err(map_err)?,
                    ip: r.try_get("ip").map_err(map_err)?,
                    user_agent: r.try_get("user_agent").map_err(map_err)?,
                    ended_at: r.try_get("ended_at").map_err(map_err)?,
                })
            }

            fn account_from_row(r: &Row_) -> StoreResult<User> {
                Ok(User {
                    id: r.try_get("id").map_err(map_err)?,
                    email: r.try_get("email").map_err(map_err)?,
                    name: r.try_get("name").map_err(map_err)?,
                    org_id: r.try_get("org_id").map_err(map_err)?,
                    role: r.try_get("role").map_err(map_err)?,
                    password_hash: r.try_get("password_hash").map_err(map_err)?,
                })
            }

            fn audit_from_row(r: &Row_) -> StoreResult<AuditEntry> {
                Ok(AuditEntry {
                    seq: r.try_get("seq").map_err(map_err)?,
                    at: r.try_get("at").map_err(map_err)?,
                    actor: r.try_get("actor").map_err(map_err)?,
                    action: r.try_get("action").map_err(map_err)?,
                    entity_type: r.try_get("entity_type").map_err(map_err)?,
                    entity_id: r.try_get("entity_id").map_err(map_err)?,
                    before: r.try_get("before_json").map_err(map_err)?,
                    after: r.try_get("after_json").map_err(map_err)?,
                    prev_hash: r.try_get("prev_hash").map_err(map_err)?,
                    hash: r.try_get("hash").map_err(map_err)?,
                })
            }

            fn push_audit_filters<'a>(qb: &mut sqlx::QueryBuilder<'a, Db>, f: &'a AuditFilter) {
                qb.push(" WHERE 1 = 1");
                if let Some(a) = f.actor.as_deref().filter(|s| !s.is_empty()) {
                    qb.push(" AND actor = ").push_bind(a);
                }
                if let Some(t) = f.entity_type.as_deref().filter(|s| !s.is_empty()) {
                    qb.push(" AND entity_type = ").push_bind(t);
                }
                if let Some(p) = f.entity_prefix.as_deref().filter(|s| !s.is_empty()) {
                    let escaped = p.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
                    qb.push(" AND entity_id LIKE ").push_bind(format!("{escaped}%")).push(" ESCAPE '\\'");
                }
            }

            #[$crate::deps::async_trait]
            impl SessionStore for $store {
                async fn create_session(&self, s: &SessionRecord) -> StoreResult<()> {
                    let mut tx = self.begin_write().await?;
                    sqlx::query("INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, last_seen, ip, user_agent, ended_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                        .bind(&s.id_hash)
                        .bind(s.user_id)
                        .bind(&s.csrf_token)
                        .bind(s.created_at)
                        .bind(s.last_seen)
                        .bind(&s.ip)
                        .bind(&s.user_agent)
                        .bind(s.ended_at)
                        .execute(&mut *tx)
                        .await
                        .map_err(map_err)?;
                    <$store>::commit_audited(tx).await
                }

                async fn live_session(&self, id_hash: &str) -> StoreResult<(SessionRecord, User)> {
                    let sql = format!("SELECT {SESSION_COLS}, {USER_COLS} FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = $1 AND s.ended_at IS NULL");
                    let row = sqlx::query(&sql).bind(id_hash).fetch_optional(&self.pool).await.map_err(map_err)?;
                    match row {
                        Some(r) => Ok((session_from_row(&r)?, account_from_row(&r)?)),
                        None => Err(StoreError::NotFound("phiên làm việc / session".into())),
                    }
                }

                async fn touch_session(&self, id_hash: &str, at: DateTime<Utc>) -> StoreResult<()> {
                    sqlx::query("UPDATE sessions SET last_seen = $1 WHERE id_hash = $2 AND ended_at IS NULL")
                        .bind(at)
                        .bind(id_hash)
                        .execute(&self.pool)
                        .await
                        .map_err(map_err)?;
                    Ok(())
                }

                async fn end_session(&self, id_hash: &str, at: DateTime<Utc>) -> StoreResult<()> {
                    let mut tx = self.begin_write().await?;
                    sqlx::query("UPDATE sessions SET ended_at = $1 WHERE id_hash = $2 AND ended_at IS NULL")
                        .bind(at)
                        .bind(id_hash)
                        .execute(&mut *tx)
                        .await
                        .map_err(map_err)?;
                    <$store>::commit_audited(tx).await
                }

                async fn end_user_sessions(&self, user_id: i64, keep: Option<&str>, at: DateTime<Utc>) -> StoreResult<u64> {
                    let mut tx = self.begin_write().await?;
                    let done = sqlx::query("UPDATE sessions SET ended_at = $1 WHERE user_id = $2 AND ended_at IS NULL AND id_hash <> $3")
                        .bind(at)
                        .bind(user_id)
                        .bind(keep.unwrap_or(""))
                        .execute(&mut *tx)
                        .await
                        .map_err(map_err)?;
                    let ended = done.rows_affected();
                    // The audit entry, if any, records how many sessions this ended.
                    audit_scope::amend_pending(|e| {
                        e.after = Some($crate::deps::serde_json::json!({ "ended": ended }));
                    });
                    <$store>::commit_audited(tx).await?;
                    Ok(ended)
                }

                async fn user_sessions(&self, user_id: i64) -> StoreResult<Vec<SessionRecord>> {
                    let sql = format!("SELECT {SESSION_COLS} FROM sessions s WHERE s.user_id = $1 AND s.ended_at IS NULL ORDER BY s.created_at DESC");
                    let rows = sqlx::query(&sql).bind(user_id).fetch_all(&self.pool).await.map_err(map_err)?;
                    rows.iter().map(session_from_row).collect()
                }
            }

            #[$crate::deps::async_trait]
            impl LoginThrottle for $store {
                async fn record_login_failure(&self, key: &str, at: DateTime<Utc>) -> StoreResult<()> {
                    sqlx::query("INSERT INTO login_failures (throttle_key, at) VALUES ($1, $2)")
                        .bind(key)
                        .bind(at)
                        .execute(&self.pool)
                        .await
                        .map_err(map_err)?;
                    Ok(())
                }

                async fn login_failures(&self, key: &str, since: DateTime<Utc>) -> StoreResult<i64> {
                    sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM login_failures WHERE throttle_key = $1 AND at >= $2")
                        .bind(key)
                        .bind(since)
                        .fetch_one(&self.pool)
                        .await
                        .map_err(map_err)
                }

                async fn clear_login_failures(&self, key: &str) -> StoreResult<()> {
                    sqlx::query("DELETE FROM login_failures WHERE throttle_key = $1")
                        .bind(key)
                        .execute(&self.pool)
                        .await
                        .map_err(map_err)?;
                    Ok(())
                }
            }

            #[$crate::deps::async_trait]
            impl AccountStore for $store {
                async fn user_by_id(&self, id: i64) -> StoreResult<User> {
                    let sql = format!("SELECT {USER_COLS} FROM users u WHERE u.id = $1");
                    let row = sqlx::query(&sql).bind(id).fetch_optional(&self.pool).await.map_err(map_err)?;
                    match row {
                        Some(r) => account_from_row(&r),
                        None => Err(StoreError::NotFound(format!("người dùng #{id}"))),
                    }
                }

                async fn list_users(&self, orgs: Option<&[String]>) -> StoreResult<Vec<User>> {
                    let mut qb = sqlx::QueryBuilder::<Db>::new(format!("SELECT {USER_COLS} FROM users u"));
                    if let Some(orgs) = orgs {
                        if orgs.is_empty() {
                            return Ok(Vec::new());
                        }
                        qb.push(" WHERE u.org_id IN (");
                        let mut sep = qb.separated(", ");
                        for o in orgs {
                            sep.push_bind(o.as_str());
                        }
                        qb.push(")");
                    }
                    qb.push(" ORDER BY u.email");
                    let rows = qb.build().fetch_all(&self.pool).await.map_err(map_err)?;
                    rows.iter().map(account_from_row).collect()
                }

                async fn set_password_hash(&self, user_id: i64, hash: &str) -> StoreResult<()> {
                    let mut tx = self.begin_write().await?;
                    let done = sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
                        .bind(hash)
                        .bind(user_id)
                        .execute(&mut *tx)
                        .await
                        .map_err(map_err)?;
                    if done.rows_affected() == 0 {
                        return Err(StoreError::NotFound(format!("người dùng #{user_id}")));
                    }
                    <$store>::commit_audited(tx).await
                }

                async fn version_author(&self, code: &TthcCode, seq: i64) -> StoreResult<String> {
                    let who: Option<String> = sqlx::query_scalar("SELECT created_by FROM procedure_versions WHERE code = $1 AND seq = $2")
                        .bind(code.as_str())
                        .bind(seq)
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(map_err)?;
                    who.ok_or_else(|| StoreError::NotFound(format!("phiên bản {seq} của thủ tục {code}")))
                }
            }

            impl $store {
                /// Appends an audit entry inside a write transaction (locking the chain's head
                /// until the transaction ends).
                pub(crate) async fn append_audit_in(tx: &mut sqlx::Transaction<'static, Db>, e: &NewAuditEntry) -> StoreResult<AuditEntry> {
                    let sql = format!("SELECT seq, hash FROM audit_head WHERE id = 1{}", <$store>::FOR_UPDATE);
                    let head = sqlx::query(&sql).fetch_one(&mut **tx).await.map_err(map_err)?;
                    let last: i64 = head.try_get("seq").map_err(map_err)?;
                    let prev: String = head.try_get("hash").map_err(map_err)?;
                    let mut row = AuditEntry {
                        seq: last + 1,
                        at: audit_time(Utc::now()),
                        actor: e.actor.clone(),
                        action: e.action.clone(),
                        entity_type: e.entity_type.clone(),
                        entity_id: e.entity_id.clone(),
                        before: e.before.as_ref().map(|v| v.to_string()),
                        after: e.after.as_ref().map(|v| v.to_string()),
                        prev_hash: prev,
                        hash: String::new(),
                    };
                    row.hash = audit_hash(&row);
                    sqlx::query("INSERT INTO audit_log (seq, at, actor, action, entity_type, entity_id, before_json, after_json, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
                        .bind(row.seq)
                        .bind(row.at)
                        .bind(&row.actor)
                        .bind(&row.action)
                        .bind(&row.entity_type)
                        .bind(&row.entity_id)
                        .bind(&row.before)
                        .bind(&row.after)
                        .bind(&row.prev_hash)
                        .bind(&row.hash)
                        .execute(&mut **tx)
                        .await
                        .map_err(map_err)?;
                    sqlx::query("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1")
                        .bind(row.seq)
                        .bind(&row.hash)
                        .execute(&mut **tx)
                        .await
                        .map_err(map_err)?;
                    Ok(row)
                }

                /// Commits a write transaction, first appending the audit entry pending for this
                /// call (see `thutuc_store::audit_scope`), so the change and its entry are stored
                /// together or not at all.
                pub(crate) async fn commit_audited(mut tx: sqlx::Transaction<'static, Db>) -> StoreResult<()> {
                    let Some(e) = audit_scope::take_pending() else {
                        return tx.commit().await.map_err(map_err);
                    };
                    let done = match <$store>::append_audit_in(&mut tx, &e).await {
                        Ok(_) => tx.commit().await.map_err(map_err),
                        Err(err) => Err(err),
                    };
                    if done.is_err() {
                        audit_scope::restore_pending(e);
                    }
                    done
                }
            }

            #[$crate::deps::async_trait]
            impl AuditStore for $store {
                async fn append_audit(&self, e: &NewAuditEntry) -> StoreResult<AuditEntry> {
                    let mut tx = self.begin_write().await?;
                    let row = <$store>::append_audit_in(&mut tx, e).await?;
                    tx.commit().await.map_err(map_err)?;
                    Ok(row)
                }

                async fn audit_entries(&self, f: &AuditFilter) -> StoreResult<Page<AuditEntry>> {
                    let limit = f.limit.clamp(1, 500);
                    let offset = f.offset.max(0);
                    let mut count = sqlx::QueryBuilder::<Db>::new("SELECT COUNT(*) FROM audit_log");
                    push_audit_filters(&mut count, f);
                    let total: i64 = count.build_query_scalar().fetch_one(&self.pool).await.map_err(map_err)?;
                    let mut qb = sqlx::QueryBuilder::<Db>::new(format!("SELECT {AUDIT_COLS} FROM audit_log"));
                    push_audit_filters(&mut qb, f);
                    qb.push(" ORDER BY seq DESC LIMIT ").push_bind(limit).push(" OFFSET ").push_bind(offset);
                    let rows = qb.build().fetch_all(&self.pool).await.map_err(map_err)?;
                    let items = rows.iter().map(audit_from_row).collect::<StoreResult<Vec<_>>>()?;
                    Ok(Page { items, total, limit, offset })
                }

                async fn verify_audit(&self) -> StoreResult<AuditVerification> {
                    let head = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1").fetch_one(&self.pool).await.map_err(map_err)?;
                    let head_seq: i64 = head.try_get("seq").map_err(map_err)?;
                    let head_hash: String = head.try_get("hash").map_err(map_err)?;
                    let mut prev = GENESIS_HASH.to_string();
                    let mut expected = 1i64;
                    let sql = format!("SELECT {AUDIT_COLS} FROM audit_log WHERE seq >= $1 ORDER BY seq LIMIT 1000");
                    loop {
                        let rows = sqlx::query(&sql).bind(expected).fetch_all(&self.pool).await.map_err(map_err)?;
                        if rows.is_empty() {
                            break;
                        }
                        let rows = rows.iter().map(audit_from_row).collect::<StoreResult<Vec<_>>>()?;
                        if let Some(b) = verify_rows(&rows, &mut prev, &mut expected) {
                            return Ok(AuditVerification { rows: expected - 1, head: head_hash, broken: Some(b) });
                        }
                    }
                    let checked = expected - 1;
                    let broken = if checked != head_seq || prev != head_hash {
                        Some((checked + 1, format!("đầu chuỗi ghi {head_seq} dòng nhưng còn {checked} dòng / rows removed from the end")))
                    } else {
                        None
                    };
                    Ok(AuditVerification { rows: checked, head: head_hash, broken })
                }
            }
        };
    };
}
