//! Statistics and report editions (issue 7) on both backends: a hand-computed first quarter of
//! 2025 whose every number is asserted, the stock identity, drill-down, editions with a
//! correction after freezing, and snapshots of the XLSX cells and the report text.
//!
//! The scenario (Bộ Tư pháp BTP, Bộ Y tế BYT, Hà Nội P01):
//!
//! | decision | issuer | signed | effective | entries | applied |
//! |---|---|---|---|---|---|
//! | 1/QĐ-BTP | BTP | 02/01 | 01/02 | new A, B (Hộ tịch, xã), C (Chứng thực, tỉnh+xã) | 10/01 |
//! | 2/QĐ-BYT | BYT | 20/01 | 01/03 | new D (internal), E (incomplete) (Khám bệnh, tỉnh) | 20/02 (posting late) |
//! | 3/QĐ-BTP | BTP | 10/02 | 15/03 | amended A; replaced F (new code, replaces B) | 12/02 |
//! | 4/QĐ-BTP | BTP | 25/02 | 10/03 | annulled C (published late) | 20/03 (posting late) |
//! | 5/QĐ-UBND | P01 | 20/02 | 20/03 | local re-publication of 3/QĐ-BTP: amended A | 21/02 |
//! | 6/QĐ-BYT | BYT | 05/03 | 01/04 | abolished E; amended D | 06/03 |
//! | 7/QĐ-BTP | BTP | 27/02 | 15/04 | new G — applied after February was frozen | 25/03 (posting late) |

use std::sync::Arc;

use thutuc_domain::calendar::Calendar;
use thutuc_domain::decision::{IssuerKind, PublicationDecision};
use thutuc_domain::params::PublicationRules;
use thutuc_domain::procedure::{Level, ProcedureContent};
use thutuc_domain::version::ChangeKind;
use thutuc_reports::drill::CellRef;
use thutuc_reports::model::{ChangeSection, Counts, Report};
use thutuc_reports::service::{ReportEnv, ReportRequest, build, trend};
use thutuc_reports::{DateBasis, Period, edition};
use thutuc_store::*;
use thutuc_store_tests::contract_tests;
use thutuc_store_tests::fixtures::*;

const A: &str = "1.000001";
const B: &str = "1.000002";
const C: &str = "1.000003";
const D: &str = "1.000004";
const E: &str = "1.000005";
const F: &str = "1.000006";
const G: &str = "1.000007";

fn cal() -> Arc<Calendar> {
    Arc::new(Calendar::default_vn().expect("calendar"))
}

async fn apply_on<S: Store>(s: &S, d: &PublicationDecision, applied: &str) {
    let rec = s.create_decision(d, "tester").await.expect("create");
    let c = cal();
    let t = d.timeliness(&PublicationRules::default(), &|x, n| {
        c.add_working_days(x, n).expect("in range")
    });
    s.apply_decision(&ApplyRequest {
        number: d.number.clone(),
        expected_rev: rec.rev,
        applied_on: self::d(applied),
        timeliness: Some(t),
        dry_run: false,
    })
    .await
    .expect("apply");
}

fn with(name: &str, sector: &str, levels: &[Level]) -> ProcedureContent {
    let mut c = content(name, 10.0);
    c.sector = sector.into();
    c.levels = levels.iter().copied().collect();
    c
}

fn by(issuer: &str, kind: IssuerKind, mut dec: PublicationDecision) -> PublicationDecision {
    dec.issuer_org = issuer.into();
    dec.issuer_kind = kind;
    dec
}

