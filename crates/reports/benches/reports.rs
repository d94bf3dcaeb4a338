//! Report benchmark (issue 7): ten years of generated history, ≈ 500,000 change entries across
//! 25 ministries and 34 provinces, in SQLite. Measures the first build of the statistics
//! mirror, a monthly report for all agencies (steady state, several months across the
//! history), and a yearly report rendered to XLSX.
//!
//! Run: `cargo bench -p thutuc-reports --bench reports` (set `THUTUC_BENCH_ENTRIES` for another
//! size). The data is bulk-loaded with SQL for speed; its shape is what `apply_decision`
//! writes (contiguous version chains, entries pointing at their versions).

use std::sync::Arc;
use std::time::Instant;

use chrono::{Datelike, Days, NaiveDate};
use sqlx::QueryBuilder;
use thutuc_domain::calendar::Calendar;
use thutuc_domain::org::{OrgKind, Organisation};
use thutuc_domain::params::PublicationRules;
use thutuc_domain::procedure::{Level, ProcedureContent};
use thutuc_reports::output::{Format, render};
use thutuc_reports::service::{ReportEnv, ReportRequest, build};
use thutuc_reports::template::{DocumentParams, ReportTemplate};
use thutuc_reports::{DateBasis, Period};
use thutuc_store::{OrgStore, StatsStore};
use thutuc_store_sqlite::SqliteStore;

mod common;

use common::ms;

type Res<T> = Result<T, Box<dyn std::error::Error>>;

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn org(id: String, kind: OrgKind) -> Organisation {
    Organisation {
        name: format!("Cơ quan {id}"),
        id,
        kind,
        eid: None,
        admin_code: None,
        parent: Some("CP".into()),
        valid_from: None,
        valid_to: None,
    }
}

/// code, seq, status, valid_from, valid_to, change kind, agency.
type Version = (
    u32,
    i64,
    &'static str,
    NaiveDate,
    Option<NaiveDate>,
    &'static str,
    usize,
);

struct Entry {
    agency: usize,
    code: u32,
    seq: i64,
    kind: &'static str,
    effective: NaiveDate,
}

