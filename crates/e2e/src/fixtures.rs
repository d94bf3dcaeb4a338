//! The fixture catalogue: Chính phủ → Bộ Tư pháp, Văn phòng Chính phủ; Hà Nội (P01) and
//! TP Hồ Chí Minh (P79); procedures published through decisions, one open draft in each
//! province, and one account per role (password [`PASSWORD`]).

use std::sync::OnceLock;

use thutuc_domain::decision::{IssuerKind, PublicationDecision};
use thutuc_domain::org::{OrgKind, Organisation};
use thutuc_domain::version::{ChangeKind, VersionStatus};
use thutuc_store::{ApplyRequest, NewDraft, NewUser, Store};
use thutuc_store_tests::fixtures::{code, content, d, entry};

/// The password of every fixture account.
pub const PASSWORD: &str = "mat-khau-thu-nghiem";

/// Fixture accounts: e-mail, organisation, role.
pub const ACCOUNTS: [(&str, &str, &str); 8] = [
    ("admin@thutuc.local", "CP", "admin"),
    ("tocongtac@vpcp.gov.vn", "VPCP", "oversight"),
    ("canbo@moj.gov.vn", "BTP", "officer"),
    ("lanhdao@moj.gov.vn", "BTP", "leader"),
    ("canbo@hanoi.gov.vn", "P01", "officer"),
    ("lanhdao@hanoi.gov.vn", "P01", "leader"),
    ("canbo@hcm.gov.vn", "P79", "officer"),
    ("lanhdao@hcm.gov.vn", "P79", "leader"),
];

/// The Justice procedure citizens look for.
pub const BIRTH: &str = "1.001193";
/// A Hà Nội procedure with an open draft (province A).
pub const HANOI: &str = "2.000908";
/// A Hồ Chí Minh City procedure with an open draft (province B).
pub const HCM: &str = "2.000815";

fn org(id: &str, name: &str, kind: OrgKind, parent: Option<&str>) -> Organisation {
    Organisation {
        id: id.into(),
        name: name.into(),
        kind,
        eid: None,
        admin_code: None,
        parent: parent.map(Into::into),
        valid_from: None,
        valid_to: None,
    }
}

/// The organisations.
pub fn orgs() -> Vec<Organisation> {
    vec![
        org("CP", "Chính phủ", OrgKind::Government, None),
        org("BTP", "Bộ Tư pháp", OrgKind::Ministry, Some("CP")),
        org(
            "VPCP",
            "Văn phòng Chính phủ",
            OrgKind::MinistryLevel,
            Some("CP"),
        ),
        org("P01", "Thành phố Hà Nội", OrgKind::Province, Some("CP")),
        org("W00004", "Phường Ba Đình", OrgKind::Commune, Some("P01")),
        org(
            "P79",
            "Thành phố Hồ Chí Minh",
            OrgKind::Province,
            Some("CP"),
        ),
    ]
}

fn hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| thutuc_web::session::hash_password_blocking(PASSWORD).expect("hash"))
}

async fn publish<S: Store>(s: &S, d: PublicationDecision) {
    let rec = s.create_decision(&d, "seed").await.expect("decision");
    s.apply_decision(&ApplyRequest {
        number: d.number.clone(),
        expected_rev: rec.rev,
        applied_on: d.signed_on,
        timeliness: None,
        dry_run: false,
    })
    .await
    .expect("apply");
}

fn decision(
    number: &str,
    issuer: &str,
    kind: IssuerKind,
    entries: Vec<thutuc_domain::decision::DecisionEntry>,
) -> PublicationDecision {
    PublicationDecision {
        number: number.into(),
        title: format!("Quyết định {number} công bố thủ tục hành chính"),
        signed_on: d("2025-03-01"),
        effective_on: d("2025-04-01"),
        issuer_org: issuer.into(),
        issuer_kind: kind,
        shortened: false,
        applies_central: None,
        entries,
    }
}

/// "Thủ tục đăng ký khai sinh" with its legal basis.
pub fn birth() -> thutuc_domain::procedure::ProcedureContent {
    let mut c = content("Thủ tục đăng ký khai sinh", 3.0);
    c.legal_bases = vec![thutuc_domain::procedure::LegalBasis {
        number: Some("123/2015/NĐ-CP".into()),
        title: "Nghị định quy định chi tiết một số điều và biện pháp thi hành Luật Hộ tịch".into(),
        article: None,
    }];
    c
}

/// Loads everything.
pub async fn seed<S: Store>(s: &S) {
    s.upsert_orgs(&orgs()).await.expect("orgs");
    publish(
        s,
        decision(
            "100/QĐ-BTP",
            "BTP",
            IssuerKind::Ministry,
            vec![
                entry(ChangeKind::New, BIRTH, Some(birth())),
                entry(
                    ChangeKind::New,
                    "1.000080",
                    Some(content("Thủ tục đăng ký kết hôn", 5.0)),
                ),
            ],
        ),
    )
    .await;
    publish(
        s,
        decision(
            "200/QĐ-UBND",
            "P01",
            IssuerKind::Province,
            vec![entry(
                ChangeKind::New,
                HANOI,
                Some(content("Cấp bản sao từ sổ gốc", 1.0)),
            )],
        ),
    )
    .await;
    publish(
        s,
        decision(
            "300/QĐ-UBND",
            "P79",
            IssuerKind::Province,
            vec![entry(
                ChangeKind::New,
                HCM,
                Some(content("Chứng thực bản sao từ bản chính", 1.0)),
            )],
        ),
    )
    .await;
    for (c, owner, who) in [
        (HANOI, "P01", "canbo@hanoi.gov.vn"),
        (HCM, "P79", "canbo@hcm.gov.vn"),
    ] {
        let cur = s.current_version(&code(c)).await.expect("current");
        let mut draft = cur.content.clone();
        draft.channels[0].time = Some(thutuc_domain::procedure::Duration {
            value: 0.5,
            unit: thutuc_domain::procedure::TimeUnit::WorkingDay,
        });
        let v = s
            .create_draft(NewDraft {
                code: code(c),
                kind: Default::default(),
                owner_org: owner.into(),
                content: draft,
                created_by: who.into(),
            })
            .await
            .expect("draft");
        s.set_draft_status(&code(c), v.seq, v.rev, VersionStatus::InReview)
            .await
            .expect("submit");
    }
    for (email, org, role) in ACCOUNTS {
        s.create_user(&NewUser {
            email: email.into(),
            name: format!("Người dùng {email}"),
            org_id: org.into(),
            role: role.into(),
            password_hash: hash().to_string(),
        })
        .await
        .expect("user");
    }
}
