//! Search at national scale: 100,000 procedures generated from the real records (codes varied,
//! province names appended, sectors shuffled; deterministic PRNG), then index build time,
//! index size, process RSS, query and suggest latency over thousands of distinct queries.
//!
//! ```text
//! cargo bench -p thutuc-search --bench search            # 100,000 procedures
//! THUTUC_BENCH_DOCS=20000 cargo bench -p thutuc-search --bench search
//! ```

#[path = "../tests/common/real_data.rs"]
mod real_data;

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use thutuc_domain::procedure::{Level, ProcedureKind};
use thutuc_domain::text::fold;
use thutuc_search::{DocStatus, Filters, IndexDoc, SearchIndex, SearchRequest};

const PROVINCES: [&str; 34] = [
    "Hà Nội",
    "Huế",
    "Lai Châu",
    "Điện Biên",
    "Sơn La",
    "Lạng Sơn",
    "Quảng Ninh",
    "Thanh Hóa",
    "Nghệ An",
    "Hà Tĩnh",
    "Cao Bằng",
    "Tuyên Quang",
    "Lào Cai",
    "Thái Nguyên",
    "Phú Thọ",
    "Bắc Ninh",
    "Hưng Yên",
    "Hải Phòng",
    "Ninh Bình",
    "Quảng Trị",
    "Đà Nẵng",
    "Quảng Ngãi",
    "Gia Lai",
    "Khánh Hòa",
    "Lâm Đồng",
    "Đắk Lắk",
    "Hồ Chí Minh",
    "Đồng Nai",
    "Tây Ninh",
    "Cần Thơ",
    "Vĩnh Long",
    "Đồng Tháp",
    "Cà Mau",
    "An Giang",
];

/// SplitMix64: small, deterministic, good enough for shuffling fixtures.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn generate(templates: &[IndexDoc], n: usize, rng: &mut Rng) -> Vec<IndexDoc> {
    let sectors: Vec<(String, String)> = templates
        .iter()
        .map(|d| (d.sector.clone(), d.sector_id.clone()))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    (0..n)
        .map(|i| {
            let mut d = templates[rng.below(templates.len())].clone();
            let p = rng.below(PROVINCES.len());
            d.code = format!("{}.{:06}", 1 + i % 3, i);
            d.name = format!("{} tại {}", d.name, PROVINCES[p]);
            let (s, sid) = sectors[rng.below(sectors.len())].clone();
            d.sector = s;
            d.sector_id = sid;
            d.owner_org = format!("tinh-{p:02}");
            d.levels = vec![Level::ALL[rng.below(Level::ALL.len())]];
            d.kind = if rng.below(10) == 0 {
                ProcedureKind::Internal
            } else {
                ProcedureKind::External
            };
            d.status = if rng.below(20) == 0 {
                DocStatus::Abolished
            } else {
                DocStatus::InForce
            };
            d.provinces = (0..1 + rng.below(3))
                .map(|_| format!("tinh-{:02}", rng.below(PROVINCES.len())))
                .collect();
            d.local_codes = d
                .provinces
                .iter()
                .map(|p| format!("{}.000.00.00.H{}", d.code, &p[5..]))
                .collect();
            d
        })
        .collect()
}

fn queries(docs: &[IndexDoc], n: usize, rng: &mut Rng) -> Vec<String> {
    let mut out = BTreeSet::new();
    for _ in 0..n * 50 {
        if out.len() >= n {
            break;
        }
        let d = &docs[rng.below(docs.len())];
        let words: Vec<&str> = d.name.split_whitespace().collect();
        let q = match rng.below(10) {
            0 => d.code.clone(),
            1 => d
                .legal_numbers
                .first()
                .cloned()
                .unwrap_or_else(|| d.code.clone()),
            _ => {
                let len = 2 + rng.below(3);
                let start = rng.below(words.len().saturating_sub(len).max(1));
                let phrase = words[start..(start + len).min(words.len())].join(" ");
                if rng.below(2) == 0 {
                    fold(&phrase)
                } else {
                    phrase
                }
            }
        };
        out.insert(q);
    }
    out.into_iter().collect()
}

