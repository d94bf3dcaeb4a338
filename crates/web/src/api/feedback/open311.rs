//! An Open311 GeoReport v2 facade over feedback: services are the content kinds of Decree
//! 20/2008 Art 5; requests are feedback items (public view only, no personal data);
//! `POST requests.json` is an intake channel (`api`). Responses follow the official
//! GeoReport v2 JSON schemas (see `crates/web/tests/data/open311/`).

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};
use thutuc_domain::feedback::{ContentKind, RawFeedback, TrackingCode};
use thutuc_store::Store;
use thutuc_store::feedback::{FeedbackFilter, FeedbackItem};

use super::service::{FeedbackRuntime, Intake, intake};
use crate::error::WebError;
use crate::state::AppState;

/// An Open311 service (a feedback category).
#[derive(Debug, Serialize)]
pub struct Service {
    /// Identifier (the content kind).
    pub service_code: String,
    /// Name.
    pub service_name: String,
    /// Description.
    pub description: String,
    /// Always false: no extra attributes.
    pub metadata: bool,
    /// `realtime`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Keywords.
    pub keywords: String,
    /// Group.
    pub group: String,
}

/// An Open311 error.
#[derive(Debug, Serialize)]
pub struct Open311Error {
    /// HTTP code.
    pub code: u16,
    /// Message.
    pub description: String,
}

fn error(status: StatusCode, description: String) -> Response {
    (
        status,
        Json(vec![Open311Error {
            code: status.as_u16(),
            description,
        }]),
    )
        .into_response()
}

fn from_web(e: WebError) -> Response {
    error(e.status, e.detail)
}

/// `GET /open311/v2/services.json`.
pub async fn services() -> Json<Vec<Service>> {
    Json(
        ContentKind::ALL
            .iter()
            .map(|k| Service {
                service_code: k.as_str().into(),
                service_name: k.label_vi().into(),
                description: format!("Phản ánh, kiến nghị: {}", k.label_vi()),
                metadata: false,
                kind: "realtime".into(),
                keywords: "phản ánh, kiến nghị, thủ tục hành chính".into(),
                group: k.feedback_type().label_vi().into(),
            })
            .collect(),
    )
}

/// An Open311 service request (public data only).
#[derive(Debug, Serialize)]
pub struct ServiceRequest {
    /// Tracking code.
    pub service_request_id: String,
    /// `open` or `closed`.
    pub status: String,
    /// Status in Vietnamese.
    pub status_notes: String,
    /// Category name.
    pub service_name: String,
    /// Category code.
    pub service_code: String,
    /// Redacted content (at most 4,000 characters, as the schema requires).
    pub description: String,
    /// Agency responsible.
    pub agency_responsible: String,
    /// Answer (redacted), if answered.
    pub service_notice: String,
    /// Received at (ISO 8601).
    pub requested_datetime: String,
    /// Last update.
    pub updated_datetime: String,
    /// Expected answer date.
    pub expected_datetime: String,
    /// Not applicable (feedback has no location).
    pub address: Option<String>,
    /// Not applicable.
    pub address_id: Option<String>,
    /// Not applicable.
    pub zipcode: Option<String>,
    /// Not applicable (no location).
    pub lat: Option<f64>,
    /// Not applicable (no location).
    pub long: Option<f64>,
    /// No media (attachments are never public).
    pub media_url: Option<String>,
}

fn request_view<S: Store>(st: &AppState<S>, it: &FeedbackItem) -> ServiceRequest {
    let public = super::views::PublicFeedback::of(it, super::agency_name(st, &it.current_org));
    let kind = it.content_kind.unwrap_or(ContentKind::Other);
    ServiceRequest {
        service_request_id: it.tracking_code.clone(),
        status: if public.state_type == "open" {
            "open".into()
        } else {
            "closed".into()
        },
        status_notes: public.status_label,
        service_name: kind.label_vi().into(),
        service_code: kind.as_str().into(),
        description: public.content.chars().take(4000).collect(),
        agency_responsible: public.agency,
        service_notice: public.answer.unwrap_or_default(),
        requested_datetime: it.received_at.to_rfc3339(),
        updated_datetime: it.updated_at.to_rfc3339(),
        expected_datetime: format!("{}T17:00:00+07:00", it.due_on),
        address: None,
        address_id: None,
        zipcode: None,
        lat: None,
        long: None,
        media_url: None,
    }
}