async fn first_quarter<S: Store>(s: &S) {
    seed_orgs(s).await;
    let ht = |n: &str| with(n, "Hộ tịch", &[Level::Commune]);
    let kb = |n: &str| with(n, "Khám bệnh, chữa bệnh", &[Level::Province]);
    let d1 = decision(
        "1/QĐ-BTP",
        "2025-01-02",
        "2025-02-01",
        vec![
            entry(ChangeKind::New, A, Some(ht("Đăng ký khai sinh"))),
            entry(ChangeKind::New, B, Some(ht("Đăng ký kết hôn"))),
            entry(
                ChangeKind::New,
                C,
                Some(with(
                    "Chứng thực bản sao",
                    "Chứng thực",
                    &[Level::Province, Level::Commune],
                )),
            ),
        ],
    );
    apply_on(s, &d1, "2025-01-10").await;
    let mut internal = entry(ChangeKind::New, D, Some(kb("Cấp phép nội bộ")));
    internal.internal = true;
    let mut incomplete = kb("Cấp chứng chỉ hành nghề");
    incomplete.subjects.clear();
    let d2 = decision(
        "2/QĐ-BYT",
        "2025-01-20",
        "2025-03-01",
        vec![internal, entry(ChangeKind::New, E, Some(incomplete))],
    );
    apply_on(s, &by("BYT", IssuerKind::Ministry, d2), "2025-02-20").await;
    let mut replacing = entry(ChangeKind::Replaced, F, Some(ht("Đăng ký kết hôn (mới)")));
    replacing.replaces = Some(code(B));
    let d3 = decision(
        "3/QĐ-BTP",
        "2025-02-10",
        "2025-03-15",
        vec![
            entry(ChangeKind::Amended, A, Some(ht("Đăng ký khai sinh (sửa)"))),
            replacing,
        ],
    );
    apply_on(s, &d3, "2025-02-12").await;
    let d4 = decision(
        "4/QĐ-BTP",
        "2025-02-25",
        "2025-03-10",
        vec![entry(ChangeKind::Annulled, C, None)],
    );
    apply_on(s, &d4, "2025-03-20").await;
    let mut d5 = by(
        "P01",
        IssuerKind::Province,
        decision(
            "5/QĐ-UBND",
            "2025-02-20",
            "2025-03-20",
            vec![entry(
                ChangeKind::Amended,
                A,
                Some(ht("Đăng ký khai sinh (Hà Nội)")),
            )],
        ),
    );
    d5.applies_central = Some("3/QĐ-BTP".into());
    apply_on(s, &d5, "2025-02-21").await;
    let d6 = decision(
        "6/QĐ-BYT",
        "2025-03-05",
        "2025-04-01",
        vec![
            entry(ChangeKind::Abolished, E, None),
            entry(ChangeKind::Amended, D, Some(kb("Cấp phép nội bộ (sửa)"))),
        ],
    );
    apply_on(s, &by("BYT", IssuerKind::Ministry, d6), "2025-03-06").await;
}

async fn late_decision<S: Store>(s: &S) {
    let d7 = decision(
        "7/QĐ-BTP",
        "2025-02-27",
        "2025-04-15",
        vec![entry(
            ChangeKind::New,
            G,
            Some(content("Thủ tục mới G", 5.0)),
        )],
    );
    apply_on(s, &d7, "2025-03-25").await;
}

async fn env<S: Store>(s: &S) -> ReportEnv {
    ReportEnv::load(s, Arc::new(PublicationRules::default()), cal())
        .await
        .expect("env")
}

fn req(p: &str, basis: DateBasis) -> ReportRequest {
    ReportRequest {
        period: Period::parse(p).expect("period"),
        basis,
        scope: None,
    }
}

fn counts(new: i64, amended: i64, replaced: i64, abolished: i64, annulled: i64) -> Counts {
    Counts {
        new,
        amended,
        replaced,
        abolished,
        annulled_included: annulled,
    }
}

fn row(rows: &[thutuc_reports::model::Row], key: &str) -> Counts {
    rows.iter()
        .find(|r| r.key == key)
        .map(|r| r.counts)
        .unwrap_or_else(|| panic!("no row {key} in {rows:?}"))
}

/// totals = sum of every breakdown, and every cell drills down to as many items.
fn assert_partitions(r: &Report, name: &str, s: &ChangeSection) {
    for rows in [&s.by_agency, &s.by_level, &s.by_sector, &s.by_kind] {
        let mut sum = Counts::default();
        for x in rows.iter() {
            sum.new += x.counts.new;
            sum.amended += x.counts.amended;
            sum.replaced += x.counts.replaced;
            sum.abolished += x.counts.abolished;
            sum.annulled_included += x.counts.annulled_included;
        }
        assert_eq!(sum, s.total, "{name}: breakdown sums to the total");
    }
    for (cell, v) in edition::cells(r) {
        if cell.starts_with(name) {
            let items = r
                .drill(&CellRef::parse(&cell).expect("cell"))
                .expect("drill");
            assert_eq!(items.len() as i64, v, "drill-down of {cell}");
        }
    }
}

