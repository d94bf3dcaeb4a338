//! The feedback runtime shared by the JSON API, the portal pages and the Open311 facade:
//! deadline policy, attachment limit, rate limits and the intake path (honeypot, limits,
//! validation, receiving agency, tracking code, durable store write).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use chrono::Utc;
use thutuc_domain::feedback::{
    DeadlineConfig, FeedbackError, RawFeedback, TrackingCode, attachment,
};
use thutuc_store::feedback::{FeedbackClock, FeedbackItem, FeedbackSubmission, NewAttachment};
use thutuc_store::{Store, StoreError};

use crate::error::{WebError, WebResult};
use crate::state::AppState;

/// Fixed-window counters per key (in memory, per process).
#[derive(Debug)]
pub struct RateLimiter {
    window: Duration,
    max: u32,
    counts: Mutex<HashMap<String, (Instant, u32)>>,
}

impl RateLimiter {
    /// At most `max` hits per `window` per key.
    pub fn new(max: u32, window: Duration) -> Self {
        Self {
            window,
            max,
            counts: Mutex::new(HashMap::new()),
        }
    }

    /// Counts a hit; false when the key is over its limit.
    pub fn hit(&self, key: &str) -> bool {
        let now = Instant::now();
        let mut map = match self.counts.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        if map.len() > 100_000 {
            map.retain(|_, (start, _)| now.duration_since(*start) < self.window);
        }
        let entry = map.entry(key.to_string()).or_insert((now, 0));
        if now.duration_since(entry.0) >= self.window {
            *entry = (now, 0);
        }
        entry.1 += 1;
        entry.1 <= self.max
    }
}

/// Settings and state of the feedback feature.
#[derive(Debug)]
pub struct FeedbackRuntime {
    /// Deadline policies (default and per agency).
    pub config: DeadlineConfig,
    /// Maximum bytes per attachment (default 10 MB).
    pub max_attachment_bytes: usize,
    /// Agency receiving portal submissions without a procedure (default: the root).
    pub default_receiver: Option<String>,
    /// Per-IP limit.
    pub per_ip: RateLimiter,
    /// Per-contact (phone/e-mail) limit.
    pub per_contact: RateLimiter,
}

fn env_u32(name: &str, default: u32) -> u32 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

impl FeedbackRuntime {
    /// From the environment: `THUTUC_FEEDBACK_PER_IP_PER_MIN` (default 20),
    /// `THUTUC_FEEDBACK_PER_CONTACT_PER_HOUR` (default 10), `THUTUC_FEEDBACK_MAX_MB` (10),
    /// `THUTUC_FEEDBACK_RECEIVER` (default: the root organisation).
    pub fn from_env() -> Self {
        Self {
            config: DeadlineConfig::default(),
            max_attachment_bytes: env_u32("THUTUC_FEEDBACK_MAX_MB", 10) as usize * 1024 * 1024,
            default_receiver: std::env::var("THUTUC_FEEDBACK_RECEIVER")
                .ok()
                .filter(|s| !s.is_empty()),
            per_ip: RateLimiter::new(
                env_u32("THUTUC_FEEDBACK_PER_IP_PER_MIN", 20),
                Duration::from_secs(60),
            ),
            per_contact: RateLimiter::new(
                env_u32("THUTUC_FEEDBACK_PER_CONTACT_PER_HOUR", 10),
                Duration::from_secs(3600),
            ),
        }
    }

    /// With the deadline policies of the configuration (`[feedback]` in `thutuc.toml`).
    pub fn with_deadlines(mut self, config: DeadlineConfig) -> Self {
        self.config = config;
        self
    }

    /// The clock for store calls.
    pub fn clock<'a>(&'a self, cal: &'a thutuc_domain::calendar::Calendar) -> FeedbackClock<'a> {
        FeedbackClock {
            cal,
            config: &self.config,
        }
    }
}

/// 429 with a bilingual message.
pub fn too_many(detail: &str) -> WebError {
    WebError {
        status: StatusCode::TOO_MANY_REQUESTS,
        title: "Gửi quá nhiều / Too many requests",
        detail: detail.into(),
        extra: None,
    }
}

