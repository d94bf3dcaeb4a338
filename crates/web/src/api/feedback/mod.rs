//! Feedback and recommendations (phản ánh, kiến nghị) over `/api/v1/feedback`: public intake,
//! tracking, rating and reopening by tracking code, the public answered list and duplicate
//! suggestions; the officer inbox, item, actions, notes, routing suggestions, statistics and
//! the Working Group's escalation view (bearer token, scoped to the officer's organisation).

pub mod multipart;
pub mod officer;
pub mod open311;
pub mod service;
pub mod views;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{ConnectInfo, Path, State};
use axum::http::HeaderMap;
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use serde::Deserialize;
use thutuc_domain::feedback::{Rating, RawFeedback, TrackingCode, similar};
use thutuc_store::Store;
use thutuc_store::feedback::{FeedbackAction, FeedbackActor, FeedbackFilter};
use utoipa::{IntoParams, ToSchema};

use crate::error::{WebError, WebResult};
use crate::extract::{ApiJson, ApiQuery};
use crate::pages::feedback::public;
use crate::state::AppState;
use service::{FeedbackRuntime, Intake, intake, invalid};
use views::PublicFeedback;

/// The feedback routes (API and Open311), ready to merge; the [`FeedbackRuntime`] arrives
/// as an `Extension` layered over the whole router.
pub fn router<S: Store>(state: AppState<S>) -> Router {
    // Intake (anonymous, no audit actor) and the inbox (a read) stay outside the audit layer,
    // which buffers JSON bodies up to 8 MB: a submission carries base64 attachments and reads
    // its body under its own, larger limit with a clear 413.
    let intake = Router::new()
        .route(
            "/api/v1/feedback",
            get(officer::inbox::<S>).post(submit::<S>),
        )
        .with_state(state.clone());
    Router::new()
        .route("/api/v1/feedback/public", get(public_list::<S>))
        .route("/api/v1/feedback/similar", get(similar_items::<S>))
        .route("/api/v1/feedback/track/{code}", get(track::<S>))
        .route("/api/v1/feedback/track/{code}/rate", post(rate::<S>))
        .route("/api/v1/feedback/track/{code}/reopen", post(reopen::<S>))
        .route("/api/v1/feedback/stats", get(officer::stats::<S>))
        .route("/api/v1/feedback/escalated", get(officer::escalated::<S>))
        .route("/api/v1/feedback/{id}", get(officer::item::<S>))
        .route("/api/v1/feedback/{id}/actions", post(officer::act::<S>))
        .route("/api/v1/feedback/{id}/notes", post(officer::note::<S>))
        .route("/api/v1/feedback/{id}/routing", get(officer::routing::<S>))
        .route("/open311/v2/services.json", get(open311::services))
        .route(
            "/open311/v2/requests.json",
            get(open311::list::<S>).post(open311::create::<S>),
        )
        .route("/open311/v2/requests/{file}", get(open311::one::<S>))
        .route("/phan-anh", get(public::form).post(public::submit::<S>))
        .route("/phan-anh/tuong-tu", get(public::similar::<S>))
        .route(
            "/phan-anh/tra-cuu",
            get(public::track::<S>).post(public::sender_action::<S>),
        )
        .route("/phan-anh/da-tra-loi", get(public::answered::<S>))
        // Officers' writes through the API go into the hash-chained audit log like every other
        // API write (anonymous submissions carry no actor and are recorded in their own tables).
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::api::audit::audit_writes::<S>,
        ))
        .with_state(state)
        .merge(intake)
}

/// The client address, for rate limits.
pub struct ClientIp(pub String);

impl<T: Send + Sync> axum::extract::FromRequestParts<T> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &T,
    ) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(client_ip(
            &parts.headers,
            parts.extensions.get::<ConnectInfo<SocketAddr>>(),
        )))
    }
}

/// The client address (peer, or the last X-Forwarded-For hop when `THUTUC_TRUST_PROXY` is set).
pub fn client_ip(headers: &HeaderMap, peer: Option<&ConnectInfo<SocketAddr>>) -> String {
    if std::env::var("THUTUC_TRUST_PROXY").is_ok_and(|v| v == "1")
        && let Some(last) = headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
    {
        return last.trim().to_string();
    }
    peer.map_or_else(|| "unknown".to_string(), |c| c.0.ip().to_string())
}

