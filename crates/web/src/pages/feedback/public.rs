//! Public feedback pages: `/phan-anh` (form, multipart with attachments), `/phan-anh/tuong-tu`
//! (duplicate suggestions as an htmx fragment), `/phan-anh/tra-cuu` (status by tracking code,
//! rating, reopening) and `/phan-anh/da-tra-loi` (published answers). No personal data is
//! ever rendered here: views come from [`PublicFeedback`], which keeps initials only and masks
//! phone numbers and e-mail addresses inside the text.

use std::sync::Arc;

use askama::Template;
use axum::Extension;
use axum::body::Body;
use axum::extract::{OriginalUri, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use thutuc_domain::feedback::{ContentKind, RawFeedback, TrackingCode};
use thutuc_store::Store;
use thutuc_store::feedback::{FeedbackAction, FeedbackActor, FeedbackFilter, NewAttachment};

use crate::api::feedback::service::{FeedbackRuntime, Intake, intake};
use crate::api::feedback::views::PublicFeedback;
use crate::api::feedback::{ClientIp, agency_name, by_code, multipart, similar_to};
use crate::error::WebError;
use crate::pages::context::Base;
use crate::state::AppState;

use super::public_base;

#[derive(Template)]
#[template(path = "feedback_form.html")]
struct FormPage {
    b: Base,
    f: RawFeedback,
    errors: Vec<String>,
    kinds: Vec<(&'static str, &'static str)>,
}

#[derive(Template)]
#[template(path = "feedback_receipt.html")]
struct ReceiptPage {
    b: Base,
    code: String,
    due: String,
}

#[derive(Template)]
#[template(path = "feedback_track.html")]
struct TrackPage {
    b: Base,
    code: String,
    error: String,
    item: Option<PublicFeedback>,
    message: String,
}

#[derive(Template)]
#[template(path = "feedback_list.html")]
struct ListPage {
    b: Base,
    items: Vec<PublicFeedback>,
}

#[derive(Template)]
#[template(path = "feedback_similar.html")]
struct SimilarFragment {
    b: Base,
    items: Vec<PublicFeedback>,
}

fn render<T: Template>(status: StatusCode, t: &T) -> Response {
    match t.render() {
        Ok(s) => (status, Html(s)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "lỗi hiển thị / render error",
            )
                .into_response()
        }
    }
}

fn kinds() -> Vec<(&'static str, &'static str)> {
    ContentKind::ALL
        .iter()
        .map(|k| (k.as_str(), k.label_vi()))
        .collect()
}

fn q(uri: &OriginalUri) -> String {
    uri.0.query().unwrap_or_default().to_string()
}

/// `GET /phan-anh`: the form.
pub async fn form(headers: HeaderMap, uri: OriginalUri) -> Response {
    let b = public_base(&headers, &q(&uri), "/phan-anh", "fb.title");
    render(
        StatusCode::OK,
        &FormPage {
            b,
            f: RawFeedback::default(),
            errors: vec![],
            kinds: kinds(),
        },
    )
}

fn text(p: &multipart::Part) -> String {
    String::from_utf8_lossy(&p.data).into_owned()
}

fn field_errors(e: &WebError) -> Vec<String> {
    match e
        .extra
        .as_ref()
        .and_then(|v| serde_json::from_value::<Vec<serde_json::Value>>(v.clone()).ok())
    {
        Some(list) => list
            .iter()
            .map(|v| {
                format!(
                    "{}: {}",
                    v["field"].as_str().unwrap_or(""),
                    v["message_vi"].as_str().unwrap_or("")
                )
            })
            .collect(),
        None => vec![e.detail.clone()],
    }
}

