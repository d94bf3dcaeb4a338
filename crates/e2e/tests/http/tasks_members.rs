//! Working-group membership page over HTTP: anyone signed in reads it; the Working Group and
//! the host organisation add, change and end memberships (CSRF-checked, audited, nothing
//! deleted); another province is refused and bad input changes nothing.

use thutuc_domain::tasks::{GroupLevel, GroupMember, MemberRole, WorkingGroup};
use thutuc_e2e::TestApp;
use thutuc_store::{AuditFilter, AuditStore, TaskStore};

const PAGE: &str = "/can-bo/to-cong-tac/TCT-HN/thanh-vien";

async fn members(app: &TestApp) -> Vec<GroupMember> {
    app.store
        .working_groups()
        .await
        .expect("groups")
        .into_iter()
        .find(|g| g.code == "TCT-HN")
        .expect("group")
        .members
}

#[tokio::test]
async fn members_are_added_changed_and_ended_by_the_host_only_and_audited() {
    let app = TestApp::new().await;
    app.store
        .upsert_working_group(&WorkingGroup {
            code: "TCT-HN".into(),
            name: "Tổ công tác cải cách thủ tục hành chính Thành phố Hà Nội".into(),
            level: GroupLevel::Province,
            parent: None,
            org: "P01".into(),
            valid_from: chrono::NaiveDate::from_ymd_opt(2023, 3, 1).expect("date"),
            members: vec![GroupMember {
                person: "Nguyễn Văn Tổ Trưởng".into(),
                position: "Chủ tịch UBND Thành phố".into(),
                org: "P01".into(),
                role: MemberRole::Head,
                since: None,
                ended_on: None,
            }],
        })
        .await
        .expect("group");
    let hanoi = app.session("lanhdao@hanoi.gov.vn").await;
    let hcm = app.session("canbo@hcm.gov.vn").await;
    let wg = app.session("tocongtac@vpcp.gov.vn").await;

    // Everyone signed in reads; only the host (and the Working Group) gets the forms.
    let p = app.get(PAGE, Some(&hcm)).await;
    assert_eq!(p.status, 200, "{}", p.body);
    assert!(p.body.contains("Nguyễn Văn Tổ Trưởng"));
    assert!(!p.body.contains("name=\"action\" value=\"add\""));
    let p = app.get(PAGE, Some(&hanoi)).await;
    assert!(p.body.contains("name=\"action\" value=\"add\""));
    assert!(p.body.contains("name=\"_csrf\""));
    assert_eq!(app.get(PAGE, None).await.status, 303, "sign-in first");
    assert_eq!(
        app.get("/can-bo/to-cong-tac/NOPE/thanh-vien", Some(&hanoi))
            .await
            .status,
        404
    );

    let add = [
        ("action", "add"),
        ("person", "Trần Thị Phó"),
        ("position", "Phó Chủ tịch UBND Thành phố"),
        ("org", "P01"),
        ("role", "deputy"),
        ("since", "2026-11-02"),
    ];
    // Another province, and a missing CSRF token, change nothing.
    assert_eq!(app.post(PAGE, Some(&hcm), &add, None).await.status, 403);
    assert_eq!(
        app.post(PAGE, Some(&hanoi), &add, Some("")).await.status,
        403
    );
    assert_eq!(members(&app).await.len(), 1);

    let p = app.post(PAGE, Some(&hanoi), &add, None).await;
    assert_eq!(p.status, 303, "{}", p.body);
    let m = members(&app).await;
    assert_eq!(m.len(), 2);
    assert_eq!(
        (m[1].role, m[1].since),
        (
            MemberRole::Deputy,
            chrono::NaiveDate::from_ymd_opt(2026, 11, 2)
        )
    );

    // A second head is refused with a clear message; nothing changes.
    let promote = [
        ("action", "update"),
        ("index", "1"),
        ("position", "Chủ tịch UBND Thành phố"),
        ("role", "head"),
    ];
    let p = app.post(PAGE, Some(&hanoi), &promote, None).await;
    assert_eq!(p.status, 422, "{}", p.body);
    assert!(p.body.contains("tổ trưởng"), "{}", p.body);
    assert_eq!(members(&app).await[1].role, MemberRole::Deputy);
    // Bad input: unknown role, unknown organisation, bad date.
    for bad in [
        vec![("action", "update"), ("index", "1"), ("role", "boss")],
        vec![
            ("action", "add"),
            ("person", "X"),
            ("position", "Y"),
            ("org", "ZZZ"),
            ("role", "member"),
        ],
        vec![
            ("action", "end"),
            ("index", "0"),
            ("ended_on", "30/11/2026"),
        ],
    ] {
        assert_eq!(app.post(PAGE, Some(&hanoi), &bad, None).await.status, 400);
    }
    assert_eq!(members(&app).await.len(), 2);

    // The Working Group ends the old head's membership; the deputy becomes head.
    let end = [
        ("action", "end"),
        ("index", "0"),
        ("ended_on", "2026-11-25"),
    ];
    assert_eq!(app.post(PAGE, Some(&wg), &end, None).await.status, 303);
    assert_eq!(
        app.post(PAGE, Some(&hanoi), &promote, None).await.status,
        303
    );
    let m = members(&app).await;
    assert_eq!(m.len(), 2, "an ended membership is kept");
    assert_eq!(m[0].ended_on, chrono::NaiveDate::from_ymd_opt(2026, 11, 25));
    assert_eq!(m[1].role, MemberRole::Head);
    let p = app.get(PAGE, Some(&hanoi)).await;
    assert!(p.body.contains("25/11/2026"), "the end date is shown");

    let audit = app
        .store
        .audit_entries(&AuditFilter {
            entity_type: Some("working_group".into()),
            limit: 50,
            ..AuditFilter::default()
        })
        .await
        .expect("audit");
    let actions: Vec<(&str, &str)> = audit
        .items
        .iter()
        .map(|e| (e.action.as_str(), e.actor.as_str()))
        .collect();
    for want in [
        ("working_group.member.add", "lanhdao@hanoi.gov.vn"),
        ("working_group.member.end", "tocongtac@vpcp.gov.vn"),
        ("working_group.member.update", "lanhdao@hanoi.gov.vn"),
    ] {
        assert!(actions.contains(&want), "{want:?} in {actions:?}");
    }
    assert_eq!(audit.items.len(), 3, "refused changes are not audited");
    assert!(audit.items.iter().any(|e| {
        e.before
            .as_deref()
            .is_some_and(|b| b.contains("Deputy") || b.contains("deputy"))
    }));
    assert!(
        app.store
            .verify_audit()
            .await
            .expect("verify")
            .broken
            .is_none()
    );
}
