//! Parse-quality metric for the channel table ("Cách thức thực hiện"), the hardest part of
//! the portal pages.
//!
//! **Definition.** A record is *fully structured* when it has at least one channel and no
//! channel problem other than the documented flag `unit-unknown`. Per channel this means:
//! - the time limit is a number with a unit, **or** a bare number kept as
//!   `TimeUnit::Unknown` and flagged `unit-unknown` (parsed-and-flagged), **or** explicitly
//!   "Không có thông tin" (`time: None`, no problem);
//! - the fee cell is read: one or more fees with an amount ("Miễn phí" = 0), **or**
//!   explicitly "Không có thông tin" (no fees, no problem).
//!
//! Everything else counts as a failure and is grouped by its problem code in
//! `failures_by_shape`: `time-unparsed`, `fee-unparsed`, `no-channels`, `leading-text`, and
//! `time-fee-ambiguous` (a bare time glued to a fee amount, "1200 VNĐ": the split is a guess,
//! so it is counted as a failure even though a value is stored). The report also counts the
//! flagged and "not stated" cases so the headline share can be read honestly.

use std::collections::{BTreeMap, BTreeSet};

use thutuc_domain::procedure::TimeUnit;

use crate::record::ParsedRecord;
use crate::tables::IssueCode;

/// Fields whose problems concern channels (portal pages, structured exports, API).
const CHANNEL_FIELDS: [&str; 3] = ["cach_thuc_thuc_hien", "hinh_thuc_nop", "executionMethods"];

/// Result of [`parse_quality`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct QualityReport {
    /// Records examined.
    pub total: usize,
    /// Records whose every channel has its time and fee in structure (see module doc).
    pub fully_structured: usize,
    /// Failing records per problem code (a record with two codes counts under both).
    pub failures_by_shape: BTreeMap<String, usize>,
    /// Records with at least one channel whose time is a bare number (`unit-unknown`).
    pub flagged_unit_unknown: usize,
    /// Channels whose time is explicitly not stated ("Không có thông tin").
    pub channels_time_not_stated: usize,
    /// Channels whose fee is explicitly not stated.
    pub channels_fee_not_stated: usize,
    /// Channels in all records.
    pub channels: usize,
}

impl QualityReport {
    /// `fully_structured / total` (1.0 for an empty input).
    pub fn share(&self) -> f64 {
        if self.total == 0 {
            1.0
        } else {
            self.fully_structured as f64 / self.total as f64
        }
    }
}

/// Computes the channel parse quality over records (see the module doc for the definition).
pub fn parse_quality<'a>(records: impl IntoIterator<Item = &'a ParsedRecord>) -> QualityReport {
    let mut r = QualityReport::default();
    for rec in records {
        r.total += 1;
        let codes: BTreeSet<IssueCode> = rec
            .problems
            .iter()
            .filter(|p| CHANNEL_FIELDS.iter().any(|f| p.field.starts_with(f)))
            .filter_map(|p| IssueCode::from_message(&p.message))
            .collect();
        let channels = &rec.content.channels;
        r.channels += channels.len();
        let problem_free_none = !codes
            .iter()
            .any(|c| matches!(c, IssueCode::TimeUnparsed | IssueCode::TimeFeeAmbiguous));
        r.channels_time_not_stated += channels
            .iter()
            .filter(|c| c.time.is_none() && problem_free_none)
            .count();
        r.channels_fee_not_stated += channels
            .iter()
            .filter(|c| c.fees.is_empty() && !codes.contains(&IssueCode::FeeUnparsed))
            .count();
        if channels
            .iter()
            .any(|c| c.time.as_ref().is_some_and(|d| d.unit == TimeUnit::Unknown))
        {
            r.flagged_unit_unknown += 1;
        }
        let mut failures: Vec<&str> = codes
            .iter()
            .filter(|c| !c.is_flag())
            .map(|c| c.as_str())
            .collect();
        if channels.is_empty() && !codes.contains(&IssueCode::NoChannels) {
            failures.push(IssueCode::NoChannels.as_str());
        }
        if failures.is_empty() {
            r.fully_structured += 1;
        }
        for f in failures {
            *r.failures_by_shape.entry(f.to_string()).or_default() += 1;
        }
    }
    r
}