/// A submission through the API. Attachments travel in the JSON body as base64, under the
/// same limits as the portal form: each file at most `THUTUC_FEEDBACK_MAX_MB` (10 MB), its
/// type sniffed from the bytes (PDF, PNG, JPEG, DOCX, XLSX; the file name does not count),
/// the whole body at most three files' worth; a larger body gets 413.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SubmitBody {
    /// The fields (sender_name, sender_address, sender_phone required).
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub fields: RawFeedback,
    /// Honeypot: must be absent or empty.
    #[serde(default)]
    pub website: String,
    /// Attachments (optional).
    #[serde(default)]
    pub attachments: Vec<ApiAttachment>,
}

/// An attachment in a JSON submission.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ApiAttachment {
    /// File name as the sender knows it (shown to officers; the type is sniffed from the bytes).
    pub filename: String,
    /// The bytes in standard base64 (RFC 4648 §4, padding optional, line breaks ignored).
    pub content_base64: String,
}

/// Decodes standard base64 (RFC 4648 §4); whitespace is ignored, padding optional.
pub fn decode_base64(text: &str) -> Option<Vec<u8>> {
    fn val(c: u8) -> Option<u32> {
        match c {
            b'A'..=b'Z' => Some(u32::from(c - b'A')),
            b'a'..=b'z' => Some(u32::from(c - b'a') + 26),
            b'0'..=b'9' => Some(u32::from(c - b'0') + 52),
            b'+' => Some(62),
            b'/' => Some(63),
            _ => None,
        }
    }
    let clean: Vec<u8> = text.bytes().filter(|c| !c.is_ascii_whitespace()).collect();
    let body = clean
        .strip_suffix(b"==")
        .or_else(|| clean.strip_suffix(b"="))
        .unwrap_or(&clean);
    if body.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(body.len() / 4 * 3 + 2);
    for chunk in body.chunks(4) {
        let mut n = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            n |= val(*c)? << (18 - 6 * i);
        }
        let bytes = n.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    Some(out)
}

/// The body limit of a JSON submission: the portal form's limit (three files and the text)
/// in base64.
pub fn json_body_limit(max_attachment_bytes: usize) -> usize {
    (max_attachment_bytes * 3 + 1024 * 1024) / 3 * 4 + 64 * 1024
}

/// Receipt returned once the submission is stored.
#[derive(Debug, serde::Serialize, ToSchema)]
pub struct Receipt {
    /// Tracking code to follow the item.
    pub tracking_code: String,
    /// Reply deadline.
    pub due_on: chrono::NaiveDate,
}

/// Sends feedback (public; rate-limited per address and per phone number).
#[utoipa::path(post, path = "/api/v1/feedback", tag = "feedback", request_body = SubmitBody,
    responses((status = 201, description = "Stored with its attachments", body = Receipt),
        (status = 413, description = "Body larger than three attachments' worth (base64); nothing stored"),
        (status = 422, description = "Invalid, every field named (including an attachment whose bytes are not an allowed type, or too large); nothing stored"),
        (status = 429, description = "Rate limited")))]
