//! The flat (one row per procedure) layout of the own CSV and XLSX formats: the column list,
//! and the encoding of an [`OwnRecord`] into cells and back. Writer and reader both use this
//! module, which is what makes the round trip exact.

use serde_json::{Map, Value};
use thutuc_domain::TthcCode;
use thutuc_domain::procedure::{ProcedureContent, ProcedureKind};
use thutuc_domain::version::VersionStatus;

use super::OwnRecord;

/// How a column's cell is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    /// Procedure or version metadata (code, kind, owner, seq, status, dates, decision).
    Meta,
    /// A text field of the content, written as is (may be empty).
    Text,
    /// An optional text field: empty cell means absent.
    OptText,
    /// A list, object, number or flag, written as compact JSON; empty cell means the default.
    Json,
}

/// One column of the flat layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// Header label and field name (`code`, `channels` …).
    pub key: &'static str,
    /// The Vietnamese name of the field, for documentation.
    pub label_vi: &'static str,
    /// Cell encoding.
    pub kind: ColumnKind,
}

const fn col(key: &'static str, label_vi: &'static str, kind: ColumnKind) -> Column {
    Column {
        key,
        label_vi,
        kind,
    }
}

use ColumnKind::{Json, Meta, OptText, Text};

/// Every column, in order. The first eight are metadata, the rest are the fields of
/// [`ProcedureContent`] in declaration order.
pub const COLUMNS: [Column; 29] = [
    col("code", "Mã thủ tục", Meta),
    col("kind", "Loại (external / internal)", Meta),
    col("owner_org", "Cơ quan quản lý (mã)", Meta),
    col("seq", "Phiên bản số", Meta),
    col("status", "Trạng thái phiên bản", Meta),
    col("valid_from", "Hiệu lực từ", Meta),
    col("valid_to", "Hiệu lực đến", Meta),
    col("decision_no", "Số quyết định công bố", Meta),
    col("name", "Tên thủ tục", Text),
    col("description", "Mô tả", Text),
    col("levels", "Cấp thực hiện", Json),
    col("procedure_type", "Loại thủ tục", Text),
    col("sector", "Lĩnh vực", Text),
    col("sector_id", "Mã lĩnh vực", OptText),
    col("subjects", "Đối tượng thực hiện", Json),
    col("competent_authority", "Cơ quan có thẩm quyền", Json),
    col("executing_agency", "Cơ quan thực hiện", Json),
    col("authorised_agency", "Cơ quan được ủy quyền", Json),
    col("coordinating_agency", "Cơ quan phối hợp", Json),
    col("receiving_address", "Địa chỉ tiếp nhận hồ sơ", Text),
    col("steps", "Trình tự thực hiện", Json),
    col("channels", "Cách thức thực hiện (thời hạn, phí)", Json),
    col("dossier", "Thành phần hồ sơ", Json),
    col("results", "Kết quả thực hiện", Json),
    col("requirements", "Yêu cầu, điều kiện", Text),
    col("legal_bases", "Căn cứ pháp lý", Json),
    col("related", "Thủ tục liên quan", Json),
    col(
        "non_territorial",
        "Không phụ thuộc địa giới hành chính",
        Json,
    ),
    col("source_text", "Văn bản gốc theo trường", Json),
];

/// Header of the first cell after the fixed columns in XLSX: continuation cells follow it.
pub const CONTINUATION_HEADER: &str = "continuation";

/// Excel's limit on the characters of one cell.
pub const XLSX_CELL_MAX: usize = 32_767;

/// A record that cannot be turned into cells or back.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{reason}")]
pub struct CellError {
    /// Index into [`COLUMNS`] of the offending cell, when known.
    pub column: Option<usize>,
    /// Why, in Vietnamese and English.
    pub reason: String,
}

impl CellError {
    fn at(column: usize, reason: impl Into<String>) -> Self {
        Self {
            column: Some(column),
            reason: reason.into(),
        }
    }
}

