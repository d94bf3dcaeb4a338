//! The HTTP error tier. Handlers return `Result<_, WebError>`; a `WebError` renders as RFC 9457
//! `application/problem+json` for the API (HTML pages arrive with the portal). Internal
//! details (`StoreError::Other`, `Unavailable`) are logged and replaced by a generic message.
//!
//! Which tier when: domain enums for rule violations (pure), `StoreError` from storage, and
//! `WebError` only at the edge, built from either with `From`.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use thutuc_store::StoreError;

/// An error answered to a client.
#[derive(Debug)]
pub struct WebError {
    /// HTTP status.
    pub status: StatusCode,
    /// Short title (problem `title`).
    pub title: &'static str,
    /// Explanation naming the record and field (problem `detail`).
    pub detail: String,
    /// Extra members, e.g. the current state on a conflict.
    pub extra: Option<serde_json::Value>,
}

impl WebError {
    /// 400 with a message.
    pub fn bad_request(detail: impl Into<String>) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            title: "Yêu cầu không hợp lệ / Bad request",
            detail: detail.into(),
            extra: None,
        }
    }
    /// 401.
    pub fn unauthorized() -> Self {
        Self {
            status: StatusCode::UNAUTHORIZED,
            title: "Chưa xác thực / Unauthorized",
            detail: "cần mã truy cập hợp lệ (Authorization: Bearer …) / a valid token is required"
                .into(),
            extra: None,
        }
    }
    /// 403 with the reason.
    pub fn forbidden(detail: impl Into<String>) -> Self {
        Self {
            status: StatusCode::FORBIDDEN,
            title: "Không có quyền / Forbidden",
            detail: detail.into(),
            extra: None,
        }
    }
    /// 404.
    pub fn not_found(detail: impl Into<String>) -> Self {
        Self {
            status: StatusCode::NOT_FOUND,
            title: "Không tìm thấy / Not found",
            detail: detail.into(),
            extra: None,
        }
    }
}

#[derive(Serialize)]
struct Problem<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    title: &'a str,
    status: u16,
    detail: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    current: Option<&'a serde_json::Value>,
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let body = Problem {
            kind: "about:blank",
            title: self.title,
            status: self.status.as_u16(),
            detail: &self.detail,
            current: self.extra.as_ref(),
        };
        let bytes = serde_json::to_vec(&body).unwrap_or_default();
        let mut resp = (self.status, bytes).into_response();
        resp.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        resp
    }
}

impl From<StoreError> for WebError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(what) => {
                WebError::not_found(format!("không tìm thấy {what} / not found"))
            }
            StoreError::Conflict { message, current } => WebError {
                status: StatusCode::CONFLICT,
                title: "Xung đột chỉnh sửa / Conflict",
                detail: message,
                extra: current,
            },
            StoreError::Rule(m) => WebError {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                title: "Vi phạm quy tắc / Rule violated",
                detail: m,
                extra: None,
            },
            StoreError::Invalid { field, message } => WebError {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                title: "Dữ liệu không hợp lệ / Invalid",
                detail: format!("{field}: {message}"),
                extra: None,
            },
            StoreError::Unavailable(m) => {
                tracing::error!(error = %m, "store unavailable");
                WebError { status: StatusCode::SERVICE_UNAVAILABLE, title: "Tạm thời không phục vụ được / Unavailable", detail: "cơ sở dữ liệu không sẵn sàng, vui lòng thử lại / database unavailable, please retry".into(), extra: None }
            }
            StoreError::Other(m) => {
                tracing::error!(error = %m, "store error");
                WebError {
                    status: StatusCode::INTERNAL_SERVER_ERROR,
                    title: "Lỗi hệ thống / Internal error",
                    detail: "đã ghi nhận lỗi; vui lòng thử lại / the error was logged".into(),
                    extra: None,
                }
            }
        }
    }
}

impl From<thutuc_domain::CodeError> for WebError {
    fn from(e: thutuc_domain::CodeError) -> Self {
        WebError::bad_request(e.to_string())
    }
}

/// Result alias for handlers.
pub type WebResult<T> = Result<T, WebError>;
