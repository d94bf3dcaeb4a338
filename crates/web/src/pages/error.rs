//! Errors of HTML pages. A handler returns [`PageError`]; its response carries an
//! [`ErrorInfo`] extension that the page middleware turns into a Vietnamese (or English) error
//! page with the site's layout. The API keeps answering problem+json (see `crate::error`).

use askama::Template;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use thutuc_store::StoreError;

use crate::error::WebError;
use crate::pages::context::{Base, Ctx};

/// What went wrong, for the error page.
#[derive(Debug, Clone)]
pub struct ErrorInfo {
    /// HTTP status.
    pub status: StatusCode,
    /// UI string key of the headline.
    pub title_key: &'static str,
    /// Explanation (already in Vietnamese, naming the record).
    pub detail: String,
}

impl ErrorInfo {
    /// An error with a headline key and detail.
    pub fn new(status: StatusCode, title_key: &'static str, detail: impl Into<String>) -> Self {
        Self {
            status,
            title_key,
            detail: detail.into(),
        }
    }
}

/// An error answered by a page handler.
#[derive(Debug)]
pub enum PageError {
    /// Show an error page.
    Page(ErrorInfo),
    /// Send the browser elsewhere (e.g. to sign in).
    Redirect(String),
}

impl PageError {
    /// 404.
    pub fn not_found(detail: impl Into<String>) -> Self {
        Self::Page(ErrorInfo::new(StatusCode::NOT_FOUND, "err.404", detail))
    }
    /// 500 (detail logged, not shown).
    pub fn internal(detail: impl Into<String>) -> Self {
        let d = detail.into();
        tracing::error!(error = %d, "page error");
        Self::Page(ErrorInfo::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "err.500",
            "",
        ))
    }
    /// 400.
    pub fn bad_request(detail: impl Into<String>) -> Self {
        Self::Page(ErrorInfo::new(StatusCode::BAD_REQUEST, "err.400", detail))
    }
    /// 403.
    pub fn forbidden(detail: impl Into<String>) -> Self {
        Self::Page(ErrorInfo::new(StatusCode::FORBIDDEN, "err.403", detail))
    }
}

fn title_key(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "err.400",
        401 => "login.required",
        403 => "err.403",
        404 => "err.404",
        405 => "err.405",
        409 => "err.409",
        413 => "err.too_large",
        422 => "err.422",
        429 => "err.429",
        503 => "err.503",
        _ => "err.500",
    }
}

impl From<WebError> for PageError {
    fn from(e: WebError) -> Self {
        let detail = if e.status.is_server_error() {
            String::new()
        } else {
            e.detail
        };
        Self::Page(ErrorInfo::new(e.status, title_key(e.status), detail))
    }
}

impl From<StoreError> for PageError {
    fn from(e: StoreError) -> Self {
        WebError::from(e).into()
    }
}

impl From<askama::Error> for PageError {
    fn from(e: askama::Error) -> Self {
        Self::internal(format!("template: {e}"))
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        match self {
            PageError::Redirect(to) => Redirect::to(&to).into_response(),
            PageError::Page(info) => {
                let mut r = (info.status, info.detail.clone()).into_response();
                r.extensions_mut().insert(info);
                r
            }
        }
    }
}

/// Result of page handlers.
pub type PageResult = Result<Response, PageError>;

/// Renders a template as an HTML response.
pub fn html<T: Template>(t: &T) -> PageResult {
    Ok(Html(t.render()?).into_response())
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    b: Base,
    info: &'a ErrorInfo,
    signin: bool,
}

/// The error page for `info`, in the viewer's language.
pub fn render_error(ctx: &Ctx, info: &ErrorInfo) -> Response {
    let title = ctx.lang.t(info.title_key).to_string();
    let page = ErrorPage {
        b: ctx.base(title, ""),
        info,
        signin: matches!(info.status.as_u16(), 401),
    };
    let body = page.render().unwrap_or_else(|_| info.detail.clone());
    let mut r = (info.status, Html(body)).into_response();
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    r
}
