//! Working groups (tổ công tác), their members and meetings, and directives (văn bản chỉ đạo):
//! the sources of tasks. The Prime Minister's Working Group sits at the top; ministries and
//! provinces may run their own groups, whose composition is configurable (domain.md §9).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::TaskError;

/// Cấp của tổ công tác.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupLevel {
    /// Tổ công tác của Thủ tướng Chính phủ (national).
    National,
    /// Tổ công tác của bộ, ngành.
    Ministry,
    /// Tổ công tác của tỉnh, thành phố.
    Province,
}

impl GroupLevel {
    /// Stable identifier.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::National => "national",
            Self::Ministry => "ministry",
            Self::Province => "province",
        }
    }
    /// Parses the identifier.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "national" => Self::National,
            "ministry" => Self::Ministry,
            "province" => Self::Province,
            _ => return None,
        })
    }
}

/// Vai trò trong tổ công tác.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MemberRole {
    /// Tổ trưởng.
    Head,
    /// Tổ phó.
    Deputy,
    /// Thành viên thường trực.
    Standing,
    /// Thành viên.
    Member,
    /// Tổ giúp việc / thư ký.
    Secretariat,
}

/// Thành viên tổ công tác.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupMember {
    /// Họ và tên.
    pub person: String,
    /// Chức vụ (e.g. "Bộ trưởng, Chủ nhiệm Văn phòng Chính phủ").
    pub position: String,
    /// The member's organisation id.
    pub org: String,
    /// Role in the group.
    pub role: MemberRole,
}

/// Tổ công tác: a group that directs and urges, at national, ministry or province level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkingGroup {
    /// Stable code, e.g. `TCT-TTG`.
    pub code: String,
    /// Tên tổ công tác.
    pub name: String,
    /// Level.
    pub level: GroupLevel,
    /// The parent group's code (a provincial group reports to the national one).
    pub parent: Option<String>,
    /// The organisation that hosts the group (its secretariat), e.g. `VPCP`.
    pub org: String,
    /// Date of the establishing decision's effect.
    pub valid_from: NaiveDate,
    /// Members.
    pub members: Vec<GroupMember>,
}

impl WorkingGroup {
    /// Checks names, a single head, and that a national group has no parent.
    pub fn validate(&self) -> Result<(), TaskError> {
        if self.code.trim().is_empty() {
            return Err(TaskError::invalid(
                "code",
                "mã tổ công tác trống / group code is empty",
            ));
        }
        if self.name.trim().is_empty() {
            return Err(TaskError::invalid(
                "name",
                "tên tổ công tác trống / group name is empty",
            ));
        }
        if self.level == GroupLevel::National && self.parent.is_some() {
            return Err(TaskError::invalid(
                "parent",
                "tổ công tác cấp quốc gia không có tổ cấp trên / a national group has no parent",
            ));
        }
        let heads = self
            .members
            .iter()
            .filter(|m| m.role == MemberRole::Head)
            .count();
        if heads > 1 {
            return Err(TaskError::invalid(
                "members",
                format!("có {heads} tổ trưởng, chỉ được một / {heads} heads, at most one allowed"),
            ));
        }
        if let Some(i) = self.members.iter().position(|m| m.person.trim().is_empty()) {
            return Err(TaskError::invalid(
                "members",
                format!(
                    "thành viên thứ {} chưa có họ tên / member {} has no name",
                    i + 1,
                    i + 1
                ),
            ));
        }
        Ok(())
    }
}

/// Hình thức họp.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeetingFormat {
    /// Trực tiếp.
    InPerson,
    /// Trực tuyến.
    Online,
    /// Kết hợp trực tiếp và trực tuyến.
    Hybrid,
}

/// Cuộc họp của tổ công tác.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meeting {
    /// The group's code.
    pub group: String,
    /// Ngày họp.
    pub date: NaiveDate,
    /// Format.
    pub format: MeetingFormat,
    /// Thành phần tham dự (names or organisations).
    pub participants: Vec<String>,
    /// Chương trình họp.
    pub agenda: String,
    /// Biên bản họp.
    pub minutes: String,
    /// Kết luận (shown publicly when `public`).
    pub conclusions: String,
    /// Whether the meeting and its conclusions appear on the public page.
    pub public: bool,
}

/// Loại văn bản chỉ đạo.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DirectiveKind {
    /// Nghị quyết.
    Resolution,
    /// Quyết định.
    Decision,
    /// Công văn.
    OfficialLetter,
    /// Thông báo kết luận (of a meeting).
    ConclusionNotice,
}

impl DirectiveKind {
    /// Vietnamese label.
    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Resolution => "Nghị quyết",
            Self::Decision => "Quyết định",
            Self::OfficialLetter => "Công văn",
            Self::ConclusionNotice => "Thông báo kết luận",
        }
    }
}

/// Văn bản chỉ đạo: any source of tasks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Directive {
    /// Kind.
    pub kind: DirectiveKind,
    /// Số, ký hiệu (e.g. `125/TB-VPCP`), unique.
    pub number: String,
    /// Ngày ban hành.
    pub date: NaiveDate,
    /// Issuer organisation id.
    pub issuer_org: String,
    /// Trích yếu.
    pub title: String,
    /// Whether it appears on the public page.
    pub public: bool,
    /// The meeting this notice concludes, if any (store id).
    pub meeting_id: Option<i64>,
}

impl Directive {
    /// Checks number, title and that a conclusion notice names its meeting.
    pub fn validate(&self) -> Result<(), TaskError> {
        if self.number.trim().is_empty() {
            return Err(TaskError::invalid(
                "number",
                "số văn bản trống / number is empty",
            ));
        }
        if self.title.trim().is_empty() {
            return Err(TaskError::invalid(
                "title",
                "trích yếu trống / title is empty",
            ));
        }
        if self.issuer_org.trim().is_empty() {
            return Err(TaskError::invalid(
                "issuer_org",
                "chưa chọn cơ quan ban hành / issuer is missing",
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group() -> WorkingGroup {
        WorkingGroup {
            code: "TCT-TTG".into(),
            name: "Tổ công tác của Thủ tướng Chính phủ".into(),
            level: GroupLevel::National,
            parent: None,
            org: "VPCP".into(),
            valid_from: NaiveDate::from_ymd_opt(2022, 12, 15).expect("date"),
            members: vec![GroupMember {
                person: "Trần Văn Sơn".into(),
                position: "Bộ trưởng, Chủ nhiệm VPCP".into(),
                org: "VPCP".into(),
                role: MemberRole::Head,
            }],
        }
    }

    #[test]
    fn a_group_with_two_heads_is_refused() {
        let mut g = group();
        g.members.push(g.members[0].clone());
        assert_eq!(g.validate().map_err(|e| e.field()), Err("members"));
    }

    #[test]
    fn a_national_group_has_no_parent() {
        let mut g = group();
        assert!(g.validate().is_ok());
        g.parent = Some("X".into());
        assert!(g.validate().is_err());
    }
}
