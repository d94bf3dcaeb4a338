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
    let result = st
        .calendar
        .get()
        .add_working_days(d, q.days)
        .map_err(cal_err)?;
    Ok(Json(AddView {
        date: d,
        days: q.days,
        result,
        calendar: st.calendar.get().fingerprint(),
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
        .get()
        .working_days_between(from, to)
        .map_err(cal_err)?;
    Ok(Json(BetweenView {
        from,
        to,
        working_days,
    }))
}

/// A calendar row entered by an officer.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CalendarDayRequest {
    /// `holiday`, `make_up`, `swapped_day_off` or `swapped_workday`.
    pub kind: String,
    /// Vietnamese name, e.g. "Nghỉ Tết Nguyên đán".
    pub name_vi: String,
    /// Legal source, e.g. "Thông báo 9441/TB-BNV".
    pub source: String,
}

/// Rebuilds the shared calendar from its rules, the embedded notices and the stored rows;
/// refuses (and stores nothing) when the rows contradict each other.
async fn rebuild_calendar<S: Store>(
    st: &AppState<S>,
    extra: &[CalendarDay],
    withdrawn: Option<NaiveDate>,
) -> WebResult<calendar::Calendar> {
    let mut stored = st.store.calendar_days().await?;
    let new_dates: std::collections::BTreeSet<NaiveDate> =
        extra.iter().map(|r| r.date).chain(withdrawn).collect();
    stored.retain(|r| !new_dates.contains(&r.date));
    stored.extend(extra.iter().cloned());
    let mut rows = calendar::parse_notice_csv(calendar::NOTICES_CSV).map_err(cal_err)?;
    let stored_dates: std::collections::BTreeSet<NaiveDate> =
        stored.iter().map(|r| r.date).collect();
    rows.retain(|r| !stored_dates.contains(&r.date) && Some(r.date) != withdrawn);
    rows.extend(stored);
    calendar::Calendar::new(st.calendar.get().rules().clone(), rows)
        .map_err(|e| WebError::bad_request(format!("lịch mâu thuẫn / contradictory calendar: {e}")))
}

/// Sets a day of the working-day calendar (a notice day off, a swapped working Saturday…).
/// Takes effect at once for every deadline computed afterwards.
#[utoipa::path(put, path = "/api/v1/calendar/days/{date}", tag = "calendar", request_body = CalendarDayRequest,
    params(("date" = String, Path, description = "YYYY-MM-DD")), security(("bearer" = [])),
    responses((status = 200, description = "Saved; the year's special days", body = Object), (status = 400, description = "Bad row or contradiction"), (status = 403, description = "Not allowed")))]
pub async fn put_day<S: Store>(
    State(st): State<AppState<S>>,
    actor: crate::auth::Actor,
    Path(date): Path<String>,
    crate::extract::ApiJson(req): crate::extract::ApiJson<CalendarDayRequest>,
) -> WebResult<Json<Vec<CalendarDay>>> {
    let d = parse_date(&date)?;
    let cap = actor.may(
        &st,
        thutuc_domain::access::Action::EditCalendar,
        &actor.org_id,
    )?;
    let kind: calendar::DayKind =
        serde_json::from_value(serde_json::Value::String(req.kind.clone())).map_err(|_| {
            WebError::bad_request(format!(
                "kind «{}» phải là holiday, make_up, swapped_day_off hoặc swapped_workday",
                req.kind
            ))
        })?;
    if req.name_vi.trim().is_empty() || req.source.trim().is_empty() {
        return Err(WebError::bad_request(
            "name_vi và source là bắt buộc (ghi rõ văn bản nguồn) / name and source are required",
        ));
    }
    let row = CalendarDay {
        date: d,
        kind,
        name_vi: req.name_vi.trim().into(),
        source: req.source.trim().into(),
    };
    let csv = format!(
        "date,kind,name_vi,source\n{},{},\"{}\",\"{}\"\n",
        d,
        req.kind,
        row.name_vi.replace('"', "\"\""),
        row.source.replace('"', "\"\"")
    );
    calendar::parse_notice_csv(&csv).map_err(|e| WebError::bad_request(e.to_string()))?;
    let cal = rebuild_calendar(&st, std::slice::from_ref(&row), None).await?;
    st.store
        .upsert_calendar_days(std::slice::from_ref(&row), &cap.actor.email)
        .await?;
    let year = chrono::Datelike::year(&d);
    st.calendar.set(cal);
    Ok(Json(st.calendar.holidays(year)))
}

/// Withdraws an officer's row: the computed rules and embedded notices apply to that date again.
#[utoipa::path(post, path = "/api/v1/calendar/days/{date}/withdraw", tag = "calendar", params(("date" = String, Path, description = "YYYY-MM-DD")),
    security(("bearer" = [])), responses((status = 200, description = "Withdrawn", body = Object), (status = 404, description = "No stored row")))]
pub async fn withdraw_day<S: Store>(
    State(st): State<AppState<S>>,
    actor: crate::auth::Actor,
    Path(date): Path<String>,
) -> WebResult<Json<Vec<CalendarDay>>> {
    let d = parse_date(&date)?;
    let cap = actor.may(
        &st,
        thutuc_domain::access::Action::EditCalendar,
        &actor.org_id,
    )?;
    let cal = rebuild_calendar(&st, &[], Some(d)).await?;
    st.store.withdraw_calendar_day(d, &cap.actor.email).await?;
    st.calendar.set(cal);
    Ok(Json(st.calendar.holidays(chrono::Datelike::year(&d))))
}
