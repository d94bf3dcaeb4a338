//! Parsers for the plain-text fields every format shares: subjects, agencies, steps,
//! related procedures and levels.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use regex::Regex;
use thutuc_domain::procedure::{AgencyRef, Level, Step};
use thutuc_domain::text::{clean, clean_inline, fold};

use crate::record::{FieldProblem, is_no_info};

/// Splits on commas outside parentheses: "Tổ chức (không bao gồm doanh nghiệp, HTX), Hợp tác xã".
pub fn split_top_level(s: &str, seps: &[char]) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut cur = String::new();
    for c in s.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
        if depth == 0 && seps.contains(&c) {
            out.push(std::mem::take(&mut cur));
        } else {
            cur.push(c);
        }
    }
    out.push(cur);
    out.into_iter()
        .map(|p| clean_inline(&p))
        .filter(|p| !p.is_empty())
        .collect()
}

/// Đối tượng thực hiện: a comma-separated list.
pub fn subjects(s: &str) -> Vec<String> {
    if is_no_info(s) {
        Vec::new()
    } else {
        split_top_level(s, &[',', ';', '\n'])
    }
}

/// Agencies: one per line or semicolon (commas stay: "Ủy ban nhân dân xã, phường, thị trấn").
pub fn agencies(s: &str) -> Vec<AgencyRef> {
    if is_no_info(s) {
        return Vec::new();
    }
    split_top_level(s, &[';', '\n'])
        .into_iter()
        .filter(|n| !is_no_info(n))
        .map(|name| AgencyRef {
            name: name.trim_end_matches('.').to_string(),
            org_id: None,
        })
        .collect()
}

static STEP_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)(?:^\s*-\s+|^\s*Bước\s*\d+\s*[:.\-]?|(?:^|\s)Bước\s*\d+\s*:)")
        .unwrap_or_else(|e| panic!("static regex: {e}"))
});

static STEP_TITLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^Bước\s*\d+").unwrap_or_else(|e| panic!("static regex: {e}")));

/// Trình tự thực hiện: a new step starts at a line beginning with "- " or at "Bước N".
pub fn steps(s: &str) -> Vec<Step> {
    let text = clean(s);
    if is_no_info(&text) {
        return Vec::new();
    }
    let mut cuts: Vec<usize> = STEP_START.find_iter(&text).map(|m| m.start()).collect();
    if cuts.first() != Some(&0) {
        cuts.insert(0, 0);
    }
    cuts.dedup();
    let mut out = Vec::new();
    for (k, &start) in cuts.iter().enumerate() {
        let end = cuts.get(k + 1).copied().unwrap_or(text.len());
        let chunk = text[start..end].trim();
        let chunk = chunk.strip_prefix("- ").unwrap_or(chunk).trim();
        if chunk.is_empty() {
            continue;
        }
        let (title, description) = match STEP_TITLE.find(chunk) {
            Some(m) => (
                m.as_str().to_string(),
                chunk[m.end()..]
                    .trim_start_matches([':', '.', '-', ' '])
                    .to_string(),
            ),
            None => (String::new(), chunk.to_string()),
        };
        out.push(Step { title, description });
    }
    out
}

static CODE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b\d\.\d{6}\b").unwrap_or_else(|e| panic!("static regex: {e}")));

/// Thủ tục liên quan: the TTHC codes mentioned.
pub fn related_codes(s: &str) -> Vec<String> {
    let mut seen = BTreeSet::new();
    CODE.find_iter(s)
        .map(|m| m.as_str().to_string())
        .filter(|c| seen.insert(c.clone()))
        .collect()
}

/// Cấp thực hiện; unknown parts become a problem on `field`.
pub fn levels(s: &str, field: &str, problems: &mut Vec<FieldProblem>) -> BTreeSet<Level> {
    let (set, unknown) = Level::parse_set(s);
    for u in unknown {
        problems.push(FieldProblem {
            field: field.into(),
            message: "cấp thực hiện không rõ / unknown level".into(),
            original: u,
        });
    }
    set
}

/// Whether "loại thủ tục" marks an internal procedure (TTHC nội bộ).
pub fn is_internal_type(s: &str) -> bool {
    fold(s).contains("noi bo")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_split_outside_parentheses() {
        assert_eq!(
            subjects("Doanh nghiệp, Tổ chức (không bao gồm doanh nghiệp, HTX), Hợp tác xã"),
            vec![
                "Doanh nghiệp",
                "Tổ chức (không bao gồm doanh nghiệp, HTX)",
                "Hợp tác xã"
            ]
        );
    }

    #[test]
    fn steps_split_on_dashes_and_buoc() {
        let s = steps("Bước 1: Nộp hồ sơ. Bước 2: Thẩm định.");
        assert_eq!(s.len(), 2);
        assert_eq!(s[1].title, "Bước 2");
        assert_eq!(steps("- Một\n- Hai\ntiếp").len(), 2);
    }
}
