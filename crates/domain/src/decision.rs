//! Quyết định công bố: publication decisions and their entries, validation of an entry
//! against the procedure's current state, and the late-publication check.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::codes::TthcCode;
use crate::params::{DayRule, PublicationRules};
use crate::procedure::ProcedureContent;
use crate::version::ChangeKind;

/// Who signed the decision, which sets its deadlines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IssuerKind {
    /// A minister or head of a ministry-level agency.
    Ministry,
    /// The chair of a provincial People's Committee.
    Province,
    /// Another authorised body.
    Other,
}

impl IssuerKind {
    /// Stable identifier.
    pub fn as_str(self) -> &'static str {
        match self {
            IssuerKind::Ministry => "ministry",
            IssuerKind::Province => "province",
            IssuerKind::Other => "other",
        }
    }
    /// Parses the identifier.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "ministry" => Self::Ministry,
            "province" => Self::Province,
            "other" => Self::Other,
            _ => return None,
        })
    }
}

/// Status of a decision in thutuc.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DecisionStatus {
    /// Being prepared; entries can change.
    Draft,
    /// Applied to the catalogue; immutable.
    Applied,
}

impl DecisionStatus {
    /// Stable identifier.
    pub fn as_str(self) -> &'static str {
        match self {
            DecisionStatus::Draft => "draft",
            DecisionStatus::Applied => "applied",
        }
    }
    /// Parses the identifier.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "draft" => Some(Self::Draft),
            "applied" => Some(Self::Applied),
            _ => None,
        }
    }
}

/// One line of a decision's annex.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DecisionEntry {
    /// New, amended, replaced, abolished, annulled.
    pub kind: ChangeKind,
    /// The procedure.
    pub code: TthcCode,
    /// Name as listed in the annex (used for new procedures and for checking).
    #[serde(default)]
    pub name: String,
    /// The legal document that causes the change, e.g. `44/2025/TT-BYT`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_document: Option<String>,
    /// Date the change takes effect; defaults to the decision's effective date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective_date: Option<NaiveDate>,
    /// For amendments: which components changed (filled from the diff when empty).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changed_components: Vec<String>,
    /// The procedure is internal (TTHC nội bộ); used when the entry creates it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub internal: bool,
    /// For replacements: the code of the procedure this one replaces (which is ended).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replaces: Option<TthcCode>,
    /// The new content for new / amended / replaced entries. When absent, the procedure's
    /// open draft (in review or draft) is published instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<ProcedureContent>,
}

/// A publication decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicationDecision {
    /// Số ký hiệu, e.g. `163/QĐ-BTP`.
    pub number: String,
    /// Trích yếu.
    #[serde(default)]
    pub title: String,
    /// Ngày ký.
    pub signed_on: NaiveDate,
    /// Ngày có hiệu lực (default for entries).
    pub effective_on: NaiveDate,
    /// Issuing organisation id.
    pub issuer_org: String,
    /// Minister / provincial chair / other.
    pub issuer_kind: IssuerKind,
    /// The underlying legal document was made by shortened procedure (effective on signing).
    #[serde(default)]
    pub shortened: bool,
    /// A local re-publication of a central decision (not counted again in national statistics).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applies_central: Option<String>,
    /// Annex lines.
    pub entries: Vec<DecisionEntry>,
}

/// Lateness of a decision against its publication deadline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timeliness {
    /// The latest date the decision should have been signed.
    pub deadline: NaiveDate,
    /// Signed after the deadline.
    pub late: bool,
    /// Days late (calendar days), 0 when on time.
    pub days_late: i64,
    /// The rule that applied, with its source.
    pub rule: DayRule,
}

