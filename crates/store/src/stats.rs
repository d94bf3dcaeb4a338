//! Storage port for statistics and report editions (issue 7).
//!
//! The statistics are derived, never typed in. The store keeps a *mirror* of the public
//! version history shaped for counting (`stats_spans`: one row per public version with the
//! attributes that statistics group by), the replacements read from decision bodies, and
//! monthly stock snapshots (`stats_stock`), so that a report for one month reads that month's
//! change entries plus one snapshot instead of the whole history. [`StatsStore::refresh_stats`]
//! brings the mirror up to date; its cost is proportional to what changed since the last call.
//!
//! Frozen report editions (`report_editions`) are written here too: a new edition is inserted
//! in one transaction, only when its inputs' hash differs from the latest edition's.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use thutuc_domain::TthcCode;
use thutuc_domain::decision::IssuerKind;
use thutuc_domain::version::ChangeKind;

use crate::StoreResult;

/// Which date places a change in a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateBasis {
    /// Ngày ký: the decision's signing date (the default of every report).
    #[default]
    Signed,
    /// Ngày có hiệu lực: the entry's effective date.
    Effective,
}

impl DateBasis {
    /// Stable identifier (`signed`, `effective`).
    pub fn as_str(self) -> &'static str {
        match self {
            DateBasis::Signed => "signed",
            DateBasis::Effective => "effective",
        }
    }
    /// Parses the identifier.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "signed" => Some(Self::Signed),
            "effective" => Some(Self::Effective),
            _ => None,
        }
    }
}

/// Level bucket of a version: the single level it is performed at, or `multiple`.
///
/// Levels are a set; to keep "total = sum of the level breakdown" a procedure performed at
/// several levels is counted once, in the `multiple` bucket (the portal's "the rest combined").
pub fn level_bucket<'a>(levels: impl IntoIterator<Item = &'a str>) -> String {
    let v: Vec<&str> = levels.into_iter().collect();
    match v.as_slice() {
        [] => "none".into(),
        [one] => (*one).to_string(),
        _ => "multiple".into(),
    }
}

/// One applied decision entry with the attributes of the version it created or closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeFact {
    /// Decision number.
    pub decision_no: String,
    /// Annex line (1-based).
    pub line: i64,
    /// Signing date of the decision.
    pub signed_on: NaiveDate,
    /// Effective date of the entry.
    pub effective_on: NaiveDate,
    /// Issuing organisation.
    pub issuer_org: String,
    /// Issuer kind.
    pub issuer_kind: IssuerKind,
    /// The decision re-publishes a central decision locally (`applies_central` set).
    pub local_republication: bool,
    /// Kind of change.
    pub kind: ChangeKind,
    /// Procedure.
    pub code: TthcCode,
    /// Owning organisation of the procedure.
    pub owner_org: String,
    /// Field id (lĩnh vực) of the version.
    pub sector_id: String,
    /// Field name of the version.
    pub sector: String,
    /// Level bucket ([`level_bucket`]).
    pub level: String,
    /// Internal procedure (TTHC nội bộ).
    pub internal: bool,
    /// The version passes the completeness check (Decree 63 Art 8(2)).
    pub complete: bool,
    /// The entry's version is the first public version of its code (a replacement with a new code).
    pub first_version: bool,
    /// For replacements with a new code: the code replaced (ended by this entry).
    pub replaces: Option<TthcCode>,
}

/// An applied decision, for the compliance figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionFact {
    /// Number.
    pub number: String,
    /// Signed.
    pub signed_on: NaiveDate,
    /// Effective.
    pub effective_on: NaiveDate,
    /// Issuer.
    pub issuer_org: String,
    /// Issuer kind.
    pub issuer_kind: IssuerKind,
    /// Shortened procedure.
    pub shortened: bool,
    /// Local re-publication.
    pub local_republication: bool,
    /// Date applied in thutuc: the posting date to the national database (CSDLQG).
    pub applied_on: Option<NaiveDate>,
    /// Stored lateness against the publication deadline (computed when applied).
    pub late: Option<bool>,
}

/// One cell of the national trend ([`StatsStore::trend_counts`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrendCell {
    /// `YYYY-MM`.
    pub month: String,
    /// `new`, `amended`, `replaced` or `abolished` (abolished and annulled together).
    pub bucket: String,
    /// Distinct procedures.
    pub n: i64,
    /// Of `n`, those whose last entry was an annulment (only in `abolished`).
    pub annulled: i64,
}

/// Stock in force for one group (owner organisation × field × level × internal).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StockGroup {
    /// Owning organisation.
    pub owner_org: String,
    /// Field id.
    pub sector_id: String,
    /// Level bucket.
    pub level: String,
    /// Internal.
    pub internal: bool,
    /// Number of procedures in force.
    pub n: i64,
}

/// Why a procedure entered or left the stock in a period (validity view).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FlowKind {
    /// First version started: a new procedure.
    EnteredNew,
    /// First version started through a replacement with a new code.
    EnteredReplacing,
    /// First version started without a decision entry (import of existing data).
    EnteredOther,
    /// Last version ended by abolition.
    ExitedAbolished,
    /// Last version ended by annulment (hủy bỏ).
    ExitedAnnulled,
    /// Last version ended because a new code replaced it.
    ExitedReplaced,
    /// Last version ended without a recorded entry.
    ExitedOther,
}

impl FlowKind {
    /// True for the entering kinds.
    pub fn enters(self) -> bool {
        matches!(
            self,
            Self::EnteredNew | Self::EnteredReplacing | Self::EnteredOther
        )
    }
}

