//! Import/export benchmarks of issue 3 (release build, harness = false):
//!
//! 1. parse quality of the 532 real portal pages, and their import into a fresh SQLite
//!    database (target ≤ 2 s);
//! 2. generating 100,000 procedures and importing them (target ≤ 60 s), on SQLite and, with
//!    `THUTUC_TEST_PG`, on PostgreSQL;
//! 3. exporting those 100,000 procedures to XLSX (target ≤ 20 s, memory < 500 MB), measured
//!    in a child process so that its peak RSS (`VmHWM`) is the export's alone.
//!
//! `cargo bench -p thutuc-export --bench export`; `THUTUC_BENCH_N` changes the size.

use std::io::{BufReader, BufWriter};
use std::time::Instant;

use chrono::NaiveDate;
use thutuc_export::generate::{GenerateSpec, generate_into};
use thutuc_export::{ExportFilter, export_json, export_xlsx};
use thutuc_import::apply::{ImportOptions, import_records};
use thutuc_store::Store;
use thutuc_store_sqlite::SqliteStore;

const PORTAL_PAGES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../data/tthc/portal-pages.jsonl.gz"
);

/// CPU seconds (user + system) of this process so far, from `/proc/self/stat` (100 Hz ticks).
fn cpu_s() -> f64 {
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            let rest = s.rsplit_once(')')?.1;
            let f: Vec<&str> = rest.split_whitespace().collect();
            let ticks = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
            Some(ticks / 100.0)
        })
        .unwrap_or(f64::NAN)
}

fn vm_hwm_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

async fn load_orgs<S: Store>(s: &S) {
    let data = thutuc_refdata::organisations().expect("refdata");
    s.upsert_orgs(&data.orgs).await.expect("orgs");
    s.upsert_successions(&data.successions)
        .await
        .expect("successions");
    s.upsert_sectors(&data.sectors).await.expect("sectors");
}

async fn portal_pages(dir: &std::path::Path) {
    let t = Instant::now();
    let file = std::fs::File::open(PORTAL_PAGES).expect("portal pages");
    let records: Vec<_> = thutuc_import::read_portal_pages(BufReader::new(
        flate2::read::GzDecoder::new(BufReader::new(file)),
    ))
    .collect();
    let parsed = t.elapsed();
    let ok: Vec<_> = records.iter().filter_map(|r| r.as_ref().ok()).collect();
    let q = thutuc_import::parse_quality(ok.iter().copied());
    println!(
        "parse quality: {}/{} records fully structured = {:.1} %; failures by shape: {:?}; unit-unknown flagged: {}",
        q.fully_structured,
        q.total,
        100.0 * q.share(),
        q.failures_by_shape,
        q.flagged_unit_unknown
    );
    let s = SqliteStore::connect(dir.join("pages.db").to_str().expect("path"))
        .await
        .expect("sqlite");
    load_orgs(&s).await;
    let t2 = Instant::now();
    let opts = ImportOptions {
        partial: false,
        owner: None,
        valid_from: NaiveDate::from_ymd_opt(2025, 6, 1).expect("date"),
        dry_run: false,
        scope: None,
    };
    let summary = import_records(&s, records, &opts).await.expect("import");
    let imported = t2.elapsed();
    println!(
        "532 portal pages: parse {:.2} s + import {:.2} s = {:.2} s (target ≤ 2 s) — {}",
        parsed.as_secs_f64(),
        imported.as_secs_f64(),
        (parsed + imported).as_secs_f64(),
        summary.line()
    );
}

