//! The lifecycle state machine: open → submitted (completion with evidence) → accepted, or
//! returned → open; open or submitted → cancelled. Progress updates while open. Extension
//! requests (gia hạn) and every deadline change with old/new/by/why.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Task, TaskError, TaskState};

/// One change of a task's deadline, kept forever.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadlineChange {
    /// Hạn cũ.
    pub old_deadline: NaiveDate,
    /// Hạn mới.
    pub new_deadline: NaiveDate,
    /// Who changed it (user e-mail or name).
    pub by: String,
    /// Lý do.
    pub reason: String,
    /// When.
    pub on: NaiveDate,
}

/// Kết quả xử lý đề nghị gia hạn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExtensionDecision {
    /// Chờ xử lý.
    Pending,
    /// Đồng ý.
    Approved,
    /// Không đồng ý.
    Refused,
}

impl ExtensionDecision {
    /// Stable identifier.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::Refused => "refused",
        }
    }
    /// Parses the identifier.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "pending" => Self::Pending,
            "approved" => Self::Approved,
            "refused" => Self::Refused,
            _ => return None,
        })
    }
}

/// Đề nghị gia hạn from the lead organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtensionRequest {
    /// Requested new deadline.
    pub requested_deadline: NaiveDate,
    /// Lý do.
    pub reason: String,
    /// Date of the request.
    pub requested_on: NaiveDate,
    /// Decision.
    pub decision: ExtensionDecision,
}

fn wrong(task: &Task, action: &'static str, action_en: &'static str) -> TaskError {
    TaskError::WrongState {
        action,
        action_en,
        state: task.state.label_vi(),
        state_en: task.state.label_en(),
    }
}

impl Task {
    /// Cập nhật tiến độ: only while open; 0–100.
    pub fn report_progress(&mut self, percent: u8) -> Result<(), TaskError> {
        if self.state != TaskState::Open {
            return Err(wrong(self, "cập nhật tiến độ", "report progress on"));
        }
        if percent > 100 {
            return Err(TaskError::invalid(
                "progress",
                format!("tiến độ {percent}% vượt 100% / progress {percent}% exceeds 100%"),
            ));
        }
        self.progress = percent;
        Ok(())
    }

    /// Báo cáo hoàn thành with evidence, reported on `on` (not before the assignment date).
    pub fn submit(&mut self, on: NaiveDate, evidence: &str) -> Result<(), TaskError> {
        if self.state != TaskState::Open {
            return Err(wrong(self, "báo cáo hoàn thành", "report completion of"));
        }
        if evidence.trim().is_empty() {
            return Err(TaskError::invalid(
                "evidence",
                "cần nêu kết quả, ví dụ số văn bản đã ban hành / evidence is required, e.g. the number of the document issued",
            ));
        }
        if on < self.assigned_on {
            return Err(TaskError::invalid(
                "submitted_on",
                format!(
                    "ngày báo cáo {on} trước ngày giao {} / report date {on} is before the assignment date",
                    self.assigned_on
                ),
            ));
        }
        self.state = TaskState::Submitted;
        self.submitted_on = Some(on);
        self.evidence = Some(evidence.trim().to_string());
        Ok(())
    }

    /// Công nhận hoàn thành: the completion date becomes the report date of the submission.
    pub fn accept(&mut self) -> Result<(), TaskError> {
        if self.state != TaskState::Submitted {
            return Err(wrong(self, "công nhận hoàn thành", "accept"));
        }
        self.state = TaskState::Accepted;
        self.completed_on = self.submitted_on;
        self.progress = 100;
        Ok(())
    }

    /// Trả lại: the submission is forgotten and the task is open again.
    pub fn return_submission(&mut self, reason: &str) -> Result<(), TaskError> {
        if self.state != TaskState::Submitted {
            return Err(wrong(self, "trả lại", "return"));
        }
        if reason.trim().is_empty() {
            return Err(TaskError::invalid(
                "reason",
                "cần nêu lý do trả lại / a reason is required",
            ));
        }
        self.state = TaskState::Open;
        self.submitted_on = None;
        self.evidence = None;
        Ok(())
    }

    /// Hủy nhiệm vụ (open or submitted only).
    pub fn cancel(&mut self) -> Result<(), TaskError> {
        if !matches!(self.state, TaskState::Open | TaskState::Submitted) {
            return Err(wrong(self, "hủy", "cancel"));
        }
        self.state = TaskState::Cancelled;
        Ok(())
    }