/// Why a decision is invalid before touching any procedure.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecisionError {
    /// No entries.
    #[error("quyết định {0} không có thủ tục nào / decision has no entries")]
    NoEntries(String),
    /// The same procedure appears twice.
    #[error("quyết định {0}: thủ tục {1} xuất hiện nhiều lần (dòng {2}) / duplicate entry")]
    DuplicateEntry(String, String, usize),
    /// Effective before signing without being retroactive is allowed, but an empty number is not.
    #[error("số quyết định trống / decision number is empty")]
    EmptyNumber,
    /// A new entry without content.
    #[error(
        "quyết định {0}, dòng {1}: thủ tục mới {2} phải có nội dung / new procedure needs content"
    )]
    NewWithoutContent(String, usize, String),
}

impl PublicationDecision {
    /// Structural checks that need no database.
    pub fn validate(&self) -> Result<(), DecisionError> {
        if self.number.trim().is_empty() {
            return Err(DecisionError::EmptyNumber);
        }
        if self.entries.is_empty() {
            return Err(DecisionError::NoEntries(self.number.clone()));
        }
        let mut seen = std::collections::BTreeSet::new();
        for (i, e) in self.entries.iter().enumerate() {
            if !seen.insert(e.code.clone()) {
                return Err(DecisionError::DuplicateEntry(
                    self.number.clone(),
                    e.code.to_string(),
                    i + 1,
                ));
            }
        }
        Ok(())
    }

    /// The effective date of an entry.
    pub fn entry_effective(&self, e: &DecisionEntry) -> NaiveDate {
        e.effective_date.unwrap_or(self.effective_on)
    }

    /// Checks the decision's signing date against the publication deadline.
    ///
    /// `add_working_days(date, n)` comes from the working-day calendar; it is only used when
    /// a rule is configured in working days.
    pub fn timeliness(
        &self,
        rules: &PublicationRules,
        add_working_days: &dyn Fn(NaiveDate, i64) -> NaiveDate,
    ) -> Timeliness {
        let shift = |d: NaiveDate, rule: &DayRule, sign: i64| -> NaiveDate {
            if rule.working_days {
                add_working_days(d, sign * rule.days)
            } else {
                d + chrono::Duration::days(sign * rule.days)
            }
        };
        let (deadline, rule) = if self.shortened {
            (
                shift(self.effective_on, &rules.shortened_after, 1),
                rules.shortened_after.clone(),
            )
        } else {
            let rule = match self.issuer_kind {
                IssuerKind::Ministry => &rules.ministry_lead,
                IssuerKind::Province | IssuerKind::Other => &rules.province_lead,
            };
            (shift(self.effective_on, rule, -1), rule.clone())
        };
        let days_late = (self.signed_on - deadline).num_days().max(0);
        Timeliness {
            deadline,
            late: days_late > 0,
            days_late,
            rule,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    fn decision(kind: IssuerKind, signed: &str, effective: &str) -> PublicationDecision {
        PublicationDecision {
            number: "1/QĐ-X".into(),
            title: String::new(),
            signed_on: d(signed),
            effective_on: d(effective),
            issuer_org: "BTP".into(),
            issuer_kind: kind,
            shortened: false,
            applies_central: None,
            entries: vec![],
        }
    }

    #[test]
    fn a_ministry_decision_signed_ten_days_before_entry_into_force_is_late() {
        let t = decision(IssuerKind::Ministry, "2025-06-21", "2025-07-01")
            .timeliness(&PublicationRules::default(), &|d, _| d);
        assert_eq!(t.deadline, d("2025-06-11"));
        assert!(t.late);
        assert_eq!(t.days_late, 10);
    }

    #[test]
    fn a_province_decision_five_days_ahead_is_on_time() {
        let t = decision(IssuerKind::Province, "2025-06-26", "2025-07-01")
            .timeliness(&PublicationRules::default(), &|d, _| d);
        assert!(!t.late);
    }

    #[test]
    fn shortened_procedure_allows_three_days_after_signing() {
        let mut dec = decision(IssuerKind::Province, "2025-07-04", "2025-07-01");
        dec.shortened = true;
        assert!(!dec.timeliness(&PublicationRules::default(), &|d, _| d).late);
        dec.signed_on = d("2025-07-05");
        assert!(dec.timeliness(&PublicationRules::default(), &|d, _| d).late);
    }
}
