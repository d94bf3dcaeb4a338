//! The working-day calendar of a year: twelve month grids marking days off (holidays, Tết,
//! make-up days) and swapped working Saturdays, and the list of special days with sources.

use askama::Template;
use axum::extract::{Query, State};
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use thutuc_domain::calendar::{self, CalendarDay};
use thutuc_store::Store;

use crate::pages::context::{Base, Ctx};
use crate::pages::error::{PageError, PageResult, html};
use crate::pages::fmt;
use crate::state::AppState;

/// One cell of a month grid.
#[derive(Debug, Clone)]
pub struct Cell {
    /// Day of month; 0 for padding.
    pub day: u32,
    /// CSS class: `off`, `swap`, `we` or empty.
    pub class: &'static str,
    /// Tooltip / accessible name of a special day.
    pub note: String,
}

/// A month grid.
#[derive(Debug, Clone)]
pub struct Month {
    /// 1–12.
    pub number: u32,
    /// Weeks of 7 cells.
    pub weeks: Vec<Vec<Cell>>,
}

/// A special day row.
#[derive(Debug, Clone)]
pub struct DayRow {
    /// dd/mm/yyyy.
    pub date: String,
    /// Name.
    pub name: String,
    /// Day off or swapped working day.
    pub off: bool,
    /// Source.
    pub source: String,
}

#[derive(Template)]
#[template(path = "calendar.html")]
struct CalendarPage {
    b: Base,
    year: i32,
    weekdays: Vec<&'static str>,
    months: Vec<Month>,
    days: Vec<DayRow>,
}

/// Query with a year.
#[derive(Debug, Deserialize)]
pub struct YearQuery {
    /// Year (default: this year).
    pub nam: Option<i32>,
}

fn month(
    year: i32,
    m: u32,
    special: &[CalendarDay],
    rest: &dyn Fn(chrono::Weekday) -> bool,
) -> Month {
    let Some(first) = NaiveDate::from_ymd_opt(year, m, 1) else {
        return Month {
            number: m,
            weeks: vec![],
        };
    };
    let mut cells: Vec<Cell> = (0..first.weekday().num_days_from_monday())
        .map(|_| Cell {
            day: 0,
            class: "",
            note: String::new(),
        })
        .collect();
    let mut d = first;
    while d.month() == m {
        let sp = special.iter().find(|s| s.date == d);
        let (class, note) = match sp {
            Some(s) if s.kind.is_day_off() => ("off", s.name_vi.clone()),
            Some(s) => ("swap", s.name_vi.clone()),
            None if rest(d.weekday()) => ("we", String::new()),
            None => ("", String::new()),
        };
        cells.push(Cell {
            day: d.day(),
            class,
            note,
        });
        match d.succ_opt() {
            Some(n) => d = n,
            None => break,
        }
    }
    while !cells.len().is_multiple_of(7) {
        cells.push(Cell {
            day: 0,
            class: "",
            note: String::new(),
        });
    }
    Month {
        number: m,
        weeks: cells.chunks(7).map(<[Cell]>::to_vec).collect(),
    }
}

/// `GET /lich?nam=`.
pub async fn page<S: Store>(
    State(st): State<AppState<S>>,
    ctx: Ctx,
    Query(q): Query<YearQuery>,
) -> PageResult {
    let year = q.nam.unwrap_or_else(|| fmt::today_vn().year());
    if !(calendar::lunar::MIN_YEAR..=calendar::lunar::MAX_YEAR).contains(&year) {
        return Err(PageError::bad_request(format!(
            "năm {year} ngoài phạm vi {}–{}",
            calendar::lunar::MIN_YEAR,
            calendar::lunar::MAX_YEAR
        )));
    }
    let special = st.calendar.holidays(year);
    let rules = st.calendar.get().rules().clone();
    let rest = move |w: chrono::Weekday| rules.is_rest_day(w);
    let t = CalendarPage {
        b: ctx.base(format!("{} {year}", ctx.lang.t("cal.title")), "calendar"),
        year,
        weekdays: ctx.lang.t("cal.wd").split(',').collect(),
        months: (1..=12).map(|m| month(year, m, &special, &rest)).collect(),
        days: special
            .iter()
            .map(|s| DayRow {
                date: fmt::date(s.date),
                name: s.name_vi.clone(),
                off: s.kind.is_day_off(),
                source: s.source.clone(),
            })
            .collect(),
    };
    html(&t)
}
