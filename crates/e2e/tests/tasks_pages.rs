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

/// Posts the progress form with files, as a browser does (`multipart/form-data`).
async fn progress_with_files(
    app: &TestApp,
    s: &thutuc_e2e::Session,
    id: i64,
    rev: i64,
    files: &[(&str, &[u8])],
) -> thutuc_e2e::Page {
    use axum::http::{Request, header};
    const B: &str = "tienDoBoundary42";
    let mut body = Vec::new();
    for (k, v) in [
        ("_csrf", s.csrf.as_str()),
        ("rev", &rev.to_string()),
        ("action", "progress"),
        ("percent", "60"),
        ("text", "Đã tổng hợp báo cáo của 30 xã"),
    ] {
        body.extend_from_slice(
            format!("--{B}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    for (name, bytes) in files {
        body.extend_from_slice(
            format!("--{B}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\nContent-Type: application/pdf\r\n\r\n").as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{B}--\r\n").as_bytes());
    let req = Request::post(format!("/can-bo/nhiem-vu/{id}/buoc"))
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={B}"),
        )
        .header(
            header::COOKIE,
            format!("{}={}", thutuc_web::session::SESSION_COOKIE, s.sid),
        )
        .body(axum::body::Body::from(body))
        .expect("request");
    app.send(req).await
}

#[tokio::test]
async fn progress_files_are_stored_with_the_step_and_served_safely() {
    let app = TestApp::new().await;
    let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");
    let t = thutuc_domain::tasks::Task::new(
        "Báo cáo rà soát thủ tục cấp xã",
        "CP",
        "P01",
        d("2025-01-06"),
        d("2025-03-31"),
    );
    let created = app
        .store
        .create_tasks(&[t], "tocongtac@vpcp.gov.vn")
        .await
        .expect("task");
    let (id, rev) = (created[0].id, created[0].rev);
    let hanoi = app.session("canbo@hanoi.gov.vn").await;
    let page = app
        .get(&format!("/can-bo/nhiem-vu/{id}"), Some(&hanoi))
        .await;
    assert!(page.body.contains("enctype=\"multipart/form-data\""));

    // An executable disguised as a PDF: refused, nothing recorded.
    let exe = b"MZ\x90\x00\x03\x00 This program cannot be run in DOS mode".as_slice();
    let bad = progress_with_files(&app, &hanoi, id, rev, &[("bao-cao.pdf", exe)]).await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(bad.body.contains("không phải PDF"), "{}", bad.body);
    assert_eq!(app.store.get_task(id).await.expect("task").rev, rev);

    // A real PDF goes with the progress update.
    let pdf = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n".as_slice();
    let ok = progress_with_files(&app, &hanoi, id, rev, &[("Báo cáo tiến độ.pdf", pdf)]).await;
    assert_eq!(ok.status, 303, "{}", ok.body);
    let page = app
        .get(&format!("/can-bo/nhiem-vu/{id}"), Some(&hanoi))
        .await;
    let at = page
        .body
        .find(&format!("/can-bo/nhiem-vu/{id}/tep/"))
        .expect("download link");
    let link: String = page.body[at..].chars().take_while(|c| *c != '"').collect();
    assert!(page.body.contains("Báo cáo tiến độ.pdf"));
    let file = app.get(&link, Some(&hanoi)).await;
    assert_eq!(file.status, 200);
    assert_eq!(file.content_type, "application/pdf");
    assert!(file.body.starts_with("%PDF-1.4"));
    // The Working Group (assigner) may read it; another province may not.
    let wg = app.session("tocongtac@vpcp.gov.vn").await;
    assert_eq!(app.get(&link, Some(&wg)).await.status, 200);
    let hcm = app.session("canbo@hcm.gov.vn").await;
    assert_eq!(app.get(&link, Some(&hcm)).await.status, 403);
    // A file id of another task is not found through this task.
    assert_eq!(
        app.get(
            &format!("/can-bo/nhiem-vu/{}/tep/1", id + 1000),
            Some(&hanoi)
        )
        .await
        .status,
        404
    );
}
