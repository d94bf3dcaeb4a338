//! Feedback (PAKN) store, shared by both backends. The in-memory rules live in
//! [`crate::feedback_logic`]; this macro does the I/O: load under lock, check `rev`, write
//! the row, the history entry and the side rows in one transaction.

/// Implements `thutuc_store::FeedbackStore` for `$store` over `$db`.
#[macro_export]
macro_rules! impl_sql_feedback_store {
    ($store:ty, $db:ty) => {
        const _: () = {
            use $crate::deps::chrono::{DateTime, NaiveDate, Utc};
            use $crate::deps::sqlx::{self, Row};
            use $crate::deps::thutuc_domain::feedback::{
                attachment, similar, AttachmentKind, Channel, Classification, ContentKind, EscalationLevel,
                FeedbackType, Outcome, Rating, SenderKind, Status,
            };
            use $crate::deps::thutuc_store::feedback::*;
            use $crate::deps::thutuc_store::*;
            use $crate::feedback_logic::{apply, domain_err};
            use $crate::rows::{from_json, map_err, parse_col, to_json};

            type Db = $db;
            type Row_ = <Db as sqlx::Database>::Row;
            type Tx = sqlx::Transaction<'static, Db>;

            const COLS: &str = "id, tracking_code, rev, status, channel, sender_name, sender_address, sender_phone, sender_email, sender_kind, \
                title, content, procedure_code, legal_document, sector_id, content_kind, feedback_type, classification, reject_reason, \
                receiving_org, current_org, register_year, register_seq, assigned_to, received_at, received_on, transferred_on, \
                was_transferred, transfer_due_on, due_on, paused_since, pauses, extension_days, evaluation, outcome, answer_text, \
                answer_public, answer_drafted_by, answer_approved_by, answered_at, answered_on, is_public, published_at, rating, \
                reopen_count, duplicate_of, escalation, updated_at";

            fn opt_enum<T>(r: &Row_, col: &str, f: impl Fn(&str) -> Option<T>) -> StoreResult<Option<T>> {
                let v: Option<String> = r.try_get(col).map_err(map_err)?;
                v.map(|v| parse_col(&v, col, &f)).transpose()
            }

            fn item_from_row(r: &Row_) -> StoreResult<FeedbackItem> {
                let status: String = r.try_get("status").map_err(map_err)?;
                let channel: String = r.try_get("channel").map_err(map_err)?;
                let kind: String = r.try_get("sender_kind").map_err(map_err)?;
                let pauses: String = r.try_get("pauses").map_err(map_err)?;
                let evaluation: Option<String> = r.try_get("evaluation").map_err(map_err)?;
                let year: Option<i64> = r.try_get("register_year").map_err(map_err)?;
                Ok(FeedbackItem {
                    id: r.try_get("id").map_err(map_err)?,
                    tracking_code: r.try_get("tracking_code").map_err(map_err)?,
                    rev: r.try_get("rev").map_err(map_err)?,
                    status: parse_col(&status, "feedback_items.status", Status::parse)?,
                    channel: parse_col(&channel, "feedback_items.channel", Channel::parse)?,
                    sender_name: r.try_get("sender_name").map_err(map_err)?,
                    sender_address: r.try_get("sender_address").map_err(map_err)?,
                    sender_phone: r.try_get("sender_phone").map_err(map_err)?,
                    sender_email: r.try_get("sender_email").map_err(map_err)?,
                    sender_kind: parse_col(&kind, "feedback_items.sender_kind", SenderKind::parse)?,
                    title: r.try_get("title").map_err(map_err)?,
                    content: r.try_get("content").map_err(map_err)?,
                    procedure_code: r.try_get("procedure_code").map_err(map_err)?,
                    legal_document: r.try_get("legal_document").map_err(map_err)?,
                    sector_id: r.try_get("sector_id").map_err(map_err)?,
                    content_kind: opt_enum(r, "content_kind", ContentKind::parse)?,
                    feedback_type: opt_enum(r, "feedback_type", FeedbackType::parse)?,
                    classification: opt_enum(r, "classification", Classification::parse)?,
                    reject_reason: r.try_get("reject_reason").map_err(map_err)?,
                    receiving_org: r.try_get("receiving_org").map_err(map_err)?,
                    current_org: r.try_get("current_org").map_err(map_err)?,
                    register_year: year.and_then(|y| i32::try_from(y).ok()),
                    register_seq: r.try_get("register_seq").map_err(map_err)?,
                    assigned_to: r.try_get("assigned_to").map_err(map_err)?,
                    received_at: r.try_get("received_at").map_err(map_err)?,
                    received_on: r.try_get("received_on").map_err(map_err)?,
                    transferred_on: r.try_get("transferred_on").map_err(map_err)?,
                    was_transferred: r.try_get("was_transferred").map_err(map_err)?,
                    transfer_due_on: r.try_get("transfer_due_on").map_err(map_err)?,
                    due_on: r.try_get("due_on").map_err(map_err)?,
                    paused_since: r.try_get("paused_since").map_err(map_err)?,
                    pauses: from_json(&pauses)?,
                    extension_days: r.try_get("extension_days").map_err(map_err)?,
                    evaluation: evaluation.map(|e| from_json(&e)).transpose()?,
                    outcome: opt_enum(r, "outcome", Outcome::parse)?,
                    answer_text: r.try_get("answer_text").map_err(map_err)?,
                    answer_public: r.try_get("answer_public").map_err(map_err)?,
                    answer_drafted_by: r.try_get("answer_drafted_by").map_err(map_err)?,
                    answer_approved_by: r.try_get("answer_approved_by").map_err(map_err)?,
                    answered_at: r.try_get("answered_at").map_err(map_err)?,
                    answered_on: r.try_get("answered_on").map_err(map_err)?,
                    is_public: r.try_get("is_public").map_err(map_err)?,
                    published_at: r.try_get("published_at").map_err(map_err)?,
                    rating: opt_enum(r, "rating", Rating::parse)?,
                    reopen_count: r.try_get("reopen_count").map_err(map_err)?,
                    duplicate_of: r.try_get("duplicate_of").map_err(map_err)?,
                    escalation: r.try_get("escalation").map_err(map_err)?,
                    updated_at: r.try_get("updated_at").map_err(map_err)?,
                })
            }

            fn rank(level: Option<&str>) -> i64 {
                match level.and_then(EscalationLevel::parse) {
                    Some(EscalationLevel::AgencyLeader) => 1,
                    Some(EscalationLevel::WorkingGroup) => 2,
                    None => 0,
                }
            }

            async fn load(tx: &mut Tx, id: i64) -> StoreResult<FeedbackItem> {
                let sql = format!("SELECT {COLS} FROM feedback_items WHERE id = $1{}", <$store>::FOR_UPDATE);
                let row = sqlx::query(&sql).bind(id).fetch_optional(&mut **tx).await.map_err(map_err)?;
                row.as_ref().map(item_from_row).transpose()?
                    .ok_or_else(|| StoreError::NotFound(format!("phản ánh {id}")))
            }

            /// Writes every mutable column and bumps `rev`.
            async fn save(tx: &mut Tx, it: &FeedbackItem, old_rev: i64) -> StoreResult<()> {
                let n = sqlx::query(
                    "UPDATE feedback_items SET rev = $2, status = $3, is_open = $4, sector_id = $5, content_kind = $6, feedback_type = $7, \
                     classification = $8, reject_reason = $9, current_org = $10, register_year = $11, register_seq = $12, assigned_to = $13, \
                     transferred_on = $14, was_transferred = $15, transfer_due_on = $16, due_on = $17, paused_since = $18, pauses = $19, \
                     extension_days = $20, evaluation = $21, outcome = $22, answer_text = $23, answer_public = $24, answer_drafted_by = $25, \
                     answer_approved_by = $26, answered_at = $27, answered_on = $28, is_public = $29, published_at = $30, rating = $31, \
                     rated_at = $32, reopen_count = $33, duplicate_of = $34, escalation = $35, escalation_rank = $36, updated_at = $37 \
                     WHERE id = $1 AND rev = $38",
                )
                .bind(it.id)
                .bind(it.rev)
                .bind(it.status.as_str())
                .bind(it.status.is_open())
                .bind(&it.sector_id)
                .bind(it.content_kind.map(|k| k.as_str()))
                .bind(it.feedback_type.map(|k| k.as_str()))
                .bind(it.classification.map(|k| k.as_str()))
                .bind(&it.reject_reason)
                .bind(&it.current_org)
                .bind(it.register_year.map(i64::from))
                .bind(it.register_seq)
                .bind(it.assigned_to)
                .bind(it.transferred_on)
                .bind(it.was_transferred)
                .bind(it.transfer_due_on)
                .bind(it.due_on)
                .bind(it.paused_since)
                .bind(to_json(&it.pauses)?)
                .bind(it.extension_days)
                .bind(it.evaluation.as_ref().map(to_json).transpose()?)
                .bind(it.outcome.map(|k| k.as_str()))
                .bind(&it.answer_text)
                .bind(it.answer_public)
                .bind(it.answer_drafted_by)
                .bind(it.answer_approved_by)
                .bind(it.answered_at)
                .bind(it.answered_on)
                .bind(it.is_public)
                .bind(it.published_at)
                .bind(it.rating.map(|k| k.as_str()))
                .bind(it.rating.map(|_| it.updated_at))
                .bind(it.reopen_count)
                .bind(it.duplicate_of)
                .bind(&it.escalation)
                .bind(rank(it.escalation.as_deref()))
                .bind(it.updated_at)
                .bind(old_rev)
                .execute(&mut **tx)
                .await
                .map_err(map_err)?
                .rows_affected();
                if n == 0 {
                    return Err(StoreError::conflict(format!(
                        "phản ánh {} đã được người khác cập nhật, vui lòng tải lại / item {} was changed by someone else, reload",
                        it.tracking_code, it.tracking_code
                    )));
                }
                Ok(())
            }

            #[allow(clippy::too_many_arguments)]
            async fn event(
                tx: &mut Tx, item_id: i64, at: DateTime<Utc>, actor: &str, action: &str,
                from: (&str, &str), to: (&str, &str), detail: &str,
            ) -> StoreResult<()> {
                sqlx::query(
                    "INSERT INTO feedback_events (item_id, at, actor, action, from_status, to_status, from_org, to_org, detail) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                )
                .bind(item_id).bind(at).bind(actor).bind(action)
                .bind(from.0).bind(to.0).bind(from.1).bind(to.1).bind(detail)
                .execute(&mut **tx)
                .await
                .map_err(map_err)?;
                Ok(())
            }

            /// Moves the item's figures in `feedback_daily` from `old` to `new`, in `tx`.
            async fn daily(tx: &mut Tx, old: Option<&FeedbackItem>, new: Option<&FeedbackItem>) -> StoreResult<()> {
                for ((dim, day, org, val), f) in $crate::feedback_logic::daily_deltas(old, new) {
                    sqlx::query(
                        "INSERT INTO feedback_daily (dim, day, org_id, val, received, accepted, rejected, transferred, answered_on_time, \
                         answered_late, open_items, satisfied, dissatisfied, reopened) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) \
                         ON CONFLICT (dim, day, org_id, val) DO UPDATE SET received = feedback_daily.received + excluded.received, \
                         accepted = feedback_daily.accepted + excluded.accepted, rejected = feedback_daily.rejected + excluded.rejected, \
                         transferred = feedback_daily.transferred + excluded.transferred, \
                         answered_on_time = feedback_daily.answered_on_time + excluded.answered_on_time, \
                         answered_late = feedback_daily.answered_late + excluded.answered_late, \
                         open_items = feedback_daily.open_items + excluded.open_items, satisfied = feedback_daily.satisfied + excluded.satisfied, \
                         dissatisfied = feedback_daily.dissatisfied + excluded.dissatisfied, reopened = feedback_daily.reopened + excluded.reopened",
                    )
                    .bind(dim).bind(day).bind(org).bind(val)
                    .bind(f.received).bind(f.accepted).bind(f.rejected).bind(f.transferred).bind(f.on_time)
                    .bind(f.late).bind(f.open).bind(f.satisfied).bind(f.dissatisfied).bind(f.reopened)
                    .execute(&mut **tx)
                    .await
                    .map_err(map_err)?;
                }
                Ok(())
            }

            async fn exists(tx: &mut Tx, sql: &str, key: &str) -> StoreResult<bool> {
                let n: i64 = sqlx::query_scalar(sql).bind(key).fetch_one(&mut **tx).await.map_err(map_err)?;
                Ok(n > 0)
            }

            $crate::impl_sql_feedback_store_methods!($store);
        };
    };
}
