//! Browser test of feedback (phản ánh, kiến nghị) in headless Chromium: a citizen sends
//! feedback about a real procedure through the portal form, an officer registers, classifies,
//! evaluates and drafts the answer, a leader approves it, and the citizen reads the published
//! answer with the tracking code — with axe-core checks and no personal data on public pages.
//!
//! Skipped with a message when `chromedriver` is not installed, unless
//! `THUTUC_REQUIRE_BROWSER=1`.

mod harness;
use harness::*;

use thutuc_e2e::TestApp;
use thutuc_e2e::fixtures::BIRTH;

async fn click(c: &Client, css: &str) {
    c.wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css(css))
        .await
        .expect(css)
        .click()
        .await
        .expect("click");
}

async fn citizen_sends_feedback(c: &Client, base: &str) -> String {
    c.goto(&format!("{base}/phan-anh")).await.expect("form");
    assert_accessible(c, "feedback form").await;
    fill(c, "sender_name", "Nguyễn Thị Hoa").await;
    fill(c, "sender_address", "Số 5 Phố Huế, Hai Bà Trưng, Hà Nội").await;
    fill(c, "sender_phone", "0912 777 888").await;
    fill(c, "sender_email", "hoa.nt@example.vn").await;
    fill(c, "procedure_code", BIRTH).await;
    fill(c, "content", "Khi đăng ký khai sinh, phường vẫn yêu cầu bản sao sổ hộ khẩu dù sổ đã hết giá trị. Gọi tôi: 0912777888.").await;
    screenshot(c, "fb-01-form").await;
    click(c, "#send").await;
    let code = text_of(c, "#tracking-code").await;
    assert!(code.starts_with("PA-"), "tracking code {code}");
    assert_accessible(c, "receipt").await;
    screenshot(c, "fb-02-receipt").await;
    code
}

async fn officer_handles_it(c: &Client, base: &str) {
    login(c, base, "canbo@moj.gov.vn").await;
    c.goto(&format!("{base}/can-bo/phan-anh"))
        .await
        .expect("inbox");
    assert_accessible(c, "inbox").await;
    click(c, "table tbody tr td a").await;
    click(c, "#op-register").await;
    wait_text(c, "#status", "Đã vào sổ").await;
    c.find(Locator::Css(
        "#classification option[value='within_competence']",
    ))
    .await
    .expect("opt")
    .click()
    .await
    .expect("pick");
    click(c, "#op-classify").await;
    wait_text(c, "#status", "Đang xem xét").await;
    assert_accessible(c, "item in review").await;
    c.find(Locator::Css("#c_necessity option[value='not_met']"))
        .await
        .expect("opt")
        .click()
        .await
        .expect("pick");
    click(c, "#op-evaluate").await;
    wait_text(c, "#status", "Đã có kết quả").await;
    fill(
        c,
        "text",
        "Bộ Tư pháp đã đề nghị bỏ yêu cầu bản sao sổ hộ khẩu khi đăng ký khai sinh.",
    )
    .await;
    click(c, "#op-draft").await;
    wait_text(c, "#answer", "sổ hộ khẩu").await;
    screenshot(c, "fb-03-officer").await;
    logout(c).await;
}

async fn leader_approves(c: &Client, base: &str) {
    login(c, base, "lanhdao@moj.gov.vn").await;
    c.goto(&format!("{base}/can-bo/phan-anh"))
        .await
        .expect("inbox");
    click(c, "table tbody tr td a").await;
    click(c, "#op-approve").await;
    wait_text(c, "#status", "Đã trả lời").await;
    screenshot(c, "fb-04-approved").await;
    logout(c).await;
}

async fn citizen_reads_the_answer(c: &Client, base: &str, code: &str) {
    c.goto(&format!("{base}/phan-anh/tra-cuu?ma={code}"))
        .await
        .expect("track");
    let answer = text_of(c, ".answer-text").await;
    assert!(answer.contains("sổ hộ khẩu"), "answer: {answer}");
    assert_accessible(c, "tracking page").await;
    screenshot(c, "fb-05-tracking").await;
    c.goto(&format!("{base}/phan-anh/da-tra-loi"))
        .await
        .expect("list");
    let html = c.source().await.expect("source");
    assert!(html.contains(code), "published on the portal");
    for secret in [
        "0912777888",
        "777 888",
        "hoa.nt@example.vn",
        "Nguyễn Thị Hoa",
        "Phố Huế",
    ] {
        assert!(!html.contains(secret), "public page leaks {secret}");
    }
    assert_accessible(c, "answered list").await;
}

#[tokio::test]
async fn a_citizen_follows_feedback_from_the_form_to_the_published_answer() {
    let Some((client, _driver)) = start_browser().await else {
        return;
    };
    let app = TestApp::new().await;
    let base = serve(&app).await;
    let code = citizen_sends_feedback(&client, &base).await;
    officer_handles_it(&client, &base).await;
    leader_approves(&client, &base).await;
    citizen_reads_the_answer(&client, &base, &code).await;
    client.close().await.expect("close");
}
