//! The workspace pages of directing and urging over HTTP (session, CSRF): assigning from a
//! conclusion notice, the list, task page, dashboard and public page render, the urging letter
//! is a DOCX or PDF for the Working Group and the province itself but not for another province.

use thutuc_domain::tasks::{GroupLevel, WorkingGroup};
use thutuc_e2e::TestApp;
use thutuc_store::TaskStore;

#[tokio::test]
async fn the_working_group_assigns_and_downloads_an_urging_letter() {
    let app = TestApp::new().await;
    app.store
        .upsert_working_group(&WorkingGroup {
            code: "TCT-TTG".into(),
            name: "Tổ công tác của Thủ tướng Chính phủ".into(),
            level: GroupLevel::National,
            parent: None,
            org: "VPCP".into(),
            valid_from: chrono::NaiveDate::from_ymd_opt(2022, 12, 15).expect("date"),
            members: vec![],
        })
        .await
        .expect("group");
    let wg = app.session("tocongtac@vpcp.gov.vn").await;
    let p = app
        .post(
            "/can-bo/nhiem-vu/giao",
            Some(&wg),
            &[
                ("kind", "conclusion_notice"),
                ("number", "07/TB-VPCP"),
                ("directive_title", "Kết luận phiên họp tháng 1"),
                ("public", "on"),
                ("assigned_on", "2025-01-06"),
                ("title_1", "Báo cáo rà soát thủ tục cấp xã"),
                ("clause_1", "mục 2"),
                ("lead_1", "P01"),
                ("deadline_1", "2025-03-31"),
                ("title_2", "Công bố danh mục thủ tục nội bộ"),
                ("lead_2", "P79"),
                ("deadline_2", "2025-01-05"),
            ],
            None,
        )
        .await;
    assert_eq!(
        p.status, 422,
        "a deadline before the assignment date is refused: {}",
        p.body
    );
    assert!(p.body.contains("2025-01-05"), "the error names the date");
    let p = app
        .post(
            "/can-bo/nhiem-vu/giao",
            Some(&wg),
            &[
                ("kind", "conclusion_notice"),
                ("number", "07/TB-VPCP"),
                ("directive_title", "Kết luận phiên họp tháng 1"),
                ("public", "on"),
                ("meeting_date", "2025-01-03"),
                ("agenda", "Phiên họp tháng 1"),
                ("conclusions", "Các địa phương báo cáo rà soát trước quý II"),
                ("assigned_on", "2025-01-06"),
                ("title_1", "Báo cáo rà soát thủ tục cấp xã"),
                ("clause_1", "mục 2"),
                ("lead_1", "P01"),
                ("deadline_1", "2025-03-31"),
            ],
            None,
        )
        .await;
    assert_eq!(p.status, 303, "{}", p.body);
    let list = app
        .get("/can-bo/nhiem-vu?status=open_overdue", Some(&wg))
        .await;
    assert_eq!(list.status, 200);
    assert!(list.body.contains("Báo cáo rà soát thủ tục cấp xã"));
    let dash = app
        .get(
            "/can-bo/nhiem-vu/bang-dieu-khien?from=2025-01-01&to=2025-12-31&min_volume=1",
            Some(&wg),
        )
        .await;
    assert_eq!(dash.status, 200);
    assert!(dash.body.contains("/can-bo/nhiem-vu/don-doc/P01"));
    let public = app.get("/to-cong-tac", None).await;
    assert_eq!(public.status, 200);
    assert!(public.body.contains("07/TB-VPCP"));
    assert!(
        public
            .body
            .contains("Các địa phương báo cáo rà soát trước quý II")
    );
    let letter = app.get("/can-bo/nhiem-vu/don-doc/P01", Some(&wg)).await;
    assert_eq!(letter.status, 200);
    assert!(
        letter.content_type.contains("wordprocessingml"),
        "{}",
        letter.content_type
    );
    assert!(letter.body.starts_with("PK"));
    let pdf = app
        .get("/can-bo/nhiem-vu/don-doc/P01?format=pdf", Some(&wg))
        .await;
    assert_eq!(pdf.status, 200);
    assert_eq!(pdf.content_type, "application/pdf");
    assert!(pdf.body.starts_with("%PDF-"));
    assert_eq!(
        app.get("/can-bo/nhiem-vu/don-doc/P01?format=odt", Some(&wg))
            .await
            .status,
        400,
        "an unknown format is refused"
    );
    let hanoi = app.session("canbo@hanoi.gov.vn").await;
    assert_eq!(
        app.get("/can-bo/nhiem-vu/don-doc/P01", Some(&hanoi))
            .await
            .status,
        200
    );
    let hcm = app.session("canbo@hcm.gov.vn").await;
    assert_eq!(
        app.get("/can-bo/nhiem-vu/don-doc/P01", Some(&hcm))
            .await
            .status,
        403
    );
    assert_eq!(
        app.get("/can-bo/nhiem-vu?org=P01", Some(&hcm)).await.status,
        403
    );
    let mine = app.get("/can-bo/nhiem-vu", Some(&hanoi)).await;
    let id = mine
        .body
        .split("href=\"/can-bo/nhiem-vu/")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .find(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_digit()))
        .expect("a task link")
        .to_string();
    let page = app
        .get(&format!("/can-bo/nhiem-vu/{id}"), Some(&hanoi))
        .await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("submit-completion"),
        "the lead sees the completion form"
    );
    assert_eq!(
        app.get(&format!("/can-bo/nhiem-vu/{id}"), Some(&hcm))
            .await
            .status,
        403
    );
    let no_csrf = app
        .post(
            &format!("/can-bo/nhiem-vu/{id}/buoc"),
            Some(&hanoi),
            &[("rev", "1"), ("action", "submit"), ("text", "BC")],
            Some(""),
        )
        .await;
    assert_eq!(no_csrf.status, 403);
}
