//! Behaviour of the search index on small hand-made fixtures: ranking rules, lookups,
//! filters and facets, visibility of writes, and hostile input.

use proptest::prelude::*;
use thutuc_domain::procedure::{LegalBasis, Level, ProcedureContent, ProcedureKind, Step};
use thutuc_search::{DocStatus, Filters, IndexDoc, SearchIndex, SearchRequest};
use unicode_normalization::UnicodeNormalization;

fn content(name: &str, sector: &str, levels: &[Level]) -> ProcedureContent {
    ProcedureContent {
        name: name.into(),
        sector: sector.into(),
        levels: levels.iter().copied().collect(),
        ..Default::default()
    }
}

fn doc(code: &str, owner: &str, c: &ProcedureContent) -> IndexDoc {
    IndexDoc::from_content(code, ProcedureKind::External, owner, c, DocStatus::InForce)
}

fn fixture() -> SearchIndex {
    let idx = SearchIndex::in_memory().expect("index");
    let mut khai_sinh = content("Thủ tục đăng ký khai sinh", "Hộ tịch", &[Level::Commune]);
    khai_sinh.legal_bases.push(LegalBasis {
        number: Some("123/2015/NĐ-CP".into()),
        title: "Nghị định quy định chi tiết một số điều của Luật Hộ tịch".into(),
        article: None,
    });
    let mut far_apart = content(
        "Cấp giấy phép khai thác tài nguyên phục vụ sinh hoạt",
        "Tài nguyên",
        &[Level::Province],
    );
    far_apart.steps.push(Step {
        title: String::new(),
        description: "Nộp hồ sơ khai báo".into(),
    });
    let docs = vec![
        doc("1.001193", "bo-tu-phap", &khai_sinh),
        doc(
            "1.000894",
            "bo-tu-phap",
            &content("Thủ tục đăng ký kết hôn", "Hộ tịch", &[Level::Commune]),
        ),
        doc("2.000001", "bo-tai-nguyen", &far_apart),
        doc(
            "2.000002",
            "bo-tai-nguyen",
            &content("Đăng kỳ tài liệu lưu trữ", "Lưu trữ", &[Level::Ministry]),
        ),
        doc(
            "2.000003",
            "bo-tai-nguyen",
            &content("Đăng ký tài liệu lưu trữ", "Lưu trữ", &[Level::Ministry]),
        ),
    ];
    for d in &docs {
        idx.upsert(d).expect("upsert");
    }
    idx.commit().expect("commit");
    idx
}

fn codes(idx: &SearchIndex, q: &str) -> Vec<String> {
    idx.search(&SearchRequest::new(q, 10))
        .expect("search")
        .hits
        .into_iter()
        .map(|h| h.code)
        .collect()
}

#[test]
fn an_exact_diacritics_match_ranks_above_a_folded_one() {
    let idx = fixture();
    assert_eq!(codes(&idx, "đăng ký tài liệu")[0], "2.000003");
    assert_eq!(codes(&idx, "đăng kỳ tài liệu")[0], "2.000002");
    let folded = codes(&idx, "dang ky tai lieu");
    assert!(folded.contains(&"2.000002".into()) && folded.contains(&"2.000003".into()));
}

#[test]
fn nfd_queries_behave_exactly_like_nfc() {
    let idx = fixture();
    let nfc = "Đăng ký khai sinh";
    let nfd: String = nfc.nfd().collect();
    let a = idx.search(&SearchRequest::new(nfc, 10)).expect("nfc");
    let b = idx.search(&SearchRequest::new(nfd, 10)).expect("nfd");
    assert_eq!(a.hits, b.hits);
    assert_eq!(a.hits[0].code, "1.001193");
}

#[test]
fn a_phrase_in_the_name_beats_words_far_apart() {
    let idx = fixture();
    assert_eq!(codes(&idx, "khai sinh")[0], "1.001193");
}

#[test]
fn codes_match_exactly_and_by_prefix() {
    let idx = fixture();
    assert_eq!(codes(&idx, "1.001193"), ["1.001193"]);
    let partial = codes(&idx, "1.001");
    assert_eq!(partial, ["1.001193"]);
    assert_eq!(codes(&idx, "2.0000").len(), 3);
}

#[test]
fn legal_document_numbers_match_in_full_and_in_part() {
    let idx = fixture();
    assert_eq!(codes(&idx, "123/2015/NĐ-CP"), ["1.001193"]);
    assert_eq!(codes(&idx, "123/2015/nd-cp"), ["1.001193"]);
    assert_eq!(codes(&idx, "nghị định 123/2015"), ["1.001193"]);
}

#[test]
fn highlights_mark_folded_matches_and_escape_html() {
    let idx = fixture();
    let r = idx
        .search(&SearchRequest::new("dang ky khai sinh", 1))
        .expect("search");
    assert_eq!(
        r.hits[0].highlights.name,
        "Thủ tục <mark>đăng ký khai sinh</mark>"
    );
}

#[test]
fn filters_narrow_hits_and_facets_count_the_other_dimensions() {
    let idx = fixture();
    let mut req = SearchRequest::new("đăng ký", 10);
    req.filters = Filters {
        levels: vec![Level::Commune],
        ..Default::default()
    };
    let r = idx.search(&req).expect("search");
    assert_eq!(r.total, 2);
    assert!(r.hits.iter().all(|h| h.levels == [Level::Commune]));
    // The level facet ignores its own filter, so the ministry alternative stays visible.
    let ministry = r.facets.levels.iter().find(|f| f.value == "ministry");
    assert_eq!(ministry.map(|f| f.count), Some(2));
    let owners: Vec<(&str, u64)> = r
        .facets
        .owner_orgs
        .iter()
        .map(|f| (f.value.as_str(), f.count))
        .collect();
    assert_eq!(owners, [("bo-tu-phap", 2)]);
}

