//! Per-organisation tallies, rankings with a minimum volume, and the periodic report in the
//! shape of Report 1270/BC-TCTTTg (domain.md §9).
//!
//! Population of a period `[from, to]` seen on `as_of` (the evaluation date is
//! `min(to, as_of)`): every non-cancelled task assigned by then and not completed before
//! `from`. Each is either completed within the period (on time / late) or still open at the
//! evaluation date (within term / overdue). `assigned` counts tasks assigned in the period,
//! `due` those whose deadline falls in it. Rates use the report's denominator, completed +
//! overdue, so tasks still within term never count against anyone; the average delay is over
//! the late and overdue tasks only, in working days.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::TaskError;
use crate::calendar::Calendar;

/// The facts a tally needs about one task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskFact {
    /// Lead organisation.
    pub lead_org: String,
    /// Ngày giao.
    pub assigned_on: NaiveDate,
    /// Current deadline.
    pub deadline: NaiveDate,
    /// Completion date (report date of the accepted completion).
    pub completed_on: Option<NaiveDate>,
    /// Cancelled tasks are ignored.
    pub cancelled: bool,
}

/// Counts for one organisation (or, summed, for everybody).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgTally {
    /// Organisation id (empty for a total).
    pub org: String,
    /// Tasks assigned in the period.
    pub assigned: u64,
    /// Tasks whose deadline falls in the period.
    pub due: u64,
    /// Hoàn thành đúng hạn.
    pub done_on_time: u64,
    /// Hoàn thành quá hạn.
    pub done_late: u64,
    /// Chưa hoàn thành, trong hạn.
    pub open_within_term: u64,
    /// Chưa hoàn thành, quá hạn.
    pub open_overdue: u64,
    /// Sum of working days late over late and overdue tasks.
    pub delay_days: i64,
}

impl OrgTally {
    /// Completed in the period.
    pub fn completed(&self) -> u64 {
        self.done_on_time + self.done_late
    }
    /// Open at the evaluation date.
    pub fn open(&self) -> u64 {
        self.open_within_term + self.open_overdue
    }
    /// Tasks in the population.
    pub fn total(&self) -> u64 {
        self.completed() + self.open()
    }
    /// The ranking volume: completed + overdue (tasks whose outcome is decided).
    pub fn volume(&self) -> u64 {
        self.completed() + self.open_overdue
    }
    /// Tỷ lệ đúng hạn: on time ÷ (completed + overdue), `None` without volume.
    pub fn on_time_rate(&self) -> Option<f64> {
        ratio(self.done_on_time, self.volume())
    }
    /// Tỷ lệ hoàn thành as in the report: completed ÷ (completed + overdue).
    pub fn completion_rate(&self) -> Option<f64> {
        ratio(self.completed(), self.volume())
    }
    /// Average working days late over the late and overdue tasks.
    pub fn average_delay(&self) -> Option<f64> {
        let n = self.done_late + self.open_overdue;
        (n > 0).then(|| self.delay_days as f64 / n as f64)
    }
    fn add(&mut self, o: &OrgTally) {
        self.assigned += o.assigned;
        self.due += o.due;
        self.done_on_time += o.done_on_time;
        self.done_late += o.done_late;
        self.open_within_term += o.open_within_term;
        self.open_overdue += o.open_overdue;
        self.delay_days += o.delay_days;
    }
}

fn ratio(a: u64, b: u64) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

