//! The Government and central bodies (`data/central.csv`): ministries and ministry-level
//! bodies after the 01/3/2025 restructuring, plus the ministries merged away then, kept as
//! historic units with successions. Kept as data so corrections need no code change.

use chrono::NaiveDate;
use serde::Deserialize;
use thutuc_domain::org::{OrgKind, Organisation, UnitSuccession};
use thutuc_domain::text;

use crate::RefError;

const FILE: &str = "central.csv";
const CSV: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/data/central.csv"));

/// One row of `central.csv`; `source` documents the row and is not loaded.
#[derive(Debug, Deserialize)]
struct Row {
    id: String,
    name: String,
    kind: String,
    eid: String,
    parent: String,
    valid_from: String,
    valid_to: String,
    successor_ids: String,
    partial: String,
}

/// Central organisations and the successions of merged ministries.
pub(crate) struct Central {
    pub(crate) orgs: Vec<Organisation>,
    pub(crate) successions: Vec<UnitSuccession>,
}

/// Parses the embedded `central.csv`.
pub(crate) fn load() -> Result<Central, RefError> {
    let mut rdr = csv::Reader::from_reader(CSV.as_bytes());
    let mut out = Central {
        orgs: Vec::new(),
        successions: Vec::new(),
    };
    for row in rdr.deserialize::<Row>() {
        let row = row.map_err(|source| RefError::Csv { file: FILE, source })?;
        let kind = OrgKind::parse(row.kind.trim()).ok_or_else(|| {
            RefError::Data(format!("{FILE}: {}: unknown kind {:?}", row.id, row.kind))
        })?;
        let valid_to = date(&row.id, &row.valid_to)?;
        let successors: Vec<&str> = row
            .successor_ids
            .split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        if !successors.is_empty() {
            let effective = valid_to.and_then(|d| d.succ_opt()).ok_or_else(|| {
                RefError::Data(format!("{FILE}: {}: successors need valid_to", row.id))
            })?;
            let partial = match row.partial.trim() {
                "true" => true,
                "false" | "" => false,
                other => {
                    return Err(RefError::Data(format!(
                        "{FILE}: {}: partial {other:?}",
                        row.id
                    )));
                }
            };
            out.successions
                .extend(successors.iter().map(|new| UnitSuccession {
                    old: row.id.clone(),
                    new: (*new).to_string(),
                    partial,
                    effective,
                }));
        }
        out.orgs.push(Organisation {
            id: row.id.trim().to_string(),
            name: text::clean_inline(&row.name),
            kind,
            eid: non_empty(&row.eid),
            admin_code: None,
            parent: non_empty(&row.parent),
            valid_from: date(&row.id, &row.valid_from)?,
            valid_to,
        });
    }
    Ok(out)
}

/// An empty cell is `None`.
fn non_empty(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

/// Parses an optional ISO date cell.
fn date(id: &str, s: &str) -> Result<Option<NaiveDate>, RefError> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map(Some)
        .map_err(|e| RefError::Data(format!("{FILE}: {id}: date {s:?}: {e}")))
}