/// `GET /open311/v2/requests.json`.
#[derive(Debug, Deserialize)]
pub struct ListQuery {
    /// Comma-separated tracking codes.
    pub service_request_id: Option<String>,
}

/// Published requests (or those named by `service_request_id`).
pub async fn list<S: Store>(
    State(st): State<AppState<S>>,
    axum::extract::Query(q): axum::extract::Query<ListQuery>,
) -> Response {
    if let Some(ids) = q.service_request_id {
        let mut out = Vec::new();
        for id in ids.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            match super::by_code(&st, id).await {
                Ok(it) => out.push(request_view(&st, &it)),
                Err(e) => return from_web(e),
            }
        }
        return Json(out).into_response();
    }
    match st
        .store
        .list_feedback(&FeedbackFilter {
            published_only: true,
            limit: 100,
            ..FeedbackFilter::default()
        })
        .await
    {
        Ok(page) => Json(
            page.items
                .iter()
                .map(|it| request_view(&st, it))
                .collect::<Vec<_>>(),
        )
        .into_response(),
        Err(e) => from_web(e.into()),
    }
}

/// `GET /open311/v2/requests/{id}.json`.
pub async fn one<S: Store>(State(st): State<AppState<S>>, Path(file): Path<String>) -> Response {
    let Some(id) = file.strip_suffix(".json") else {
        return error(
            StatusCode::NOT_FOUND,
            "chỉ hỗ trợ định dạng .json / only .json is supported".into(),
        );
    };
    match super::by_code(&st, id).await {
        Ok(it) => Json(vec![request_view(&st, &it)]).into_response(),
        Err(e) => from_web(e),
    }
}

/// A new request (form-encoded, as GeoReport v2 specifies).
#[derive(Debug, Default, Deserialize)]
pub struct CreateForm {
    /// Category (content kind).
    #[serde(default)]
    pub service_code: String,
    /// Content.
    #[serde(default)]
    pub description: String,
    /// Sender e-mail.
    #[serde(default)]
    pub email: String,
    /// Sender first name.
    #[serde(default)]
    pub first_name: String,
    /// Sender last name.
    #[serde(default)]
    pub last_name: String,
    /// Sender phone.
    #[serde(default)]
    pub phone: String,
    /// Sender address.
    #[serde(default)]
    pub address_string: String,
}

/// The created request's id.
#[derive(Debug, Serialize)]
pub struct Created {
    /// Tracking code.
    pub service_request_id: String,
    /// What happens next.
    pub service_notice: String,
    /// Not used.
    pub account_id: Option<String>,
}

/// `POST /open311/v2/requests.json`.
pub async fn create<S: Store>(
    State(st): State<AppState<S>>,
    Extension(rt): Extension<Arc<FeedbackRuntime>>,
    super::ClientIp(ip): super::ClientIp,
    axum::extract::Form(f): axum::extract::Form<CreateForm>,
) -> Response {
    if ContentKind::parse(&f.service_code).is_none() {
        return error(
            StatusCode::BAD_REQUEST,
            format!(
                "service_code «{}» không tồn tại / unknown service_code",
                f.service_code
            ),
        );
    }
    let raw = RawFeedback {
        sender_name: format!("{} {}", f.last_name.trim(), f.first_name.trim())
            .trim()
            .to_string(),
        sender_address: f.address_string,
        sender_phone: f.phone,
        sender_email: f.email,
        channel: "api".into(),
        content: f.description,
        content_kind: f.service_code,
        ..RawFeedback::default()
    };
    match intake(
        &st,
        &rt,
        Intake {
            raw,
            ip,
            ..Intake::default()
        },
    )
    .await
    {
        Ok(it) => {
            let code = TrackingCode::parse(&it.tracking_code)
                .map(|c| c.as_str().to_string())
                .unwrap_or(it.tracking_code);
            (
                StatusCode::CREATED,
                Json(vec![Created {
                    service_request_id: code,
                    service_notice: format!("Hạn trả lời: {}", it.due_on),
                    account_id: None,
                }]),
            )
                .into_response()
        }
        Err(e) => from_web(e),
    }
}
