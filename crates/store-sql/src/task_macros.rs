//! Directing and urging storage (working groups, meetings, directives, tasks), written once for
//! both backends. Lifecycle steps load the task row with `FOR_UPDATE`, check `rev`, apply the
//! domain state machine and write the task, its history rows and the notifications they cause
//! in the same transaction.

/// Implements `thutuc_store::TaskStore` for `$store` over `$db`.
#[macro_export]
macro_rules! impl_sql_task_store {
    ($store:ty, $db:ty) => {
        const _: () = {
            use $crate::deps::chrono::{NaiveDate, Utc};
            use $crate::deps::sqlx::{self, Row};
            use $crate::deps::thutuc_domain::calendar::TaskStatus;
            use $crate::deps::thutuc_domain::tasks::*;
            use $crate::deps::thutuc_store::*;
            use $crate::rows::{from_json, map_err, to_json};
            use $crate::task_helpers::*;

            type Db = $db;
            type Row_ = <Db as sqlx::Database>::Row;

            const TASK_COLS: &str = "id, rev, title, description, directive_id, clause, assigner_org, lead_org, coordinating, assigned_on, deadline, instance_key, output_kind, priority, parent_id, progress, state, submitted_on, evidence, completed_on, created_by";

            fn task_from_row(r: &Row_) -> StoreResult<TaskRecord> {
                let state: String = r.try_get("state").map_err(map_err)?;
                let coordinating: String = r.try_get("coordinating").map_err(map_err)?;
                let output_kind: String = r.try_get("output_kind").map_err(map_err)?;
                let priority: String = r.try_get("priority").map_err(map_err)?;
                let progress: i32 = r.try_get("progress").map_err(map_err)?;
                Ok(TaskRecord {
                    id: r.try_get("id").map_err(map_err)?,
                    rev: r.try_get("rev").map_err(map_err)?,
                    created_by: r.try_get("created_by").map_err(map_err)?,
                    task: Task {
                        title: r.try_get("title").map_err(map_err)?,
                        description: r.try_get("description").map_err(map_err)?,
                        directive_id: r.try_get("directive_id").map_err(map_err)?,
                        clause: r.try_get("clause").map_err(map_err)?,
                        assigner_org: r.try_get("assigner_org").map_err(map_err)?,
                        lead_org: r.try_get("lead_org").map_err(map_err)?,
                        coordinating_orgs: orgs_list(&coordinating),
                        assigned_on: r.try_get("assigned_on").map_err(map_err)?,
                        deadline: r.try_get("deadline").map_err(map_err)?,
                        instance_key: r.try_get("instance_key").map_err(map_err)?,
                        output_kind: parse_enum("output_kind", &output_kind)?,
                        priority: parse_enum("priority", &priority)?,
                        parent_id: r.try_get("parent_id").map_err(map_err)?,
                        progress: u8::try_from(progress.clamp(0, 100)).unwrap_or(0),
                        state: TaskState::parse(&state)
                            .ok_or_else(|| StoreError::Other(format!("tasks.state: «{state}»")))?,
                        submitted_on: r.try_get("submitted_on").map_err(map_err)?,
                        evidence: r.try_get("evidence").map_err(map_err)?,
                        completed_on: r.try_get("completed_on").map_err(map_err)?,
                    },
                })
            }

            fn directive_from_row(r: &Row_) -> StoreResult<DirectiveRecord> {
                let kind: String = r.try_get("kind").map_err(map_err)?;
                Ok(DirectiveRecord {
                    id: r.try_get("id").map_err(map_err)?,
                    directive: Directive {
                        kind: parse_enum("kind", &kind)?,
                        number: r.try_get("number").map_err(map_err)?,
                        date: r.try_get("issued_on").map_err(map_err)?,
                        issuer_org: r.try_get("issuer_org").map_err(map_err)?,
                        title: r.try_get("title").map_err(map_err)?,
                        public: r.try_get("public").map_err(map_err)?,
                        meeting_id: r.try_get("meeting_id").map_err(map_err)?,
                    },
                })
            }

            fn meeting_from_row(r: &Row_) -> StoreResult<MeetingRecord> {
                let format: String = r.try_get("format").map_err(map_err)?;
                let participants: String = r.try_get("participants").map_err(map_err)?;
                Ok(MeetingRecord {
                    id: r.try_get("id").map_err(map_err)?,
                    meeting: Meeting {
                        group: r.try_get("group_code").map_err(map_err)?,
                        date: r.try_get("meeting_date").map_err(map_err)?,
                        format: parse_enum("format", &format)?,
                        participants: from_json(&participants)?,
                        agenda: r.try_get("agenda").map_err(map_err)?,
                        minutes: r.try_get("minutes").map_err(map_err)?,
                        conclusions: r.try_get("conclusions").map_err(map_err)?,
                        public: r.try_get("public").map_err(map_err)?,
                    },
                })
            }

            /// `WITH RECURSIVE sub(id) …` rooted at `org`, pushed at the start of a query.
            fn push_subtree<'a>(qb: &mut sqlx::QueryBuilder<'a, Db>, org: &'a str) {
                qb.push("WITH RECURSIVE sub(id) AS (SELECT id FROM orgs WHERE id = ")
                    .push_bind(org)
                    .push(" UNION ALL SELECT o.id FROM orgs o JOIN sub ON o.parent = sub.id) ");
            }

            /// The organisations of `org`'s subtree when there are few enough to bind as a list
            /// (planners estimate a bound list well; a recursive CTE's guessed size made
            /// PostgreSQL scan every task); `None` for a large subtree (then the CTE is used).
            async fn subtree_ids(pool: &sqlx::Pool<Db>, org: &str) -> StoreResult<Option<Vec<String>>> {
                let mut qb = sqlx::QueryBuilder::<Db>::new("");
                push_subtree(&mut qb, org);
                qb.push("SELECT id FROM sub LIMIT 501");
                let rows = qb.build().fetch_all(pool).await.map_err(map_err)?;
                if rows.len() > 500 {
                    return Ok(None);
                }
                rows.iter().map(|r| r.try_get::<String, _>(0).map_err(map_err)).collect::<StoreResult<Vec<_>>>().map(Some)
            }

            fn push_task_filters<'a>(qb: &mut sqlx::QueryBuilder<'a, Db>, f: &'a TaskFilter, ids: Option<&'a [String]>) {
                qb.push(" WHERE 1 = 1");
                let Some(org) = f.org.as_deref() else {
                    push_other_filters(qb, f);
                    return;
                };
                // Led (by the org or, with `subtree`, any unit below it), coordinated or
                // assigned by the org: the union of three index ranges (tasks_lead,
                // task_coordinators, tasks_assigner), each with the other filters inside so
                // the union stays small and the outer read goes by primary key.
                if let (true, Some(ids)) = (f.subtree, ids) {
                    qb.push(" AND id IN (SELECT id FROM tasks WHERE lead_org IN (");
                    {
                        let mut sep = qb.separated(", ");
                        for id in ids {
                            sep.push_bind(id.as_str());
                        }
                        if ids.is_empty() {
                            sep.push("NULL");
                        }
                    }
                    qb.push(")");
                } else if f.subtree {
                    qb.push(" AND id IN (SELECT id FROM tasks WHERE lead_org IN (SELECT id FROM sub)");
                } else {
                    qb.push(" AND id IN (SELECT id FROM tasks WHERE lead_org = ").push_bind(org);
                }
                push_other_filters(qb, f);
                qb.push(" UNION SELECT id FROM task_coordinators JOIN tasks ON id = task_id WHERE org_id = ").push_bind(org);
                push_other_filters(qb, f);
                qb.push(" UNION SELECT id FROM tasks WHERE assigner_org = ").push_bind(org);
                push_other_filters(qb, f);
                qb.push(")");
            }

            /// Status, deadline, directive and parent filters (each ` AND …`).
            fn push_other_filters<'a>(qb: &mut sqlx::QueryBuilder<'a, Db>, f: &'a TaskFilter) {
                if let Some(status) = f.status {
                    let t = f.as_of.unwrap_or_else(|| Utc::now().date_naive());
                    match status {
                        TaskStatus::DoneOnTime => {
                            qb.push(" AND state = 'accepted' AND completed_on <= deadline AND completed_on <= ").push_bind(t);
                        }
                        TaskStatus::DoneLate => {
                            qb.push(" AND state = 'accepted' AND completed_on > deadline AND completed_on <= ").push_bind(t);
                        }
                        TaskStatus::OpenWithinTerm | TaskStatus::OpenOverdue => {
                            qb.push(" AND state <> 'cancelled' AND assigned_on <= ").push_bind(t);
                            qb.push(" AND NOT (state = 'accepted' AND completed_on <= ").push_bind(t).push(")");
                            let op = if status == TaskStatus::OpenWithinTerm { " AND deadline >= " } else { " AND deadline < " };
                            qb.push(op).push_bind(t);
                        }
                    }
                }
                if let Some(d) = f.deadline_from {
                    qb.push(" AND deadline >= ").push_bind(d);
                }
                if let Some(d) = f.deadline_to {
                    qb.push(" AND deadline <= ").push_bind(d);
                }
                if let Some(id) = f.directive_id {
                    qb.push(" AND directive_id = ").push_bind(id);
                }
                if let Some(id) = f.parent_id {
                    qb.push(" AND parent_id = ").push_bind(id);
                }
            }

            async fn insert_task(
                tx: &mut sqlx::Transaction<'static, Db>,
                t: &Task,
                by: &str,
            ) -> StoreResult<Option<i64>> {
                let row = sqlx::query(
                    "INSERT INTO tasks (rev, title, description, directive_id, clause, assigner_org, lead_org, coordinating, assigned_on, deadline, instance_key, output_kind, priority, parent_id, progress, state, submitted_on, evidence, completed_on, created_by, updated_at) \
                     VALUES (1, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20) \
                     ON CONFLICT (instance_key) DO NOTHING RETURNING id",
                )
                .bind(&t.title)
                .bind(&t.description)
                .bind(t.directive_id)
                .bind(&t.clause)
                .bind(&t.assigner_org)
                .bind(&t.lead_org)
                .bind(orgs_text(&t.coordinating_orgs))
                .bind(t.assigned_on)
                .bind(t.deadline)
                .bind(&t.instance_key)
                .bind(enum_str(&t.output_kind))
                .bind(enum_str(&t.priority))
                .bind(t.parent_id)
                .bind(i32::from(t.progress))
                .bind(t.state.as_str())
                .bind(t.submitted_on)
                .bind(&t.evidence)
                .bind(t.completed_on)
                .bind(by)
                .bind(Utc::now())
                .fetch_optional(&mut **tx)
                .await
                .map_err(map_err)?;
                let Some(row) = row else {
                    return Ok(None);
                };
                let id: i64 = row.try_get(0).map_err(map_err)?;
                // One row per coordinating organisation (the indexed side of the org filter).
                let mut orgs: Vec<&str> = t.coordinating_orgs.iter().map(String::as_str).filter(|o| !o.is_empty()).collect();
                orgs.sort_unstable();
                orgs.dedup();
                for o in orgs {
                    sqlx::query("INSERT INTO task_coordinators (org_id, task_id) VALUES ($1, $2)")
                        .bind(o)
                        .bind(id)
                        .execute(&mut **tx)
                        .await
                        .map_err(map_err)?;
                }
                Ok(Some(id))
            }

            #[allow(clippy::too_many_arguments)]
            async fn insert_event(
                tx: &mut sqlx::Transaction<'static, Db>,
                task_id: i64,
                kind: &str,
                on: NaiveDate,
                percent: u8,
                note: &str,
                attachments: &[String],
                by: &str,
            ) -> StoreResult<()> {
                sqlx::query("INSERT INTO task_events (task_id, kind, event_on, percent, note, attachments, by_user, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                    .bind(task_id)
                    .bind(kind)
                    .bind(on)
                    .bind(i32::from(percent))
                    .bind(note)
                    .bind(to_json(&attachments)?)
                    .bind(by)
                    .bind(Utc::now())
                    .execute(&mut **tx)
                    .await
                    .map_err(map_err)?;
                Ok(())
            }

            async fn insert_deadline_change(
                tx: &mut sqlx::Transaction<'static, Db>,
                task_id: i64,
                c: &DeadlineChange,
            ) -> StoreResult<()> {
                sqlx::query("INSERT INTO task_deadline_changes (task_id, old_deadline, new_deadline, by_user, reason, changed_on) VALUES ($1, $2, $3, $4, $5, $6)")
                    .bind(task_id)
                    .bind(c.old_deadline)
                    .bind(c.new_deadline)
                    .bind(&c.by)
                    .bind(&c.reason)
                    .bind(c.on)
                    .execute(&mut **tx)
                    .await
                    .map_err(map_err)?;
                Ok(())
            }

            $crate::impl_sql_task_store_body!($store, $db);
        };
    };
}