pub async fn submit<S: Store>(
    State(st): State<AppState<S>>,
    Extension(rt): Extension<Arc<FeedbackRuntime>>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    body: axum::body::Body,
) -> WebResult<(axum::http::StatusCode, Json<Receipt>)> {
    let json = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().starts_with("application/json"));
    if !json {
        return Err(WebError::bad_request("cần Content-Type: application/json"));
    }
    let limit = json_body_limit(rt.max_attachment_bytes);
    let bytes = multipart::read_body(body, limit)
        .await
        .map_err(|_| multipart::too_large_json(limit, rt.max_attachment_bytes))?;
    let body: SubmitBody = serde_json::from_slice(&bytes).map_err(|e| {
        WebError::bad_request(format!(
            "nội dung JSON không hợp lệ / invalid JSON body: {e}"
        ))
    })?;
    let mut attachments = Vec::with_capacity(body.attachments.len());
    for (i, a) in body.attachments.iter().enumerate() {
        let Some(data) = decode_base64(&a.content_base64) else {
            return Err(invalid(thutuc_domain::feedback::FeedbackError::field(
                "attachments",
                format!("tệp đính kèm {}: nội dung base64 không hợp lệ", i + 1),
                format!("attachment {}: invalid base64 content", i + 1),
            )));
        };
        attachments.push(thutuc_store::feedback::NewAttachment {
            filename: a.filename.clone(),
            bytes: data,
        });
    }
    let mut raw = body.fields;
    if raw.channel.is_empty() {
        raw.channel = "api".into();
    }
    let it = intake(
        &st,
        &rt,
        Intake {
            raw,
            honeypot: body.website,
            ip,
            attachments,
            ..Intake::default()
        },
    )
    .await?;
    let code = TrackingCode::parse(&it.tracking_code)
        .map(|c| c.display())
        .unwrap_or(it.tracking_code);
    Ok((
        axum::http::StatusCode::CREATED,
        Json(Receipt {
            tracking_code: code,
            due_on: it.due_on,
        }),
    ))
}

/// Looks an item up by a tracking code typed by a person (check character verified first).
pub async fn by_code<S: Store>(
    st: &AppState<S>,
    code: &str,
) -> WebResult<thutuc_store::feedback::FeedbackItem> {
    let code = TrackingCode::parse(code)
        .map_err(|e| invalid(thutuc_domain::feedback::FeedbackError::Invalid(vec![e])))?;
    Ok(st.store.feedback_by_code(code.as_str()).await?)
}

/// Name of an agency for display.
pub fn agency_name<S: Store>(st: &AppState<S>, id: &str) -> String {
    st.tree()
        .get(id)
        .map_or_else(|| id.to_string(), |o| o.name.clone())
}

/// Status of an item by tracking code (public, without personal data).
#[utoipa::path(get, path = "/api/v1/feedback/track/{code}", tag = "feedback", params(("code" = String, Path, description = "PA-XXXX-XXXX-C")),
    responses((status = 200, description = "Status", body = PublicFeedback), (status = 422, description = "Malformed code"), (status = 404, description = "Unknown code")))]
pub async fn track<S: Store>(
    State(st): State<AppState<S>>,
    Path(code): Path<String>,
) -> WebResult<Json<PublicFeedback>> {
    let it = by_code(&st, &code).await?;
    Ok(Json(PublicFeedback::of(
        &it,
        agency_name(&st, &it.current_org),
    )))
}

/// A rating by the sender.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RateBody {
    /// `satisfied`, `neutral` or `dissatisfied`.
    pub rating: String,
}

fn sender() -> FeedbackActor {
    FeedbackActor {
        user_id: None,
        label: "người gửi".into(),
    }
}

/// Rates the answer (by tracking code).
#[utoipa::path(post, path = "/api/v1/feedback/track/{code}/rate", tag = "feedback", request_body = RateBody, params(("code" = String, Path, description = "Tracking code")),
    responses((status = 200, description = "Rated", body = PublicFeedback), (status = 422, description = "Not answered yet or bad rating")))]
pub async fn rate<S: Store>(
    State(st): State<AppState<S>>,
    Extension(rt): Extension<Arc<FeedbackRuntime>>,
    Path(code): Path<String>,
    ApiJson(body): ApiJson<RateBody>,
) -> WebResult<Json<PublicFeedback>> {
    let rating = Rating::parse(&body.rating).ok_or_else(|| WebError::bad_request("rating: phải là satisfied, neutral hoặc dissatisfied / must be satisfied, neutral or dissatisfied"))?;
    let it = by_code(&st, &code).await?;
    let cal = st.calendar.get();
    let it = st
        .store
        .act_on_feedback(
            it.id,
            it.rev,
            &sender(),
            &FeedbackAction::Rate(rating),
            chrono::Utc::now(),
            rt.clock(&cal),
        )
        .await?;
    Ok(Json(PublicFeedback::of(
        &it,
        agency_name(&st, &it.current_org),
    )))
}

/// A reopen request.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ReopenBody {
    /// Why the answer does not settle it.
    pub reason: String,
}

