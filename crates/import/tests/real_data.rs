//! Every importer over the real files in `data/tthc/`, with values checked against the
//! published pages (see data/README.md and the domain guide §3).

use std::collections::BTreeSet;

use thutuc_domain::procedure::{ChannelMethod, Duration, FeeKind, TimeUnit};
use thutuc_import::{
    ParsedRecord, Rejection, open, parse_quality, read_csdl_xlsx, read_portal_json,
    read_portal_pages, read_structured,
};

const DATA: &str = "/work/main/data/tthc";

fn split(all: Vec<Result<ParsedRecord, Rejection>>) -> (Vec<ParsedRecord>, Vec<Rejection>) {
    let mut ok = Vec::new();
    let mut bad = Vec::new();
    for r in all {
        match r {
            Ok(x) => ok.push(x),
            Err(e) => bad.push(e),
        }
    }
    (ok, bad)
}

/// The portal pages, parsed once for all tests of this binary.
fn portal_pages() -> &'static [ParsedRecord] {
    static PAGES: std::sync::OnceLock<Vec<ParsedRecord>> = std::sync::OnceLock::new();
    PAGES.get_or_init(|| {
        let (ok, bad) = split(
            read_portal_pages(open(format!("{DATA}/portal-pages.jsonl.gz")).expect("open"))
                .collect(),
        );
        assert!(bad.is_empty(), "{bad:?}");
        ok
    })
}

fn find<'a>(recs: &'a [ParsedRecord], code: &str) -> &'a ParsedRecord {
    recs.iter()
        .find(|r| r.code.as_str() == code)
        .unwrap_or_else(|| panic!("{code} missing"))
}

fn wd(v: f64) -> Option<Duration> {
    Some(Duration {
        value: v,
        unit: TimeUnit::WorkingDay,
    })
}

#[test]
fn all_532_portal_pages_parse_without_rejection() {
    let recs = portal_pages();
    assert_eq!(recs.len(), 532);
    assert_eq!(
        recs.iter()
            .filter(|r| r.publisher_hint.as_deref() == Some("bo-tu-phap"))
            .count(),
        271
    );
    assert!(
        recs.iter()
            .all(|r| r.content.source_text.contains_key("cach_thuc_thuc_hien"))
    );
}

#[test]
fn at_least_98_percent_of_portal_pages_have_every_channel_time_and_fee_structured() {
    let recs = portal_pages();
    let q = parse_quality(recs);
    assert_eq!(q.total, 532);
    assert!(q.share() >= 0.98, "{q:#?}");
}

#[test]
fn online_channel_of_1_000802_takes_10_working_days_for_500000_dong() {
    let recs = portal_pages();
    let r = find(recs, "1.000802");
    let online = r
        .content
        .channels
        .iter()
        .find(|c| c.method == ChannelMethod::Online)
        .expect("online");
    assert_eq!(online.time, wd(10.0));
    assert_eq!(online.fees[0].amount, Some(500_000));
    assert_eq!(online.fees[0].currency, "VND");
}

#[test]
fn direct_channel_of_2_000975_has_no_time_and_costs_10_usd_per_copy() {
    let recs = portal_pages();
    let r = find(recs, "2.000975");
    let direct = &r.content.channels[0];
    assert_eq!(direct.method, ChannelMethod::Direct);
    assert_eq!(direct.time, None);
    assert_eq!(
        (
            direct.fees[0].amount,
            direct.fees[0].currency.as_str(),
            direct.fees[0].per.as_deref()
        ),
        (Some(10), "USD", Some("bản"))
    );
}

#[test]
fn unit_less_time_of_1_000080_is_kept_as_unknown_and_flagged() {
    let recs = portal_pages();
    let r = find(recs, "1.000080");
    assert!(r.content.channels.iter().all(|c| c.time
        == Some(Duration {
            value: 7.0,
            unit: TimeUnit::Unknown
        })));
    assert!(
        r.problems
            .iter()
            .any(|p| p.message.starts_with("unit-unknown"))
    );
    // "Miễn phí" whose text says the provincial council sets the fee is not simply free.
    assert!(
        r.content
            .channels
            .iter()
            .all(|c| c.fees[0].amount == Some(0) && c.fees[0].defined_elsewhere)
    );
    assert_eq!(r.decision_no.as_deref(), Some("163/QĐ-BTP"));
    assert_eq!(
        r.content.results[0].kq_code.as_deref(),
        Some("KQ.G15.000033")
    );
}

