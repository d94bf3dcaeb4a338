//! "Thành phần hồ sơ": sections headed "Tên giấy tờ · Mẫu đơn, tờ khai · Số lượng", each
//! preceded by its label ("* Giấy tờ phải nộp:", "* Giấy tờ phải xuất trình:", "--", a case
//! name such as "Hồ sơ của người nhận con nuôi"), then rows of name · template file names ·
//! count ("1 bản chính", "0 bản chính,1 bản sao"), glued together.

use std::sync::LazyLock;

use regex::Regex;
use thutuc_domain::procedure::{DossierCase, DossierComponent, DossierMode};
use thutuc_domain::text::{clean, clean_inline, fold};

use super::{Issue, IssueCode, excerpt};
use crate::cells::{TEMPLATE_EXTENSIONS, parse_counts, split_file_names};

const HEADER_FIRST: &str = "Tên giấy tờ";
const HEADER_REST: [&str; 2] = ["Mẫu đơn, tờ khai", "Số lượng"];

static COUNT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\d+ bản chính(?:\s*,\s*\d+ bản sao)?|\d+ bản sao|bản chính:\s*\d+\s*bản sao:\s*\d+",
    )
    .unwrap_or_else(|e| panic!("static regex: {e}"))
});

/// Parses a flattened "Thành phần hồ sơ" table into cases of components.
pub fn parse_dossier(raw: &str) -> (Vec<DossierCase>, Vec<Issue>) {
    let text = clean(raw);
    let mut issues = Vec::new();
    let mut cases: Vec<DossierCase> = Vec::new();
    // (header start, body start) for each section.
    let mut heads: Vec<(usize, usize)> = Vec::new();
    for (i, _) in text.match_indices(HEADER_FIRST) {
        let mut end = i + HEADER_FIRST.len();
        for h in HEADER_REST {
            if text[end..].starts_with(h) {
                end += h.len();
            }
        }
        if end > i + HEADER_FIRST.len() {
            heads.push((i, end));
        }
    }
    if heads.is_empty() {
        if !crate::record::is_no_info(&text) {
            cases.push(DossierCase {
                name: String::new(),
                time: None,
                components: rows(&text, DossierMode::Submit, &mut issues).0,
            });
        }
        return (cases, issues);
    }
    let mut label = text[..heads[0].0].to_string();
    for (k, &(_, body_start)) in heads.iter().enumerate() {
        let body_end = heads.get(k + 1).map_or(text.len(), |h| h.0);
        let (case_name, mode) = interpret_label(&label);
        let (components, tail) = rows(&text[body_start..body_end], mode, &mut issues);
        let last = k + 1 == heads.len();
        let case = match cases.iter_mut().find(|c| c.name == case_name) {
            Some(c) => c,
            None => {
                cases.push(DossierCase {
                    name: case_name,
                    time: None,
                    components: Vec::new(),
                });
                let n = cases.len() - 1;
                &mut cases[n]
            }
        };
        case.components.extend(components);
        if last && !is_separator(&tail) {
            issues.push(Issue::new(
                IssueCode::CountMissing,
                "giấy tờ không có số lượng / document without a count",
                excerpt(&tail, 200),
            ));
            case.components.push(component(&tail, (0, 0), mode));
        }
        label = tail;
    }
    cases.retain(|c| !c.components.is_empty());
    (cases, issues)
}

fn is_separator(s: &str) -> bool {
    s.trim().trim_matches(['-', '*', ' ', ':']).is_empty()
}

/// Turns a section label into (case name, mode).
fn interpret_label(label: &str) -> (String, DossierMode) {
    let l = clean_inline(label.trim().trim_matches(['-', '*', ' ']));
    let l = l.trim_end_matches(':').trim().to_string();
    let f = fold(&l);
    if f.contains("phai xuat trinh") {
        (String::new(), DossierMode::Present)
    } else if f.contains("phai nop") || f.is_empty() {
        (String::new(), DossierMode::Submit)
    } else {
        (l, DossierMode::Submit)
    }
}

