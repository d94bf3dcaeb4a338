//! Calendar benchmarks (plain `std::time::Instant`, no harness):
//! 1. building the lunar table and the default Vietnamese calendar;
//! 2. one million `add_working_days` calls on pseudo-random dates in 2020–2035;
//! 3. every day 1900–2100 converted solar → lunar → solar.
//!
//! Run: `cargo bench -p thutuc-domain --bench calendar`.

use std::hint::black_box;
use std::time::Instant;

use chrono::{Datelike, Days, NaiveDate};
use thutuc_domain::calendar::{Calendar, CalendarError, lunar_to_solar, solar_to_lunar, tet};

/// xorshift64*: deterministic, dependency-free.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

fn date(y: i32, m: u32, d: u32) -> Result<NaiveDate, CalendarError> {
    NaiveDate::from_ymd_opt(y, m, d).ok_or(CalendarError::OutOfRange(NaiveDate::MIN))
}

fn main() -> Result<(), CalendarError> {
    let t = Instant::now();
    black_box(tet(2025)?);
    println!(
        "lunar table (first use):            {:>10.3} ms",
        t.elapsed().as_secs_f64() * 1e3
    );

    let t = Instant::now();
    let cal = Calendar::default_vn()?;
    println!(
        "Calendar::default_vn():             {:>10.3} ms",
        t.elapsed().as_secs_f64() * 1e3
    );

    let from = date(2020, 1, 1)?;
    let span = u64::try_from((date(2035, 12, 31)? - from).num_days()).unwrap_or(1) + 1;
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let calls = 1_000_000u32;
    let t = Instant::now();
    let mut checksum = 0i64;
    for _ in 0..calls {
        let r = rng.next();
        let d = from + Days::new(r % span);
        let n = i64::try_from((r >> 32) % 60).unwrap_or(0);
        let due = cal.add_working_days(black_box(d), black_box(n))?;
        checksum = checksum.wrapping_add(i64::from(due.num_days_from_ce()));
    }
    let elapsed = t.elapsed();
    println!(
        "1M add_working_days (2020–2035):    {:>10.3} ms  ({:.1} ns/call, checksum {checksum})",
        elapsed.as_secs_f64() * 1e3,
        elapsed.as_nanos() as f64 / f64::from(calls)
    );

    let t = Instant::now();
    let mut days = 0u32;
    let mut day = date(1900, 1, 1)?;
    let last = date(2100, 12, 31)?;
    while day <= last {
        let lunar = solar_to_lunar(black_box(day))?;
        let back = lunar_to_solar(black_box(lunar))?;
        if back != day {
            return Err(CalendarError::NoSuchLunarDate(lunar));
        }
        days += 1;
        day = day + Days::new(1);
    }
    let elapsed = t.elapsed();
    println!(
        "solar→lunar→solar, 1900–2100:       {:>10.3} ms  ({days} days, {:.1} ns/day)",
        elapsed.as_secs_f64() * 1e3,
        elapsed.as_nanos() as f64 / f64::from(days)
    );
    Ok(())
}