/// Reopens an answered item within the configured window (by tracking code).
#[utoipa::path(post, path = "/api/v1/feedback/track/{code}/reopen", tag = "feedback", request_body = ReopenBody, params(("code" = String, Path, description = "Tracking code")),
    responses((status = 200, description = "Reopened", body = PublicFeedback), (status = 422, description = "Window passed, not answered, or no reason")))]
pub async fn reopen<S: Store>(
    State(st): State<AppState<S>>,
    Extension(rt): Extension<Arc<FeedbackRuntime>>,
    Path(code): Path<String>,
    ApiJson(body): ApiJson<ReopenBody>,
) -> WebResult<Json<PublicFeedback>> {
    let it = by_code(&st, &code).await?;
    let cal = st.calendar.get();
    let it = st
        .store
        .act_on_feedback(
            it.id,
            it.rev,
            &sender(),
            &FeedbackAction::Reopen {
                reason: body.reason,
            },
            chrono::Utc::now(),
            rt.clock(&cal),
        )
        .await?;
    Ok(Json(PublicFeedback::of(
        &it,
        agency_name(&st, &it.current_org),
    )))
}

/// Paging query.
#[derive(Debug, Deserialize, IntoParams)]
pub struct PageQuery {
    /// Page size (default 20).
    pub limit: Option<i64>,
    /// Offset.
    pub offset: Option<i64>,
    /// Procedure code.
    pub procedure: Option<String>,
}

/// Answered items published on the portal (without personal data).
#[utoipa::path(get, path = "/api/v1/feedback/public", tag = "feedback", params(PageQuery), responses((status = 200, description = "Published answers", body = Vec<PublicFeedback>)))]
pub async fn public_list<S: Store>(
    State(st): State<AppState<S>>,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> WebResult<Json<Vec<PublicFeedback>>> {
    let page = st
        .store
        .list_feedback(&FeedbackFilter {
            published_only: true,
            procedure_code: q.procedure,
            limit: q.limit.unwrap_or(20),
            offset: q.offset.unwrap_or(0),
            ..FeedbackFilter::default()
        })
        .await?;
    Ok(Json(
        page.items
            .iter()
            .map(|it| PublicFeedback::of(it, agency_name(&st, &it.current_org)))
            .collect(),
    ))
}

/// Text to compare.
#[derive(Debug, Deserialize, IntoParams)]
pub struct SimilarQuery {
    /// Draft content.
    pub text: String,
}

/// Up to 5 published or open items similar to a draft ("is yours one of these?").
pub async fn similar_to<S: Store>(st: &AppState<S>, text: &str) -> WebResult<Vec<PublicFeedback>> {
    if similar::words(text).len() < 4 {
        return Ok(Vec::new());
    }
    let title: String = thutuc_domain::text::clean_inline(text)
        .chars()
        .take(120)
        .collect();
    let full = format!("{title} {text}");
    let keys = similar::band_keys(&full);
    let shingles = similar::shingles(&full);
    let mut found: Vec<(f64, PublicFeedback)> = st
        .store
        .feedback_candidates(&keys, None, 50)
        .await?
        .iter()
        .map(|it| {
            (
                similar::jaccard(
                    &shingles,
                    &similar::shingles(&format!("{} {}", it.title, it.content)),
                ),
                it,
            )
        })
        .filter(|(score, _)| *score >= 0.3)
        .map(|(score, it)| {
            (
                score,
                PublicFeedback::of(it, agency_name(st, &it.current_org)),
            )
        })
        .collect();
    found.sort_by(|a, b| b.0.total_cmp(&a.0));
    Ok(found.into_iter().take(5).map(|(_, v)| v).collect())
}

/// Similar items for a draft text (duplicate suggestion at intake).
#[utoipa::path(get, path = "/api/v1/feedback/similar", tag = "feedback", params(SimilarQuery), responses((status = 200, description = "Similar items", body = Vec<PublicFeedback>)))]
pub async fn similar_items<S: Store>(
    State(st): State<AppState<S>>,
    ApiQuery(q): ApiQuery<SimilarQuery>,
) -> WebResult<Json<Vec<PublicFeedback>>> {
    Ok(Json(similar_to(&st, &q.text).await?))
}
