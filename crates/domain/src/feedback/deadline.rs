//! Deadline policy as configuration with its legal source, deadline computation on the
//! working-day [`Calendar`], status as of a date, the escalation ladder and the reopen window.
//!
//! The 05-working-day transfer of items outside the receiver's competence is law (Decree
//! 20/2008 Art 9); reply deadlines vary by ministry (e.g. Circular 11/2014/TT-BCT,
//! Circular 17/2014/TT-BVHTTDL), so they are configured per agency with a default.

use std::collections::BTreeMap;

use chrono::{DateTime, Days, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::error::FeedbackError;
use crate::calendar::{Calendar, Timeliness, classify};

/// What a transfer does to the reply clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockOnTransfer {
    /// The receiving agency gets a full term from the day it receives the transfer.
    Restart,
    /// The clock keeps running from the original receipt.
    Continue,
}

/// A rung of the escalation ladder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EscalationLevel {
    /// Lãnh đạo cơ quan: the agency's leader.
    AgencyLeader,
    /// Tổ công tác của Thủ tướng: the Working Group.
    WorkingGroup,
}

impl EscalationLevel {
    /// Stable identifier.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AgencyLeader => "agency_leader",
            Self::WorkingGroup => "working_group",
        }
    }
    /// Parses the identifier.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "agency_leader" => Some(Self::AgencyLeader),
            "working_group" => Some(Self::WorkingGroup),
            _ => None,
        }
    }
}

/// Escalate to `level` once an item is `after_overdue_days` working days overdue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct EscalationStep {
    /// Working days past the due date.
    pub after_overdue_days: i64,
    /// Who gets it.
    pub level: EscalationLevel,
}

/// Deadline policy of one agency, each figure with its legal source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadlinePolicy {
    /// Working days to transfer an item outside the receiver's competence.
    pub transfer_days: i64,
    /// Source of `transfer_days`.
    pub transfer_source: String,
    /// Working days to reply.
    pub reply_days: i64,
    /// Source of `reply_days` (or "cấu hình" when not fixed by law).
    pub reply_source: String,
    /// Working days an extension may add at most.
    pub max_extension_days: i64,
    /// What a transfer does to the reply clock.
    pub on_transfer: ClockOnTransfer,
    /// Calendar days after the answer during which the sender may reopen.
    pub reopen_window_days: u32,
    /// Escalation ladder, by increasing `after_overdue_days`.
    pub escalation: Vec<EscalationStep>,
}

impl Default for DeadlinePolicy {
    fn default() -> Self {
        Self {
            transfer_days: 5,
            transfer_source: "Nghị định 20/2008/NĐ-CP, Điều 9".into(),
            reply_days: 10,
            reply_source: "Cấu hình mặc định (chưa có quy định chung)".into(),
            max_extension_days: 10,
            on_transfer: ClockOnTransfer::Restart,
            reopen_window_days: 30,
            escalation: vec![
                EscalationStep {
                    after_overdue_days: 1,
                    level: EscalationLevel::AgencyLeader,
                },
                EscalationStep {
                    after_overdue_days: 5,
                    level: EscalationLevel::WorkingGroup,
                },
            ],
        }
    }
}

/// The policy book: a default and per-agency overrides.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadlineConfig {
    /// Applies to agencies without an override.
    pub default: DeadlinePolicy,
    /// Overrides by agency id.
    pub agencies: BTreeMap<String, DeadlinePolicy>,
}

impl DeadlineConfig {
    /// The policy for `agency`.
    pub fn for_agency(&self, agency: &str) -> &DeadlinePolicy {
        self.agencies.get(agency).unwrap_or(&self.default)
    }
}

/// The clock facts of one item needed to compute its reply deadline.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Clock {
    /// Date of receipt by the first agency.
    pub received: Option<NaiveDate>,
    /// Date the current agency received the transfer, if transferred.
    pub last_transfer: Option<NaiveDate>,
    /// Pauses (waiting for the sender), `(start, end)`; an open pause ends at `as_of`.
    pub pauses: Vec<(NaiveDate, Option<NaiveDate>)>,
    /// Working days of extension granted.
    pub extension_days: i64,
}