/// Tallies facts per lead organisation for `[from, to]` seen on `as_of`; sorted by org id.
pub fn tally(
    facts: &[TaskFact],
    cal: &Calendar,
    from: NaiveDate,
    to: NaiveDate,
    as_of: NaiveDate,
) -> Result<Vec<OrgTally>, TaskError> {
    let eval = to.min(as_of);
    let mut by_org: BTreeMap<&str, OrgTally> = BTreeMap::new();
    for f in facts
        .iter()
        .filter(|f| !f.cancelled && f.assigned_on <= eval)
    {
        let done = f.completed_on.filter(|d| *d <= eval);
        if done.is_some_and(|d| d < from) {
            continue;
        }
        let t = by_org
            .entry(f.lead_org.as_str())
            .or_insert_with(|| OrgTally {
                org: f.lead_org.clone(),
                ..OrgTally::default()
            });
        t.assigned += u64::from(f.assigned_on >= from && f.assigned_on <= to);
        t.due += u64::from(f.deadline >= from && f.deadline <= to);
        match done {
            Some(d) if d <= f.deadline => t.done_on_time += 1,
            Some(d) => {
                t.done_late += 1;
                t.delay_days += cal.working_days_between(f.deadline, d)?.max(0);
            }
            None if eval <= f.deadline => t.open_within_term += 1,
            None => {
                t.open_overdue += 1;
                t.delay_days += cal.working_days_between(f.deadline, eval)?.max(0);
            }
        }
    }
    Ok(by_org.into_values().collect())
}

/// One ranked organisation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RankedOrg {
    /// Competition rank (1, 2, 2, 4…).
    pub rank: usize,
    /// Its counts.
    pub tally: OrgTally,
}

/// Xếp hạng: ranked organisations and those below the minimum volume (listed, not ranked).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ranking {
    /// Minimum volume applied.
    pub min_volume: u64,
    /// Ranked, best first.
    pub ranked: Vec<RankedOrg>,
    /// Below the minimum volume, by org id.
    pub below_minimum: Vec<OrgTally>,
}

/// Ranks by on-time rate (desc), then average delay (asc), then volume (desc), then org id.
/// Organisations with `volume() < min_volume` are listed separately so that tiny denominators
/// never top the table.
pub fn rank(tallies: Vec<OrgTally>, min_volume: u64) -> Ranking {
    let (mut eligible, below_minimum): (Vec<OrgTally>, Vec<OrgTally>) = tallies
        .into_iter()
        .partition(|t| t.volume() >= min_volume.max(1));
    let key = |t: &OrgTally| {
        (
            t.on_time_rate().unwrap_or(0.0),
            t.average_delay().unwrap_or(0.0),
        )
    };
    eligible.sort_by(|a, b| {
        let (ra, da) = key(a);
        let (rb, db) = key(b);
        rb.total_cmp(&ra)
            .then(da.total_cmp(&db))
            .then(b.volume().cmp(&a.volume()))
            .then(a.org.cmp(&b.org))
    });
    let mut ranked: Vec<RankedOrg> = Vec::with_capacity(eligible.len());
    for (i, t) in eligible.into_iter().enumerate() {
        let rank = match ranked.last() {
            Some(prev) if key(&prev.tally) == key(&t) => prev.rank,
            _ => i + 1,
        };
        ranked.push(RankedOrg { rank, tally: t });
    }
    Ranking {
        min_volume,
        ranked,
        below_minimum,
    }
}

/// Báo cáo tình hình thực hiện nhiệm vụ: the totals of a period.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PeriodicReport {
    /// Totals over every organisation.
    pub totals: OrgTally,
    /// completed ÷ (completed + overdue), in percent rounded to 2 decimals.
    pub completion_rate_percent: Option<f64>,
}

