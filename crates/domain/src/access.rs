//! Roles and the permission matrix. Permission is decided here, purely, from the actor's role
//! and whether the target lies in the actor's organisation subtree; the web layer turns a
//! positive answer into a capability value that write handlers require.

use serde::{Deserialize, Serialize};

/// Vai trò người dùng.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Quản trị hệ thống: users and organisations.
    Admin,
    /// Tổ công tác / Văn phòng Chính phủ: national oversight, reads everything.
    Oversight,
    /// Cán bộ kiểm soát TTHC: prepares drafts, decisions and imports for its subtree.
    Officer,
    /// Lãnh đạo: approves and publishes for its subtree; may not approve own drafts.
    Leader,
}

impl Role {
    /// All roles.
    pub const ALL: [Role; 4] = [Role::Admin, Role::Oversight, Role::Officer, Role::Leader];
    /// Stable identifier.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Oversight => "oversight",
            Role::Officer => "officer",
            Role::Leader => "leader",
        }
    }
    /// Parses the identifier.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "admin" => Self::Admin,
            "oversight" => Self::Oversight,
            "officer" => Self::Officer,
            "leader" => Self::Leader,
            _ => return None,
        })
    }
    /// Vietnamese label.
    pub fn label_vi(self) -> &'static str {
        match self {
            Role::Admin => "Quản trị hệ thống",
            Role::Oversight => "Tổ công tác / VPCP",
            Role::Officer => "Cán bộ kiểm soát TTHC",
            Role::Leader => "Lãnh đạo phê duyệt",
        }
    }
}

/// Something a user may try to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Read drafts and internal records.
    ReadInternal,
    /// Create or edit a draft version.
    EditDraft,
    /// Submit a draft for review.
    SubmitDraft,
    /// Create or edit a publication decision.
    EditDecision,
    /// Apply (publish) a decision.
    Publish,
    /// Import data.
    Import,
    /// Manage users and organisations.
    Administer,
    /// Edit the national working-day calendar (notice days off, swapped working days).
    EditCalendar,
}

impl Action {
    /// All actions.
    pub const ALL: [Action; 8] = [
        Action::ReadInternal,
        Action::EditDraft,
        Action::SubmitDraft,
        Action::EditDecision,
        Action::Publish,
        Action::Import,
        Action::Administer,
        Action::EditCalendar,
    ];
}

/// Whether the target is inside the actor's organisation subtree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The target's organisation is the actor's or below it.
    Own,
    /// Anywhere else.
    Other,
}

/// The permission matrix.
pub fn allowed(role: Role, action: Action, scope: Scope) -> bool {
    use Action::*;
    match role {
        Role::Admin => true,
        // The national calendar is kept by the Government Office (VPCP) and administrators.
        Role::Oversight => matches!(action, ReadInternal | EditCalendar),
        Role::Officer => {
            scope == Scope::Own
                && matches!(
                    action,
                    ReadInternal | EditDraft | SubmitDraft | EditDecision | Import
                )
        }
        Role::Leader => {
            scope == Scope::Own
                && matches!(
                    action,
                    ReadInternal | EditDraft | SubmitDraft | EditDecision | Publish | Import
                )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn officers_and_leaders_act_only_inside_their_subtree() {
        for action in Action::ALL {
            assert!(!allowed(Role::Officer, action, Scope::Other), "{action:?}");
            assert!(!allowed(Role::Leader, action, Scope::Other), "{action:?}");
        }
    }

    #[test]
    fn only_leaders_and_admins_publish() {
        let publishers: Vec<Role> = Role::ALL
            .into_iter()
            .filter(|r| allowed(*r, Action::Publish, Scope::Own))
            .collect();
        assert_eq!(publishers, vec![Role::Admin, Role::Leader]);
    }

    #[test]
    fn oversight_reads_everything_and_only_edits_the_national_calendar() {
        for action in Action::ALL {
            assert_eq!(
                allowed(Role::Oversight, action, Scope::Other),
                matches!(action, Action::ReadInternal | Action::EditCalendar)
            );
        }
    }
}
