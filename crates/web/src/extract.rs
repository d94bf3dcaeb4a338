//! Extractors whose rejections are problem+json with a useful detail (axum's defaults answer
//! plain text), so a malformed body names the field at fault.

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::error::WebError;

/// A JSON body.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(e) => Err(json_rejection(e)),
        }
    }
}

fn json_rejection(e: JsonRejection) -> WebError {
    match e {
        JsonRejection::JsonDataError(d) => WebError::bad_request(format!(
            "nội dung JSON không hợp lệ / invalid JSON body: {}",
            d.body_text()
        )),
        JsonRejection::JsonSyntaxError(d) => WebError::bad_request(format!(
            "JSON sai cú pháp / malformed JSON: {}",
            d.body_text()
        )),
        JsonRejection::MissingJsonContentType(_) => {
            WebError::bad_request("cần Content-Type: application/json")
        }
        other => WebError::bad_request(other.body_text()),
    }
}

/// A query string.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(ApiQuery(v)),
            Err(e) => Err(query_rejection(e)),
        }
    }
}

fn query_rejection(e: QueryRejection) -> WebError {
    WebError::bad_request(format!(
        "tham số truy vấn không hợp lệ / invalid query: {}",
        e.body_text()
    ))
}
