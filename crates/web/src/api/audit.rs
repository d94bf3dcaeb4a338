//! Every successful write through the API goes into the hash-chained audit log, like writes
//! made in the workspace: who (the token's user), when, what (method and path), and the state
//! the write produced (the JSON response). Dry runs change nothing and are not recorded.
//!
//! The layer puts an [`AuditSlot`] into the request; the [`crate::auth::Actor`] extractor fills
//! it with the authenticated e-mail, so the token is resolved once.

use std::sync::{Arc, OnceLock};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use thutuc_store::Store;

use crate::pages::audit::{entry, record};
use crate::state::AppState;

/// Where the `Actor` extractor leaves the author of a write.
#[derive(Debug, Clone, Default)]
pub struct AuditSlot(pub Arc<OnceLock<String>>);

/// The record kind and id named by an API path (`/api/v1/decisions/12/QĐ-BTP/apply` →
/// `("decisions", "12/QĐ-BTP/apply")`).
pub fn entity_of(path: &str) -> (String, String) {
    let rest = path.trim_start_matches("/api/v1/");
    let decoded = percent_decode(rest);
    match decoded.split_once('/') {
        Some((kind, id)) => (kind.to_string(), id.to_string()),
        None => (decoded.clone(), String::new()),
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The middleware (route layer of `/api/v1`).
pub async fn audit_writes<S: Store>(
    State(st): State<AppState<S>>,
    mut req: Request,
    next: Next,
) -> Response {
    let method = req.method().clone();
    let dry_run = req.uri().query().is_some_and(|q| {
        q.split('&')
            .any(|kv| kv == "dry_run=true" || kv == "dry_run=1")
    });
    if matches!(method, Method::GET | Method::HEAD | Method::OPTIONS) || dry_run {
        return next.run(req).await;
    }
    // A JSON body may ask for a dry run too (`{"rev": 1, "dry_run": true}`): look, then
    // hand the same bytes on.
    let is_json = req
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    let mut request_json = None;
    if is_json {
        let (parts, body) = req.into_parts();
        let bytes = match axum::body::to_bytes(body, 8 * 1024 * 1024).await {
            Ok(b) => b,
            Err(_) => {
                return crate::error::WebError::bad_request(
                    "nội dung quá lớn hoặc không đọc được / body too large or unreadable",
                )
                .into_response();
            }
        };
        request_json = serde_json::from_slice::<serde_json::Value>(&bytes).ok();
        let dry = request_json
            .as_ref()
            .and_then(|v| v.get("dry_run").and_then(serde_json::Value::as_bool))
            .unwrap_or(false);
        req = Request::from_parts(parts, Body::from(bytes));
        if dry {
            return next.run(req).await;
        }
    }
    // Inside `nest("/api/v1")` the URI is stripped of its prefix; record the full path.
    let path = req
        .extensions()
        .get::<axum::extract::OriginalUri>()
        .map(|u| u.0.path().to_string())
        .unwrap_or_else(|| format!("/api/v1{}", req.uri().path()));
    let slot = AuditSlot::default();
    req.extensions_mut().insert(slot.clone());
    let (kind, id) = entity_of(&path);
    let entity_type = format!("api.{kind}");
    let action = format!(
        "api.{} {}",
        method.as_str().to_ascii_lowercase(),
        percent_decode(&path)
    );
    // Pending while the handler runs: a write that supports it stores the entry (author set
    // by the Actor extractor, the request body as "after") in its own transaction.
    let pending = entry("", &action, (&entity_type, &id), None, request_json);
    let (resp, left) = thutuc_store::audit_scope::audited(pending, next.run(req)).await;
    if left.is_none() || !resp.status().is_success() {
        return resp;
    }
    let Some(actor) = slot.0.get().cloned() else {
        return resp;
    };
    let (parts, body) = resp.into_parts();
    let bytes = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(b) => b,
        Err(e) => {
            tracing::error!(error = %e, "audit: response body unreadable");
            return Response::from_parts(parts, Body::empty());
        }
    };
    let after = serde_json::from_slice::<serde_json::Value>(&bytes).ok();
    // A write that did not take the entry: append it now with the state the write produced.
    // A failure is logged by `record`; the write itself already succeeded.
    let _ = record(&st.store, &actor, &action, (&entity_type, &id), None, after).await;
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_paths_name_their_record() {
        assert_eq!(
            entity_of("/api/v1/decisions/12%2FQ%C4%90-BTP/apply"),
            ("decisions".into(), "12/QĐ-BTP/apply".into())
        );
        assert_eq!(
            entity_of("/api/v1/imports"),
            ("imports".into(), String::new())
        );
    }
}
