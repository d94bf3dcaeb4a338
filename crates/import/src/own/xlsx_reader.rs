//! Reader for the own `xlsx` format: sheet [`SHEET`] (or the first sheet), a header row of
//! [`COLUMNS`] keys, then one procedure per row. Cells beyond the `continuation` header hold
//! the rest of over-long cells (`key:text`, see [`super::split_for_xlsx`]). The sheet is read
//! cell by cell with calamine's streaming reader, so memory is bounded by one row.

use std::collections::BTreeMap;
use std::io::{Read, Seek};
use std::path::Path;

use calamine::{DataRef, Reader, Xlsx, open_workbook_from_rs};
use thutuc_domain::text::match_key;

use super::SHEET;
use super::cells::{CONTINUATION_HEADER, from_cells, join_continuations};
use super::csv_reader::{header_map, rejection};
use crate::ImportError;
use crate::record::{DuplicateGuard, ParsedRecord, Rejection};
use crate::xlsx::column_letter;

/// Opens an XLSX export and reads its records.
pub fn read_xlsx(
    path: impl AsRef<Path>,
) -> Result<Vec<Result<ParsedRecord, Rejection>>, ImportError> {
    let path = path.as_ref();
    let name = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|source| ImportError::Io {
        path: name.clone(),
        source,
    })?;
    read_xlsx_from(std::io::BufReader::new(file), &name)
}

fn text(d: &DataRef<'_>) -> String {
    match d {
        DataRef::Empty => String::new(),
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_string(),
        DataRef::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
        DataRef::Float(f) => f.to_string(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTime(dt) => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            format!("{y:04}-{m:02}-{d:02}")
        }
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => format!("#{e:?}"),
    }
}

/// Like [`read_xlsx`] for any seekable reader; `name` is used in messages.
pub fn read_xlsx_from<R: Read + Seek>(
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
    let mut cells = wb
        .worksheet_cells_reader(&sheet)
        .map_err(|e| sheet_err(format!("không đọc được trang «{sheet}»: {e}")))?;
    let mut rows = RowState::default();
    let mut out = Vec::new();
    loop {
        let next = cells
            .next_cell()
            .map_err(|e| sheet_err(format!("trang «{sheet}» hỏng / corrupt sheet: {e}")))?;
        let Some(cell) = next else { break };
        let (r, c) = cell.get_position();
        if rows.current != Some(r) {
            rows.flush(name, &mut out)?;
            rows.current = Some(r);
        }
        let t = text(cell.get_value());
        if !t.is_empty() {
            rows.cells.insert(c as usize, t);
        }
    }
    rows.flush(name, &mut out)?;
    if rows.header.is_none() {
        return Err(ImportError::MissingHeader {
            path: name.to_string(),
            expected: super::COLUMNS
                .iter()
                .map(|c| c.key)
                .collect::<Vec<_>>()
                .join(", "),
        });
    }
    Ok(out)
}

/// The row being collected and what the header said.
#[derive(Default)]
struct RowState {
    current: Option<u32>,
    cells: BTreeMap<usize, String>,
    /// `map[i]`: sheet column of `COLUMNS[i]`; and the first continuation column.
    header: Option<(Vec<Option<usize>>, usize)>,
    guard: DuplicateGuard,
}

impl RowState {
    fn flush(
        &mut self,
        name: &str,
        out: &mut Vec<Result<ParsedRecord, Rejection>>,
    ) -> Result<(), ImportError> {
        let cells = std::mem::take(&mut self.cells);
        let Some(r) = self.current else { return Ok(()) };
        if cells.is_empty() {
            return Ok(());
        }
        let line = r as usize + 1;
        let Some((map, cont)) = &self.header else {
            let width = cells.keys().max().map_or(0, |m| m + 1);
            let header: Vec<&str> = (0..width)
                .map(|i| cells.get(&i).map_or("", String::as_str))
                .collect();
            let map = header_map(header.iter().copied(), name)?;
            let cont = header
                .iter()
                .position(|h| h.trim() == CONTINUATION_HEADER)
                .unwrap_or_else(|| map.iter().flatten().max().map_or(0, |m| m + 1));
            self.header = Some((map, cont));
            return Ok(());
        };
        let mut fixed: Vec<String> = map
            .iter()
            .map(|m| m.and_then(|c| cells.get(&c)).cloned().unwrap_or_default())
            .collect();
        let extra: Vec<String> = cells.range(*cont..).map(|(_, v)| v.clone()).collect();
        if let Err(n) = join_continuations(&mut fixed, &extra) {
            let col = cells.range(*cont..).nth(n).map_or(*cont, |(c, _)| *c);
            out.push(Err(Rejection {
                line,
                code: fixed.first().cloned().filter(|c| !c.is_empty()),
                field: CONTINUATION_HEADER.into(),
                column: Some(format!("{}{line}", column_letter(col))),
                reason:
                    "ô tiếp nối phải có dạng «cột:văn bản» / continuation cell must be key:text"
                        .into(),
            }));
            return Ok(());
        }
        let rec = from_cells(&fixed)
            .map_err(|e| rejection(line, &fixed, map, e))
            .and_then(|rec| {
                self.guard.filter(rec.into_parsed(line)).map_err(|mut rej| {
                    rej.column = map[0].map(|c| format!("{}{line}", column_letter(c)));
                    rej
                })
            });
        out.push(rec);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::own::COLUMNS;

    fn sheet(rows: &[&[&str]]) -> Vec<u8> {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        ws.set_name(SHEET).expect("name");
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                ws.write_string(r as u32, c as u16, *v).expect("cell");
            }
        }
        wb.save_to_buffer().expect("xlsx")
    }

    #[test]
    fn a_bad_cell_is_reported_with_row_and_cell_reference() {
        let header: Vec<&str> = COLUMNS.iter().map(|c| c.key).collect();
        let good = [
            "1.000080",
            "external",
            "BTP",
            "1",
            "published",
            "",
            "",
            "",
            "A",
        ];
        let bad = [
            "1.000081",
            "external",
            "BTP",
            "x",
            "published",
            "",
            "",
            "",
            "B",
        ];
        let bytes = sheet(&[&header, &good, &bad]);
        let out = read_xlsx_from(std::io::Cursor::new(bytes), "t.xlsx").expect("read");
        assert_eq!(out.len(), 2);
        assert!(out[0].is_ok());
        let rej = out[1].as_ref().expect_err("rejected");
        assert_eq!(
            (rej.line, rej.column.as_deref(), rej.field.as_str()),
            (3, Some("D3"), "seq")
        );
    }

    #[test]
    fn a_sheet_without_the_header_is_refused() {
        let bytes = sheet(&[&["Mã số", "Tên"], &["1.000080", "A"]]);
        let err = read_xlsx_from(std::io::Cursor::new(bytes), "t.xlsx").err();
        assert!(matches!(err, Some(ImportError::MissingHeader { .. })));
    }
}