fn stock(r: &Report) -> [i64; 4] {
    [r.stock.start, r.stock.entered, r.stock.exited, r.stock.end]
}

async fn a_hand_computed_first_quarter_gives_every_number<S: Store>(s: S) {
    first_quarter(&s).await;
    let env = env(&s).await;
    let today = d("2025-06-30");
    let run = |p: &'static str, b: DateBasis| {
        let (s, env) = (s.clone(), env.clone());
        async move { build(&s, &env, &req(p, b), today).await.expect(p) }
    };

    let jan = run("2025-01", DateBasis::Signed).await;
    assert_eq!(jan.national.total, counts(5, 0, 0, 0, 0));
    assert_eq!(row(&jan.national.by_agency, "BTP"), counts(3, 0, 0, 0, 0));
    assert_eq!(row(&jan.national.by_agency, "BYT"), counts(2, 0, 0, 0, 0));
    assert_eq!(row(&jan.national.by_level, "commune").new, 2);
    assert_eq!(row(&jan.national.by_level, "multiple").new, 1);
    assert_eq!(row(&jan.national.by_level, "province").new, 2);
    assert_eq!(row(&jan.national.by_sector, "ho-tich").new, 2);
    assert_eq!(row(&jan.national.by_sector, "chung-thuc").new, 1);
    assert_eq!(row(&jan.national.by_sector, "kham-benh-chua-benh").new, 2);
    assert_eq!(row(&jan.national.by_kind, "external").new, 4);
    assert_eq!(row(&jan.national.by_kind, "internal").new, 1);
    assert_eq!(jan.local.total, Counts::default());
    assert_eq!(stock(&jan), [0, 0, 0, 0], "nothing in force before 01/02");
    let c = &jan.compliance;
    assert_eq!((c.decisions, c.on_time, c.late), (2, 2, 0));
    assert_eq!(
        (c.posted_on_time, c.posted_late),
        (1, 1),
        "2/QĐ-BYT posted after Tết"
    );
    assert_eq!(
        (c.published, c.complete, c.complete_share),
        (5, 4, Some(0.8))
    );
    assert_partitions(&jan, "national", &jan.national);

    let feb = run("2025-02", DateBasis::Signed).await;
    assert_eq!(feb.national.total, counts(0, 1, 1, 1, 1));
    assert_eq!(row(&feb.national.by_agency, "BTP"), counts(0, 1, 1, 1, 1));
    assert_eq!(
        row(&feb.national.by_level, "commune"),
        counts(0, 1, 1, 0, 0)
    );
    assert_eq!(
        row(&feb.national.by_level, "multiple"),
        counts(0, 0, 0, 1, 1)
    );
    assert_eq!(feb.local.total, counts(0, 1, 0, 0, 0));
    assert_eq!(row(&feb.local.by_agency, "P01"), counts(0, 1, 0, 0, 0));
    let replaced = &feb.national.items.iter().find(|i| i.code == F).expect("F");
    assert_eq!(replaced.replaces.as_deref(), Some(B));
    assert_eq!(stock(&feb), [0, 3, 0, 3]);
    assert_eq!(feb.stock.entered_new, 3);
    let c = &feb.compliance;
    assert_eq!((c.decisions, c.on_time, c.late), (3, 2, 1));
    assert_eq!((c.posted_on_time, c.posted_late), (2, 1));
    assert_eq!((c.published, c.complete), (2, 2));
    assert_partitions(&feb, "national", &feb.national);
    assert_partitions(&feb, "local", &feb.local);

    let mar = run("2025-03", DateBasis::Signed).await;
    assert_eq!(mar.national.total, counts(0, 1, 0, 1, 0));
    assert_eq!(
        row(&mar.national.by_kind, "internal"),
        counts(0, 1, 0, 0, 0)
    );
    assert_eq!(
        row(&mar.national.by_kind, "external"),
        counts(0, 0, 0, 1, 0)
    );
    assert_eq!(stock(&mar), [3, 3, 2, 4]);
    let st = &mar.stock;
    assert_eq!(
        (
            st.entered_new,
            st.entered_replacing,
            st.exited_annulled,
            st.exited_replaced
        ),
        (2, 1, 1, 1)
    );
    let exits = mar
        .drill(&CellRef::parse("stock.total.exited").expect("cell"))
        .expect("drill");
    let mut exits: Vec<_> = exits
        .into_iter()
        .map(|i| {
            (
                i.decision_no.unwrap_or_default(),
                i.code.unwrap_or_default(),
            )
        })
        .collect();
    exits.sort();
    assert_eq!(
        exits,
        vec![
            ("3/QĐ-BTP".to_string(), B.to_string()),
            ("4/QĐ-BTP".to_string(), C.to_string())
        ]
    );
    let btp = mar
        .stock
        .by_agency
        .iter()
        .find(|r| r.key == "BTP")
        .expect("BTP");
    assert_eq!(
        (
            btp.start,
            btp.entered,
            btp.exited,
            btp.end,
            btp.reclassified
        ),
        (3, 1, 2, 2, 0)
    );

    let q1 = run("2025-Q1", DateBasis::Signed).await;
    assert_eq!(q1.national.total, counts(5, 2, 1, 2, 1));
    assert_eq!(row(&q1.national.by_agency, "BTP"), counts(3, 1, 1, 1, 1));
    assert_eq!(row(&q1.national.by_agency, "BYT"), counts(2, 1, 0, 1, 0));
    assert_eq!(stock(&q1), [0, 6, 2, 4]);
    let months: Vec<Counts> = q1.trend.iter().map(|p| p.counts).collect();
    assert_eq!(
        months,
        vec![
            counts(5, 0, 0, 0, 0),
            counts(0, 1, 1, 1, 1),
            counts(0, 1, 0, 1, 0)
        ]
    );
    let c = &q1.compliance;
    assert_eq!((c.decisions, c.late, c.posted_late), (6, 1, 2));
    assert_eq!(q1.local.total, counts(0, 1, 0, 0, 0));
    assert_partitions(&q1, "national", &q1.national);

    let mar_eff = run("2025-03", DateBasis::Effective).await;
    assert_eq!(mar_eff.national.total, counts(2, 1, 1, 1, 1));
    assert_eq!(mar_eff.local.total, counts(0, 1, 0, 0, 0));
    assert_eq!(
        stock(&mar_eff),
        stock(&mar),
        "stock does not depend on the basis"
    );

    let hn = build(
        &s,
        &env,
        &ReportRequest {
            scope: Some("P01".into()),
            ..req("2025-02", DateBasis::Signed)
        },
        today,
    )
    .await
    .expect("Hà Nội");
    assert_eq!(hn.national.total, Counts::default());
    assert_eq!(hn.local.total, counts(0, 1, 0, 0, 0));
    assert_eq!(hn.compliance.decisions, 1);
    let unknown = build(
        &s,
        &env,
        &ReportRequest {
            scope: Some("NOPE".into()),
            ..req("2025-02", DateBasis::Signed)
        },
        today,
    )
    .await;
    assert!(matches!(
        unknown,
        Err(thutuc_reports::ReportError::UnknownOrg(_))
    ));
}

