//! Format `csdl-xlsx`: the CSDLQG "DANH SÁCH THỦ TỤC HÀNH CHÍNH" list export. Sheet "Danh
//! sách TTHC" (or the first sheet), a merged title row, a header row located by its labels
//! (accent-insensitive), then one procedure per row. Rows are list-only records
//! ([`DetailLevel::ListOnly`]): they never carry channels, dossier or legal bases.
//!
//! calamine loads one sheet's cell range at a time; list exports are a few thousand rows, so
//! this is bounded by the sheet, not by the workbook.

use std::io::{Read, Seek};
use std::path::Path;

use calamine::{Data, Range, Reader, Xlsx, open_workbook_from_rs};
use thutuc_domain::ProcedureContent;
use thutuc_domain::procedure::ProcedureKind;
use thutuc_domain::text::{clean, match_key};

use crate::record::{
    DetailLevel, DuplicateGuard, ParsedRecord, Rejection, informative, parse_code,
};
use crate::{ImportError, text_fields};

/// The sheet name of the export.
pub const SHEET: &str = "Danh sách TTHC";

/// Expected header labels, in Vietnamese as exported.
pub const COLUMNS: [&str; 5] = [
    "Mã số",
    "Tên",
    "Cơ quan ban hành",
    "Cơ quan thực hiện",
    "Lĩnh vực",
];

/// Opens an xlsx list export and returns its records. The header row is searched in the
/// first 20 rows; a missing header is an error naming the file and the expected columns.
pub fn read_csdl_xlsx(
    path: impl AsRef<Path>,
) -> Result<Vec<Result<ParsedRecord, Rejection>>, ImportError> {
    let path = path.as_ref();
    let name = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|source| ImportError::Io {
        path: name.clone(),
        source,
    })?;
    read_csdl_xlsx_from(std::io::BufReader::new(file), &name)
}

/// Like [`read_csdl_xlsx`] for any seekable reader; `name` is used in errors.
pub fn read_csdl_xlsx_from<R: Read + Seek>(
    reader: R,
    name: &str,
) -> Result<Vec<Result<ParsedRecord, Rejection>>, ImportError> {
    let sheet_err = |message: String| ImportError::Sheet {
        path: name.to_string(),
        message,
    };
    let mut wb: Xlsx<R> = open_workbook_from_rs(reader)
        .map_err(|e| sheet_err(format!("không mở được xlsx / not an xlsx file: {e}")))?;
    let sheets = wb.sheet_names();
    let sheet = sheets
        .iter()
        .find(|s| match_key(s) == match_key(SHEET))
        .or_else(|| sheets.first())
        .cloned()
        .ok_or_else(|| sheet_err("không có trang tính nào / no sheet".into()))?;
    let range = wb
        .worksheet_range(&sheet)
        .map_err(|e| sheet_err(format!("không đọc được trang «{sheet}»: {e}")))?;
    parse_range(&range, name)
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
        other => other.to_string(),
    }
}

/// Spreadsheet column letters for a 0-based index (0 → A, 26 → AA).
pub fn column_letter(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.reverse();
    String::from_utf8_lossy(&s).into_owned()
}

fn parse_range(
    range: &Range<Data>,
    name: &str,
) -> Result<Vec<Result<ParsedRecord, Rejection>>, ImportError> {
    let (row0, col0) = range
        .start()
        .map_or((0, 0), |(r, c)| (r as usize, c as usize));
    let wanted: Vec<String> = COLUMNS.iter().map(|c| match_key(c)).collect();
    let mut header = None;
    for (i, row) in range.rows().enumerate().take(20) {
        let keys: Vec<String> = row.iter().map(|c| match_key(&cell_text(c))).collect();
        let idx: Vec<Option<usize>> = wanted
            .iter()
            .map(|w| keys.iter().position(|k| k == w))
            .collect();
        if idx.iter().all(Option::is_some) {
            header = Some((i, idx.into_iter().flatten().collect::<Vec<_>>()));
            break;
        }
    }
    let Some((hrow, idx)) = header else {
        return Err(ImportError::MissingHeader {
            path: name.to_string(),
            expected: COLUMNS.join(" | "),
        });
    };
    let mut guard = DuplicateGuard::default();
    let mut out = Vec::new();
    for (i, row) in range.rows().enumerate().skip(hrow + 1) {
        let line = row0 + i + 1;
        let get = |k: usize| row.get(idx[k]).map(cell_text).unwrap_or_default();
        if row.iter().all(|c| cell_text(c).trim().is_empty()) {
            continue;
        }
        let raw_code = get(0);
        let at = |k: usize| format!("{}{line}", column_letter(col0 + idx[k]));
        let parsed = parse_code(&raw_code, "Mã số").map_err(|reason| Rejection {
            line,
            code: Some(raw_code.clone()),
            field: COLUMNS[0].into(),
            column: Some(at(0)),
            reason,
        });
        let rec = parsed.and_then(|(code, repair)| {
            let mut c = ProcedureContent {
                name: get(1),
                executing_agency: text_fields::agencies(&get(3)),
                sector: informative(&get(4)),
                ..Default::default()
            };
            for (k, label) in COLUMNS.iter().enumerate() {
                let v = clean(&get(k));
                if !v.is_empty() {
                    c.source_text.insert((*label).to_string(), v);
                }
            }
            c.normalise();
            let mut problems: Vec<_> = repair.into_iter().collect();
            for p in &mut problems {
                p.field = format!("{} ({})", COLUMNS[0], at(0));
            }
            let rec = ParsedRecord {
                line,
                code,
                kind: ProcedureKind::External,
                decision_no: None,
                publisher_hint: Some(clean(&get(2))).filter(|s| !s.is_empty()),
                content: c,
                problems,
                detail: DetailLevel::ListOnly,
            };
            guard.filter(rec).map_err(|mut r| {
                r.column = Some(at(0));
                r
            })
        });
        out.push(rec);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_follow_spreadsheet_naming() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(1), "B");
        assert_eq!(column_letter(26), "AA");
    }
}
