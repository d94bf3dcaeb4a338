//! The working-day calendar over HTTP: Tết, lunar dates, holidays, working-day arithmetic.

use axum::Json;
use axum::extract::{Path, State};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use thutuc_domain::calendar::{self, CalendarDay};
use thutuc_store::Store;
use utoipa::{IntoParams, ToSchema};

use crate::error::{WebError, WebResult};
use crate::extract::ApiQuery;
use crate::state::AppState;

fn parse_date(s: &str) -> WebResult<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
        WebError::bad_request(format!(
            "ngày «{s}» phải có dạng YYYY-MM-DD / date must be YYYY-MM-DD"
        ))
    })
}

fn cal_err(e: calendar::CalendarError) -> WebError {
    WebError::bad_request(e.to_string())
}

/// Tết of a year.
#[derive(Debug, Serialize, ToSchema)]
pub struct TetView {
    /// Year.
    pub year: i32,
    /// First day of the lunar year (ISO).
    pub date: NaiveDate,
}

/// The date of Tết Nguyên đán (computed at UTC+7).
#[utoipa::path(get, path = "/api/v1/calendar/tet/{year}", tag = "calendar", params(("year" = i32, Path, description = "1900–2100")),
    responses((status = 200, description = "Tết", body = TetView), (status = 400, description = "Out of range")))]
pub async fn tet(Path(year): Path<i32>) -> WebResult<Json<TetView>> {
    Ok(Json(TetView {
        year,
        date: calendar::tet(year).map_err(cal_err)?,
    }))
}

/// A lunar date.
#[derive(Debug, Serialize, ToSchema)]
pub struct LunarView {
    /// Solar date asked.
    pub solar: NaiveDate,
    /// Lunar year.
    pub year: i32,
    /// Lunar month.
    pub month: u8,
    /// Lunar day.
    pub day: u8,
    /// Leap month.
    pub leap: bool,
    /// Vietnamese text.
    pub text: String,
}

/// Converts a solar date to the Vietnamese lunar calendar.
#[utoipa::path(get, path = "/api/v1/calendar/lunar/{date}", tag = "calendar", params(("date" = String, Path, description = "YYYY-MM-DD")),
    responses((status = 200, description = "Lunar date", body = LunarView), (status = 400, description = "Bad or out-of-range date")))]
pub async fn lunar(Path(date): Path<String>) -> WebResult<Json<LunarView>> {
    let d = parse_date(&date)?;
    let l = calendar::solar_to_lunar(d).map_err(cal_err)?;
    Ok(Json(LunarView {
        solar: d,
        year: l.year,
        month: l.month,
        day: l.day,
        leap: l.leap,
        text: l.to_string(),
    }))
}

/// Query with a year.
#[derive(Debug, Deserialize, IntoParams)]
pub struct YearQuery {
    /// Year (default: current).
    pub year: Option<i32>,
}

/// Every non-working weekday and every swapped working Saturday of a year, with names and sources.
#[utoipa::path(get, path = "/api/v1/calendar/holidays", tag = "calendar", params(YearQuery), responses((status = 200, description = "Special days", body = Object)))]
pub async fn holidays<S: Store>(
    State(st): State<AppState<S>>,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> WebResult<Json<Vec<CalendarDay>>> {
    let year = q.year.unwrap_or_else(|| chrono::Utc::now().year());
    if !(calendar::lunar::MIN_YEAR..=calendar::lunar::MAX_YEAR).contains(&year) {
        return Err(WebError::bad_request(format!(
            "năm {year} ngoài phạm vi {}–{}",
            calendar::lunar::MIN_YEAR,
            calendar::lunar::MAX_YEAR
        )));
    }
    Ok(Json(st.calendar.holidays(year)))
}

/// Working-day arithmetic query.
#[derive(Debug, Deserialize, IntoParams)]
pub struct AddQuery {
    /// Start date (YYYY-MM-DD).
    pub date: String,
    /// Number of working days (≥ 0).
    pub days: i64,
}

/// Result of working-day arithmetic.
#[derive(Debug, Serialize, ToSchema)]
pub struct AddView {
    /// Start.
    pub date: NaiveDate,
    /// Days added.
    pub days: i64,
    /// Result.
    pub result: NaiveDate,
    /// Calendar fingerprint used.
    pub calendar: String,
}

/// Adds N working days: the N-th working day after the date.
#[utoipa::path(get, path = "/api/v1/calendar/add-working-days", tag = "calendar", params(AddQuery),
    responses((status = 200, description = "Result", body = AddView), (status = 400, description = "Bad input")))]
pub async fn add_working_days<S: Store>(
    State(st): State<AppState<S>>,
    ApiQuery(q): ApiQuery<AddQuery>,
) -> WebResult<Json<AddView>> {
    let d = parse_date(&q.date)?;
    if q.days < 0 {
        return Err(WebError::bad_request(
            "days phải ≥ 0 / days must not be negative",
        ));
    }
    let result = st.calendar.add_working_days(d, q.days).map_err(cal_err)?;
    Ok(Json(AddView {
        date: d,
        days: q.days,
        result,
        calendar: st.calendar.fingerprint(),
    }))
}

/// Between query.
#[derive(Debug, Deserialize, IntoParams)]
pub struct BetweenQuery {
    /// From (exclusive).
    pub from: String,
    /// To (inclusive).
    pub to: String,
}

/// Working days between.
#[derive(Debug, Serialize, ToSchema)]
pub struct BetweenView {
    /// From.
    pub from: NaiveDate,
    /// To.
    pub to: NaiveDate,
    /// Working days in (from, to]; negative when to < from.
    pub working_days: i64,
}

/// Counts working days in (from, to].
#[utoipa::path(get, path = "/api/v1/calendar/between", tag = "calendar", params(BetweenQuery),
    responses((status = 200, description = "Count", body = BetweenView), (status = 400, description = "Bad input")))]
pub async fn between<S: Store>(
    State(st): State<AppState<S>>,
    ApiQuery(q): ApiQuery<BetweenQuery>,
) -> WebResult<Json<BetweenView>> {
    let (from, to) = (parse_date(&q.from)?, parse_date(&q.to)?);
    let working_days = st
        .calendar
        .working_days_between(from, to)
        .map_err(cal_err)?;
    Ok(Json(BetweenView {
        from,
        to,
        working_days,
    }))
}