async fn stock_snapshots_follow_late_changes_and_agree_with_a_full_scan<S: Store>(s: S) {
    first_quarter(&s).await;
    s.refresh_stats(d("2025-06-30")).await.expect("refresh");
    let total = |v: Vec<StockGroup>| v.iter().map(|g| g.n).sum::<i64>();
    assert_eq!(total(s.stock_at(d("2025-03-31")).await.expect("stock")), 4);
    assert_eq!(total(s.stock_at(d("2025-04-30")).await.expect("stock")), 3);
    late_decision(&s).await;
    let r = s.refresh_stats(d("2025-06-30")).await.expect("refresh");
    assert!(!r.full_rebuild && r.procedures >= 1);
    assert_eq!(total(s.stock_at(d("2025-04-30")).await.expect("stock")), 4);
    assert_eq!(total(s.stock_at(d("2025-05-31")).await.expect("stock")), 4);
    assert_eq!(total(s.stock_at(d("2025-04-14")).await.expect("stock")), 3);
    // Snapshots extend month by month and agree with reading from scratch.
    s.refresh_stats(d("2025-09-15")).await.expect("extend");
    for day in [
        "2025-02-01",
        "2025-03-14",
        "2025-03-15",
        "2025-07-31",
        "2025-08-31",
        "2025-09-10",
    ] {
        let with_snapshots = total(s.stock_at(d(day)).await.expect("stock"));
        let items = s.stock_list(d(day), None, 100, 0).await.expect("list");
        assert_eq!(with_snapshots, items.total, "{day}");
    }
    let btp = s
        .stock_list(d("2025-08-31"), Some(&["BTP".to_string()]), 100, 0)
        .await
        .expect("list");
    let codes: Vec<String> = btp.items.iter().map(|i| i.code.to_string()).collect();
    assert_eq!(codes, vec![A, F, G]);
}

