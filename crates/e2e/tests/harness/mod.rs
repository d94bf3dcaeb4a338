//! The browser harness shared by the browser tests: starting chromedriver and headless
//! Chromium (skipped with a message when absent, unless `THUTUC_REQUIRE_BROWSER=1`), serving a
//! test application on loopback, screenshots under `target/e2e-screenshots/`, axe-core checks,
//! and signing in and out.
// Each test binary uses its own subset of these helpers.
#![allow(dead_code)]

pub use std::time::Duration;

pub use fantoccini::{Client, Locator};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};

use fantoccini::ClientBuilder;
use thutuc_e2e::TestApp;
use thutuc_e2e::fixtures::PASSWORD;

pub(crate) const AXE: &str = include_str!("../../../web/static/axe.min.js");
pub(crate) const CHROME_FLAGS: [&str; 10] = [
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

pub(crate) fn find_program(name: &str) -> Option<std::path::PathBuf> {
    std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

pub(crate) struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

pub(crate) async fn start_browser() -> Option<(Client, Driver)> {
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

pub(crate) async fn serve(app: &TestApp) -> String {
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

pub(crate) async fn screenshot(c: &Client, name: &str) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/e2e-screenshots");
    let _ = std::fs::create_dir_all(&dir);
    if let Ok(png) = c.screenshot().await {
        let _ = std::fs::write(dir.join(format!("{name}.png")), png);
    }
}

/// Runs axe-core on the current page and returns the serious and critical violations.
pub(crate) async fn axe(c: &Client) -> Vec<String> {
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

pub(crate) async fn assert_accessible(c: &Client, page: &str) {
    let v = axe(c).await;
    assert!(
        v.is_empty(),
        "axe found serious/critical violations on {page}: {v:#?}"
    );
}

pub(crate) async fn text_of(c: &Client, css: &str) -> String {
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
pub(crate) async fn wait_text(c: &Client, css: &str, needle: &str) -> String {
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

pub(crate) async fn login(c: &Client, base: &str, email: &str) {
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

pub(crate) async fn logout(c: &Client) {
    c.find(Locator::Css("header form[action='/dang-xuat'] button"))
        .await
        .expect("logout")
        .click()
        .await
        .expect("click");
    tokio::time::sleep(Duration::from_millis(300)).await;
}

pub(crate) async fn fill(c: &Client, id: &str, text: &str) {
    c.find(Locator::Id(id))
        .await
        .expect(id)
        .send_keys(text)
        .await
        .expect("type");
}
