//! The store implementation, written once. See the crate docs for the hooks it expects.

/// Implements every `thutuc_store` trait for `$store` over the sqlx database `$db`.
#[macro_export]
macro_rules! impl_sql_store {
    ($store:ty, $db:ty) => {
        const _: () = {
            use $crate::deps::chrono::{NaiveDate, Utc};
            use $crate::deps::sqlx::{self, Row};
            use $crate::deps::thutuc_domain::decision::{DecisionStatus, IssuerKind, PublicationDecision};
            use $crate::deps::thutuc_domain::legal::LegalDocument;
            use $crate::deps::thutuc_domain::org::{OrgKind, Organisation, Sector, UnitSuccession};
            use $crate::deps::thutuc_domain::procedure::{ProcedureContent, ProcedureKind};
            use $crate::deps::thutuc_domain::text;
            use $crate::deps::thutuc_domain::version::{ChangeKind, LifecycleError, Procedure, ProcedureVersion, VersionStatus};
            use $crate::deps::thutuc_domain::TthcCode;
            use $crate::deps::thutuc_store::plan::{self, EntryPlan, ProcState};
            use $crate::deps::thutuc_store::*;
            use $crate::rows::{from_json, levels_list, levels_text, map_err, parse_col, search_key, to_json};

            type Db = $db;
            type Row_ = <Db as sqlx::Database>::Row;
            type Tx = sqlx::Transaction<'static, Db>;

            const VERSION_COLS: &str = "code, seq, status, valid_from, valid_to, decision_no, change_kind, changed_components, content, rev, owner_org";

            fn org_from_row(r: &Row_) -> StoreResult<Organisation> {
                let kind: String = r.try_get("kind").map_err(map_err)?;
                Ok(Organisation {
                    id: r.try_get("id").map_err(map_err)?,
                    name: r.try_get("name").map_err(map_err)?,
                    kind: parse_col(&kind, "orgs.kind", OrgKind::parse)?,
                    eid: r.try_get("eid").map_err(map_err)?,
                    admin_code: r.try_get("admin_code").map_err(map_err)?,
                    parent: r.try_get("parent").map_err(map_err)?,
                    valid_from: r.try_get("valid_from").map_err(map_err)?,
                    valid_to: r.try_get("valid_to").map_err(map_err)?,
                })
            }

            fn localisation_from_row(r: &<$db as sqlx::Database>::Row) -> StoreResult<Localisation> {
                let overrides: String = r.try_get("overrides").map_err(map_err)?;
                let central_seq: i64 = r.try_get("central_seq").map_err(map_err)?;
                let current: Option<i64> = r.try_get("current_seq").map_err(map_err)?;
                Ok(Localisation {
                    code: code_of(r.try_get("code").map_err(map_err)?)?,
                    org_id: r.try_get("org_id").map_err(map_err)?,
                    local_code: r.try_get("local_code").map_err(map_err)?,
                    overrides: from_json(&overrides)?,
                    central_seq,
                    drifted: current.is_some_and(|c| c > central_seq),
                    rev: r.try_get("rev").map_err(map_err)?,
                })
            }

            fn code_of(s: String) -> StoreResult<TthcCode> {
                TthcCode::parse(&s).map_err(|e| StoreError::Other(format!("mã lưu sai: {e}")))
            }

            /// The optional `change_kind` column of a version row.
            fn change_kind_col(r: &Row_) -> StoreResult<Option<ChangeKind>> {
                let kind: Option<String> = r.try_get("change_kind").map_err(map_err)?;
                kind.map(|k| parse_col(&k, "change_kind", ChangeKind::parse)).transpose()
            }

            fn version_from_row(r: &Row_) -> StoreResult<ProcedureVersion> {
                let status: String = r.try_get("status").map_err(map_err)?;
                let changed: String = r.try_get("changed_components").map_err(map_err)?;
                let content: String = r.try_get("content").map_err(map_err)?;
                Ok(ProcedureVersion {
                    code: code_of(r.try_get("code").map_err(map_err)?)?,
                    seq: r.try_get("seq").map_err(map_err)?,
                    status: parse_col(&status, "status", VersionStatus::parse)?,
                    valid_from: r.try_get("valid_from").map_err(map_err)?,
                    valid_to: r.try_get("valid_to").map_err(map_err)?,
                    decision_no: r.try_get("decision_no").map_err(map_err)?,
                    change_kind: change_kind_col(r)?,
                    changed_components: from_json(&changed)?,
                    content: from_json(&content)?,
                    rev: r.try_get("rev").map_err(map_err)?,
                    owner_org: r.try_get("owner_org").map_err(map_err)?,
                })
            }

            fn decision_from_row(r: &Row_) -> StoreResult<DecisionRecord> {
                let body: String = r.try_get("body").map_err(map_err)?;
                let status: String = r.try_get("status").map_err(map_err)?;
                let tl: Option<String> = r.try_get("timeliness").map_err(map_err)?;
                Ok(DecisionRecord {
                    decision: from_json(&body)?,
                    status: parse_col(&status, "decisions.status", DecisionStatus::parse)?,
                    rev: r.try_get("rev").map_err(map_err)?,
                    created_by: r.try_get("created_by").map_err(map_err)?,
                    applied_on: r.try_get("applied_on").map_err(map_err)?,
                    timeliness: match tl {
                        Some(t) => Some(from_json(&t)?),
                        None => None,
                    },
                })
            }

            fn legal_from_row(r: &Row_) -> StoreResult<LegalDocument> {
                Ok(LegalDocument {
                    number: r.try_get("number").map_err(map_err)?,
                    doc_type: r.try_get("doc_type").map_err(map_err)?,
                    title: r.try_get("title").map_err(map_err)?,
                    issuer: r.try_get("issuer").map_err(map_err)?,
                    signed_on: r.try_get("signed_on").map_err(map_err)?,
                    effective_on: r.try_get("effective_on").map_err(map_err)?,
                })
            }

            fn user_from_row(r: &Row_) -> StoreResult<User> {
                Ok(User {
                    id: r.try_get("id").map_err(map_err)?,
                    email: r.try_get("email").map_err(map_err)?,
                    name: r.try_get("name").map_err(map_err)?,
                    org_id: r.try_get("org_id").map_err(map_err)?,
                    role: r.try_get("role").map_err(map_err)?,
                    password_hash: r.try_get("password_hash").map_err(map_err)?,
                })
            }

            /// Reads a procedure's state inside a write transaction.
            async fn load_state(tx: &mut Tx, code: &TthcCode) -> StoreResult<ProcState> {
                // One round trip: the procedure row (locked) with its current and draft contents.
                let sql = format!(
                    "SELECT p.abolished, p.current_seq, p.draft_seq, c.status AS c_status, c.valid_from AS c_from, c.valid_to AS c_to, c.content AS c_content, d.content AS d_content \
                     FROM procedures p LEFT JOIN procedure_versions c ON c.code = p.code AND c.seq = p.current_seq \
                     LEFT JOIN procedure_versions d ON d.code = p.code AND d.seq = p.draft_seq WHERE p.code = $1{}",
                    <$store>::FOR_UPDATE_OF_P
                );
                let Some(p) = sqlx::query(&sql).bind(code.as_str()).fetch_optional(&mut **tx).await.map_err(map_err)? else {
                    return Ok(ProcState::default());
                };
                let mut st = ProcState { exists: true, abolished: p.try_get("abolished").map_err(map_err)?, ..Default::default() };
                let current: Option<i64> = p.try_get("current_seq").map_err(map_err)?;
                let draft: Option<i64> = p.try_get("draft_seq").map_err(map_err)?;
                if let Some(seq) = current {
                    let status: Option<String> = p.try_get("c_status").map_err(map_err)?;
                    let to: Option<NaiveDate> = p.try_get("c_to").map_err(map_err)?;
                    if status.as_deref() == Some(VersionStatus::Published.as_str()) && to.is_none() {
                        let from: Option<NaiveDate> = p.try_get("c_from").map_err(map_err)?;
                        let content: Option<String> = p.try_get("c_content").map_err(map_err)?;
                        st.current = Some((seq, from.unwrap_or(NaiveDate::MIN), from_json(&content.unwrap_or_default())?));
                    }
                }
                if let Some(seq) = draft {
                    let content: Option<String> = p.try_get("d_content").map_err(map_err)?;
                    st.draft = Some((seq, from_json(&content.unwrap_or_default())?));
                }
                // Versions are numbered in creation order and the newest is always the current
                // one or the open draft, so the highest seq is the larger of the two.
                st.max_seq = current.unwrap_or(0).max(draft.unwrap_or(0));
                Ok(st)
            }

            async fn fetch_version<'e, E>(ex: E, code: &TthcCode, seq: i64) -> StoreResult<ProcedureVersion>
            where
                E: sqlx::Executor<'e, Database = Db>,
            {
                let sql = format!("SELECT {VERSION_COLS} FROM procedure_versions WHERE code = $1 AND seq = $2");
                let row = sqlx::query(&sql).bind(code.as_str()).bind(seq).fetch_optional(ex).await.map_err(map_err)?;
                match row {
                    Some(r) => version_from_row(&r),
                    None => Err(StoreError::NotFound(format!("phiên bản {seq} của thủ tục {code}"))),
                }
            }

            /// Updates the denormalised columns of `procedures` from a content.
            async fn touch_procedure(tx: &mut Tx, code: &TthcCode, c: &ProcedureContent) -> StoreResult<()> {
                sqlx::query("UPDATE procedures SET name = $2, search_key = $3, sector = $4, sector_id = $5, levels = $6, sort_key = $7, updated_at = $8 WHERE code = $1")
                    .bind(code.as_str())
                    .bind(&c.name)
                    .bind(search_key(code.as_str(), c))
                    .bind(&c.sector)
                    .bind(c.sector_id.clone().unwrap_or_else(|| Sector::id_for(&c.sector)))
                    .bind(levels_text(&c.levels))
                    .bind(text::sort_key(&c.name))
                    .bind(Utc::now())
                    .execute(&mut **tx)
                    .await
                    .map_err(map_err)?;
                Ok(())
            }

            async fn insert_procedure(tx: &mut Tx, code: &TthcCode, kind: ProcedureKind, owner: &str, c: &ProcedureContent) -> StoreResult<()> {
                let now = Utc::now();
                sqlx::query(
                    "INSERT INTO procedures (code, kind, owner_org, abolished, current_seq, draft_seq, name, search_key, sector, sector_id, levels, sort_key, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, NULL, NULL, $5, $6, $7, $8, $9, $10, $11, $11)",
                )
                .bind(code.as_str())
                .bind(kind.as_str())
                .bind(owner)
                .bind(false)
                .bind(&c.name)
                .bind(search_key(code.as_str(), c))
                .bind(&c.sector)
                .bind(c.sector_id.clone().unwrap_or_else(|| Sector::id_for(&c.sector)))
                .bind(levels_text(&c.levels))
                .bind(text::sort_key(&c.name))
                .bind(now)
                .execute(&mut **tx)
                .await
                .map_err(|e| match map_err(e) {
                    StoreError::Invalid { .. } => StoreError::invalid("owner_org", format!("tổ chức «{owner}» không tồn tại / unknown organisation")),
                    other => other,
                })?;
                Ok(())
            }

            #[allow(clippy::too_many_arguments)]
            async fn insert_version(
                tx: &mut Tx,
                code: &TthcCode,
                seq: i64,
                status: VersionStatus,
                valid_from: Option<NaiveDate>,
                decision_no: Option<&str>,
                kind: Option<ChangeKind>,
                changed: &[String],
                content: &ProcedureContent,
                owner: &str,
                by: &str,
            ) -> StoreResult<()> {
                let now = Utc::now();
                sqlx::query(
                    "INSERT INTO procedure_versions (code, seq, status, valid_from, valid_to, decision_no, change_kind, changed_components, name, content, rev, owner_org, created_by, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, NULL, $5, $6, $7, $8, $9, 1, $10, $11, $12, $12)",
                )
                .bind(code.as_str())
                .bind(seq)
                .bind(status.as_str())
                .bind(valid_from)
                .bind(decision_no)
                .bind(kind.map(|k| k.as_str()))
                .bind(to_json(&changed)?)
                .bind(&content.name)
                .bind(to_json(content)?)
                .bind(owner)
                .bind(by)
                .bind(now)
                .execute(&mut **tx)
                .await
                .map_err(map_err)?;
                Ok(())
            }

            async fn close_version(tx: &mut Tx, code: &TthcCode, c: &plan::Close) -> StoreResult<()> {
                sqlx::query("UPDATE procedure_versions SET status = $3, valid_to = $4, rev = rev + 1, updated_at = $5 WHERE code = $1 AND seq = $2")
                    .bind(code.as_str())
                    .bind(c.seq)
                    .bind(c.status.as_str())
                    .bind(c.valid_to)
                    .bind(Utc::now())
                    .execute(&mut **tx)
                    .await
                    .map_err(map_err)?;
                Ok(())
            }

            /// Executes one planned entry. Returns the seq now current.
            async fn execute_plan(
                tx: &mut Tx,
                code: &TthcCode,
                kind: ChangeKind,
                internal: bool,
                d: &PublicationDecision,
                p: &EntryPlan,
            ) -> StoreResult<i64> {
                if p.create_procedure {
                    let content = p.publish.as_ref().map(|x| x.content.clone()).unwrap_or_default();
                    let k = if internal { ProcedureKind::Internal } else { ProcedureKind::External };
                    insert_procedure(tx, code, k, &d.issuer_org, &content).await?;
                }
                if let Some(c) = &p.close {
                    close_version(tx, code, c).await?;
                }
                let mut current = p.close.as_ref().map(|c| c.seq).unwrap_or(0);
                if let Some(publ) = &p.publish {
                    if publ.from_draft {
                        sqlx::query(
                            "UPDATE procedure_versions SET status = 'published', valid_from = $3, decision_no = $4, change_kind = $5, changed_components = $6, name = $7, content = $8, rev = rev + 1, updated_at = $9 WHERE code = $1 AND seq = $2",
                        )
                        .bind(code.as_str())
                        .bind(publ.seq)
                        .bind(publ.valid_from)
                        .bind(&d.number)
                        .bind(kind.as_str())
                        .bind(to_json(&publ.changed_components)?)
                        .bind(&publ.content.name)
                        .bind(to_json(&publ.content)?)
                        .bind(Utc::now())
                        .execute(&mut **tx)
                        .await
                        .map_err(map_err)?;
                    } else {
                        insert_version(
                            tx,
                            code,
                            publ.seq,
                            VersionStatus::Published,
                            Some(publ.valid_from),
                            Some(&d.number),
                            Some(kind),
                            &publ.changed_components,
                            &publ.content,
                            &d.issuer_org,
                            "decision",
                        )
                        .await?;
                    }
                    current = publ.seq;
                    let c = &publ.content;
                    sqlx::query(
                        "UPDATE procedures SET current_seq = $2, draft_seq = CASE WHEN draft_seq = $2 THEN NULL ELSE draft_seq END, \
                         name = $3, search_key = $4, sector = $5, sector_id = $6, levels = $7, sort_key = $8, updated_at = $9 WHERE code = $1",
                    )
                    .bind(code.as_str())
                    .bind(publ.seq)
                    .bind(&c.name)
                    .bind(search_key(code.as_str(), c))
                    .bind(&c.sector)
                    .bind(c.sector_id.clone().unwrap_or_else(|| Sector::id_for(&c.sector)))
                    .bind(levels_text(&c.levels))
                    .bind(text::sort_key(&c.name))
                    .bind(Utc::now())
                    .execute(&mut **tx)
                    .await
                    .map_err(map_err)?;
                }
                if p.abolish {
                    sqlx::query("UPDATE procedures SET abolished = (abolished OR $2), updated_at = $3 WHERE code = $1")
                        .bind(code.as_str())
                        .bind(p.abolish)
                        .bind(Utc::now())
                        .execute(&mut **tx)
                        .await
                        .map_err(map_err)?;
                }
                Ok(current)
            }

            async fn lock_draft(tx: &mut Tx, code: &TthcCode, seq: i64, expected_rev: i64) -> StoreResult<ProcedureVersion> {
                let sql = format!("SELECT {VERSION_COLS} FROM procedure_versions WHERE code = $1 AND seq = $2{}", <$store>::FOR_UPDATE);
                let row = sqlx::query(&sql).bind(code.as_str()).bind(seq).fetch_optional(&mut **tx).await.map_err(map_err)?;
                let v = match row {
                    Some(r) => version_from_row(&r)?,
                    None => return Err(StoreError::NotFound(format!("phiên bản {seq} của thủ tục {code}"))),
                };
                if !v.status.is_open_draft() {
                    return Err(StoreError::Rule(LifecycleError::NotADraft(code.to_string(), seq).to_string()));
                }
                if v.rev != expected_rev {
                    return Err(StoreError::Conflict {
                        message: format!(
                            "phiên bản {seq} của thủ tục {code} đã được người khác sửa (bản sửa {} thay vì {expected_rev}); tải lại để xem thay đổi / edited by someone else",
                            v.rev
                        ),
                        current: serde_json::to_value(&v).ok(),
                    });
                }
                Ok(v)
            }

            fn summary_from_row(r: &Row_) -> StoreResult<ProcedureSummary> {
                let kind: String = r.try_get("kind").map_err(map_err)?;
                let levels: String = r.try_get("levels").map_err(map_err)?;
                Ok(ProcedureSummary {
                    code: code_of(r.try_get("code").map_err(map_err)?)?,
                    name: r.try_get("name").map_err(map_err)?,
                    kind: parse_col(&kind, "kind", ProcedureKind::parse)?,
                    owner_org: r.try_get("owner_org").map_err(map_err)?,
                    sector: r.try_get("sector").map_err(map_err)?,
                    levels: levels_list(&levels),
                    abolished: r.try_get("abolished").map_err(map_err)?,
                    current_seq: r.try_get("current_seq").map_err(map_err)?,
                    draft_seq: r.try_get("draft_seq").map_err(map_err)?,
                })
            }

            fn push_procedure_filters<'a>(qb: &mut sqlx::QueryBuilder<'a, Db>, f: &'a ProcedureFilter) {
                qb.push(" WHERE 1 = 1");
                if let Some(q) = f.q.as_deref().map(text::fold).filter(|q| !q.trim().is_empty()) {
                    for word in q.split_whitespace() {
                        qb.push(" AND search_key LIKE ").push_bind(format!("%{word}%"));
                    }
                }
                if let Some(l) = &f.level {
                    qb.push(" AND levels LIKE ").push_bind(format!("%,{l},%"));
                }
                if let Some(s) = &f.sector {
                    qb.push(" AND sector_id = ").push_bind(s.as_str());
                }
                if let Some(k) = f.kind {
                    qb.push(" AND kind = ").push_bind(k.as_str());
                }
                if let Some(orgs) = &f.owner_orgs {
                    if orgs.is_empty() {
                        qb.push(" AND 1 = 0");
                    } else {
                        qb.push(" AND owner_org IN (");
                        let mut sep = qb.separated(", ");
                        for o in orgs {
                            sep.push_bind(o.as_str());
                        }
                        qb.push(")");
                    }
                }
                match f.status {
                    Some(ProcedureStatusFilter::InForce) => {
                        qb.push(" AND abolished = ").push_bind(false).push(" AND current_seq IS NOT NULL");
                    }
                    Some(ProcedureStatusFilter::Abolished) => {
                        qb.push(" AND abolished = ").push_bind(true);
                    }
                    Some(ProcedureStatusFilter::HasDraft) => {
                        qb.push(" AND draft_seq IS NOT NULL");
                    }
                    None => {}
                }
            }

            #[$crate::deps::async_trait]
            impl OrgStore for $store {
                async fn upsert_orgs(&self, orgs: &[Organisation]) -> StoreResult<usize> {
                    // PostgreSQL refuses a multi-row upsert that touches one key twice: keep the last.
                    let orgs: Vec<Organisation> = orgs.iter().map(|o| (o.id.clone(), o.clone())).collect::<std::collections::BTreeMap<_, _>>().into_values().collect();
                    let mut tx = self.begin_write().await?;
                    for chunk in orgs.chunks(500) {
                        let mut qb = sqlx::QueryBuilder::<Db>::new("INSERT INTO orgs (id, name, kind, eid, admin_code, parent, valid_from, valid_to, sort_key) ");
                        qb.push_values(chunk, |mut b, o| {
                            b.push_bind(o.id.clone())
                                .push_bind(o.name.clone())
                                .push_bind(o.kind.as_str())
                                .push_bind(o.eid.clone())
                                .push_bind(o.admin_code.clone())
                                .push_bind(o.parent.clone())
                                .push_bind(o.valid_from)
                                .push_bind(o.valid_to)
                                .push_bind(text::sort_key(&o.name));
                        });
                        qb.push(
                            " ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind, eid = excluded.eid, admin_code = excluded.admin_code, \
                             parent = excluded.parent, valid_from = excluded.valid_from, valid_to = excluded.valid_to, sort_key = excluded.sort_key",
                        );
                        qb.build().execute(&mut *tx).await.map_err(map_err)?;
                    }
                    <$store>::commit_audited(tx).await?;
                    Ok(orgs.len())
                }

                async fn upsert_successions(&self, items: &[UnitSuccession]) -> StoreResult<usize> {
                    let items: Vec<UnitSuccession> =
                        items.iter().map(|s| ((s.old.clone(), s.new.clone()), s.clone())).collect::<std::collections::BTreeMap<_, _>>().into_values().collect();
                    let mut tx = self.begin_write().await?;
                    for chunk in items.chunks(500) {
                        let mut qb = sqlx::QueryBuilder::<Db>::new("INSERT INTO unit_successions (old_id, new_id, partial, effective) ");
                        qb.push_values(chunk, |mut b, s| {
                            b.push_bind(s.old.clone()).push_bind(s.new.clone()).push_bind(s.partial).push_bind(s.effective);
                        });
                        qb.push(" ON CONFLICT (old_id, new_id) DO UPDATE SET partial = excluded.partial, effective = excluded.effective");
                        qb.build().execute(&mut *tx).await.map_err(map_err)?;
                    }
                    tx.commit().await.map_err(map_err)?;
                    Ok(items.len())
                }

                async fn get_org(&self, id: &str) -> StoreResult<Organisation> {
                    let row = sqlx::query("SELECT * FROM orgs WHERE id = $1").bind(id).fetch_optional(&self.pool).await.map_err(map_err)?;
                    match row {
                        Some(r) => org_from_row(&r),
                        None => Err(StoreError::NotFound(format!("tổ chức {id}"))),
                    }
                }

                async fn all_orgs(&self) -> StoreResult<Vec<Organisation>> {
                    let rows = sqlx::query("SELECT * FROM orgs ORDER BY sort_key, id").fetch_all(&self.pool).await.map_err(map_err)?;
                    rows.iter().map(org_from_row).collect()
                }

                async fn successors(&self, old_id: &str) -> StoreResult<Vec<UnitSuccession>> {
                    let rows = sqlx::query("SELECT old_id, new_id, partial, effective FROM unit_successions WHERE old_id = $1 ORDER BY new_id")
                        .bind(old_id)
                        .fetch_all(&self.pool)
                        .await
                        .map_err(map_err)?;
                    rows.iter()
                        .map(|r| {
                            Ok(UnitSuccession {
                                old: r.try_get("old_id").map_err(map_err)?,
                                new: r.try_get("new_id").map_err(map_err)?,
                                partial: r.try_get("partial").map_err(map_err)?,
                                effective: r.try_get("effective").map_err(map_err)?,
                            })
                        })
                        .collect()
                }

                async fn upsert_sectors(&self, items: &[Sector]) -> StoreResult<usize> {
                    let mut tx = self.begin_write().await?;
                    for s in items {
                        sqlx::query("INSERT INTO sectors (id, name, owner_org) VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE SET name = excluded.name, owner_org = COALESCE(excluded.owner_org, sectors.owner_org)")
                            .bind(&s.id)
                            .bind(&s.name)
                            .bind(&s.owner_org)
                            .execute(&mut *tx)
                            .await
                            .map_err(map_err)?;
                    }
                    tx.commit().await.map_err(map_err)?;
                    Ok(items.len())
                }

                async fn sectors(&self) -> StoreResult<Vec<Sector>> {
                    let rows = sqlx::query("SELECT id, name, owner_org FROM sectors ORDER BY id").fetch_all(&self.pool).await.map_err(map_err)?;
                    rows.iter()
                        .map(|r| {
                            Ok(Sector {
                                id: r.try_get("id").map_err(map_err)?,
                                name: r.try_get("name").map_err(map_err)?,
                                owner_org: r.try_get("owner_org").map_err(map_err)?,
                            })
                        })
                        .collect()
                }
            }

            #[$crate::deps::async_trait]
            impl ProcedureStore for $store {
                async fn create_draft(&self, req: NewDraft) -> StoreResult<ProcedureVersion> {
                    let mut content = req.content.clone();
                    content.normalise();
                    let mut tx = self.begin_write().await?;
                    let st = load_state(&mut tx, &req.code).await?;
                    if st.abolished {
                        return Err(StoreError::Rule(LifecycleError::AlreadyAbolished(req.code.to_string()).to_string()));
                    }
                    if let Some((seq, _)) = st.draft {
                        return Err(StoreError::Rule(LifecycleError::DraftAlreadyOpen(req.code.to_string(), seq).to_string()));
                    }
                    let owner = if st.exists {
                        sqlx::query_scalar::<_, String>("SELECT owner_org FROM procedures WHERE code = $1")
                            .bind(req.code.as_str())
                            .fetch_one(&mut *tx)
                            .await
                            .map_err(map_err)?
                    } else {
                        insert_procedure(&mut tx, &req.code, req.kind, &req.owner_org, &content).await?;
                        req.owner_org.clone()
                    };
                    let seq = st.max_seq + 1;
                    insert_version(&mut tx, &req.code, seq, VersionStatus::Draft, None, None, None, &[], &content, &owner, &req.created_by).await?;
                    sqlx::query("UPDATE procedures SET draft_seq = $2 WHERE code = $1").bind(req.code.as_str()).bind(seq).execute(&mut *tx).await.map_err(map_err)?;
                    if st.current.is_none() && st.exists {
                        touch_procedure(&mut tx, &req.code, &content).await?;
                    }
                    let v = fetch_version(&mut *tx, &req.code, seq).await?;
                    <$store>::commit_audited(tx).await?;
                    Ok(v)
                }

                async fn update_draft(&self, code: &TthcCode, seq: i64, expected_rev: i64, content: ProcedureContent) -> StoreResult<ProcedureVersion> {
                    let mut content = content;
                    content.normalise();
                    let mut tx = self.begin_write().await?;
                    let v = lock_draft(&mut tx, code, seq, expected_rev).await?;
                    if v.status != VersionStatus::Draft {
                        return Err(StoreError::Rule(format!(
                            "phiên bản {seq} của thủ tục {code} đang chờ duyệt; trả về dự thảo trước khi sửa / return it to draft before editing"
                        )));
                    }
                    sqlx::query("UPDATE procedure_versions SET content = $3, name = $4, rev = rev + 1, updated_at = $5 WHERE code = $1 AND seq = $2")
                        .bind(code.as_str())
                        .bind(seq)
                        .bind(to_json(&content)?)
                        .bind(&content.name)
                        .bind(Utc::now())
                        .execute(&mut *tx)
                        .await
                        .map_err(map_err)?;
                    let cur: Option<i64> = sqlx::query_scalar("SELECT current_seq FROM procedures WHERE code = $1").bind(code.as_str()).fetch_one(&mut *tx).await.map_err(map_err)?;
                    if cur.is_none() {
                        touch_procedure(&mut tx, code, &content).await?;
                    }
                    let v = fetch_version(&mut *tx, code, seq).await?;
                    <$store>::commit_audited(tx).await?;
                    Ok(v)
                }

                async fn set_draft_status(&self, code: &TthcCode, seq: i64, expected_rev: i64, status: VersionStatus) -> StoreResult<ProcedureVersion> {
                    if !status.is_open_draft() {
                        return Err(StoreError::Rule("chỉ công bố được qua quyết định công bố / publish through a publication decision".into()));
                    }
                    let mut tx = self.begin_write().await?;
                    lock_draft(&mut tx, code, seq, expected_rev).await?;
                    sqlx::query("UPDATE procedure_versions SET status = $3, rev = rev + 1, updated_at = $4 WHERE code = $1 AND seq = $2")
                        .bind(code.as_str())
                        .bind(seq)
                        .bind(status.as_str())
                        .bind(Utc::now())
                        .execute(&mut *tx)
                        .await
                        .map_err(map_err)?;
                    let v = fetch_version(&mut *tx, code, seq).await?;
                    <$store>::commit_audited(tx).await?;
                    Ok(v)
                }

                async fn get_procedure(&self, code: &TthcCode) -> StoreResult<Procedure> {
                    let row = sqlx::query("SELECT code, kind, owner_org, abolished FROM procedures WHERE code = $1")
                        .bind(code.as_str())
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(map_err)?;
                    let Some(r) = row else { return Err(StoreError::NotFound(format!("thủ tục {code}"))) };
                    let kind: String = r.try_get("kind").map_err(map_err)?;
                    Ok(Procedure {
                        code: code.clone(),
                        kind: parse_col(&kind, "kind", ProcedureKind::parse)?,
                        owner_org: r.try_get("owner_org").map_err(map_err)?,
                        abolished: r.try_get("abolished").map_err(map_err)?,
                    })
                }

                async fn current_version(&self, code: &TthcCode) -> StoreResult<ProcedureVersion> {
                    let sql = "SELECT v.code, v.seq, v.status, v.valid_from, v.valid_to, v.decision_no, v.change_kind, v.changed_components, v.content, v.rev, v.owner_org \
                               FROM procedures p JOIN procedure_versions v ON v.code = p.code AND v.seq = p.current_seq WHERE p.code = $1";
                    let row = sqlx::query(sql).bind(code.as_str()).fetch_optional(&self.pool).await.map_err(map_err)?;
                    match row {
                        Some(r) => version_from_row(&r),
                        None => Err(StoreError::NotFound(format!("thủ tục {code} (chưa có phiên bản được công bố)"))),
                    }
                }

                async fn current_versions(&self, codes: &[TthcCode]) -> StoreResult<Vec<ProcedureVersion>> {
                    let mut out = Vec::with_capacity(codes.len());
                    // Chunks keep the statement under both drivers' bind limits.
                    for chunk in codes.chunks(500) {
                        let mut qb = sqlx::QueryBuilder::<$db>::new(
                            "SELECT v.code, v.seq, v.status, v.valid_from, v.valid_to, v.decision_no, v.change_kind, v.changed_components, v.content, v.rev, v.owner_org \
                             FROM procedures p JOIN procedure_versions v ON v.code = p.code AND v.seq = p.current_seq WHERE p.code IN (",
                        );
                        let mut sep = qb.separated(", ");
                        for c in chunk {
                            sep.push_bind(c.as_str());
                        }
                        qb.push(")");
                        let rows = qb.build().fetch_all(&self.pool).await.map_err(map_err)?;
                        let mut found: std::collections::HashMap<String, ProcedureVersion> = std::collections::HashMap::with_capacity(rows.len());
                        for r in &rows {
                            let v = version_from_row(r)?;
                            found.insert(v.code.as_str().to_string(), v);
                        }
                        for c in chunk {
                            if let Some(v) = found.remove(c.as_str()) {
                                out.push(v);
                            }
                        }
                    }
                    Ok(out)
                }

                async fn version(&self, code: &TthcCode, seq: i64) -> StoreResult<ProcedureVersion> {
                    fetch_version(&self.pool, code, seq).await
                }

                async fn versions(&self, code: &TthcCode) -> StoreResult<Vec<VersionSummary>> {
                    let rows = sqlx::query(
                        "SELECT seq, status, valid_from, valid_to, decision_no, change_kind, changed_components, name, rev FROM procedure_versions WHERE code = $1 ORDER BY seq",
                    )
                    .bind(code.as_str())
                    .fetch_all(&self.pool)
                    .await
                    .map_err(map_err)?;
                    if rows.is_empty() {
                        return Err(StoreError::NotFound(format!("thủ tục {code}")));
                    }
                    rows.iter()
                        .map(|r| {
                            let status: String = r.try_get("status").map_err(map_err)?;
                            let changed: String = r.try_get("changed_components").map_err(map_err)?;
                            Ok(VersionSummary {
                                seq: r.try_get("seq").map_err(map_err)?,
                                status: parse_col(&status, "status", VersionStatus::parse)?,
                                valid_from: r.try_get("valid_from").map_err(map_err)?,
                                valid_to: r.try_get("valid_to").map_err(map_err)?,
                                decision_no: r.try_get("decision_no").map_err(map_err)?,
                                change_kind: change_kind_col(r)?,
                                changed_components: from_json(&changed)?,
                                name: r.try_get("name").map_err(map_err)?,
                                rev: r.try_get("rev").map_err(map_err)?,
                            })
                        })
                        .collect()
                }

                async fn list_procedures(&self, filter: &ProcedureFilter) -> StoreResult<Page<ProcedureSummary>> {
                    let limit = filter.limit.clamp(1, 500);
                    let offset = filter.offset.max(0);
                    let mut count = sqlx::QueryBuilder::<Db>::new("SELECT COUNT(*) FROM procedures");
                    push_procedure_filters(&mut count, filter);
                    let total: i64 = count.build_query_scalar().fetch_one(&self.pool).await.map_err(map_err)?;
                    let mut qb = sqlx::QueryBuilder::<Db>::new(
                        "SELECT code, name, kind, owner_org, sector, levels, abolished, current_seq, draft_seq FROM procedures",
                    );
                    push_procedure_filters(&mut qb, filter);
                    qb.push(" ORDER BY sort_key, code LIMIT ").push_bind(limit).push(" OFFSET ").push_bind(offset);
                    let rows = qb.build().fetch_all(&self.pool).await.map_err(map_err)?;
                    let items = rows.iter().map(summary_from_row).collect::<StoreResult<Vec<_>>>()?;
                    Ok(Page { items, total, limit, offset })
                }

                async fn all_procedures(&self, filter: &ProcedureFilter) -> StoreResult<Vec<ProcedureSummary>> {
                    let mut qb = sqlx::QueryBuilder::<Db>::new(
                        "SELECT code, name, kind, owner_org, sector, levels, abolished, current_seq, draft_seq FROM procedures",
                    );
                    push_procedure_filters(&mut qb, filter);
                    // Streamed: 100,000 summaries, without holding 100,000 raw rows as well.
                    use $crate::deps::futures_util::TryStreamExt;
                    let mut rows = qb.build().fetch(&self.pool);
                    let mut out = Vec::new();
                    while let Some(r) = rows.try_next().await.map_err(map_err)? {
                        out.push(summary_from_row(&r)?);
                    }
                    Ok(out)
                }

                async fn import_batch(&self, items: &[ImportItem]) -> StoreResult<Vec<ImportOutcome>> {
                    let mut tx = self.begin_write().await?;
                    // Fast path: procedures that do not exist yet are inserted with multi-row
                    // statements (two per 200 records); the rest take the per-record path.
                    let mut existing = std::collections::HashSet::new();
                    for chunk in items.chunks(500) {
                        let mut qb = sqlx::QueryBuilder::<Db>::new("SELECT code FROM procedures WHERE code IN (");
                        let mut sep = qb.separated(", ");
                        for it in chunk {
                            sep.push_bind(it.code.as_str());
                        }
                        qb.push(")");
                        for code in qb.build_query_scalar::<String>().fetch_all(&mut *tx).await.map_err(map_err)? {
                            existing.insert(code);
                        }
                    }
                    let mut seen = std::collections::HashSet::new();
                    let mut fresh: Vec<(usize, ProcedureContent)> = Vec::new();
                    for (i, it) in items.iter().enumerate() {
                        if !existing.contains(it.code.as_str()) && seen.insert(it.code.as_str()) {
                            let mut content = it.content.clone();
                            content.normalise();
                            fresh.push((i, content));
                        }
                    }
                    let now = Utc::now();
                    for chunk in fresh.chunks(200) {
                        let mut qb = sqlx::QueryBuilder::<Db>::new(
                            "INSERT INTO procedures (code, kind, owner_org, abolished, current_seq, draft_seq, name, search_key, sector, sector_id, levels, sort_key, created_at, updated_at) ",
                        );
                        qb.push_values(chunk, |mut b, (i, c)| {
                            let it = &items[*i];
                            b.push_bind(it.code.as_str())
                                .push_bind(it.kind.as_str())
                                .push_bind(it.owner_org.as_str())
                                .push_bind(false)
                                .push_bind(1_i64)
                                .push_bind(None::<i64>)
                                .push_bind(c.name.clone())
                                .push_bind(search_key(it.code.as_str(), c))
                                .push_bind(c.sector.clone())
                                .push_bind(c.sector_id.clone().unwrap_or_else(|| Sector::id_for(&c.sector)))
                                .push_bind(levels_text(&c.levels))
                                .push_bind(text::sort_key(&c.name))
                                .push_bind(now)
                                .push_bind(now);
                        });
                        qb.build().execute(&mut *tx).await.map_err(|e| match map_err(e) {
                            StoreError::Invalid { .. } => StoreError::invalid("owner_org", "tổ chức chủ quản không tồn tại / unknown organisation"),
                            other => other,
                        })?;
                        let mut rows = Vec::with_capacity(chunk.len());
                        for (i, c) in chunk {
                            rows.push((*i, to_json(c)?));
                        }
                        let mut qb = sqlx::QueryBuilder::<Db>::new(
                            "INSERT INTO procedure_versions (code, seq, status, valid_from, valid_to, decision_no, change_kind, changed_components, name, content, rev, owner_org, created_by, created_at, updated_at) ",
                        );
                        qb.push_values(rows.iter().zip(chunk.iter()), |mut b, ((i, json), (_, c))| {
                            let it = &items[*i];
                            b.push_bind(it.code.as_str())
                                .push_bind(1_i64)
                                .push_bind(VersionStatus::Published.as_str())
                                .push_bind(Some(it.valid_from))
                                .push_bind(None::<NaiveDate>)
                                .push_bind(it.decision_no.clone())
                                .push_bind(ChangeKind::New.as_str())
                                .push_bind("[]")
                                .push_bind(c.name.clone())
                                .push_bind(json.clone())
                                .push_bind(1_i64)
                                .push_bind(it.owner_org.as_str())
                                .push_bind("import")
                                .push_bind(now)
                                .push_bind(now);
                        });
                        qb.build().execute(&mut *tx).await.map_err(map_err)?;
                    }
                    let fresh_idx: std::collections::HashSet<usize> = fresh.iter().map(|(i, _)| *i).collect();
                    let mut out = Vec::with_capacity(items.len());
                    for (idx, it) in items.iter().enumerate() {
                        if fresh_idx.contains(&idx) {
                            out.push(ImportOutcome { code: it.code.clone(), action: ImportAction::Created, seq: 1 });
                            continue;
                        }
                        let mut content = it.content.clone();
                        content.normalise();
                        let st = load_state(&mut tx, &it.code).await?;
                        if !st.exists {
                            insert_procedure(&mut tx, &it.code, it.kind, &it.owner_org, &content).await?;
                            insert_version(&mut tx, &it.code, 1, VersionStatus::Published, Some(it.valid_from), it.decision_no.as_deref(), Some(ChangeKind::New), &[], &content, &it.owner_org, "import")
                                .await?;
                            sqlx::query("UPDATE procedures SET current_seq = 1 WHERE code = $1").bind(it.code.as_str()).execute(&mut *tx).await.map_err(map_err)?;
                            out.push(ImportOutcome { code: it.code.clone(), action: ImportAction::Created, seq: 1 });
                            continue;
                        }
                        let Some((cur_seq, cur_from, cur_content)) = st.current else {
                            return Err(StoreError::invalid(
                                it.code.to_string(),
                                "thủ tục đã bãi bỏ hoặc chưa công bố; không nhập đè / abolished or unpublished, not overwritten",
                            ));
                        };
                        if it.list_only || cur_content == content {
                            out.push(ImportOutcome { code: it.code.clone(), action: ImportAction::Unchanged, seq: cur_seq });
                            continue;
                        }
                        let from = if it.valid_from > cur_from { it.valid_from } else { cur_from.succ_opt().unwrap_or(cur_from) };
                        let changed = $crate::deps::thutuc_domain::diff::changed_components(&$crate::deps::thutuc_domain::diff::diff(&cur_content, &content));
                        let close = plan::Close { seq: cur_seq, valid_to: $crate::deps::thutuc_domain::version::day_before(from), status: VersionStatus::Superseded };
                        close_version(&mut tx, &it.code, &close).await?;
                        let seq = st.max_seq + 1;
                        insert_version(&mut tx, &it.code, seq, VersionStatus::Published, Some(from), it.decision_no.as_deref(), Some(ChangeKind::Amended), &changed, &content, &it.owner_org, "import")
                            .await?;
                        sqlx::query("UPDATE procedures SET current_seq = $2 WHERE code = $1").bind(it.code.as_str()).bind(seq).execute(&mut *tx).await.map_err(map_err)?;
                        touch_procedure(&mut tx, &it.code, &content).await?;
                        out.push(ImportOutcome { code: it.code.clone(), action: ImportAction::Updated, seq });
                    }
                    // An import in chunks records one audit entry per batch, in the batch's own
                    // transaction, with what this batch did (see `audit_scope`).
                    let entry = audit_scope::copy_pending().map(|mut e| {
                        e.after = Some(import_audit_after(e.after.take(), &out));
                        e
                    });
                    if let Some(e) = &entry {
                        <$store>::append_audit_in(&mut tx, e).await?;
                    }
                    tx.commit().await.map_err(map_err)?;
                    if entry.is_some() {
                        audit_scope::mark_recorded();
                    }
                    Ok(out)
                }

                async fn upsert_localisation(&self, loc: &Localisation) -> StoreResult<Localisation> {
                    let mut tx = self.begin_write().await?;
                    let sql = format!("SELECT rev FROM localisations WHERE code = $1 AND org_id = $2{}", <$store>::FOR_UPDATE);
                    let existing: Option<i64> = sqlx::query_scalar(&sql).bind(loc.code.as_str()).bind(&loc.org_id).fetch_optional(&mut *tx).await.map_err(map_err)?;
                    match existing {
                        Some(rev) if rev != loc.rev => {
                            return Err(StoreError::conflict(format!(
                                "bản địa phương của {} tại {} đã được sửa (bản sửa {rev}) / stale localisation",
                                loc.code, loc.org_id
                            )));
                        }
                        Some(_) => {
                            sqlx::query("UPDATE localisations SET local_code = $3, overrides = $4, central_seq = $5, rev = rev + 1, updated_at = $6 WHERE code = $1 AND org_id = $2")
                                .bind(loc.code.as_str())
                                .bind(&loc.org_id)
                                .bind(&loc.local_code)
                                .bind(to_json(&loc.overrides)?)
                                .bind(loc.central_seq)
                                .bind(Utc::now())
                                .execute(&mut *tx)
                                .await
                                .map_err(map_err)?;
                        }
                        None => {
                            sqlx::query("INSERT INTO localisations (code, org_id, local_code, overrides, central_seq, rev, updated_at) VALUES ($1, $2, $3, $4, $5, 1, $6)")
                                .bind(loc.code.as_str())
                                .bind(&loc.org_id)
                                .bind(&loc.local_code)
                                .bind(to_json(&loc.overrides)?)
                                .bind(loc.central_seq)
                                .bind(Utc::now())
                                .execute(&mut *tx)
                                .await
                                .map_err(map_err)?;
                        }
                    }
                    tx.commit().await.map_err(map_err)?;
                    self.localisations(&loc.code).await?.into_iter().find(|l| l.org_id == loc.org_id).ok_or_else(|| StoreError::NotFound("localisation".into()))
                }

                async fn localisations(&self, code: &TthcCode) -> StoreResult<Vec<Localisation>> {
                    let rows = sqlx::query(
                        "SELECT l.code, l.org_id, l.local_code, l.overrides, l.central_seq, l.rev, p.current_seq FROM localisations l JOIN procedures p ON p.code = l.code WHERE l.code = $1 ORDER BY l.org_id",
                    )
                    .bind(code.as_str())
                    .fetch_all(&self.pool)
                    .await
                    .map_err(map_err)?;
                    rows.iter().map(localisation_from_row).collect()
                }

                async fn all_localisations(&self) -> StoreResult<Vec<Localisation>> {
                    let rows = sqlx::query(
                        "SELECT l.code, l.org_id, l.local_code, l.overrides, l.central_seq, l.rev, p.current_seq FROM localisations l JOIN procedures p ON p.code = l.code ORDER BY l.code, l.org_id",
                    )
                    .fetch_all(&self.pool)
                    .await
                    .map_err(map_err)?;
                    rows.iter().map(localisation_from_row).collect()
                }

                async fn changed_since(&self, since: $crate::deps::chrono::DateTime<Utc>) -> StoreResult<Vec<ChangedProcedure>> {
                    let rows = sqlx::query("SELECT code, current_seq, updated_at FROM procedures WHERE updated_at >= $1 ORDER BY updated_at")
                        .bind(since)
                        .fetch_all(&self.pool)
                        .await
                        .map_err(map_err)?;
                    rows.iter()
                        .map(|r| {
                            Ok(ChangedProcedure {
                                code: code_of(r.try_get("code").map_err(map_err)?)?,
                                current_seq: r.try_get("current_seq").map_err(map_err)?,
                                updated_at: r.try_get("updated_at").map_err(map_err)?,
                            })
                        })
                        .collect()
                }

                async fn catalogue_counts(&self) -> StoreResult<CatalogueCounts> {
                    let one = |sql: &'static str| async move { sqlx::query_scalar::<_, i64>(sql).fetch_one(&self.pool).await.map_err(map_err) };
                    Ok(CatalogueCounts {
                        procedures: one("SELECT COUNT(*) FROM procedures").await?,
                        in_force: one("SELECT COUNT(*) FROM procedures WHERE current_seq IS NOT NULL AND NOT abolished").await?,
                        abolished: one("SELECT COUNT(*) FROM procedures WHERE abolished").await?,
                        versions: one("SELECT COUNT(*) FROM procedure_versions").await?,
                        drafts: one("SELECT COUNT(*) FROM procedures WHERE draft_seq IS NOT NULL").await?,
                        decisions: one("SELECT COUNT(*) FROM decisions").await?,
                        localisations: one("SELECT COUNT(*) FROM localisations").await?,
                    })
                }
            }

            #[$crate::deps::async_trait]
            impl DecisionStore for $store {
                async fn create_decision(&self, d: &PublicationDecision, created_by: &str) -> StoreResult<DecisionRecord> {
                    d.validate().map_err(|e| StoreError::Rule(e.to_string()))?;
                    let mut tx = self.begin_write().await?;
                    let exists: Option<String> = sqlx::query_scalar("SELECT number FROM decisions WHERE number = $1").bind(&d.number).fetch_optional(&mut *tx).await.map_err(map_err)?;
                    if exists.is_some() {
                        return Err(StoreError::conflict(format!("quyết định số {} đã tồn tại / decision already exists", d.number)));
                    }
                    sqlx::query(
                        "INSERT INTO decisions (number, title, signed_on, effective_on, issuer_org, issuer_kind, shortened, applies_central, status, rev, body, created_by, created_at, applied_on, late, timeliness) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'draft', 1, $9, $10, $11, NULL, NULL, NULL)",
                    )
                    .bind(&d.number)
                    .bind(&d.title)
                    .bind(d.signed_on)
                    .bind(d.effective_on)
                    .bind(&d.issuer_org)
                    .bind(d.issuer_kind.as_str())
                    .bind(d.shortened)
                    .bind(&d.applies_central)
                    .bind(to_json(d)?)
                    .bind(created_by)
                    .bind(Utc::now())
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| match map_err(e) {
                        StoreError::Invalid { .. } => StoreError::invalid("issuer_org", format!("cơ quan ban hành «{}» không tồn tại / unknown organisation", d.issuer_org)),
                        other => other,
                    })?;
                    for (i, e) in d.entries.iter().enumerate() {
                        sqlx::query("INSERT INTO decision_entries (number, line, code, kind, effective_on, seq) VALUES ($1, $2, $3, $4, $5, NULL)")
                            .bind(&d.number)
                            .bind(i as i64 + 1)
                            .bind(e.code.as_str())
                            .bind(e.kind.as_str())
                            .bind(d.entry_effective(e))
                            .execute(&mut *tx)
                            .await
                            .map_err(map_err)?;
                    }
                    <$store>::commit_audited(tx).await?;
                    self.get_decision(&d.number).await
                }

                async fn update_decision(&self, number: &str, expected_rev: i64, d: &PublicationDecision) -> StoreResult<DecisionRecord> {
                    d.validate().map_err(|e| StoreError::Rule(e.to_string()))?;
                    if d.number != number {
                        return Err(StoreError::invalid("number", "không được đổi số quyết định / the number cannot change"));
                    }
                    let mut tx = self.begin_write().await?;
                    let sql = format!("SELECT number, status, rev, body, created_by, applied_on, timeliness FROM decisions WHERE number = $1{}", <$store>::FOR_UPDATE);
                    let row = sqlx::query(&sql).bind(number).fetch_optional(&mut *tx).await.map_err(map_err)?;
                    let Some(row) = row else { return Err(StoreError::NotFound(format!("quyết định {number}"))) };
                    let cur = decision_from_row(&row)?;
                    if cur.status == DecisionStatus::Applied {
                        return Err(StoreError::Rule(format!("quyết định {number} đã được áp dụng, không sửa được / already applied")));
                    }
                    if cur.rev != expected_rev {
                        return Err(StoreError::Conflict {
                            message: format!("quyết định {number} đã được người khác sửa (bản sửa {} thay vì {expected_rev}) / edited by someone else", cur.rev),
                            current: serde_json::to_value(&cur).ok(),
                        });
                    }
                    sqlx::query("UPDATE decisions SET title = $2, signed_on = $3, effective_on = $4, issuer_org = $5, issuer_kind = $6, shortened = $7, applies_central = $8, body = $9, rev = rev + 1 WHERE number = $1")
                        .bind(number)
                        .bind(&d.title)
                        .bind(d.signed_on)
                        .bind(d.effective_on)
                        .bind(&d.issuer_org)
                        .bind(d.issuer_kind.as_str())
                        .bind(d.shortened)
                        .bind(&d.applies_central)
                        .bind(to_json(d)?)
                        .execute(&mut *tx)
                        .await
                        .map_err(map_err)?;
                    sqlx::query("DELETE FROM decision_entries WHERE number = $1").bind(number).execute(&mut *tx).await.map_err(map_err)?;
                    for (i, e) in d.entries.iter().enumerate() {
                        sqlx::query("INSERT INTO decision_entries (number, line, code, kind, effective_on, seq) VALUES ($1, $2, $3, $4, $5, NULL)")
                            .bind(number)
                            .bind(i as i64 + 1)
                            .bind(e.code.as_str())
                            .bind(e.kind.as_str())
                            .bind(d.entry_effective(e))
                            .execute(&mut *tx)
                            .await
                            .map_err(map_err)?;
                    }
                    <$store>::commit_audited(tx).await?;
                    self.get_decision(number).await
                }

                async fn get_decision(&self, number: &str) -> StoreResult<DecisionRecord> {
                    let row = sqlx::query("SELECT number, status, rev, body, created_by, applied_on, timeliness FROM decisions WHERE number = $1")
                        .bind(number)
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(map_err)?;
                    match row {
                        Some(r) => decision_from_row(&r),
                        None => Err(StoreError::NotFound(format!("quyết định {number}"))),
                    }
                }

                async fn list_decisions(&self, f: &DecisionFilter) -> StoreResult<Page<DecisionSummary>> {
                    let limit = f.limit.clamp(1, 500);
                    let offset = f.offset.max(0);
                    let push = |qb: &mut sqlx::QueryBuilder<'_, Db>| {
                        qb.push(" WHERE 1 = 1");
                        if let Some(orgs) = &f.issuer_orgs {
                            if orgs.is_empty() {
                                qb.push(" AND 1 = 0");
                            } else {
                                qb.push(" AND d.issuer_org IN (");
                                let mut sep = qb.separated(", ");
                                for o in orgs {
                                    sep.push_bind(o.clone());
                                }
                                qb.push(")");
                            }
                        }
                        if let Some(from) = f.from {
                            qb.push(" AND d.signed_on >= ").push_bind(from);
                        }
                        if let Some(to) = f.to {
                            qb.push(" AND d.signed_on <= ").push_bind(to);
                        }
                        if let Some(code) = &f.code {
                            qb.push(" AND EXISTS (SELECT 1 FROM decision_entries x WHERE x.number = d.number AND x.code = ").push_bind(code.clone()).push(")");
                        }
                    };
                    let mut count = sqlx::QueryBuilder::<Db>::new("SELECT COUNT(*) FROM decisions d");
                    push(&mut count);
                    let total: i64 = count.build_query_scalar().fetch_one(&self.pool).await.map_err(map_err)?;
                    let mut qb = sqlx::QueryBuilder::<Db>::new(
                        "SELECT d.number, d.title, d.signed_on, d.effective_on, d.issuer_org, d.status, d.late, (SELECT COUNT(*) FROM decision_entries e WHERE e.number = d.number) AS entries FROM decisions d",
                    );
                    push(&mut qb);
                    qb.push(" ORDER BY d.signed_on DESC, d.number LIMIT ").push_bind(limit).push(" OFFSET ").push_bind(offset);
                    let rows = qb.build().fetch_all(&self.pool).await.map_err(map_err)?;
                    let items = rows
                        .iter()
                        .map(|r| {
                            let status: String = r.try_get("status").map_err(map_err)?;
                            Ok(DecisionSummary {
                                number: r.try_get("number").map_err(map_err)?,
                                title: r.try_get("title").map_err(map_err)?,
                                signed_on: r.try_get("signed_on").map_err(map_err)?,
                                effective_on: r.try_get("effective_on").map_err(map_err)?,
                                issuer_org: r.try_get("issuer_org").map_err(map_err)?,
                                status: parse_col(&status, "status", DecisionStatus::parse)?,
                                entries: r.try_get("entries").map_err(map_err)?,
                                late: r.try_get("late").map_err(map_err)?,
                            })
                        })
                        .collect::<StoreResult<Vec<_>>>()?;
                    Ok(Page { items, total, limit, offset })
                }

                async fn apply_decision(&self, req: &ApplyRequest) -> StoreResult<ApplyReport> {
                    let number = req.number.as_str();
                    let mut tx = self.begin_write().await?;
                    let sql = format!("SELECT number, status, rev, body, created_by, applied_on, timeliness FROM decisions WHERE number = $1{}", <$store>::FOR_UPDATE);
                    let row = sqlx::query(&sql).bind(number).fetch_optional(&mut *tx).await.map_err(map_err)?;
                    let Some(row) = row else { return Err(StoreError::NotFound(format!("quyết định {number}"))) };
                    let rec = decision_from_row(&row)?;
                    if rec.status == DecisionStatus::Applied {
                        return Err(StoreError::Rule(format!("quyết định {number} đã được áp dụng / already applied")));
                    }
                    if rec.rev != req.expected_rev {
                        return Err(StoreError::Conflict {
                            message: format!("quyết định {number} đã được người khác sửa (bản sửa {} thay vì {}) / edited by someone else", rec.rev, req.expected_rev),
                            current: serde_json::to_value(&rec).ok(),
                        });
                    }
                    let d = rec.decision;
                    let mut report = ApplyReport { number: number.to_string(), entries: Vec::new() };
                    for (i, e) in d.entries.iter().enumerate() {
                        let effective = d.entry_effective(e);
                        let st = load_state(&mut tx, &e.code).await?;
                        let p = plan::plan_entry(number, i + 1, e, effective, &st).map_err(StoreError::Rule)?;
                        let changed = p.publish.as_ref().map(|x| x.changed_components.clone()).unwrap_or_default();
                        let seq = execute_plan(&mut tx, &e.code, e.kind, e.internal, &d, &p).await?;
                        if let Some(old) = &e.replaces {
                            if old != &e.code {
                                let st_old = load_state(&mut tx, old).await?;
                                let mut abolish = e.clone();
                                abolish.kind = ChangeKind::Abolished;
                                abolish.code = old.clone();
                                let p_old = plan::plan_entry(number, i + 1, &abolish, effective, &st_old).map_err(StoreError::Rule)?;
                                execute_plan(&mut tx, old, ChangeKind::Abolished, false, &d, &p_old).await?;
                            }
                        }
                        sqlx::query("UPDATE decision_entries SET seq = $3 WHERE number = $1 AND line = $2")
                            .bind(number)
                            .bind(i as i64 + 1)
                            .bind(seq)
                            .execute(&mut *tx)
                            .await
                            .map_err(map_err)?;
                        report.entries.push(AppliedEntry { code: e.code.clone(), kind: e.kind, seq, changed_components: changed });
                    }
                    let tl = match &req.timeliness {
                        Some(t) => Some(to_json(t)?),
                        None => None,
                    };
                    sqlx::query("UPDATE decisions SET status = 'applied', applied_on = $2, late = $3, timeliness = $4, rev = rev + 1 WHERE number = $1")
                        .bind(number)
                        .bind(req.applied_on)
                        .bind(req.timeliness.as_ref().map(|t| t.late))
                        .bind(tl)
                        .execute(&mut *tx)
                        .await
                        .map_err(map_err)?;
                    if req.dry_run {
                        tx.rollback().await.map_err(map_err)?;
                    } else {
                        <$store>::commit_audited(tx).await?;
                    }
                    Ok(report)
                }

                async fn change_entries(&self, from: NaiveDate, to: NaiveDate) -> StoreResult<Vec<ChangeEntryRow>> {
                    let rows = sqlx::query(
                        "SELECT d.number, d.signed_on, e.effective_on, d.issuer_org, d.issuer_kind, d.applies_central, e.kind, e.code \
                         FROM decision_entries e JOIN decisions d ON d.number = e.number \
                         WHERE d.status = 'applied' AND ((d.signed_on >= $1 AND d.signed_on <= $2) OR (e.effective_on >= $1 AND e.effective_on <= $2)) \
                         ORDER BY d.signed_on, d.number, e.line",
                    )
                    .bind(from)
                    .bind(to)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(map_err)?;
                    rows.iter()
                        .map(|r| {
                            let ik: String = r.try_get("issuer_kind").map_err(map_err)?;
                            let kind: String = r.try_get("kind").map_err(map_err)?;
                            let central: Option<String> = r.try_get("applies_central").map_err(map_err)?;
                            Ok(ChangeEntryRow {
                                decision_no: r.try_get("number").map_err(map_err)?,
                                signed_on: r.try_get("signed_on").map_err(map_err)?,
                                effective_on: r.try_get("effective_on").map_err(map_err)?,
                                issuer_org: r.try_get("issuer_org").map_err(map_err)?,
                                issuer_kind: parse_col(&ik, "issuer_kind", IssuerKind::parse)?,
                                local_republication: central.is_some(),
                                kind: parse_col(&kind, "kind", ChangeKind::parse)?,
                                code: code_of(r.try_get("code").map_err(map_err)?)?,
                            })
                        })
                        .collect()
                }
            }

            #[$crate::deps::async_trait]
            impl LegalDocStore for $store {
                async fn upsert_legal_docs(&self, docs: &[LegalDocument]) -> StoreResult<usize> {
                    let mut tx = self.begin_write().await?;
                    for d in docs {
                        sqlx::query(
                            "INSERT INTO legal_documents (number, doc_type, title, issuer, signed_on, effective_on, search_key) VALUES ($1, $2, $3, $4, $5, $6, $7) \
                             ON CONFLICT (number) DO UPDATE SET doc_type = excluded.doc_type, \
                             title = CASE WHEN excluded.title <> '' THEN excluded.title ELSE legal_documents.title END, \
                             issuer = CASE WHEN excluded.issuer <> '' THEN excluded.issuer ELSE legal_documents.issuer END, \
                             signed_on = COALESCE(excluded.signed_on, legal_documents.signed_on), effective_on = COALESCE(excluded.effective_on, legal_documents.effective_on), search_key = excluded.search_key",
                        )
                        .bind(&d.number)
                        .bind(&d.doc_type)
                        .bind(&d.title)
                        .bind(&d.issuer)
                        .bind(d.signed_on)
                        .bind(d.effective_on)
                        .bind(text::fold(&format!("{} {}", d.number, d.title)))
                        .execute(&mut *tx)
                        .await
                        .map_err(map_err)?;
                    }
                    tx.commit().await.map_err(map_err)?;
                    Ok(docs.len())
                }

                async fn get_legal_doc(&self, number: &str) -> StoreResult<LegalDocument> {
                    let row = sqlx::query("SELECT * FROM legal_documents WHERE number = $1").bind(number).fetch_optional(&self.pool).await.map_err(map_err)?;
                    match row {
                        Some(r) => legal_from_row(&r),
                        None => Err(StoreError::NotFound(format!("văn bản {number}"))),
                    }
                }

                async fn list_legal_docs(&self, q: Option<&str>, limit: i64, offset: i64) -> StoreResult<Page<LegalDocument>> {
                    let limit = limit.clamp(1, 500);
                    let offset = offset.max(0);
                    let pattern = format!("%{}%", q.map(text::fold).unwrap_or_default());
                    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM legal_documents WHERE search_key LIKE $1").bind(&pattern).fetch_one(&self.pool).await.map_err(map_err)?;
                    let rows = sqlx::query("SELECT * FROM legal_documents WHERE search_key LIKE $1 ORDER BY signed_on DESC, number LIMIT $2 OFFSET $3")
                        .bind(&pattern)
                        .bind(limit)
                        .bind(offset)
                        .fetch_all(&self.pool)
                        .await
                        .map_err(map_err)?;
                    let items = rows.iter().map(legal_from_row).collect::<StoreResult<Vec<_>>>()?;
                    Ok(Page { items, total, limit, offset })
                }
            }

            #[$crate::deps::async_trait]
            impl UserStore for $store {
                async fn create_user(&self, u: &NewUser) -> StoreResult<User> {
                    let email = u.email.trim().to_lowercase();
                    let mut tx = self.begin_write().await?;
                    sqlx::query("INSERT INTO users (email, name, org_id, role, password_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
                        .bind(&email)
                        .bind(&u.name)
                        .bind(&u.org_id)
                        .bind(&u.role)
                        .bind(&u.password_hash)
                        .bind(Utc::now())
                        .execute(&mut *tx)
                        .await
                        .map_err(|e| match map_err(e) {
                            StoreError::Conflict { .. } => StoreError::conflict(format!("e-mail {email} đã được dùng / already registered")),
                            StoreError::Invalid { .. } => StoreError::invalid("org_id", format!("tổ chức «{}» không tồn tại", u.org_id)),
                            other => other,
                        })?;
                    <$store>::commit_audited(tx).await?;
                    self.user_by_email(&email).await
                }

                async fn user_by_email(&self, email: &str) -> StoreResult<User> {
                    let row = sqlx::query("SELECT id, email, name, org_id, role, password_hash FROM users WHERE email = $1")
                        .bind(email.trim().to_lowercase())
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(map_err)?;
                    match row {
                        Some(r) => user_from_row(&r),
                        None => Err(StoreError::NotFound(format!("người dùng {email}"))),
                    }
                }

                async fn add_token(&self, user_id: i64, token_hash: &str, label: &str) -> StoreResult<()> {
                    sqlx::query("INSERT INTO api_tokens (token_hash, user_id, label, created_at) VALUES ($1, $2, $3, $4)")
                        .bind(token_hash)
                        .bind(user_id)
                        .bind(label)
                        .bind(Utc::now())
                        .execute(&self.pool)
                        .await
                        .map_err(map_err)?;
                    Ok(())
                }

                async fn user_by_token(&self, token_hash: &str) -> StoreResult<User> {
                    let row = sqlx::query("SELECT u.id, u.email, u.name, u.org_id, u.role, u.password_hash FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1")
                        .bind(token_hash)
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(map_err)?;
                    match row {
                        Some(r) => user_from_row(&r),
                        None => Err(StoreError::NotFound("mã truy cập / token".into())),
                    }
                }
            }
        };
    };
}
