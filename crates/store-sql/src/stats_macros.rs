//! `StatsStore` written once for both backends (same hooks as [`crate::impl_sql_store!`]:
//! `pool`, `begin_write()`, `FOR_UPDATE`). Dates are bound as `NaiveDate` and compared in SQL
//! (ISO text in SQLite, `DATE` in PostgreSQL: both order the same); month buckets are
//! computed in Rust ([`crate::stats_helpers`]) so both backends agree.

/// Implements `thutuc_store::StatsStore` for `$store` over the sqlx database `$db`.
#[macro_export]
macro_rules! impl_sql_stats_store {
    ($store:ty, $db:ty) => {
        const _: () = {
            use std::collections::{BTreeMap, BTreeSet, HashMap};
            use $crate::deps::chrono::{Duration, NaiveDate, Utc};
            use $crate::deps::sqlx::{self, Row};
            use $crate::deps::thutuc_domain::decision::{IssuerKind, PublicationDecision};
            use $crate::deps::thutuc_domain::version::ChangeKind;
            use $crate::deps::thutuc_domain::TthcCode;
            use $crate::deps::thutuc_store::*;
            use $crate::rows::{from_json, map_err, parse_col, to_json};
            use $crate::stats_helpers::{self as h, GroupKey, Span};

            type Db = $db;
            type Row_ = <Db as sqlx::Database>::Row;
            type Tx = sqlx::Transaction<'static, Db>;

            const SPAN_COLS: &str = "code, seq, owner_org, sector_id, sector, level, internal, complete, first_version, last_version, status, valid_from, valid_to, decision_no, change_kind";
            const PUBLIC: &str = "('published', 'superseded', 'abolished')";
            /// Columns of the fact table `stats_entries`, in the order of [`ENTRY_SELECT`].
            const ENTRY_COLS: &str = "number, line, signed_on, effective_on, issuer_org, issuer_kind, applies_central, kind, code, owner_org, sector_id, sector, level, internal, complete, first_version, old_code";
            /// An applied entry joined with its decision, the version it created or closed, its
            /// procedure and the replacement it records (callers append `AND …` conditions).
            const ENTRY_SELECT: &str = "SELECT d.number, e.line, d.signed_on, e.effective_on, d.issuer_org, d.issuer_kind, d.applies_central, e.kind, e.code, \
                COALESCE(s.owner_org, p.owner_org), s.sector_id, s.sector, s.level, s.internal, s.complete, s.first_version, r.old_code \
                FROM decision_entries e JOIN decisions d ON d.number = e.number \
                LEFT JOIN stats_spans s ON s.code = e.code AND s.seq = e.seq \
                LEFT JOIN procedures p ON p.code = e.code \
                LEFT JOIN stats_replacements r ON r.number = e.number AND r.new_code = e.code \
                WHERE d.status = 'applied'";
            /// Procedures re-mirrored per transaction (keeps SQLite's write lock short).
            const CHUNK: usize = 2_000;
            /// One refresh at a time in this process (the chunks of a refresh must not
            /// interleave with another refresh's; across servers the state row lock orders them).
            static REFRESH: $crate::deps::tokio::sync::Mutex<()> = $crate::deps::tokio::sync::Mutex::const_new(());

            fn code_of(s: String) -> StoreResult<TthcCode> {
                TthcCode::parse(&s).map_err(|e| StoreError::Other(format!("mã lưu sai: {e}")))
            }

            fn span_from_row(r: &Row_) -> StoreResult<Span> {
                Ok(Span {
                    code: r.try_get("code").map_err(map_err)?,
                    seq: r.try_get("seq").map_err(map_err)?,
                    group: (
                        r.try_get("owner_org").map_err(map_err)?,
                        r.try_get("sector_id").map_err(map_err)?,
                        r.try_get("level").map_err(map_err)?,
                        r.try_get("internal").map_err(map_err)?,
                    ),
                    sector: r.try_get("sector").map_err(map_err)?,
                    complete: r.try_get("complete").map_err(map_err)?,
                    first_version: r.try_get("first_version").map_err(map_err)?,
                    last_version: r.try_get("last_version").map_err(map_err)?,
                    status: r.try_get("status").map_err(map_err)?,
                    valid_from: r.try_get("valid_from").map_err(map_err)?,
                    valid_to: r.try_get("valid_to").map_err(map_err)?,
                    decision_no: r.try_get("decision_no").map_err(map_err)?,
                    change_kind: r.try_get("change_kind").map_err(map_err)?,
                })
            }

            fn group_from_row(r: &Row_) -> StoreResult<(GroupKey, i64)> {
                Ok((
                    (
                        r.try_get("owner_org").map_err(map_err)?,
                        r.try_get("sector_id").map_err(map_err)?,
                        r.try_get("level").map_err(map_err)?,
                        r.try_get("internal").map_err(map_err)?,
                    ),
                    r.try_get("n").map_err(map_err)?,
                ))
            }

            /// Builds the spans of the procedures `codes` (all procedures when `None`) from the
            /// catalogue.
            async fn catalogue_spans(tx: &mut Tx, codes: Option<&[String]>) -> StoreResult<Vec<Span>> {
                let mut qb = sqlx::QueryBuilder::<Db>::new(format!(
                    "SELECT v.code, v.seq, v.status, v.valid_from, v.valid_to, v.decision_no, v.change_kind, v.content, p.kind, p.owner_org \
                     FROM procedure_versions v JOIN procedures p ON p.code = v.code \
                     WHERE v.status IN {PUBLIC} AND v.valid_from IS NOT NULL"
                ));
                if let Some(codes) = codes {
                    push_in(&mut qb, " AND v.code", codes);
                }
                qb.push(" ORDER BY v.code, v.seq");
                let rows = qb.build().fetch_all(&mut **tx).await.map_err(map_err)?;
                let mut out: Vec<Span> = Vec::with_capacity(rows.len());
                for r in &rows {
                    let code: String = r.try_get("code").map_err(map_err)?;
                    let content: String = r.try_get("content").map_err(map_err)?;
                    let kind: String = r.try_get("kind").map_err(map_err)?;
                    let (sector_id, sector, level, complete) = h::content_attrs(&content)?;
                    let first = out.last().is_none_or(|p| p.code != code);
                    if first {
                        if let Some(p) = out.last_mut() {
                            p.last_version = true;
                        }
                    }
                    out.push(Span {
                        code,
                        seq: r.try_get("seq").map_err(map_err)?,
                        group: (r.try_get("owner_org").map_err(map_err)?, sector_id, level, kind == "internal"),
                        sector,
                        complete,
                        first_version: first,
                        last_version: false,
                        status: r.try_get("status").map_err(map_err)?,
                        valid_from: r.try_get("valid_from").map_err(map_err)?,
                        valid_to: r.try_get("valid_to").map_err(map_err)?,
                        decision_no: r.try_get("decision_no").map_err(map_err)?,
                        change_kind: r.try_get("change_kind").map_err(map_err)?,
                    });
                }
                if let Some(p) = out.last_mut() {
                    p.last_version = true;
                }
                Ok(out)
            }

            /// Appends `{column} IN ($…)` for `values` (never empty SQL: no values match nothing).
            fn push_in(qb: &mut sqlx::QueryBuilder<'_, Db>, column: &str, values: &[String]) {
                qb.push(column).push(" IN (");
                let mut sep = qb.separated(", ");
                for v in values {
                    sep.push_bind(v.clone());
                }
                if values.is_empty() {
                    sep.push("NULL");
                }
                qb.push(")");
            }

            /// How long a full rebuild's claim lasts without a heartbeat (every transaction of
            /// the rebuild renews it); a server that died mid-rebuild is taken over after it.
            const LEASE_SECS: i64 = 120;
            /// The message of the conflict that sends a refresh to wait for another server's
            /// rebuild.
            const BUSY: &str = "thống kê đang được dựng lại ở máy chủ khác / statistics are being rebuilt by another server";

            /// Locks the state row and returns `snap_upto`. `lease`: this process's rebuild
            /// token when the refresh is a full rebuild — it takes the claim if `claiming`, must
            /// still hold it otherwise, and renews it; `None` for an ordinary refresh. Fails with
            /// `BUSY` while another server holds a valid claim.
            async fn lock_state(tx: &mut Tx, lease: Option<&str>, claiming: bool) -> StoreResult<Option<NaiveDate>> {
                let sql = format!("SELECT snap_upto, rebuild_by, rebuild_until FROM stats_state WHERE id = 1{}", <$store>::FOR_UPDATE);
                let r = sqlx::query(&sql).fetch_one(&mut **tx).await.map_err(map_err)?;
                let snap: Option<NaiveDate> = r.try_get("snap_upto").map_err(map_err)?;
                let by: Option<String> = r.try_get("rebuild_by").map_err(map_err)?;
                let until: Option<$crate::deps::chrono::DateTime<Utc>> = r.try_get("rebuild_until").map_err(map_err)?;
                let now = Utc::now();
                let held_by_other = by.is_some() && by.as_deref() != lease && until.is_some_and(|u| u > now);
                // A rebuild whose claim expired and was taken over stops too.
                let lost = lease.is_some() && !claiming && by.as_deref() != lease;
                if held_by_other || lost {
                    return Err(StoreError::conflict(BUSY));
                }
                if let Some(token) = lease {
                    sqlx::query("UPDATE stats_state SET rebuild_by = $1, rebuild_until = $2 WHERE id = 1")
                        .bind(token)
                        .bind(now + Duration::seconds(LEASE_SECS))
                        .execute(&mut **tx)
                        .await
                        .map_err(map_err)?;
                }
                Ok(snap)
            }

            /// Re-mirrors the procedures `codes` in one short transaction: their spans, the
            /// replacements their decisions record, the snapshot cells they move (up to the
            /// snapshots' end) and their rows of the fact table. Idempotent: the old rows of these
            /// codes are replaced, and the snapshot delta is new − old read under the state lock.
            async fn mirror_chunk(store: &$store, codes: &[String], lease: Option<&str>) -> StoreResult<()> {
                let with_entries = lease.is_none();
                let mut tx = store.begin_write().await?;
                let snap_upto = lock_state(&mut tx, lease, false).await?;
                let spans = catalogue_spans(&mut tx, Some(codes)).await?;
                let mut qb = sqlx::QueryBuilder::<Db>::new(format!("SELECT {SPAN_COLS} FROM stats_spans WHERE"));
                push_in(&mut qb, " code", codes);
                let old = qb.build().fetch_all(&mut *tx).await.map_err(map_err)?;
                let old = old.iter().map(span_from_row).collect::<StoreResult<Vec<_>>>()?;
                let mut qb = sqlx::QueryBuilder::<Db>::new("DELETE FROM stats_spans WHERE");
                push_in(&mut qb, " code", codes);
                qb.build().execute(&mut *tx).await.map_err(map_err)?;
                insert_spans(&mut tx, &spans).await?;
                record_replacements(&mut tx, &spans).await?;
                if let Some(s) = snap_upto {
                    let first = old.iter().chain(spans.iter()).map(|x| h::month_index(x.valid_from)).min().unwrap_or(0);
                    let deltas = h::snapshot_deltas(spans.iter().map(|s| (1, s)).chain(old.iter().map(|s| (-1, s))), first, h::month_index(s));
                    // Snapshots stand for every month end up to `snap_upto` (absent rows are 0).
                    add_to_stock(&mut tx, &deltas).await?;
                }
                let mut qb = sqlx::QueryBuilder::<Db>::new("INSERT INTO stats_mirrored (code, updated_at) SELECT code, updated_at FROM procedures WHERE");
                push_in(&mut qb, " code", codes);
                qb.push(" ON CONFLICT (code) DO UPDATE SET updated_at = excluded.updated_at");
                qb.build().execute(&mut *tx).await.map_err(map_err)?;
                if with_entries {
                    let mut qb = sqlx::QueryBuilder::<Db>::new("DELETE FROM stats_entries WHERE");
                    push_in(&mut qb, " code", codes);
                    qb.build().execute(&mut *tx).await.map_err(map_err)?;
                    let mut qb = sqlx::QueryBuilder::<Db>::new(format!("INSERT INTO stats_entries ({ENTRY_COLS}) {ENTRY_SELECT}"));
                    push_in(&mut qb, " AND e.code", codes);
                    qb.push(" ORDER BY d.signed_on, d.number, e.line");
                    qb.build().execute(&mut *tx).await.map_err(map_err)?;
                }
                tx.commit().await.map_err(map_err)?;
                Ok(())
            }

            /// Fills the fact table for the decisions signed in `[from, to)`, in signing order
            /// (after a full rebuild of the spans), one short transaction per call.
            async fn mirror_entries_signed(store: &$store, from: NaiveDate, to: NaiveDate, lease: &str) -> StoreResult<()> {
                let mut tx = store.begin_write().await?;
                lock_state(&mut tx, Some(lease), false).await?;
                sqlx::query("DELETE FROM stats_entries WHERE signed_on >= $1 AND signed_on < $2")
                    .bind(from)
                    .bind(to)
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err)?;
                sqlx::query(&format!(
                    "INSERT INTO stats_entries ({ENTRY_COLS}) {ENTRY_SELECT} AND d.signed_on >= $1 AND d.signed_on < $2 ORDER BY d.signed_on, d.number, e.line"
                ))
                .bind(from)
                .bind(to)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
                tx.commit().await.map_err(map_err)?;
                Ok(())
            }

            async fn insert_spans(tx: &mut Tx, spans: &[Span]) -> StoreResult<()> {
                for chunk in spans.chunks(400) {
                    let mut qb = sqlx::QueryBuilder::<Db>::new(format!("INSERT INTO stats_spans ({SPAN_COLS}) "));
                    qb.push_values(chunk, |mut b, s| {
                        b.push_bind(s.code.clone())
                            .push_bind(s.seq)
                            .push_bind(s.group.0.clone())
                            .push_bind(s.group.1.clone())
                            .push_bind(s.sector.clone())
                            .push_bind(s.group.2.clone())
                            .push_bind(s.group.3)
                            .push_bind(s.complete)
                            .push_bind(s.first_version)
                            .push_bind(s.last_version)
                            .push_bind(s.status.clone())
                            .push_bind(s.valid_from)
                            .push_bind(s.valid_to)
                            .push_bind(s.decision_no.clone())
                            .push_bind(s.change_kind.clone());
                    });
                    qb.build().execute(&mut **tx).await.map_err(map_err)?;
                }
                Ok(())
            }

            type Cell<'a> = (&'a (NaiveDate, GroupKey), &'a i64);

            async fn add_to_stock(tx: &mut Tx, deltas: &BTreeMap<(NaiveDate, GroupKey), i64>) -> StoreResult<()> {
                let cells: Vec<Cell<'_>> = deltas.iter().collect();
                add_cells_to_stock(tx, &cells).await
            }

            /// Adds snapshot cells (upsert), then drops the cells that reached 0 (a partial
            /// index keeps that delete from scanning the table).
            async fn add_cells_to_stock(tx: &mut Tx, cells: &[Cell<'_>]) -> StoreResult<()> {
                for chunk in cells.chunks(500) {
                    let mut qb = sqlx::QueryBuilder::<Db>::new("INSERT INTO stats_stock (as_of, owner_org, sector_id, level, internal, n) ");
                    qb.push_values(chunk, |mut b, ((as_of, g), n)| {
                        b.push_bind(*as_of)
                            .push_bind(g.0.clone())
                            .push_bind(g.1.clone())
                            .push_bind(g.2.clone())
                            .push_bind(g.3)
                            .push_bind(**n);
                    });
                    qb.push(" ON CONFLICT (as_of, owner_org, sector_id, level, internal) DO UPDATE SET n = stats_stock.n + excluded.n");
                    qb.build().execute(&mut **tx).await.map_err(map_err)?;
                }
                sqlx::query("DELETE FROM stats_stock WHERE n = 0").execute(&mut **tx).await.map_err(map_err)?;
                Ok(())
            }

            /// Records replacements with a new code found among `spans` (from decision bodies).
            async fn record_replacements(tx: &mut Tx, spans: &[Span]) -> StoreResult<()> {
                let numbers: BTreeSet<&str> = spans
                    .iter()
                    .filter(|s| s.first_version && s.change_kind.as_deref() == Some("replaced"))
                    .filter_map(|s| s.decision_no.as_deref())
                    .collect();
                for number in numbers {
                    let body: Option<String> = sqlx::query_scalar("SELECT body FROM decisions WHERE number = $1")
                        .bind(number)
                        .fetch_optional(&mut **tx)
                        .await
                        .map_err(map_err)?;
                    let Some(body) = body else { continue };
                    let d: PublicationDecision = from_json(&body)?;
                    for e in d.entries.iter().filter(|e| e.kind == ChangeKind::Replaced) {
                        if let Some(old) = e.replaces.as_ref().filter(|o| *o != &e.code) {
                            sqlx::query("INSERT INTO stats_replacements (number, new_code, old_code) VALUES ($1, $2, $3) ON CONFLICT (number, new_code) DO NOTHING")
                                .bind(number)
                                .bind(e.code.as_str())
                                .bind(old.as_str())
                                .execute(&mut **tx)
                                .await
                                .map_err(map_err)?;
                        }
                    }
                }
                Ok(())
            }

            /// Every snapshot cell from the first month end to `to`, computed from the spans
            /// (read without the write lock: during a full rebuild only this refresh writes
            /// the mirror).
            async fn snapshots_from_scratch(store: &$store, to: NaiveDate) -> StoreResult<BTreeMap<(NaiveDate, GroupKey), i64>> {
                let sql = format!("SELECT {SPAN_COLS} FROM stats_spans WHERE valid_from <= $1");
                let rows = sqlx::query(&sql).bind(to).fetch_all(&store.pool).await.map_err(map_err)?;
                let spans = rows.iter().map(span_from_row).collect::<StoreResult<Vec<_>>>()?;
                let Some(first) = spans.iter().map(|s| h::month_index(s.valid_from)).min() else {
                    return Ok(BTreeMap::new());
                };
                let mut cells = h::snapshot_deltas(spans.iter().map(|s| (1, s)), first, h::month_index(to));
                cells.retain(|_, v| *v != 0);
                Ok(cells)
            }

            /// Extends the snapshots from the month end `from` (exclusive) to `to` (inclusive),
            /// reading only spans that start or end in between (the first snapshots come from
            /// [`snapshots_from_scratch`]).
            async fn extend_snapshots(tx: &mut Tx, from: NaiveDate, to: NaiveDate) -> StoreResult<usize> {
                let rows = sqlx::query("SELECT owner_org, sector_id, level, internal, n FROM stats_stock WHERE as_of = $1")
                    .bind(from)
                    .fetch_all(&mut **tx)
                    .await
                    .map_err(map_err)?;
                let baseline = rows.iter().map(group_from_row).collect::<StoreResult<Vec<_>>>()?;
                let sql = format!("SELECT {SPAN_COLS} FROM stats_spans WHERE valid_from > $1 AND valid_from <= $2");
                let starts = sqlx::query(&sql).bind(from).bind(to).fetch_all(&mut **tx).await.map_err(map_err)?;
                let sql = format!("SELECT {SPAN_COLS} FROM stats_spans WHERE valid_from <= $1 AND valid_to >= $1 AND valid_to < $2");
                let ends = sqlx::query(&sql).bind(from).bind(to).fetch_all(&mut **tx).await.map_err(map_err)?;
                let starts = starts.iter().map(span_from_row).collect::<StoreResult<Vec<_>>>()?;
                let ends = ends.iter().map(span_from_row).collect::<StoreResult<Vec<_>>>()?;
                let first = h::month_index(from) + 1;
                let last = h::month_index(to);
                if first > last {
                    return Ok(0);
                }
                // Spans in force at `from` that end before `to` drop out after their last month:
                // as a −1 "span" starting the day after their end.
                let ended: Vec<Span> = ends
                    .into_iter()
                    .map(|mut s| {
                        s.valid_from = s.valid_to.and_then(|t| t.succ_opt()).unwrap_or(NaiveDate::MAX);
                        s.valid_to = None;
                        s
                    })
                    .collect();
                let mut total = h::snapshot_deltas(
                    starts.iter().map(|s| (1, s)).chain(ended.iter().map(|s| (-1, s))),
                    first,
                    last,
                );
                for (g, n) in &baseline {
                    for m in first..=last {
                        *total.entry((h::month_end(m), g.clone())).or_default() += n;
                    }
                }
                total.retain(|_, v| *v != 0);
                add_to_stock(tx, &total).await?;
                Ok((last - first + 1) as usize)
            }

            fn change_fact_from_row(r: &Row_) -> StoreResult<ChangeFact> {
                let ik: String = r.try_get("issuer_kind").map_err(map_err)?;
                let kind: String = r.try_get("kind").map_err(map_err)?;
                let central: Option<String> = r.try_get("applies_central").map_err(map_err)?;
                let old: Option<String> = r.try_get("old_code").map_err(map_err)?;
                let internal: Option<bool> = r.try_get("internal").map_err(map_err)?;
                let complete: Option<bool> = r.try_get("complete").map_err(map_err)?;
                let first: Option<bool> = r.try_get("first_version").map_err(map_err)?;
                let owner: Option<String> = r.try_get("owner_org").map_err(map_err)?;
                let sector_id: Option<String> = r.try_get("sector_id").map_err(map_err)?;
                let sector: Option<String> = r.try_get("sector").map_err(map_err)?;
                let level: Option<String> = r.try_get("level").map_err(map_err)?;
                Ok(ChangeFact {
                    decision_no: r.try_get("number").map_err(map_err)?,
                    line: r.try_get("line").map_err(map_err)?,
                    signed_on: r.try_get("signed_on").map_err(map_err)?,
                    effective_on: r.try_get("effective_on").map_err(map_err)?,
                    issuer_org: r.try_get("issuer_org").map_err(map_err)?,
                    issuer_kind: parse_col(&ik, "issuer_kind", IssuerKind::parse)?,
                    local_republication: central.is_some(),
                    kind: parse_col(&kind, "kind", ChangeKind::parse)?,
                    code: code_of(r.try_get("code").map_err(map_err)?)?,
                    owner_org: owner.unwrap_or_default(),
                    sector_id: sector_id.unwrap_or_default(),
                    sector: sector.unwrap_or_default(),
                    level: level.unwrap_or_else(|| "none".into()),
                    internal: internal.unwrap_or(false),
                    complete: complete.unwrap_or(false),
                    first_version: first.unwrap_or(false),
                    replaces: old.map(code_of).transpose()?,
                })
            }

            /// What a refresh leaves: the newest change it mirrored and its last snapshot.
            fn version_of(latest: Option<$crate::deps::chrono::DateTime<Utc>>, snap: Option<NaiveDate>) -> String {
                format!("{}|{}", latest.map(|t| t.to_rfc3339()).unwrap_or_default(), snap.map(|d| d.to_string()).unwrap_or_default())
            }

            /// The mirror's state as a refresh needs it (read without a lock).
            struct MirrorState {
                /// Newest `procedures.updated_at`.
                latest: Option<$crate::deps::chrono::DateTime<Utc>>,
                /// When the last refresh started (`None`: no mirror yet).
                watermark: Option<$crate::deps::chrono::DateTime<Utc>>,
                /// The newest change the last refresh saw.
                seen: Option<$crate::deps::chrono::DateTime<Utc>>,
                /// Last snapshot.
                snap: Option<NaiveDate>,
            }

            impl MirrorState {
                async fn read(store: &$store) -> StoreResult<Self> {
                    let latest = sqlx::query_scalar("SELECT updated_at FROM procedures ORDER BY updated_at DESC LIMIT 1")
                        .fetch_optional(&store.pool)
                        .await
                        .map_err(map_err)?;
                    let st = sqlx::query("SELECT watermark, max_seen, snap_upto FROM stats_state WHERE id = 1").fetch_one(&store.pool).await.map_err(map_err)?;
                    Ok(Self {
                        latest,
                        watermark: st.try_get("watermark").map_err(map_err)?,
                        seen: st.try_get("max_seen").map_err(map_err)?,
                        snap: st.try_get("snap_upto").map_err(map_err)?,
                    })
                }

                /// Nothing changed since the last refresh and the snapshots reach `target`.
                fn up_to_date(&self, target: NaiveDate) -> Option<RefreshReport> {
                    let fresh = self.watermark.is_some() && self.seen == self.latest && self.snap.is_some_and(|s| s >= target);
                    fresh.then(|| RefreshReport { version: version_of(self.latest, self.snap), ..RefreshReport::default() })
                }
            }

            /// One refresh under the process's refresh lock (see `refresh_stats`): fails with the
            /// `BUSY` conflict while another server holds a full rebuild's claim.
            async fn refresh_attempt(store: &$store, upto: NaiveDate) -> StoreResult<RefreshReport> {
                let started = Utc::now();
                let target = h::month_end_on_or_before(upto);
                let state = MirrorState::read(store).await?;
                if let Some(r) = state.up_to_date(target) {
                    return Ok(r);
                }
                let mut report = RefreshReport::default();
                // This process's rebuild token (the same for every refresh of the process).
                static TOKEN: std::sync::OnceLock<String> = std::sync::OnceLock::new();
                let token = TOKEN
                    .get_or_init(|| format!("{}:{}", std::process::id(), started.timestamp_nanos_opt().unwrap_or_default()))
                    .as_str();
                // Procedures to re-mirror: those touched since the last refresh, with a margin for
                // transactions that committed late, unless already mirrored at their current
                // `updated_at` (`stats_mirrored`); everything when there is no mirror yet or when
                // most of the catalogue moved (a bulk import): rebuilding is then cheaper.
                let mut codes: Vec<String> = match state.watermark {
                    Some(w) => sqlx::query_scalar(
                        "SELECT p.code FROM procedures p LEFT JOIN stats_mirrored m ON m.code = p.code \
                         WHERE p.updated_at > $1 AND (m.updated_at IS NULL OR m.updated_at <> p.updated_at) ORDER BY p.code",
                    )
                    .bind(w - Duration::minutes(10))
                    .fetch_all(&store.pool)
                    .await
                    .map_err(map_err)?,
                    None => Vec::new(),
                };
                let full = match (state.watermark, state.snap) {
                    (None, _) | (_, None) => true,
                    _ if codes.len() > 20 * CHUNK => {
                        let all: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM procedures").fetch_one(&store.pool).await.map_err(map_err)?;
                        codes.len() as i64 * 2 > all
                    }
                    _ => false,
                };
                let lease = full.then_some(token);
                if full {
                    report.full_rebuild = true;
                    let mut tx = store.begin_write().await?;
                    // Claim the rebuild (fails with BUSY while another server holds it).
                    lock_state(&mut tx, lease, true).await?;
                    for t in ["stats_spans", "stats_stock", "stats_replacements", "stats_entries", "stats_mirrored"] {
                        sqlx::query(&format!("DELETE FROM {t}")).execute(&mut *tx).await.map_err(map_err)?;
                    }
                    sqlx::query("UPDATE stats_state SET watermark = NULL, max_seen = NULL, snap_upto = NULL WHERE id = 1")
                        .execute(&mut *tx)
                        .await
                        .map_err(map_err)?;
                    tx.commit().await.map_err(map_err)?;
                    codes = sqlx::query_scalar("SELECT code FROM procedures ORDER BY code").fetch_all(&store.pool).await.map_err(map_err)?;
                }
                report.procedures = codes.len();
                // Short transactions, so that other writers (a sign-in, an intake) wait at most
                // one chunk. A report reading between two chunks of another server's refresh sees
                // some procedures already re-mirrored: each chunk is whole.
                for chunk in codes.chunks(CHUNK) {
                    mirror_chunk(store, chunk, lease).await?;
                }
                if full {
                    // The fact table in signing order, one month per transaction, so that a month
                    // of entries is one contiguous range of the table.
                    let range = sqlx::query("SELECT MIN(signed_on) AS lo, MAX(signed_on) AS hi FROM decisions WHERE status = 'applied'")
                        .fetch_one(&store.pool)
                        .await
                        .map_err(map_err)?;
                    let lo: Option<NaiveDate> = range.try_get("lo").map_err(map_err)?;
                    let hi: Option<NaiveDate> = range.try_get("hi").map_err(map_err)?;
                    if let (Some(lo), Some(hi)) = (lo, hi) {
                        for m in h::month_index(lo)..=h::month_index(hi) {
                            let to = h::month_end(m).succ_opt().unwrap_or(NaiveDate::MAX);
                            let from = to.checked_sub_months($crate::deps::chrono::Months::new(1)).unwrap_or(lo);
                            mirror_entries_signed(store, from, to, token).await?;
                        }
                    }
                    // Every month end from the first version on, written in short transactions.
                    let cells = snapshots_from_scratch(store, target).await?;
                    let cells: Vec<Cell<'_>> = cells.iter().collect();
                    for chunk in cells.chunks(20_000) {
                        let mut tx = store.begin_write().await?;
                        lock_state(&mut tx, lease, false).await?;
                        add_cells_to_stock(&mut tx, chunk).await?;
                        tx.commit().await.map_err(map_err)?;
                    }
                    report.months_added = cells.iter().map(|c| c.0.0).collect::<BTreeSet<_>>().len();
                }
                let mut tx = store.begin_write().await?;
                let snap_upto = match lock_state(&mut tx, lease, false).await? {
                    // An ordinary refresh starts from the last snapshot; a rebuild wrote them all.
                    Some(s) if !full && s < target => {
                        report.months_added = extend_snapshots(&mut tx, s, target).await?;
                        target
                    }
                    Some(s) if !full => s,
                    _ => target,
                };
                sqlx::query("UPDATE stats_state SET watermark = $1, snap_upto = $2, max_seen = $3, rebuild_by = NULL, rebuild_until = NULL WHERE id = 1")
                    .bind(started)
                    .bind(snap_upto)
                    .bind(state.latest)
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err)?;
                tx.commit().await.map_err(map_err)?;
                report.version = version_of(state.latest, Some(snap_upto));
                Ok(report)
            }

            #[$crate::deps::async_trait]
            impl StatsStore for $store {
                async fn refresh_stats(&self, upto: NaiveDate) -> StoreResult<RefreshReport> {
                    // Fast path without any lock.
                    if let Some(r) = MirrorState::read(self).await?.up_to_date(h::month_end_on_or_before(upto)) {
                        return Ok(r);
                    }
                    let _one_at_a_time = REFRESH.lock().await;
                    // Another server's full rebuild holds the claim: wait for it (bounded).
                    let mut waited = 0;
                    loop {
                        match refresh_attempt(self, upto).await {
                            Err(StoreError::Conflict { message, .. }) if message == BUSY && waited < 900 => {
                                $crate::deps::tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                                waited += 1;
                            }
                            other => return other,
                        }
                    }
                }

                async fn change_facts(&self, from: NaiveDate, to: NaiveDate, basis: DateBasis) -> StoreResult<Vec<ChangeFact>> {
                    let col = match basis {
                        DateBasis::Signed => "signed_on",
                        DateBasis::Effective => "effective_on",
                    };
                    let sql = format!("SELECT {ENTRY_COLS} FROM stats_entries WHERE {col} >= $1 AND {col} <= $2 ORDER BY {col}, number, line");
                    let rows = sqlx::query(&sql).bind(from).bind(to).fetch_all(&self.pool).await.map_err(map_err)?;
                    rows.iter().map(change_fact_from_row).collect()
                }

                async fn trend_counts(&self, from: NaiveDate, to: NaiveDate, basis: DateBasis, issuers: Option<&[String]>) -> StoreResult<Vec<TrendCell>> {
                    let col = match basis {
                        DateBasis::Signed => "signed_on",
                        DateBasis::Effective => "effective_on",
                    };
                    let month = <$store>::MONTH_KEY.replace("{col}", col);
                    let c = <$store>::COLLATE_BYTES;
                    let bucket = "CASE kind WHEN 'annulled' THEN 'abolished' ELSE kind END";
                    let mut qb = sqlx::QueryBuilder::<Db>::new(format!(
                        "SELECT m, b, COUNT(*) AS n, SUM(CASE WHEN kind = 'annulled' THEN 1 ELSE 0 END) AS annulled FROM (\
                         SELECT {month} AS m, {bucket} AS b, kind, \
                         ROW_NUMBER() OVER (PARTITION BY {month}, {bucket}, code ORDER BY {col} DESC, number{c} DESC, line DESC) AS rn \
                         FROM stats_entries WHERE applies_central IS NULL AND {col} >= "
                    ));
                    qb.push_bind(from).push(format!(" AND {col} <= ")).push_bind(to);
                    if let Some(orgs) = issuers {
                        push_in(&mut qb, " AND issuer_org", orgs);
                    }
                    qb.push(") t WHERE rn = 1 GROUP BY m, b ORDER BY m, b");
                    let rows = qb.build().fetch_all(&self.pool).await.map_err(map_err)?;
                    rows.iter()
                        .map(|r| {
                            Ok(TrendCell {
                                month: r.try_get("m").map_err(map_err)?,
                                bucket: r.try_get("b").map_err(map_err)?,
                                n: r.try_get("n").map_err(map_err)?,
                                annulled: r.try_get("annulled").map_err(map_err)?,
                            })
                        })
                        .collect()
                }

                async fn decision_facts(&self, from: NaiveDate, to: NaiveDate, basis: DateBasis) -> StoreResult<Vec<DecisionFact>> {
                    let col = match basis {
                        DateBasis::Signed => "signed_on",
                        DateBasis::Effective => "effective_on",
                    };
                    let sql = format!(
                        "SELECT number, signed_on, effective_on, issuer_org, issuer_kind, shortened, applies_central, applied_on, late \
                         FROM decisions WHERE status = 'applied' AND {col} >= $1 AND {col} <= $2 ORDER BY {col}, number"
                    );
                    let rows = sqlx::query(&sql).bind(from).bind(to).fetch_all(&self.pool).await.map_err(map_err)?;
                    rows.iter()
                        .map(|r| {
                            let ik: String = r.try_get("issuer_kind").map_err(map_err)?;
                            let central: Option<String> = r.try_get("applies_central").map_err(map_err)?;
                            Ok(DecisionFact {
                                number: r.try_get("number").map_err(map_err)?,
                                signed_on: r.try_get("signed_on").map_err(map_err)?,
                                effective_on: r.try_get("effective_on").map_err(map_err)?,
                                issuer_org: r.try_get("issuer_org").map_err(map_err)?,
                                issuer_kind: parse_col(&ik, "issuer_kind", IssuerKind::parse)?,
                                shortened: r.try_get("shortened").map_err(map_err)?,
                                local_republication: central.is_some(),
                                applied_on: r.try_get("applied_on").map_err(map_err)?,
                                late: r.try_get("late").map_err(map_err)?,
                            })
                        })
                        .collect()
                }

                async fn stock_at(&self, date: NaiveDate) -> StoreResult<Vec<StockGroup>> {
                    let base: Option<NaiveDate> = sqlx::query_scalar("SELECT MAX(as_of) FROM stats_stock WHERE as_of <= $1")
                        .bind(date)
                        .fetch_one(&self.pool)
                        .await
                        .map_err(map_err)?;
                    let mut acc: HashMap<GroupKey, i64> = HashMap::new();
                    let grp = "GROUP BY owner_org, sector_id, level, internal";
                    let cols = "SELECT owner_org, sector_id, level, internal, COUNT(*) AS n FROM stats_spans";
                    let (plus, minus) = match base {
                        Some(e) => {
                            let rows = sqlx::query("SELECT owner_org, sector_id, level, internal, n FROM stats_stock WHERE as_of = $1")
                                .bind(e)
                                .fetch_all(&self.pool)
                                .await
                                .map_err(map_err)?;
                            for r in &rows {
                                let (g, n) = group_from_row(r)?;
                                *acc.entry(g).or_default() += n;
                            }
                            let p = sqlx::query(&format!("{cols} WHERE valid_from > $1 AND valid_from <= $2 {grp}"))
                                .bind(e).bind(date).fetch_all(&self.pool).await.map_err(map_err)?;
                            let m = sqlx::query(&format!("{cols} WHERE valid_to >= $1 AND valid_to < $2 {grp}"))
                                .bind(e).bind(date).fetch_all(&self.pool).await.map_err(map_err)?;
                            (p, m)
                        }
                        None => {
                            let p = sqlx::query(&format!("{cols} WHERE valid_from <= $1 {grp}"))
                                .bind(date).fetch_all(&self.pool).await.map_err(map_err)?;
                            let m = sqlx::query(&format!("{cols} WHERE valid_to < $1 {grp}"))
                                .bind(date).fetch_all(&self.pool).await.map_err(map_err)?;
                            (p, m)
                        }
                    };
                    for r in &plus {
                        let (g, n) = group_from_row(r)?;
                        *acc.entry(g).or_default() += n;
                    }
                    for r in &minus {
                        let (g, n) = group_from_row(r)?;
                        *acc.entry(g).or_default() -= n;
                    }
                    let mut out: Vec<StockGroup> = acc
                        .into_iter()
                        .filter(|(_, n)| *n != 0)
                        .map(|((owner_org, sector_id, level, internal), n)| StockGroup { owner_org, sector_id, level, internal, n })
                        .collect();
                    out.sort_by(|a, b| (&a.owner_org, &a.sector_id, &a.level, a.internal).cmp(&(&b.owner_org, &b.sector_id, &b.level, b.internal)));
                    Ok(out)
                }

                async fn stock_flows(&self, from: NaiveDate, to: NaiveDate) -> StoreResult<Vec<FlowFact>> {
                    let mut out = Vec::new();
                    let rows = sqlx::query(
                        "SELECT code, valid_from, decision_no, change_kind, owner_org, sector_id, level, internal FROM stats_spans \
                         WHERE first_version = $3 AND valid_from >= $1 AND valid_from <= $2 ORDER BY valid_from, code",
                    )
                    .bind(from)
                    .bind(to)
                    .bind(true)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(map_err)?;
                    for r in &rows {
                        let kind: Option<String> = r.try_get("change_kind").map_err(map_err)?;
                        let decision: Option<String> = r.try_get("decision_no").map_err(map_err)?;
                        let fk = match (kind.as_deref(), decision.is_some()) {
                            (Some("new"), true) => FlowKind::EnteredNew,
                            (Some("replaced"), true) => FlowKind::EnteredReplacing,
                            _ => FlowKind::EnteredOther,
                        };
                        out.push(FlowFact {
                            code: code_of(r.try_get("code").map_err(map_err)?)?,
                            kind: fk,
                            on: r.try_get("valid_from").map_err(map_err)?,
                            decision_no: if fk == FlowKind::EnteredOther { None } else { decision },
                            owner_org: r.try_get("owner_org").map_err(map_err)?,
                            sector_id: r.try_get("sector_id").map_err(map_err)?,
                            level: r.try_get("level").map_err(map_err)?,
                            internal: r.try_get("internal").map_err(map_err)?,
                        });
                    }
                    let (lo, hi) = (from.pred_opt().unwrap_or(from), to.pred_opt().unwrap_or(to));
                    let rows = sqlx::query(
                        "SELECT s.code, s.valid_to, s.owner_org, s.sector_id, s.level, s.internal, e.number AS ended_by, e.kind AS end_kind, r.number AS replaced_by \
                         FROM stats_spans s \
                         LEFT JOIN decision_entries e ON e.code = s.code AND e.seq = s.seq AND e.kind IN ('abolished', 'annulled') \
                         LEFT JOIN stats_replacements r ON r.old_code = s.code \
                         WHERE s.last_version = $3 AND s.status = 'abolished' AND s.valid_to >= $1 AND s.valid_to <= $2 ORDER BY s.valid_to, s.code",
                    )
                    .bind(lo)
                    .bind(hi)
                    .bind(true)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(map_err)?;
                    for r in &rows {
                        let ended_by: Option<String> = r.try_get("ended_by").map_err(map_err)?;
                        let end_kind: Option<String> = r.try_get("end_kind").map_err(map_err)?;
                        let replaced_by: Option<String> = r.try_get("replaced_by").map_err(map_err)?;
                        let to_day: NaiveDate = r.try_get("valid_to").map_err(map_err)?;
                        let (fk, decision) = match (end_kind.as_deref(), ended_by, replaced_by) {
                            (Some("annulled"), d, _) => (FlowKind::ExitedAnnulled, d),
                            (Some(_), d, _) => (FlowKind::ExitedAbolished, d),
                            (None, _, Some(n)) => (FlowKind::ExitedReplaced, Some(n)),
                            _ => (FlowKind::ExitedOther, None),
                        };
                        out.push(FlowFact {
                            code: code_of(r.try_get("code").map_err(map_err)?)?,
                            kind: fk,
                            on: to_day.succ_opt().unwrap_or(to_day),
                            decision_no: decision,
                            owner_org: r.try_get("owner_org").map_err(map_err)?,
                            sector_id: r.try_get("sector_id").map_err(map_err)?,
                            level: r.try_get("level").map_err(map_err)?,
                            internal: r.try_get("internal").map_err(map_err)?,
                        });
                    }
                    Ok(out)
                }

                async fn stock_list(&self, date: NaiveDate, owner_orgs: Option<&[String]>, limit: i64, offset: i64) -> StoreResult<Page<StockItem>> {
                    let limit = limit.clamp(1, 5000);
                    let offset = offset.max(0);
                    let push_where = |qb: &mut sqlx::QueryBuilder<'_, Db>| {
                        qb.push(" WHERE valid_from <= ").push_bind(date).push(" AND (valid_to IS NULL OR valid_to >= ").push_bind(date).push(")");
                        if let Some(orgs) = owner_orgs {
                            qb.push(" AND owner_org IN (");
                            let mut sep = qb.separated(", ");
                            for o in orgs {
                                sep.push_bind(o.clone());
                            }
                            if orgs.is_empty() {
                                sep.push("NULL");
                            }
                            qb.push(")");
                        }
                    };
                    let mut qb = sqlx::QueryBuilder::<Db>::new("SELECT COUNT(*) FROM stats_spans");
                    push_where(&mut qb);
                    let total: i64 = qb.build_query_scalar().fetch_one(&self.pool).await.map_err(map_err)?;
                    let mut qb = sqlx::QueryBuilder::<Db>::new("SELECT code, seq, decision_no, owner_org FROM stats_spans");
                    push_where(&mut qb);
                    qb.push(" ORDER BY code LIMIT ").push_bind(limit).push(" OFFSET ").push_bind(offset);
                    let rows = qb.build().fetch_all(&self.pool).await.map_err(map_err)?;
                    let items = rows
                        .iter()
                        .map(|r| {
                            Ok(StockItem {
                                code: code_of(r.try_get("code").map_err(map_err)?)?,
                                seq: r.try_get("seq").map_err(map_err)?,
                                decision_no: r.try_get("decision_no").map_err(map_err)?,
                                owner_org: r.try_get("owner_org").map_err(map_err)?,
                            })
                        })
                        .collect::<StoreResult<Vec<_>>>()?;
                    Ok(Page { items, total, limit, offset })
                }

                async fn editions(&self, key: &EditionKey) -> StoreResult<Vec<ReportEdition>> {
                    let rows = sqlx::query(
                        "SELECT edition_no, inputs_hash, body, changelog, reason, created_at FROM report_editions \
                         WHERE report_kind = $1 AND period = $2 AND scope = $3 AND basis = $4 ORDER BY edition_no",
                    )
                    .bind(&key.report_kind)
                    .bind(&key.period)
                    .bind(&key.scope)
                    .bind(&key.basis)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(map_err)?;
                    rows.iter()
                        .map(|r| {
                            let body: String = r.try_get("body").map_err(map_err)?;
                            let changelog: String = r.try_get("changelog").map_err(map_err)?;
                            Ok(ReportEdition {
                                key: key.clone(),
                                edition_no: r.try_get("edition_no").map_err(map_err)?,
                                inputs_hash: r.try_get("inputs_hash").map_err(map_err)?,
                                body: from_json(&body)?,
                                changelog: from_json(&changelog)?,
                                reason: r.try_get("reason").map_err(map_err)?,
                                created_at: r.try_get("created_at").map_err(map_err)?,
                            })
                        })
                        .collect()
                }

                async fn save_edition(&self, e: &NewEdition) -> StoreResult<EditionOutcome> {
                    let mut tx = self.begin_write().await?;
                    let k = &e.key;
                    let latest = sqlx::query(
                        "SELECT edition_no, inputs_hash FROM report_editions WHERE report_kind = $1 AND period = $2 AND scope = $3 AND basis = $4 ORDER BY edition_no DESC LIMIT 1",
                    )
                    .bind(&k.report_kind)
                    .bind(&k.period)
                    .bind(&k.scope)
                    .bind(&k.basis)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(map_err)?;
                    let (latest_no, latest_hash) = match &latest {
                        Some(r) => (r.try_get::<i64, _>("edition_no").map_err(map_err)?, Some(r.try_get::<String, _>("inputs_hash").map_err(map_err)?)),
                        None => (0, None),
                    };
                    if latest_hash.as_deref() == Some(e.inputs_hash.as_str()) {
                        tx.rollback().await.map_err(map_err)?;
                        let all = self.editions(k).await?;
                        let last = all.into_iter().last().ok_or_else(|| StoreError::Other("ấn bản vừa đọc đã biến mất".into()))?;
                        return Ok(EditionOutcome::Unchanged(last));
                    }
                    if latest_no != e.previous_no {
                        return Err(StoreError::conflict(format!(
                            "báo cáo {} {} đã có ấn bản {latest_no} (không phải {}); tạo lại nhật ký thay đổi / a newer edition exists",
                            k.report_kind, k.period, e.previous_no
                        )));
                    }
                    let now = Utc::now();
                    let edition = ReportEdition {
                        key: k.clone(),
                        edition_no: latest_no + 1,
                        inputs_hash: e.inputs_hash.clone(),
                        body: e.body.clone(),
                        changelog: e.changelog.clone(),
                        reason: e.reason.clone(),
                        created_at: now,
                    };
                    sqlx::query(
                        "INSERT INTO report_editions (report_kind, period, scope, basis, edition_no, inputs_hash, body, changelog, reason, created_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                    )
                    .bind(&k.report_kind)
                    .bind(&k.period)
                    .bind(&k.scope)
                    .bind(&k.basis)
                    .bind(edition.edition_no)
                    .bind(&edition.inputs_hash)
                    .bind(to_json(&edition.body)?)
                    .bind(to_json(&edition.changelog)?)
                    .bind(&edition.reason)
                    .bind(now)
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err)?;
                    tx.commit().await.map_err(map_err)?;
                    Ok(EditionOutcome::Created(edition))
                }
            }
        };
    };
}
