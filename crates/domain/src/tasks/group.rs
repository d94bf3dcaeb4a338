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
    /// First day of membership (the appointing decision), if recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<NaiveDate>,
    /// Last day of membership: an ended member stays in the record, never deleted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_on: Option<NaiveDate>,
}

impl GroupMember {
    /// Still a member on `day` (membership ended before `day` no longer counts).
    pub fn active_on(&self, day: NaiveDate) -> bool {
        self.ended_on.is_none_or(|e| e >= day)
    }
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
            .filter(|m| m.role == MemberRole::Head && m.ended_on.is_none())
            .count();
        if heads > 1 {
            return Err(TaskError::invalid(
                "members",
                format!("có {heads} tổ trưởng, chỉ được một / {heads} heads, at most one allowed"),
            ));
        }
        if let Some(i) = self
            .members
            .iter()
            .position(|m| m.since.zip(m.ended_on).is_some_and(|(a, b)| b < a))
        {
            return Err(TaskError::invalid(
                "members",
                format!(
                    "thành viên thứ {} kết thúc trước ngày bắt đầu / member {} ends before it starts",
                    i + 1,
                    i + 1
                ),
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

/// One change to a working group's membership, as made on the membership page. Members are
/// addressed by their position in [`WorkingGroup::members`] (the stored order); nothing is
/// ever removed: ending a membership sets its last day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum MemberChange {
    /// Adds a member at the end.
    Add {
        /// The new member.
        member: GroupMember,
    },
    /// Changes the position (chức vụ) and role of a current member.
    Update {
        /// Index in the member list.
        index: usize,
        /// New position.
        position: String,
        /// New role.
        role: MemberRole,
    },
    /// Ends a current membership on `on` (its last day).
    End {
        /// Index in the member list.
        index: usize,
        /// Last day of membership.
        on: NaiveDate,
    },
}

impl WorkingGroup {
    /// Applies a membership change and validates the result (a second head, an empty name, an
    /// end before the start, or a change to an ended or unknown member is refused).
    pub fn apply_member_change(&mut self, change: &MemberChange) -> Result<(), TaskError> {
        let current = |g: &mut Self, index: usize| -> Result<usize, TaskError> {
            match g.members.get(index) {
                None => Err(TaskError::invalid(
                    "member",
                    format!(
                        "không có thành viên số {} / no member #{}",
                        index + 1,
                        index + 1
                    ),
                )),
                Some(m) if m.ended_on.is_some() => Err(TaskError::invalid(
                    "member",
                    format!(
                        "{} đã thôi là thành viên, không sửa được / {} is no longer a member",
                        m.person, m.person
                    ),
                )),
                Some(_) => Ok(index),
            }
        };
        match change {
            MemberChange::Add { member } => {
                let mut m = member.clone();
                m.person = m.person.trim().to_string();
                m.position = m.position.trim().to_string();
                self.members.push(m);
            }
            MemberChange::Update {
                index,
                position,
                role,
            } => {
                let i = current(self, *index)?;
                let m = &mut self.members[i];
                m.position = position.trim().to_string();
                m.role = *role;
            }
            MemberChange::End { index, on } => {
                let i = current(self, *index)?;
                self.members[i].ended_on = Some(*on);
            }
        }
        self.validate()
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
                since: None,
                ended_on: None,
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
    fn an_ended_head_does_not_count_and_membership_cannot_end_before_it_starts() {
        let mut g = group();
        g.members[0].ended_on = NaiveDate::from_ymd_opt(2024, 6, 30);
        g.members.push(GroupMember {
            ended_on: None,
            ..g.members[0].clone()
        });
        assert!(g.validate().is_ok());
        assert!(!g.members[0].active_on(NaiveDate::from_ymd_opt(2024, 7, 1).expect("d")));
        assert!(g.members[0].active_on(NaiveDate::from_ymd_opt(2024, 6, 30).expect("d")));
        g.members[1].since = NaiveDate::from_ymd_opt(2024, 7, 1);
        g.members[1].ended_on = NaiveDate::from_ymd_opt(2024, 6, 1);
        assert_eq!(g.validate().map_err(|e| e.field()), Err("members"));
    }

    #[test]
    fn membership_changes_add_update_and_end_but_never_remove() {
        let mut g = group();
        let day = NaiveDate::from_ymd_opt(2026, 11, 26).expect("d");
        let deputy = GroupMember {
            person: " Lê Thị C ".into(),
            position: "Thứ trưởng".into(),
            org: "BTP".into(),
            role: MemberRole::Deputy,
            since: Some(day),
            ended_on: None,
        };
        g.apply_member_change(&MemberChange::Add { member: deputy })
            .expect("add");
        assert_eq!(g.members[1].person, "Lê Thị C");
        let second_head = MemberChange::Update {
            index: 1,
            position: "Bộ trưởng".into(),
            role: MemberRole::Head,
        };
        assert!(g.clone().apply_member_change(&second_head).is_err());
        g.apply_member_change(&MemberChange::End { index: 0, on: day })
            .expect("end");
        g.apply_member_change(&second_head)
            .expect("a new head once the old one left");
        assert_eq!(g.members.len(), 2, "nothing removed");
        assert!(
            g.apply_member_change(&MemberChange::End { index: 0, on: day })
                .is_err()
        );
        assert!(
            g.apply_member_change(&MemberChange::End { index: 9, on: day })
                .is_err()
        );
    }

    #[test]
    fn a_national_group_has_no_parent() {
        let mut g = group();
        assert!(g.validate().is_ok());
        g.parent = Some("X".into());
        assert!(g.validate().is_err());
    }
}
