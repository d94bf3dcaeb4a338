//! Tests of the assembled working-day calendar (rules + notices + arithmetic).

use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate, Weekday};
use proptest::prelude::*;

use super::*;

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn vn() -> &'static Calendar {
    static CAL: OnceLock<Calendar> = OnceLock::new();
    CAL.get_or_init(|| Calendar::default_vn().expect("default calendar builds"))
}

fn weekdays_off(year: i32) -> Vec<NaiveDate> {
    vn().holidays(year)
        .into_iter()
        .filter(|d| d.kind.is_day_off())
        .map(|d| d.date)
        .collect()
}

#[test]
fn the_2025_notice_gives_exactly_twelve_weekdays_off_and_one_worked_saturday() {
    let days = vn().holidays(2025);
    let off: Vec<NaiveDate> = days
        .iter()
        .filter(|d| d.kind.is_day_off())
        .map(|d| d.date)
        .collect();
    let expected = vec![
        ymd(2025, 1, 1),
        ymd(2025, 1, 27),
        ymd(2025, 1, 28),
        ymd(2025, 1, 29),
        ymd(2025, 1, 30),
        ymd(2025, 1, 31),
        ymd(2025, 4, 7),
        ymd(2025, 4, 30),
        ymd(2025, 5, 1),
        ymd(2025, 5, 2),
        ymd(2025, 9, 1),
        ymd(2025, 9, 2),
    ];
    assert_eq!(off, expected);
    let worked: Vec<&CalendarDay> = days
        .iter()
        .filter(|d| d.kind == DayKind::SwappedWorkday)
        .collect();
    assert_eq!(worked.len(), 1);
    assert_eq!(worked[0].date, ymd(2025, 4, 26));
    assert_eq!(worked[0].source, "6150/TB-BLĐTBXH");
}

#[test]
fn tet_2025_runs_from_saturday_25_january_to_sunday_2_february() {
    let cal = vn();
    assert!(cal.is_working_day(ymd(2025, 1, 24)).expect("in range"));
    for date in ymd(2025, 1, 25).iter_days().take(9) {
        assert!(
            !cal.is_working_day(date).expect("in range"),
            "{date} should be off"
        );
    }
    assert!(cal.is_working_day(ymd(2025, 2, 3)).expect("in range"));
}

#[test]
fn hung_kings_day_on_sunday_26_april_2026_is_made_up_on_monday_27_april() {
    let day = vn().day(ymd(2026, 4, 27)).expect("listed");
    assert_eq!(day.kind, DayKind::MakeUp);
    assert!(!vn().is_working_day(ymd(2026, 4, 27)).expect("in range"));
    assert!(vn().is_working_day(ymd(2026, 4, 28)).expect("in range"));
}

#[test]
fn the_make_up_day_is_computed_without_any_notice() {
    let cal = Calendar::new(CalendarRules::default(), Vec::new()).expect("rules only");
    let day = cal.day(ymd(2026, 4, 27)).expect("computed make-up day");
    assert_eq!(day.kind, DayKind::MakeUp);
    assert!(day.source.contains("Điều 111"));
    assert!(day.name_vi.contains("Giỗ Tổ"));
}

#[test]
fn a_notice_holiday_on_the_make_up_day_pushes_the_make_up_day_further() {
    // A notice giving Monday 27/4/2026 off as a plain holiday (not as the make-up day)
    // leaves Giỗ Tổ's make-up day to the next working day, Tuesday 28/4.
    let row = CalendarDay {
        date: ymd(2026, 4, 27),
        kind: DayKind::Holiday,
        name_vi: "x".into(),
        source: "y".into(),
    };
    let cal = Calendar::new(CalendarRules::default(), vec![row]).expect("valid");
    assert_eq!(
        cal.day(ymd(2026, 4, 28)).map(|d| d.kind),
        Some(DayKind::MakeUp)
    );
}

