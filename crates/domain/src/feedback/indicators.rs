//! The Decision 766/QĐ-TTg feedback indicators (domain guide §8, §10): 5.2 *PAKN xử lý đúng
//! hạn* = (answered on time + pending within term) ÷ received and handled; 5.3 *Hài lòng
//! trong xử lý PAKN* = (total − dissatisfied, re-sent or overdue) ÷ first-time items.
//! The formulas are the common reading and Not confirmed; points use the 766 scoring rule.

use serde::{Deserialize, Serialize};

/// Counts over a period and a unit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndicatorCounts {
    /// Items received and handled (accepted for handling) in the period.
    pub handled: u64,
    /// Of those, answered on time.
    pub answered_on_time: u64,
    /// Of those, still open within term at the period end.
    pub pending_within_term: u64,
    /// First-time items (not re-sent / reopened).
    pub first_time: u64,
    /// Items rated dissatisfied, re-sent (reopened) or overdue — counted once each.
    pub dissatisfied_resent_or_overdue: u64,
}

/// The two indicators, as ratios in `[0, 1]` (`None` when the denominator is zero) and points.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FeedbackIndicators {
    /// 5.2 ratio.
    pub on_time_ratio: Option<f64>,
    /// 5.3 ratio.
    pub satisfaction_ratio: Option<f64>,
    /// 5.2 points (max 6).
    pub on_time_points: f64,
    /// 5.3 points (max 6).
    pub satisfaction_points: f64,
}

fn ratio(num: u64, den: u64) -> Option<f64> {
    (den > 0).then(|| (num.min(den)) as f64 / den as f64)
}

/// 766 scoring rule: full points at or above the target, proportional below it.
pub fn points(ratio: Option<f64>, max: f64, target: f64) -> f64 {
    match ratio {
        Some(r) if target > 0.0 && r < target => r * max / target,
        Some(_) => max,
        None => max,
    }
}

impl IndicatorCounts {
    /// Computes both indicators (6 points each, target 100%).
    pub fn indicators(&self) -> FeedbackIndicators {
        let on_time = ratio(
            self.answered_on_time + self.pending_within_term,
            self.handled,
        );
        let sat = ratio(
            self.first_time
                .saturating_sub(self.dissatisfied_resent_or_overdue),
            self.first_time,
        );
        FeedbackIndicators {
            on_time_ratio: on_time,
            satisfaction_ratio: sat,
            on_time_points: points(on_time, 6.0, 1.0),
            satisfaction_points: points(sat, 6.0, 1.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratios_and_points() {
        let c = IndicatorCounts {
            handled: 10,
            answered_on_time: 6,
            pending_within_term: 2,
            first_time: 8,
            dissatisfied_resent_or_overdue: 2,
        };
        let i = c.indicators();
        assert_eq!(i.on_time_ratio, Some(0.8));
        assert_eq!(i.satisfaction_ratio, Some(0.75));
        assert!((i.on_time_points - 4.8).abs() < 1e-9);
        assert!((i.satisfaction_points - 4.5).abs() < 1e-9);
        let empty = IndicatorCounts::default().indicators();
        assert_eq!(empty.on_time_ratio, None);
        assert!((empty.on_time_points - 6.0).abs() < 1e-9);
    }
}
