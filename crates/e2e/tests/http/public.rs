//! Public pages: rendering, language, errors.

use super::*;

#[tokio::test]
async fn public_pages_render_in_vietnamese_with_security_headers() {
    let app = TestApp::new().await;
    for path in [
        "/",
        "/tim-kiem?q=dang+ky+khai+sinh",
        &format!("/thu-tuc/{BIRTH}"),
        "/quyet-dinh",
        "/quyet-dinh/100/Q%C4%90-BTP",
        "/co-quan",
        "/co-quan/BTP",
        "/lich?nam=2026",
        "/van-ban/123/2015/N%C4%90-CP",
        "/dang-nhap",
        "/goi-y?q=khai+sinh",
    ] {
        let resp = app
            .send(
                axum::http::Request::get(path)
                    .body(axum::body::Body::empty())
                    .expect("req"),
            )
            .await;
        assert_eq!(resp.status, 200, "{path}: {}", resp.body);
        assert!(resp.content_type.starts_with("text/html"), "{path}");
    }
    let home = app.router.clone();
    let r = tower::ServiceExt::oneshot(
        home,
        axum::http::Request::get("/")
            .body(axum::body::Body::empty())
            .expect("req"),
    )
    .await
    .expect("resp");
    let csp = r
        .headers()
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert!(
        csp.contains("script-src 'self'")
            && csp.contains("frame-ancestors 'none'")
            && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    assert_eq!(
        r.headers()
            .get("x-content-type-options")
            .map(|v| v.as_bytes()),
        Some(&b"nosniff"[..])
    );
    assert!(r.headers().contains_key("referrer-policy"));
    let search = app.get("/tim-kiem?q=dang+ky+khai+sinh", None).await;
    assert!(
        search.body.contains("<mark>đăng ký khai sinh</mark>"),
        "accent-insensitive highlight, adjacent words marked together"
    );
    // A word found only outside the name is shown in a highlighted fragment of that field.
    // Type-ahead completes the last word: "khai si" suggests the birth registration first.
    let typed = app.get("/goi-y?q=khai+si", None).await;
    let first = typed.body.split("</li>").next().unwrap_or_default();
    assert!(
        first.contains(&format!("/thu-tuc/{BIRTH}")) && first.contains("<mark>khai sinh</mark>"),
        "{}",
        typed.body
    );
    let other = app.get("/tim-kiem?q=khai+sinh+mot+cua", None).await;
    assert!(
        other.body.contains("<p class=\"snippet\">…")
            && other.body.contains("bộ phận <mark>một cửa</mark>"),
        "snippet of another field"
    );
    assert!(search.body.contains(&format!("/thu-tuc/{BIRTH}")));
    assert!(
        search.body.contains("Cấp xã ("),
        "facet counts from the search index"
    );
    let page = app.get(&format!("/thu-tuc/{BIRTH}"), None).await;
    for want in [
        "Trình tự thực hiện",
        "8.000 đ",
        "/van-ban/123/2015/N%C4%90-CP",
        "3 ngày làm việc",
    ] {
        assert!(page.body.contains(want), "procedure page lacks {want}");
    }
}

#[tokio::test]
async fn the_interface_switches_to_english_and_remembers_it() {
    let app = TestApp::new().await;
    let en = app.get("/?lang=en", None).await;
    assert!(en.body.contains("Find an administrative procedure"));
    assert_eq!(en.cookie("thutuc_lang").as_deref(), Some("en"));
    let again = app
        .send(
            axum::http::Request::get("/quyet-dinh")
                .header("cookie", "thutuc_lang=en")
                .body(axum::body::Body::empty())
                .expect("req"),
        )
        .await;
    assert!(again.body.contains("Publication decisions"));
}

#[tokio::test]
async fn unknown_pages_get_a_vietnamese_page_and_the_api_keeps_problem_json() {
    let app = TestApp::new().await;
    let html = app
        .send(
            axum::http::Request::get("/khong-co")
                .header("accept", "text/html,application/xhtml+xml")
                .body(axum::body::Body::empty())
                .expect("req"),
        )
        .await;
    assert_eq!(html.status, 404);
    assert!(
        html.body.contains("Không tìm thấy trang") && html.content_type.starts_with("text/html")
    );
    let proc = app.get("/thu-tuc/9.999999", None).await;
    assert_eq!(proc.status, 404);
    assert!(proc.body.contains("Không tìm thấy"));
    let api = app.get("/api/v1/khong-co", None).await;
    let curl = app.get("/khong-co", None).await;
    assert_eq!(
        curl.content_type, "application/problem+json",
        "non-browser clients get problem+json"
    );
    assert_eq!(
        (api.status, api.content_type.as_str()),
        (404, "application/problem+json")
    );
}

/// The procedure page says how many feedback items concern it, fresh on every view (the rest
/// of the page may come from the cache).
#[tokio::test]
async fn the_procedure_page_counts_its_feedback_items() {
    let app = TestApp::new().await;
    let path = format!("/thu-tuc/{BIRTH}");
    let before = app.get(&path, None).await;
    assert!(
        before.body.contains("<strong>0</strong> phản ánh"),
        "{}",
        before.body
    );
    let req = axum::http::Request::post("/api/v1/feedback")
        .header("content-type", "application/json")
        .body(axum::body::Body::from(
            serde_json::json!({
                "sender_name": "Nguyễn Văn An",
                "sender_address": "12 Hàng Bài, Hoàn Kiếm, Hà Nội",
                "sender_phone": "0912345678",
                "content": "Thủ tục đăng ký khai sinh yêu cầu bản sao giấy tờ đã được số hoá, đề nghị bỏ yêu cầu này.",
                "content_kind": "unrealistic",
                "procedure_code": BIRTH
            })
            .to_string(),
        ))
        .expect("request");
    let sent = app.send(req).await;
    assert!(
        sent.status == 201 || sent.status == 200,
        "{}: {}",
        sent.status,
        sent.body
    );
    let after = app.get(&path, None).await;
    assert!(
        after.body.contains("<strong>1</strong> phản ánh"),
        "cached page, fresh count"
    );
}

/// Page weight (issue 6): the home page with its stylesheet and scripts travels in at most
/// 100 KB when the browser accepts gzip, as every browser does.
#[tokio::test]
async fn the_home_page_with_its_assets_weighs_under_100_kb_compressed() {
    let app = TestApp::new().await;
    let get = |path: String| {
        let app = &app;
        async move {
            let req = axum::http::Request::get(path.as_str())
                .header("accept-encoding", "gzip")
                .body(axum::body::Body::empty())
                .expect("request");
            let (status, headers, body) = app.send_raw(req).await;
            assert_eq!(status, 200, "{path}");
            let gzip = headers
                .get("content-encoding")
                .is_some_and(|v| v.as_bytes() == b"gzip");
            (body, gzip)
        }
    };
    let (home, gzip) = get("/".to_string()).await;
    assert!(gzip, "the home page is compressed");
    let mut html = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&home[..]), &mut html)
        .expect("gunzip");
    assert!(html.contains("<form"), "the search box");
    let assets: Vec<String> = html
        .split(['"', '\''])
        .filter(|s| s.starts_with("/static/"))
        .map(str::to_string)
        .collect();
    assert!(
        assets.iter().any(|a| a.contains(".css")) && assets.iter().any(|a| a.contains(".js")),
        "{assets:?}"
    );
    let mut total = home.len();
    for a in assets {
        total += get(a).await.0.len();
    }
    assert!(
        total <= 100 * 1024,
        "home page weighs {total} bytes compressed"
    );
}