#[test]
fn holidays_on_a_weekend_get_one_make_up_day_each_in_order() {
    // 2022: 30/4 Saturday and 1/5 Sunday → Monday 2/5 and Tuesday 3/5.
    let off = weekdays_off(2022);
    assert!(off.contains(&ymd(2022, 5, 2)) && off.contains(&ymd(2022, 5, 3)));
    // 2023: Giỗ Tổ Saturday 29/4, 30/4 Sunday, 1/5 Monday → make-up 2/5 and 3/5.
    let off = weekdays_off(2023);
    assert!(off.contains(&ymd(2023, 5, 2)) && off.contains(&ymd(2023, 5, 3)));
    assert!(vn().is_working_day(ymd(2023, 5, 4)).expect("in range"));
}

#[test]
fn every_notice_year_has_between_eleven_and_fourteen_weekdays_off() {
    for year in 2021..=2026 {
        let n = weekdays_off(year).len();
        assert!((11..=14).contains(&n), "{year}: {n} weekdays off");
    }
}

#[test]
fn tet_2024_is_thursday_8_to_wednesday_14_february_and_29_april_is_swapped() {
    let cal = vn();
    let off: Vec<NaiveDate> = ymd(2024, 2, 1)
        .iter_days()
        .take(20)
        .filter(|d| {
            d.weekday().num_days_from_monday() < 5 && !cal.is_working_day(*d).expect("in range")
        })
        .collect();
    assert_eq!(
        off,
        vec![
            ymd(2024, 2, 8),
            ymd(2024, 2, 9),
            ymd(2024, 2, 12),
            ymd(2024, 2, 13),
            ymd(2024, 2, 14)
        ]
    );
    assert!(!cal.is_working_day(ymd(2024, 4, 29)).expect("in range"));
    assert!(cal.is_working_day(ymd(2024, 5, 4)).expect("in range"));
}

#[test]
fn without_a_notice_the_default_tet_rule_applies_with_make_up_days() {
    // Tết 2027 is Saturday 6 Feb: statutory Fri 5 – Tue 9, make-up Wed 10 and Thu 11.
    let off = weekdays_off(2027);
    for d in [5, 8, 9, 10, 11] {
        assert!(off.contains(&ymd(2027, 2, d)), "{d}/2/2027 should be off");
    }
    assert!(vn().is_working_day(ymd(2027, 2, 12)).expect("in range"));
}

#[test]
fn adding_working_days_follows_the_documented_convention() {
    let cal = vn();
    let friday = ymd(2025, 4, 25);
    assert_eq!(cal.add_working_days(friday, 0).expect("in range"), friday);
    assert_eq!(
        cal.add_working_days(friday, 1).expect("in range"),
        ymd(2025, 4, 26)
    );
    assert_eq!(
        cal.add_working_days(friday, 3).expect("in range"),
        ymd(2025, 4, 29)
    );
    assert_eq!(
        cal.add_working_days(friday, 4).expect("in range"),
        ymd(2025, 5, 5)
    );
    assert_eq!(
        cal.add_working_days(ymd(2025, 4, 27), 0).expect("in range"),
        ymd(2025, 4, 28)
    );
    assert_eq!(
        cal.add_working_days(ymd(2025, 5, 5), -1).expect("in range"),
        ymd(2025, 4, 29)
    );
    assert_eq!(
        cal.working_days_between(friday, ymd(2025, 5, 5))
            .expect("in range"),
        4
    );
    assert_eq!(
        cal.working_days_between(ymd(2025, 5, 5), friday)
            .expect("in range"),
        -4
    );
}

#[test]
fn adding_beyond_2100_is_out_of_range() {
    let err = vn()
        .add_working_days(ymd(2100, 12, 30), 10)
        .expect_err("beyond range");
    assert!(matches!(err, CalendarError::OutOfRange(_)));
    assert!(vn().is_working_day(ymd(1899, 12, 31)).is_err());
}

#[test]
fn calendar_days_move_off_days_off_only_by_flag() {
    let cal = vn();
    // 25/04/2025 + 5 calendar days = Wed 30/4, a holiday.
    assert_eq!(
        cal.add_calendar_days(ymd(2025, 4, 25), 5, false)
            .expect("in range"),
        ymd(2025, 4, 30)
    );
    assert_eq!(
        cal.add_calendar_days(ymd(2025, 4, 25), 5, true)
            .expect("in range"),
        ymd(2025, 5, 5)
    );
}

