//! The task (nhiệm vụ được giao) and its parts: priority, expected output, lifecycle state,
//! and the validation of a new assignment.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::TaskError;

/// Mức độ ưu tiên.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    /// Thường.
    #[default]
    Normal,
    /// Quan trọng.
    High,
    /// Khẩn.
    Urgent,
}

/// Sản phẩm đầu ra dự kiến.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutputKind {
    /// Báo cáo.
    #[default]
    Report,
    /// Văn bản quy phạm pháp luật.
    LegalDocument,
    /// Quyết định công bố TTHC.
    PublishedProcedures,
    /// Kế hoạch.
    Plan,
    /// Khác.
    Other,
}

/// Trạng thái xử lý (the lifecycle, not the on-time status).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskState {
    /// Đang thực hiện.
    #[default]
    Open,
    /// Đã báo cáo hoàn thành, chờ đánh giá.
    Submitted,
    /// Đã được công nhận hoàn thành.
    Accepted,
    /// Đã hủy / thu hồi.
    Cancelled,
}

impl TaskState {
    /// Stable identifier (also the database value).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Submitted => "submitted",
            Self::Accepted => "accepted",
            Self::Cancelled => "cancelled",
        }
    }
    /// Parses the identifier.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "open" => Self::Open,
            "submitted" => Self::Submitted,
            "accepted" => Self::Accepted,
            "cancelled" => Self::Cancelled,
            _ => return None,
        })
    }
    /// Vietnamese label.
    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Open => "đang thực hiện",
            Self::Submitted => "chờ đánh giá",
            Self::Accepted => "đã hoàn thành",
            Self::Cancelled => "đã hủy",
        }
    }
    /// English label.
    pub fn label_en(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Submitted => "awaiting acceptance",
            Self::Accepted => "accepted",
            Self::Cancelled => "cancelled",
        }
    }
}

/// Nhiệm vụ được giao.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Task {
    /// Tên nhiệm vụ.
    pub title: String,
    /// Nội dung.
    #[serde(default)]
    pub description: String,
    /// Store id of the source directive, if any.
    pub directive_id: Option<i64>,
    /// Article/clause of the directive the task comes from (e.g. "khoản 2 mục III").
    #[serde(default)]
    pub clause: String,
    /// Cơ quan giao.
    #[serde(default)]
    pub assigner_org: String,
    /// Cơ quan chủ trì.
    pub lead_org: String,
    /// Cơ quan phối hợp.
    #[serde(default)]
    pub coordinating_orgs: Vec<String>,
    /// Ngày giao.
    pub assigned_on: NaiveDate,
    /// Thời hạn hoàn thành (the current one; changes are kept as [`super::DeadlineChange`]).
    pub deadline: NaiveDate,
    /// Key of the recurring series and period this task instantiates (`series:2025-03`).
    pub instance_key: Option<String>,
    /// Expected output.
    #[serde(default)]
    pub output_kind: OutputKind,
    /// Priority.
    #[serde(default)]
    pub priority: Priority,
    /// Store id of the parent task when this is a sub-task delegated to a unit.
    pub parent_id: Option<i64>,
    /// Tiến độ, 0–100.
    #[serde(default)]
    pub progress: u8,
    /// Lifecycle state.
    #[serde(default)]
    pub state: TaskState,
    /// Date the pending or accepted completion was reported.
    pub submitted_on: Option<NaiveDate>,
    /// Evidence of completion (e.g. the number of the document issued).
    pub evidence: Option<String>,
    /// Ngày hoàn thành: the report date of the accepted completion (see the module docs).
    pub completed_on: Option<NaiveDate>,
}

impl Task {
    /// A new open task with defaults; call [`Task::validate`] before storing.
    pub fn new(
        title: impl Into<String>,
        assigner_org: impl Into<String>,
        lead_org: impl Into<String>,
        assigned_on: NaiveDate,
        deadline: NaiveDate,
    ) -> Self {
        Self {
            title: title.into(),
            description: String::new(),
            directive_id: None,
            clause: String::new(),
            assigner_org: assigner_org.into(),
            lead_org: lead_org.into(),
            coordinating_orgs: Vec::new(),
            assigned_on,
            deadline,
            instance_key: None,
            output_kind: OutputKind::Report,
            priority: Priority::Normal,
            parent_id: None,
            progress: 0,
            state: TaskState::Open,
            submitted_on: None,
            evidence: None,
            completed_on: None,
        }
    }

    /// Checks a new or edited assignment: title, organisations, deadline not before the
    /// assignment date, progress range, the lead not also listed as coordinating.
    pub fn validate(&self) -> Result<(), TaskError> {
        if self.title.trim().is_empty() {
            return Err(TaskError::invalid(
                "title",
                "tên nhiệm vụ trống / title is empty",
            ));
        }
        if self.assigner_org.trim().is_empty() {
            return Err(TaskError::invalid(
                "assigner_org",
                "chưa có cơ quan giao / assigner is missing",
            ));
        }
        if self.lead_org.trim().is_empty() {
            return Err(TaskError::invalid(
                "lead_org",
                "chưa chọn cơ quan chủ trì / lead organisation is missing",
            ));
        }
        if self.deadline < self.assigned_on {
            return Err(TaskError::DeadlineBeforeAssignment {
                assigned_on: self.assigned_on,
                deadline: self.deadline,
            });
        }
        if self.progress > 100 {
            return Err(TaskError::invalid(
                "progress",
                format!(
                    "tiến độ {}% vượt 100% / progress {}% exceeds 100%",
                    self.progress, self.progress
                ),
            ));
        }
        if self.coordinating_orgs.iter().any(|o| o == &self.lead_org) {
            return Err(TaskError::invalid(
                "coordinating_orgs",
                format!(
                    "{} vừa chủ trì vừa phối hợp / {} is both lead and coordinating",
                    self.lead_org, self.lead_org
                ),
            ));
        }
        Ok(())
    }
}

