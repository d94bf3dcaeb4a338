//! The `TaskStore` methods, expanded inside [`crate::impl_sql_task_store!`] where the row
//! readers and insert helpers are in scope.

/// Internal: the body of `impl TaskStore`; use [`crate::impl_sql_task_store!`].
#[doc(hidden)]
#[macro_export]
macro_rules! impl_sql_task_store_body {
    ($store:ty, $db:ty) => {
        #[$crate::deps::async_trait]
        impl TaskStore for $store {
            async fn upsert_working_group(&self, g: &WorkingGroup) -> StoreResult<()> {
                g.validate().map_err(task_err)?;
                let mut tx = self.begin_write().await?;
                sqlx::query(
                    "INSERT INTO working_groups (code, name, level, parent, org_id, valid_from) VALUES ($1, $2, $3, $4, $5, $6) \
                     ON CONFLICT (code) DO UPDATE SET name = excluded.name, level = excluded.level, parent = excluded.parent, org_id = excluded.org_id, valid_from = excluded.valid_from",
                )
                .bind(&g.code)
                .bind(&g.name)
                .bind(g.level.as_str())
                .bind(&g.parent)
                .bind(&g.org)
                .bind(g.valid_from)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
                sqlx::query("DELETE FROM working_group_members WHERE group_code = $1")
                    .bind(&g.code)
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err)?;
                for (i, m) in g.members.iter().enumerate() {
                    sqlx::query("INSERT INTO working_group_members (group_code, seq, person, position, org_id, role, since, ended_on) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                        .bind(&g.code)
                        .bind(i32::try_from(i).unwrap_or(i32::MAX))
                        .bind(&m.person)
                        .bind(&m.position)
                        .bind(&m.org)
                        .bind(enum_str(&m.role))
                        .bind(m.since)
                        .bind(m.ended_on)
                        .execute(&mut *tx)
                        .await
                        .map_err(map_err)?;
                }
                <$store>::commit_audited(tx).await?;
                Ok(())
            }

            async fn working_groups(&self) -> StoreResult<Vec<WorkingGroup>> {
                let groups = sqlx::query("SELECT code, name, level, parent, org_id, valid_from FROM working_groups ORDER BY code")
                    .fetch_all(&self.pool)
                    .await
                    .map_err(map_err)?;
                let members = sqlx::query("SELECT group_code, person, position, org_id, role, since, ended_on FROM working_group_members ORDER BY group_code, seq")
                    .fetch_all(&self.pool)
                    .await
                    .map_err(map_err)?;
                let mut out = Vec::with_capacity(groups.len());
                for r in &groups {
                    let code: String = r.try_get("code").map_err(map_err)?;
                    let level: String = r.try_get("level").map_err(map_err)?;
                    let mut g = WorkingGroup {
                        name: r.try_get("name").map_err(map_err)?,
                        level: GroupLevel::parse(&level).ok_or_else(|| StoreError::Other(format!("working_groups.level: «{level}»")))?,
                        parent: r.try_get("parent").map_err(map_err)?,
                        org: r.try_get("org_id").map_err(map_err)?,
                        valid_from: r.try_get("valid_from").map_err(map_err)?,
                        members: Vec::new(),
                        code,
                    };
                    for m in &members {
                        let gc: String = m.try_get("group_code").map_err(map_err)?;
                        if gc == g.code {
                            let role: String = m.try_get("role").map_err(map_err)?;
                            g.members.push(GroupMember {
                                person: m.try_get("person").map_err(map_err)?,
                                position: m.try_get("position").map_err(map_err)?,
                                org: m.try_get("org_id").map_err(map_err)?,
                                role: parse_enum("role", &role)?,
                                since: m.try_get("since").map_err(map_err)?,
                                ended_on: m.try_get("ended_on").map_err(map_err)?,
                            });
                        }
                    }
                    out.push(g);
                }
                Ok(out)
            }

            async fn change_group_member(&self, code: &str, change: &MemberChange) -> StoreResult<WorkingGroup> {
                let mut tx = self.begin_write().await?;
                // Lock the group row so two editors cannot both add a head.
                let sql = format!("SELECT code, name, level, parent, org_id, valid_from FROM working_groups WHERE code = $1{}", <$store>::FOR_UPDATE);
                let r = sqlx::query(&sql)
                    .bind(code)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(map_err)?
                    .ok_or_else(|| StoreError::NotFound(format!("tổ công tác {code}")))?;
                let level: String = r.try_get("level").map_err(map_err)?;
                let mut g = WorkingGroup {
                    code: r.try_get("code").map_err(map_err)?,
                    name: r.try_get("name").map_err(map_err)?,
                    level: GroupLevel::parse(&level).ok_or_else(|| StoreError::Other(format!("working_groups.level: «{level}»")))?,
                    parent: r.try_get("parent").map_err(map_err)?,
                    org: r.try_get("org_id").map_err(map_err)?,
                    valid_from: r.try_get("valid_from").map_err(map_err)?,
                    members: Vec::new(),
                };
                let rows = sqlx::query("SELECT seq, person, position, org_id, role, since, ended_on FROM working_group_members WHERE group_code = $1 ORDER BY seq")
                    .bind(code)
                    .fetch_all(&mut *tx)
                    .await
                    .map_err(map_err)?;
                let mut seqs = Vec::with_capacity(rows.len());
                let mut members = Vec::with_capacity(rows.len());
                for m in &rows {
                    let seq: i32 = m.try_get("seq").map_err(map_err)?;
                    let role: String = m.try_get("role").map_err(map_err)?;
                    seqs.push(seq);
                    members.push(GroupMember {
                        person: m.try_get("person").map_err(map_err)?,
                        position: m.try_get("position").map_err(map_err)?,
                        org: m.try_get("org_id").map_err(map_err)?,
                        role: parse_enum("role", &role)?,
                        since: m.try_get("since").map_err(map_err)?,
                        ended_on: m.try_get("ended_on").map_err(map_err)?,
                    });
                }
                g.members = members;
                g.apply_member_change(change).map_err(task_err)?;
                match change {
                    MemberChange::Add { .. } => {
                        let m = g.members.last().ok_or_else(|| StoreError::Other("member".into()))?;
                        let seq = seqs.iter().copied().max().map_or(0, |s| s + 1);
                        sqlx::query("INSERT INTO working_group_members (group_code, seq, person, position, org_id, role, since, ended_on) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                            .bind(code)
                            .bind(seq)
                            .bind(&m.person)
                            .bind(&m.position)
                            .bind(&m.org)
                            .bind(enum_str(&m.role))
                            .bind(m.since)
                            .bind(m.ended_on)
                            .execute(&mut *tx)
                            .await
                            .map_err(map_err)?;
                    }
                    MemberChange::Update { index, .. } | MemberChange::End { index, .. } => {
                        let m = &g.members[*index];
                        sqlx::query("UPDATE working_group_members SET position = $3, role = $4, ended_on = $5 WHERE group_code = $1 AND seq = $2")
                            .bind(code)
                            .bind(seqs[*index])
                            .bind(&m.position)
                            .bind(enum_str(&m.role))
                            .bind(m.ended_on)
                            .execute(&mut *tx)
                            .await
                            .map_err(map_err)?;
                    }
                }
                <$store>::commit_audited(tx).await?;
                Ok(g)
            }

            async fn create_meeting(&self, m: &Meeting) -> StoreResult<MeetingRecord> {
                let mut tx = self.begin_write().await?;
                let row = sqlx::query(
                    "INSERT INTO meetings (group_code, meeting_date, format, participants, agenda, minutes, conclusions, public) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                )
                .bind(&m.group)
                .bind(m.date)
                .bind(enum_str(&m.format))
                .bind(to_json(&m.participants)?)
                .bind(&m.agenda)
                .bind(&m.minutes)
                .bind(&m.conclusions)
                .bind(m.public)
                .fetch_one(&mut *tx)
                .await
                .map_err(map_err)?;
                let id: i64 = row.try_get(0).map_err(map_err)?;
                <$store>::commit_audited(tx).await?;
                Ok(MeetingRecord { id, meeting: m.clone() })
            }

            async fn meetings(&self, public_only: bool) -> StoreResult<Vec<MeetingRecord>> {
                let sql = if public_only {
                    "SELECT * FROM meetings WHERE public = $1 ORDER BY meeting_date DESC, id DESC"
                } else {
                    "SELECT * FROM meetings WHERE public = $1 OR 1 = 1 ORDER BY meeting_date DESC, id DESC"
                };
                let rows = sqlx::query(sql).bind(true).fetch_all(&self.pool).await.map_err(map_err)?;
                rows.iter().map(meeting_from_row).collect()
            }

            async fn create_directive(&self, d: &Directive) -> StoreResult<DirectiveRecord> {
                d.validate().map_err(task_err)?;
                let mut tx = self.begin_write().await?;
                let row = sqlx::query(
                    "INSERT INTO directives (kind, number, issued_on, issuer_org, title, public, meeting_id) VALUES ($1, $2, $3, $4, $5, $6, $7) \
                     ON CONFLICT (number) DO NOTHING RETURNING id",
                )
                .bind(enum_str(&d.kind))
                .bind(&d.number)
                .bind(d.date)
                .bind(&d.issuer_org)
                .bind(&d.title)
                .bind(d.public)
                .bind(d.meeting_id)
                .fetch_optional(&mut *tx)
                .await
                .map_err(map_err)?;
                let Some(row) = row else {
                    return Err(StoreError::conflict(format!(
                        "văn bản số {} đã tồn tại / directive {} already exists",
                        d.number, d.number
                    )));
                };
                let id: i64 = row.try_get(0).map_err(map_err)?;
                <$store>::commit_audited(tx).await?;
                Ok(DirectiveRecord { id, directive: d.clone() })
            }

            async fn get_directive(&self, id: i64) -> StoreResult<DirectiveRecord> {
                let row = sqlx::query("SELECT * FROM directives WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(map_err)?
                    .ok_or_else(|| StoreError::NotFound(format!("văn bản chỉ đạo {id}")))?;
                directive_from_row(&row)
            }

            async fn directives(&self, public_only: bool) -> StoreResult<Vec<DirectiveRecord>> {
                let sql = if public_only {
                    "SELECT * FROM directives WHERE public = $1 ORDER BY issued_on DESC, id DESC"
                } else {
                    "SELECT * FROM directives WHERE public = $1 OR 1 = 1 ORDER BY issued_on DESC, id DESC"
                };
                let rows = sqlx::query(sql).bind(true).fetch_all(&self.pool).await.map_err(map_err)?;
                rows.iter().map(directive_from_row).collect()
            }

            async fn create_tasks(&self, tasks: &[Task], by: &str) -> StoreResult<Vec<TaskRecord>> {
                for (i, t) in tasks.iter().enumerate() {
                    t.validate().map_err(|e| {
                        let field = e.field();
                        StoreError::invalid(format!("tasks[{i}].{field}"), e.to_string())
                    })?;
                }
                let mut tx = self.begin_write().await?;
                let mut out = Vec::with_capacity(tasks.len());
                for t in tasks {
                    let id = insert_task(&mut tx, t, by).await?.ok_or_else(|| {
                        StoreError::conflict(format!(
                            "nhiệm vụ định kỳ {} đã tồn tại / recurring instance already exists",
                            t.instance_key.as_deref().unwrap_or_default()
                        ))
                    })?;
                    insert_event(&mut tx, id, "assigned", t.assigned_on, t.progress, &t.title, &[], by).await?;
                    $crate::task_notify!(tx, id, 1, t, "assigned", t.lead_org.clone());
                    out.push(TaskRecord { id, rev: 1, task: t.clone(), created_by: by.to_string() });
                }
                <$store>::commit_audited(tx).await?;
                Ok(out)
            }

            async fn materialise_recurring(&self, template: &Task, occurrences: &[Occurrence], by: &str) -> StoreResult<usize> {
                let mut tx = self.begin_write().await?;
                let mut created = 0;
                for o in occurrences {
                    let mut t = template.clone();
                    t.deadline = o.deadline;
                    t.assigned_on = instance_assigned_on(o.nominal, o.deadline);
                    t.instance_key = Some(o.instance_key.clone());
                    t.title = format!("{} (kỳ {})", template.title, o.period);
                    t.validate().map_err(task_err)?;
                    if let Some(id) = insert_task(&mut tx, &t, by).await? {
                        insert_event(&mut tx, id, "assigned", t.assigned_on, 0, &t.title, &[], by).await?;
                        created += 1;
                    }
                }
                tx.commit().await.map_err(map_err)?;
                Ok(created)
            }

            async fn get_task(&self, id: i64) -> StoreResult<TaskRecord> {
                let row = sqlx::query(&format!("SELECT {TASK_COLS} FROM tasks WHERE id = $1"))
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(map_err)?
                    .ok_or_else(|| StoreError::NotFound(format!("nhiệm vụ {id} / task {id}")))?;
                task_from_row(&row)
            }

            async fn update_task(&self, id: i64, expected_rev: i64, change: &TaskChange, by: &str, on: NaiveDate) -> StoreResult<TaskRecord> {
                let mut tx = self.begin_write().await?;
                let sql = format!("SELECT {TASK_COLS} FROM tasks WHERE id = $1{}", <$store>::FOR_UPDATE);
                let row = sqlx::query(&sql)
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(map_err)?
                    .ok_or_else(|| StoreError::NotFound(format!("nhiệm vụ {id} / task {id}")))?;
                let mut rec = task_from_row(&row)?;
                if rec.rev != expected_rev {
                    return Err(StoreError::Conflict {
                        message: format!(
                            "nhiệm vụ {id} đã được cập nhật (phiên bản {}, bạn gửi {expected_rev}); tải lại để xem thay đổi / task {id} changed since you loaded it (rev {} ≠ {expected_rev})",
                            rec.rev, rec.rev
                        ),
                        current: $crate::deps::serde_json::to_value(&rec).ok(),
                    });
                }
                let t = &mut rec.task;
                let (kind, note, attachments, notify_org): (&str, String, Vec<String>, Option<String>) = match change {
                    TaskChange::Progress { percent, note, attachments, files } => {
                        t.report_progress(*percent).map_err(task_err)?;
                        let mut attachments = attachments.clone();
                        if files.len() > $crate::deps::thutuc_store::tasks::TASK_FILES_PER_STEP {
                            return Err(StoreError::invalid(
                                "attachments",
                                format!(
                                    "tối đa {} tệp cho một lần cập nhật / at most {} files per update",
                                    $crate::deps::thutuc_store::tasks::TASK_FILES_PER_STEP,
                                    $crate::deps::thutuc_store::tasks::TASK_FILES_PER_STEP
                                ),
                            ));
                        }
                        for f in files {
                            let name: String = f.name.trim().chars().take(200).collect();
                            let kind = $crate::deps::thutuc_domain::feedback::attachment::check(
                                &name,
                                &f.bytes,
                                $crate::deps::thutuc_store::tasks::TASK_FILE_MAX_BYTES,
                            )
                            .map_err(|e| StoreError::invalid("attachments", format!("{} / {}", e.message_vi, e.message_en)))?;
                            let file_id: i64 = sqlx::query_scalar(
                                "INSERT INTO task_files (task_id, name, kind, size, sha256, bytes, by_user, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                            )
                            .bind(id)
                            .bind(&name)
                            .bind(kind.extension())
                            .bind(i64::try_from(f.bytes.len()).unwrap_or(i64::MAX))
                            .bind($crate::deps::thutuc_store::feedback::sha256_hex(&f.bytes))
                            .bind(&f.bytes)
                            .bind(by)
                            .bind(Utc::now())
                            .fetch_one(&mut *tx)
                            .await
                            .map_err(map_err)?;
                            attachments.push(format!("tep:{file_id}:{name}"));
                        }
                        ("progress", note.clone(), attachments, None)
                    }
                    TaskChange::Submit { evidence } => {
                        t.submit(on, evidence).map_err(task_err)?;
                        ("submitted", evidence.trim().to_string(), Vec::new(), Some(t.assigner_org.clone()))
                    }
                    TaskChange::Accept => {
                        t.accept().map_err(task_err)?;
                        ("accepted", String::new(), Vec::new(), Some(t.lead_org.clone()))
                    }
                    TaskChange::Return { reason } => {
                        t.return_submission(reason).map_err(task_err)?;
                        ("returned", reason.trim().to_string(), Vec::new(), Some(t.lead_org.clone()))
                    }
                    TaskChange::Cancel { reason } => {
                        if reason.trim().is_empty() {
                            return Err(StoreError::invalid("reason", "cần nêu lý do hủy / a reason is required"));
                        }
                        t.cancel().map_err(task_err)?;
                        ("cancelled", reason.trim().to_string(), Vec::new(), Some(t.lead_org.clone()))
                    }
                    TaskChange::RequestExtension { deadline, reason } => {
                        let req = ExtensionRequest { requested_deadline: *deadline, reason: reason.trim().to_string(), requested_on: on, decision: ExtensionDecision::Pending };
                        t.check_extension(&req).map_err(task_err)?;
                        let pending: i64 = sqlx::query("SELECT COUNT(*) FROM task_extensions WHERE task_id = $1 AND decision = 'pending'")
                            .bind(id)
                            .fetch_one(&mut *tx)
                            .await
                            .map_err(map_err)?
                            .try_get(0)
                            .map_err(map_err)?;
                        if pending > 0 {
                            return Err(StoreError::Rule("đã có đề nghị gia hạn đang chờ xử lý / an extension request is already pending".into()));
                        }
                        sqlx::query("INSERT INTO task_extensions (task_id, requested_deadline, reason, requested_on, requested_by, decision, decided_by, note) VALUES ($1, $2, $3, $4, $5, 'pending', NULL, '')")
                            .bind(id)
                            .bind(req.requested_deadline)
                            .bind(&req.reason)
                            .bind(on)
                            .bind(by)
                            .execute(&mut *tx)
                            .await
                            .map_err(map_err)?;
                        ("extension_requested", format!("{}: {}", req.requested_deadline, req.reason), Vec::new(), Some(t.assigner_org.clone()))
                    }
                    TaskChange::DecideExtension { extension_id, approve, note } => {
                        let ext = sqlx::query("SELECT requested_deadline, reason, decision FROM task_extensions WHERE id = $1 AND task_id = $2")
                            .bind(extension_id)
                            .bind(id)
                            .fetch_optional(&mut *tx)
                            .await
                            .map_err(map_err)?
                            .ok_or_else(|| StoreError::NotFound(format!("đề nghị gia hạn {extension_id} của nhiệm vụ {id}")))?;
                        let decision: String = ext.try_get("decision").map_err(map_err)?;
                        if decision != "pending" {
                            return Err(StoreError::Rule(format!("đề nghị gia hạn {extension_id} đã được xử lý / extension request already decided")));
                        }
                        let requested: NaiveDate = ext.try_get("requested_deadline").map_err(map_err)?;
                        let reason: String = ext.try_get("reason").map_err(map_err)?;
                        if *approve {
                            let why = if note.trim().is_empty() { reason.clone() } else { note.trim().to_string() };
                            let c = t.change_deadline(requested, by, &why, on).map_err(task_err)?;
                            insert_deadline_change(&mut tx, id, &c).await?;
                        }
                        let decided = if *approve { ExtensionDecision::Approved } else { ExtensionDecision::Refused };
                        sqlx::query("UPDATE task_extensions SET decision = $1, decided_by = $2, note = $3 WHERE id = $4")
                            .bind(decided.as_str())
                            .bind(by)
                            .bind(note.trim())
                            .bind(extension_id)
                            .execute(&mut *tx)
                            .await
                            .map_err(map_err)?;
                        let kind = if *approve { "extension_approved" } else { "extension_refused" };
                        (kind, format!("{requested}: {}", note.trim()), Vec::new(), Some(t.lead_org.clone()))
                    }
                    TaskChange::ChangeDeadline { deadline, reason } => {
                        let c = t.change_deadline(*deadline, by, reason, on).map_err(task_err)?;
                        insert_deadline_change(&mut tx, id, &c).await?;
                        ("deadline_changed", format!("{} → {}: {}", c.old_deadline, c.new_deadline, c.reason), Vec::new(), Some(t.lead_org.clone()))
                    }
                };
                sqlx::query("UPDATE tasks SET rev = rev + 1, deadline = $2, progress = $3, state = $4, submitted_on = $5, evidence = $6, completed_on = $7, updated_at = $8 WHERE id = $1")
                    .bind(id)
                    .bind(t.deadline)
                    .bind(i32::from(t.progress))
                    .bind(t.state.as_str())
                    .bind(t.submitted_on)
                    .bind(&t.evidence)
                    .bind(t.completed_on)
                    .bind(Utc::now())
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err)?;
                insert_event(&mut tx, id, kind, on, t.progress, &note, &attachments, by).await?;
                if let Some(org) = notify_org {
                    $crate::task_notify!(tx, id, rec.rev + 1, t, kind, org);
                }
                <$store>::commit_audited(tx).await?;
                rec.rev += 1;
                Ok(rec)
            }

            async fn list_tasks(&self, f: &TaskFilter) -> StoreResult<Page<TaskRecord>> {
                let limit = page_limit(f.limit);
                let offset = f.offset.unwrap_or(0).max(0);
                let ids = match f.org.as_deref().filter(|_| f.subtree) {
                    Some(org) => subtree_ids(&self.pool, org).await?,
                    None => None,
                };
                // The CTE only for a subtree too large to bind as a list.
                let sub = f.org.as_deref().filter(|_| f.subtree && ids.is_none());
                let mut count = sqlx::QueryBuilder::<Db>::new("");
                if let Some(org) = sub {
                    push_subtree(&mut count, org);
                }
                count.push("SELECT COUNT(*) FROM tasks");
                push_task_filters(&mut count, f, ids.as_deref());
                let total: i64 = count.build().fetch_one(&self.pool).await.map_err(map_err)?.try_get(0).map_err(map_err)?;
                let mut qb = sqlx::QueryBuilder::<Db>::new("");
                if let Some(org) = sub {
                    push_subtree(&mut qb, org);
                }
                qb.push(format!("SELECT {TASK_COLS} FROM tasks"));
                push_task_filters(&mut qb, f, ids.as_deref());
                qb.push(" ORDER BY deadline, id LIMIT ").push_bind(limit).push(" OFFSET ").push_bind(offset);
                let rows = qb.build().fetch_all(&self.pool).await.map_err(map_err)?;
                let items = rows.iter().map(task_from_row).collect::<StoreResult<Vec<_>>>()?;
                Ok(Page { items, total, limit, offset })
            }

            async fn task_file(&self, task_id: i64, file_id: i64) -> StoreResult<($crate::deps::thutuc_store::tasks::TaskFileMeta, Vec<u8>)> {
                let row = sqlx::query("SELECT id, task_id, name, kind, size, bytes FROM task_files WHERE id = $1 AND task_id = $2")
                    .bind(file_id)
                    .bind(task_id)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(map_err)?
                    .ok_or_else(|| StoreError::NotFound(format!("tệp {file_id} của nhiệm vụ {task_id} / file")))?;
                let kind: String = row.try_get("kind").map_err(map_err)?;
                let kind = $crate::deps::thutuc_domain::feedback::attachment::AttachmentKind::from_extension(&kind)
                    .ok_or_else(|| StoreError::Other(format!("task_files.kind «{kind}»")))?;
                Ok((
                    $crate::deps::thutuc_store::tasks::TaskFileMeta {
                        id: row.try_get("id").map_err(map_err)?,
                        task_id: row.try_get("task_id").map_err(map_err)?,
                        name: row.try_get("name").map_err(map_err)?,
                        kind,
                        size: row.try_get("size").map_err(map_err)?,
                    },
                    row.try_get("bytes").map_err(map_err)?,
                ))
            }

            async fn task_events(&self, id: i64) -> StoreResult<Vec<TaskEvent>> {
                let rows = sqlx::query("SELECT kind, event_on, percent, note, attachments, by_user FROM task_events WHERE task_id = $1 ORDER BY id")
                    .bind(id)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(map_err)?;
                rows.iter()
                    .map(|r| {
                        let percent: i32 = r.try_get("percent").map_err(map_err)?;
                        let attachments: String = r.try_get("attachments").map_err(map_err)?;
                        Ok(TaskEvent {
                            kind: r.try_get("kind").map_err(map_err)?,
                            on: r.try_get("event_on").map_err(map_err)?,
                            percent: u8::try_from(percent.clamp(0, 100)).unwrap_or(0),
                            note: r.try_get("note").map_err(map_err)?,
                            attachments: from_json(&attachments)?,
                            by: r.try_get("by_user").map_err(map_err)?,
                        })
                    })
                    .collect()
            }

            async fn deadline_history(&self, id: i64) -> StoreResult<Vec<DeadlineChange>> {
                let rows = sqlx::query("SELECT old_deadline, new_deadline, by_user, reason, changed_on FROM task_deadline_changes WHERE task_id = $1 ORDER BY id")
                    .bind(id)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(map_err)?;
                rows.iter()
                    .map(|r| {
                        Ok(DeadlineChange {
                            old_deadline: r.try_get("old_deadline").map_err(map_err)?,
                            new_deadline: r.try_get("new_deadline").map_err(map_err)?,
                            by: r.try_get("by_user").map_err(map_err)?,
                            reason: r.try_get("reason").map_err(map_err)?,
                            on: r.try_get("changed_on").map_err(map_err)?,
                        })
                    })
                    .collect()
            }

            async fn extensions(&self, id: i64) -> StoreResult<Vec<ExtensionRecord>> {
                let rows = sqlx::query("SELECT * FROM task_extensions WHERE task_id = $1 ORDER BY id")
                    .bind(id)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(map_err)?;
                rows.iter()
                    .map(|r| {
                        let decision: String = r.try_get("decision").map_err(map_err)?;
                        Ok(ExtensionRecord {
                            id: r.try_get("id").map_err(map_err)?,
                            task_id: r.try_get("task_id").map_err(map_err)?,
                            request: ExtensionRequest {
                                requested_deadline: r.try_get("requested_deadline").map_err(map_err)?,
                                reason: r.try_get("reason").map_err(map_err)?,
                                requested_on: r.try_get("requested_on").map_err(map_err)?,
                                decision: ExtensionDecision::parse(&decision).ok_or_else(|| StoreError::Other(format!("task_extensions.decision: «{decision}»")))?,
                            },
                            requested_by: r.try_get("requested_by").map_err(map_err)?,
                            decided_by: r.try_get("decided_by").map_err(map_err)?,
                            note: r.try_get("note").map_err(map_err)?,
                        })
                    })
                    .collect()
            }

            async fn task_facts(&self, from: NaiveDate, to: NaiveDate, as_of: NaiveDate, org: Option<&str>) -> StoreResult<Vec<TaskFact>> {
                let eval = to.min(as_of);
                let mut qb = sqlx::QueryBuilder::<Db>::new("");
                if let Some(o) = org {
                    push_subtree(&mut qb, o);
                }
                // Two index ranges instead of a scan of all history: tasks completed since
                // `from` (index on completed_on, set only on acceptance) and tasks not
                // completed (index on state). The assignment date is filtered here in Rust,
                // not in SQL, so that no planner prefers the assigned_on index (a full range).
                let _ = eval;
                let sub = if org.is_some() { " AND lead_org IN (SELECT id FROM sub)" } else { "" };
                qb.push("SELECT lead_org, assigned_on, deadline, completed_on, state FROM tasks WHERE completed_on >= ")
                    .push_bind(from)
                    .push(sub)
                    .push(" UNION ALL SELECT lead_org, assigned_on, deadline, completed_on, state FROM tasks WHERE state IN ('open', 'submitted')")
                    .push(sub);
                let rows = qb.build().fetch_all(&self.pool).await.map_err(map_err)?;
                let mut out = Vec::with_capacity(rows.len());
                for r in &rows {
                    let assigned_on: NaiveDate = r.try_get("assigned_on").map_err(map_err)?;
                    if assigned_on > eval {
                        continue;
                    }
                    let state: String = r.try_get("state").map_err(map_err)?;
                    let completed: Option<NaiveDate> = r.try_get("completed_on").map_err(map_err)?;
                    out.push(TaskFact {
                        lead_org: r.try_get("lead_org").map_err(map_err)?,
                        assigned_on,
                        deadline: r.try_get("deadline").map_err(map_err)?,
                        completed_on: completed.filter(|_| state == "accepted"),
                        cancelled: false,
                    });
                }
                Ok(out)
            }

            async fn task_tallies(&self, from: NaiveDate, to: NaiveDate, as_of: NaiveDate, org: Option<&str>) -> StoreResult<TallyCounts> {
                let eval = to.min(as_of);
                // The population (see `thutuc_domain::tasks::ranking`): completed since `from`
                // and not completed (`IS NULL`): two ranges of the covering index on
                // completed_on (set only on acceptance), assigned by `eval`. `COALESCE` keeps every
                // planner off the assigned_on index, whose range would cover all history.
                let population = |qb: &mut sqlx::QueryBuilder<'_, Db>| {
                    let sub = if org.is_some() { " AND lead_org IN (SELECT id FROM sub)" } else { "" };
                    qb.push(" FROM (SELECT lead_org, assigned_on, deadline, completed_on FROM tasks WHERE completed_on >= ")
                        .push_bind(from)
                        .push(sub)
                        .push(" UNION ALL SELECT lead_org, assigned_on, deadline, completed_on FROM tasks WHERE completed_on IS NULL AND state <> 'cancelled'")
                        .push(sub)
                        .push(") t WHERE COALESCE(assigned_on, assigned_on) <= ")
                        .push_bind(eval);
                };
                let mut qb = sqlx::QueryBuilder::<Db>::new("");
                if let Some(o) = org {
                    push_subtree(&mut qb, o);
                }
                qb.push("SELECT lead_org, SUM(CASE WHEN assigned_on >= ").push_bind(from).push(" AND assigned_on <= ").push_bind(to)
                    .push(" THEN 1 ELSE 0 END) AS assigned, SUM(CASE WHEN deadline >= ").push_bind(from).push(" AND deadline <= ").push_bind(to)
                    .push(" THEN 1 ELSE 0 END) AS due, SUM(CASE WHEN completed_on <= ").push_bind(eval)
                    .push(" AND completed_on <= deadline THEN 1 ELSE 0 END) AS on_time, SUM(CASE WHEN completed_on <= ").push_bind(eval)
                    .push(" AND completed_on > deadline THEN 1 ELSE 0 END) AS late, SUM(CASE WHEN (completed_on IS NULL OR completed_on > ").push_bind(eval)
                    .push(") AND deadline >= ").push_bind(eval)
                    .push(" THEN 1 ELSE 0 END) AS within_term, SUM(CASE WHEN (completed_on IS NULL OR completed_on > ").push_bind(eval)
                    .push(") AND deadline < ").push_bind(eval).push(" THEN 1 ELSE 0 END) AS overdue");
                population(&mut qb);
                qb.push(" GROUP BY 1 ORDER BY 1");
                // The late and overdue groups (organisation, deadline, completion) for the delays,
                // packed per organisation with `string_agg` ("deadline done count" items, done
                // `-` while open): 100 rows instead of ~15,000, whose decoding cost more than
                // the counting itself.
                let mut lq = sqlx::QueryBuilder::<Db>::new("");
                if let Some(o) = org {
                    push_subtree(&mut lq, o);
                }
                lq.push("SELECT lead_org, string_agg(CAST(deadline AS TEXT) || ' ' || COALESCE(CAST(done AS TEXT), '-') || ' ' || CAST(n AS TEXT), ',') AS groups FROM (SELECT lead_org, deadline, CASE WHEN completed_on <= ").push_bind(eval)
                    .push(" THEN completed_on END AS done, COUNT(*) AS n");
                population(&mut lq);
                // Late (completed by `eval` after the deadline) or overdue (open at `eval`), as a
                // CASE so that no planner turns it into a multi-index OR over all history.
                lq.push(" AND CASE WHEN completed_on <= ").push_bind(eval).push(" THEN completed_on > deadline ELSE deadline < ")
                    .push_bind(eval).push(" END GROUP BY 1, 2, 3) g GROUP BY 1");
                // Two independent reads of the same snapshot-free aggregate, run side by side on
                // two pooled connections.
                let (rows, late_rows) = join2(qb.build().fetch_all(&self.pool), lq.build().fetch_all(&self.pool)).await;
                let rows = rows.map_err(map_err)?;
                let late_rows = late_rows.map_err(map_err)?;
                let count = |r: &Row_, c: &str| -> StoreResult<u64> {
                    let v: Option<i64> = r.try_get(c).map_err(map_err)?;
                    Ok(u64::try_from(v.unwrap_or(0)).unwrap_or(0))
                };
                let mut tallies = Vec::with_capacity(rows.len());
                for r in &rows {
                    tallies.push(OrgTally {
                        org: r.try_get("lead_org").map_err(map_err)?,
                        assigned: count(r, "assigned")?,
                        due: count(r, "due")?,
                        done_on_time: count(r, "on_time")?,
                        done_late: count(r, "late")?,
                        open_within_term: count(r, "within_term")?,
                        open_overdue: count(r, "overdue")?,
                        delay_days: 0,
                    });
                }
                let mut late = Vec::new();
                for r in &late_rows {
                    let lead_org: String = r.try_get("lead_org").map_err(map_err)?;
                    let groups: Option<String> = r.try_get("groups").map_err(map_err)?;
                    parse_late_groups(&lead_org, groups.as_deref().unwrap_or(""), &mut late)?;
                }
                Ok(TallyCounts { tallies, late })
            }

            async fn reminder_candidates(&self, today: NaiveDate, horizon: NaiveDate) -> StoreResult<Vec<TaskRecord>> {
                let rows = sqlx::query(&format!("SELECT {TASK_COLS} FROM tasks WHERE state = 'open' AND deadline <= $1 AND assigned_on <= $2 ORDER BY id"))
                    .bind(horizon)
                    .bind(today)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(map_err)?;
                rows.iter().map(task_from_row).collect()
            }

            async fn enqueue_reminders(&self, mails: &[outbox::OutgoingMail], notes: &[outbox::NewNotification]) -> StoreResult<usize> {
                // Most keys of a daily sweep exist already: look them up in one statement per
                // table instead of one refused insert each. The inserts keep their
                // `ON CONFLICT DO NOTHING`, so a concurrent sweep still cannot duplicate.
                async fn existing(
                    pool: &sqlx::Pool<Db>,
                    table: &str,
                    keys: Vec<&str>,
                ) -> StoreResult<std::collections::HashSet<String>> {
                    let mut out = std::collections::HashSet::new();
                    if keys.is_empty() {
                        return Ok(out);
                    }
                    let mut qb = sqlx::QueryBuilder::<Db>::new(format!("SELECT dedupe_key FROM {table} WHERE dedupe_key IN ("));
                    let mut sep = qb.separated(", ");
                    for k in keys {
                        sep.push_bind(k);
                    }
                    qb.push(")");
                    for r in qb.build().fetch_all(pool).await.map_err(map_err)? {
                        out.insert(r.try_get::<String, _>(0).map_err(map_err)?);
                    }
                    Ok(out)
                }
                let have_mail = existing(&self.pool, "outbox_mail", mails.iter().map(|m| m.dedupe_key.as_str()).collect()).await?;
                let have_note = existing(&self.pool, "notifications", notes.iter().map(|n| n.dedupe_key.as_str()).collect()).await?;
                if mails.iter().all(|m| have_mail.contains(&m.dedupe_key)) && notes.iter().all(|n| have_note.contains(&n.dedupe_key)) {
                    return Ok(0);
                }
                let mut tx = self.begin_write().await?;
                let mut created = 0;
                for m in mails.iter().filter(|m| !have_mail.contains(&m.dedupe_key)) {
                    created += usize::from($crate::enqueue_mail_in_tx!(tx, m)?);
                }
                for n in notes.iter().filter(|n| !have_note.contains(&n.dedupe_key)) {
                    created += usize::from($crate::notify_in_tx!(tx, n)?);
                }
                tx.commit().await.map_err(map_err)?;
                Ok(created)
            }
        }
    };
}

/// Internal: creates the in-app notification a task step causes (addressed to the organisation
/// concerned), inside the open transaction, under the key `task-event:{id}:{kind}:{rev}` so that a
/// retried write can never notify twice.
#[doc(hidden)]
#[macro_export]
macro_rules! task_notify {
    ($tx:ident, $id:expr, $rev:expr, $task:expr, $kind:expr, $org:expr) => {{
        let (id, rev, kind): (i64, i64, &str) = ($id, $rev, $kind);
        let what = match kind {
            "assigned" => "Nhiệm vụ mới được giao",
            "submitted" => "Báo cáo hoàn thành nhiệm vụ, chờ đánh giá",
            "accepted" => "Nhiệm vụ được công nhận hoàn thành",
            "returned" => "Nhiệm vụ bị trả lại",
            "cancelled" => "Nhiệm vụ đã bị hủy",
            "extension_requested" => "Đề nghị gia hạn nhiệm vụ",
            "extension_approved" => "Đồng ý gia hạn nhiệm vụ",
            "extension_refused" => "Không đồng ý gia hạn nhiệm vụ",
            "deadline_changed" => "Thời hạn nhiệm vụ thay đổi",
            _ => "Cập nhật nhiệm vụ",
        };
        let n = $crate::deps::thutuc_store::outbox::NewNotification {
            dedupe_key: format!("task-event:{id}:{kind}:{rev}"),
            user_id: None,
            org_id: Some($org),
            title: what.to_string(),
            body: format!(
                "{} — hạn {}",
                $task.title,
                $task.deadline.format("%d/%m/%Y")
            ),
            link: format!("/can-bo/nhiem-vu/{id}"),
        };
        $crate::notify_in_tx!($tx, &n)?;
    }};
}
