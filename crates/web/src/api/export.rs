//! Open data out: the catalogue as JSON Lines, CSV, XLSX or CPSV-AP 3.2.0 JSON-LD, mirroring
//! `thutuc export`, and one procedure as JSON-LD by content negotiation.

use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use thutuc_domain::TthcCode;
use thutuc_export::{ExportFilter, ExportFormat};
use thutuc_store::{ProcedureStatusFilter, Store};
use utoipa::IntoParams;

use crate::error::{WebError, WebResult};
use crate::extract::ApiQuery;
use crate::state::AppState;

/// Filters of an export.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ExportQuery {
    /// Organisation id: its procedures and those of its subtree.
    pub agency: Option<String>,
    /// Field id (slug).
    pub field: Option<String>,
    /// Level: ministry, province, commune, district, other.
    pub level: Option<String>,
    /// `in_force` or `abolished`.
    pub status: Option<String>,
}

fn export_error(e: thutuc_export::ExportError) -> WebError {
    tracing::error!(error = %e, "export failed");
    WebError::from(thutuc_store::StoreError::Other(e.to_string()))
}

/// The catalogue in one of the open formats.
#[utoipa::path(get, path = "/api/v1/export/{format}", tag = "export",
    params(("format" = String, Path, description = "json, csv, xlsx or cpsv-jsonld"), ExportQuery),
    responses((status = 200, description = "The export file"), (status = 400, description = "Unknown format or filter")))]
pub async fn export<S: Store>(
    State(st): State<AppState<S>>,
    Path(format): Path<String>,
    ApiQuery(q): ApiQuery<ExportQuery>,
) -> WebResult<Response> {
    let fmt = ExportFormat::parse(&format).ok_or_else(|| {
        WebError::bad_request(format!(
            "định dạng «{format}» không hỗ trợ; dùng json, csv, xlsx hoặc cpsv-jsonld"
        ))
    })?;
    let tree = st.tree();
    let owner_orgs = match q.agency.as_deref() {
        None | Some("") => None,
        Some(a) if tree.get(a).is_none() => {
            return Err(WebError::bad_request(format!("agency «{a}» không tồn tại")));
        }
        Some(a) => Some(tree.subtree(a)),
    };
    let level = match q.level.as_deref() {
        None | Some("") => None,
        Some(l) => Some(
            thutuc_domain::procedure::Level::parse(l)
                .ok_or_else(|| WebError::bad_request(format!("level «{l}» không hợp lệ")))?,
        ),
    };
    let status = match q.status.as_deref() {
        None | Some("") => None,
        Some("in_force") => Some(ProcedureStatusFilter::InForce),
        Some("abolished") => Some(ProcedureStatusFilter::Abolished),
        Some(s) => {
            return Err(WebError::bad_request(format!(
                "status «{s}» phải là in_force hoặc abolished"
            )));
        }
    };
    let filter = ExportFilter {
        owner_orgs,
        sector: q.field.filter(|s| !s.is_empty()),
        level,
        status,
        kind: None,
    };
    let mut buf = Vec::new();
    thutuc_export::export_own(&st.store, fmt, &filter, &mut buf)
        .await
        .map_err(export_error)?;
    let (ctype, ext) = match fmt {
        ExportFormat::Json => ("application/x-ndjson; charset=utf-8", "jsonl"),
        ExportFormat::Csv => ("text/csv; charset=utf-8", "csv"),
        ExportFormat::Xlsx => (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
        ExportFormat::CpsvJsonld => ("application/ld+json", "jsonld"),
    };
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"thutuc-tthc.{ext}\""))
        .map_err(|e| WebError::bad_request(e.to_string()))?;
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(ctype)),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        buf,
    )
        .into_response())
}

/// One procedure as CPSV-AP JSON-LD (used when the client sends `Accept: application/ld+json`).
pub async fn procedure_jsonld<S: Store>(st: &AppState<S>, code: &TthcCode) -> WebResult<Response> {
    let rec = thutuc_export::CatalogueRecord::load(&st.store, code)
        .await
        .map_err(|e| match e {
            thutuc_export::ExportError::Store(s) => WebError::from(s),
            other => export_error(other),
        })?;
    let doc = thutuc_export::export_cpsv_jsonld(&rec, &thutuc_export::CpsvOptions::default());
    Ok((
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/ld+json"),
        )],
        axum::Json(doc),
    )
        .into_response())
}
