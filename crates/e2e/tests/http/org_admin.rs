//! Organisation administration: only administrators; add a unit, rename, close, with clear
//! errors and audit entries; the organisation tree follows at once.

use super::*;

#[tokio::test]
async fn an_administrator_adds_renames_and_closes_a_unit() {
    let app = TestApp::new().await;
    let admin = app.session("admin@thutuc.local").await;
    let list = app.get("/quan-tri/co-quan?q=ha+noi", Some(&admin)).await;
    assert_eq!(list.status, 200);
    assert!(list.body.contains("P01"));
    let add = app
        .post(
            "/quan-tri/co-quan/P01",
            Some(&admin),
            &[
                ("op", "add"),
                ("child_id", "p01-stp"),
                ("child_name", "Sở Tư pháp thành phố Hà Nội"),
                ("child_kind", "department"),
            ],
            None,
        )
        .await;
    assert_eq!(add.status, 303, "{}", add.body);
    assert_eq!(
        app.state
            .tree()
            .get("P01-STP")
            .and_then(|o| o.parent.clone())
            .as_deref(),
        Some("P01")
    );
    let dup = app
        .post(
            "/quan-tri/co-quan/P01",
            Some(&admin),
            &[
                ("op", "add"),
                ("child_id", "P01-STP"),
                ("child_name", "Trùng mã"),
                ("child_kind", "unit"),
            ],
            None,
        )
        .await;
    assert_eq!(dup.status, 422);
    assert!(dup.body.contains("đã được dùng"));
    let bad = app
        .post(
            "/quan-tri/co-quan/P01",
            Some(&admin),
            &[
                ("op", "add"),
                ("child_id", "x"),
                ("child_name", "ab"),
                ("child_kind", "ministry"),
            ],
            None,
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(
        bad.body.contains("2–32 ký tự")
            && bad.body.contains("3 đến 300")
            && bad.body.contains("Chọn loại")
    );
    let rename = app
        .post(
            "/quan-tri/co-quan/P01-STP",
            Some(&admin),
            &[
                ("op", "save"),
                ("name", "Sở Tư pháp Hà Nội"),
                ("eid", "H26.21"),
            ],
            None,
        )
        .await;
    assert_eq!(rename.status, 303);
    let close = app
        .post(
            "/quan-tri/co-quan/P01-STP",
            Some(&admin),
            &[("op", "close"), ("closed_on", "31/12/2026")],
            None,
        )
        .await;
    assert_eq!(close.status, 303);
    let o = app.state.tree().get("P01-STP").cloned().expect("unit");
    assert_eq!(
        (o.name.as_str(), o.eid.as_deref()),
        ("Sở Tư pháp Hà Nội", Some("H26.21"))
    );
    assert_eq!(o.valid_to, chrono::NaiveDate::from_ymd_opt(2026, 12, 31));
    let bad_date = app
        .post(
            "/quan-tri/co-quan/P01-STP",
            Some(&admin),
            &[("op", "close"), ("closed_on", "31/13/2026")],
            None,
        )
        .await;
    assert_eq!(bad_date.status, 422);
    let log = app
        .store
        .audit_entries(&thutuc_store::AuditFilter {
            limit: 50,
            ..Default::default()
        })
        .await
        .expect("audit");
    let acts: Vec<&str> = log.items.iter().map(|e| e.action.as_str()).collect();
    assert!(
        acts.contains(&"org.add") && acts.contains(&"org.save") && acts.contains(&"org.close"),
        "{acts:?}"
    );
}

#[tokio::test]
async fn only_administrators_manage_organisations() {
    let app = TestApp::new().await;
    for email in [
        "tocongtac@vpcp.gov.vn",
        "lanhdao@hanoi.gov.vn",
        "canbo@hanoi.gov.vn",
    ] {
        let s = app.session(email).await;
        assert_eq!(
            app.get("/quan-tri/co-quan", Some(&s)).await.status,
            403,
            "{email}"
        );
        let post = app
            .post(
                "/quan-tri/co-quan/P01",
                Some(&s),
                &[("op", "save"), ("name", "Tên khác")],
                None,
            )
            .await;
        assert_eq!(post.status, 403, "{email}");
    }
}
