//! Records exchanged with the store: requests, summaries and pages. These are storage-side
//! shapes; the web layer has its own views.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use thutuc_domain::TthcCode;
use thutuc_domain::decision::{IssuerKind, PublicationDecision, Timeliness};
use thutuc_domain::procedure::{Channel, ProcedureContent, ProcedureKind};
use thutuc_domain::version::{ChangeKind, VersionStatus};

/// A page of results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    /// Items on this page.
    pub items: Vec<T>,
    /// Total matching items.
    pub total: i64,
    /// Page size used.
    pub limit: i64,
    /// Offset used.
    pub offset: i64,
}

/// A request to open a draft.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewDraft {
    /// Procedure code (new or existing).
    pub code: TthcCode,
    /// External or internal (used only when the procedure is new).
    pub kind: ProcedureKind,
    /// Owning organisation (used only when the procedure is new).
    pub owner_org: String,
    /// Content of the draft.
    pub content: ProcedureContent,
    /// Who opened it.
    pub created_by: String,
}

/// A version without its content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VersionSummary {
    /// Sequence number.
    pub seq: i64,
    /// Status.
    pub status: VersionStatus,
    /// Valid from.
    pub valid_from: Option<NaiveDate>,
    /// Valid to (inclusive).
    pub valid_to: Option<NaiveDate>,
    /// Publishing decision.
    pub decision_no: Option<String>,
    /// Kind of change.
    pub change_kind: Option<ChangeKind>,
    /// Changed components.
    pub changed_components: Vec<String>,
    /// Name in this version.
    pub name: String,
    /// Revision.
    pub rev: i64,
}

/// Status filter for procedure lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProcedureStatusFilter {
    /// Procedures whose current version is in force.
    InForce,
    /// Abolished procedures.
    Abolished,
    /// Procedures with an open draft.
    HasDraft,
}

/// Filters for listing procedures.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProcedureFilter {
    /// Accent-insensitive text on code and name.
    pub q: Option<String>,
    /// Level identifier.
    pub level: Option<String>,
    /// Sector id (folded slug).
    pub sector: Option<String>,
    /// Owning organisations (already expanded to a subtree by the caller).
    pub owner_orgs: Option<Vec<String>>,
    /// External / internal.
    pub kind: Option<ProcedureKind>,
    /// Status.
    pub status: Option<ProcedureStatusFilter>,
    /// Page size (1–500).
    pub limit: i64,
    /// Offset.
    pub offset: i64,
}

/// One row of a procedure list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProcedureSummary {
    /// Code.
    pub code: TthcCode,
    /// Name (current version, or the draft's when nothing is published).
    pub name: String,
    /// External or internal.
    pub kind: ProcedureKind,
    /// Owner organisation.
    pub owner_org: String,
    /// Sector name.
    pub sector: String,
    /// Level identifiers.
    pub levels: Vec<String>,
    /// Abolished flag.
    pub abolished: bool,
    /// Current public version.
    pub current_seq: Option<i64>,
    /// Open draft.
    pub draft_seq: Option<i64>,
}

/// One imported procedure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportItem {
    /// Code.
    pub code: TthcCode,
    /// Kind.
    pub kind: ProcedureKind,
    /// Owning organisation id (resolved by the caller).
    pub owner_org: String,
    /// Publishing decision number, if known.
    pub decision_no: Option<String>,
    /// Content.
    pub content: ProcedureContent,
    /// A bare list row (name, agency, field): creates a procedure but never overwrites detail.
    pub list_only: bool,
    /// Valid-from for a newly created published version.
    pub valid_from: NaiveDate,
}

/// What an import did to one procedure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportAction {
    /// New procedure.
    Created,
    /// New version of an existing procedure.
    Updated,
    /// Nothing changed.
    Unchanged,
}

/// Per-item import result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportOutcome {
    /// Code.
    pub code: TthcCode,
    /// Action taken.
    pub action: ImportAction,
    /// The current version after the import.
    pub seq: i64,
}

/// The "after" of the audit entry of one committed import batch: the request as its caller
/// recorded it, the codes created, the codes given a new version (with that version's number)
/// and how many were unchanged.
pub fn import_audit_after(
    request: Option<serde_json::Value>,
    outcomes: &[ImportOutcome],
) -> serde_json::Value {
    let of = |a: ImportAction| outcomes.iter().filter(move |o| o.action == a);
    let created: Vec<&str> = of(ImportAction::Created).map(|o| o.code.as_str()).collect();
    let updated: Vec<serde_json::Value> = of(ImportAction::Updated)
        .map(|o| serde_json::json!({ "code": o.code.as_str(), "seq": o.seq }))
        .collect();
    serde_json::json!({
        "request": request,
        "created": created,
        "updated": updated,
        "unchanged": of(ImportAction::Unchanged).count(),
    })
}

