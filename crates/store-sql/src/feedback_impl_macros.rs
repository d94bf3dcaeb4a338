//! The `FeedbackStore` methods, expanded inside [`crate::impl_sql_feedback_store!`] where the
//! row helpers (`item_from_row`, `load`, `save`, `event`) are in scope.

/// Expands the `FeedbackStore` impl; only for use inside `impl_sql_feedback_store!`.
#[doc(hidden)]
#[macro_export]
macro_rules! impl_sql_feedback_store_methods {
    ($store:ty) => {
        fn push_filters<'a>(qb: &mut sqlx::QueryBuilder<'a, Db>, f: &'a FeedbackFilter) {
            qb.push(" WHERE 1 = 1");
            if let Some(orgs) = &f.orgs {
                if orgs.is_empty() {
                    qb.push(" AND 1 = 0");
                } else {
                    qb.push(" AND current_org IN (");
                    let mut sep = qb.separated(", ");
                    for o in orgs {
                        sep.push_bind(o.as_str());
                    }
                    qb.push(")");
                }
            }
            if !f.statuses.is_empty() {
                qb.push(" AND status IN (");
                let mut sep = qb.separated(", ");
                for s in &f.statuses {
                    sep.push_bind(s.as_str());
                }
                qb.push(")");
            }
            if let Some(d) = f.overdue_as_of {
                qb.push(" AND is_open = ").push_bind(true).push(" AND due_on < ").push_bind(d);
            }
            if let Some(p) = &f.procedure_code {
                qb.push(" AND procedure_code = ").push_bind(p.as_str());
            }
            if let Some(d) = f.from {
                qb.push(" AND received_on >= ").push_bind(d);
            }
            if let Some(d) = f.to {
                qb.push(" AND received_on <= ").push_bind(d);
            }
            if let Some(u) = f.assigned_to {
                qb.push(" AND assigned_to = ").push_bind(u);
            }
            if let Some(level) = &f.escalation {
                qb.push(" AND escalation_rank >= ").push_bind(rank(Some(level.as_str())).max(1));
            }
            if f.published_only {
                qb.push(" AND is_public = ").push_bind(true);
            }
        }

        #[$crate::deps::async_trait]
        impl FeedbackStore for $store {
            async fn submit_feedback(&self, sub: &FeedbackSubmission, clock: FeedbackClock<'_>) -> StoreResult<FeedbackItem> {
                let mut kinds = Vec::with_capacity(sub.attachments.len());
                for a in &sub.attachments {
                    let kind = attachment::check(&a.filename, &a.bytes, sub.max_attachment_bytes)
                        .map_err(|e| StoreError::invalid(e.field, e.to_string()))?;
                    kinds.push(kind);
                }
                let it = &sub.item;
                let received_on = vn_date(sub.received_at);
                let policy = clock.config.for_agency(&sub.receiving_org);
                let transfer_due = policy.transfer_due(clock.cal, received_on).map_err(domain_err)?;
                let facts = $crate::deps::thutuc_domain::feedback::deadline::Clock {
                    received: Some(received_on),
                    ..Default::default()
                };
                let due = policy.reply_due(clock.cal, &facts, received_on).map_err(domain_err)?;
                let mut tx = self.begin_write().await?;
                if !exists(&mut tx, "SELECT COUNT(*) FROM orgs WHERE id = $1", &sub.receiving_org).await? {
                    return Err(StoreError::invalid("receiving_org", format!("cơ quan tiếp nhận không tồn tại / unknown receiving agency: {}", sub.receiving_org)));
                }
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO feedback_items (tracking_code, rev, status, is_open, channel, sender_name, sender_address, sender_phone, sender_email, \
                     sender_kind, title, content, procedure_code, legal_document, sector_id, content_kind, feedback_type, receiving_org, current_org, \
                     entered_by, received_at, received_on, was_transferred, transfer_due_on, due_on, pauses, extension_days, answer_public, is_public, \
                     reopen_count, escalation_rank, created_at, updated_at) \
                     VALUES ($1, 1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, \
                     (SELECT sector_id FROM procedures WHERE code = $12), $14, $15, $16, $16, $17, $18, $19, $20, $21, $22, '[]', 0, $20, $20, 0, 0, $18, $18) RETURNING id",
                )
                .bind(&sub.tracking_code)
                .bind(Status::Received.as_str())
                .bind(true)
                .bind(it.channel.as_str())
                .bind(&it.sender.name)
                .bind(&it.sender.address)
                .bind(it.sender.phone.as_str())
                .bind(it.sender.email.as_ref().map(|e| e.as_str().to_string()))
                .bind(it.sender.kind.as_str())
                .bind(&it.title)
                .bind(&it.content)
                .bind(&it.procedure_code)
                .bind(&it.legal_document)
                .bind(it.content_kind.map(|k| k.as_str()))
                .bind(it.content_kind.map(|k| k.feedback_type().as_str()))
                .bind(&sub.receiving_org)
                .bind(sub.entered_by)
                .bind(sub.received_at)
                .bind(received_on)
                .bind(false)
                .bind(transfer_due)
                .bind(due)
                .fetch_one(&mut *tx)
                .await
                .map_err(map_err)?;
                for (a, kind) in sub.attachments.iter().zip(&kinds) {
                    sqlx::query("INSERT INTO feedback_attachments (item_id, filename, kind, size, sha256, bytes) VALUES ($1, $2, $3, $4, $5, $6)")
                        .bind(id)
                        .bind(a.filename.chars().take(200).collect::<String>())
                        .bind(kind.extension())
                        .bind(i64::try_from(a.bytes.len()).unwrap_or(i64::MAX))
                        .bind(sha256_hex(&a.bytes))
                        .bind(&a.bytes)
                        .execute(&mut *tx)
                        .await
                        .map_err(map_err)?;
                }
                let mut keys = similar::band_keys(&format!("{} {}", it.title, it.content));
                keys.sort_unstable();
                keys.dedup();
                if !keys.is_empty() {
                    let mut qb = sqlx::QueryBuilder::<Db>::new("INSERT INTO feedback_dup_keys (band_key, item_id) ");
                    qb.push_values(&keys, |mut b, k| {
                        b.push_bind(*k).push_bind(id);
                    });
                    qb.build().execute(&mut *tx).await.map_err(map_err)?;
                }
                let actor = if sub.entered_by.is_some() { "cán bộ" } else { "người gửi" };
                event(&mut tx, id, sub.received_at, actor, "submit", ("", &sub.receiving_org), (Status::Received.as_str(), &sub.receiving_org), it.channel.as_str()).await?;
                let item = load(&mut tx, id).await?;
                daily(&mut tx, None, Some(&item)).await?;
                if let Some(mail) = $crate::feedback_logic::mails::receipt(&item) {
                    $crate::enqueue_mail_in_tx!(tx, &mail)?;
                }
                <$store>::commit_audited(tx).await?;
                Ok(item)
            }

            async fn feedback(&self, id: i64) -> StoreResult<FeedbackItem> {
                let row = sqlx::query(&format!("SELECT {COLS} FROM feedback_items WHERE id = $1"))
                    .bind(id).fetch_optional(&self.pool).await.map_err(map_err)?;
                row.as_ref().map(item_from_row).transpose()?.ok_or_else(|| StoreError::NotFound(format!("phản ánh {id}")))
            }

            async fn feedback_by_code(&self, code: &str) -> StoreResult<FeedbackItem> {
                let row = sqlx::query(&format!("SELECT {COLS} FROM feedback_items WHERE tracking_code = $1"))
                    .bind(code).fetch_optional(&self.pool).await.map_err(map_err)?;
                row.as_ref().map(item_from_row).transpose()?.ok_or_else(|| StoreError::NotFound(format!("phản ánh có mã {code}")))
            }

            async fn act_on_feedback(
                &self, id: i64, expected_rev: i64, actor: &FeedbackActor, action: &FeedbackAction,
                now: DateTime<Utc>, clock: FeedbackClock<'_>,
            ) -> StoreResult<FeedbackItem> {
                let mut tx = self.begin_write().await?;
                let mut item = load(&mut tx, id).await?;
                if item.rev != expected_rev {
                    return Err(StoreError::Conflict {
                        message: format!(
                            "phản ánh {} đã thay đổi (phiên bản {} ≠ {}), vui lòng tải lại / the item changed (rev {} ≠ {}), reload",
                            item.tracking_code, item.rev, expected_rev, item.rev, expected_rev
                        ),
                        current: $crate::deps::serde_json::to_value(&item).ok(),
                    });
                }
                let before = (item.status, item.current_org.clone());
                let orig = item.clone();
                let fx = apply(&mut item, actor, action, now, clock)?;
                if let Some(org) = &fx.check_org {
                    if !exists(&mut tx, "SELECT COUNT(*) FROM orgs WHERE id = $1", org).await? {
                        return Err(StoreError::invalid("to_org", format!("cơ quan nhận chuyển không tồn tại / unknown agency: {org}")));
                    }
                }
                if let Some(of) = fx.check_canonical {
                    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM feedback_items WHERE id = $1 AND duplicate_of IS NULL")
                        .bind(of).fetch_one(&mut *tx).await.map_err(map_err)?;
                    if n == 0 {
                        return Err(StoreError::invalid("duplicate_of", format!("phản ánh gốc {of} không tồn tại hoặc cũng là bản trùng / canonical item {of} does not exist or is itself a duplicate")));
                    }
                }
                let mut detail = fx.detail.clone();
                if fx.register {
                    let year = i64::from($crate::deps::chrono::Datelike::year(&vn_date(now)));
                    let seq: i64 = sqlx::query_scalar(
                        "INSERT INTO feedback_register (org_id, year, last_seq) VALUES ($1, $2, 1) \
                         ON CONFLICT (org_id, year) DO UPDATE SET last_seq = feedback_register.last_seq + 1 RETURNING last_seq",
                    )
                    .bind(&item.current_org).bind(year).fetch_one(&mut *tx).await.map_err(map_err)?;
                    item.register_year = i32::try_from(year).ok();
                    item.register_seq = Some(seq);
                    detail = format!("{seq:05}/{year}");
                }
                item.rev = expected_rev + 1;
                save(&mut tx, &item, expected_rev).await?;
                daily(&mut tx, Some(&orig), Some(&item)).await?;
                if item.status == Status::Rejected && before.0 != Status::Rejected {
                    if let Some(mail) = $crate::feedback_logic::mails::rejected(&item) {
                        $crate::enqueue_mail_in_tx!(tx, &mail)?;
                    }
                }
                if fx.answer_duplicates {
                    if let Some(mail) = $crate::feedback_logic::mails::answer(&item, &item) {
                        $crate::enqueue_mail_in_tx!(tx, &mail)?;
                    }
                    let dups = sqlx::query(&format!("SELECT {COLS} FROM feedback_items WHERE duplicate_of = $1 ORDER BY id"))
                        .bind(item.id).fetch_all(&mut *tx).await.map_err(map_err)?;
                    for r in &dups {
                        let dup = item_from_row(r)?;
                        if let Some(mail) = $crate::feedback_logic::mails::answer(&item, &dup) {
                            $crate::enqueue_mail_in_tx!(tx, &mail)?;
                        }
                        let mut answered = dup.clone();
                        answered.answered_on = Some(vn_date(now));
                        daily(&mut tx, Some(&dup), Some(&answered)).await?;
                    }
                    sqlx::query(
                        "UPDATE feedback_items SET answer_text = $2, answered_at = $3, answered_on = $4, rev = rev + 1, updated_at = $3 \
                         WHERE duplicate_of = $1",
                    )
                    .bind(item.id).bind(&item.answer_text).bind(now).bind(vn_date(now))
                    .execute(&mut *tx).await.map_err(map_err)?;
                }
                event(&mut tx, id, now, &actor.label, action.name(), (before.0.as_str(), &before.1), (item.status.as_str(), &item.current_org), &detail).await?;
                <$store>::commit_audited(tx).await?;
                Ok(item)
            }

            async fn feedback_history(&self, id: i64) -> StoreResult<Vec<FeedbackEvent>> {
                let rows = sqlx::query("SELECT at, actor, action, from_status, to_status, from_org, to_org, detail FROM feedback_events WHERE item_id = $1 ORDER BY id")
                    .bind(id).fetch_all(&self.pool).await.map_err(map_err)?;
                rows.iter().map(|r| Ok(FeedbackEvent {
                    at: r.try_get("at").map_err(map_err)?,
                    actor: r.try_get("actor").map_err(map_err)?,
                    action: r.try_get("action").map_err(map_err)?,
                    from_status: r.try_get("from_status").map_err(map_err)?,
                    to_status: r.try_get("to_status").map_err(map_err)?,
                    from_org: r.try_get("from_org").map_err(map_err)?,
                    to_org: r.try_get("to_org").map_err(map_err)?,
                    detail: r.try_get("detail").map_err(map_err)?,
                })).collect()
            }

            async fn add_feedback_note(&self, id: i64, author: &str, body: &str) -> StoreResult<FeedbackNote> {
                let body = body.trim();
                if body.is_empty() {
                    return Err(StoreError::invalid("body", "ghi chú không được để trống / the note is empty"));
                }
                let at = Utc::now();
                let mut tx = self.begin_write().await?;
                let _ = load(&mut tx, id).await?;
                let note_id: i64 = sqlx::query_scalar("INSERT INTO feedback_notes (item_id, author, at, body) VALUES ($1, $2, $3, $4) RETURNING id")
                    .bind(id).bind(author).bind(at).bind(body).fetch_one(&mut *tx).await.map_err(map_err)?;
                <$store>::commit_audited(tx).await?;
                Ok(FeedbackNote { id: note_id, author: author.into(), at, body: body.into() })
            }

            async fn feedback_notes(&self, id: i64) -> StoreResult<Vec<FeedbackNote>> {
                let rows = sqlx::query("SELECT id, author, at, body FROM feedback_notes WHERE item_id = $1 ORDER BY id")
                    .bind(id).fetch_all(&self.pool).await.map_err(map_err)?;
                rows.iter().map(|r| Ok(FeedbackNote {
                    id: r.try_get("id").map_err(map_err)?,
                    author: r.try_get("author").map_err(map_err)?,
                    at: r.try_get("at").map_err(map_err)?,
                    body: r.try_get("body").map_err(map_err)?,
                })).collect()
            }

            async fn feedback_attachments(&self, id: i64) -> StoreResult<Vec<AttachmentMeta>> {
                let rows = sqlx::query("SELECT id, item_id, filename, kind, size FROM feedback_attachments WHERE item_id = $1 ORDER BY id")
                    .bind(id).fetch_all(&self.pool).await.map_err(map_err)?;
                rows.iter().map(attachment_from_row).collect()
            }

            async fn feedback_attachment(&self, attachment_id: i64) -> StoreResult<(AttachmentMeta, Vec<u8>)> {
                let row = sqlx::query("SELECT id, item_id, filename, kind, size, bytes FROM feedback_attachments WHERE id = $1")
                    .bind(attachment_id).fetch_optional(&self.pool).await.map_err(map_err)?
                    .ok_or_else(|| StoreError::NotFound(format!("tệp đính kèm {attachment_id}")))?;
                Ok((attachment_from_row(&row)?, row.try_get("bytes").map_err(map_err)?))
            }

            async fn list_feedback(&self, filter: &FeedbackFilter) -> StoreResult<Page<FeedbackItem>> {
                let limit = filter.limit.clamp(1, 500);
                let offset = filter.offset.max(0);
                let mut count = sqlx::QueryBuilder::<Db>::new("SELECT COUNT(*) FROM feedback_items");
                push_filters(&mut count, filter);
                let total: i64 = count.build_query_scalar().fetch_one(&self.pool).await.map_err(map_err)?;
                let mut qb = sqlx::QueryBuilder::<Db>::new(format!("SELECT {COLS} FROM feedback_items"));
                push_filters(&mut qb, filter);
                if filter.published_only {
                    qb.push(" ORDER BY published_at DESC, id DESC");
                } else {
                    qb.push(" ORDER BY due_on, id");
                }
                qb.push(" LIMIT ").push_bind(limit).push(" OFFSET ").push_bind(offset);
                let rows = qb.build().fetch_all(&self.pool).await.map_err(map_err)?;
                let items = rows.iter().map(item_from_row).collect::<StoreResult<Vec<_>>>()?;
                Ok(Page { items, total, limit, offset })
            }

            async fn feedback_candidates(&self, keys: &[i64], exclude: Option<i64>, limit: i64) -> StoreResult<Vec<FeedbackItem>> {
                if keys.is_empty() {
                    return Ok(Vec::new());
                }
                // The newest 20 items per band key (an index range on the primary key each):
                // a crowded band (a complaint many people send) stays cheap.
                let mut qb = sqlx::QueryBuilder::<Db>::new(format!("SELECT {COLS} FROM feedback_items WHERE id IN ("));
                for (n, k) in keys.iter().enumerate() {
                    if n > 0 {
                        qb.push(" UNION ");
                    }
                    qb.push("SELECT item_id FROM (SELECT item_id FROM feedback_dup_keys WHERE band_key = ")
                        .push_bind(*k)
                        .push(format!(" ORDER BY item_id DESC LIMIT 20) AS k{n}"));
                }
                qb.push(") AND id <> ").push_bind(exclude.unwrap_or(-1));
                qb.push(" AND duplicate_of IS NULL ORDER BY id DESC LIMIT ").push_bind(limit.clamp(1, 200));
                let rows = qb.build().fetch_all(&self.pool).await.map_err(map_err)?;
                rows.iter().map(item_from_row).collect()
            }

            async fn feedback_stats(
                &self, from: NaiveDate, to: NaiveDate, as_of: NaiveDate, orgs: Option<&[String]>, group: FeedbackGroupBy,
            ) -> StoreResult<Vec<FeedbackStatsRow>> {
                // Figures that do not depend on `as_of` come from `feedback_daily` (one row per
                // received day, agency and value); the rest is read from `feedback_items` over
                // an index: open items overdue as of `as_of`, and answers given after `as_of`
                // (these count as pending on `as_of`, not as answered).
                let (dim, agg_key, raw_key) = match group {
                    // `|| ''` keeps the planner on the covering indexes (no per-row lookups).
                    FeedbackGroupBy::Agency => ("agency", "org_id", "current_org || ''"),
                    FeedbackGroupBy::Sector => ("sector", "val", "COALESCE(sector_id, '')"),
                    FeedbackGroupBy::Procedure => ("procedure", "val", "COALESCE(procedure_code, '')"),
                    FeedbackGroupBy::Month => ("agency", "day || ''", "received_on || ''"),
                };
                fn push_orgs<'a>(qb: &mut sqlx::QueryBuilder<'a, Db>, col: &str, orgs: Option<&'a [String]>) {
                    if let Some(orgs) = orgs {
                        if orgs.is_empty() {
                            qb.push(" AND 1 = 0");
                        } else {
                            qb.push(format!(" AND {col} IN ("));
                            let mut sep = qb.separated(", ");
                            for o in orgs {
                                sep.push_bind(o.as_str());
                            }
                            qb.push(")");
                        }
                    }
                }
                let month = group == FeedbackGroupBy::Month;
                let norm = |k: String| if month { k.chars().take(7).collect() } else { k };
                let mut acc: std::collections::BTreeMap<String, FeedbackStatsRow> = std::collections::BTreeMap::new();
                fn entry<'m>(acc: &'m mut std::collections::BTreeMap<String, FeedbackStatsRow>, k: String) -> &'m mut FeedbackStatsRow {
                    acc.entry(k.clone()).or_insert_with(|| FeedbackStatsRow { key: k, ..FeedbackStatsRow::default() })
                }

                let mut qb = sqlx::QueryBuilder::<Db>::new(format!(
                    "SELECT {agg_key} AS k, CAST(SUM(received) AS BIGINT) AS received, CAST(SUM(accepted) AS BIGINT) AS accepted, \
                     CAST(SUM(rejected) AS BIGINT) AS rejected, CAST(SUM(transferred) AS BIGINT) AS transferred, \
                     CAST(SUM(answered_on_time) AS BIGINT) AS on_time, CAST(SUM(answered_late) AS BIGINT) AS late, \
                     CAST(SUM(open_items) AS BIGINT) AS open_items, CAST(SUM(satisfied) AS BIGINT) AS satisfied, \
                     CAST(SUM(dissatisfied) AS BIGINT) AS dissatisfied, CAST(SUM(reopened) AS BIGINT) AS reopened \
                     FROM feedback_daily WHERE dim = "
                ));
                qb.push_bind(dim).push(" AND day >= ").push_bind(from).push(" AND day <= ").push_bind(to);
                push_orgs(&mut qb, "org_id", orgs);
                qb.push(format!(" GROUP BY {agg_key}"));
                for r in &qb.build().fetch_all(&self.pool).await.map_err(map_err)? {
                    let g = |c: &str| -> StoreResult<i64> { Ok(r.try_get::<Option<i64>, _>(c).map_err(map_err)?.unwrap_or(0)) };
                    let e = entry(&mut acc, norm(r.try_get("k").map_err(map_err)?));
                    e.received += g("received")?;
                    e.accepted += g("accepted")?;
                    e.rejected += g("rejected")?;
                    e.transferred += g("transferred")?;
                    e.answered_on_time += g("on_time")?;
                    e.answered_late += g("late")?;
                    // All open items are pending; those overdue as of `as_of` move below.
                    e.pending_within_term += g("open_items")?;
                    e.satisfied += g("satisfied")?;
                    e.dissatisfied += g("dissatisfied")?;
                    e.reopened += g("reopened")?;
                }

                let mut qb = sqlx::QueryBuilder::<Db>::new(format!(
                    "SELECT {raw_key} AS k, COUNT(*) AS n FROM feedback_items WHERE is_open = "
                ));
                qb.push_bind(true).push(" AND received_on >= ").push_bind(from).push(" AND received_on <= ").push_bind(to)
                    .push(" AND due_on < ").push_bind(as_of);
                push_orgs(&mut qb, "current_org", orgs);
                qb.push(format!(" GROUP BY {raw_key}"));
                for r in &qb.build().fetch_all(&self.pool).await.map_err(map_err)? {
                    let n: i64 = r.try_get("n").map_err(map_err)?;
                    let e = entry(&mut acc, norm(r.try_get("k").map_err(map_err)?));
                    e.pending_within_term -= n;
                    e.overdue += n;
                }

                // Answers given after `as_of`: walk the distinct answer days after `as_of`
                // (one index seek each; none when `as_of` is today), then seek the period
                // within each day on (answered_on, received_on).
                let mut qb = sqlx::QueryBuilder::<Db>::new(
                    "WITH RECURSIVE days(d) AS (SELECT MIN(answered_on) FROM feedback_items WHERE answered_on > ",
                );
                qb.push_bind(as_of).push(
                    " UNION ALL SELECT (SELECT MIN(answered_on) FROM feedback_items WHERE answered_on > days.d) FROM days WHERE days.d IS NOT NULL) ",
                );
                qb.push(format!(
                    "SELECT {raw_key} AS k, \
                     SUM(CASE WHEN answered_on <= due_on THEN 1 ELSE 0 END) AS on_time, \
                     SUM(CASE WHEN answered_on > due_on THEN 1 ELSE 0 END) AS late, "
                ));
                qb.push("SUM(CASE WHEN NOT is_open AND due_on >= ").push_bind(as_of).push(" THEN 1 ELSE 0 END) AS within, ");
                qb.push("SUM(CASE WHEN NOT is_open AND due_on < ").push_bind(as_of).push(" THEN 1 ELSE 0 END) AS overdue ");
                qb.push("FROM days JOIN feedback_items ON answered_on = days.d WHERE received_on >= ").push_bind(from)
                    .push(" AND received_on <= ").push_bind(to);
                push_orgs(&mut qb, "current_org", orgs);
                qb.push(format!(" GROUP BY {raw_key}"));
                for r in &qb.build().fetch_all(&self.pool).await.map_err(map_err)? {
                    let g = |c: &str| -> StoreResult<i64> { Ok(r.try_get::<Option<i64>, _>(c).map_err(map_err)?.unwrap_or(0)) };
                    let e = entry(&mut acc, norm(r.try_get("k").map_err(map_err)?));
                    e.answered_on_time -= g("on_time")?;
                    e.answered_late -= g("late")?;
                    e.pending_within_term += g("within")?;
                    e.overdue += g("overdue")?;
                }
                Ok(acc.into_values().filter(|r| r.received > 0).collect())
            }

            async fn feedback_count_for_procedure(&self, code: &str) -> StoreResult<i64> {
                sqlx::query_scalar("SELECT COUNT(*) FROM feedback_items WHERE procedure_code = $1")
                    .bind(code).fetch_one(&self.pool).await.map_err(map_err)
            }

            async fn feedback_routing_history(&self, procedure_code: Option<&str>, sector_id: Option<&str>) -> StoreResult<Vec<(String, i64)>> {
                if procedure_code.is_none() && sector_id.is_none() {
                    return Ok(Vec::new());
                }
                let mut qb = sqlx::QueryBuilder::<Db>::new(
                    "SELECT e.to_org AS org, COUNT(*) AS n FROM feedback_events e JOIN feedback_items i ON i.id = e.item_id WHERE e.action = 'transfer' AND (1 = 0",
                );
                if let Some(p) = procedure_code {
                    qb.push(" OR i.procedure_code = ").push_bind(p);
                }
                if let Some(s) = sector_id {
                    qb.push(" OR i.sector_id = ").push_bind(s);
                }
                qb.push(") GROUP BY e.to_org ORDER BY COUNT(*) DESC, e.to_org LIMIT 10");
                let rows = qb.build().fetch_all(&self.pool).await.map_err(map_err)?;
                rows.iter().map(|r| Ok((r.try_get("org").map_err(map_err)?, r.try_get("n").map_err(map_err)?))).collect()
            }

            async fn escalate_feedback(&self, as_of: NaiveDate, clock: FeedbackClock<'_>) -> StoreResult<Vec<(FeedbackItem, String)>> {
                let mut tx = self.begin_write().await?;
                let rows = sqlx::query(&format!(
                    "SELECT {COLS} FROM feedback_items WHERE is_open = $1 AND due_on < $2 AND paused_since IS NULL AND escalation_rank < 2 ORDER BY id"
                ))
                .bind(true).bind(as_of).fetch_all(&mut *tx).await.map_err(map_err)?;
                let now = Utc::now();
                let mut out = Vec::new();
                for r in &rows {
                    let mut item = item_from_row(r)?;
                    let policy = clock.config.for_agency(&item.current_org);
                    let Some(level) = policy.escalation_level(clock.cal, item.due_on, as_of).map_err(domain_err)? else { continue };
                    if rank(Some(level.as_str())) <= rank(item.escalation.as_deref()) {
                        continue;
                    }
                    let old_rev = item.rev;
                    let orig = item.clone();
                    item.rev += 1;
                    item.escalation = Some(level.as_str().to_string());
                    item.updated_at = now;
                    save(&mut tx, &item, old_rev).await?;
                    daily(&mut tx, Some(&orig), Some(&item)).await?;
                    let st = (item.status.as_str(), item.current_org.as_str());
                    event(&mut tx, item.id, now, "hệ thống", "escalate", st, st, level.as_str()).await?;
                    let recipients = if level == EscalationLevel::WorkingGroup {
                        sqlx::query("SELECT id, email FROM users WHERE role = $1 ORDER BY id").bind("oversight").fetch_all(&mut *tx).await
                    } else {
                        sqlx::query("SELECT id, email FROM users WHERE role = $1 AND org_id = $2 ORDER BY id")
                            .bind("leader").bind(&item.current_org).fetch_all(&mut *tx).await
                    }
                    .map_err(map_err)?;
                    for r in &recipients {
                        let uid: i64 = r.try_get("id").map_err(map_err)?;
                        let email: String = r.try_get("email").map_err(map_err)?;
                        let mail = $crate::feedback_logic::mails::escalated(&item, level.as_str(), uid, &email);
                        $crate::enqueue_mail_in_tx!(tx, &mail)?;
                        let note = $crate::deps::thutuc_store::outbox::NewNotification {
                            dedupe_key: format!("{}:notice", mail.dedupe_key),
                            user_id: Some(uid),
                            org_id: None,
                            title: mail.subject.clone(),
                            body: mail.body_text.clone(),
                            link: format!("/can-bo/phan-anh/{}", item.id),
                        };
                        $crate::notify_in_tx!(tx, &note)?;
                    }
                    out.push((item, level.as_str().to_string()));
                }
                tx.commit().await.map_err(map_err)?;
                Ok(out)
            }
        }

        fn attachment_from_row(r: &Row_) -> StoreResult<AttachmentMeta> {
            let kind: String = r.try_get("kind").map_err(map_err)?;
            let kind = AttachmentKind::from_extension(&kind)
                .ok_or_else(|| StoreError::Other(format!("feedback_attachments.kind không hợp lệ: {kind}")))?;
            Ok(AttachmentMeta {
                id: r.try_get("id").map_err(map_err)?,
                item_id: r.try_get("item_id").map_err(map_err)?,
                filename: r.try_get("filename").map_err(map_err)?,
                kind,
                size: r.try_get("size").map_err(map_err)?,
            })
        }

    };
}