#[test]
fn pauses_move_the_due_date_by_the_paused_working_days() {
    let cal = vn();
    let due = ymd(2025, 6, 13);
    // Paused Mon 2/6 → Wed 4/6 (2 working days) and, overlapping, Tue 3/6 → Thu 5/6.
    let pauses = [
        (ymd(2025, 6, 2), ymd(2025, 6, 4)),
        (ymd(2025, 6, 3), ymd(2025, 6, 5)),
    ];
    assert_eq!(
        cal.due_with_pauses(due, &pauses).expect("valid"),
        ymd(2025, 6, 18)
    );
    assert_eq!(cal.due_with_pauses(due, &[]).expect("valid"), due);
    assert!(
        cal.due_with_pauses(due, &[(ymd(2025, 6, 5), ymd(2025, 6, 2))])
            .is_err()
    );
}

#[test]
fn overrides_that_contradict_the_weekend_are_rejected() {
    let row = CalendarDay {
        date: ymd(2025, 4, 24),
        kind: DayKind::SwappedWorkday,
        name_vi: "x".into(),
        source: "y".into(),
    };
    assert!(matches!(
        Calendar::new(CalendarRules::default(), vec![row]),
        Err(CalendarError::Contradiction { .. })
    ));
}

#[test]
fn overrides_outside_the_range_are_rejected() {
    let row = CalendarDay {
        date: ymd(2101, 1, 2),
        kind: DayKind::Holiday,
        name_vi: "x".into(),
        source: "y".into(),
    };
    assert!(matches!(
        Calendar::new(CalendarRules::default(), vec![row]),
        Err(CalendarError::OutOfRange(_))
    ));
}

#[test]
fn the_fingerprint_changes_with_the_table() {
    let plain = Calendar::new(CalendarRules::default(), Vec::new()).expect("rules only");
    assert_ne!(plain.fingerprint(), vn().fingerprint());
    assert_eq!(
        vn().fingerprint(),
        Calendar::default_vn().expect("builds").fingerprint()
    );
}

#[test]
fn a_six_day_week_is_configurable() {
    let rules = CalendarRules {
        weekly_rest_days: vec![Weekday::Sun],
        ..CalendarRules::default()
    };
    let cal = Calendar::new(rules, Vec::new()).expect("valid");
    assert!(cal.is_working_day(ymd(2025, 4, 19)).expect("in range"));
}

proptest! {
    #[test]
    fn adding_working_days_never_lands_on_a_day_off(offset in 0i64..5_800, n in 1i64..400) {
        let d = ymd(2020, 1, 1) + chrono::Duration::days(offset);
        let r = vn().add_working_days(d, n).expect("in range");
        prop_assert!(r > d);
        prop_assert!(vn().is_working_day(r).expect("in range"));
    }

    #[test]
    fn adding_working_days_is_monotonic_in_n(offset in 0i64..5_800, n in -400i64..400) {
        let d = ymd(2020, 1, 1) + chrono::Duration::days(offset);
        let a = vn().add_working_days(d, n).expect("in range");
        let b = vn().add_working_days(d, n + 1).expect("in range");
        // Only n = 0 → 1 from a day off may repeat: both give the next working day.
        if n == 0 && !vn().is_working_day(d).expect("in range") {
            prop_assert_eq!(a, b);
        } else {
            prop_assert!(a < b);
        }
    }

    #[test]
    fn counting_undoes_adding(offset in 0i64..5_800, n in -400i64..400) {
        let d = ymd(2020, 1, 1) + chrono::Duration::days(offset);
        let r = vn().add_working_days(d, n).expect("in range");
        if n >= 1 || vn().is_working_day(d).expect("in range") {
            prop_assert_eq!(vn().working_days_between(d, r).expect("in range"), n);
        }
    }
}
