//! In-process search throughput over an existing on-disk index (the one a server built), with
//! the same queries and thread count as an HTTP load test, for the HTTP / in-process ratio.
//!
//! ```text
//! cargo run --release -p thutuc-search --example throughput -- INDEX_DIR QUERIES_FILE [THREADS] [SECONDS] [LIMIT]
//! ```
//! QUERIES_FILE holds one query per line. Prints `inprocess_qps=…` and latency percentiles.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use thutuc_search::{SearchConfig, SearchIndex, SearchRequest};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        eprintln!("usage: throughput INDEX_DIR QUERIES_FILE [THREADS] [SECONDS] [LIMIT]");
        std::process::exit(2);
    }
    let threads: usize = args.get(3).and_then(|v| v.parse().ok()).unwrap_or(2);
    let secs: f64 = args.get(4).and_then(|v| v.parse().ok()).unwrap_or(10.0);
    let limit: usize = args.get(5).and_then(|v| v.parse().ok()).unwrap_or(20);
    let idx = SearchIndex::open(SearchConfig {
        dir: Some(args[1].clone().into()),
        writer_threads: 1,
        writer_memory: 16 * 1024 * 1024,
        ..Default::default()
    })
    .expect("open index");
    // The first search decodes the per-segment data (facet arrays, text groups), as a
    // server's first commit does: timed on its own.
    let t = Instant::now();
    let _ = idx.search(&SearchRequest::new("", 1));
    eprintln!(
        "per-segment data built in {:.0} ms: segments grouped by text {}, by agencies {}, {:.1} MB",
        t.elapsed().as_secs_f64() * 1000.0,
        idx.grouped_segments()[0],
        idx.grouped_segments()[1],
        idx.derived_bytes() as f64 / 1e6
    );
    let text = std::fs::read_to_string(&args[2]).expect("queries");
    let qs: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    eprintln!(
        "{} docs, {} queries, {threads} threads",
        idx.num_docs(),
        qs.len()
    );
    for q in qs.iter().take(200) {
        let _ = idx.search(&SearchRequest::new(*q, limit));
    }
    let next = AtomicUsize::new(0);
    let deadline = Instant::now() + Duration::from_secs_f64(secs);
    let t = Instant::now();
    let mut lat: Vec<Duration> = std::thread::scope(|s| {
        let hs: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut lat = Vec::new();
                    while Instant::now() < deadline {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let t = Instant::now();
                        let r = idx.search(&SearchRequest::new(qs[i % qs.len()], limit));
                        lat.push(t.elapsed());
                        assert!(r.is_ok());
                    }
                    lat
                })
            })
            .collect();
        hs.into_iter()
            .flat_map(|h| h.join().expect("thread"))
            .collect()
    });
    let elapsed = t.elapsed().as_secs_f64();
    lat.sort();
    let at = |p: f64| lat[((lat.len() - 1) as f64 * p).round() as usize].as_secs_f64() * 1000.0;
    println!(
        "inprocess_qps={:.0} queries={} p50_ms={:.2} p99_ms={:.2}",
        lat.len() as f64 / elapsed,
        lat.len(),
        at(0.5),
        at(0.99)
    );
}
