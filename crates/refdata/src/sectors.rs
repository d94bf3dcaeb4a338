//! The default managed fields (lĩnh vực) and their owning ministries, taken from the real TTHC
//! files (`data/tthc/portal-pages.jsonl.gz` for BTP and NHNN, `bqp-structured.jsonl.gz` for BQP)
//! by `scripts/gen_sectors.py` into `data/sectors.csv`.

use serde::Deserialize;
use thutuc_domain::org::Sector;
use thutuc_domain::text;

use crate::RefError;

const FILE: &str = "sectors.csv";
const CSV: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/data/sectors.csv"));

/// One row of `sectors.csv`.
#[derive(Debug, Deserialize)]
struct Row {
    id: String,
    name: String,
    owner_org: String,
}

/// Parses the embedded `sectors.csv`.
pub(crate) fn load() -> Result<Vec<Sector>, RefError> {
    let mut rdr = csv::Reader::from_reader(CSV.as_bytes());
    rdr.deserialize::<Row>()
        .map(|row| {
            let row = row.map_err(|source| RefError::Csv { file: FILE, source })?;
            let owner = row.owner_org.trim();
            Ok(Sector {
                id: row.id.trim().to_string(),
                name: text::clean_inline(&row.name),
                owner_org: (!owner.is_empty()).then(|| owner.to_string()),
            })
        })
        .collect()
}

/// The default fields (lĩnh vực) found in the real data files, with their owning ministries.
///
/// The embedded file is checked by the crate's tests; should it ever fail to parse, this
/// returns an empty list rather than panicking (use [`crate::organisations`] to see the error).
pub fn default_sectors() -> Vec<Sector> {
    load().unwrap_or_default()
}