#[test]
fn an_owner_subtree_filter_accepts_a_list_of_organisations() {
    let idx = fixture();
    let mut req = SearchRequest::new("", 10);
    req.filters.owner_orgs = vec!["bo-tai-nguyen".into(), "nowhere".into()];
    assert_eq!(idx.search(&req).expect("search").total, 3);
}

#[test]
fn writes_are_visible_right_after_commit_and_deletes_remove() {
    let idx = fixture();
    let mut d = doc(
        "3.000001",
        "bo-x",
        &content("Cấp thẻ thừa phát lại", "Thừa phát lại", &[]),
    );
    idx.upsert(&d).expect("upsert");
    assert!(codes(&idx, "thua phat lai").is_empty());
    idx.commit().expect("commit");
    assert_eq!(codes(&idx, "thua phat lai"), ["3.000001"]);
    d.status = DocStatus::Abolished;
    idx.upsert(&d).expect("upsert");
    idx.commit().expect("commit");
    let r = idx
        .search(&SearchRequest::new("thua phat lai", 10))
        .expect("search");
    assert_eq!(r.total, 1);
    assert_eq!(r.hits[0].status, DocStatus::Abolished);
    idx.delete("3.000001").expect("delete");
    idx.commit().expect("commit");
    assert!(codes(&idx, "thua phat lai").is_empty());
}

#[test]
fn suggestions_complete_the_last_word_and_codes() {
    let idx = fixture();
    let s = idx.suggest("dang ky kh", 10).expect("suggest");
    assert_eq!(s.len(), 1);
    assert_eq!(s[0].code, "1.001193");
    // What was typed is marked, the unfinished last word by prefix.
    assert!(
        s[0].name_html.ends_with("<mark>đăng ký khai</mark> sinh"),
        "{}",
        s[0].name_html
    );
    assert_eq!(
        idx.suggest("1.0011", 10).expect("suggest")[0].code,
        "1.001193"
    );
    assert!(idx.suggest("   ", 10).expect("suggest").is_empty());
}

#[test]
fn citizen_filler_words_are_optional() {
    let idx = fixture();
    assert_eq!(
        codes(&idx, "làm thủ tục khai sinh như thế nào")[0],
        "1.001193"
    );
}

#[test]
fn hostile_input_gives_a_sensible_answer() {
    let idx = fixture();
    for q in [
        "",
        "   ",
        "\"",
        "khai: sinh",
        "(khai) AND sinh*",
        "*",
        "\u{0000}\u{0007}khai\u{001b}",
        "1.",
        "/",
        "../..",
    ] {
        assert!(idx.search(&SearchRequest::new(q, 10)).is_ok(), "{q:?}");
        assert!(idx.suggest(q, 10).is_ok(), "{q:?}");
    }
    let long = "khai sinh ".repeat(1_000);
    let r = idx.search(&SearchRequest::new(long, 10)).expect("long");
    assert_eq!(r.hits[0].code, "1.001193");
    let mut req = SearchRequest::new("khai", 0);
    req.offset = usize::MAX;
    assert!(idx.search(&req).expect("clamped").hits.is_empty());
}

#[test]
fn an_on_disk_index_survives_reopening() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = thutuc_search::SearchConfig {
        dir: Some(dir.path().to_path_buf()),
        writer_threads: 1,
        writer_memory: 20 * 1024 * 1024,
        search_threads: 1,
    };
    {
        let idx = SearchIndex::open(config.clone()).expect("open");
        idx.upsert(&doc(
            "1.000001",
            "o",
            &content("Đăng ký khai tử", "Hộ tịch", &[]),
        ))
        .expect("upsert");
        idx.commit().expect("commit");
    }
    let idx = SearchIndex::open(config).expect("reopen");
    assert_eq!(codes(&idx, "khai tu"), ["1.000001"]);
}

/// An index directory built with another schema (an older version) is refused with a clear
/// error, not opened.
#[test]
fn an_index_of_another_schema_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut b = tantivy::schema::Schema::builder();
    b.add_text_field("code", tantivy::schema::STRING);
    let mmap = tantivy::directory::MmapDirectory::open(dir.path()).expect("dir");
    tantivy::Index::create(mmap, b.build(), Default::default()).expect("old index");
    let err = SearchIndex::open(thutuc_search::SearchConfig {
        dir: Some(dir.path().to_path_buf()),
        writer_threads: 1,
        writer_memory: 20 * 1024 * 1024,
        search_threads: 1,
    })
    .expect_err("a different schema");
    assert!(
        matches!(err, thutuc_search::SearchError::SchemaMismatch(_)),
        "{err}"
    );
}

fn shared() -> &'static SearchIndex {
    static IDX: std::sync::OnceLock<SearchIndex> = std::sync::OnceLock::new();
    IDX.get_or_init(fixture)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    #[test]
    fn any_string_is_a_valid_query(q in any::<String>(), limit in 0usize..200, offset in 0usize..50) {
        let idx = shared();
        let mut req = SearchRequest::new(q.clone(), limit);
        req.offset = offset;
        prop_assert!(idx.search(&req).is_ok());
        prop_assert!(idx.suggest(&q, limit).is_ok());
    }

    #[test]
    fn vietnamese_looking_strings_are_valid_queries(q in "[a-zđăâêôơưáàảãạéèẻẽẹ0-9 ./:\"()*-]{0,80}") {
        let idx = shared();
        prop_assert!(idx.search(&SearchRequest::new(q.clone(), 10)).is_ok());
        prop_assert!(idx.suggest(&q, 10).is_ok());
    }
}
