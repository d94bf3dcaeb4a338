//! Fixture builders: a small organisation tree and realistic procedure contents.

use chrono::NaiveDate;
use thutuc_domain::TthcCode;
use thutuc_domain::decision::{DecisionEntry, IssuerKind, PublicationDecision};
use thutuc_domain::org::{OrgKind, Organisation};
use thutuc_domain::procedure::{
    Channel, ChannelMethod, DossierCase, DossierComponent, Duration, Fee, FeeKind, Level,
    ProcedureContent, Step, TimeUnit,
};
use thutuc_domain::version::ChangeKind;
use thutuc_store::Store;

/// Parses a date or panics.
pub fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

/// Parses a code or panics.
pub fn code(s: &str) -> TthcCode {
    TthcCode::parse(s).expect("code")
}

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

/// Government → Bộ Tư pháp, Bộ Y tế; Government → Hà Nội → Phường Ba Đình.
pub fn orgs() -> Vec<Organisation> {
    vec![
        org("CP", "Chính phủ", OrgKind::Government, None),
        org("BTP", "Bộ Tư pháp", OrgKind::Ministry, Some("CP")),
        org("BYT", "Bộ Y tế", OrgKind::Ministry, Some("CP")),
        Organisation {
            admin_code: Some("01".into()),
            ..org("P01", "Thành phố Hà Nội", OrgKind::Province, Some("CP"))
        },
        Organisation {
            admin_code: Some("00004".into()),
            ..org("W00004", "Phường Ba Đình", OrgKind::Commune, Some("P01"))
        },
    ]
}

/// Loads [`orgs`] into a store.
pub async fn seed_orgs<S: Store>(s: &S) {
    s.upsert_orgs(&orgs()).await.expect("seed orgs");
}

/// A realistic content: "Đăng ký khai sinh", 15 working days direct, 8,000 đ.
pub fn content(name: &str, days: f64) -> ProcedureContent {
    ProcedureContent {
        name: name.into(),
        levels: [Level::Commune].into_iter().collect(),
        sector: "Hộ tịch".into(),
        subjects: vec!["Công dân Việt Nam".into()],
        executing_agency: vec![thutuc_domain::procedure::AgencyRef {
            name: "Ủy ban nhân dân cấp xã".into(),
            org_id: None,
        }],
        steps: vec![Step {
            title: String::new(),
            description: "Nộp hồ sơ tại bộ phận một cửa".into(),
        }],
        channels: vec![Channel {
            method: ChannelMethod::Direct,
            time: Some(Duration {
                value: days,
                unit: TimeUnit::WorkingDay,
            }),
            fees: vec![Fee {
                kind: FeeKind::StateFee,
                amount: Some(8000),
                currency: "VND".into(),
                per: None,
                description: String::new(),
                defined_elsewhere: false,
            }],
            description: String::new(),
        }],
        dossier: vec![DossierCase {
            name: String::new(),
            time: None,
            components: vec![DossierComponent {
                name: "Tờ khai đăng ký khai sinh".into(),
                templates: vec!["TK-KS.docx".into()],
                originals: 1,
                copies: 0,
                required: true,
                mode: Default::default(),
                code: None,
            }],
        }],
        ..Default::default()
    }
}

/// One decision entry.
pub fn entry(kind: ChangeKind, c: &str, content: Option<ProcedureContent>) -> DecisionEntry {
    DecisionEntry {
        kind,
        code: code(c),
        name: content.as_ref().map(|x| x.name.clone()).unwrap_or_default(),
        legal_document: Some("123/2015/NĐ-CP".into()),
        effective_date: None,
        changed_components: vec![],
        internal: false,
        replaces: None,
        content,
    }
}

/// A Bộ Tư pháp decision.
pub fn decision(
    number: &str,
    signed: &str,
    effective: &str,
    entries: Vec<DecisionEntry>,
) -> PublicationDecision {
    PublicationDecision {
        number: number.into(),
        title: format!("Quyết định {number} công bố thủ tục hành chính"),
        signed_on: d(signed),
        effective_on: d(effective),
        issuer_org: "BTP".into(),
        issuer_kind: IssuerKind::Ministry,
        shortened: false,
        applies_central: None,
        entries,
    }
}

/// The actions of the whole audit log, sorted, after checking that its chain is intact.
pub async fn audit_actions<S: Store>(s: &S) -> Vec<String> {
    assert!(s.verify_audit().await.expect("verify").is_intact());
    let log = s
        .audit_entries(&thutuc_store::AuditFilter {
            limit: 500,
            ..Default::default()
        })
        .await
        .expect("log")
        .items;
    let mut actions: Vec<String> = log.into_iter().map(|a| a.action).collect();
    actions.sort();
    actions
}
