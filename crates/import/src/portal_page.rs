//! Format `portal-page`: scraped national-portal detail pages, one JSON object of string
//! fields per line (`ma_thu_tuc`, `cach_thuc_thuc_hien`, …), tables flattened into text.

use std::io::BufRead;

use serde_json::Value;
use thutuc_domain::ProcedureContent;
use thutuc_domain::procedure::ProcedureKind;
use thutuc_domain::text::clean;

use crate::jsonl::{JsonLines, str_field};
use crate::record::{
    DetailLevel, DuplicateGuard, ParsedRecord, Rejection, clean_decision_no, informative,
    parse_code,
};
use crate::{tables, text_fields};

/// Every string field of a portal page, kept verbatim in `content.source_text`.
const FIELDS: [&str; 22] = [
    "source_folder",
    "ma_thu_tuc",
    "detail_url",
    "ten_thu_tuc",
    "so_quyet_dinh",
    "cap_thuc_hien",
    "loai_thu_tuc",
    "linh_vuc",
    "doi_tuong_thuc_hien",
    "co_quan_co_tham_quyen",
    "dia_chi_tiep_nhan",
    "co_quan_duoc_uy_quyen",
    "co_quan_phoi_hop",
    "thu_tuc_lien_quan",
    "trinh_tu_thuc_hien",
    "cach_thuc_thuc_hien",
    "thanh_phan_ho_so",
    "can_cu_phap_ly",
    "co_quan_thuc_hien",
    "yeu_cau_dieu_kien",
    "ket_qua_xu_ly",
    "formality_id",
];

/// Streams portal detail pages (JSON Lines) as records.
pub fn read_portal_pages<R: BufRead>(
    reader: R,
) -> impl Iterator<Item = Result<ParsedRecord, Rejection>> {
    let mut guard = DuplicateGuard::default();
    JsonLines::new(reader).map(move |(line, v)| {
        v.and_then(|v| parse_page(line, &v))
            .and_then(|r| guard.filter(r))
    })
}

/// Parses one page object.
pub fn parse_page(line: usize, v: &Value) -> Result<ParsedRecord, Rejection> {
    if !v.is_object() {
        return Err(Rejection::new(
            line,
            "json",
            "dòng không phải đối tượng JSON / not a JSON object",
        ));
    }
    let raw_code = str_field(v, "ma_thu_tuc");
    let (code, repair) = parse_code(raw_code, "ma_thu_tuc").map_err(|reason| Rejection {
        line,
        code: Some(raw_code.to_string()),
        field: "ma_thu_tuc".into(),
        column: None,
        reason,
    })?;
    let mut problems: Vec<_> = repair.into_iter().collect();
    let f = |k: &str| str_field(v, k);
    let mut c = ProcedureContent {
        name: f("ten_thu_tuc").to_string(),
        procedure_type: informative(f("loai_thu_tuc")),
        sector: informative(f("linh_vuc")),
        subjects: text_fields::subjects(f("doi_tuong_thuc_hien")),
        competent_authority: text_fields::agencies(f("co_quan_co_tham_quyen")),
        executing_agency: text_fields::agencies(f("co_quan_thuc_hien")),
        authorised_agency: text_fields::agencies(f("co_quan_duoc_uy_quyen")),
        coordinating_agency: text_fields::agencies(f("co_quan_phoi_hop")),
        receiving_address: informative(f("dia_chi_tiep_nhan")),
        steps: text_fields::steps(f("trinh_tu_thuc_hien")),
        requirements: informative(f("yeu_cau_dieu_kien")),
        related: text_fields::related_codes(f("thu_tuc_lien_quan")),
        results: tables::parse_results(f("ket_qua_xu_ly")),
        ..Default::default()
    };
    c.levels = text_fields::levels(f("cap_thuc_hien"), "cap_thuc_hien", &mut problems);
    let (channels, issues) = tables::parse_channels(f("cach_thuc_thuc_hien"));
    c.channels = channels;
    problems.extend(
        issues
            .into_iter()
            .map(|i| i.into_problem("cach_thuc_thuc_hien")),
    );
    let (dossier, issues) = tables::parse_dossier(f("thanh_phan_ho_so"));
    c.dossier = dossier;
    problems.extend(
        issues
            .into_iter()
            .map(|i| i.into_problem("thanh_phan_ho_so")),
    );
    let (bases, issues) = tables::parse_legal_bases(f("can_cu_phap_ly"));
    c.legal_bases = bases;
    problems.extend(issues.into_iter().map(|i| i.into_problem("can_cu_phap_ly")));
    for k in FIELDS {
        let s = f(k);
        if !s.is_empty() {
            c.source_text.insert(k.to_string(), clean(s));
        }
    }
    let kind = if text_fields::is_internal_type(f("loai_thu_tuc")) {
        ProcedureKind::Internal
    } else {
        ProcedureKind::External
    };
    c.normalise();
    Ok(ParsedRecord {
        line,
        code,
        kind,
        decision_no: clean_decision_no(f("so_quyet_dinh")),
        publisher_hint: Some(f("source_folder").to_string()).filter(|s| !s.is_empty()),
        content: c,
        problems,
        detail: DetailLevel::Full,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_lines_and_bad_codes_are_rejected_and_reading_continues() {
        let input = "{\"ma_thu_tuc\":\"1.000080\",\"ten_thu_tuc\":\"A\"}\nnot json\n{\"ma_thu_tuc\":\"1.0\"}\n{\"ma_thu_tuc\":\"1.000080\"}\n{\"ma_thu_tuc\":\"2.000908.00 0.00.00.H61\"}\n";
        let out: Vec<_> = read_portal_pages(input.as_bytes()).collect();
        assert_eq!(out.len(), 5);
        assert!(out[0].is_ok());
        assert!(matches!(&out[1], Err(r) if r.line == 2 && r.field == "json"));
        assert!(matches!(&out[2], Err(r) if r.line == 3 && r.field == "ma_thu_tuc"));
        assert!(matches!(&out[3], Err(r) if r.reason.contains("mã trùng với dòng 1")));
        assert!(
            matches!(&out[4], Ok(r) if r.code.as_str() == "2.000908" && !r.problems.is_empty())
        );
    }
}
