//! The page middleware and the per-request context: language, signed-in viewer, CSRF token.
//!
//! One middleware wraps every HTML route. It picks the language (`?lang=` then cookie), loads
//! the session, refuses any state-changing request whose CSRF token (form field `_csrf` or
//! header `X-CSRF-Token`) does not match, and renders error pages in the right language.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use thutuc_store::Store;

use crate::i18n::Lang;
use crate::pages::caches::PageCaches;
use crate::pages::error::{ErrorInfo, PageError, render_error};
use crate::pages::statics;
use crate::session::{self, PagesConfig, Viewer};
use crate::state::AppState;

/// Largest form body accepted by pages.
pub const MAX_FORM_BYTES: usize = 2 * 1024 * 1024;
/// Largest upload accepted by the workspace's import page (a national export of 100,000
/// procedures as XLSX is about 40 MB).
pub const MAX_UPLOAD_BYTES: usize = 100 * 1024 * 1024;
/// The page that takes uploads.
pub const UPLOAD_PATH: &str = "/can-bo/nhap-du-lieu";

/// What every page handler knows about the request.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// Interface language.
    pub lang: Lang,
    /// The signed-in user, if any.
    pub viewer: Option<Viewer>,
    /// A session cookie was present but the session had ended or idled out.
    pub expired: bool,
    /// The CSRF token to embed in forms.
    pub csrf: String,
    /// Path of the request.
    pub path: String,
    /// Query string of the request (without `?`).
    pub query: String,
    /// Settings.
    pub cfg: Arc<PagesConfig>,
    /// This router's caches.
    pub caches: Arc<PageCaches>,
    /// Client address.
    pub ip: String,
    /// Browser.
    pub user_agent: String,
    /// The request came from htmx (answer with a fragment).
    pub htmx: bool,
}

/// Shared fields of every page template.
#[derive(Debug, Clone)]
pub struct Base {
    /// Language.
    pub lang: Lang,
    /// Page title.
    pub title: String,
    /// CSRF token for forms.
    pub csrf: String,
    /// Signed-in user's name.
    pub user_name: Option<String>,
    /// Link to this page in the other language.
    pub switch_href: String,
    /// Active navigation section.
    pub nav: &'static str,
    /// Versioned stylesheet URL.
    pub css: &'static str,
    /// Versioned htmx URL.
    pub htmx: &'static str,
    /// Versioned app script URL.
    pub js: &'static str,
}

impl Base {
    /// Translates a UI string.
    pub fn t(&self, key: &str) -> &'static str {
        self.lang.t(key)
    }
    /// `aria-current` value for a navigation entry.
    pub fn current(&self, nav: &str) -> &'static str {
        if self.nav == nav { "page" } else { "false" }
    }
}

impl Ctx {
    /// The template base for a page.
    pub fn base(&self, title: impl Into<String>, nav: &'static str) -> Base {
        Base {
            lang: self.lang,
            title: title.into(),
            csrf: self.csrf.clone(),
            user_name: self.viewer.as_ref().map(|v| v.user.name.clone()),
            switch_href: self.switch_href(),
            nav,
            css: statics::css_href(),
            htmx: statics::htmx_href(),
            js: statics::js_href(),
        }
    }

    /// This page in the other language.
    pub fn switch_href(&self) -> String {
        let mut pairs: Vec<(String, String)> = form_urlencoded::parse(self.query.as_bytes())
            .filter(|(k, _)| k != "lang")
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        pairs.push(("lang".into(), self.lang.other().code().into()));
        let q: String = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish();
        format!("{}?{q}", self.path)
    }

    /// The signed-in viewer, or a redirect to the sign-in page that comes back here.
    pub fn viewer(&self) -> Result<&Viewer, PageError> {
        self.viewer.as_ref().ok_or_else(|| {
            let next: String = form_urlencoded::byte_serialize(self.path.as_bytes()).collect();
            let flag = if self.expired { "&het-han=1" } else { "" };
            PageError::Redirect(format!("/dang-nhap?next={next}{flag}"))
        })
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Ctx>()
            .cloned()
            .ok_or_else(|| PageError::internal("page context missing"))
    }
}

fn query_lang(query: &str) -> Option<Lang> {
    form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == "lang")
        .and_then(|(_, v)| Lang::parse(&v))
}

/// The CSRF field of an urlencoded or a `multipart/form-data` body.
fn form_token(headers: &axum::http::HeaderMap, body: &[u8]) -> Option<String> {
    if let Some(parts) = crate::api::feedback::multipart::parse(headers, body) {
        return parts
            .into_iter()
            .find(|p| p.name == session::CSRF_FIELD && p.filename.is_none())
            .and_then(|p| String::from_utf8(p.data).ok());
    }
    form_urlencoded::parse(body)
        .find(|(k, _)| k == session::CSRF_FIELD)
        .map(|(_, v)| v.into_owned())
}

