//! Store benchmark (issue 2): 100,000 procedures built from the real portal pages as
//! templates; fetching a procedure with its full current version (p50/p99), and applying a
//! publication decision of 100 entries. SQLite always; PostgreSQL too when THUTUC_TEST_PG is set.
//!
//! `cargo bench -p thutuc-store-tests --bench store` (N with THUTUC_BENCH_N, default 100000).

use std::io::BufReader;
use std::time::Instant;

use thutuc_domain::version::ChangeKind;
use thutuc_store::{ApplyRequest, ImportItem, Store};
use thutuc_store_tests::fixtures::{code, d, decision, entry, seed_orgs};

fn templates() -> Vec<thutuc_domain::ProcedureContent> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../data/tthc/portal-pages.jsonl.gz"
    );
    let file = std::fs::File::open(path).expect("portal pages");
    thutuc_import::read_portal_pages(BufReader::new(flate2::read::GzDecoder::new(file)))
        .filter_map(Result::ok)
        .map(|r| r.content)
        .collect()
}

fn pct(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

async fn run<S: Store>(name: &str, s: &S, n: usize) {
    seed_orgs(s).await;
    let tpl = templates();
    let t0 = Instant::now();
    let mut batch = Vec::with_capacity(2000);
    for i in 0..n {
        let mut c = tpl[i % tpl.len()].clone();
        c.name = format!("{} ({})", c.name, i / tpl.len());
        batch.push(ImportItem {
            code: code(&format!("{}.{:06}", 1 + i / 1_000_000, i % 1_000_000)),
            kind: Default::default(),
            owner_org: if i % 2 == 0 {
                "BTP".into()
            } else {
                "P01".into()
            },
            decision_no: Some("1/QĐ-BTP".into()),
            content: c,
            list_only: false,
            valid_from: d("2025-01-01"),
        });
        if batch.len() == 2000 {
            s.import_batch(&batch).await.expect("import");
            batch.clear();
        }
    }
    if !batch.is_empty() {
        s.import_batch(&batch).await.expect("import");
    }
    let load = t0.elapsed().as_secs_f64();
    let mut x: u64 = 42;
    let mut lat = Vec::with_capacity(20_000);
    for _ in 0..20_000 {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let i = (x >> 33) as usize % n;
        let c = code(&format!("{}.{:06}", 1 + i / 1_000_000, i % 1_000_000));
        let t = Instant::now();
        let v = s.current_version(&c).await.expect("fetch");
        lat.push(t.elapsed().as_secs_f64() * 1000.0);
        assert!(!v.content.name.is_empty());
    }
    lat.sort_by(|a, b| a.total_cmp(b));
    let entries: Vec<_> = (0..100)
        .map(|i| {
            let c = format!("{}.{:06}", 1 + (i * 997) / 1_000_000, (i * 997) % 1_000_000);
            let mut content = tpl[i % tpl.len()].clone();
            content.name = format!("{} (sửa đổi)", content.name);
            entry(ChangeKind::Amended, &c, Some(content))
        })
        .collect();
    let dec = decision("100/QĐ-BTP", "2025-05-01", "2025-06-01", entries);
    let rec = s.create_decision(&dec, "bench").await.expect("create");
    let t = Instant::now();
    s.apply_decision(&ApplyRequest {
        number: dec.number.clone(),
        expected_rev: rec.rev,
        applied_on: d("2025-05-02"),
        timeliness: None,
        dry_run: false,
    })
    .await
    .expect("apply");
    let apply_ms = t.elapsed().as_secs_f64() * 1000.0;
    println!(
        "| {name} | {n} | {load:.1} s | {:.3} ms | {:.3} ms | {:.3} ms | {apply_ms:.0} ms |",
        pct(&lat, 0.5),
        pct(&lat, 0.99),
        pct(&lat, 0.999)
    );
}

#[tokio::main]
async fn main() {
    let n: usize = std::env::var("THUTUC_BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    println!(
        "| backend | procedures | load (import_batch) | fetch p50 | fetch p99 | fetch p99.9 | apply 100-entry decision |"
    );
    println!("|---|---|---|---|---|---|---|");
    let (s, _dir) = thutuc_store_tests::sqlite().await;
    run("SQLite", &s, n).await;
    if let Some((pg, guard)) = thutuc_store_tests::postgres().await {
        run("PostgreSQL", &pg, n).await;
        guard.drop_db(pg).await;
    }
}