/// The progress of a task's sub-tasks rolled up into the task: each sub-task that is not
/// cancelled has an equal share (sub-tasks carry no size or weight that the assigner would have
/// to keep up to date, and an equal share is what the Working Group's reports count); one
/// reported done (submitted) or accepted counts 100 %, the others their last reported percent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgressRollup {
    /// Rounded mean over the counted sub-tasks, 0–100.
    pub percent: u8,
    /// Sub-tasks counted (not cancelled).
    pub counted: usize,
    /// Of which done (submitted or accepted).
    pub done: usize,
}

impl Task {
    /// The progress this task counts in a roll-up: 100 once done, else the reported percent.
    pub fn effective_progress(&self) -> u8 {
        match self.state {
            TaskState::Submitted | TaskState::Accepted => 100,
            _ => self.progress.min(100),
        }
    }
}

/// Rolls up `subs` (the direct sub-tasks); `None` when none is counted (all cancelled or none).
pub fn rollup_progress<'a>(subs: impl IntoIterator<Item = &'a Task>) -> Option<ProgressRollup> {
    let (mut sum, mut counted, mut done) = (0u64, 0usize, 0usize);
    for t in subs {
        if t.state == TaskState::Cancelled {
            continue;
        }
        counted += 1;
        sum += u64::from(t.effective_progress());
        if matches!(t.state, TaskState::Submitted | TaskState::Accepted) {
            done += 1;
        }
    }
    let n = u64::try_from(counted).ok().filter(|n| *n > 0)?;
    // Round half up in integers; a roll-up reaches 100 only when every sub-task is done.
    let mut percent = u8::try_from((sum * 2 + n) / (2 * n)).unwrap_or(100);
    if percent == 100 && done < counted {
        percent = 99;
    }
    Some(ProgressRollup {
        percent,
        counted,
        done,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sub_task_progress_rolls_up_in_equal_shares_and_done_counts_fully() {
        let base = Task::new("Con", "BTP", "BTP-V1", ymd(2025, 3, 10), ymd(2025, 4, 10));
        let with = |state, progress| Task {
            state,
            progress,
            ..base.clone()
        };
        assert_eq!(rollup_progress(&[]), None);
        assert_eq!(rollup_progress(&[with(TaskState::Cancelled, 50)]), None);
        let subs = [
            with(TaskState::Open, 40),
            with(TaskState::Submitted, 80),
            with(TaskState::Accepted, 100),
            with(TaskState::Cancelled, 0),
        ];
        assert_eq!(
            rollup_progress(&subs),
            Some(ProgressRollup {
                percent: 80,
                counted: 3,
                done: 2
            })
        );
        let almost = [with(TaskState::Open, 99), with(TaskState::Accepted, 100)];
        assert_eq!(rollup_progress(&almost).map(|r| r.percent), Some(99));
        let all = [with(TaskState::Submitted, 10), with(TaskState::Accepted, 0)];
        assert_eq!(rollup_progress(&all).map(|r| r.percent), Some(100));
        let third = [
            with(TaskState::Open, 0),
            with(TaskState::Open, 0),
            with(TaskState::Open, 1),
        ];
        assert_eq!(rollup_progress(&third).map(|r| r.percent), Some(0));
    }

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    #[test]
    fn a_deadline_before_the_assignment_date_is_refused_with_both_dates() {
        let t = Task::new("Báo cáo", "VPCP", "BTP", ymd(2025, 3, 10), ymd(2025, 3, 9));
        let e = t.validate().expect_err("refused");
        assert_eq!(e.field(), "deadline");
        let msg = e.to_string();
        assert!(
            msg.contains("2025-03-09") && msg.contains("2025-03-10"),
            "{msg}"
        );
    }

    #[test]
    fn a_deadline_on_the_assignment_day_is_accepted() {
        let t = Task::new("Báo cáo", "VPCP", "BTP", ymd(2025, 3, 10), ymd(2025, 3, 10));
        assert!(t.validate().is_ok());
    }

    #[test]
    fn the_lead_cannot_also_coordinate() {
        let mut t = Task::new("Báo cáo", "VPCP", "BTP", ymd(2025, 3, 10), ymd(2025, 4, 10));
        t.coordinating_orgs = vec!["BYT".into(), "BTP".into()];
        assert_eq!(
            t.validate().map_err(|e| e.field()),
            Err("coordinating_orgs")
        );
        t.title = "  ".into();
        assert_eq!(t.validate().map_err(|e| e.field()), Err("title"));
    }
}