/// A procedure entering or leaving the stock in a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlowFact {
    /// Procedure.
    pub code: TthcCode,
    /// Why.
    pub kind: FlowKind,
    /// Day it entered (first day in force) or left (first day no longer in force).
    pub on: NaiveDate,
    /// The decision behind it, when recorded.
    pub decision_no: Option<String>,
    /// Owning organisation.
    pub owner_org: String,
    /// Field id of the version concerned.
    pub sector_id: String,
    /// Level bucket.
    pub level: String,
    /// Internal.
    pub internal: bool,
}

/// A procedure in force on a date, for the drill-down of stock figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StockItem {
    /// Procedure.
    pub code: TthcCode,
    /// The version in force.
    pub seq: i64,
    /// The decision that published it.
    pub decision_no: Option<String>,
    /// Owning organisation.
    pub owner_org: String,
}

/// What [`StatsStore::refresh_stats`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefreshReport {
    /// Procedures whose versions were (re)mirrored.
    pub procedures: usize,
    /// Snapshot months newly computed.
    pub months_added: usize,
    /// True when the mirror was built from scratch.
    pub full_rebuild: bool,
    /// Identifies the state of the mirror after the refresh (the newest change it holds and
    /// its last snapshot): equal versions give equal statistics, so results may be cached
    /// under it.
    pub version: String,
}

/// Identity of a report series: one edition history per key.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EditionKey {
    /// `monthly`, `quarterly`, `half_year`, `yearly`, `range`.
    pub report_kind: String,
    /// Period key, e.g. `2025-03`, `2025-Q1`, `2025-H1`, `2025`.
    pub period: String,
    /// Organisation id, or empty for the national report.
    pub scope: String,
    /// Date basis identifier.
    pub basis: String,
}

/// A frozen report edition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportEdition {
    /// Key.
    pub key: EditionKey,
    /// 1, 2, 3… per key.
    pub edition_no: i64,
    /// SHA-256 of the canonical inputs.
    pub inputs_hash: String,
    /// The report (JSON).
    pub body: serde_json::Value,
    /// Differences from the previous edition (JSON list; empty for the first).
    pub changelog: serde_json::Value,
    /// Why it was produced (`scheduled`, `manual`, `correction`).
    pub reason: String,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// A request to freeze an edition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewEdition {
    /// Key.
    pub key: EditionKey,
    /// The edition number the caller computed its changelog against (0 when none existed);
    /// a different latest edition gives `Conflict`, so a changelog is never silently stale.
    pub previous_no: i64,
    /// Hash of the inputs.
    pub inputs_hash: String,
    /// Report.
    pub body: serde_json::Value,
    /// Changelog against `previous_no`.
    pub changelog: serde_json::Value,
    /// Reason.
    pub reason: String,
}

/// Result of freezing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum EditionOutcome {
    /// A new edition was written.
    Created(ReportEdition),
    /// The latest edition has the same inputs: nothing written.
    Unchanged(ReportEdition),
}

impl EditionOutcome {
    /// The edition now current.
    pub fn edition(&self) -> &ReportEdition {
        match self {
            Self::Created(e) | Self::Unchanged(e) => e,
        }
    }
}

/// Statistics inputs and report editions.
#[async_trait]
pub trait StatsStore: Send + Sync {
    /// Brings the statistics mirror up to date with the catalogue and extends the monthly
    /// stock snapshots to the month end on or before `upto`. Idempotent.
    async fn refresh_stats(&self, upto: NaiveDate) -> StoreResult<RefreshReport>;
    /// Applied entries whose reference date (by `basis`) is in `[from, to]`, oldest first.
    async fn change_facts(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        basis: DateBasis,
    ) -> StoreResult<Vec<ChangeFact>>;
    /// Applied decisions whose reference date (signing, or the decision's effective date) is
    /// in `[from, to]`.
    async fn decision_facts(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        basis: DateBasis,
    ) -> StoreResult<Vec<DecisionFact>>;
    /// Procedures in force at the end of `date`, grouped. Reads the latest snapshot on or
    /// before `date` plus the versions that started or ended since.
    async fn stock_at(&self, date: NaiveDate) -> StoreResult<Vec<StockGroup>>;
    /// The national trend: per month of `[from, to]` (by `basis`) and per bucket, the
    /// procedures changed by entries of central decisions (not local re-publications) of the
    /// `issuers` (all when `None`), each procedure counted once per bucket and month, by its
    /// last entry there (the rule of the report engine). Read from the statistics mirror.
    async fn trend_counts(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        basis: DateBasis,
        issuers: Option<&[String]>,
    ) -> StoreResult<Vec<TrendCell>>;
    /// Procedures that entered or left the stock in `[from, to]` (validity view).
    async fn stock_flows(&self, from: NaiveDate, to: NaiveDate) -> StoreResult<Vec<FlowFact>>;
    /// Procedures in force at the end of `date` owned by `owner_orgs` (all when `None`),
    /// ordered by code, for drill-down.
    async fn stock_list(
        &self,
        date: NaiveDate,
        owner_orgs: Option<&[String]>,
        limit: i64,
        offset: i64,
    ) -> StoreResult<crate::Page<StockItem>>;
    /// Every edition of a series, oldest first.
    async fn editions(&self, key: &EditionKey) -> StoreResult<Vec<ReportEdition>>;
    /// Freezes an edition atomically (see [`NewEdition::previous_no`]).
    async fn save_edition(&self, e: &NewEdition) -> StoreResult<EditionOutcome>;
}
