//! The workbook: a "Thông tin" sheet (period, reference date, scope, inputs hash), one sheet
//! per table ("Biểu 1" …) with numbers stored as numbers, and "Chi tiết" with every counted
//! (decision, procedure) pair for drill-down.

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use crate::ReportError;
use crate::model::Report;
use crate::tables::{Cell, Table, all_tables};
use crate::template::ReportTemplate;

fn err(e: XlsxError) -> ReportError {
    ReportError::Output(format!("xlsx: {e}"))
}

/// Sheet name of a table.
pub fn sheet_name(i: usize, t: &Table) -> String {
    if t.id == "items" {
        "Chi tiết".into()
    } else {
        format!("Biểu {}", i + 1)
    }
}

fn write_table(ws: &mut Worksheet, t: &Table, bold: &Format) -> Result<(), XlsxError> {
    ws.write_string_with_format(0, 0, &t.title, bold)?;
    for (j, c) in t.columns.iter().enumerate() {
        ws.write_string_with_format(2, j as u16, c, bold)?;
    }
    for (i, row) in t.rows.iter().enumerate() {
        let r = 3 + i as u32;
        let last = t.has_total && i + 1 == t.rows.len();
        for (j, cell) in row.iter().enumerate() {
            let c = j as u16;
            match (cell, last) {
                (Cell::Int(n), false) => ws.write_number(r, c, *n as f64)?,
                (Cell::Int(n), true) => ws.write_number_with_format(r, c, *n as f64, bold)?,
                (Cell::Text(s), false) => ws.write_string(r, c, s)?,
                (Cell::Text(s), true) => ws.write_string_with_format(r, c, s, bold)?,
            };
        }
    }
    ws.set_column_width(1, 40)?;
    for j in 2..t.columns.len() as u16 {
        ws.set_column_width(j, 14)?;
    }
    Ok(())
}

/// Renders the workbook.
pub fn render(r: &Report, t: &ReportTemplate) -> Result<Vec<u8>, ReportError> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let info = wb.add_worksheet();
    info.set_name("Thông tin").map_err(err)?;
    let m = &r.meta;
    let rows: [(&str, String); 8] = [
        (
            "Báo cáo",
            t.subtitle.replace("{period_label}", &m.period_label),
        ),
        ("Kỳ", m.period.clone()),
        ("Từ ngày", m.from.to_string()),
        ("Đến ngày", m.to.to_string()),
        ("Phạm vi", m.scope_name.clone()),
        ("Ngày tham chiếu", m.basis_note.clone()),
        ("Mã băm dữ liệu đầu vào (SHA-256)", m.inputs_hash.clone()),
        ("Mẫu", format!("{} {}", t.code, t.version)),
    ];
    for (i, (k, v)) in rows.iter().enumerate() {
        info.write_string_with_format(i as u32, 0, *k, &bold)
            .map_err(err)?;
        info.write_string(i as u32, 1, v).map_err(err)?;
    }
    info.set_column_width(0, 34).map_err(err)?;
    info.set_column_width(1, 80).map_err(err)?;
    for (i, table) in all_tables(r, t).iter().enumerate() {
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name(i, table)).map_err(err)?;
        write_table(ws, table, &bold).map_err(err)?;
    }
    wb.save_to_buffer().map_err(err)
}
