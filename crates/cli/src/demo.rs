//! `thutuc demo`: a fresh database with every organisation, the real procedures shipped in
//! `data/tthc/` (embedded in the binary), and a year of publication decisions built on them:
//! the Ministry of Defence's procedures published through their real decision numbers, and
//! monthly amendments and abolitions of Justice and State Bank procedures (dates and changes
//! are illustrative and deterministic), plus open drafts and provincial localisations.

use std::io::{BufReader, Cursor};

use chrono::{Datelike, Duration, NaiveDate};
use thutuc_domain::decision::{DecisionEntry, IssuerKind, PublicationDecision};
use thutuc_domain::procedure::{Channel, ChannelMethod, LegalBasis, ProcedureContent, TimeUnit};
use thutuc_domain::version::{ChangeKind, VersionStatus};
use thutuc_import::apply::{ImportOptions, import_records};
use thutuc_import::{ParsedRecord, Rejection};
use thutuc_store::{
    ApplyRequest, LocalOverrides, Localisation, NewDraft, ProcedureFilter, ProcedureStore, Store,
};

use crate::config::Config;

const PORTAL_PAGES: &[u8] = include_bytes!("../../../data/tthc/portal-pages.jsonl.gz");
const PORTAL_JSON: &[u8] = include_bytes!("../../../data/tthc/portal-api-sample.jsonl");
const STRUCTURED: &[u8] = include_bytes!("../../../data/tthc/bqp-structured.jsonl.gz");
const XLSX_BTP: &[u8] = include_bytes!("../../../data/tthc/csdl-list-bo-tu-phap.xlsx");
const XLSX_NHNN: &[u8] = include_bytes!("../../../data/tthc/csdl-list-ngan-hang-nha-nuoc.xlsx");

/// Demo accounts: e-mail, name, organisation, role.
pub const ACCOUNTS: [(&str, &str, &str, &str); 6] = [
    ("admin@thutuc.local", "Quản trị hệ thống", "CP", "admin"),
    (
        "tocongtac@vpcp.gov.vn",
        "Tổ công tác cải cách TTHC",
        "VPCP",
        "oversight",
    ),
    (
        "canbo@moj.gov.vn",
        "Cán bộ kiểm soát TTHC, Bộ Tư pháp",
        "BTP",
        "officer",
    ),
    (
        "lanhdao@moj.gov.vn",
        "Lãnh đạo Văn phòng Bộ Tư pháp",
        "BTP",
        "leader",
    ),
    (
        "canbo@hanoi.gov.vn",
        "Cán bộ kiểm soát TTHC, UBND TP Hà Nội",
        "P01",
        "officer",
    ),
    (
        "lanhdao@hanoi.gov.vn",
        "Lãnh đạo Văn phòng UBND TP Hà Nội",
        "P01",
        "leader",
    ),
];

/// The demo password of every account.
pub const PASSWORD: &str = "thutuc-demo";

/// A small deterministic generator (SplitMix64), so every demo is the same.
pub struct Rng(u64);

