//! Directing-and-urging benchmark (issue 8): 200,000 tasks across 100 organisations and five
//! years (2021–2025), evaluated on 15/12/2025. Measures the national dashboard (facts of the
//! current year + tally + report + ranking, as `/api/v1/tasks/ranking` does), the ranking of a
//! whole past year, a status drill-down page, and the daily reminder sweep (cold: the first
//! sweep ever; again the same day: nothing new; the next working day). SQLite always;
//! PostgreSQL too when THUTUC_TEST_PG is set.
//!
//! `cargo bench -p thutuc-jobs --bench tasks` (N with THUTUC_BENCH_N, default 200000). Prints
//! wall-clock medians and the process CPU time per run (client and, for SQLite, the database;
//! PostgreSQL's server CPU is not included). THUTUC_BENCH_SQLITE_COPY=path keeps a copy of the
//! loaded SQLite database for EXPLAIN QUERY PLAN.

use std::sync::Arc;
use std::time::Instant;

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use thutuc_domain::calendar::{Calendar, TaskStatus};
use thutuc_domain::org::{OrgKind, Organisation};
use thutuc_domain::tasks;
use thutuc_jobs::tasks::TaskReminderSweep;
use thutuc_jobs::{Sweep, SweepCtx};
use thutuc_store::{NewUser, OrgStore, Store, TaskFilter};