async fn generate(store: &SqliteStore, target: usize) -> Res<usize> {
    let mut orgs = vec![Organisation {
        parent: None,
        ..org("CP".into(), OrgKind::Government)
    }];
    let agencies: Vec<String> = (1..=25)
        .map(|i| format!("G{i:02}"))
        .chain((1..=34).map(|i| format!("P{i:02}")))
        .collect();
    for a in &agencies {
        let kind = if a.starts_with('G') {
            OrgKind::Ministry
        } else {
            OrgKind::Province
        };
        orgs.push(org(a.clone(), kind));
    }
    store.upsert_orgs(&orgs).await?;
    let start = NaiveDate::from_ymd_opt(2016, 1, 1).ok_or("date")?;
    let days = 3652;
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let sectors = [
        "Hộ tịch",
        "Chứng thực",
        "Đất đai",
        "Xây dựng",
        "Y tế",
        "Giáo dục",
        "Thuế",
        "Hải quan",
        "Giao thông",
        "Lao động",
    ];
    let levels = [Level::Ministry, Level::Province, Level::Commune];
    let mut entries: Vec<Entry> = Vec::with_capacity(target + 16);
    let mut pool = store.pool().begin().await?;
    let now = chrono::Utc::now();
    let mut code = 0u32;
    let mut procs: Vec<(u32, usize, String)> = Vec::new();
    let mut versions: Vec<Version> = Vec::new();
    while entries.len() < target {
        code += 1;
        let agency = rng.below(agencies.len() as u64) as usize;
        let mut eff = start + Days::new(rng.below(days));
        let changes = rng.below(6);
        let abolished = rng.below(10) < 3;
        let mut c = ProcedureContent {
            name: format!("Thủ tục {code}"),
            sector: sectors[rng.below(10) as usize].into(),
            ..Default::default()
        };
        c.levels.insert(levels[rng.below(3) as usize]);
        let content = serde_json::to_string(&c)?;
        procs.push((code, agency, content));
        let mut seq = 1;
        entries.push(Entry {
            agency,
            code,
            seq,
            kind: "new",
            effective: eff,
        });
        let limit = start + Days::new(days);
        let mut kinds: Vec<&'static str> = (0..changes)
            .map(|_| {
                if rng.below(5) == 0 {
                    "replaced"
                } else {
                    "amended"
                }
            })
            .collect();
        if abolished {
            kinds.push(if rng.below(10) == 0 {
                "annulled"
            } else {
                "abolished"
            });
        }
        let mut from = eff;
        let mut last_kind = "new";
        for k in kinds {
            let next = eff + Days::new(30 + rng.below(700));
            if next >= limit {
                break;
            }
            if k == "abolished" || k == "annulled" {
                versions.push((
                    code,
                    seq,
                    "abolished",
                    from,
                    next.pred_opt(),
                    last_kind,
                    agency,
                ));
                entries.push(Entry {
                    agency,
                    code,
                    seq,
                    kind: k,
                    effective: next,
                });
                last_kind = "";
                break;
            }
            versions.push((
                code,
                seq,
                "superseded",
                from,
                next.pred_opt(),
                last_kind,
                agency,
            ));
            seq += 1;
            entries.push(Entry {
                agency,
                code,
                seq,
                kind: k,
                effective: next,
            });
            from = next;
            eff = next;
            last_kind = k;
        }
        if !last_kind.is_empty() {
            versions.push((code, seq, "published", from, None, last_kind, agency));
        }
    }
    for chunk in procs.chunks(2000) {
        let mut qb = QueryBuilder::new(
            "INSERT INTO procedures (code, kind, owner_org, abolished, current_seq, draft_seq, name, search_key, sector, sector_id, levels, sort_key, created_at, updated_at) ",
        );
        qb.push_values(chunk, |mut b, (c, a, _)| {
            b.push_bind(format!("1.{c:06}"))
                .push_bind("external")
                .push_bind(agencies[*a].clone())
                .push_bind(false)
                .push_bind(1i64)
                .push_bind(None::<i64>)
                .push_bind(format!("Thủ tục {c}"))
                .push_bind("")
                .push_bind("")
                .push_bind("")
                .push_bind(",province,")
                .push_bind(format!("{c}"))
                .push_bind(now)
                .push_bind(now);
        });
        qb.build().execute(&mut *pool).await?;
    }
    let content_of: std::collections::HashMap<u32, &str> =
        procs.iter().map(|(c, _, s)| (*c, s.as_str())).collect();
    // Decisions: entries grouped by (agency, signing month), ten entries each; signed 30 days
    // before the entry takes effect.
    entries.sort_by_key(|e| (e.agency, e.effective - Days::new(30), e.code));
    let mut numbered: Vec<(String, i64, &Entry, NaiveDate)> = Vec::with_capacity(entries.len());
    let mut decisions: Vec<(String, NaiveDate, NaiveDate, usize)> = Vec::new();
    let mut key = (usize::MAX, 0i32, 0u32);
    let mut n = 0;
    for e in &entries {
        let signed = e.effective - Days::new(30);
        let k = (e.agency, signed.year(), signed.month());
        if k != key || n == 10 {
            key = k;
            n = 0;
            decisions.push((
                format!("{}/QĐ-{}", decisions.len() + 1, agencies[e.agency]),
                signed,
                e.effective,
                e.agency,
            ));
        }
        n += 1;
        let d = decisions.last().ok_or("decision")?;
        numbered.push((d.0.clone(), n, e, d.1));
    }
    for chunk in decisions.chunks(2000) {
        let mut qb = QueryBuilder::new(
            "INSERT INTO decisions (number, title, signed_on, effective_on, issuer_org, issuer_kind, shortened, applies_central, status, rev, body, created_by, created_at, applied_on, late, timeliness) ",
        );
        qb.push_values(chunk, |mut b, (num, signed, eff, a)| {
            let kind = if agencies[*a].starts_with('G') { "ministry" } else { "province" };
            let body = format!("{{\"number\":\"{num}\",\"signed_on\":\"{signed}\",\"effective_on\":\"{eff}\",\"issuer_org\":\"{}\",\"issuer_kind\":\"{kind}\",\"entries\":[]}}", agencies[*a]);
            b.push_bind(num.clone()).push_bind("").push_bind(*signed).push_bind(*eff).push_bind(agencies[*a].clone())
                .push_bind(kind).push_bind(false).push_bind(None::<String>).push_bind("applied").push_bind(2i64)
                .push_bind(body).push_bind("bench").push_bind(now).push_bind(*signed + Days::new(3)).push_bind(signed.day() % 7 == 0).push_bind(None::<String>);
        });
        qb.build().execute(&mut *pool).await?;
    }
    let number_of: std::collections::HashMap<(u32, i64), String> = numbered
        .iter()
        .filter(|(_, _, e, _)| e.kind != "abolished" && e.kind != "annulled")
        .map(|(num, _, e, _)| ((e.code, e.seq), num.clone()))
        .collect();
    for chunk in numbered.chunks(3000) {
        let mut qb = QueryBuilder::new(
            "INSERT INTO decision_entries (number, line, code, kind, effective_on, seq) ",
        );
        qb.push_values(chunk, |mut b, (num, line, e, _)| {
            b.push_bind(num.clone())
                .push_bind(*line)
                .push_bind(format!("1.{:06}", e.code))
                .push_bind(e.kind)
                .push_bind(e.effective)
                .push_bind(e.seq);
        });
        qb.build().execute(&mut *pool).await?;
    }
    for chunk in versions.chunks(2000) {
        let mut qb = QueryBuilder::new(
            "INSERT INTO procedure_versions (code, seq, status, valid_from, valid_to, decision_no, change_kind, changed_components, name, content, rev, owner_org, created_by, created_at, updated_at) ",
        );
        qb.push_values(chunk, |mut b, (c, seq, status, from, to, kind, a)| {
            b.push_bind(format!("1.{c:06}"))
                .push_bind(*seq)
                .push_bind(*status)
                .push_bind(*from)
                .push_bind(*to)
                .push_bind(number_of.get(&(*c, *seq)).cloned())
                .push_bind(if kind.is_empty() { "new" } else { *kind })
                .push_bind("[]")
                .push_bind(format!("Thủ tục {c}"))
                .push_bind(content_of.get(c).copied().unwrap_or("{}"))
                .push_bind(1i64)
                .push_bind(agencies[*a].clone())
                .push_bind("bench")
                .push_bind(now)
                .push_bind(now);
        });
        qb.build().execute(&mut *pool).await?;
    }
    pool.commit().await?;
    Ok(entries.len())
}

