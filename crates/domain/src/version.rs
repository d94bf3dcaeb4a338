//! Procedure versions and their lifecycle: draft → in review → published → superseded,
//! or published → abolished. Validity intervals never overlap; abolished versions are kept.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::codes::TthcCode;
use crate::procedure::{ProcedureContent, ProcedureKind};

/// Trạng thái phiên bản.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VersionStatus {
    /// Dự thảo: editable by its organisation's officers.
    Draft,
    /// Chờ duyệt: submitted to a leader.
    InReview,
    /// Đang có hiệu lực: the version in force (or scheduled to be).
    Published,
    /// Đã được thay thế: a later version took over.
    Superseded,
    /// Đã bãi bỏ: the procedure was abolished with this version as its last.
    Abolished,
}

impl VersionStatus {
    /// Stable identifier.
    pub fn as_str(self) -> &'static str {
        match self {
            VersionStatus::Draft => "draft",
            VersionStatus::InReview => "in_review",
            VersionStatus::Published => "published",
            VersionStatus::Superseded => "superseded",
            VersionStatus::Abolished => "abolished",
        }
    }
    /// Parses the identifier.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "draft" => Self::Draft,
            "in_review" => Self::InReview,
            "published" => Self::Published,
            "superseded" => Self::Superseded,
            "abolished" => Self::Abolished,
            _ => return None,
        })
    }
    /// Vietnamese label.
    pub fn label_vi(self) -> &'static str {
        match self {
            VersionStatus::Draft => "Dự thảo",
            VersionStatus::InReview => "Chờ duyệt",
            VersionStatus::Published => "Đang có hiệu lực",
            VersionStatus::Superseded => "Đã được thay thế",
            VersionStatus::Abolished => "Đã bãi bỏ",
        }
    }
    /// True for draft and in-review versions (not yet public).
    pub fn is_open_draft(self) -> bool {
        matches!(self, Self::Draft | Self::InReview)
    }
    /// True for versions that were published at some point (public history).
    pub fn is_public(self) -> bool {
        !self.is_open_draft()
    }
}

/// Loại công bố: what a publication decision does to a procedure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// Mới ban hành.
    New,
    /// Sửa đổi, bổ sung.
    Amended,
    /// Thay thế.
    Replaced,
    /// Bãi bỏ.
    Abolished,
    /// Hủy bỏ (counted with abolished in statistics).
    Annulled,
}

impl ChangeKind {
    /// All kinds.
    pub const ALL: [ChangeKind; 5] = [
        ChangeKind::New,
        ChangeKind::Amended,
        ChangeKind::Replaced,
        ChangeKind::Abolished,
        ChangeKind::Annulled,
    ];
    /// Stable identifier.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::New => "new",
            ChangeKind::Amended => "amended",
            ChangeKind::Replaced => "replaced",
            ChangeKind::Abolished => "abolished",
            ChangeKind::Annulled => "annulled",
        }
    }
    /// Parses the identifier or a Vietnamese phrase ("sửa đổi, bổ sung", "bãi bỏ").
    pub fn parse(s: &str) -> Option<Self> {
        let k = crate::text::match_key(s);
        Some(match k.as_str() {
            "new" | "moibanhanh" | "moi" => Self::New,
            "amended" | "suadoibosung" | "suadoi" | "bosung" => Self::Amended,
            "replaced" | "thaythe" => Self::Replaced,
            "abolished" | "baibo" => Self::Abolished,
            "annulled" | "huybo" => Self::Annulled,
            _ => return None,
        })
    }
    /// Vietnamese label.
    pub fn label_vi(self) -> &'static str {
        match self {
            ChangeKind::New => "Mới ban hành",
            ChangeKind::Amended => "Sửa đổi, bổ sung",
            ChangeKind::Replaced => "Thay thế",
            ChangeKind::Abolished => "Bãi bỏ",
            ChangeKind::Annulled => "Hủy bỏ",
        }
    }
    /// True when the change ends a procedure.
    pub fn ends_procedure(self) -> bool {
        matches!(self, Self::Abolished | Self::Annulled)
    }
}

