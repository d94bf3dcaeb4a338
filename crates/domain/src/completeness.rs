//! Completeness check against Decree 63/2010/NĐ-CP Art 8(2) (as amended by 92/2017/NĐ-CP):
//! items (a)–(g) are always required; (h) items when applicable. "Không có thông tin" counts as
//! missing. Feeds the 766 indicator 1.3 later.

use serde::{Deserialize, Serialize};

use crate::procedure::ProcedureContent;

/// One missing or weak component.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// Letter of Art 8(2): "a", "b", … "h".
    pub item: String,
    /// Component label in Vietnamese.
    pub component: String,
    /// What is wrong, in Vietnamese.
    pub problem: String,
    /// Required (a–g) or only a warning (h).
    pub required: bool,
}

/// The report for one version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompletenessReport {
    /// True when no required component is missing.
    pub complete: bool,
    /// Findings, required first.
    pub findings: Vec<Finding>,
}

fn missing(s: &str) -> bool {
    let k = crate::text::match_key(s);
    k.is_empty() || k == "khongcothongtin" || k == "khongquydinh"
}

/// Checks a version's content.
pub fn check(c: &ProcedureContent) -> CompletenessReport {
    let mut f = Vec::new();
    let mut add = |item: &str, component: &str, problem: &str, required: bool| {
        f.push(Finding {
            item: item.into(),
            component: component.into(),
            problem: problem.into(),
            required,
        });
    };
    if missing(&c.name) {
        add("a", "Tên thủ tục", "Thiếu tên thủ tục", true);
    }
    if c.steps.iter().all(|s| missing(&s.description)) {
        add("b", "Trình tự thực hiện", "Thiếu trình tự thực hiện", true);
    }
    if c.channels.is_empty() {
        add(
            "c",
            "Cách thức thực hiện",
            "Thiếu cách thức thực hiện",
            true,
        );
    }
    if c.dossier.iter().all(|case| case.components.is_empty()) {
        add(
            "d",
            "Thành phần, số lượng hồ sơ",
            "Thiếu thành phần hồ sơ",
            true,
        );
    }
    let has_time = c.channels.iter().any(|ch| ch.time.is_some())
        || c.dossier.iter().any(|cs| cs.time.is_some());
    if !has_time {
        add(
            "đ",
            "Thời hạn giải quyết",
            "Thiếu thời hạn giải quyết",
            true,
        );
    } else if c
        .channels
        .iter()
        .filter_map(|ch| ch.time.as_ref())
        .any(|t| t.unit == crate::procedure::TimeUnit::Unknown)
    {
        add(
            "đ",
            "Thời hạn giải quyết",
            "Thời hạn không rõ đơn vị (ngày làm việc hay ngày)",
            true,
        );
    }
    if c.subjects.iter().all(|s| missing(s)) {
        add(
            "e",
            "Đối tượng thực hiện",
            "Thiếu đối tượng thực hiện",
            true,
        );
    }
    if c.executing_agency.iter().all(|a| missing(&a.name))
        && c.competent_authority.iter().all(|a| missing(&a.name))
    {
        add("g", "Cơ quan thực hiện", "Thiếu cơ quan thực hiện", true);
    }
    if c.results.iter().all(|r| missing(&r.name)) {
        add("h", "Kết quả thực hiện", "Chưa có kết quả thực hiện", false);
    }
    if c.channels.iter().all(|ch| ch.fees.is_empty()) {
        add(
            "h",
            "Phí, lệ phí",
            "Chưa ghi phí, lệ phí (ghi «Không» nếu miễn phí)",
            false,
        );
    }
    if c.legal_bases.is_empty() {
        add("h", "Căn cứ pháp lý", "Thiếu căn cứ pháp lý", false);
    }
    f.sort_by_key(|x| !x.required);
    CompletenessReport {
        complete: !f.iter().any(|x| x.required),
        findings: f,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_version_misses_every_required_component() {
        let r = check(&ProcedureContent::default());
        assert!(!r.complete);
        let items: Vec<_> = r
            .findings
            .iter()
            .filter(|f| f.required)
            .map(|f| f.item.as_str())
            .collect();
        assert_eq!(items, vec!["a", "b", "c", "d", "đ", "e", "g"]);
    }

    #[test]
    fn khong_co_thong_tin_counts_as_missing() {
        let c = ProcedureContent {
            name: "Không có thông tin".into(),
            ..Default::default()
        };
        assert!(check(&c).findings.iter().any(|f| f.item == "a"));
    }
}