/// The page middleware (see the module docs).
pub async fn page_layer<S: Store>(
    State((st, cfg, caches)): State<(AppState<S>, Arc<PagesConfig>, Arc<PageCaches>)>,
    req: Request,
    next: Next,
) -> Response {
    let (mut parts, body) = req.into_parts();
    let path = parts.uri.path().to_string();
    if path.starts_with("/static/") || path.starts_with("/api/") {
        return next.run(Request::from_parts(parts, body)).await;
    }
    let query = parts.uri.query().unwrap_or_default().to_string();
    let asked = query_lang(&query);
    let lang = asked
        .or_else(|| session::cookie(&parts.headers, session::LANG_COOKIE).and_then(Lang::parse))
        .unwrap_or_default();
    let loaded = session::load(&st, &cfg, &parts.headers).await;
    let loaded = match loaded {
        Ok(l) => l,
        Err(e) => {
            tracing::error!(error = %e, "session lookup failed");
            session::Loaded::default()
        }
    };
    let pre = session::cookie(&parts.headers, session::PRE_CSRF_COOKIE)
        .filter(|c| c.len() == 64)
        .map(str::to_string);
    let mut new_pre = None;
    let csrf = match (&loaded.viewer, pre) {
        (Some(v), _) => v.session.csrf_token.clone(),
        (None, Some(p)) => p,
        // Only the sign-in form needs a pre-session token; other anonymous pages have no forms
        // and stay free of cookies (cacheable).
        (None, None) if path.starts_with("/dang-nhap") => {
            let t = session::random_token();
            new_pre = Some(t.clone());
            t
        }
        (None, None) => String::new(),
    };
    let ctx = Ctx {
        lang,
        viewer: loaded.viewer,
        expired: loaded.expired,
        csrf,
        path,
        query,
        ip: session::client_ip(
            &cfg,
            &parts.headers,
            parts.extensions.get::<ConnectInfo<std::net::SocketAddr>>(),
        ),
        user_agent: parts
            .headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string(),
        htmx: parts.headers.contains_key("hx-request"),
        cfg: cfg.clone(),
        caches,
    };
    let body = if matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS) {
        body
    } else {
        let limit = if ctx.path == UPLOAD_PATH {
            MAX_UPLOAD_BYTES
        } else if ctx.path.starts_with("/can-bo/nhiem-vu/") && ctx.path.ends_with("/buoc") {
            crate::pages::tasks::MAX_STEP_BYTES
        } else {
            MAX_FORM_BYTES
        };
        let bytes = match axum::body::to_bytes(body, limit).await {
            Ok(b) => b,
            Err(_) => {
                let e = ErrorInfo::new(StatusCode::PAYLOAD_TOO_LARGE, "err.too_large", "");
                return finish(&ctx, render_error(&ctx, &e), asked, None);
            }
        };
        let provided = parts
            .headers
            .get(session::CSRF_HEADER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
            .or_else(|| form_token(&parts.headers, &bytes));
        let fresh_anonymous = new_pre.is_some() || ctx.csrf.is_empty();
        if fresh_anonymous || !provided.is_some_and(|p| session::same_secret(&p, &ctx.csrf)) {
            let e = if ctx.expired {
                ErrorInfo::new(StatusCode::UNAUTHORIZED, "login.expired", "")
            } else {
                ErrorInfo::new(StatusCode::FORBIDDEN, "err.csrf", "")
            };
            return finish(&ctx, render_error(&ctx, &e), asked, new_pre);
        }
        Body::from(bytes)
    };
    parts.extensions.insert(ctx.clone());
    let resp = next.run(Request::from_parts(parts, body)).await;
    let resp = match resp.extensions().get::<ErrorInfo>().cloned() {
        Some(e) => render_error(&ctx, &e),
        None => resp,
    };
    finish(&ctx, resp, asked, new_pre)
}

fn finish(ctx: &Ctx, mut resp: Response, asked: Option<Lang>, pre: Option<String>) -> Response {
    let mut add = |v: String| {
        if let Ok(h) = HeaderValue::from_str(&v) {
            resp.headers_mut().append(header::SET_COOKIE, h);
        }
    };
    if let Some(l) = asked {
        add(session::set_cookie(
            &ctx.cfg,
            session::LANG_COOKIE,
            l.code(),
            Some(365 * 86400),
            false,
        ));
    }
    if let Some(p) = pre {
        add(session::set_cookie(
            &ctx.cfg,
            session::PRE_CSRF_COOKIE,
            &p,
            None,
            true,
        ));
    }
    if ctx.viewer.is_some() || ctx.path.starts_with("/dang-nhap") {
        resp.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    resp.into_response()
}
