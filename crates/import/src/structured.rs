//! Format `structured`: procedures parsed from the official "ChiTietTTHC_<code>.doc"
//! exports, with Vietnamese keys (`metadata.mã_thủ_tục`) and tables as arrays of rows whose
//! cells are still free text ("30 Ngày làm việc", "Phí : 0 Đồng", "Bản chính: 1\nBản sao: 0").
//! The cells go through the same parsers as the portal pages ([`crate::cells`]).
//!
//! In the real exports the dossier columns are shifted (`so_luong` holds template file names,
//! `ghi_chu` the counts), so each cell is recognised by its content, not its key.

use std::io::BufRead;

use serde_json::Value;
use thutuc_domain::ProcedureContent;
use thutuc_domain::codes::normalize_doc_number;
use thutuc_domain::procedure::{
    Channel, ChannelMethod, DossierCase, DossierComponent, LegalBasis, ProcedureKind, ResultDoc,
};
use thutuc_domain::text::{clean, fold};

use crate::cells::{parse_counts, parse_fee_cell, parse_time_cell, split_file_names};
use crate::jsonl::{JsonLines, str_field};
use crate::record::{
    DetailLevel, DuplicateGuard, FieldProblem, ParsedRecord, Rejection, clean_decision_no,
    informative, parse_code,
};
use crate::tables::IssueCode;
use crate::text_fields;

/// Streams structured exports (JSON Lines) as records.
pub fn read_structured<R: BufRead>(
    reader: R,
) -> impl Iterator<Item = Result<ParsedRecord, Rejection>> {
    let mut guard = DuplicateGuard::default();
    JsonLines::new(reader).map(move |(line, v)| {
        v.and_then(|v| parse_structured(line, &v))
            .and_then(|r| guard.filter(r))
    })
}

fn rows<'a>(v: &'a Value, table: &str) -> &'a [Value] {
    v.get("tables")
        .and_then(|t| t.get(table))
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// Parses one structured object.
pub fn parse_structured(line: usize, v: &Value) -> Result<ParsedRecord, Rejection> {
    let meta = v.get("metadata").unwrap_or(&Value::Null);
    let content = v.get("content").unwrap_or(&Value::Null);
    let raw_code = [str_field(meta, "mã_thủ_tục"), str_field(v, "thu_tuc_id")]
        .into_iter()
        .find(|s| !s.is_empty())
        .unwrap_or("");
    let (code, repair) = parse_code(raw_code, "mã_thủ_tục").map_err(|reason| Rejection {
        line,
        code: Some(raw_code.to_string()),
        field: "mã_thủ_tục".into(),
        column: None,
        reason,
    })?;
    let mut problems: Vec<FieldProblem> = repair.into_iter().collect();
    let t = |k: &str| str_field(content, k);
    let mut c = ProcedureContent {
        name: str_field(meta, "tên_thủ_tục").to_string(),
        description: informative(t("mô_tả")),
        procedure_type: informative(str_field(meta, "loại_thủ_tục")),
        sector: informative(str_field(meta, "lĩnh_vực")),
        subjects: text_fields::subjects(t("đối_tượng_thực_hiện")),
        executing_agency: text_fields::agencies(t("cơ_quan_thực_hiện")),
        competent_authority: text_fields::agencies(t("cơ_quan_có_thẩm_quyền")),
        authorised_agency: text_fields::agencies(t("cơ_quan_được_ủy_quyền")),
        coordinating_agency: text_fields::agencies(t("cơ_quan_phối_hợp")),
        receiving_address: informative(t("địa_chỉ_tiếp_nhận_hs")),
        steps: text_fields::steps(t("trình_tự_thực_hiện")),
        requirements: informative(t("yêu_cầu_điều_kiện_thực_hiện")),
        ..Default::default()
    };
    let result = informative(t("kết_quả_thực_hiện"));
    if !result.is_empty() {
        c.results.push(ResultDoc {
            name: result,
            kq_code: None,
        });
    }
    c.levels = text_fields::levels(
        str_field(meta, "cấp_thực_hiện"),
        "cấp_thực_hiện",
        &mut problems,
    );
    for (i, row) in rows(v, "hinh_thuc_nop").iter().enumerate() {
        if let Some(ch) = channel(i, row, &mut problems) {
            c.channels.push(ch);
        }
    }
    let components: Vec<DossierComponent> =
        rows(v, "thanh_phan_ho_so").iter().map(component).collect();
    if !components.is_empty() {
        c.dossier.push(DossierCase {
            name: String::new(),
            time: None,
            components,
        });
    }
    c.legal_bases = rows(v, "can_cu_phap_ly").iter().map(legal_basis).collect();
    for (k, val) in content
        .as_object()
        .into_iter()
        .flatten()
        .chain(meta.as_object().into_iter().flatten())
    {
        if let Some(s) = val.as_str().filter(|s| !s.is_empty()) {
            c.source_text.insert(k.clone(), clean(s));
        }
    }
    if let Some(tables) = v.get("tables") {
        c.source_text.insert("tables".into(), tables.to_string());
    }
    let kind = if text_fields::is_internal_type(str_field(meta, "loại_thủ_tục")) {
        ProcedureKind::Internal
    } else {
        ProcedureKind::External
    };
    c.normalise();
    Ok(ParsedRecord {
        line,
        code,
        kind,
        decision_no: clean_decision_no(str_field(meta, "số_quyết_định")),
        publisher_hint: Some(str_field(v, "source_file").to_string()).filter(|s| !s.is_empty()),
        content: c,
        problems,
        detail: DetailLevel::Full,
    })
}

