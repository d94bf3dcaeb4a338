//! Search quality on real data: the judged query set in `judged_queries.tsv`, built from the
//! records in `data/tthc`, must reach recall@5 ≥ 0.95. Figures are printed (run with
//! `--nocapture`) and recorded in BENCHMARKS.md.

#[path = "common/judged.rs"]
mod judged;
#[path = "common/real_data.rs"]
mod real_data;

use thutuc_search::{SearchIndex, SearchRequest};

#[test]
fn judged_queries_reach_recall_at_5_of_at_least_0_95() {
    let docs = real_data::docs();
    assert!(
        docs.len() > 700,
        "expected the real records, got {}",
        docs.len()
    );
    let idx = SearchIndex::in_memory().expect("index");
    for d in &docs {
        idx.upsert(d).expect("upsert");
    }
    idx.commit().expect("commit");
    let set = judged::load();
    assert!(set.len() >= 60, "judged set too small: {}", set.len());
    let f = judged::evaluate(&set, |q| {
        idx.search(&SearchRequest::new(q, 10))
            .expect("search")
            .hits
            .into_iter()
            .map(|h| h.code)
            .collect()
    });
    for (q, expected, got) in &f.misses {
        println!("MISS {q:?}: expected {expected:?}, top 5 {got:?}");
    }
    println!(
        "tantivy: {} queries over {} procedures, recall@5 = {:.3}, MRR = {:.3}",
        set.len(),
        docs.len(),
        f.recall5,
        f.mrr
    );
    println!("recall@5 by kind: {}", f.kinds_line());
    assert!(f.recall5 >= 0.95, "recall@5 {:.3} < 0.95", f.recall5);
}
