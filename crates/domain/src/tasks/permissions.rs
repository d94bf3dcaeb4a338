//! Who may do what with a task. The Working Group (`Role::Oversight`) and administrators assign
//! anywhere; an organisation's officers and leaders assign within their own subtree only. Only
//! the lead organisation (for a sub-task: the unit it was delegated to) reports progress,
//! completion or asks for an extension; only the assigner organisation accepts, returns,
//! cancels or decides extensions. The caller computes the relation from the organisation tree.

use serde::{Deserialize, Serialize};

use crate::access::Role;

/// Something a user may try to do with tasks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskAction {
    /// See the task (internal workspace).
    Read,
    /// Giao nhiệm vụ (create a task or sub-task for the lead organisation).
    Assign,
    /// Cập nhật tiến độ.
    ReportProgress,
    /// Báo cáo hoàn thành.
    Submit,
    /// Đề nghị gia hạn.
    RequestExtension,
    /// Công nhận hoàn thành.
    Accept,
    /// Trả lại.
    Return,
    /// Quyết định gia hạn.
    DecideExtension,
    /// Hủy nhiệm vụ.
    Cancel,
}

impl TaskAction {
    /// Every action.
    pub const ALL: [TaskAction; 9] = [
        Self::Read,
        Self::Assign,
        Self::ReportProgress,
        Self::Submit,
        Self::RequestExtension,
        Self::Accept,
        Self::Return,
        Self::DecideExtension,
        Self::Cancel,
    ];
}

/// How the actor's organisation relates to the task.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TaskRelation {
    /// The lead organisation (for `Assign`: the intended one) is the actor's or below it.
    pub lead_in_subtree: bool,
    /// The actor's organisation is the lead organisation itself.
    pub is_lead: bool,
    /// The actor's organisation is the assigner.
    pub is_assigner: bool,
    /// The actor's organisation coordinates the task.
    pub is_coordinating: bool,
}

/// The task permission matrix.
pub fn may(role: Role, action: TaskAction, rel: TaskRelation) -> bool {
    use TaskAction::*;
    let national = matches!(role, Role::Admin | Role::Oversight);
    match action {
        Read => national || rel.lead_in_subtree || rel.is_assigner || rel.is_coordinating,
        Assign => national || rel.lead_in_subtree,
        ReportProgress | Submit | RequestExtension => {
            rel.is_lead && matches!(role, Role::Officer | Role::Leader)
        }
        Accept | Return | DecideExtension | Cancel => rel.is_assigner,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OWN: TaskRelation = TaskRelation {
        lead_in_subtree: true,
        is_lead: true,
        is_assigner: false,
        is_coordinating: false,
    };
    const OTHER: TaskRelation = TaskRelation {
        lead_in_subtree: false,
        is_lead: false,
        is_assigner: false,
        is_coordinating: false,
    };

    #[test]
    fn officers_assign_only_inside_their_subtree_and_the_working_group_anywhere() {
        assert!(may(Role::Officer, TaskAction::Assign, OWN));
        assert!(!may(Role::Officer, TaskAction::Assign, OTHER));
        assert!(!may(Role::Leader, TaskAction::Assign, OTHER));
        assert!(may(Role::Oversight, TaskAction::Assign, OTHER));
        assert!(may(Role::Admin, TaskAction::Assign, OTHER));
    }

    #[test]
    fn nobody_completes_someone_elses_task() {
        for role in Role::ALL {
            assert!(!may(role, TaskAction::Submit, OTHER), "{role:?}");
            assert!(!may(role, TaskAction::ReportProgress, OTHER), "{role:?}");
        }
        // A parent organisation does not report for its delegated unit.
        let parent = TaskRelation {
            lead_in_subtree: true,
            ..OTHER
        };
        assert!(!may(Role::Leader, TaskAction::Submit, parent));
    }

    #[test]
    fn only_the_assigner_accepts_returns_and_decides_extensions() {
        for action in [
            TaskAction::Accept,
            TaskAction::Return,
            TaskAction::DecideExtension,
        ] {
            assert!(
                !may(Role::Leader, action, OWN),
                "the lead cannot accept its own work"
            );
            assert!(!may(Role::Oversight, action, OTHER));
            let assigner = TaskRelation {
                is_assigner: true,
                ..OTHER
            };
            assert!(may(Role::Oversight, action, assigner));
            assert!(may(Role::Leader, action, assigner));
        }
    }
}
