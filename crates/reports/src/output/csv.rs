//! Tidy CSV: `table,row,label,column,value` — one line per number, so a spreadsheet or a
//! script can pivot it without parsing layouts. UTF-8 with a BOM for Excel.

use crate::ReportError;
use crate::model::Report;
use crate::tables::all_tables;
use crate::template::ReportTemplate;

/// Renders the CSV.
pub fn render(r: &Report, t: &ReportTemplate) -> Result<Vec<u8>, ReportError> {
    let err = |e: csv::Error| ReportError::Output(e.to_string());
    let mut w = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
    w.write_record(["bang", "dong", "ten", "chi_tieu", "gia_tri"])
        .map_err(err)?;
    for table in all_tables(r, t).iter().filter(|x| x.id != "items") {
        let label_col = usize::from(table.id != "trend");
        for (i, row) in table.rows.iter().enumerate() {
            let label = row.get(label_col).map(|c| c.text()).unwrap_or_default();
            for (j, cell) in row.iter().enumerate().skip(label_col + 1) {
                let column = table.columns.get(j).cloned().unwrap_or_default();
                w.write_record([
                    table.id.as_str(),
                    &(i + 1).to_string(),
                    &label,
                    &column,
                    &cell.text(),
                ])
                .map_err(err)?;
            }
        }
    }
    w.into_inner()
        .map_err(|e| ReportError::Output(e.to_string()))
}