async fn generate_on<S: Store>(label: &str, s: &S, spec: &GenerateSpec) {
    load_orgs(s).await;
    let orgs = s.all_orgs().await.expect("orgs");
    let (t, c) = (Instant::now(), cpu_s());
    let n = thutuc_export::generate::generate(spec, &orgs).count();
    println!(
        "{label}: generating {n} items alone (no store): {:.1} s wall, {:.1} s CPU",
        t.elapsed().as_secs_f64(),
        cpu_s() - c
    );
    let (t, c) = (Instant::now(), cpu_s());
    let mut marks: Vec<(String, f64, f64)> = Vec::new();
    let mut progress = |phase: &str, done: usize, total: usize| {
        if done == total {
            let wall = (t.elapsed().as_secs_f64() * 10.0).round() / 10.0;
            let cpu = ((cpu_s() - c) * 10.0).round() / 10.0;
            marks.push((format!("{phase} (wall s, CPU s)"), wall, cpu));
        }
    };
    let report = generate_into(s, spec, &mut progress)
        .await
        .expect("generate");
    println!(
        "{label}: generated {report:?} in {:.1} s wall, {:.1} s CPU of this process; phases done at {marks:?} (target: procedures ≤ 60 s)",
        t.elapsed().as_secs_f64(),
        cpu_s() - c
    );
}

async fn export_child(db: &str) {
    let s = SqliteStore::connect(db).await.expect("sqlite");
    let dir = tempfile::tempdir().expect("tempdir");
    let f = ExportFilter::default();
    let (t, c) = (Instant::now(), cpu_s());
    let out = BufWriter::new(std::fs::File::create(dir.path().join("x.xlsx")).expect("file"));
    let stats = export_xlsx(&s, &f, out).await.expect("xlsx");
    let xlsx_s = t.elapsed().as_secs_f64();
    let xlsx_cpu = cpu_s() - c;
    let xlsx_mb = std::fs::metadata(dir.path().join("x.xlsx")).map_or(0, |m| m.len()) as f64 / 1e6;
    let hwm = vm_hwm_mb();
    println!(
        "export xlsx: {} records in {xlsx_s:.1} s wall, {xlsx_cpu:.1} s CPU (target ≤ 20 s), {xlsx_mb:.0} MB, peak RSS {hwm:.0} MB (target < 500 MB)",
        stats.records
    );
    let (t, c) = (Instant::now(), cpu_s());
    let out = BufWriter::new(std::fs::File::create(dir.path().join("x.jsonl")).expect("file"));
    let stats = export_json(&s, &f, out).await.expect("json");
    println!(
        "export json: {} records in {:.1} s wall, {:.1} s CPU",
        stats.records,
        t.elapsed().as_secs_f64(),
        cpu_s() - c
    );
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    if let Ok(db) = std::env::var("THUTUC_BENCH_EXPORT_DB") {
        rt.block_on(export_child(&db));
        return;
    }
    println!(
        "machine: {} CPUs, load average {}",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .trim()
    );
    let n: usize = std::env::var("THUTUC_BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let spec = GenerateSpec {
        procedures: n,
        localisations: n / 20,
        versions: n / 10,
        decisions: (n / 500).max(1),
        ..Default::default()
    };
    let dir = tempfile::tempdir().expect("tempdir");
    // THUTUC_BENCH_DB=path keeps the generated database; an existing one is reused, so
    // only the export is measured again.
    let path = std::env::var("THUTUC_BENCH_DB")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| dir.path().join("gen.db"));
    let reuse = path.exists();
    rt.block_on(async {
        if reuse {
            println!("reusing {}", path.display());
            return;
        }
        portal_pages(dir.path()).await;
        let s = SqliteStore::connect(path.to_str().expect("path"))
            .await
            .expect("sqlite");
        generate_on("SQLite", &s, &spec).await;
        s.pool().close().await;
        if let Some((pg, guard)) = thutuc_store_tests::postgres().await {
            generate_on("PostgreSQL", &pg, &spec).await;
            guard.drop_db(pg).await;
        } else {
            println!("PostgreSQL: skipped (THUTUC_TEST_PG not set)");
        }
    });
    let exe = std::env::current_exe().expect("exe");
    let status = std::process::Command::new(exe)
        .env("THUTUC_BENCH_EXPORT_DB", &path)
        .status()
        .expect("export child");
    assert!(status.success());
}
