//! Side-by-side comparison of thutuc-search (tantivy) with SQLite FTS5 (`unicode61
//! remove_diacritics 2`) and, when `THUTUC_TEST_PG` is set, PostgreSQL full-text search with
//! `unaccent`: same records, same judged queries, same top-10 cut. Prints a markdown table.
//!
//! ```text
//! THUTUC_TEST_PG=postgres://postgres@127.0.0.1:5432/postgres \
//!   cargo run --release -p thutuc-search --example compare
//! ```
//!
//! Both SQL baselines get the same query strategy as the index: every word required, and if
//! nothing matches, any word; words are quoted so user input cannot break the query syntax.

#[path = "../tests/common/judged.rs"]
mod judged;
#[path = "../tests/common/real_data.rs"]
mod real_data;

use std::time::{Duration, Instant};

use sqlx::Row;
use thutuc_search::{IndexDoc, SearchIndex, SearchRequest};

const REPEAT: usize = 20;

struct Engine {
    name: String,
    figures: judged::Figures,
    latencies: Vec<Duration>,
    build: Duration,
}

fn pct(v: &mut [Duration], p: f64) -> f64 {
    v.sort();
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v.get(i).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

fn texts(d: &IndexDoc) -> (String, String, String) {
    let mut keys = vec![d.code.clone()];
    keys.extend(d.legal_numbers.iter().cloned());
    keys.extend(d.local_codes.iter().cloned());
    // The agencies count as metadata, as in thutuc's own weights.
    let meta: Vec<&str> = d
        .meta
        .iter()
        .chain(&d.agencies)
        .map(String::as_str)
        .collect();
    (meta.join(" \n "), d.body.join(" \n "), keys.join(" "))
}

/// Quotes every whitespace chunk as an FTS5 phrase (so `:`, `*`, `(` are literal).
fn fts5_query(q: &str, op: &str) -> String {
    q.split_whitespace()
        .map(|w| w.chars().filter(|c| !c.is_control()).collect::<String>())
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
        .collect::<Vec<_>>()
        .join(op)
}

async fn sqlite(docs: &[IndexDoc], set: &[judged::Judged]) -> Result<Engine, sqlx::Error> {
    let pool = sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .connect("sqlite::memory:")
        .await?;
    let start = Instant::now();
    sqlx::query(
        "CREATE VIRTUAL TABLE p USING fts5(code UNINDEXED, name, meta, body, keys, \
         tokenize = 'unicode61 remove_diacritics 2')",
    )
    .execute(&pool)
    .await?;
    let mut tx = pool.begin().await?;
    for d in docs {
        let (meta, body, keys) = texts(d);
        sqlx::query("INSERT INTO p (code, name, meta, body, keys) VALUES (?, ?, ?, ?, ?)")
            .bind(&d.code)
            .bind(&d.name)
            .bind(meta)
            .bind(body)
            .bind(keys)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    let build = start.elapsed();
    let sql =
        "SELECT code FROM p WHERE p MATCH ? ORDER BY bm25(p, 0, 10.0, 2.0, 0.5, 5.0) LIMIT 10";
    let mut latencies = Vec::new();
    let mut results = Vec::new();
    for j in set {
        let mut codes = Vec::new();
        for _ in 0..REPEAT {
            let t = Instant::now();
            codes = Vec::new();
            for op in [" AND ", " OR "] {
                let m = fts5_query(&j.query, op);
                if m.is_empty() {
                    break;
                }
                let rows = sqlx::query(sql).bind(m).fetch_all(&pool).await?;
                codes = rows.iter().map(|r| r.get::<String, _>(0)).collect();
                if !codes.is_empty() {
                    break;
                }
            }
            latencies.push(t.elapsed());
        }
        results.push(codes);
    }
    let mut it = results.into_iter();
    let figures = judged::evaluate(set, |_| it.next().unwrap_or_default());
    Ok(Engine {
        name: "SQLite FTS5 (unicode61 remove_diacritics 2)".into(),
        figures,
        latencies,
        build,
    })
}

async fn postgres(
    url: &str,
    docs: &[IndexDoc],
    set: &[judged::Judged],
) -> Result<Engine, sqlx::Error> {
    let admin = sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .connect(url)
        .await?;
    let db = format!("thutuc_search_cmp_{}", std::process::id());
    sqlx::query(&format!("DROP DATABASE IF EXISTS {db}"))
        .execute(&admin)
        .await?;
    sqlx::query(&format!("CREATE DATABASE {db}"))
        .execute(&admin)
        .await?;
    let db_url = match url.rsplit_once('/') {
        Some((base, _)) => format!("{base}/{db}"),
        None => url.to_string(),
    };
    let result = postgres_in(&db_url, docs, set).await;
    sqlx::query(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"))
        .execute(&admin)
        .await?;
    result
}

async fn postgres_in(
    url: &str,
    docs: &[IndexDoc],
    set: &[judged::Judged],
) -> Result<Engine, sqlx::Error> {
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .connect(url)
        .await?;
    sqlx::query("CREATE EXTENSION IF NOT EXISTS unaccent")
        .execute(&pool)
        .await?;
    let start = Instant::now();
    sqlx::query(
        "CREATE TABLE p (code text PRIMARY KEY, name text, meta text, body text, keys text, v tsvector)",
    )
    .execute(&pool)
    .await?;
    let mut tx = pool.begin().await?;
    for d in docs {
        let (meta, body, keys) = texts(d);
        sqlx::query("INSERT INTO p (code, name, meta, body, keys) VALUES ($1, $2, $3, $4, $5)")
            .bind(&d.code)
            .bind(&d.name)
            .bind(meta)
            .bind(body)
            .bind(keys)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    sqlx::query(
        "UPDATE p SET v = setweight(to_tsvector('simple', unaccent(name)), 'A') \
         || setweight(to_tsvector('simple', unaccent(keys)), 'A') \
         || setweight(to_tsvector('simple', unaccent(meta)), 'B') \
         || setweight(to_tsvector('simple', unaccent(body)), 'D')",
    )
    .execute(&pool)
    .await?;
    sqlx::query("CREATE INDEX p_v ON p USING gin (v)")
        .execute(&pool)
        .await?;
    sqlx::query("ANALYZE p").execute(&pool).await?;
    let build = start.elapsed();
    let strict = "SELECT code FROM p, plainto_tsquery('simple', unaccent($1)) q \
                  WHERE v @@ q ORDER BY ts_rank_cd(v, q) DESC, code LIMIT 10";
    let loose = "SELECT code FROM p, \
                 CAST(replace(CAST(plainto_tsquery('simple', unaccent($1)) AS text), '&', '|') AS tsquery) q \
                 WHERE v @@ q ORDER BY ts_rank_cd(v, q) DESC, code LIMIT 10";
    let mut latencies = Vec::new();
    let mut results = Vec::new();
    for j in set {
        let q: String = j.query.chars().filter(|c| !c.is_control()).collect();
        let mut codes = Vec::new();
        for _ in 0..REPEAT {
            let t = Instant::now();
            codes = Vec::new();
            for sql in [strict, loose] {
                let rows = sqlx::query(sql).bind(&q).fetch_all(&pool).await?;
                codes = rows.iter().map(|r| r.get::<String, _>(0)).collect();
                if !codes.is_empty() {
                    break;
                }
            }
            latencies.push(t.elapsed());
        }
        results.push(codes);
    }
    let mut it = results.into_iter();
    let figures = judged::evaluate(set, |_| it.next().unwrap_or_default());
    Ok(Engine {
        name: "PostgreSQL FTS ('simple' + unaccent, ts_rank_cd)".into(),
        figures,
        latencies,
        build,
    })
}

fn tantivy(docs: &[IndexDoc], set: &[judged::Judged]) -> Engine {
    let start = Instant::now();
    let idx = SearchIndex::in_memory().expect("index");
    for d in docs {
        idx.upsert(d).expect("upsert");
    }
    idx.commit().expect("commit");
    let build = start.elapsed();
    let mut latencies = Vec::new();
    let figures = judged::evaluate(set, |q| {
        let mut codes = Vec::new();
        for _ in 0..REPEAT {
            let t = Instant::now();
            let r = idx.search(&SearchRequest::new(q, 10)).expect("search");
            latencies.push(t.elapsed());
            codes = r.hits.into_iter().map(|h| h.code).collect();
        }
        codes
    });
    Engine {
        name: "thutuc-search (tantivy, facets + highlights)".into(),
        figures,
        latencies,
        build,
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let docs = real_data::docs();
    let set = judged::load();
    let mut engines = vec![tantivy(&docs, &set)];
    match sqlite(&docs, &set).await {
        Ok(e) => engines.push(e),
        Err(e) => eprintln!("SQLite FTS5 skipped: {e}"),
    }
    match std::env::var("THUTUC_TEST_PG") {
        Ok(url) => match postgres(&url, &docs, &set).await {
            Ok(e) => engines.push(e),
            Err(e) => eprintln!("PostgreSQL skipped: {e}"),
        },
        Err(_) => eprintln!("PostgreSQL skipped: THUTUC_TEST_PG not set"),
    }
    println!(
        "{} judged queries over {} real procedures, top 10, each query run {REPEAT} times.\n",
        set.len(),
        docs.len()
    );
    println!("| Engine | recall@5 | MRR | p50 ms | p99 ms | mean ms | build ms |");
    println!("|---|---|---|---|---|---|---|");
    let base = engines.first().map_or(1.0, |e| mean(&e.latencies));
    for e in &mut engines {
        let m = mean(&e.latencies);
        println!(
            "| {} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} ({:.1}×) | {} |",
            e.name,
            e.figures.recall5,
            e.figures.mrr,
            pct(&mut e.latencies, 0.5),
            pct(&mut e.latencies, 0.99),
            m,
            m / base,
            e.build.as_millis()
        );
    }
    for e in &engines {
        println!(
            "\nRecall@5 by query kind, {}: {}",
            e.name,
            e.figures.kinds_line()
        );
        println!("\nMisses of {} ({}):", e.name, e.figures.misses.len());
        for (q, exp, got) in &e.figures.misses {
            println!("- `{q}`: expected {exp:?}, top 5 {got:?}");
        }
    }
}

fn mean(v: &[Duration]) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    v.iter().map(Duration::as_secs_f64).sum::<f64>() * 1000.0 / v.len() as f64
}
