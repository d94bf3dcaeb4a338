//! Browser test of directing and urging in headless Chromium (same set-up as `browser.rs`): a
//! Working Group member turns a meeting's conclusion into a task for Hà Nội, the province's
//! officer reports completion with evidence, the Working Group accepts it and the dashboard
//! counts it as completed on time. Pages are checked with axe-core on the way.
//!
//! Skipped with a message when `chromedriver` is not installed, unless
//! `THUTUC_REQUIRE_BROWSER=1`.

use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use thutuc_e2e::TestApp;
use thutuc_e2e::fixtures::PASSWORD;

const AXE: &str = include_str!("../../web/static/axe.min.js");
const CHROME_FLAGS: [&str; 10] = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--window-size=1280,900",
];

fn find_program(name: &str) -> Option<std::path::PathBuf> {
    std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

async fn start_browser() -> Option<(Client, Driver)> {
    let Some(driver) = find_program("chromedriver") else {
        if std::env::var("THUTUC_REQUIRE_BROWSER").is_ok_and(|v| v == "1") {
            panic!(
                "THUTUC_REQUIRE_BROWSER=1 but chromedriver is not installed (apt-get install chromium chromium-driver)"
            );
        }
        eprintln!(
            "skipped: chromedriver not found (apt-get install chromium chromium-driver); set THUTUC_REQUIRE_BROWSER=1 to fail instead"
        );
        return None;
    };
    let port = free_port();
    let child = Command::new(driver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    let guard = Driver(child);
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mut caps = serde_json::Map::new();
    let mut opts = serde_json::json!({ "args": CHROME_FLAGS });
    if let Some(bin) = find_program("chromium") {
        opts["binary"] = serde_json::json!(bin);
    }
    caps.insert("goog:chromeOptions".into(), opts);
    thutuc_e2e::install_crypto_provider();
    let client = ClientBuilder::rustls()
        .expect("tls")
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("webdriver session");
    Some((client, guard))
}

async fn serve(app: &TestApp) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let router = app.router.clone();
    tokio::spawn(async move {
        let _ = axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await;
    });
    format!("http://{addr}")
}

async fn screenshot(c: &Client, name: &str) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/e2e-screenshots");
    let _ = std::fs::create_dir_all(&dir);
    if let Ok(png) = c.screenshot().await {
        let _ = std::fs::write(dir.join(format!("{name}.png")), png);
    }
}

/// Runs axe-core on the current page and returns the serious and critical violations.
async fn axe(c: &Client) -> Vec<String> {
    c.execute(AXE, vec![]).await.expect("inject axe");
    let script = r#"
        const done = arguments[arguments.length - 1];
        axe.run(document, { resultTypes: ['violations'] }).then(r => done(
            r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
              .map(v => v.id + ' (' + v.impact + '): ' + v.help + ' — ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))
        )).catch(e => done(['axe failed: ' + e]));
    "#;
    let out = c.execute_async(script, vec![]).await.expect("run axe");
    serde_json::from_value(out).unwrap_or_default()
}

async fn assert_accessible(c: &Client, page: &str) {
    let v = axe(c).await;
    assert!(
        v.is_empty(),
        "axe found serious/critical violations on {page}: {v:#?}"
    );
}

async fn text_of(c: &Client, css: &str) -> String {
    c.wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css(css))
        .await
        .expect(css)
        .text()
        .await
        .expect("text")
}

/// Waits until an element matching `css` contains `needle` (the page may still be the old one
/// right after a click).
async fn wait_text(c: &Client, css: &str, needle: &str) -> String {
    let mut last = String::new();
    for _ in 0..100 {
        if let Ok(e) = c.find(Locator::Css(css)).await {
            last = e.text().await.unwrap_or_default();
            if last.contains(needle) {
                return last;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{css} never contained {needle:?}; last text: {last:?}");
}

async fn login(c: &Client, base: &str, email: &str) {
    c.goto(&format!("{base}/dang-nhap"))
        .await
        .expect("login page");
    c.find(Locator::Id("email"))
        .await
        .expect("email")
        .send_keys(email)
        .await
        .expect("type");
    c.find(Locator::Id("password"))
        .await
        .expect("password")
        .send_keys(PASSWORD)
        .await
        .expect("type");
    c.find(Locator::Css("main form button[type=submit]"))
        .await
        .expect("submit")
        .click()
        .await
        .expect("click");
    c.wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Id("h-drafts"))
        .await
        .expect("signed in");
}

async fn logout(c: &Client) {
    c.find(Locator::Css("header form[action='/dang-xuat'] button"))
        .await
        .expect("logout")
        .click()
        .await
        .expect("click");
    tokio::time::sleep(Duration::from_millis(300)).await;
}

async fn fill(c: &Client, id: &str, text: &str) {
    c.find(Locator::Id(id))
        .await
        .expect(id)
        .send_keys(text)
        .await
        .expect("type");
}

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
