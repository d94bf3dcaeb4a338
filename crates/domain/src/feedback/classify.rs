//! Classification and evaluation: the four ways of Decree 20/2008 Art 9, the eight content
//! kinds of Art 5, phản ánh vs kiến nghị, the six criteria of Art 14 and the outcomes.

use serde::{Deserialize, Serialize};

use super::intake::str_enum;

str_enum! {
    /// Classification on receipt (phân loại, Decree 20/2008 Art 9).
    Classification {
        /// Không đủ điều kiện tiếp nhận: not accepted; the reason is told to the sender.
        NotAccepted = "not_accepted" / "Không tiếp nhận",
        /// Về hành vi (chậm trễ, gây phiền hà, thực hiện sai): sent to the competent body.
        Conduct = "conduct" / "Về hành vi của cán bộ",
        /// Thuộc thẩm quyền: handled by the receiver.
        WithinCompetence = "within_competence" / "Thuộc thẩm quyền",
        /// Không thuộc thẩm quyền: transferred within 05 working days.
        OutsideCompetence = "outside_competence" / "Không thuộc thẩm quyền",
    }
}

impl Classification {
    /// True when this classification requires a transfer to another agency.
    pub fn requires_transfer(self) -> bool {
        matches!(self, Self::Conduct | Self::OutsideCompetence)
    }
}

str_enum! {
    /// Content kind (nội dung phản ánh, kiến nghị, Decree 20/2008 Art 5).
    ContentKind {
        /// (1) Chậm trễ, gây phiền hà, không thực hiện, thực hiện không đúng quy định.
        Conduct = "conduct" / "Chậm trễ, phiền hà, thực hiện không đúng quy định",
        /// (2) Không phù hợp với thực tế.
        Unrealistic = "unrealistic" / "Không phù hợp với thực tế",
        /// (3) Không đồng bộ, thống nhất.
        Inconsistent = "inconsistent" / "Không đồng bộ, thống nhất",
        /// (4) Không hợp pháp.
        Illegal = "illegal" / "Không hợp pháp",
        /// (5) Trái với điều ước quốc tế.
        Treaty = "treaty" / "Trái điều ước quốc tế",
        /// (6) Những vấn đề khác.
        Other = "other" / "Vấn đề khác",
        /// (7) Phương án xử lý.
        Solution = "solution" / "Phương án xử lý",
        /// (8) Sáng kiến ban hành mới.
        NewRuleInitiative = "new_rule_initiative" / "Sáng kiến ban hành mới",
    }
}

impl ContentKind {
    /// Kinds 7 and 8 carry a proposal, which makes the item a kiến nghị.
    pub fn feedback_type(self) -> FeedbackType {
        match self {
            Self::Solution | Self::NewRuleInitiative => FeedbackType::Recommendation,
            _ => FeedbackType::Report,
        }
    }
}

str_enum! {
    /// Phản ánh (an opinion on a problem) or kiến nghị (plus a proposed solution).
    FeedbackType {
        /// Phản ánh.
        Report = "report" / "Phản ánh",
        /// Kiến nghị.
        Recommendation = "recommendation" / "Kiến nghị",
    }
}

str_enum! {
    /// Evaluation criteria (tiêu chí đánh giá, Decree 20/2008 Art 14).
    Criterion {
        /// Sự cần thiết.
        Necessity = "necessity" / "Sự cần thiết",
        /// Tính hợp lý, hợp pháp.
        Legality = "legality" / "Tính hợp lý, hợp pháp",
        /// Tính đơn giản.
        Simplicity = "simplicity" / "Tính đơn giản",
        /// Tính khả thi.
        Feasibility = "feasibility" / "Tính khả thi",
        /// Tính đồng bộ, thống nhất.
        Consistency = "consistency" / "Tính đồng bộ, thống nhất",
        /// Phù hợp điều ước quốc tế.
        Treaty = "treaty" / "Phù hợp điều ước quốc tế",
    }
}

str_enum! {
    /// Finding on one criterion.
    Verdict {
        /// Đạt: the rule meets the criterion.
        Met = "met" / "Đạt",
        /// Không đạt: the feedback is founded on this criterion.
        NotMet = "not_met" / "Không đạt",
        /// Không áp dụng.
        NotApplicable = "not_applicable" / "Không áp dụng",
    }
}

str_enum! {
    /// Outcome of handling (kết quả xử lý).
    Outcome {
        /// Sửa đổi, bổ sung, bãi bỏ within own competence.
        Amend = "amend" / "Sửa đổi, bổ sung, bãi bỏ",
        /// Kiến nghị cơ quan có thẩm quyền.
        Recommend = "recommend" / "Kiến nghị cơ quan có thẩm quyền",
        /// Ban hành hoặc đề xuất quy định mới.
        NewRule = "new_rule" / "Ban hành, đề xuất quy định mới",
        /// Giải thích quy định hiện hành: no change.
        NoChange = "no_change" / "Giải thích quy định hiện hành",
    }
}

/// An evaluation against the six criteria, each with a verdict and a note.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evaluation {
    /// Verdict and note per criterion (at most one entry per criterion).
    pub findings: Vec<(Criterion, Verdict, String)>,
}

impl Evaluation {
    /// True when all six criteria have a verdict.
    pub fn is_complete(&self) -> bool {
        Criterion::ALL
            .iter()
            .all(|c| self.findings.iter().any(|(k, _, _)| k == c))
    }
    /// True when at least one criterion is not met, i.e. the feedback is founded.
    pub fn is_founded(&self) -> bool {
        self.findings.iter().any(|(_, v, _)| *v == Verdict::NotMet)
    }
    /// The outcome the findings suggest: founded with own competence → amend, founded
    /// otherwise → recommend; unfounded → explain the current rule.
    pub fn suggested_outcome(&self, own_competence: bool) -> Outcome {
        match (self.is_founded(), own_competence) {
            (true, true) => Outcome::Amend,
            (true, false) => Outcome::Recommend,
            (false, _) => Outcome::NoChange,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eight_kinds_six_criteria_four_ways() {
        assert_eq!(ContentKind::ALL.len(), 8);
        assert_eq!(Criterion::ALL.len(), 6);
        assert_eq!(Classification::ALL.len(), 4);
        for k in ContentKind::ALL {
            assert_eq!(ContentKind::parse(k.as_str()), Some(*k));
        }
    }

    #[test]
    fn proposals_are_recommendations() {
        assert_eq!(
            ContentKind::Solution.feedback_type(),
            FeedbackType::Recommendation
        );
        assert_eq!(ContentKind::Illegal.feedback_type(), FeedbackType::Report);
        assert!(Classification::OutsideCompetence.requires_transfer());
        assert!(!Classification::WithinCompetence.requires_transfer());
    }

    #[test]
    fn evaluation_suggests_an_outcome() {
        let mut e = Evaluation::default();
        assert!(!e.is_complete());
        for c in Criterion::ALL {
            e.findings.push((*c, Verdict::Met, String::new()));
        }
        assert!(e.is_complete());
        assert_eq!(e.suggested_outcome(true), Outcome::NoChange);
        e.findings[2].1 = Verdict::NotMet;
        assert_eq!(e.suggested_outcome(true), Outcome::Amend);
        assert_eq!(e.suggested_outcome(false), Outcome::Recommend);
    }
}