/// Splits a section body into components at each count; returns them and the trailing text.
fn rows(body: &str, mode: DossierMode, issues: &mut Vec<Issue>) -> (Vec<DossierComponent>, String) {
    let mut out = Vec::new();
    let mut prev = 0;
    for m in COUNT.find_iter(body) {
        let name = &body[prev..m.start()];
        prev = m.end();
        let counts = parse_counts(m.as_str()).unwrap_or((0, 0));
        if name.trim().is_empty() {
            issues.push(Issue::new(
                IssueCode::CountMissing,
                "số lượng không kèm tên giấy tờ / count without a name",
                m.as_str(),
            ));
            continue;
        }
        out.push(component(name, counts, mode));
    }
    (out, body[prev..].to_string())
}

fn component(text: &str, (originals, copies): (u32, u32), mode: DossierMode) -> DossierComponent {
    let (name, templates) = split_templates(text);
    DossierComponent {
        name: clean(&name),
        templates,
        originals,
        copies,
        required: true,
        mode,
        code: None,
    }
}

/// Separates the document name from glued template file names ("…luật sưMẫu TP-LS-05.docx").
pub fn split_templates(text: &str) -> (String, Vec<String>) {
    let lower = text.to_lowercase();
    // to_lowercase keeps byte offsets for the Vietnamese and ASCII letters used here only
    // when lengths match; otherwise fall back to no split.
    if lower.len() != text.len() {
        return (text.to_string(), Vec::new());
    }
    let first_ext = TEMPLATE_EXTENSIONS
        .iter()
        .filter_map(|e| lower.find(e))
        .min();
    let Some(ext_at) = first_ext else {
        return (text.to_string(), Vec::new());
    };
    let last_ext_end = TEMPLATE_EXTENSIONS
        .iter()
        .filter_map(|e| lower.rfind(e).map(|i| i + e.len()))
        .max()
        .unwrap_or(text.len());
    let start = glue_point(text, ext_at, false)
        .or_else(|| glue_point(text, ext_at, true))
        .unwrap_or_else(|| {
            text[..ext_at]
                .rfind(char::is_whitespace)
                .map_or(0, |i| i + 1)
        });
    let name = format!("{}{}", &text[..start], &text[last_ext_end.max(start)..]);
    let templates = split_file_names(&text[start..last_ext_end.max(start)]);
    (name, templates)
}

/// The closest position before `limit` where a capital letter or digit is glued to the end
/// of the previous text (lower-case letter, ";", ":", ")", and "." when `allow_dot`).
fn glue_point(text: &str, limit: usize, allow_dot: bool) -> Option<usize> {
    let mut prev: Option<char> = None;
    let mut best = None;
    for (i, c) in text[..limit].char_indices() {
        if let Some(p) = prev {
            let glued_prev =
                p.is_lowercase() || matches!(p, ';' | ':' | ')') || (allow_dot && p == '.');
            if glued_prev
                && (c.is_uppercase() || c.is_ascii_digit())
                && !(p.is_lowercase() && c.is_ascii_digit())
            {
                best = Some(i);
            }
        }
        prev = Some(c);
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_split_at_counts_and_templates_are_separated() {
        let (cases, issues) = parse_dossier(
            "--Tên giấy tờMẫu đơn, tờ khaiSố lượngĐơn đề nghị đăng ký hành nghề luật sưMẫu TP-LS-05-sđ.docx1 bản chínhBản sao Hợp đồng lao động0 bản chính,1 bản sao",
        );
        assert!(issues.is_empty(), "{issues:?}");
        let c = &cases[0].components;
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].name, "Đơn đề nghị đăng ký hành nghề luật sư");
        assert_eq!(c[0].templates, vec!["Mẫu TP-LS-05-sđ.docx"]);
        assert_eq!((c[1].originals, c[1].copies), (0, 1));
    }

    #[test]
    fn present_sections_set_the_mode() {
        let (cases, _) = parse_dossier(
            "* Giấy tờ phải nộp:Tên giấy tờMẫu đơn, tờ khaiSố lượngTờ khai1 bản chính* Giấy tờ phải xuất trình:Tên giấy tờMẫu đơn, tờ khaiSố lượngHộ chiếu1 bản chính",
        );
        assert_eq!(cases.len(), 1);
        assert_eq!(cases[0].components[1].mode, DossierMode::Present);
    }
}
