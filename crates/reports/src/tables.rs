//! One report as a list of tables, shared by every output (CSV, XLSX, HTML, DOCX), with the
//! titles and column labels taken from the template. Each table ends with its total row
//! where that makes sense, so the document shows totals = sum of rows.

use serde::{Deserialize, Serialize};

use crate::model::{Bucket, ChangeSection, Counts, Report};
use crate::template::ReportTemplate;

/// Ids of the tables a template may use.
pub const TABLE_IDS: [&str; 9] = [
    "national_by_agency",
    "national_by_level",
    "national_by_sector",
    "national_by_kind",
    "local_by_agency",
    "stock_by_agency",
    "compliance",
    "trend",
    "items",
];

/// A cell.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Cell {
    /// Text.
    Text(String),
    /// Whole number.
    Int(i64),
}

impl Cell {
    /// Display text.
    pub fn text(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Int(n) => n.to_string(),
        }
    }
}

/// A table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table {
    /// Id ([`TABLE_IDS`]).
    pub id: String,
    /// Title.
    pub title: String,
    /// Column labels.
    pub columns: Vec<String>,
    /// Rows (the last one is the total when `has_total`).
    pub rows: Vec<Vec<Cell>>,
    /// The last row is a total.
    pub has_total: bool,
}

fn col(t: &ReportTemplate, id: &str) -> String {
    t.columns.get(id).cloned().unwrap_or_else(|| id.to_string())
}

fn counts_cells(c: &Counts) -> Vec<Cell> {
    let mut v: Vec<Cell> = Bucket::ALL.iter().map(|b| Cell::Int(c.get(*b))).collect();
    v.push(Cell::Int(c.total()));
    v
}

fn change_table(t: &ReportTemplate, id: &str, dim: &str, s: &ChangeSection) -> Table {
    let rows_src = match dim {
        "level" => &s.by_level,
        "sector" => &s.by_sector,
        "kind" => &s.by_kind,
        _ => &s.by_agency,
    };
    let mut rows: Vec<Vec<Cell>> = rows_src
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let mut v = vec![Cell::Int(i as i64 + 1), Cell::Text(r.label.clone())];
            v.extend(counts_cells(&r.counts));
            v
        })
        .collect();
    let mut total = vec![Cell::Text(String::new()), Cell::Text(col(t, "sum"))];
    total.extend(counts_cells(&s.total));
    rows.push(total);
    Table {
        id: id.into(),
        title: t.table_titles.get(id).cloned().unwrap_or_default(),
        columns: [
            "stt",
            dim,
            "new",
            "amended",
            "replaced",
            "abolished",
            "total",
        ]
        .iter()
        .map(|c| col(t, c))
        .collect(),
        rows,
        has_total: true,
    }
}

/// Builds one table by id.
pub fn table(r: &Report, t: &ReportTemplate, id: &str) -> Option<Table> {
    let title = t.table_titles.get(id).cloned().unwrap_or_default();
    let cols = |ids: &[&str]| ids.iter().map(|c| col(t, c)).collect::<Vec<_>>();
    Some(match id {
        "national_by_agency" => change_table(t, id, "agency", &r.national),
        "national_by_level" => change_table(t, id, "level", &r.national),
        "national_by_sector" => change_table(t, id, "sector", &r.national),
        "national_by_kind" => change_table(t, id, "kind", &r.national),
        "local_by_agency" => change_table(t, id, "agency", &r.local),
        "stock_by_agency" => {
            let s = &r.stock;
            let mut rows: Vec<Vec<Cell>> = s
                .by_agency
                .iter()
                .enumerate()
                .map(|(i, x)| {
                    vec![
                        Cell::Int(i as i64 + 1),
                        Cell::Text(x.label.clone()),
                        Cell::Int(x.start),
                        Cell::Int(x.entered),
                        Cell::Int(x.exited),
                        Cell::Int(x.end),
                    ]
                })
                .collect();
            rows.push(vec![
                Cell::Text(String::new()),
                Cell::Text(col(t, "sum")),
                Cell::Int(s.start),
                Cell::Int(s.entered),
                Cell::Int(s.exited),
                Cell::Int(s.end),
            ]);
            Table {
                id: id.into(),
                title,
                columns: cols(&["stt", "agency", "start", "entered", "exited", "end"]),
                rows,
                has_total: true,
            }
        }
        "compliance" => {
            let mut per: std::collections::BTreeMap<&str, [i64; 5]> = Default::default();
            for d in &r.compliance.items {
                let a = per.entry(d.agency.as_str()).or_default();
                a[0] += 1;
                a[1] += i64::from(d.late == Some(false));
                a[2] += i64::from(d.late == Some(true));
                a[3] += i64::from(d.posted_on_time == Some(true));
                a[4] += i64::from(d.posted_on_time == Some(false));
            }
            let label = |k: &str| r.labels.get(k).cloned().unwrap_or_else(|| k.to_string());
            let mut keys: Vec<&str> = per.keys().copied().collect();
            keys.sort_by_key(|k| thutuc_domain::text::sort_key(&label(k)));
            let mut rows: Vec<Vec<Cell>> = keys
                .iter()
                .enumerate()
                .map(|(i, k)| {
                    let mut v = vec![Cell::Int(i as i64 + 1), Cell::Text(label(k))];
                    v.extend(per[k].iter().map(|n| Cell::Int(*n)));
                    v
                })
                .collect();
            let c = &r.compliance;
            let mut total = vec![Cell::Text(String::new()), Cell::Text(col(t, "sum"))];
            total.extend(
                [
                    c.decisions,
                    c.on_time,
                    c.late,
                    c.posted_on_time,
                    c.posted_late,
                ]
                .map(Cell::Int),
            );
            rows.push(total);
            Table {
                id: id.into(),
                title,
                columns: cols(&[
                    "stt",
                    "agency",
                    "decisions",
                    "on_time",
                    "late",
                    "posted_on_time",
                    "posted_late",
                ]),
                rows,
                has_total: true,
            }
        }
        "trend" => Table {
            id: id.into(),
            title,
            columns: cols(&["month", "new", "amended", "replaced", "abolished", "total"]),
            rows: r
                .trend
                .iter()
                .map(|p| {
                    let mut v = vec![Cell::Text(p.month.clone())];
                    v.extend(counts_cells(&p.counts));
                    v
                })
                .collect(),
            has_total: false,
        },
        "items" => Table {
            id: id.into(),
            title,
            columns: cols(&["stt", "decision", "code", "bucket", "agency", "date"]),
            rows: r
                .national
                .items
                .iter()
                .map(|i| ("national", i))
                .chain(r.local.items.iter().map(|i| ("local", i)))
                .enumerate()
                .map(|(n, (sec, i))| {
                    vec![
                        Cell::Int(n as i64 + 1),
                        Cell::Text(i.decision_no.clone()),
                        Cell::Text(i.code.clone()),
                        Cell::Text(format!("{sec}.{}", i.bucket.as_str())),
                        Cell::Text(r.labels.get(&i.agency).cloned().unwrap_or(i.agency.clone())),
                        Cell::Text(i.date.to_string()),
                    ]
                })
                .collect(),
            has_total: false,
        },
        _ => return None,
    })
}

/// Every table, in [`TABLE_IDS`] order.
pub fn all_tables(r: &Report, t: &ReportTemplate) -> Vec<Table> {
    TABLE_IDS.iter().filter_map(|id| table(r, t, id)).collect()
}