#[test]
fn all_three_channels_of_1_000390_take_5_working_days_and_are_free() {
    let recs = portal_pages();
    let r = find(recs, "1.000390");
    assert_eq!(r.content.channels.len(), 3);
    for c in &r.content.channels {
        assert_eq!(c.time, wd(5.0));
        assert_eq!(c.fees.len(), 1);
        assert_eq!(c.fees[0].amount, Some(0));
    }
    let numbers: Vec<_> = r
        .content
        .legal_bases
        .iter()
        .filter_map(|b| b.number.as_deref())
        .collect();
    assert_eq!(numbers, vec!["01/2010/TT-BTP", "30/2025/TT-BTP"]);
}

#[test]
fn portal_json_sample_parses_with_calendar_and_working_day_cases() {
    let (recs, bad) = split(
        read_portal_json(open(format!("{DATA}/portal-api-sample.jsonl")).expect("open")).collect(),
    );
    assert!(bad.is_empty(), "{bad:?}");
    assert_eq!(recs.len(), 5);
    let r = find(&recs, "1.012648");
    assert!(r.content.channels.iter().all(|c| c.time
        == Some(Duration {
            value: 30.0,
            unit: TimeUnit::CalendarDay
        })));
    let r = find(&recs, "1.004500");
    let times: BTreeSet<_> = r
        .content
        .dossier
        .iter()
        .filter_map(|d| d.time.as_ref())
        .map(|d| (d.value as i64, format!("{:?}", d.unit)))
        .collect();
    assert!(
        times.contains(&(21, "CalendarDay".into())) && times.contains(&(17, "WorkingDay".into())),
        "{times:?}"
    );
    assert!(r.content.non_territorial);
    let kinds: BTreeSet<_> = r.content.channels[0]
        .fees
        .iter()
        .map(|f| format!("{:?}", f.kind))
        .collect();
    assert_eq!(
        kinds,
        BTreeSet::from(["Charge".to_string(), "StateFee".to_string()])
    );
    assert!(
        r.content.channels[0]
            .fees
            .iter()
            .all(|f| f.defined_elsewhere)
    );
    assert_eq!(
        find(&recs, "1.000358").decision_no.as_deref(),
        Some("01/QĐ-BCT")
    );
    assert_eq!(
        find(&recs, "1.000358").content.dossier[0].components[0].templates,
        vec!["GIAHAN.docx"]
    );
}

#[test]
fn structured_bqp_file_parses_and_1_013124_takes_30_working_days_for_free() {
    let (recs, bad) = split(
        read_structured(open(format!("{DATA}/bqp-structured.jsonl.gz")).expect("open")).collect(),
    );
    assert!(bad.is_empty(), "{bad:?}");
    assert_eq!(recs.len(), 207);
    let r = find(&recs, "1.013124");
    let direct = r
        .content
        .channels
        .iter()
        .find(|c| c.method == ChannelMethod::Direct)
        .expect("direct");
    assert_eq!(direct.time, wd(30.0));
    assert_eq!(
        (direct.fees[0].amount, direct.fees[0].kind),
        (Some(0), FeeKind::Charge)
    );
    assert_eq!(r.decision_no.as_deref(), Some("6225/QĐ-BQP"));
    let comp = &r.content.dossier[0].components[0];
    assert_eq!((comp.originals, comp.copies), (1, 0));
    let rows: usize = recs.iter().map(|r| r.content.channels.len()).sum();
    assert_eq!(rows, 462);
    let q = parse_quality(&recs);
    assert!(q.share() >= 0.9, "{q:#?}");
}

#[test]
fn xlsx_lists_have_271_and_261_rows_matching_the_portal_codes() {
    let pages = portal_pages();
    for (file, folder, n) in [
        ("csdl-list-bo-tu-phap.xlsx", "bo-tu-phap", 271),
        (
            "csdl-list-ngan-hang-nha-nuoc.xlsx",
            "ngan-hang-nha-nuoc",
            261,
        ),
    ] {
        let (recs, bad) = split(read_csdl_xlsx(format!("{DATA}/{file}")).expect("xlsx"));
        assert!(bad.is_empty(), "{bad:?}");
        assert_eq!(recs.len(), n, "{file}");
        assert!(
            recs.iter()
                .all(|r| r.detail == thutuc_import::DetailLevel::ListOnly && r.line >= 3)
        );
        let codes: BTreeSet<_> = recs.iter().map(|r| r.code.to_string()).collect();
        let portal: BTreeSet<_> = pages
            .iter()
            .filter(|r| r.publisher_hint.as_deref() == Some(folder))
            .map(|r| r.code.to_string())
            .collect();
        assert_eq!(codes, portal, "{file}");
    }
}