async fn a_correction_after_freezing_creates_a_new_edition_with_a_changelog<S: Store>(s: S) {
    first_quarter(&s).await;
    let env = env(&s).await;
    let feb = req("2025-02", DateBasis::Signed);
    let today = d("2025-03-10");
    let first = edition::freeze(&s, &env, &feb, today, "scheduled")
        .await
        .expect("freeze");
    assert!(matches!(first, EditionOutcome::Created(ref e) if e.edition_no == 1));
    let again = edition::freeze(&s, &env, &feb, today, "scheduled")
        .await
        .expect("again");
    assert!(matches!(again, EditionOutcome::Unchanged(ref e) if e.edition_no == 1));

    late_decision(&s).await;
    let (frozen, no) = edition::frozen_or_live(&s, &env, &feb, d("2025-04-01"))
        .await
        .expect("frozen");
    assert_eq!(
        (no, frozen.national.total.new),
        (Some(1), 0),
        "a frozen report never changes silently"
    );
    let second = edition::freeze(&s, &env, &feb, d("2025-04-05"), "scheduled")
        .await
        .expect("correction");
    let EditionOutcome::Created(e2) = second else {
        panic!("expected a new edition")
    };
    assert_eq!((e2.edition_no, e2.reason.as_str()), (2, "correction"));
    let log: edition::Changelog = serde_json::from_value(e2.changelog).expect("changelog");
    let line = |cell: &str| {
        log.cells
            .iter()
            .find(|l| l.cell == cell)
            .map(|l| (l.before, l.after))
    };
    assert_eq!(line("national.total.new"), Some((0, 1)));
    assert_eq!(line("national.agency.BTP.new"), Some((0, 1)));
    assert_eq!(line("compliance.total.decisions"), Some((3, 4)));
    assert_eq!(line("compliance.total.posted_late"), Some((1, 2)));
    assert_eq!(line("stock.total.end"), None, "G takes effect in April");
    assert_eq!(log.items_added, vec![format!("national new 7/QĐ-BTP {G}")]);
    assert!(log.items_removed.is_empty());
    let all = s.editions(&edition::key_of(&feb)).await.expect("editions");
    assert_eq!(all.len(), 2);
    assert_eq!(
        all[0].body["national"]["total"]["new"], 0,
        "edition 1 is kept as it was"
    );

    // The scheduled job: before the configured day nothing; from it, last month (and the
    // re-checked months) are frozen once.
    let job = edition::EditionJob {
        schedule: edition::EditionSchedule {
            day_of_month: 5,
            recheck_months: 1,
            ..Default::default()
        },
        env: env.clone(),
    };
    assert!(
        edition::ensure_monthly_edition(&s, d("2025-04-04"), &job)
            .await
            .expect("job")
            .is_empty()
    );
    let out = edition::ensure_monthly_edition(&s, d("2025-04-05"), &job)
        .await
        .expect("job");
    assert_eq!(out.len(), 2);
    assert!(matches!(&out[0], EditionOutcome::Created(e) if e.key.period == "2025-03"));
    let out = edition::ensure_monthly_edition(&s, d("2025-04-06"), &job)
        .await
        .expect("job");
    assert!(
        out.iter()
            .all(|o| matches!(o, EditionOutcome::Unchanged(_)))
    );

    // A stale changelog is refused rather than written.
    let stale = s
        .save_edition(&NewEdition {
            key: edition::key_of(&feb),
            previous_no: 1,
            inputs_hash: "other".into(),
            body: serde_json::json!({}),
            changelog: serde_json::json!([]),
            reason: "manual".into(),
        })
        .await;
    assert!(matches!(stale, Err(StoreError::Conflict { .. })));
    assert_eq!(
        s.editions(&edition::key_of(&feb)).await.expect("e").len(),
        2
    );
}

