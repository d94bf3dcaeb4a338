//! Browser test of feedback (phản ánh, kiến nghị) in headless Chromium: a citizen sends
//! feedback about a real procedure through the portal form, an officer registers, classifies,
//! evaluates and drafts the answer, a leader approves it, and the citizen reads the published
//! answer with the tracking code — with axe-core checks and no personal data on public pages.
//!
//! Skipped with a message when `chromedriver` is not installed, unless
//! `THUTUC_REQUIRE_BROWSER=1`.

use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use thutuc_e2e::TestApp;
use thutuc_e2e::fixtures::{BIRTH, PASSWORD};

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
