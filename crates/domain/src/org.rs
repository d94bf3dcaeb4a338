//! Organisations: the Government, ministries and ministry-level agencies, the 34 provinces and
//! 3,321 communes in force since 01/7/2025, provincial departments, and historic units (63
//! provinces, districts, old communes) kept with validity dates and old→new successions.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Loại tổ chức.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    /// Chính phủ (root).
    Government,
    /// Bộ.
    Ministry,
    /// Cơ quan ngang bộ.
    MinistryLevel,
    /// Cơ quan thuộc Chính phủ.
    GovernmentAgency,
    /// Tỉnh / thành phố trực thuộc trung ương.
    Province,
    /// Sở, ban, ngành of a province.
    Department,
    /// Quận / huyện / thị xã (historic after 01/7/2025).
    District,
    /// Xã / phường / đặc khu.
    Commune,
    /// Another unit (e.g. a ministry's department).
    Unit,
}

impl OrgKind {
    /// Stable identifier.
    pub fn as_str(self) -> &'static str {
        match self {
            OrgKind::Government => "government",
            OrgKind::Ministry => "ministry",
            OrgKind::MinistryLevel => "ministry_level",
            OrgKind::GovernmentAgency => "government_agency",
            OrgKind::Province => "province",
            OrgKind::Department => "department",
            OrgKind::District => "district",
            OrgKind::Commune => "commune",
            OrgKind::Unit => "unit",
        }
    }
    /// Parses the identifier.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "government" => Self::Government,
            "ministry" => Self::Ministry,
            "ministry_level" => Self::MinistryLevel,
            "government_agency" => Self::GovernmentAgency,
            "province" => Self::Province,
            "department" => Self::Department,
            "district" => Self::District,
            "commune" => Self::Commune,
            "unit" => Self::Unit,
            _ => return None,
        })
    }
    /// Vietnamese label.
    pub fn label_vi(self) -> &'static str {
        match self {
            OrgKind::Government => "Chính phủ",
            OrgKind::Ministry => "Bộ",
            OrgKind::MinistryLevel => "Cơ quan ngang bộ",
            OrgKind::GovernmentAgency => "Cơ quan thuộc Chính phủ",
            OrgKind::Province => "Tỉnh, thành phố",
            OrgKind::Department => "Sở, ngành",
            OrgKind::District => "Huyện (trước 01/7/2025)",
            OrgKind::Commune => "Xã, phường, đặc khu",
            OrgKind::Unit => "Đơn vị",
        }
    }
    /// True for ministries and ministry-level agencies (publish as a minister).
    pub fn is_central(self) -> bool {
        matches!(
            self,
            Self::Ministry | Self::MinistryLevel | Self::GovernmentAgency | Self::Government
        )
    }
}

/// One organisation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Organisation {
    /// Stable id: ministry symbol (`BTP`), `P01` for provinces, `W00004` for communes, …
    pub id: String,
    /// Official name.
    pub name: String,
    /// Kind.
    pub kind: OrgKind,
    /// Electronic identifier (mã định danh điện tử) where known.
    pub eid: Option<String>,
    /// Statistical code (mã hành chính) for administrative units.
    pub admin_code: Option<String>,
    /// Parent organisation.
    pub parent: Option<String>,
    /// In force from.
    pub valid_from: Option<NaiveDate>,
    /// In force until (inclusive); `None` while current.
    pub valid_to: Option<NaiveDate>,
}

impl Organisation {
    /// True when the unit is in force on `d`.
    pub fn in_force_on(&self, d: NaiveDate) -> bool {
        self.valid_from.is_none_or(|f| f <= d) && self.valid_to.is_none_or(|t| t >= d)
    }
}

/// Succession of a historic unit by a current one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitSuccession {
    /// Old unit id.
    pub old: String,
    /// New unit id.
    pub new: String,
    /// True when only part of the old unit went to the new one.
    pub partial: bool,
    /// Date the succession took effect.
    pub effective: NaiveDate,
}

/// Lĩnh vực: a managed field, owned by a ministry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sector {
    /// Stable id (folded key of the name).
    pub id: String,
    /// Name, e.g. "Hộ tịch".
    pub name: String,
    /// Owning ministry id.
    pub owner_org: Option<String>,
}

impl Sector {
    /// The id derived from a name: accent-free key.
    pub fn id_for(name: &str) -> String {
        crate::text::fold(&crate::text::clean_inline(name))
            .split(|c: char| !c.is_alphanumeric())
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join("-")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sector_ids_are_accent_free_slugs() {
        assert_eq!(Sector::id_for("Hộ tịch"), "ho-tich");
        assert_eq!(
            Sector::id_for("Đăng ký biện pháp bảo đảm"),
            "dang-ky-bien-phap-bao-dam"
        );
    }
}
