//! Everything a report is computed from, and the hash that identifies it. Two runs with the
//! same inputs give the same report; an edition stores the hash so that a later run can tell
//! whether anything behind the numbers changed.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use thutuc_domain::params::PublicationRules;
use thutuc_store::{ChangeFact, DateBasis, DecisionFact, FlowFact, StockGroup};

use crate::Period;

/// The facts of one report, as read from the store (already restricted to the period).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportInputs {
    /// Period.
    pub period: Period,
    /// Reference date.
    pub basis: DateBasis,
    /// Organisation scope (`None` = national).
    pub scope: Option<String>,
    /// Applied entries in the period.
    pub changes: Vec<ChangeFact>,
    /// Applied decisions in the period.
    pub decisions: Vec<DecisionFact>,
    /// Stock at the end of the day before the period.
    pub stock_start: Vec<StockGroup>,
    /// Stock at the end of the period.
    pub stock_end: Vec<StockGroup>,
    /// Entries into and exits from the stock in the period.
    pub flows: Vec<FlowFact>,
}

/// Parameters that are not facts but change numbers or labels.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HashedParams<'a> {
    /// Posting and publication rules.
    pub rules: &'a PublicationRules,
    /// Working-day calendar fingerprint.
    pub calendar: &'a str,
    /// Labels used (organisation and field names).
    pub labels: &'a BTreeMap<String, String>,
}

/// Feeds bytes written by the serializer straight into the hash (no intermediate buffer).
struct HashWriter<'a>(&'a mut Sha256);

impl std::io::Write for HashWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// SHA-256 (hex) of the inputs and parameters, over their canonical JSON.
pub fn inputs_hash(inputs: &ReportInputs, params: &HashedParams<'_>) -> String {
    let mut h = Sha256::new();
    // serde_json of derive-serialised structs is deterministic (field order, Vec order);
    // maps are BTreeMaps. Writing into a Sha256 cannot fail.
    let _ = serde_json::to_writer(HashWriter(&mut h), inputs);
    h.update(b"\x00");
    let _ = serde_json::to_writer(HashWriter(&mut h), params);
    hex::encode(h.finalize())
}
