//! Assets served from the binary (no CDN): the stylesheet, htmx and a small script. URLs carry
//! a content fingerprint so browsers may cache them for a year.

use std::sync::LazyLock;

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

const CSS: &[u8] = include_bytes!("../../static/app.css");
const JS: &[u8] = include_bytes!("../../static/app.js");
const HTMX: &[u8] = include_bytes!("../../static/htmx.min.js");

fn href(name: &str, body: &[u8]) -> &'static str {
    let h = hex::encode(Sha256::digest(body));
    Box::leak(format!("/static/{name}?v={}", &h[..10]).into_boxed_str())
}

static CSS_HREF: LazyLock<&'static str> = LazyLock::new(|| href("app.css", CSS));
static JS_HREF: LazyLock<&'static str> = LazyLock::new(|| href("app.js", JS));
static HTMX_HREF: LazyLock<&'static str> = LazyLock::new(|| href("htmx.min.js", HTMX));

/// Versioned stylesheet URL.
pub fn css_href() -> &'static str {
    &CSS_HREF
}
/// Versioned app script URL.
pub fn js_href() -> &'static str {
    &JS_HREF
}
/// Versioned htmx URL.
pub fn htmx_href() -> &'static str {
    &HTMX_HREF
}

/// `GET /static/{file}`.
pub async fn serve(Path(file): Path<String>) -> Response {
    let (body, ctype) = match file.as_str() {
        "app.css" => (CSS, "text/css; charset=utf-8"),
        "app.js" => (JS, "text/javascript; charset=utf-8"),
        "htmx.min.js" => (HTMX, "text/javascript; charset=utf-8"),
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(ctype)),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=31536000, immutable"),
            ),
        ],
        body,
    )
        .into_response()
}