/// One generated task row.
struct Row {
    lead: String,
    assigned: NaiveDate,
    deadline: NaiveDate,
    state: &'static str,
    completed: Option<NaiveDate>,
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

const AS_OF: (i32, u32, u32) = (2025, 12, 15);

fn orgs() -> Vec<Organisation> {
    let o = |id: String, kind, parent: Option<&str>| Organisation {
        name: format!("Cơ quan {id}"),
        id,
        kind,
        eid: None,
        admin_code: None,
        parent: parent.map(Into::into),
        valid_from: None,
        valid_to: None,
    };
    let mut v = vec![o("CP".into(), OrgKind::Government, None)];
    for i in 0..100 {
        let kind = if i < 34 {
            OrgKind::Province
        } else {
            OrgKind::Ministry
        };
        v.push(o(format!("O{i:03}"), kind, Some("CP")));
    }
    v
}

fn rows(n: usize) -> Vec<Row> {
    let as_of = ymd(AS_OF.0, AS_OF.1, AS_OF.2);
    let start = ymd(2021, 1, 1);
    let span = (as_of - start).num_days();
    let mut x: u64 = 0x2014_0042;
    let mut next = move |m: u64| {
        x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = x;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (z ^ (z >> 31)) % m
    };
    (0..n)
        .map(|i| {
            let assigned = start
                + Duration::days(
                    i64::try_from(next(u64::try_from(span).unwrap_or(1))).unwrap_or(0),
                );
            let deadline = assigned + Duration::days(10 + i64::try_from(next(80)).unwrap_or(0));
            let roll = next(100);
            let (state, completed) = if deadline >= as_of {
                if roll < 30 && assigned + Duration::days(5) < as_of {
                    ("accepted", Some(assigned + Duration::days(5)))
                } else {
                    ("open", None)
                }
            } else if roll < 80 {
                (
                    "accepted",
                    Some(
                        deadline
                            - Duration::days(i64::try_from(next(8)).unwrap_or(0))
                                .min(deadline - assigned),
                    ),
                )
            } else if roll < 93 {
                (
                    "accepted",
                    Some(
                        (deadline + Duration::days(1 + i64::try_from(next(20)).unwrap_or(0)))
                            .min(as_of),
                    ),
                )
            } else if roll < 95 {
                ("cancelled", None)
            } else {
                ("open", None)
            };
            Row {
                lead: format!("O{:03}", i % 100),
                assigned,
                deadline,
                state,
                completed,
            }
        })
        .collect()
}

macro_rules! bulk_load {
    ($pool:expr, $db:ty, $rows:expr) => {{
        for chunk in $rows.chunks(1000) {
            let mut qb = sqlx::QueryBuilder::<$db>::new(
                "INSERT INTO tasks (rev, title, description, clause, assigner_org, lead_org, coordinating, assigned_on, deadline, output_kind, priority, progress, state, submitted_on, completed_on, created_by, updated_at) ",
            );
            qb.push_values(chunk, |mut b, r| {
                b.push_bind(1_i64)
                    .push_bind("Nhiệm vụ rà soát, cắt giảm thủ tục hành chính")
                    .push_bind("")
                    .push_bind("khoản 1")
                    .push_bind("CP")
                    .push_bind(r.lead.as_str())
                    .push_bind(",")
                    .push_bind(r.assigned)
                    .push_bind(r.deadline)
                    .push_bind("report")
                    .push_bind("normal")
                    .push_bind(if r.completed.is_some() { 100_i32 } else { 0_i32 })
                    .push_bind(r.state)
                    .push_bind(r.completed)
                    .push_bind(r.completed)
                    .push_bind("bench")
                    .push_bind(Utc::now());
            });
            qb.build().execute($pool).await.expect("bulk insert");
        }
    }};
}

/// CPU time of the whole process (all threads, user + system) in milliseconds, from
/// `/proc/self/stat` (Linux; 0 elsewhere). On a loaded machine the wall-clock time includes
/// waiting for a core; the CPU time is the work itself.
fn cpu_ms() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // Fields after the command name (which is in parentheses): utime is the 14th field.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) * 10.0
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

async fn measure<S: Store>(name: &str, s: &S, n: usize, load_ms: f64) {
    let cal = Arc::new(Calendar::default_vn().expect("calendar"));
    let as_of = ymd(AS_OF.0, AS_OF.1, AS_OF.2);
    let mut dash = Vec::new();
    let mut facts_n = 0;
    let cpu0 = cpu_ms();
    for _ in 0..15 {
        let t = Instant::now();
        let counts = s
            .task_tallies(ymd(2025, 1, 1), ymd(2025, 12, 31), as_of, None)
            .await
            .expect("tallies");
        let tallies = counts.with_delays(&cal, as_of).expect("delays");
        let rep = tasks::report(&tallies);
        let ranking = tasks::rank(tallies, 5);
        dash.push(ms(t));
        facts_n = rep.totals.total();
        assert!(rep.totals.total() > 0 && !ranking.ranked.is_empty());
    }
    let dash_cpu = (cpu_ms() - cpu0) / 15.0;
    let mut year = Vec::new();
    let cpu0 = cpu_ms();
    for _ in 0..15 {
        let t = Instant::now();
        let counts = s
            .task_tallies(ymd(2024, 1, 1), ymd(2024, 12, 31), as_of, None)
            .await
            .expect("tallies");
        let tallies = counts.with_delays(&cal, ymd(2024, 12, 31)).expect("delays");
        let _ = tasks::rank(tallies, 5);
        year.push(ms(t));
    }
    let year_cpu = (cpu_ms() - cpu0) / 15.0;
    let mut raw = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let facts = s
            .task_facts(ymd(2025, 1, 1), ymd(2025, 12, 31), as_of, None)
            .await
            .expect("facts");
        let _ =
            tasks::tally(&facts, &cal, ymd(2025, 1, 1), ymd(2025, 12, 31), as_of).expect("tally");
        raw.push(ms(t));
    }
    let mut drill = Vec::new();
    let cpu0 = cpu_ms();
    for i in 0..15 {
        let t = Instant::now();
        let p = s
            .list_tasks(&TaskFilter {
                org: Some(format!("O{:03}", i * 7 % 100)),
                subtree: true,
                status: Some(TaskStatus::OpenOverdue),
                as_of: Some(as_of),
                limit: Some(50),
                ..TaskFilter::default()
            })
            .await
            .expect("list");
        drill.push(ms(t));
        assert!(p.total > 0);
    }
    let drill_cpu = (cpu_ms() - cpu0) / 15.0;
    let sweep = TaskReminderSweep::default();
    let at = |d: NaiveDate| Utc.from_utc_datetime(&d.and_hms_opt(1, 0, 0).expect("time"));
    let mut sweeps = Vec::new();
    for day in [as_of, as_of, as_of + Duration::days(1)] {
        let ctx = SweepCtx {
            store: s,
            calendar: cal.clone(),
            now: at(day),
        };
        let t = Instant::now();
        let c = cpu_ms();
        let wrote = sweep.run(&ctx).await.expect("sweep");
        sweeps.push((ms(t), wrote, cpu_ms() - c));
    }
    let open = s
        .reminder_candidates(as_of, cal.add_working_days(as_of, 6).expect("date"))
        .await
        .expect("c")
        .len();
    println!("\n== {name}: {n} tasks, 100 organisations, 2021–2025, as of {as_of} ==");
    println!(
        "load (bulk insert)                       {:>9.0} ms",
        load_ms
    );
    println!(
        "national dashboard 2025 ({facts_n} tasks)   p50 {:>7.1} ms  max {:>7.1} ms  cpu {:>6.1} ms",
        median(dash.clone()),
        dash.iter().copied().fold(0.0, f64::max),
        dash_cpu
    );
    println!(
        "ranking for 2024                         p50 {:>7.1} ms  max {:>7.1} ms  cpu {:>6.1} ms",
        median(year.clone()),
        year.iter().copied().fold(0.0, f64::max),
        year_cpu
    );
    println!(
        "drill-down: org overdue page of 50       p50 {:>7.1} ms  cpu {:>6.1} ms",
        median(drill),
        drill_cpu
    );
    println!("reminder candidates                      {open}");
    println!(
        "reminder sweep, first ever (cold)        {:>9.0} ms, {} rows enqueued, cpu {:.0} ms",
        sweeps[0].0, sweeps[0].1, sweeps[0].2
    );
    println!(
        "reminder sweep, same day again           {:>9.0} ms, {} rows",
        sweeps[1].0, sweeps[1].1
    );
    println!(
        "reminder sweep, next day                 {:>9.0} ms, {} rows, cpu {:.0} ms",
        sweeps[2].0, sweeps[2].1, sweeps[2].2
    );
}