    /// Validates an extension request against the task (open, later than the current deadline).
    pub fn check_extension(&self, req: &ExtensionRequest) -> Result<(), TaskError> {
        if self.state != TaskState::Open {
            return Err(wrong(self, "đề nghị gia hạn", "request an extension of"));
        }
        if req.requested_deadline <= self.deadline {
            return Err(TaskError::invalid(
                "requested_deadline",
                format!(
                    "hạn đề nghị {} phải sau hạn hiện tại {} / the requested deadline must be after the current one",
                    req.requested_deadline, self.deadline
                ),
            ));
        }
        if req.reason.trim().is_empty() {
            return Err(TaskError::invalid(
                "reason",
                "cần nêu lý do gia hạn / a reason is required",
            ));
        }
        Ok(())
    }

    /// Changes the deadline (approved extension or the assigner's correction) and returns the
    /// history row to keep. The new deadline may not precede the assignment date.
    pub fn change_deadline(
        &mut self,
        new_deadline: NaiveDate,
        by: &str,
        reason: &str,
        on: NaiveDate,
    ) -> Result<DeadlineChange, TaskError> {
        if !matches!(self.state, TaskState::Open | TaskState::Submitted) {
            return Err(wrong(self, "đổi hạn", "change the deadline of"));
        }
        if new_deadline < self.assigned_on {
            return Err(TaskError::DeadlineBeforeAssignment {
                assigned_on: self.assigned_on,
                deadline: new_deadline,
            });
        }
        if reason.trim().is_empty() {
            return Err(TaskError::invalid(
                "reason",
                "cần nêu lý do đổi hạn / a reason is required",
            ));
        }
        let change = DeadlineChange {
            old_deadline: self.deadline,
            new_deadline,
            by: by.to_string(),
            reason: reason.trim().to_string(),
            on,
        };
        self.deadline = new_deadline;
        Ok(change)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    fn task() -> Task {
        Task::new(
            "Rà soát TTHC",
            "VPCP",
            "BTP",
            ymd(2025, 3, 3),
            ymd(2025, 3, 31),
        )
    }

    #[test]
    fn an_accepted_completion_is_dated_by_its_report_not_its_acceptance() {
        let mut t = task();
        t.report_progress(60).expect("progress");
        t.submit(ymd(2025, 3, 31), "Quyết định 123/QĐ-BTP")
            .expect("submit");
        t.accept().expect("accept");
        assert_eq!(t.state, TaskState::Accepted);
        assert_eq!(t.completed_on, Some(ymd(2025, 3, 31)));
        assert_eq!(t.progress, 100);
    }

    #[test]
    fn a_returned_submission_reopens_the_task_and_is_forgotten() {
        let mut t = task();
        t.submit(ymd(2025, 3, 20), "Báo cáo 1").expect("submit");
        t.return_submission("Thiếu số liệu").expect("return");
        assert_eq!(t.state, TaskState::Open);
        assert_eq!(t.submitted_on, None);
        t.submit(ymd(2025, 4, 2), "Báo cáo 2")
            .expect("submit again");
        t.accept().expect("accept");
        assert_eq!(t.completed_on, Some(ymd(2025, 4, 2)));
    }

    #[test]
    fn steps_out_of_order_are_refused_with_the_state() {
        let mut t = task();
        let e = t.accept().expect_err("not submitted");
        assert!(e.to_string().contains("đang thực hiện"), "{e}");
        assert!(t.submit(ymd(2025, 3, 5), "  ").is_err());
        t.cancel().expect("cancel");
        assert!(t.report_progress(10).is_err());
        assert!(t.cancel().is_err());
    }

    #[test]
    fn a_deadline_change_keeps_old_and_new_and_refuses_dates_before_assignment() {
        let mut t = task();
        let req = ExtensionRequest {
            requested_deadline: ymd(2025, 3, 30),
            reason: "Chờ ý kiến".into(),
            requested_on: ymd(2025, 3, 20),
            decision: ExtensionDecision::Pending,
        };
        assert!(t.check_extension(&req).is_err(), "earlier than current");
        let c = t
            .change_deadline(
                ymd(2025, 4, 30),
                "vpcp@gov.vn",
                "Đồng ý gia hạn",
                ymd(2025, 3, 25),
            )
            .expect("change");
        assert_eq!(
            (c.old_deadline, c.new_deadline),
            (ymd(2025, 3, 31), ymd(2025, 4, 30))
        );
        assert_eq!(t.deadline, ymd(2025, 4, 30));
        assert!(
            t.change_deadline(ymd(2025, 3, 1), "x", "y", ymd(2025, 3, 25))
                .is_err()
        );
    }
}
