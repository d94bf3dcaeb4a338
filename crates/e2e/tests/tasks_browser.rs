//! Browser test of directing and urging in headless Chromium (same set-up as `browser.rs`): a
//! Working Group member turns a meeting's conclusion into a task for Hà Nội, the province's
//! officer reports completion with evidence, the Working Group accepts it and the dashboard
//! counts it as completed on time. Pages are checked with axe-core on the way.
//!
//! Skipped with a message when `chromedriver` is not installed, unless
//! `THUTUC_REQUIRE_BROWSER=1`.

mod harness;
use harness::*;

use thutuc_e2e::TestApp;

async fn set_value(c: &Client, id: &str, value: &str) {
    c.execute(
        "document.getElementById(arguments[0]).value = arguments[1];",
        vec![serde_json::json!(id), serde_json::json!(value)],
    )
    .await
    .expect("set value");
}

async fn click(c: &Client, id: &str) {
    c.find(Locator::Id(id))
        .await
        .expect(id)
        .click()
        .await
        .expect("click");
}

const TITLE: &str = "Báo cáo kết quả rà soát thủ tục cấp xã";

#[tokio::test]
async fn the_working_group_assigns_the_province_reports_and_the_dashboard_updates() {
    let Some((c, _driver)) = start_browser().await else {
        return;
    };
    let app = TestApp::new().await;
    let base = serve(&app).await;
    let today = chrono::Utc::now() + chrono::Duration::hours(7);
    let deadline = (today + chrono::Duration::days(30))
        .date_naive()
        .to_string();

    // The Working Group turns a conclusion notice into a task for Hà Nội.
    login(&c, &base, "tocongtac@vpcp.gov.vn").await;
    c.goto(&format!("{base}/can-bo/nhiem-vu/giao"))
        .await
        .expect("assign form");
    assert_accessible(&c, "assign form").await;
    fill(&c, "d-number", "15/TB-VPCP").await;
    fill(&c, "d-title", "Kết luận phiên họp thứ năm của Tổ công tác").await;
    fill(&c, "title_1", TITLE).await;
    fill(&c, "lead_1", "P01").await;
    set_value(&c, "deadline_1", &deadline).await;
    click(&c, "assign-submit").await;
    let table = wait_text(&c, "#task-table", TITLE).await;
    assert!(table.contains("Thành phố Hà Nội"), "{table}");
    assert_accessible(&c, "task list").await;
    screenshot(&c, "tasks-list").await;
    logout(&c).await;

    // The province's officer reports completion with evidence.
    login(&c, &base, "canbo@hanoi.gov.vn").await;
    c.goto(&format!("{base}/can-bo/nhiem-vu"))
        .await
        .expect("list");
    c.find(Locator::LinkText(TITLE))
        .await
        .expect("task link")
        .click()
        .await
        .expect("open");
    wait_text(&c, "#task-title", TITLE).await;
    assert_accessible(&c, "task page").await;
    fill(&c, "s-ev", "Báo cáo số 120/BC-UBND").await;
    click(&c, "submit-completion").await;
    wait_text(&c, "#task-state", "chờ đánh giá").await;
    logout(&c).await;

    // The Working Group accepts; the dashboard counts one task completed on time.
    login(&c, &base, "tocongtac@vpcp.gov.vn").await;
    c.goto(&format!("{base}/can-bo/nhiem-vu/bang-dieu-khien"))
        .await
        .expect("dashboard");
    assert_eq!(text_of(&c, "#rep-completed").await, "0");
    c.goto(&format!("{base}/can-bo/nhiem-vu"))
        .await
        .expect("list");
    c.find(Locator::LinkText(TITLE))
        .await
        .expect("task link")
        .click()
        .await
        .expect("open");
    click(&c, "accept-completion").await;
    wait_text(&c, "#task-status", "Hoàn thành đúng hạn").await;
    c.goto(&format!("{base}/can-bo/nhiem-vu/bang-dieu-khien"))
        .await
        .expect("dashboard");
    assert_eq!(text_of(&c, "#rep-completed").await, "1");
    assert_eq!(text_of(&c, "#rep-on-time").await, "1");
    assert_eq!(text_of(&c, "#rep-rate").await, "100.00%");
    let ranking = text_of(&c, "#task-report").await;
    assert!(!ranking.is_empty());
    assert_accessible(&c, "dashboard").await;
    screenshot(&c, "tasks-dashboard").await;
    c.close().await.expect("close");
}