async fn users<S: Store>(s: &S) {
    for i in 0..100 {
        for (who, role) in [("canbo", "officer"), ("lanhdao", "leader")] {
            s.create_user(&NewUser {
                email: format!("{who}{i}@bench.gov.vn"),
                name: who.into(),
                org_id: format!("O{i:03}"),
                role: role.into(),
                password_hash: "x".into(),
            })
            .await
            .expect("user");
        }
    }
    s.create_user(&NewUser {
        email: "tct@bench.gov.vn".into(),
        name: "TCT".into(),
        org_id: "CP".into(),
        role: "oversight".into(),
        password_hash: "x".into(),
    })
    .await
    .expect("user");
}

#[tokio::main]
async fn main() {
    let n: usize = std::env::var("THUTUC_BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200_000);
    let data = rows(n);
    {
        let (s, _dir) = thutuc_store_tests::sqlite().await;
        s.upsert_orgs(&orgs()).await.expect("orgs");
        users(&s).await;
        let t = Instant::now();
        bulk_load!(s.pool(), sqlx::Sqlite, data);
        sqlx::query("ANALYZE")
            .execute(s.pool())
            .await
            .expect("analyze");
        if let Ok(out) = std::env::var("THUTUC_BENCH_SQLITE_COPY") {
            // A copy of the loaded database, for EXPLAIN QUERY PLAN with the sqlite3 shell.
            sqlx::query("VACUUM INTO $1")
                .bind(out)
                .execute(s.pool())
                .await
                .expect("vacuum into");
        }
        measure("SQLite", &s, n, ms(t)).await;
    }
    if let Some((s, guard)) = thutuc_store_tests::postgres().await {
        s.upsert_orgs(&orgs()).await.expect("orgs");
        users(&s).await;
        let t = Instant::now();
        bulk_load!(s.pool(), sqlx::Postgres, data);
        sqlx::query("ANALYZE")
            .execute(s.pool())
            .await
            .expect("analyze");
        measure("PostgreSQL", &s, n, ms(t)).await;
        guard.drop_db(s).await;
    }
}
