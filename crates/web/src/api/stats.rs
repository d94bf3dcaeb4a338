//! Statistics and report documents (issue 7) over HTTP: live change counts for any range and
//! organisation subtree, and the monthly (or any period's) report as JSON, CSV, XLSX, HTML
//! or DOCX. Past periods are served from their latest frozen edition (header
//! `X-Report-Edition`), so a published report never changes silently.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use thutuc_reports::model::{Counts, Report, Row};
use thutuc_reports::output::{Format, render};
use thutuc_reports::service::{ReportEnv, ReportRequest, build};
use thutuc_reports::template::{DocumentParams, ReportTemplate};
use thutuc_reports::{DateBasis, Period, ReportError, edition};
use thutuc_store::Store;
use utoipa::IntoParams;

use crate::error::{WebError, WebResult};
use crate::extract::ApiQuery;
use crate::state::AppState;

use crate::pages::fmt::today_vn;

fn report_err(e: ReportError) -> WebError {
    match e {
        ReportError::Store(s) => s.into(),
        e if e.is_bad_request() => WebError::bad_request(e.to_string()),
        e => {
            tracing::error!(error = %e, "report failed");
            WebError {
                status: axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                title: "Lỗi máy chủ / Internal error",
                detail: "không tạo được báo cáo / the report could not be produced".into(),
                extra: None,
            }
        }
    }
}

async fn env<S: Store>(st: &AppState<S>) -> WebResult<ReportEnv> {
    Ok(st.report_env().await?)
}

fn basis(s: Option<&str>) -> WebResult<DateBasis> {
    match s {
        None | Some("") => Ok(DateBasis::Signed),
        Some(x) => DateBasis::parse(x).ok_or_else(|| {
            WebError::bad_request(format!("date=«{x}»: dùng signed hoặc effective"))
        }),
    }
}

fn scope<S: Store>(st: &AppState<S>, org: Option<String>) -> WebResult<Option<String>> {
    match org.filter(|o| !o.is_empty()) {
        None => Ok(None),
        Some(o) if st.tree().get(&o).is_none() => Err(WebError::bad_request(format!(
            "org «{o}» không tồn tại / unknown organisation"
        ))),
        Some(o) => Ok(Some(o)),
    }
}

/// Query of `/api/v1/stats/changes`.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ChangesQuery {
    /// First day (YYYY-MM-DD; default: first day of the current month).
    pub from: Option<NaiveDate>,
    /// Last day (default: today). At most ten years after `from`.
    pub to: Option<NaiveDate>,
    /// Organisation subtree (default: national).
    pub org: Option<String>,
    /// `agency` (default), `level`, `sector`, `kind` (external/internal) or `month`.
    pub group_by: Option<String>,
    /// Reference date: `signed` (default) or `effective`.
    pub date: Option<String>,
}

/// Change counts with one breakdown.
#[derive(Debug, Serialize)]
pub struct ChangesView {
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// Reference date.
    pub basis: DateBasis,
    /// Statement of the reference date.
    pub basis_note: String,
    /// Organisation scope.
    pub org: Option<String>,
    /// Breakdown dimension.
    pub group_by: String,
    /// National totals (central decisions; annulled counted with abolished).
    pub total: Counts,
    /// Breakdown rows (they sum to `total`).
    pub rows: Vec<Row>,
    /// Local re-publications (not in `total`).
    pub local_total: Counts,
    /// Stock in force at the start (day before `from`) and end, and its flows.
    pub stock: StockFigures,
    /// SHA-256 of the inputs.
    pub inputs_hash: String,
}

/// Stock figures.
#[derive(Debug, Serialize)]
pub struct StockFigures {
    /// In force at the start.
    pub start: i64,
    /// Entered.
    pub entered: i64,
    /// Exited.
    pub exited: i64,
    /// In force at the end.
    pub end: i64,
}

fn rows_of(r: &Report, group_by: &str) -> WebResult<Vec<Row>> {
    let s = &r.national;
    Ok(match group_by {
        "agency" => s.by_agency.clone(),
        "level" => s.by_level.clone(),
        "sector" => s.by_sector.clone(),
        "kind" => s.by_kind.clone(),
        "month" => r
            .trend
            .iter()
            .map(|p| Row {
                key: p.month.clone(),
                label: p.month.clone(),
                counts: p.counts,
            })
            .collect(),
        g => {
            return Err(WebError::bad_request(format!(
                "group_by=«{g}»: dùng agency, level, sector, kind hoặc month"
            )));
        }
    })
}

/// Counts of procedures newly issued, amended, replaced and abolished, from live data.
#[utoipa::path(get, path = "/api/v1/stats/changes", tag = "stats", params(ChangesQuery),
    responses((status = 200, description = "Counts with one breakdown, local re-publications apart, and the stock", body = Object),
        (status = 400, description = "Bad range, unknown organisation or group")))]