#[tokio::main]
async fn main() -> Res<()> {
    let target: usize = std::env::var("THUTUC_BENCH_ENTRIES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(500_000);
    // THUTUC_BENCH_DB=path keeps the database (and reuses it when it already holds the data),
    // for inspecting query plans between runs.
    let dir = tempfile::tempdir()?;
    let path = std::env::var("THUTUC_BENCH_DB")
        .unwrap_or_else(|_| dir.path().join("bench.db").to_string_lossy().into_owned());
    let store = SqliteStore::connect(&path).await?;
    let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM decision_entries")
        .fetch_one(store.pool())
        .await?;
    if existing == 0 {
        let t = Instant::now();
        let n = generate(&store, target).await?;
        println!("generated {n} change entries in {:.1} s", ms(t) / 1000.0);
    } else {
        println!("reusing {path} ({existing} change entries)");
    }
    let today = NaiveDate::from_ymd_opt(2026, 1, 10).ok_or("date")?;
    // Another writer (a sign-in, an intake) during the refresh: the longest it had to wait.
    sqlx::query("CREATE TABLE IF NOT EXISTS bench_probe (at TEXT)")
        .execute(store.pool())
        .await?;
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let probe = {
        let (pool, stop) = (store.pool().clone(), stop.clone());
        tokio::spawn(async move {
            let mut worst = 0.0f64;
            let mut n = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let t = Instant::now();
                if sqlx::query("INSERT INTO bench_probe (at) VALUES ('x')")
                    .execute(&pool)
                    .await
                    .is_ok()
                {
                    n += 1;
                }
                worst = worst.max(ms(t));
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
            (worst, n)
        })
    };
    let t = Instant::now();
    let r = store.refresh_stats(today).await?;
    let first = ms(t);
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let (worst, writes) = probe.await?;
    println!(
        "first refresh (mirror of {} procedures, {} snapshot months): {first:.0} ms; a concurrent writer waited at most {worst:.0} ms ({writes} writes)",
        r.procedures, r.months_added,
    );
    let env = ReportEnv::load(
        &store,
        Arc::new(PublicationRules::default()),
        Arc::new(Calendar::default_vn()?),
    )
    .await?;
    common::monthly_and_trend("", &store, &env, today).await?;
    // Where the time of one monthly report goes.
    let (from, to) = (
        NaiveDate::from_ymd_opt(2025, 11, 1).ok_or("d")?,
        NaiveDate::from_ymd_opt(2025, 11, 30).ok_or("d")?,
    );
    for _ in 0..2 {
        let t = Instant::now();
        store.refresh_stats(today).await?;
        let a = ms(t);
        let t = Instant::now();
        let changes = store.change_facts(from, to, DateBasis::Signed).await?;
        let b = ms(t);
        let t = Instant::now();
        let decisions = store.decision_facts(from, to, DateBasis::Signed).await?;
        let c = ms(t);
        let t = Instant::now();
        let s0 = store.stock_at(from.pred_opt().ok_or("d")?).await?;
        let s1 = store.stock_at(to).await?;
        let d = ms(t);
        let t = Instant::now();
        let flows = store.stock_flows(from, to).await?;
        let e = ms(t);
        let inputs = thutuc_reports::inputs::ReportInputs {
            period: Period::parse("2025-11")?,
            basis: DateBasis::Signed,
            scope: None,
            changes,
            decisions,
            stock_start: s0,
            stock_end: s1,
            flows,
        };
        let t = Instant::now();
        let _r = thutuc_reports::engine::compute(&inputs, env.ctx())?;
        let f = ms(t);
        println!(
            "  breakdown: refresh {a:.1} ms, changes {b:.1} ms ({} rows), decisions {c:.1} ms, stock_at ×2 {d:.1} ms, flows {e:.1} ms, engine {f:.1} ms",
            inputs.changes.len()
        );
    }
    // An officer's change (one procedure touched) followed by the next report's refresh.
    let t = Instant::now();
    sqlx::query(
        "UPDATE procedures SET updated_at = $1 WHERE code = (SELECT MIN(code) FROM procedures)",
    )
    .bind(chrono::Utc::now())
    .execute(store.pool())
    .await?;
    store.refresh_stats(today).await?;
    println!("refresh after one procedure changed: {:.1} ms", ms(t));
    let req = ReportRequest {
        period: Period::parse("2025")?,
        basis: DateBasis::Signed,
        scope: None,
    };
    let t = Instant::now();
    let rep = build(&store, &env, &req, today).await?;
    let built = ms(t);
    let tpl = ReportTemplate::default_vi()?;
    let doc = DocumentParams {
        place: "Hà Nội".into(),
        date: today,
        number: String::new(),
        issuer_symbol: "VPCP".into(),
    };
    let t = Instant::now();
    let xlsx = render(&rep, &tpl, &doc, Format::Xlsx)?;
    println!(
        "yearly report 2025 ({} counted items): build {built:.0} ms, XLSX {:.0} ms ({} KiB)",
        rep.national.items.len(),
        ms(t),
        xlsx.len() / 1024
    );
    let t = Instant::now();
    let html = render(&rep, &tpl, &doc, Format::Html)?;
    let docx = render(&rep, &tpl, &doc, Format::Docx)?;
    println!(
        "yearly HTML + DOCX: {:.0} ms ({} + {} KiB)",
        ms(t),
        html.len() / 1024,
        docx.len() / 1024
    );
    let t = Instant::now();
    let pdf = render(&rep, &tpl, &doc, Format::Pdf)?;
    println!("yearly PDF: {:.0} ms ({} KiB)", ms(t), pdf.len() / 1024);
    let t = Instant::now();
    store.refresh_stats(today).await?;
    println!("refresh with nothing changed: {:.1} ms", ms(t));
    Ok(())
}