fn prefixes(docs: &[IndexDoc], n: usize, rng: &mut Rng) -> Vec<String> {
    let mut out = BTreeSet::new();
    for _ in 0..n * 50 {
        if out.len() >= n {
            break;
        }
        let d = &docs[rng.below(docs.len())];
        let folded = fold(&d.name);
        let words: Vec<&str> = folded.split_whitespace().skip(1).collect();
        let full = rng.below(3).min(words.len().saturating_sub(1));
        let mut q = words[..full].join(" ");
        if let Some(next) = words.get(full) {
            let cut: String = next.chars().take(1 + rng.below(4)).collect();
            if !q.is_empty() {
                q.push(' ');
            }
            q.push_str(&cut);
        }
        if !q.is_empty() {
            out.insert(q);
        }
    }
    out.into_iter().collect()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn summary(mut v: Vec<Duration>) -> (f64, f64, f64, f64) {
    v.sort();
    let at = |p: f64| ms(v[((v.len() - 1) as f64 * p).round() as usize]);
    let mean = v.iter().map(|d| ms(*d)).sum::<f64>() / v.len() as f64;
    (at(0.5), at(0.99), mean, ms(v[v.len() - 1]))
}

fn rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn main() {
    let n: usize = std::env::var("THUTUC_BENCH_DOCS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let mut rng = Rng(0x7407_7C00);
    let templates = real_data::docs();
    let docs = generate(&templates, n, &mut rng);
    let rss_before = rss_mb();
    eprintln!("generated {n} docs");

    let t = Instant::now();
    let search_threads: usize = std::env::var("THUTUC_SEARCH_THREADS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| thutuc_search::SearchConfig::default().search_threads);
    let idx = SearchIndex::open(thutuc_search::SearchConfig {
        search_threads,
        ..Default::default()
    })
    .expect("index");
    for d in &docs {
        idx.upsert(d).expect("upsert");
    }
    idx.commit().expect("commit");
    let build = t.elapsed();
    eprintln!("indexed in {build:?}");
    let size = idx.size_bytes().expect("size") as f64 / (1024.0 * 1024.0);
    let qs = queries(&docs, 2_000, &mut rng);
    let ps = prefixes(&docs, 2_000, &mut rng);
    eprintln!("{} queries, {} prefixes", qs.len(), ps.len());
    drop(docs);
    let rss_after = rss_mb();

    for q in qs.iter().take(200) {
        let _ = idx.search(&SearchRequest::new(q.as_str(), 10));
    }
    let mut lat = Vec::with_capacity(qs.len());
    let mut total_hits = 0u64;
    let t_all = Instant::now();
    for q in &qs {
        let t = Instant::now();
        let r = idx
            .search(&SearchRequest::new(q.as_str(), 10))
            .expect("search");
        lat.push(t.elapsed());
        total_hits += r.total;
    }
    eprintln!("queries done");
    let qps1 = qs.len() as f64 / t_all.elapsed().as_secs_f64();

    let threads = std::thread::available_parallelism().map_or(2, usize::from);
    let t_par = Instant::now();
    std::thread::scope(|s| {
        for k in 0..threads {
            let idx = &idx;
            let qs = &qs;
            s.spawn(move || {
                for q in qs.iter().skip(k).step_by(threads) {
                    let _ = idx.search(&SearchRequest::new(q.as_str(), 10));
                }
            });
        }
    });
    let qps_n = qs.len() as f64 / t_par.elapsed().as_secs_f64();

    let mut slat = Vec::with_capacity(ps.len());
    for p in &ps {
        let t = Instant::now();
        let _ = idx.suggest(p, 10).expect("suggest");
        slat.push(t.elapsed());
    }

    // Worst cases for the facet pass: everything matches.
    let mut broad = Vec::new();
    for q in ["", "cấp", "thu tuc", "giay phep"] {
        let mut req = SearchRequest::new(q, 10);
        for _ in 0..20 {
            let t = Instant::now();
            let _ = idx.search(&req).expect("broad");
            broad.push(t.elapsed());
        }
        req.filters = Filters {
            levels: vec![Level::Province],
            owner_orgs: (0..10).map(|p| format!("tinh-{p:02}")).collect(),
            ..Default::default()
        };
        for _ in 0..20 {
            let t = Instant::now();
            let _ = idx.search(&req).expect("broad filtered");
            broad.push(t.elapsed());
        }
    }

    // Fingerprint of every answer (totals, ranked codes, facet counts) so that an
    // optimisation can be checked to return identical results.
    let mut fp = std::collections::hash_map::DefaultHasher::new();
    for q in &qs {
        use std::hash::Hash;
        let r = idx
            .search(&SearchRequest::new(q.as_str(), 10))
            .expect("search");
        r.total.hash(&mut fp);
        r.relaxed.hash(&mut fp);
        for h in &r.hits {
            h.code.hash(&mut fp);
            h.highlights.name.hash(&mut fp);
            h.highlights.other.hash(&mut fp);
        }
        let f = &r.facets;
        for dim in [
            &f.levels,
            &f.sectors,
            &f.owner_orgs,
            &f.kinds,
            &f.statuses,
            &f.provinces,
        ] {
            for c in dim {
                c.value.hash(&mut fp);
                c.count.hash(&mut fp);
            }
        }
    }
    let fingerprint = std::hash::Hasher::finish(&fp);

    // Where the time goes (sums over all queries).
    let mut phases = [Duration::ZERO; 6];
    let mut differing = 0usize;
    for q in &qs {
        let req = SearchRequest::new(q.as_str(), 10);
        let (p, same) = idx.profile(&req).expect("profile");
        differing += usize::from(!same);
        for (a, b) in phases.iter_mut().zip(p) {
            *a += b;
        }
        let t = Instant::now();
        let _ = idx.search(&req).expect("search");
        phases[5] += t.elapsed();
    }
    let per = |d: Duration| ms(d) / qs.len() as f64;

    let (q50, q99, qmean, qmax) = summary(lat);
    let (s50, s99, smean, smax) = summary(slat);
    let (b50, b99, bmean, bmax) = summary(broad);
    println!(
        "Search benchmark: {n} procedures from {} real templates\n",
        templates.len()
    );
    println!("| Measure | Value |");
    println!("|---|---|");
    println!(
        "| Index build ({n} docs, 2 writer threads, in RAM) | {:.1} s |",
        build.as_secs_f64()
    );
    println!("| Index size | {size:.1} MiB |");
    println!(
        "| Process RSS before index / after build | {rss_before:.0} MiB / {rss_after:.0} MiB |"
    );
    println!(
        "| Query p50 / p99 / mean / max ({} distinct queries, one at a time, {search_threads} search threads per query) | {q50:.2} / {q99:.2} / {qmean:.2} / {qmax:.2} ms |",
        qs.len()
    );
    println!(
        "| Query throughput, 1 client thread / {threads} client threads | {qps1:.0} / {qps_n:.0} q/s |"
    );
    println!(
        "| Mean matches per query | {:.0} |",
        total_hits as f64 / qs.len() as f64
    );
    println!(
        "| Mean per query: analyse + plan / tantivy match only / tantivy match + score / tantivy + filters, top-k, facets (before) / term-at-a-time executor, the same (now) / whole search | {:.3} / {:.3} / {:.3} / {:.3} / {:.3} / {:.3} ms |",
        per(phases[0]),
        per(phases[1]),
        per(phases[2]),
        per(phases[3]),
        per(phases[4]),
        per(phases[5])
    );
    println!(
        "| Queries where the two executions' pages differ (total, facet counts, ranking up to ties) | {differing} of {} |",
        qs.len()
    );
    println!("| Result fingerprint | {fingerprint:016x} |");
    println!(
        "| Suggest p50 / p99 / mean / max ({} distinct prefixes) | {s50:.2} / {s99:.2} / {smean:.2} / {smax:.2} ms |",
        ps.len()
    );
    println!(
        "| Broad queries (\"\", \"cấp\", \"thu tuc\", \"giay phep\"; ± filters) p50 / p99 / mean / max | {b50:.2} / {b99:.2} / {bmean:.2} / {bmax:.2} ms |"
    );
}
