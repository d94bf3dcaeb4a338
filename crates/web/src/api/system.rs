//! Health and metrics.

use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use thutuc_store::Store;

use crate::state::AppState;
use crate::views::Health;

/// Liveness: answers without touching the database.
#[utoipa::path(get, path = "/healthz", tag = "system", responses((status = 200, description = "Alive", body = Health)))]
pub async fn healthz<S: Store>(State(st): State<AppState<S>>) -> Json<Health> {
    Json(Health {
        status: "ok",
        backend: st.store.backend(),
    })
}

/// Prometheus metrics.
#[utoipa::path(get, path = "/metrics", tag = "system", responses((status = 200, description = "Prometheus text format", body = String)))]
pub async fn metrics<S: Store>(State(st): State<AppState<S>>) -> impl IntoResponse {
    let extra = [
        (
            "thutuc_cache_entries",
            "Published versions held in memory.",
            st.cache.len() as f64,
        ),
        (
            "thutuc_organisations",
            "Organisations in the tree.",
            st.tree().len() as f64,
        ),
    ];
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        st.metrics.render(&extra),
    )
}