pub async fn changes<S: Store>(
    State(st): State<AppState<S>>,
    ApiQuery(q): ApiQuery<ChangesQuery>,
) -> WebResult<Json<ChangesView>> {
    let today = today_vn();
    let from = q.from.unwrap_or_else(|| today.with_day(1).unwrap_or(today));
    let to = q.to.unwrap_or(today);
    let group_by = q.group_by.unwrap_or_else(|| "agency".into());
    let req = ReportRequest {
        period: Period::range(from, to).map_err(report_err)?,
        basis: basis(q.date.as_deref())?,
        scope: scope(&st, q.org)?,
    };
    let env = env(&st).await?;
    let r = build(&st.store, &env, &req, today)
        .await
        .map_err(report_err)?;
    Ok(Json(ChangesView {
        from,
        to,
        basis: r.meta.basis,
        basis_note: r.meta.basis_note.clone(),
        org: r.meta.scope.clone(),
        rows: rows_of(&r, &group_by)?,
        group_by,
        total: r.national.total,
        local_total: r.local.total,
        stock: StockFigures {
            start: r.stock.start,
            entered: r.stock.entered,
            exited: r.stock.exited,
            end: r.stock.end,
        },
        inputs_hash: r.meta.inputs_hash.clone(),
    }))
}

/// Query of the report endpoints.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ReportQuery {
    /// Month `YYYY-MM` (monthly endpoint).
    pub month: Option<String>,
    /// Any period: `YYYY-MM`, `YYYY-Qn`, `YYYY-Hn`, `YYYY`, `FROM..TO` (period endpoint).
    pub period: Option<String>,
    /// Organisation subtree (default: national).
    pub org: Option<String>,
    /// `json` (default), `csv`, `xlsx`, `html`, `docx`, `pdf`.
    pub format: Option<String>,
    /// Reference date: `signed` (default) or `effective`.
    pub date: Option<String>,
}

async fn report_response<S: Store>(
    st: &AppState<S>,
    period: &str,
    q: ReportQuery,
) -> WebResult<Response> {
    let period = Period::parse(period).map_err(report_err)?;
    let fmt = match q.format.as_deref() {
        None | Some("") => Format::Json,
        Some(f) => Format::parse(f).ok_or_else(|| {
            WebError::bad_request(format!(
                "format=«{f}»: dùng json, csv, xlsx, html, docx hoặc pdf"
            ))
        })?,
    };
    let req = ReportRequest {
        period,
        basis: basis(q.date.as_deref())?,
        scope: scope(st, q.org)?,
    };
    let today = today_vn();
    let env = env(st).await?;
    let (report, edition_no) = edition::frozen_or_live(&st.store, &env, &req, today)
        .await
        .map_err(report_err)?;
    let template = ReportTemplate::default_vi().map_err(report_err)?;
    let doc = DocumentParams {
        place: "Hà Nội".into(),
        date: today,
        number: "      ".into(),
        issuer_symbol: req.scope.clone().unwrap_or_else(|| "VPCP".into()),
    };
    let bytes = render(&report, &template, &doc, fmt).map_err(report_err)?;
    let name = format!(
        "bao-cao-tthc-{}{}.{}",
        report.meta.period.replace("..", "_"),
        req.scope.map(|s| format!("-{s}")).unwrap_or_default(),
        fmt.extension()
    );
    let mut resp = bytes.into_response();
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(fmt.content_type()),
    );
    if fmt != Format::Json
        && fmt != Format::Html
        && let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
    {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    if let Some(n) = edition_no {
        h.insert("x-report-edition", HeaderValue::from(n));
    }
    Ok(resp)
}

/// The monthly report (Decree 30/2020 layout for html/docx); a past month comes from its
/// latest frozen edition.
#[utoipa::path(get, path = "/api/v1/reports/monthly", tag = "stats", params(ReportQuery),
    responses((status = 200, description = "The report in the requested format; header X-Report-Edition when frozen", body = Object),
        (status = 400, description = "Unknown month, organisation or format")))]
pub async fn monthly<S: Store>(
    State(st): State<AppState<S>>,
    ApiQuery(q): ApiQuery<ReportQuery>,
) -> WebResult<Response> {
    let month = q.month.clone().unwrap_or_else(|| {
        let p = Period::previous_month(today_vn());
        p.key()
    });
    if month.len() != 7 {
        return Err(WebError::bad_request(format!(
            "month=«{month}»: dùng YYYY-MM"
        )));
    }
    report_response(&st, &month, q).await
}

/// The report for a quarter (`YYYY-Qn`), half-year (`YYYY-Hn`), year or date range, from the
/// same engine as the monthly report.
#[utoipa::path(get, path = "/api/v1/reports/period", tag = "stats", params(ReportQuery),
    responses((status = 200, description = "The report in the requested format", body = Object),
        (status = 400, description = "Bad period, organisation or format")))]
pub async fn period<S: Store>(
    State(st): State<AppState<S>>,
    ApiQuery(q): ApiQuery<ReportQuery>,
) -> WebResult<Response> {
    let p = q
        .period
        .clone()
        .ok_or_else(|| WebError::bad_request("cần period / period is required"))?;
    report_response(&st, &p, q).await
}