/// Maps a domain error (listing every invalid field) to a 422.
pub fn invalid(e: FeedbackError) -> WebError {
    let extra = match &e {
        FeedbackError::Invalid(errs) => serde_json::to_value(errs).ok(),
        _ => None,
    };
    WebError {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        title: "Dữ liệu không hợp lệ / Invalid",
        detail: e.to_string(),
        extra,
    }
}

/// One submission from any channel.
#[derive(Debug, Default)]
pub struct Intake {
    /// The fields.
    pub raw: RawFeedback,
    /// Attachments.
    pub attachments: Vec<NewAttachment>,
    /// The honeypot field (must be empty).
    pub honeypot: String,
    /// Client address (for the per-IP limit; empty for officer entry).
    pub ip: String,
    /// Officer entering it, if any.
    pub entered_by: Option<i64>,
    /// Receiving agency chosen by an officer.
    pub receiving_org: Option<String>,
}

/// Validates, rate-limits and stores a submission; returns only once it is durable.
pub async fn intake<S: Store>(
    st: &AppState<S>,
    rt: &FeedbackRuntime,
    req: Intake,
) -> WebResult<FeedbackItem> {
    if !req.honeypot.trim().is_empty() {
        return Err(WebError::bad_request(
            "biểu mẫu không hợp lệ / invalid form",
        ));
    }
    if !req.ip.is_empty() && !rt.per_ip.hit(&req.ip) {
        return Err(too_many(
            "bạn đã gửi quá nhiều phản ánh trong một phút, vui lòng thử lại sau / too many submissions from this address, try again later",
        ));
    }
    let item = req.raw.validate().map_err(invalid)?;
    for (i, a) in req.attachments.iter().enumerate() {
        attachment::check(&a.filename, &a.bytes, rt.max_attachment_bytes).map_err(|mut e| {
            e.message_en = format!("attachment {}: {}", i + 1, e.message_en);
            invalid(FeedbackError::Invalid(vec![e]))
        })?;
    }
    if req.entered_by.is_none() && !rt.per_contact.hit(item.sender.phone.as_str()) {
        return Err(too_many(
            "số điện thoại này đã gửi quá nhiều phản ánh trong một giờ / too many submissions for this phone number in an hour",
        ));
    }
    let receiving_org = match (&req.receiving_org, &item.procedure_code) {
        (Some(o), _) => o.clone(),
        (None, Some(code)) => match thutuc_domain::TthcCode::parse(code) {
            Ok(c) => match st.store.get_procedure(&c).await {
                Ok(p) => p.owner_org,
                Err(StoreError::NotFound(_)) => {
                    return Err(invalid(FeedbackError::field(
                        "procedure_code",
                        format!("không có thủ tục mã {code}"),
                        format!("no procedure with code {code}"),
                    )));
                }
                Err(e) => return Err(e.into()),
            },
            Err(_) => {
                return Err(invalid(FeedbackError::field(
                    "procedure_code",
                    "mã thủ tục không hợp lệ",
                    "invalid procedure code",
                )));
            }
        },
        (None, None) => match &rt.default_receiver {
            Some(o) => o.clone(),
            None => st
                .tree()
                .roots()
                .first()
                .map(|o| o.id.clone())
                .ok_or_else(|| {
                    WebError::bad_request(
                        "chưa cấu hình cơ quan tiếp nhận / no receiving agency configured",
                    )
                })?,
        },
    };
    let cal = st.calendar.get();
    let mut last = None;
    for _ in 0..3 {
        let sub = FeedbackSubmission {
            item: item.clone(),
            tracking_code: TrackingCode::from_random(rand::random::<u64>())
                .as_str()
                .to_string(),
            receiving_org: receiving_org.clone(),
            received_at: Utc::now(),
            attachments: req.attachments.clone(),
            max_attachment_bytes: rt.max_attachment_bytes,
            entered_by: req.entered_by,
        };
        match st.store.submit_feedback(&sub, rt.clock(&cal)).await {
            Ok(it) => {
                if let Some(code) = &sub.item.procedure_code {
                    st.feedback_counts.forget(code);
                }
                return Ok(it);
            }
            Err(StoreError::Conflict { message, .. }) if message.contains("tracking_code") => {
                last = Some(message)
            }
            Err(e) => return Err(e.into()),
        }
    }
    Err(WebError::from(StoreError::Other(last.unwrap_or_default())))
}