async fn xlsx_cells_and_report_text_match_their_snapshots<S: Store>(s: S) {
    use calamine::{Reader, Xlsx};
    use thutuc_reports::output::{Format, render};
    use thutuc_reports::template::{DocumentParams, ReportTemplate};
    first_quarter(&s).await;
    let env = env(&s).await;
    let r = build(
        &s,
        &env,
        &req("2025-02", DateBasis::Signed),
        d("2025-03-10"),
    )
    .await
    .expect("report");
    let t = ReportTemplate::default_vi().expect("template");
    let doc = DocumentParams {
        place: "Hà Nội".into(),
        date: d("2025-03-10"),
        number: "   ".into(),
        issuer_symbol: "VPCP".into(),
    };
    let bytes = render(&r, &t, &doc, Format::Xlsx).expect("xlsx");
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).expect("open");
    let sheet = wb.worksheet_range("Biểu 1").expect("sheet");
    let cells: Vec<Vec<String>> = sheet
        .rows()
        .map(|row| row.iter().map(|c| c.to_string()).collect())
        .collect();
    let snapshot: Vec<Vec<&str>> = vec![
        vec![
            "Biểu 1. Số thủ tục hành chính được công bố, theo cơ quan",
            "",
            "",
            "",
            "",
            "",
            "",
        ],
        vec!["", "", "", "", "", "", ""],
        vec![
            "STT",
            "Cơ quan",
            "Mới ban hành",
            "Sửa đổi, bổ sung",
            "Thay thế",
            "Bãi bỏ, hủy bỏ",
            "Tổng số",
        ],
        vec!["1", "Bộ Tư pháp", "0", "1", "1", "1", "3"],
        vec!["", "Tổng cộng", "0", "1", "1", "1", "3"],
    ];
    assert_eq!(cells, snapshot);
    let stock = wb.worksheet_range("Biểu 6").expect("stock sheet");
    let last: Vec<String> = stock
        .rows()
        .next_back()
        .expect("row")
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(last, vec!["", "Tổng cộng", "0", "3", "0", "3"]);

    let html = String::from_utf8(render(&r, &t, &doc, Format::Html).expect("html")).expect("utf-8");
    for text in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "<strong>TOÀN QUỐC</strong>",
        "Số:    /BC-VPCP",
        "Hà Nội, ngày 10 tháng 03 năm 2025",
        "Tình hình công bố, công khai thủ tục hành chính tháng 2 năm 2025",
        "Số liệu tính theo ngày ký quyết định công bố (mặc định).",
        "Trong tháng 2 năm 2025, đã công bố 0 thủ tục hành chính mới ban hành, 1 thủ tục sửa đổi, bổ sung, 1 thủ tục thay thế và 1 thủ tục bãi bỏ (trong đó 1 thủ tục hủy bỏ).",
        "(1 lượt)",
        "đầu kỳ: 0; tăng trong kỳ: 3; giảm trong kỳ: 0; cuối kỳ: 3.",
        "Trong kỳ có 3 quyết định công bố, trong đó 1 quyết định ban hành chậm so với thời hạn và 1 quyết định cập nhật vào Cơ sở dữ liệu quốc gia quá thời hạn. Tỷ lệ thủ tục được công bố có đầy đủ các bộ phận theo quy định: 100,0%.",
        "Nơi nhận:",
        "role=\"img\"",
    ] {
        assert!(html.contains(text), "report text lacks «{text}»");
    }
    let docx = render(&r, &t, &doc, Format::Docx).expect("docx");
    let xml = zip_reader(&docx);
    assert!(xml.contains("Độc lập - Tự do - Hạnh phúc") && xml.contains("Tổng cộng"));
    let pdf = render(&r, &t, &doc, Format::Pdf).expect("pdf");
    assert!(pdf.starts_with(b"%PDF-"), "a PDF file");
    assert_pdf_text(
        &pdf,
        &[
            "Độc lập - Tự do - Hạnh phúc",
            "Hà Nội, ngày 10 tháng 03 năm 2025",
            "Bộ Tư pháp",
            "Nơi nhận:",
        ],
    );
    let csv = String::from_utf8(render(&r, &t, &doc, Format::Csv).expect("csv")).expect("utf-8");
    assert!(
        csv.contains("national_by_agency,1,Bộ Tư pháp,Sửa đổi, bổ sung,1")
            || csv.contains("national_by_agency,1,Bộ Tư pháp,\"Sửa đổi, bổ sung\",1")
    );
}

