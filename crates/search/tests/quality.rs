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

/// The term-at-a-time executor must return exactly the page tantivy's own boolean scorers
/// return for the same plan: every judged query, with and without filters, plus the edge
/// shapes (nothing typed, fillers only, codes with words, relaxed queries), over several
/// segments with deleted documents.
#[test]
fn the_executor_returns_the_same_pages_as_tantivy() {
    for copies in [false, true] {
        let idx = index_in_segments(copies);
        // Grouped by text only with copies; by agencies either way (real records share them).
        let [text, agencies] = idx.grouped_segments();
        assert_eq!((text > 0, agencies > 0), (copies, true));
        same_pages_as_tantivy(&idx, copies);
    }
}

/// The real records in segments of 200, every 17th deleted; with `copies`, each record also
/// published by three provinces (own code, owner, agencies and localisation), as the
/// national catalogue repeats provincial procedures, so that segments are grouped by text.
fn index_in_segments(copies: bool) -> SearchIndex {
    let docs = real_data::docs();
    let idx = SearchIndex::in_memory().expect("index");
    for chunk in docs.chunks(200) {
        for d in chunk {
            idx.upsert(d).expect("upsert");
            for p in (1..=3).filter(|_| copies) {
                let mut c = d.clone();
                c.code = format!("{}.p{p}", d.code);
                c.owner_org = format!("tinh-{p:02}");
                c.agencies = vec![format!("Ủy ban nhân dân tỉnh số {p}")];
                c.provinces = vec![format!("tinh-{p:02}")];
                idx.upsert(&c).expect("upsert");
            }
        }
        idx.commit().expect("commit");
    }
    for d in docs.iter().step_by(17) {
        idx.delete(&d.code).expect("delete");
        if copies {
            idx.delete(&format!("{}.p2", d.code)).expect("delete");
        }
    }
    idx.commit().expect("commit");
    idx
}

fn same_pages_as_tantivy(idx: &SearchIndex, copies: bool) {
    use thutuc_domain::procedure::Level;
    use thutuc_search::DocStatus;
    let mut queries: Vec<String> = judged::load().into_iter().map(|j| j.query).collect();
    queries.extend(
        [
            "",
            "làm gì",
            "thu tuc",
            "cấp",
            "giay phep xay dung 1.000",
            "khai sinh zzzqqq xxyyzz",
            "đăng ký kết hôn có yếu tố nước ngoài qqqq",
            "123/2015 khai sinh",
        ]
        .map(String::from),
    );
    let mut differing = Vec::new();
    for q in &queries {
        for filtered in [false, true] {
            let mut req = SearchRequest::new(q.as_str(), 10);
            if filtered {
                req.filters.levels = vec![Level::Province];
                req.filters.statuses = vec![DocStatus::InForce];
            }
            let (_, same) = idx.profile(&req).expect("profile");
            if !same {
                differing.push((q.clone(), filtered, copies));
            }
        }
    }
    assert!(differing.is_empty(), "pages differ for {differing:?}");
}

/// Pruning the low-weight terms must not change the page when they decide it: 400
/// procedures whose names hold the query words and grow longer (so their name scores fall),
/// the longer-named ones with the words again and again in their low-weight fields. The page
/// is then made of documents whose name scores alone are below the page's floor; it must be
/// tantivy's. Twice: with every text and list of agencies distinct (nothing is grouped: the
/// low-weight fields are read per document and pruned) and with 40 texts shared by ten
/// procedures each and 7 lists of agencies that repeat the words (read per group).
#[test]
fn low_weight_fields_that_decide_the_page_are_scored() {
    use thutuc_domain::procedure::{Level, ProcedureKind};
    use thutuc_search::{DocStatus, IndexDoc};
    for grouped in [false, true] {
        let idx = SearchIndex::in_memory().expect("index");
        for i in 0..400usize {
            let filler = "thuộc thẩm quyền ủy ban ".repeat(i % 40);
            let words = (i % 40) / 4;
            let own = if grouped {
                String::new()
            } else {
                format!(" số {i}")
            };
            idx.upsert(&IndexDoc {
                code: format!("9.{i:06}"),
                kind: ProcedureKind::External,
                owner_org: format!("org-{}", i % 7),
                status: if i % 13 == 0 {
                    DocStatus::Abolished
                } else {
                    DocStatus::InForce
                },
                name: format!("Cấp giấy phép kinh doanh {filler}{own}"),
                sector: "Thương mại".into(),
                sector_id: "thuong-mai".into(),
                levels: vec![Level::Province],
                local_codes: vec![],
                provinces: vec![],
                meta: vec!["giấy phép kinh doanh ".repeat(words)],
                agencies: vec![format!(
                    "Sở {} {}{own}",
                    i % 7,
                    "cấp giấy phép kinh doanh ".repeat((i % 7) * 10 % 11)
                )],
                legal_numbers: vec![],
                body: vec![format!(
                    "nộp {}",
                    "hồ sơ cấp giấy phép kinh doanh ".repeat(words * 3)
                )],
            })
            .expect("upsert");
            if i % 200 == 199 {
                idx.commit().expect("commit");
            }
        }
        idx.commit().expect("commit");
        let [text, agencies] = idx.grouped_segments();
        assert_eq!((text > 0, agencies > 0), (grouped, grouped));
        for q in ["giay phep kinh doanh", "cấp giấy phép", "kinh doanh"] {
            for limit in [1, 5, 10, 30] {
                let (_, same) = idx.profile(&SearchRequest::new(q, limit)).expect("profile");
                assert!(
                    same,
                    "pages differ for {q:?}, limit {limit}, grouped {grouped}"
                );
            }
        }
    }
}

/// A province that localised a procedure twice counts it once, whether the matches are
/// counted from bitsets (no filters) or document by document (with a filter).
#[test]
fn a_value_listed_twice_counts_its_procedure_once() {
    use thutuc_domain::procedure::{Level, ProcedureKind};
    use thutuc_search::{DocStatus, IndexDoc};
    let idx = SearchIndex::in_memory().expect("index");
    for (i, provinces) in [vec!["tinh-01", "tinh-01"], vec!["tinh-01", "tinh-02"]]
        .into_iter()
        .enumerate()
    {
        idx.upsert(&IndexDoc {
            code: format!("9.00000{i}"),
            kind: ProcedureKind::External,
            owner_org: "BTP".into(),
            status: DocStatus::InForce,
            name: "Đăng ký khai sinh".into(),
            sector: "Hộ tịch".into(),
            sector_id: "ho-tich".into(),
            levels: vec![Level::Commune, Level::Commune],
            local_codes: vec![],
            provinces: provinces.into_iter().map(String::from).collect(),
            meta: vec![],
            agencies: vec![],
            legal_numbers: vec![],
            body: vec![],
        })
        .expect("upsert");
    }
    idx.commit().expect("commit");
    for filtered in [false, true] {
        let mut req = SearchRequest::new("khai sinh", 10);
        if filtered {
            req.filters.statuses = vec![DocStatus::InForce];
        }
        let r = idx.search(&req).expect("search");
        let count = |dim: &[thutuc_search::FacetCount], v: &str| {
            dim.iter().find(|c| c.value == v).map(|c| c.count)
        };
        assert_eq!(
            count(&r.facets.provinces, "tinh-01"),
            Some(2),
            "filtered: {filtered}"
        );
        assert_eq!(count(&r.facets.provinces, "tinh-02"), Some(1));
        assert_eq!(count(&r.facets.levels, "commune"), Some(2));
        let (_, same) = idx.profile(&req).expect("profile");
        assert!(same);
    }
}