impl DeadlinePolicy {
    /// The transfer deadline: `transfer_days` working days after receipt.
    pub fn transfer_due(
        &self,
        cal: &Calendar,
        received: NaiveDate,
    ) -> Result<NaiveDate, FeedbackError> {
        Ok(cal.add_working_days(received, self.transfer_days)?)
    }

    /// The reply deadline as of `as_of`: term from receipt (or the last transfer when the
    /// clock restarts), moved by pauses, plus the extension (capped at `max_extension_days`).
    pub fn reply_due(
        &self,
        cal: &Calendar,
        clock: &Clock,
        as_of: NaiveDate,
    ) -> Result<NaiveDate, FeedbackError> {
        let start = match (self.on_transfer, clock.last_transfer) {
            (ClockOnTransfer::Restart, Some(t)) => t,
            _ => clock.received.unwrap_or(as_of),
        };
        let ext = clock
            .extension_days
            .clamp(0, self.max_extension_days.max(0));
        let base = cal.add_working_days(start, self.reply_days + ext)?;
        let pauses: Vec<(NaiveDate, NaiveDate)> = clock
            .pauses
            .iter()
            .filter(|(s, _)| *s >= start)
            .map(|(s, e)| (*s, e.unwrap_or(as_of).max(*s)))
            .collect();
        Ok(cal.due_with_pauses(base, &pauses)?)
    }

    /// The escalation level reached when `due` has passed by `as_of` (open items only).
    pub fn escalation_level(
        &self,
        cal: &Calendar,
        due: NaiveDate,
        as_of: NaiveDate,
    ) -> Result<Option<EscalationLevel>, FeedbackError> {
        if as_of <= due {
            return Ok(None);
        }
        let overdue = cal.working_days_between(due, as_of)?;
        Ok(self
            .escalation
            .iter()
            .filter(|s| overdue >= s.after_overdue_days)
            .map(|s| s.level)
            .max())
    }

    /// Whether the sender may still reopen an item answered at `answered_at`.
    pub fn reopen_allowed(
        &self,
        answered_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<(), FeedbackError> {
        let end = answered_at
            .checked_add_days(Days::new(u64::from(self.reopen_window_days)))
            .unwrap_or(answered_at);
        if now <= end {
            Ok(())
        } else {
            Err(FeedbackError::ReopenWindowClosed {
                days: self.reopen_window_days,
            })
        }
    }
}

/// Deadline status of an item as of a date (tình trạng hạn xử lý).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeedbackTimeliness {
    /// Đang xử lý trong hạn.
    PendingWithinTerm,
    /// Đang xử lý quá hạn.
    Overdue,
    /// Đã trả lời đúng hạn (on or before the due date).
    AnsweredOnTime,
    /// Đã trả lời trễ hạn.
    AnsweredLate,
}

impl FeedbackTimeliness {
    /// Classifies by date (time of day never matters): an open item is overdue from the
    /// day after its due date.
    pub fn of(due: NaiveDate, answered: Option<NaiveDate>, as_of: NaiveDate) -> Self {
        match classify(due, answered, as_of) {
            Timeliness::Early | Timeliness::OnTime => Self::AnsweredOnTime,
            Timeliness::Late => Self::AnsweredLate,
            Timeliness::WithinTerm => Self::PendingWithinTerm,
            Timeliness::Overdue => Self::Overdue,
        }
    }
    /// Stable identifier.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::PendingWithinTerm => "pending_within_term",
            Self::Overdue => "overdue",
            Self::AnsweredOnTime => "answered_on_time",
            Self::AnsweredLate => "answered_late",
        }
    }
    /// Vietnamese label.
    pub fn label_vi(self) -> &'static str {
        match self {
            Self::PendingWithinTerm => "Đang xử lý trong hạn",
            Self::Overdue => "Quá hạn",
            Self::AnsweredOnTime => "Trả lời đúng hạn",
            Self::AnsweredLate => "Trả lời trễ hạn",
        }
    }
}

#[cfg(test)]
#[path = "deadline_tests.rs"]
mod tests;