/// `POST /phan-anh`: stores the submission (multipart or urlencoded) and shows the receipt.
pub async fn submit<S: Store>(
    State(st): State<AppState<S>>,
    Extension(rt): Extension<Arc<FeedbackRuntime>>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    uri: OriginalUri,
    body: Body,
) -> Response {
    let b = public_base(&headers, &q(&uri), "/phan-anh", "fb.title");
    let limit = rt.max_attachment_bytes * 3 + 1024 * 1024;
    let bytes = match multipart::read_body(body, limit).await {
        Ok(b) => b,
        Err(e) => {
            return render(
                e.status,
                &FormPage {
                    b,
                    f: RawFeedback::default(),
                    errors: vec![e.detail],
                    kinds: kinds(),
                },
            );
        }
    };
    let mut f = RawFeedback::default();
    let mut honeypot = String::new();
    let mut files = Vec::new();
    let pairs: Vec<(String, Vec<u8>, Option<String>)> = match multipart::parse(&headers, &bytes) {
        Some(parts) => parts
            .into_iter()
            .map(|p| (p.name.clone(), p.data.clone(), p.filename.clone()))
            .collect(),
        None => form_urlencoded::parse(&bytes)
            .map(|(k, v)| (k.into_owned(), v.as_bytes().to_vec(), None))
            .collect(),
    };
    for (name, data, filename) in pairs {
        let value = || {
            text(&multipart::Part {
                name: String::new(),
                filename: None,
                data: data.clone(),
            })
        };
        match name.as_str() {
            "sender_name" => f.sender_name = value(),
            "sender_address" => f.sender_address = value(),
            "sender_phone" => f.sender_phone = value(),
            "sender_email" => f.sender_email = value(),
            "sender_kind" => f.sender_kind = value(),
            "title" => f.title = value(),
            "content" => f.content = value(),
            "procedure_code" => f.procedure_code = value(),
            "legal_document" => f.legal_document = value(),
            "content_kind" => f.content_kind = value(),
            "website" => honeypot = value(),
            "files" => {
                if let Some(name) = filename
                    && !data.is_empty()
                {
                    files.push(NewAttachment {
                        filename: name,
                        bytes: data,
                    });
                }
            }
            _ => {}
        }
    }
    f.channel = "portal".into();
    match intake(
        &st,
        &rt,
        Intake {
            raw: f.clone(),
            attachments: files,
            honeypot,
            ip,
            ..Intake::default()
        },
    )
    .await
    {
        Ok(it) => {
            let code = TrackingCode::parse(&it.tracking_code)
                .map(|c| c.display())
                .unwrap_or(it.tracking_code);
            render(
                StatusCode::CREATED,
                &ReceiptPage {
                    b,
                    code,
                    due: it.due_on.format("%d/%m/%Y").to_string(),
                },
            )
        }
        Err(e) => render(
            e.status,
            &FormPage {
                b,
                errors: field_errors(&e),
                f,
                kinds: kinds(),
            },
        ),
    }
}

/// Query of the similar-items fragment.
#[derive(Debug, Deserialize)]
pub struct SimilarQuery {
    /// Draft content.
    #[serde(default)]
    pub content: String,
}

/// `GET /phan-anh/tuong-tu?content=`: "is yours one of these?" (htmx fragment).
pub async fn similar<S: Store>(
    State(st): State<AppState<S>>,
    headers: HeaderMap,
    uri: OriginalUri,
    Query(sq): Query<SimilarQuery>,
) -> Response {
    let b = public_base(&headers, &q(&uri), "/phan-anh", "fb.title");
    let text: String = sq.content.chars().take(5000).collect();
    match similar_to(&st, &text).await {
        Ok(items) => render(StatusCode::OK, &SimilarFragment { b, items }),
        Err(e) => e.into_response(),
    }
}

/// Query of the tracking page.
#[derive(Debug, Deserialize, Default)]
pub struct TrackQuery {
    /// Tracking code.
    #[serde(default)]
    pub ma: String,
}

