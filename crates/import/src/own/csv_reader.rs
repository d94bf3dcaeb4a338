//! Reader for the own `csv` format: a header row of [`COLUMNS`] keys (any order; unknown
//! columns are ignored), then one procedure per row. Rejections carry the line and the
//! spreadsheet-style cell reference (`V7`) of the offending cell.

use std::io::Read;

use super::cells::{COLUMNS, CellError, from_cells};
use crate::ImportError;
use crate::record::{DuplicateGuard, ParsedRecord, Rejection};
use crate::xlsx::column_letter;

/// Columns a file must have; the others default to empty.
pub(crate) const REQUIRED: [&str; 6] = ["code", "kind", "owner_org", "seq", "status", "name"];

/// Maps the file's header cells to [`COLUMNS`]: `map[i]` is the file column of `COLUMNS[i]`.
pub(crate) fn header_map<'a>(
    header: impl Iterator<Item = &'a str>,
    name: &str,
) -> Result<Vec<Option<usize>>, ImportError> {
    let header: Vec<String> = header
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
        .collect();
    let map: Vec<Option<usize>> = COLUMNS
        .iter()
        .map(|c| header.iter().position(|h| h == c.key))
        .collect();
    let missing = COLUMNS
        .iter()
        .zip(&map)
        .any(|(c, m)| m.is_none() && REQUIRED.contains(&c.key));
    if missing {
        return Err(ImportError::MissingHeader {
            path: name.to_string(),
            expected: COLUMNS.iter().map(|c| c.key).collect::<Vec<_>>().join(", "),
        });
    }
    Ok(map)
}

/// Turns a decoding error into a rejection naming the row and cell.
pub(crate) fn rejection(
    line: usize,
    cells: &[String],
    map: &[Option<usize>],
    e: CellError,
) -> Rejection {
    let (field, column) = match e.column {
        Some(i) => (
            COLUMNS[i].key.to_string(),
            map[i].map(|c| format!("{}{line}", column_letter(c))),
        ),
        None => ("content".to_string(), None),
    };
    Rejection {
        line,
        code: cells.first().filter(|c| !c.is_empty()).cloned(),
        field,
        column,
        reason: e.reason,
    }
}

/// Reads every record of a CSV export. A missing header is an error naming the file.
pub fn read_csv<R: Read>(
    reader: R,
    name: &str,
) -> Result<Vec<Result<ParsedRecord, Rejection>>, ImportError> {
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
    let headers = rdr.headers().map_err(|e| ImportError::Sheet {
        path: name.to_string(),
        message: format!("không đọc được dòng tiêu đề / cannot read header: {e}"),
    })?;
    let map = header_map(headers.iter(), name)?;
    let mut guard = DuplicateGuard::default();
    let mut out = Vec::new();
    let mut row = csv::StringRecord::new();
    loop {
        let line = rdr.position().line() as usize;
        match rdr.read_record(&mut row) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                out.push(Err(Rejection::new(
                    line,
                    "file",
                    format!("{name}: dừng đọc / stopped reading: {e}"),
                )));
                break;
            }
        }
        let line = row.position().map_or(line, |p| p.line() as usize);
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let cells: Vec<String> = map
            .iter()
            .map(|m| m.and_then(|c| row.get(c)).unwrap_or("").to_string())
            .collect();
        let rec = from_cells(&cells)
            .map_err(|e| rejection(line, &cells, &map, e))
            .and_then(|r| {
                guard.filter(r.into_parsed(line)).map_err(|mut rej| {
                    rej.column = map[0].map(|c| format!("{}{line}", column_letter(c)));
                    rej
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
    fn a_csv_without_the_code_column_is_refused() {
        let err = read_csv("name,kind\nA,external\n".as_bytes(), "x.csv").err();
        assert!(matches!(err, Some(ImportError::MissingHeader { .. })));
    }

    #[test]
    fn a_bad_cell_is_reported_with_its_reference() {
        let text = "code,kind,owner_org,seq,status,name\n1.000080,external,BTP,1,published,A\n1.000081,alien,BTP,1,published,B\n";
        let out = read_csv(text.as_bytes(), "x.csv").expect("read");
        assert!(out[0].is_ok());
        let rej = out[1].as_ref().expect_err("rejected");
        assert_eq!((rej.line, rej.column.as_deref()), (3, Some("B3")));
        assert_eq!(rej.field, "kind");
    }
}