impl Rng {
    /// Seeded generator.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }
    /// Next value.
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn gz(bytes: &'static [u8]) -> BufReader<flate2::read::GzDecoder<&'static [u8]>> {
    BufReader::new(flate2::read::GzDecoder::new(bytes))
}

/// Every embedded real record, in import order (lists last: they never overwrite detail).
pub fn real_records() -> anyhow::Result<Vec<Result<ParsedRecord, Rejection>>> {
    let mut out: Vec<Result<ParsedRecord, Rejection>> =
        thutuc_import::read_portal_pages(gz(PORTAL_PAGES)).collect();
    out.extend(thutuc_import::read_portal_json(BufReader::new(PORTAL_JSON)));
    out.extend(thutuc_import::xlsx::read_csdl_xlsx_from(
        Cursor::new(XLSX_BTP),
        "csdl-list-bo-tu-phap.xlsx",
    )?);
    out.extend(thutuc_import::xlsx::read_csdl_xlsx_from(
        Cursor::new(XLSX_NHNN),
        "csdl-list-ngan-hang-nha-nuoc.xlsx",
    )?);
    Ok(out)
}

/// The Ministry of Defence's structured records, published in the demo through decisions.
pub fn defence_records() -> Vec<ParsedRecord> {
    thutuc_import::read_structured(gz(STRUCTURED))
        .filter_map(Result::ok)
        .collect()
}

fn first_of_month(d: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(d.year(), d.month(), 1).unwrap_or(d)
}

fn add_months(d: NaiveDate, m: i32) -> NaiveDate {
    let total = d.year() * 12 + d.month0() as i32 + m;
    NaiveDate::from_ymd_opt(
        total.div_euclid(12),
        total.rem_euclid(12) as u32 + 1,
        d.day().min(28),
    )
    .unwrap_or(d)
}

/// An illustrative amendment: shorter working-day limits, an online channel, a new legal basis.
pub fn amend(c: &ProcedureContent, rng: &mut Rng, circular: &str) -> ProcedureContent {
    let mut n = c.clone();
    for ch in &mut n.channels {
        if let Some(t) = &mut ch.time
            && t.unit == TimeUnit::WorkingDay
            && t.value >= 3.0
        {
            t.value = (t.value * (0.6 + 0.1 * rng.below(3) as f64))
                .round()
                .max(1.0);
        }
    }
    if rng.below(2) == 0
        && !n
            .channels
            .iter()
            .any(|ch| ch.method == ChannelMethod::Online)
        && let Some(direct) = n.channels.first().cloned()
    {
        n.channels.push(Channel {
            method: ChannelMethod::Online,
            description: "Nộp hồ sơ qua Cổng Dịch vụ công quốc gia.".into(),
            ..direct
        });
    }
    n.legal_bases.push(LegalBasis {
        number: Some(circular.to_string()),
        title: "Thông tư sửa đổi, bổ sung quy định về thủ tục hành chính".into(),
        article: None,
    });
    if n == *c {
        n.requirements.push_str("\nHồ sơ được tiếp nhận và trả kết quả điện tử khi người yêu cầu có tài khoản định danh điện tử.");
    }
    n
}

struct Issuer {
    org: &'static str,
    symbol: &'static str,
}

async fn publish<S: Store>(
    s: &S,
    cfg: &Config,
    cal: &thutuc_domain::calendar::Calendar,
    d: PublicationDecision,
) -> anyhow::Result<()> {
    let rec = s.create_decision(&d, "demo").await?;
    let t = d.timeliness(&cfg.publication, &|x, n| {
        cal.add_working_days(x, n).unwrap_or(x)
    });
    s.apply_decision(&ApplyRequest {
        number: d.number.clone(),
        expected_rev: rec.rev,
        applied_on: d.signed_on + Duration::days(2),
        timeliness: Some(t),
        dry_run: false,
    })
    .await
    .map_err(|e| anyhow::anyhow!("{}: {e}", d.number))?;
    Ok(())
}

/// Builds the demo catalogue in `s` (which must be empty). Returns a short report.
pub async fn build<S: Store>(s: &S, cfg: &Config, today: NaiveDate) -> anyhow::Result<String> {
    crate::seed::load_reference(s).await?;
    let cal = cfg.calendar()?;
    let base = NaiveDate::from_ymd_opt(2025, 6, 1).unwrap_or(today);
    let summary = import_records(
        s,
        real_records()?,
        &ImportOptions {
            partial: true,
            owner: None,
            valid_from: base,
            dry_run: false,
            scope: None,
        },
    )
    .await?;
    let mut report = format!("Thủ tục thật / real procedures: {}\n", summary.line());
    let mut rng = Rng::new(20_251_125);
    let start = first_of_month(add_months(today, -11));

    // 1. Ministry of Defence: publish its real procedures through their real decision numbers.
    let mut groups: std::collections::BTreeMap<String, Vec<ParsedRecord>> =
        std::collections::BTreeMap::new();
    for r in defence_records() {
        let number = r
            .decision_no
            .clone()
            .filter(|n| n.contains("/QĐ-"))
            .unwrap_or_else(|| "6225/QĐ-BQP".into());
        groups.entry(number).or_default().push(r);
    }
    for (i, (number, recs)) in groups.into_iter().enumerate() {
        let signed = add_months(start, (i % 12) as i32) + Duration::days((3 + i * 5 % 20) as i64);
        let entries = recs
            .into_iter()
            .map(|r| DecisionEntry {
                kind: ChangeKind::New,
                name: r.content.name.clone(),
                code: r.code,
                legal_document: r.content.legal_bases.first().and_then(|b| b.number.clone()),
                effective_date: None,
                changed_components: vec![],
                internal: false,
                replaces: None,
                content: Some(r.content),
            })
            .collect();
        let effective = signed + Duration::days(if i % 4 == 0 { 10 } else { 25 });
        let d = PublicationDecision {
            number: number.clone(),
            title: format!(
                "Quyết định {number} về việc công bố thủ tục hành chính mới ban hành trong lĩnh vực quốc phòng"
            ),
            signed_on: signed,
            effective_on: effective,
            issuer_org: "BQP".into(),
            issuer_kind: IssuerKind::Ministry,
            shortened: false,
            applies_central: None,
            entries,
        };
        publish(s, cfg, &cal, d).await?;
    }

    // 2. Monthly amendments and some abolitions by the Ministry of Justice and the State Bank.
    let issuers = [
        Issuer {
            org: "BTP",
            symbol: "BTP",
        },
        Issuer {
            org: "NHNN",
            symbol: "NHNN",
        },
    ];
    let mut abolished = std::collections::BTreeSet::new();
    for (ii, issuer) in issuers.iter().enumerate() {
        let pool = s
            .list_procedures(&ProcedureFilter {
                owner_orgs: Some(vec![issuer.org.into()]),
                limit: 500,
                ..Default::default()
            })
            .await?
            .items
            .into_iter()
            .filter(|p| p.current_seq.is_some() && !p.abolished)
            .map(|p| p.code)
            .collect::<Vec<_>>();
        if pool.is_empty() {
            continue;
        }
        for m in 0..12 {
            let signed = add_months(start, m) + Duration::days(4 + 7 * ii as i64);
            if signed > today {
                break;
            }
            let mut entries = Vec::new();
            let n = 2 + rng.below(5);
            let circular = format!("{:02}/{}/TT-{}", 1 + m, signed.year(), issuer.symbol);
            for _ in 0..n {
                let code = pool[rng.below(pool.len())].clone();
                if abolished.contains(&code)
                    || entries.iter().any(|e: &DecisionEntry| e.code == code)
                {
                    continue;
                }
                let cur = s.current_version(&code).await?;
                if cur.content.channels.is_empty() {
                    continue;
                }
                let abolish = m % 4 == 3 && entries.iter().all(|e| e.kind != ChangeKind::Abolished);
                if abolish {
                    abolished.insert(code.clone());
                    entries.push(DecisionEntry {
                        kind: ChangeKind::Abolished,
                        name: cur.content.name.clone(),
                        code,
                        legal_document: Some(circular.clone()),
                        effective_date: None,
                        changed_components: vec![],
                        internal: false,
                        replaces: None,
                        content: None,
                    });
                } else {
                    let content = amend(&cur.content, &mut rng, &circular);
                    entries.push(DecisionEntry {
                        kind: ChangeKind::Amended,
                        name: content.name.clone(),
                        code,
                        legal_document: Some(circular.clone()),
                        effective_date: None,
                        changed_components: vec![],
                        internal: false,
                        replaces: None,
                        content: Some(content),
                    });
                }
            }
            if entries.is_empty() {
                continue;
            }
            let number = format!("{}/QĐ-{}", 100 + m * 37 + ii as i32 * 11, issuer.symbol);
            let late = m % 5 == 2;
            let d = PublicationDecision {
                number: number.clone(),
                title: format!(
                    "Quyết định {number} về việc công bố thủ tục hành chính được sửa đổi, bổ sung, bãi bỏ"
                ),
                signed_on: signed,
                effective_on: signed + Duration::days(if late { 7 } else { 30 }),
                issuer_org: issuer.org.into(),
                issuer_kind: IssuerKind::Ministry,
                shortened: false,
                applies_central: None,
                entries,
            };
            publish(s, cfg, &cal, d).await?;
        }
    }

    // 3. Open drafts: one being edited, one awaiting a leader's approval.
    let btp = s
        .list_procedures(&ProcedureFilter {
            owner_orgs: Some(vec!["BTP".into()]),
            limit: 40,
            ..Default::default()
        })
        .await?
        .items;
    for (drafts, p) in btp
        .iter()
        .filter(|p| !p.abolished && p.current_seq.is_some())
        .take(2)
        .enumerate()
    {
        let cur = s.current_version(&p.code).await?;
        let content = amend(
            &cur.content,
            &mut rng,
            &format!("15/{}/TT-BTP", today.year()),
        );
        let v = s
            .create_draft(NewDraft {
                code: p.code.clone(),
                kind: Default::default(),
                owner_org: "BTP".into(),
                content,
                created_by: ACCOUNTS[2].0.into(),
            })
            .await?;
        if drafts == 1 {
            s.set_draft_status(&p.code, v.seq, v.rev, VersionStatus::InReview)
                .await?;
        }
    }

    // 4. Localisations by Hà Nội of commune-level Justice procedures.
    let commune = s
        .list_procedures(&ProcedureFilter {
            owner_orgs: Some(vec!["BTP".into()]),
            level: Some("commune".into()),
            limit: 10,
            ..Default::default()
        })
        .await?
        .items;
    for p in commune.iter().filter(|p| !p.abolished).take(5) {
        let Some(seq) = p.current_seq else { continue };
        s.upsert_localisation(&Localisation {
            code: p.code.clone(),
            org_id: "P01".into(),
            local_code: Some(format!("{}.000.00.00.H26", p.code)),
            overrides: LocalOverrides {
                receiving_address: Some(
                    "Bộ phận Một cửa, Trung tâm Phục vụ hành chính công Thành phố Hà Nội".into(),
                ),
                notes: "Phí, lệ phí theo Nghị quyết của HĐND Thành phố Hà Nội.".into(),
                ..Default::default()
            },
            central_seq: seq,
            drifted: false,
            rev: 0,
        })
        .await?;
    }

    for (email, name, org, role) in ACCOUNTS {
        let (user, _) = crate::users::create(s, email, name, org, role, PASSWORD).await?;
        // The Working Group receives the national monthly report by e-mail.
        if role == "oversight" {
            s.subscribe_reports(user.id, "").await?;
        }
    }
    report.push_str(&crate::demo_feedback::seed(s, &cal, today).await?);
    report.push_str(&crate::demo_tasks::seed(s, &cal, today).await?);
    let counts = s.catalogue_counts().await?;
    report.push_str(&format!(
        "Danh mục / catalogue: {} thủ tục ({} đang có hiệu lực, {} đã bãi bỏ), {} phiên bản, {} quyết định công bố, {} dự thảo, {} bản địa phương\n",
        counts.procedures, counts.in_force, counts.abolished, counts.versions, counts.decisions, counts.drafts, counts.localisations
    ));
    Ok(report)
}

/// Runs the demo: fresh SQLite database (or the given empty database), build, serve.
pub async fn run(mut cfg: Config, no_serve: bool) -> anyhow::Result<()> {
    let explicit = std::env::var("THUTUC_DB").is_ok()
        || std::env::args().any(|a| a == "--db" || a.starts_with("--db="));
    if !explicit {
        cfg.db = "sqlite://thutuc-data/demo.db".into();
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("thutuc-data/demo.db{suffix}"));
        }
    }
    // Demo mail goes to .eml files, so nothing leaves the machine.
    if cfg.mail.transport.trim().is_empty() {
        cfg.mail.transport = "file:thutuc-data/mail".into();
    }
    let today = crate::import_cmd::today_vn();
    let started = std::time::Instant::now();
    let db = cfg.db.clone();
    crate::with_store!(&db, |s| {
        if s.catalogue_counts().await?.procedures > 0 {
            anyhow::bail!(
                "cơ sở dữ liệu {db} đã có dữ liệu; demo cần một cơ sở dữ liệu trống / the demo needs an empty database"
            );
        }
        let report = build(&s, &cfg, today).await?;
        let mut banner = format!(
            "{report}Xây dựng trong / built in {:.1} s\n\nTài khoản demo (mật khẩu «{PASSWORD}») / demo accounts:\n",
            started.elapsed().as_secs_f64()
        );
        for (email, name, org, role) in ACCOUNTS {
            banner.push_str(&format!("  {email:<24} {role:<10} {org:<5} {name}\n"));
        }
        if no_serve {
            println!("{banner}");
            Ok(())
        } else {
            crate::serve::serve(s, &cfg, Some(banner)).await
        }
    })
}
