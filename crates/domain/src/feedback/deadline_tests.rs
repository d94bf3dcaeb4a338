//! Tests of the deadline policy over Tết, swapped working days, pauses, transfers,
//! escalation and the reopen window.

use super::*;
use chrono::TimeZone;
use proptest::prelude::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
}

fn cal() -> Calendar {
    Calendar::default_vn().expect("calendar")
}

#[test]
fn reply_over_tet_2025_skips_the_holidays() {
    let p = DeadlinePolicy::default();
    let clock = Clock {
        received: Some(d(2025, 1, 24)),
        ..Clock::default()
    };
    assert_eq!(
        p.reply_due(&cal(), &clock, d(2025, 1, 24)),
        Ok(d(2025, 2, 14))
    );
}

#[test]
fn transfer_within_five_days_counts_the_swapped_saturday() {
    let p = DeadlinePolicy::default();
    // Thu 24/04/2025: Fri 25, Sat 26 (worked), Mon 28, Tue 29, then 30/4, 1/5 and the
    // swapped Fri 02/05 are off → Mon 05/05.
    assert_eq!(p.transfer_due(&cal(), d(2025, 4, 24)), Ok(d(2025, 5, 5)));
}

#[test]
fn tet_2026_from_the_notice() {
    let p = DeadlinePolicy {
        transfer_days: 5,
        ..DeadlinePolicy::default()
    };
    // Fri 13/02/2026; Mon 16 – Fri 20 off → Mon 23 … Fri 27.
    assert_eq!(p.transfer_due(&cal(), d(2026, 2, 13)), Ok(d(2026, 2, 27)));
}

#[test]
fn a_pause_moves_the_reply_deadline() {
    let p = DeadlinePolicy::default();
    let mut clock = Clock {
        received: Some(d(2026, 3, 2)),
        ..Clock::default()
    };
    let c = cal();
    assert_eq!(p.reply_due(&c, &clock, d(2026, 3, 2)), Ok(d(2026, 3, 16)));
    clock.pauses.push((d(2026, 3, 4), Some(d(2026, 3, 6))));
    assert_eq!(p.reply_due(&c, &clock, d(2026, 3, 10)), Ok(d(2026, 3, 18)));
    // An open pause runs until today.
    clock.pauses.push((d(2026, 3, 10), None));
    assert_eq!(p.reply_due(&c, &clock, d(2026, 3, 11)), Ok(d(2026, 3, 19)));
}

#[test]
fn extension_is_capped() {
    let p = DeadlinePolicy::default();
    let clock = Clock {
        received: Some(d(2026, 3, 2)),
        extension_days: 99,
        ..Clock::default()
    };
    let c = cal();
    let capped = c.add_working_days(d(2026, 3, 2), 20).expect("date");
    assert_eq!(p.reply_due(&c, &clock, d(2026, 3, 2)), Ok(capped));
}

#[test]
fn transfer_restarts_or_continues_the_clock() {
    let c = cal();
    let clock = Clock {
        received: Some(d(2026, 3, 2)),
        last_transfer: Some(d(2026, 3, 9)),
        ..Clock::default()
    };
    let restart = DeadlinePolicy::default();
    let cont = DeadlinePolicy {
        on_transfer: ClockOnTransfer::Continue,
        ..DeadlinePolicy::default()
    };
    assert_eq!(
        restart.reply_due(&c, &clock, d(2026, 3, 9)),
        Ok(d(2026, 3, 23))
    );
    assert_eq!(
        cont.reply_due(&c, &clock, d(2026, 3, 9)),
        Ok(d(2026, 3, 16))
    );
}

#[test]
fn escalation_ladder() {
    let p = DeadlinePolicy::default();
    let c = cal();
    let due = d(2026, 3, 16);
    assert_eq!(p.escalation_level(&c, due, due), Ok(None));
    assert_eq!(
        p.escalation_level(&c, due, d(2026, 3, 17)),
        Ok(Some(EscalationLevel::AgencyLeader))
    );
    assert_eq!(
        p.escalation_level(&c, due, d(2026, 3, 23)),
        Ok(Some(EscalationLevel::WorkingGroup))
    );
}

#[test]
fn reopen_window() {
    let p = DeadlinePolicy {
        reopen_window_days: 3,
        ..DeadlinePolicy::default()
    };
    let answered = Utc
        .with_ymd_and_hms(2026, 3, 16, 9, 0, 0)
        .single()
        .expect("time");
    let inside = Utc
        .with_ymd_and_hms(2026, 3, 19, 9, 0, 0)
        .single()
        .expect("time");
    let after = Utc
        .with_ymd_and_hms(2026, 3, 19, 9, 0, 1)
        .single()
        .expect("time");
    assert!(p.reopen_allowed(answered, inside).is_ok());
    assert_eq!(
        p.reopen_allowed(answered, after),
        Err(FeedbackError::ReopenWindowClosed { days: 3 })
    );
}

#[test]
fn status_as_of_a_date() {
    let due = d(2026, 3, 16);
    use FeedbackTimeliness as T;
    assert_eq!(T::of(due, None, due), T::PendingWithinTerm);
    assert_eq!(T::of(due, None, d(2026, 3, 17)), T::Overdue);
    assert_eq!(T::of(due, Some(due), d(2026, 4, 1)), T::AnsweredOnTime);
    assert_eq!(
        T::of(due, Some(d(2026, 3, 17)), d(2026, 4, 1)),
        T::AnsweredLate
    );
}

#[test]
fn per_agency_override() {
    let mut cfg = DeadlineConfig::default();
    cfg.agencies.insert(
        "BCT".into(),
        DeadlinePolicy {
            transfer_days: 3,
            transfer_source: "Thông tư 11/2014/TT-BCT".into(),
            ..DeadlinePolicy::default()
        },
    );
    assert_eq!(cfg.for_agency("BCT").transfer_days, 3);
    assert_eq!(cfg.for_agency("BTP").transfer_days, 5);
}

proptest! {
    #[test]
    fn reply_due_is_a_working_day_and_pauses_never_shorten(
        offset in 0u64..3000, days in 1i64..30, p_start in 0u64..20, p_len in 0u64..20,
    ) {
        let c = cal();
        let start = d(2020, 1, 1) + Days::new(offset);
        let p = DeadlinePolicy { reply_days: days, ..DeadlinePolicy::default() };
        let clock = Clock { received: Some(start), ..Clock::default() };
        let due = p.reply_due(&c, &clock, start).expect("due");
        prop_assert!(c.is_working_day(due).expect("day"));
        prop_assert_eq!(c.working_days_between(start, due).expect("n"), days);
        let ps = start + Days::new(p_start);
        let paused = Clock { pauses: vec![(ps, Some(ps + Days::new(p_len)))], ..clock };
        let later = p.reply_due(&c, &paused, start).expect("due");
        prop_assert!(later >= due);
    }
}