/// Local overrides of a province's version of a central procedure.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LocalOverrides {
    /// Channels with local time limits and fees (replace the central channels when non-empty).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub channels: Vec<Channel>,
    /// Local implementing body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub executing_agency: Option<String>,
    /// Local receiving address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receiving_address: Option<String>,
    /// Free-text notes.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
}

/// Thủ tục địa phương: a province's localisation of a central procedure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Localisation {
    /// Central procedure.
    pub code: TthcCode,
    /// Province (or other local) organisation id.
    pub org_id: String,
    /// Local service code, e.g. `1.011442.000.00.00.H38`.
    pub local_code: Option<String>,
    /// Overrides.
    pub overrides: LocalOverrides,
    /// The central version it was made against.
    pub central_seq: i64,
    /// True when the central procedure has a newer version than `central_seq`.
    pub drifted: bool,
    /// Revision for optimistic concurrency (0 when creating).
    pub rev: i64,
}

/// Headline counts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CatalogueCounts {
    /// Procedures in the catalogue.
    pub procedures: i64,
    /// In force.
    pub in_force: i64,
    /// Abolished.
    pub abolished: i64,
    /// Versions.
    pub versions: i64,
    /// Open drafts.
    pub drafts: i64,
    /// Decisions.
    pub decisions: i64,
    /// Localisations.
    pub localisations: i64,
}

/// A stored decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DecisionRecord {
    /// The decision.
    pub decision: PublicationDecision,
    /// Draft or applied.
    pub status: thutuc_domain::decision::DecisionStatus,
    /// Revision.
    pub rev: i64,
    /// Creator.
    pub created_by: String,
    /// Date applied.
    pub applied_on: Option<NaiveDate>,
    /// Lateness computed when applied (or on demand for drafts by the web layer).
    pub timeliness: Option<Timeliness>,
}

/// Filters for decisions.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DecisionFilter {
    /// Issuer organisations.
    pub issuer_orgs: Option<Vec<String>>,
    /// Signed on or after.
    pub from: Option<NaiveDate>,
    /// Signed on or before.
    pub to: Option<NaiveDate>,
    /// Procedure code appearing in the entries.
    pub code: Option<String>,
    /// Page size.
    pub limit: i64,
    /// Offset.
    pub offset: i64,
}

/// One row of a decision list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DecisionSummary {
    /// Number.
    pub number: String,
    /// Title.
    pub title: String,
    /// Signed.
    pub signed_on: NaiveDate,
    /// Effective.
    pub effective_on: NaiveDate,
    /// Issuer.
    pub issuer_org: String,
    /// Status.
    pub status: thutuc_domain::decision::DecisionStatus,
    /// Number of entries.
    pub entries: i64,
    /// Late flag (applied decisions).
    pub late: Option<bool>,
}

/// What applying a decision did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApplyReport {
    /// Decision number.
    pub number: String,
    /// Per entry: code, change kind, and the version created or closed.
    pub entries: Vec<AppliedEntry>,
}

/// One applied entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppliedEntry {
    /// Code.
    pub code: TthcCode,
    /// Kind.
    pub kind: ChangeKind,
    /// Version now current.
    pub seq: i64,
    /// Changed components (amendments).
    pub changed_components: Vec<String>,
}

/// A flat change row for statistics.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangeEntryRow {
    /// Decision.
    pub decision_no: String,
    /// Signed.
    pub signed_on: NaiveDate,
    /// Entry effective date.
    pub effective_on: NaiveDate,
    /// Issuer.
    pub issuer_org: String,
    /// Issuer kind.
    pub issuer_kind: IssuerKind,
    /// Local re-publication of a central decision.
    pub local_republication: bool,
    /// Kind.
    pub kind: ChangeKind,
    /// Procedure.
    pub code: TthcCode,
}

/// A new user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewUser {
    /// E-mail (login).
    pub email: String,
    /// Display name.
    pub name: String,
    /// Organisation.
    pub org_id: String,
    /// Role identifier.
    pub role: String,
    /// argon2id hash.
    pub password_hash: String,
}

/// A stored user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct User {
    /// Id.
    pub id: i64,
    /// E-mail.
    pub email: String,
    /// Name.
    pub name: String,
    /// Organisation.
    pub org_id: String,
    /// Role.
    pub role: String,
    /// argon2id hash.
    #[serde(skip_serializing)]
    pub password_hash: String,
}

/// A request to apply a decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApplyRequest {
    /// Decision number.
    pub number: String,
    /// The revision the caller saw.
    pub expected_rev: i64,
    /// Date of application (today).
    pub applied_on: NaiveDate,
    /// Lateness computed by the caller with the configured rules and calendar.
    pub timeliness: Option<Timeliness>,
    /// Plan and roll back.
    pub dry_run: bool,
}

/// A procedure row that changed, for catch-up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangedProcedure {
    /// Code.
    pub code: TthcCode,
    /// Current public version after the change.
    pub current_seq: Option<i64>,
    /// When it changed.
    pub updated_at: chrono::DateTime<chrono::Utc>,
}