/// One version of a procedure as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProcedureVersion {
    /// The procedure.
    pub code: TthcCode,
    /// 1, 2, 3… in creation order.
    pub seq: i64,
    /// Lifecycle status.
    pub status: VersionStatus,
    /// First day in force (published versions).
    pub valid_from: Option<NaiveDate>,
    /// Last day in force, inclusive; `None` while open-ended.
    pub valid_to: Option<NaiveDate>,
    /// Number of the publication decision that published it.
    pub decision_no: Option<String>,
    /// How it came about.
    pub change_kind: Option<ChangeKind>,
    /// Components changed relative to the previous version (filled from the diff).
    #[serde(default)]
    pub changed_components: Vec<String>,
    /// The content.
    pub content: ProcedureContent,
    /// Optimistic-concurrency revision: bumped on every edit.
    pub rev: i64,
    /// Organisation that owns the draft / publication.
    pub owner_org: String,
}

/// The stable identity of a procedure and its summary state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Procedure {
    /// Mã TTHC.
    pub code: TthcCode,
    /// External or internal.
    pub kind: ProcedureKind,
    /// Organisation responsible (the publishing ministry or province).
    pub owner_org: String,
    /// True once abolished (the history stays).
    pub abolished: bool,
}

/// Why a lifecycle change is not allowed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LifecycleError {
    /// A procedure may have at most one open draft.
    #[error("thủ tục {0} đã có một dự thảo đang mở (phiên bản {1}) / an open draft already exists")]
    DraftAlreadyOpen(String, i64),
    /// The version is not a draft.
    #[error("phiên bản {1} của thủ tục {0} không còn là dự thảo / version is not a draft")]
    NotADraft(String, i64),
    /// The new validity would overlap an existing published version.
    #[error(
        "hiệu lực từ {new_from} của thủ tục {code} chồng lấn phiên bản {seq} (hiệu lực từ {existing_from}) / validity overlaps"
    )]
    Overlap {
        /// Procedure.
        code: String,
        /// Existing version.
        seq: i64,
        /// Its start.
        existing_from: NaiveDate,
        /// The proposed start.
        new_from: NaiveDate,
    },
    /// The procedure is abolished.
    #[error("thủ tục {0} đã bị bãi bỏ / procedure is abolished")]
    AlreadyAbolished(String),
    /// Nothing to amend.
    #[error("thủ tục {0} chưa có phiên bản đang có hiệu lực / no version in force")]
    NothingInForce(String),
}

/// Checks that a version starting on `new_from` may follow the currently open published
/// version starting on `current_from`: strictly later, so intervals cannot overlap.
pub fn check_follows(
    code: &str,
    current_seq: i64,
    current_from: NaiveDate,
    new_from: NaiveDate,
) -> Result<(), LifecycleError> {
    if new_from <= current_from {
        return Err(LifecycleError::Overlap {
            code: code.to_string(),
            seq: current_seq,
            existing_from: current_from,
            new_from,
        });
    }
    Ok(())
}

/// The day before `d`: the inclusive end of a version superseded from `d`.
pub fn day_before(d: NaiveDate) -> NaiveDate {
    d.pred_opt().unwrap_or(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    #[test]
    fn a_new_version_must_start_after_the_current_one() {
        assert!(check_follows("1.000080", 1, d("2025-01-01"), d("2025-03-01")).is_ok());
        assert!(matches!(
            check_follows("1.000080", 1, d("2025-03-01"), d("2025-03-01")),
            Err(LifecycleError::Overlap { .. })
        ));
    }

    #[test]
    fn change_kinds_parse_vietnamese_phrases() {
        assert_eq!(
            ChangeKind::parse("Sửa đổi, bổ sung"),
            Some(ChangeKind::Amended)
        );
        assert_eq!(ChangeKind::parse("bãi bỏ"), Some(ChangeKind::Abolished));
        assert_eq!(ChangeKind::parse("foo"), None);
    }
}
