//! Drill-down: every number of a report maps to the (decision, procedure) pairs behind it.
//! A cell is named `section.dimension[.key].measure`, e.g. `national.agency.BTP.amended`,
//! `local.total.new`, `stock.sector.ho-tich.exited`, `compliance.total.posted_late`.
//! Stock levels at a date (`start`, `end`) list every procedure in force and come from the
//! store instead ([`crate::service::stock_drill`]).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::ReportError;
use crate::engine::kind_key;
use crate::model::{Bucket, CountedItem, Report};

/// One line behind a number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DrillItem {
    /// Decision number, when one is recorded.
    pub decision_no: Option<String>,
    /// Procedure code (none for decision-level measures).
    pub code: Option<String>,
    /// Relevant date (reference date, flow date, signing date).
    pub date: NaiveDate,
}

/// A parsed cell reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellRef {
    /// `national`, `local`, `stock`, `compliance`.
    pub section: String,
    /// `total`, `agency`, `level`, `sector`, `kind`.
    pub dim: String,
    /// Row key (absent for `total`).
    pub key: Option<String>,
    /// Measure: a bucket, `entered`/`exited`, or `late`/`posted_late`/`incomplete`/`decisions`.
    pub measure: String,
}

impl CellRef {
    /// Parses `section.dim[.key].measure`; keys may contain dots (decision numbers do not
    /// appear in keys, organisation and field ids have none, but be lenient).
    pub fn parse(s: &str) -> Result<Self, ReportError> {
        let bad = || ReportError::Template(format!("ô không hợp lệ «{s}» / invalid cell"));
        let parts: Vec<&str> = s.split('.').collect();
        if parts.len() < 3 {
            return Err(bad());
        }
        let (section, dim, measure) = (parts[0], parts[1], parts[parts.len() - 1]);
        let key = parts[2..parts.len() - 1].join(".");
        let key = if dim == "total" {
            None
        } else if key.is_empty() {
            return Err(bad());
        } else {
            Some(key)
        };
        Ok(Self {
            section: section.into(),
            dim: dim.into(),
            key,
            measure: measure.into(),
        })
    }
}

fn bucket(m: &str) -> Option<Bucket> {
    Bucket::ALL.into_iter().find(|b| b.as_str() == m)
}

fn matches_dim(
    dim: &str,
    key: Option<&str>,
    agency: &str,
    level: &str,
    sector: &str,
    internal: bool,
) -> bool {
    match (dim, key) {
        ("total", _) => true,
        ("agency", Some(k)) => agency == k,
        ("level", Some(k)) => level == k,
        ("sector", Some(k)) => sector == k,
        ("kind", Some(k)) => kind_key(internal).0 == k,
        _ => false,
    }
}

impl Report {
    /// The items behind one cell; their number equals the cell's value.
    pub fn drill(&self, cell: &CellRef) -> Result<Vec<DrillItem>, ReportError> {
        let key = cell.key.as_deref();
        let of_items = |items: &[CountedItem]| -> Result<Vec<DrillItem>, ReportError> {
            let b = bucket(&cell.measure)
                .ok_or_else(|| ReportError::Template(format!("chỉ tiêu «{}»", cell.measure)))?;
            Ok(items
                .iter()
                .filter(|i| i.bucket == b)
                .filter(|i| {
                    matches_dim(
                        &cell.dim,
                        key,
                        &i.agency,
                        &i.level,
                        &i.sector_id,
                        i.internal,
                    )
                })
                .map(|i| DrillItem {
                    decision_no: Some(i.decision_no.clone()),
                    code: Some(i.code.clone()),
                    date: i.date,
                })
                .collect())
        };
        match cell.section.as_str() {
            "national" => of_items(&self.national.items),
            "local" => of_items(&self.local.items),
            "stock" => {
                let enters = match cell.measure.as_str() {
                    "entered" => true,
                    "exited" => false,
                    m => {
                        return Err(ReportError::Template(format!(
                            "chỉ tiêu «{m}»: tồn kho theo ngày xem qua danh sách thủ tục / use the stock list"
                        )));
                    }
                };
                Ok(self
                    .stock
                    .flows
                    .iter()
                    .filter(|f| f.kind.enters() == enters)
                    .filter(|f| {
                        let agency = self.flow_agency(&f.owner_org);
                        matches_dim(&cell.dim, key, agency, &f.level, &f.sector_id, f.internal)
                    })
                    .map(|f| DrillItem {
                        decision_no: f.decision_no.clone(),
                        code: Some(f.code.to_string()),
                        date: f.on,
                    })
                    .collect())
            }
            "compliance" => Ok(self
                .compliance
                .items
                .iter()
                .filter(|d| matches_dim(&cell.dim, key, &d.agency, "", "", false))
                .filter(|d| match cell.measure.as_str() {
                    "late" => d.late == Some(true),
                    "on_time" => d.late == Some(false),
                    "posted_late" => d.posted_on_time == Some(false),
                    "posted_on_time" => d.posted_on_time == Some(true),
                    _ => true,
                })
                .map(|d| DrillItem {
                    decision_no: Some(d.number.clone()),
                    code: None,
                    date: d.signed_on,
                })
                .collect()),
            s => Err(ReportError::Template(format!("phần «{s}» không có"))),
        }
    }

    /// The agency row a stock owner organisation was counted under.
    fn flow_agency<'a>(&'a self, owner: &'a str) -> &'a str {
        self.stock
            .agency_of
            .get(owner)
            .map(String::as_str)
            .unwrap_or(owner)
    }
}
