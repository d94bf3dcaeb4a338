//! Browser end-to-end tests in headless Chromium (Debian `chromium` + `chromium-driver`),
//! driven with fantoccini, with axe-core accessibility checks (zero serious or critical
//! violations) and screenshots saved under `target/e2e-screenshots/`.
//!
//! Skipped with a message when `chromedriver` is not installed, unless
//! `THUTUC_REQUIRE_BROWSER=1`, which turns a missing browser into a failure (CI).

mod harness;
use harness::*;

use thutuc_e2e::TestApp;
use thutuc_e2e::fixtures::{BIRTH, HCM};

async fn citizen_searches_without_diacritics(c: &Client, base: &str) {
    c.goto(base).await.expect("home");
    assert_accessible(c, "home").await;
    screenshot(c, "01-home").await;
    let q = c.find(Locator::Id("q")).await.expect("search box");
    q.send_keys("dang ky khai sinh").await.expect("type");
    let first = text_of(c, "#suggest li a").await;
    assert!(
        first.to_lowercase().contains("khai sinh"),
        "type-ahead suggests {first}"
    );
    screenshot(c, "02-typeahead").await;
    c.find(Locator::Css("form.searchbox button[type=submit]"))
        .await
        .expect("button")
        .click()
        .await
        .expect("search");
    let title = text_of(c, ".results li a.title").await;
    assert!(title.contains("đăng ký khai sinh"), "first result: {title}");
    assert_accessible(c, "search").await;
    screenshot(c, "03-search").await;
    c.find(Locator::Css(&format!(
        ".results a[href='/thu-tuc/{BIRTH}']"
    )))
    .await
    .expect("result")
    .click()
    .await
    .expect("open");
    let h1 = text_of(c, "article.record h1").await;
    assert_eq!(h1, "Thủ tục đăng ký khai sinh");
    assert_accessible(c, "procedure").await;
    screenshot(c, "04-procedure").await;
    c.set_window_size(360, 800).await.expect("phone");
    c.refresh().await.expect("reload");
    screenshot(c, "05-procedure-360px").await;
    let overflow: bool = serde_json::from_value(
        c.execute(
            "return document.documentElement.scrollWidth > window.innerWidth + 1;",
            vec![],
        )
        .await
        .expect("js"),
    )
    .unwrap_or(true);
    assert!(!overflow, "no horizontal scrolling at 360 px");
    c.set_window_size(1280, 900).await.expect("desktop");
    c.goto(&format!("{base}/lich?nam=2026"))
        .await
        .expect("calendar");
    assert_accessible(c, "calendar").await;
    screenshot(c, "12-calendar").await;
    c.goto(&format!("{base}/?lang=en")).await.expect("english");
    assert_eq!(
        text_of(c, "main h1").await,
        "Find an administrative procedure"
    );
    screenshot(c, "13-home-en").await;
    c.goto(&format!("{base}/?lang=vi"))
        .await
        .expect("vietnamese");
}

async fn officer_drafts_and_leader_publishes(c: &Client, base: &str) {
    login(c, base, "canbo@moj.gov.vn").await;
    assert_accessible(c, "workspace").await;
    screenshot(c, "06-workspace").await;
    c.goto(&format!("{base}/thu-tuc/{BIRTH}"))
        .await
        .expect("procedure");
    c.find(Locator::Css("form[action$='/du-thao'] button"))
        .await
        .expect("draft button")
        .click()
        .await
        .expect("open draft");
    let ch = c
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css("input[name='ch.time']"))
        .await
        .expect("time field");
    ch.clear().await.expect("clear");
    ch.send_keys("2").await.expect("type");
    let legal_rows = c
        .find_all(Locator::Css("#rows-legal .row"))
        .await
        .expect("rows")
        .len();
    c.find(Locator::Css("button[value='add-legal']"))
        .await
        .expect("add legal")
        .click()
        .await
        .expect("htmx add");
    c.wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css(&format!(
            "#rows-legal .row:nth-of-type({})",
            legal_rows + 1
        )))
        .await
        .expect("htmx added a row without reloading");
    let rows = c
        .find_all(Locator::Css("#rows-legal input[name='legal.number']"))
        .await
        .expect("inputs");
    rows.last()
        .expect("new row")
        .send_keys("25/2021/TT-BTC")
        .await
        .expect("type");
    c.find(Locator::Css("button[value='save']:not(.visually-hidden)"))
        .await
        .expect("save")
        .click()
        .await
        .expect("save");
    wait_text(c, ".banner.ok", "Đã lưu").await;
    let preview = text_of(c, "#h-preview + ul").await;
    assert!(preview.contains("Thời hạn"), "diff preview: {preview}");
    assert_accessible(c, "draft editor").await;
    screenshot(c, "07-draft-editor").await;
    c.find(Locator::Css("form[action$='/trang-thai'] button"))
        .await
        .expect("submit")
        .click()
        .await
        .expect("submit");
    wait_text(c, ".banner.ok", "Đã gửi").await;
    let draft_url = c.current_url().await.expect("url").path().to_string();
    logout(c).await;

    login(c, base, "lanhdao@moj.gov.vn").await;
    c.goto(&format!("{base}{draft_url}/phe-duyet"))
        .await
        .expect("approve page");
    c.find(Locator::Id("number"))
        .await
        .expect("number")
        .send_keys("21/QĐ-BTP")
        .await
        .expect("type");
    assert_accessible(c, "approval").await;
    screenshot(c, "08-approve").await;
    c.find(Locator::Css("button[value='approve']"))
        .await
        .expect("approve")
        .click()
        .await
        .expect("approve");
    wait_text(c, ".banner.amended", "21/QĐ-BTP").await;
    let changes = text_of(c, "#h-changes + ul").await;
    assert!(
        changes.contains("Thời hạn") || changes.contains("Cách thức"),
        "public diff: {changes}"
    );
    screenshot(c, "09-published").await;
    c.goto(&format!("{base}/quyet-dinh/21/Q%C4%90-BTP"))
        .await
        .expect("decision");
    assert!(text_of(c, "article.record h1").await.contains("21/QĐ-BTP"));
    assert_accessible(c, "decision").await;
    screenshot(c, "10-decision").await;
    logout(c).await;
}

async fn officer_of_one_province_cannot_reach_another(c: &Client, base: &str, app: &TestApp) {
    use thutuc_store::ProcedureStore;
    let seq = app
        .store
        .get_procedure(&thutuc_store_tests::fixtures::code(HCM))
        .await
        .map(|_| 2)
        .expect("procedure");
    login(c, base, "canbo@hanoi.gov.vn").await;
    c.goto(&format!("{base}/can-bo/thu-tuc/{HCM}/du-thao/{seq}"))
        .await
        .expect("other province");
    let msg = text_of(c, "main h1").await;
    assert!(msg.contains("không có quyền"), "{msg}");
    screenshot(c, "11-forbidden").await;
    logout(c).await;
}

#[tokio::test]
async fn a_citizen_an_officer_and_a_leader_do_their_jobs_in_a_real_browser() {
    let Some((client, _driver)) = start_browser().await else {
        return;
    };
    let app = TestApp::new().await;
    let base = serve(&app).await;
    citizen_searches_without_diacritics(&client, &base).await;
    officer_drafts_and_leader_publishes(&client, &base).await;
    officer_of_one_province_cannot_reach_another(&client, &base, &app).await;
    client.close().await.expect("close");
}