async fn track_page<S: Store>(
    st: &AppState<S>,
    b: Base,
    code: String,
    message: String,
) -> Response {
    if code.trim().is_empty() {
        return render(
            StatusCode::OK,
            &TrackPage {
                b,
                code,
                error: String::new(),
                item: None,
                message,
            },
        );
    }
    match by_code(st, &code).await {
        Ok(it) => {
            let item = PublicFeedback::of(&it, agency_name(st, &it.current_org));
            render(
                StatusCode::OK,
                &TrackPage {
                    b,
                    code: item.tracking_code.clone(),
                    error: String::new(),
                    item: Some(item),
                    message,
                },
            )
        }
        Err(e) => {
            let error = if e.status == StatusCode::NOT_FOUND {
                b.t("fb.none").to_string()
            } else {
                field_errors(&e).join("; ")
            };
            render(
                e.status,
                &TrackPage {
                    b,
                    code,
                    error,
                    item: None,
                    message,
                },
            )
        }
    }
}

/// `GET /phan-anh/tra-cuu?ma=`: status by tracking code.
pub async fn track<S: Store>(
    State(st): State<AppState<S>>,
    headers: HeaderMap,
    uri: OriginalUri,
    Query(tq): Query<TrackQuery>,
) -> Response {
    let b = public_base(&headers, &q(&uri), "/phan-anh/tra-cuu", "fb.track");
    track_page(&st, b, tq.ma, String::new()).await
}

/// The sender's rating or reopen form.
#[derive(Debug, Deserialize, Default)]
pub struct SenderForm {
    /// Tracking code.
    #[serde(default)]
    pub ma: String,
    /// Rating.
    #[serde(default)]
    pub rating: String,
    /// Reopen reason.
    #[serde(default)]
    pub reason: String,
}

/// `POST /phan-anh/tra-cuu`: rate (`rating`) or reopen (`reason`).
pub async fn sender_action<S: Store>(
    State(st): State<AppState<S>>,
    Extension(rt): Extension<Arc<FeedbackRuntime>>,
    headers: HeaderMap,
    uri: OriginalUri,
    axum::extract::Form(f): axum::extract::Form<SenderForm>,
) -> Response {
    let b = public_base(&headers, &q(&uri), "/phan-anh/tra-cuu", "fb.track");
    let action = match thutuc_domain::feedback::Rating::parse(&f.rating) {
        Some(r) => FeedbackAction::Rate(r),
        None => FeedbackAction::Reopen {
            reason: f.reason.clone(),
        },
    };
    let result = async {
        let it = by_code(&st, &f.ma).await?;
        let cal = st.calendar.get();
        let who = FeedbackActor {
            user_id: None,
            label: "người gửi".into(),
        };
        st.store
            .act_on_feedback(
                it.id,
                it.rev,
                &who,
                &action,
                chrono::Utc::now(),
                rt.clock(&cal),
            )
            .await
            .map_err(WebError::from)
    }
    .await;
    let message = match result {
        Ok(_) => b.t("fb.done").to_string(),
        Err(e) => e.detail,
    };
    track_page(&st, b, f.ma, message).await
}

/// `GET /phan-anh/da-tra-loi`: published answers.
pub async fn answered<S: Store>(
    State(st): State<AppState<S>>,
    headers: HeaderMap,
    uri: OriginalUri,
) -> Response {
    let b = public_base(&headers, &q(&uri), "/phan-anh/da-tra-loi", "fb.public_list");
    match st
        .store
        .list_feedback(&FeedbackFilter {
            published_only: true,
            limit: 50,
            ..FeedbackFilter::default()
        })
        .await
    {
        Ok(page) => {
            let items = page
                .items
                .iter()
                .map(|it| PublicFeedback::of(it, agency_name(&st, &it.current_org)))
                .collect();
            let mut r = render(StatusCode::OK, &ListPage { b, items });
            r.headers_mut().insert(
                header::CACHE_CONTROL,
                header::HeaderValue::from_static("public, max-age=60"),
            );
            r
        }
        Err(e) => WebError::from(e).into_response(),
    }
}
