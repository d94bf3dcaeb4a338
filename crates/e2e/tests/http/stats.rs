//! The statistics dashboard: who sees which scope, the numbers and their drill-down, and the
//! report downloads including PDF.

use super::*;

#[tokio::test]
async fn the_working_group_sees_the_national_month_and_drills_down_to_the_procedures() {
    let app = TestApp::new().await;
    let s = app.session("tocongtac@vpcp.gov.vn").await;
    let page = app
        .get("/can-bo/thong-ke?thang=2025-03&ky=12", Some(&s))
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Thống kê TTHC tháng 03/2025"));
    assert!(page.body.contains("Toàn quốc"));
    // Four new procedures in March 2025: two of the ministry, one of each province.
    assert!(
        page.body.contains("<strong>4</strong> Mới ban hành"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Bộ Tư pháp"));
    assert!(
        page.body.contains("role=\"img\""),
        "the trend chart with an accessible name"
    );
    let drill = app
        .get(
            "/can-bo/thong-ke/chi-tiet?thang=2025-03&co_quan=&ngay=signed&ky=12&o=national.agency.BTP.new",
            Some(&s),
        )
        .await;
    assert_eq!(drill.status, 200, "{}", drill.body);
    assert!(drill.body.contains(BIRTH) && drill.body.contains("1.000080"));
    assert!(drill.body.contains("100/QĐ-BTP"));
    assert!(
        !drill.body.contains(HANOI),
        "only the ministry's procedures"
    );
    let sub = app
        .post(
            "/can-bo/thong-ke/dang-ky",
            Some(&s),
            &[("co_quan", ""), ("on", "1"), ("qs", "thang=2025-03")],
            None,
        )
        .await;
    assert_eq!(sub.status, 303);
    assert_eq!(
        sub.location.as_deref(),
        Some("/can-bo/thong-ke?thang=2025-03")
    );
    let subs = thutuc_store::SubscriptionStore::report_subscribers(&app.store, "")
        .await
        .expect("subs");
    assert_eq!(subs.len(), 1);
    let page = app.get("/can-bo/thong-ke?thang=2025-03", Some(&s)).await;
    assert!(page.body.contains("Thôi nhận"));
    let officer = app.session("canbo@hanoi.gov.vn").await;
    let foreign = app
        .post(
            "/can-bo/thong-ke/dang-ky",
            Some(&officer),
            &[("co_quan", "P79"), ("on", "1")],
            None,
        )
        .await;
    assert_eq!(foreign.status, 403, "not for a scope the user may not see");
}

#[tokio::test]
async fn a_province_officer_sees_only_their_province_and_gets_clear_errors_otherwise() {
    let app = TestApp::new().await;
    let s = app.session("canbo@hanoi.gov.vn").await;
    let own = app.get("/can-bo/thong-ke?thang=2025-03", Some(&s)).await;
    assert_eq!(own.status, 200);
    assert!(
        own.body.contains("<strong>1</strong> Mới ban hành"),
        "{}",
        own.body
    );
    let other = app
        .get("/can-bo/thong-ke?thang=2025-03&co_quan=P79", Some(&s))
        .await;
    assert_eq!(other.status, 403);
    assert!(other.body.contains("không được xem số liệu"));
    let unknown = app
        .get("/can-bo/thong-ke?thang=2025-03&co_quan=XYZ", Some(&s))
        .await;
    assert_eq!(unknown.status, 400);
    assert!(unknown.body.contains("không tồn tại"));
    let month = app.get("/can-bo/thong-ke?thang=2025-13", Some(&s)).await;
    assert_eq!(month.status, 400);
    let cell = app
        .get(
            "/can-bo/thong-ke/chi-tiet?thang=2025-03&o=national.nowhere",
            Some(&s),
        )
        .await;
    assert_eq!(cell.status, 400);
    let anonymous = app.get("/can-bo/thong-ke", None).await;
    assert!(
        matches!(anonymous.status, 302 | 303 | 401),
        "sign-in first: {}",
        anonymous.status
    );
}

#[tokio::test]
async fn the_monthly_report_downloads_as_pdf() {
    let app = TestApp::new().await;
    let req = axum::http::Request::get("/api/v1/reports/monthly?month=2025-03&format=pdf")
        .body(axum::body::Body::empty())
        .expect("request");
    let resp = tower::ServiceExt::oneshot(app.router.clone(), req)
        .await
        .expect("response");
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "application/pdf");
    let body = http_body_util::BodyExt::collect(resp.into_body())
        .await
        .expect("body")
        .to_bytes();
    assert!(body.starts_with(b"%PDF-"));
}

/// The dashboard keeps computed figures, but never past the data: a decision applied after a
/// viewing shows at the next one (figures, drill-down and the trend month alike).
#[tokio::test]
async fn a_decision_applied_after_a_viewing_shows_at_once() {
    let app = TestApp::new().await;
    let wg = app.session("tocongtac@vpcp.gov.vn").await;
    let leader = app.session("lanhdao@hanoi.gov.vn").await;
    let url = "/can-bo/thong-ke?thang=2026-03&ky=12";
    let before = app.get(url, Some(&wg)).await;
    assert_eq!(before.status, 200, "{}", before.body);
    assert!(
        before.body.contains("<strong>0</strong> Sửa đổi, bổ sung"),
        "{}",
        before.body
    );
    let (seq, _) = draft_rev(&app, HANOI).await;
    let done = app
        .post(
            &format!("/can-bo/thu-tuc/{HANOI}/du-thao/{seq}/phe-duyet"),
            Some(&leader),
            &[
                ("op", "approve"),
                ("number", "15/QĐ-UBND"),
                ("title", "Công bố"),
                ("signed_on", "2026-03-01"),
                ("effective_on", "2026-04-01"),
            ],
            None,
        )
        .await;
    assert_eq!(done.status, 303, "{}", done.body);
    let after = app.get(url, Some(&wg)).await;
    assert!(
        after.body.contains("<strong>1</strong> Sửa đổi, bổ sung"),
        "{}",
        after.body
    );
    let drill = app
        .get(
            "/can-bo/thong-ke/chi-tiet?thang=2026-03&co_quan=&ngay=signed&ky=12&o=national.total.amended",
            Some(&wg),
        )
        .await;
    assert!(drill.body.contains("15/QĐ-UBND"), "{}", drill.body);
}