/// The dashboard's trend (one grouped query over the fact table) gives, month by month, the
/// same counts as the report engine over the same range, for both date bases, nationally and
/// for one ministry; and a change after the mirror was built shows at the next trend.
async fn the_dashboard_trend_agrees_with_the_report_engine<S: Store>(s: S) {
    first_quarter(&s).await;
    let env = env(&s).await;
    let today = d("2025-06-30");
    let check = |scope: Option<&'static str>, basis: DateBasis| {
        let (s, env) = (s.clone(), env.clone());
        async move {
            let range = ReportRequest {
                period: Period::range(d("2025-01-01"), d("2025-05-31")).expect("range"),
                basis,
                scope: scope.map(str::to_string),
            };
            let engine = build(&s, &env, &range, today).await.expect("report");
            let fast = trend(
                &s,
                &env,
                Period::parse("2025-05").expect("month"),
                5,
                basis,
                scope.map(str::to_string),
            )
            .await
            .expect("trend");
            assert_eq!(fast, engine.trend, "{scope:?} {basis:?}");
            fast
        }
    };
    let national = check(None, DateBasis::Signed).await;
    let feb = &national[1];
    assert_eq!(feb.month, "2025-02");
    assert_eq!(
        feb.counts,
        counts(0, 1, 1, 1, 1),
        "local re-publication not counted"
    );
    check(None, DateBasis::Effective).await;
    check(Some("BTP"), DateBasis::Signed).await;
    check(Some("BYT"), DateBasis::Effective).await;
    late_decision(&s).await;
    let after = check(None, DateBasis::Signed).await;
    assert_eq!(
        after[1].counts,
        counts(1, 1, 1, 1, 1),
        "7/QĐ-BTP signed 27/02"
    );
    assert!(matches!(
        trend(
            &s,
            &env,
            Period::parse("2025-05").expect("m"),
            12,
            DateBasis::Signed,
            Some("NOPE".into()),
        )
        .await,
        Err(thutuc_reports::ReportError::UnknownOrg(_))
    ));
}

/// Checks the text of a PDF with poppler's `pdftotext` (installed by `.ci/run`; where it is
/// missing only the structure is checked, and the skip is printed).
fn assert_pdf_text(pdf: &[u8], needles: &[&str]) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("r.pdf");
    std::fs::write(&path, pdf).expect("write pdf");
    let out = match std::process::Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
    {
        Ok(o) if o.status.success() => o,
        Ok(o) => panic!("pdftotext failed: {}", String::from_utf8_lossy(&o.stderr)),
        Err(_) => {
            eprintln!("pdftotext not installed: PDF text not checked");
            return;
        }
    };
    // pdftotext may break lines inside a paragraph; compare with whitespace collapsed.
    let text: String = String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for n in needles {
        assert!(text.contains(n), "PDF text lacks «{n}»: {text}");
    }
}

/// The text of `word/document.xml` in a DOCX.
fn zip_reader(bytes: &[u8]) -> String {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    let mut f = z.by_name("word/document.xml").expect("document part");
    let mut s = String::new();
    std::io::Read::read_to_string(&mut f, &mut s).expect("read");
    s
}