fn method(s: &str) -> Option<ChannelMethod> {
    let f = fold(s);
    if f.contains("truc tuyen") {
        Some(ChannelMethod::Online)
    } else if f.contains("buu chinh") || f.contains("buu dien") {
        Some(ChannelMethod::Postal)
    } else if f.contains("truc tiep") {
        Some(ChannelMethod::Direct)
    } else {
        None
    }
}

fn channel(i: usize, row: &Value, problems: &mut Vec<FieldProblem>) -> Option<Channel> {
    let field = format!("hinh_thuc_nop[{i}]");
    let m = str_field(row, "hinh_thuc");
    let Some(method) = method(m) else {
        problems.push(FieldProblem {
            field,
            message: "hình thức nộp không rõ / unknown method".into(),
            original: m.into(),
        });
        return None;
    };
    let time_cell = str_field(row, "thoi_han_giai_quyet");
    let mut description = str_field(row, "mo_ta").to_string();
    let time = match parse_time_cell(time_cell) {
        Ok(t) => {
            if t.as_ref()
                .is_some_and(|d| d.unit == thutuc_domain::procedure::TimeUnit::Unknown)
            {
                let message = format!(
                    "{}: thời hạn không có đơn vị / time without unit",
                    IssueCode::UnitUnknown.as_str()
                );
                problems.push(FieldProblem {
                    field: field.clone(),
                    message,
                    original: time_cell.into(),
                });
            }
            t
        }
        Err(msg) => {
            let message = format!("{}: {msg}", IssueCode::TimeUnparsed.as_str());
            problems.push(FieldProblem {
                field: field.clone(),
                message,
                original: time_cell.into(),
            });
            // Free-text limits ("Chậm nhất là ngay trước khi tàu rời cảng") stay readable.
            description = format!("Thời hạn: {}\n{description}", time_cell.trim())
                .trim()
                .to_string();
            None
        }
    };
    let fee_cell = str_field(row, "phi_le_phi");
    let (fees, fee_problem) = parse_fee_cell(fee_cell);
    if let Some(msg) = fee_problem {
        let message = format!("{}: {msg}", IssueCode::FeeUnparsed.as_str());
        problems.push(FieldProblem {
            field,
            message,
            original: fee_cell.into(),
        });
    }
    Some(Channel {
        method,
        time,
        fees,
        description,
    })
}

fn component(row: &Value) -> DossierComponent {
    let mut templates = Vec::new();
    let mut counts = None;
    for key in ["so_luong", "ghi_chu"] {
        let cell = str_field(row, key);
        if cell.trim().is_empty() {
            continue;
        }
        match parse_counts(cell) {
            Some(n) if counts.is_none() => counts = Some(n),
            _ => templates.extend(split_file_names(cell)),
        }
    }
    let (originals, copies) = counts.unwrap_or((0, 0));
    DossierComponent {
        name: str_field(row, "ten_giay_to").to_string(),
        templates,
        originals,
        copies,
        required: true,
        mode: Default::default(),
        code: None,
    }
}

fn legal_basis(row: &Value) -> LegalBasis {
    let number_cell = str_field(row, "so_ky_hieu");
    let title = str_field(row, "trich_yeu");
    let number = doc_number_in(number_cell).or_else(|| doc_number_in(title));
    LegalBasis {
        number,
        title: if title.is_empty() {
            number_cell.to_string()
        } else {
            title.to_string()
        },
        article: None,
    }
}

/// The first document number in a text ("Thông tư số 67/2024/TT-BQP", "số 25/2004/QH11").
fn doc_number_in(s: &str) -> Option<String> {
    normalize_doc_number(s).or_else(|| {
        s.split_whitespace()
            .filter(|w| w.contains('/') && w.starts_with(|c: char| c.is_ascii_digit()))
            .find_map(|w| normalize_doc_number(w.trim_end_matches([',', '.', ';', ':', ')'])))
    })
}
