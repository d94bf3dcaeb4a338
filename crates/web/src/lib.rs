//! The HTTP layer: `/api/v1` JSON handlers documented in OpenAPI, errors as problem+json,
//! `/healthz` and `/metrics`. Generic over the store (static dispatch); the binary picks the
//! backend once in `main`.

pub mod api;
pub mod auth;
pub mod error;
pub mod extract;
pub mod i18n;
pub mod metrics;
pub mod openapi;
pub mod pages;
pub mod search_pool;
pub mod session;
pub mod state;
pub mod views;

use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, OptionalFromRequestParts};
use axum::http::request::Parts;
use axum::routing::{get, post};
use thutuc_store::Store;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::timeout::TimeoutLayer;
use utoipa::OpenApi;
use utoipa_swagger_ui::SwaggerUi;

pub use state::AppState;

use crate::auth::Actor;
use crate::error::WebError;

impl<S: Store> OptionalFromRequestParts<AppState<S>> for Actor {
    type Rejection = WebError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState<S>,
    ) -> Result<Option<Self>, Self::Rejection> {
        if parts
            .headers
            .contains_key(axum::http::header::AUTHORIZATION)
        {
            <Actor as axum::extract::FromRequestParts<AppState<S>>>::from_request_parts(
                parts, state,
            )
            .await
            .map(Some)
        } else {
            Ok(None)
        }
    }
}

/// Builds the whole router (portal settings from the environment, see [`session::PagesConfig`]).
pub fn router<S: Store>(state: AppState<S>) -> Router {
    router_with(state, session::PagesConfig::from_env())
}

/// Builds the whole router with explicit portal settings.
pub fn router_with<S: Store>(state: AppState<S>, pages_cfg: session::PagesConfig) -> Router {
    router_full(
        state,
        pages_cfg,
        api::feedback::service::FeedbackRuntime::from_env(),
    )
}

/// Builds the whole router with explicit portal and feedback settings (the server passes the
/// `[feedback]` deadlines of `thutuc.toml` here).
pub fn router_full<S: Store>(
    state: AppState<S>,
    pages_cfg: session::PagesConfig,
    feedback: api::feedback::service::FeedbackRuntime,
) -> Router {
    use api::*;
    let v1 = Router::new()
        .route("/procedures", get(procedures::list::<S>))
        .route("/procedures/{code}", get(procedures::get::<S>))
        .route(
            "/procedures/{code}/versions",
            get(procedures::versions::<S>),
        )
        .route(
            "/procedures/{code}/versions/{seq}",
            get(procedures::version::<S>).put(procedures::update_draft::<S>),
        )
        .route(
            "/procedures/{code}/versions/{seq}/status",
            post(procedures::draft_status::<S>),
        )
        .route(
            "/procedures/{code}/diff",
            get(procedures::diff_versions::<S>),
        )
        .route(
            "/procedures/{code}/completeness",
            get(procedures::completeness_report::<S>),
        )
        .route(
            "/procedures/{code}/localisations",
            get(procedures::localisations::<S>),
        )
        .route(
            "/procedures/{code}/localisations/{org}",
            axum::routing::put(procedures::put_localisation::<S>),
        )
        .route(
            "/procedures/{code}/drafts",
            post(procedures::create_draft::<S>),
        )
        .route(
            "/decisions",
            get(decisions::list::<S>).post(decisions::create::<S>),
        )
        .route(
            "/decisions/{number}",
            get(decisions::get::<S>).put(decisions::update::<S>),
        )
        .route("/decisions/{number}/apply", post(decisions::apply::<S>))
        .route("/organisations", get(orgs::list::<S>))
        .route("/organisations/{id}", get(orgs::get::<S>))
        .route("/fields", get(orgs::sectors::<S>))
        .route("/legal-documents", get(orgs::legal_list::<S>))
        .route("/legal-documents/{number}", get(orgs::legal_get::<S>))
        .route("/calendar/tet/{year}", get(calendar::tet))
        .route("/calendar/lunar/{date}", get(calendar::lunar))
        .route("/calendar/holidays", get(calendar::holidays::<S>))
        .route(
            "/calendar/add-working-days",
            get(calendar::add_working_days::<S>),
        )
        .route("/calendar/between", get(calendar::between::<S>))
        .route("/export/{format}", get(export::export::<S>))
        .route("/suggest", get(procedures::suggest::<S>))
        .route("/imports", post(imports::import::<S>))
        .route(
            "/calendar/days/{date}",
            axum::routing::put(calendar::put_day::<S>),
        )
        .route(
            "/calendar/days/{date}/withdraw",
            post(calendar::withdraw_day::<S>),
        )
        .route("/stats/changes", get(stats::changes::<S>))
        .route("/reports/monthly", get(stats::monthly::<S>))
        .route("/reports/period", get(stats::period::<S>))
        .route("/tasks", get(tasks::list::<S>).post(tasks::create::<S>))
        .route("/tasks/ranking", get(tasks::ranking::<S>))
        .route("/tasks/{id}", get(tasks::get::<S>))
        .route("/tasks/{id}/steps", post(tasks::step::<S>))
        .route(
            "/directives",
            get(tasks::directives::<S>).post(tasks::create_directive::<S>),
        )
        .route(
            "/working-groups",
            get(tasks::working_groups::<S>).put(tasks::put_working_group::<S>),
        )
        .route("/working-groups/meetings", post(tasks::create_meeting::<S>))
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            audit::audit_writes::<S>,
        ))
        .method_not_allowed_fallback(pages::not_allowed);
    let metrics = state.metrics.clone();
    let feedback_rt = std::sync::Arc::new(feedback);
    Router::new()
        .nest("/api/v1", v1)
        .route("/healthz", get(system::healthz::<S>))
        .route("/metrics", get(system::metrics::<S>))
        .merge(SwaggerUi::new("/api/docs").url("/api/openapi.json", openapi::ApiDoc::openapi()))
        .with_state(state.clone())
        .merge(api::feedback::router(state.clone()))
        .merge(pages::router(state, pages_cfg))
        .layer(axum::Extension(feedback_rt))
        .layer(axum::middleware::from_fn(pages::security::headers))
        .layer(axum::middleware::from_fn_with_state(
            metrics,
            crate::metrics::track,
        ))
        .layer(DefaultBodyLimit::max(8 * 1024 * 1024))
        .layer(CompressionLayer::new())
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            Duration::from_secs(30),
        ))
        .layer(CatchPanicLayer::new())
}