/// Sums tallies into the report shape.
pub fn report(tallies: &[OrgTally]) -> PeriodicReport {
    let mut totals = OrgTally::default();
    for t in tallies {
        totals.add(t);
    }
    let completion_rate_percent = totals
        .completion_rate()
        .map(|r| (r * 10_000.0).round() / 100.0);
    PeriodicReport {
        totals,
        completion_rate_percent,
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    fn t(org: &str, on_time: u64, late: u64, within: u64, overdue: u64) -> OrgTally {
        OrgTally {
            org: org.into(),
            done_on_time: on_time,
            done_late: late,
            open_within_term: within,
            open_overdue: overdue,
            delay_days: (late + overdue) as i64 * 3,
            ..OrgTally::default()
        }
    }

    #[test]
    fn the_2017_report_gives_98_62_percent() {
        let r = report(&[t("A", 14_068, 1_983, 5_640, 223)]);
        assert_eq!(r.totals.total(), 21_914);
        assert_eq!(r.totals.completed(), 16_051);
        assert_eq!(r.completion_rate_percent, Some(98.63));
        // The report printed 98.62%: truncated, not rounded. Both within 0.01.
        let exact: f64 = 16_051.0 / 16_274.0 * 100.0;
        assert!((exact - 98.62).abs() < 0.01, "{exact}");
    }

    #[test]
    fn a_tiny_denominator_does_not_top_the_ranking() {
        let r = rank(
            vec![
                t("TINY", 1, 0, 0, 0),
                t("BIG", 90, 5, 3, 5),
                t("MID", 40, 10, 0, 0),
            ],
            10,
        );
        let orgs: Vec<&str> = r.ranked.iter().map(|x| x.tally.org.as_str()).collect();
        assert_eq!(orgs, ["BIG", "MID"]);
        assert_eq!(r.below_minimum[0].org, "TINY");
    }

    #[test]
    fn equal_rates_and_delays_share_a_rank() {
        let r = rank(
            vec![t("A", 9, 1, 0, 0), t("B", 9, 1, 0, 0), t("C", 1, 9, 0, 0)],
            1,
        );
        let ranks: Vec<usize> = r.ranked.iter().map(|x| x.rank).collect();
        assert_eq!(ranks, [1, 1, 3]);
    }

    #[test]
    fn tally_splits_the_population_of_a_quarter() {
        let cal = Calendar::default_vn().expect("calendar");
        let f = |assigned, deadline, done| TaskFact {
            lead_org: "BTP".into(),
            assigned_on: assigned,
            deadline,
            completed_on: done,
            cancelled: false,
        };
        let facts = vec![
            f(ymd(2025, 1, 2), ymd(2025, 1, 24), Some(ymd(2025, 1, 24))), // on time
            f(ymd(2025, 1, 2), ymd(2025, 1, 24), Some(ymd(2025, 2, 4))),  // late by 2 (Tết)
            f(ymd(2025, 3, 1), ymd(2025, 4, 30), None),                   // within term
            f(ymd(2025, 1, 2), ymd(2025, 3, 28), None),                   // overdue 1 (31/03)
            f(ymd(2024, 10, 1), ymd(2024, 11, 1), Some(ymd(2024, 12, 1))), // done before the quarter
            f(ymd(2025, 4, 2), ymd(2025, 4, 30), None),                    // after the quarter
        ];
        let tallies = tally(
            &facts,
            &cal,
            ymd(2025, 1, 1),
            ymd(2025, 3, 31),
            ymd(2025, 6, 1),
        )
        .expect("range");
        assert_eq!(tallies.len(), 1);
        let b = &tallies[0];
        assert_eq!(
            (
                b.done_on_time,
                b.done_late,
                b.open_within_term,
                b.open_overdue
            ),
            (1, 1, 1, 1)
        );
        assert_eq!((b.assigned, b.due), (4, 3));
        assert_eq!(b.delay_days, 3);
        assert_eq!(b.on_time_rate(), Some(1.0 / 3.0));
    }

    proptest! {
        #[test]
        fn ranked_orgs_meet_the_minimum_and_are_sorted(
            counts in proptest::collection::vec((0u64..30, 0u64..30, 0u64..30, 0u64..30), 0..20),
            min in 0u64..40
        ) {
            let tallies: Vec<OrgTally> = counts.iter().enumerate()
                .map(|(i, (a, b, c, d))| t(&format!("O{i:02}"), *a, *b, *c, *d)).collect();
            let n = tallies.len();
            let r = rank(tallies, min);
            prop_assert_eq!(r.ranked.len() + r.below_minimum.len(), n);
            for x in &r.ranked {
                prop_assert!(x.tally.volume() >= min.max(1));
            }
            for w in r.ranked.windows(2) {
                prop_assert!(w[0].tally.on_time_rate() >= w[1].tally.on_time_rate());
                prop_assert!(w[0].rank <= w[1].rank);
            }
            for x in &r.below_minimum {
                prop_assert!(x.volume() < min.max(1));
            }
        }
    }
}