contract_tests!(
    a_hand_computed_first_quarter_gives_every_number,
    stock_snapshots_follow_late_changes_and_agree_with_a_full_scan,
    a_correction_after_freezing_creates_a_new_edition_with_a_changelog,
    xlsx_cells_and_report_text_match_their_snapshots,
    the_dashboard_trend_agrees_with_the_report_engine,
);

/// Every migration creates the same tables and columns on both backends.
#[tokio::test]
async fn every_table_has_the_same_columns_on_both_backends() {
    use sqlx::Row;
    let Some((pg, guard)) = thutuc_store_tests::postgres().await else {
        eprintln!("skipped: THUTUC_TEST_PG not set");
        return;
    };
    let (lite, _dir) = thutuc_store_tests::sqlite().await;
    let tables: Vec<String> = sqlx::query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx%' ORDER BY name",
    )
    .fetch_all(lite.pool())
    .await
    .expect("sqlite tables")
    .iter()
    .map(|r| r.get::<String, _>(0))
    .collect();
    let pg_tables: Vec<String> = sqlx::query(
        "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' AND table_name NOT LIKE '_sqlx%' ORDER BY table_name",
    )
    .fetch_all(pg.pool())
    .await
    .expect("pg tables")
    .iter()
    .map(|r| r.get::<String, _>(0))
    .collect();
    assert_eq!(tables, pg_tables, "the same tables on both backends");
    for table in &tables {
        let a: Vec<String> = sqlx::query(&format!(
            "SELECT name FROM pragma_table_info('{table}') ORDER BY cid"
        ))
        .fetch_all(lite.pool())
        .await
        .expect("sqlite columns")
        .iter()
        .map(|r| r.get::<String, _>(0))
        .collect();
        let b: Vec<String> = sqlx::query(
            "SELECT column_name::text FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position",
        )
        .bind(table)
        .fetch_all(pg.pool())
        .await
        .expect("pg columns")
        .iter()
        .map(|r| r.get::<String, _>(0))
        .collect();
        assert!(!a.is_empty(), "{table} exists");
        assert_eq!(a, b, "{table}");
    }
    guard.drop_db(pg).await;
}

/// A full rebuild claimed by another server (a live lease in `stats_state`) is waited for, not
/// run alongside (two rebuilds would add every snapshot cell twice); a lease that expired (the
/// other server died) is taken over. SQLite, with the claim written by hand.
#[tokio::test]
async fn a_rebuild_claimed_elsewhere_is_waited_for_and_taken_over_when_its_lease_expires() {
    let (s, _dir) = thutuc_store_tests::sqlite().await;
    first_quarter(&s).await;
    let claim = |until: chrono::DateTime<chrono::Utc>| {
        sqlx::query(
            "UPDATE stats_state SET watermark = NULL, rebuild_by = 'other-server', rebuild_until = $1 WHERE id = 1",
        )
        .bind(until)
        .execute(s.pool())
    };
    claim(chrono::Utc::now() + chrono::Duration::seconds(60))
        .await
        .expect("claim");
    let waiting = tokio::time::timeout(
        std::time::Duration::from_millis(2500),
        s.refresh_stats(d("2025-06-30")),
    )
    .await;
    assert!(waiting.is_err(), "still waiting for the other server");
    let spans: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM stats_spans")
        .fetch_one(s.pool())
        .await
        .expect("count");
    assert_eq!(spans, 0, "nothing mirrored alongside the other rebuild");
    claim(chrono::Utc::now() - chrono::Duration::seconds(1))
        .await
        .expect("expire");
    let r = s.refresh_stats(d("2025-06-30")).await.expect("take over");
    assert!(r.full_rebuild);
    let total = |v: Vec<StockGroup>| v.iter().map(|g| g.n).sum::<i64>();
    assert_eq!(total(s.stock_at(d("2025-03-31")).await.expect("stock")), 4);
    let by: Option<String> = sqlx::query_scalar("SELECT rebuild_by FROM stats_state WHERE id = 1")
        .fetch_one(s.pool())
        .await
        .expect("state");
    assert_eq!(by, None, "the claim is released");
}