fn date_cell(d: Option<chrono::NaiveDate>) -> String {
    d.map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// Encodes a record as one cell per column of [`COLUMNS`].
pub fn to_cells(rec: &OwnRecord) -> Result<Vec<String>, CellError> {
    let mut map = match serde_json::to_value(&rec.content) {
        Ok(Value::Object(m)) => m,
        Ok(_) | Err(_) => {
            return Err(CellError {
                column: None,
                reason: format!("{}: nội dung không tuần tự hóa được / content", rec.code),
            });
        }
    };
    let mut out = Vec::with_capacity(COLUMNS.len());
    for c in &COLUMNS {
        let cell = match (c.key, c.kind) {
            ("code", _) => rec.code.as_str().to_string(),
            ("kind", _) => rec.kind.as_str().to_string(),
            ("owner_org", _) => rec.owner_org.clone(),
            ("seq", _) => rec.seq.to_string(),
            ("status", _) => rec.status.as_str().to_string(),
            ("valid_from", _) => date_cell(rec.valid_from),
            ("valid_to", _) => date_cell(rec.valid_to),
            ("decision_no", _) => rec.decision_no.clone().unwrap_or_default(),
            (key, Text | OptText) => match map.remove(key) {
                Some(Value::String(s)) => s,
                _ => String::new(),
            },
            (key, _) => map.remove(key).map(|v| v.to_string()).unwrap_or_default(),
        };
        out.push(cell);
    }
    if let Some(key) = map.keys().next() {
        return Err(CellError {
            column: None,
            reason: format!(
                "trường nội dung «{key}» chưa có cột trong định dạng phẳng / content field has no column"
            ),
        });
    }
    Ok(out)
}

fn parse_date(i: usize, s: &str) -> Result<Option<chrono::NaiveDate>, CellError> {
    if s.trim().is_empty() {
        return Ok(None);
    }
    chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map(Some)
        .map_err(|_| CellError::at(i, format!("ngày «{s}» phải có dạng YYYY-MM-DD / bad date")))
}

/// Decodes one row; `cells[i]` is the cell of `COLUMNS[i]` ("" when missing).
pub fn from_cells(cells: &[String]) -> Result<OwnRecord, CellError> {
    let get = |i: usize| cells.get(i).map(String::as_str).unwrap_or("");
    let code = TthcCode::parse(get(0)).map_err(|e| CellError::at(0, e.to_string()))?;
    let kind = ProcedureKind::parse(get(1).trim()).ok_or_else(|| {
        CellError::at(1, format!("loại «{}»: dùng external hoặc internal", get(1)))
    })?;
    let owner_org = get(2).trim().to_string();
    if owner_org.is_empty() {
        return Err(CellError::at(
            2,
            "thiếu cơ quan quản lý / missing owner_org",
        ));
    }
    let seq = get(3)
        .trim()
        .parse::<i64>()
        .map_err(|_| CellError::at(3, format!("số phiên bản «{}» không hợp lệ", get(3))))?;
    let status = VersionStatus::parse(get(4).trim())
        .ok_or_else(|| CellError::at(4, format!("trạng thái «{}» không hợp lệ", get(4))))?;
    let valid_from = parse_date(5, get(5))?;
    let valid_to = parse_date(6, get(6))?;
    let decision_no = Some(get(7).to_string()).filter(|s| !s.trim().is_empty());
    let mut map = Map::new();
    for (i, c) in COLUMNS.iter().enumerate().skip(8) {
        let cell = get(i);
        match c.kind {
            Meta => {}
            Text => {
                map.insert(c.key.into(), Value::String(cell.to_string()));
            }
            OptText if !cell.is_empty() => {
                map.insert(c.key.into(), Value::String(cell.to_string()));
            }
            Json if !cell.trim().is_empty() => {
                let v = serde_json::from_str::<Value>(cell).map_err(|e| {
                    CellError::at(i, format!("JSON không hợp lệ / invalid JSON: {e}"))
                })?;
                map.insert(c.key.into(), v);
            }
            OptText | Json => {}
        }
    }
    let content = content_from_map(map)?;
    Ok(OwnRecord {
        code,
        kind,
        owner_org,
        seq,
        status,
        valid_from,
        valid_to,
        decision_no,
        content,
    })
}

/// Deserialises the content; on failure finds the column whose value has the wrong shape.
fn content_from_map(map: Map<String, Value>) -> Result<ProcedureContent, CellError> {
    match serde_json::from_value::<ProcedureContent>(Value::Object(map.clone())) {
        Ok(c) => Ok(c),
        Err(e) => {
            for (i, c) in COLUMNS.iter().enumerate().skip(8) {
                let Some(v) = map.get(c.key) else { continue };
                let mut one = Map::new();
                one.insert("name".into(), Value::String(String::new()));
                one.insert(c.key.into(), v.clone());
                if let Err(e) = serde_json::from_value::<ProcedureContent>(Value::Object(one)) {
                    return Err(CellError::at(
                        i,
                        format!("giá trị không đúng cấu trúc / wrong shape: {e}"),
                    ));
                }
            }
            Err(CellError {
                column: None,
                reason: format!("nội dung không hợp lệ / invalid content: {e}"),
            })
        }
    }
}

/// Splits cells for XLSX: a cell longer than [`XLSX_CELL_MAX`] characters keeps its first
/// part in place, and the rest goes to continuation cells `key:part` appended after the
/// fixed columns (in column order).
pub fn split_for_xlsx(cells: &mut [String]) -> Vec<String> {
    let mut extra = Vec::new();
    for (i, cell) in cells.iter_mut().enumerate() {
        if cell.chars().count() <= XLSX_CELL_MAX {
            continue;
        }
        let key = COLUMNS.get(i).map_or("?", |c| c.key);
        let (head, mut rest) = split_chars(cell, XLSX_CELL_MAX);
        let chunk = XLSX_CELL_MAX - key.chars().count() - 1;
        while !rest.is_empty() {
            let (part, tail) = split_chars(&rest, chunk);
            extra.push(format!("{key}:{part}"));
            rest = tail;
        }
        *cell = head;
    }
    extra
}

fn split_chars(s: &str, n: usize) -> (String, String) {
    let at = s.char_indices().nth(n).map_or(s.len(), |(i, _)| i);
    (s[..at].to_string(), s[at..].to_string())
}

/// Appends continuation cells (see [`split_for_xlsx`]) to their columns. Returns the index of
/// the first continuation cell that names no column.
pub fn join_continuations(cells: &mut [String], extra: &[String]) -> Result<(), usize> {
    for (n, e) in extra.iter().enumerate() {
        let Some((key, part)) = e.split_once(':') else {
            return Err(n);
        };
        let Some(i) = COLUMNS.iter().position(|c| c.key == key) else {
            return Err(n);
        };
        match cells.get_mut(i) {
            Some(c) => c.push_str(part),
            None => return Err(n),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> OwnRecord {
        OwnRecord {
            code: TthcCode::parse("1.000080").expect("code"),
            kind: ProcedureKind::External,
            owner_org: "BTP".into(),
            seq: 2,
            status: VersionStatus::Published,
            valid_from: chrono::NaiveDate::from_ymd_opt(2025, 7, 1),
            valid_to: None,
            decision_no: Some("163/QĐ-BTP".into()),
            content: ProcedureContent {
                name: "Đăng ký khai sinh".into(),
                requirements: "x".repeat(70_000),
                sector: "Hộ tịch".into(),
                sector_id: Some("ho-tich".into()),
                ..Default::default()
            },
        }
    }

    #[test]
    fn a_record_survives_cells_and_back() {
        let r = record();
        let cells = to_cells(&r).expect("cells");
        assert_eq!(cells.len(), COLUMNS.len());
        assert_eq!(from_cells(&cells).expect("decoded"), r);
    }

    #[test]
    fn long_cells_are_split_for_xlsx_and_joined_again() {
        let r = record();
        let mut cells = to_cells(&r).expect("cells");
        let original = cells.clone();
        let extra = split_for_xlsx(&mut cells);
        assert_eq!(extra.len(), 2);
        assert!(
            cells
                .iter()
                .chain(&extra)
                .all(|c| c.chars().count() <= XLSX_CELL_MAX)
        );
        join_continuations(&mut cells, &extra).expect("joined");
        assert_eq!(cells, original);
    }

    #[test]
    fn a_malformed_json_cell_names_its_column() {
        let mut cells = to_cells(&record()).expect("cells");
        let i = COLUMNS
            .iter()
            .position(|c| c.key == "channels")
            .expect("col");
        cells[i] = r#"[{"method":"teleport"}]"#.into();
        assert_eq!(from_cells(&cells).err().and_then(|e| e.column), Some(i));
    }
}
