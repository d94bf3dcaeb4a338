//! Wire types of the API: views (`…View`) and requests (`…Request`), separate from storage
//! rows and domain types. Domain payloads (procedure content, decisions) are embedded as they
//! serialise, and documented in the OpenAPI schema as objects.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use thutuc_domain::completeness::CompletenessReport;
use thutuc_domain::decision::{PublicationDecision, Timeliness};
use thutuc_domain::diff::Change;
use thutuc_domain::org::Organisation;
use thutuc_domain::procedure::ProcedureContent;
use thutuc_domain::version::ProcedureVersion;
use utoipa::{IntoParams, ToSchema};

/// A procedure with its current public version.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProcedureView {
    /// Mã TTHC.
    pub code: String,
    /// `external` or `internal`.
    pub kind: String,
    /// Owning organisation id.
    pub owner_org: String,
    /// Owning organisation name.
    pub owner_name: String,
    /// Abolished (the version shown is the last one).
    pub abolished: bool,
    /// The current public version, with its full content.
    #[schema(value_type = Object)]
    pub version: ProcedureVersion,
    /// Completeness against Decree 63/2010 Art 8(2).
    #[schema(value_type = Object)]
    pub completeness: CompletenessReport,
}

/// A version with its content.
#[derive(Debug, Serialize, ToSchema)]
pub struct VersionView {
    /// The version.
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub version: ProcedureVersion,
    /// Vietnamese status label.
    pub status_label: String,
}

/// The diff between two versions.
#[derive(Debug, Serialize, ToSchema)]
pub struct DiffView {
    /// Procedure.
    pub code: String,
    /// Older version.
    pub from: i64,
    /// Newer version.
    pub to: i64,
    /// Field-level changes, each with a Vietnamese sentence.
    #[schema(value_type = Vec<Object>)]
    pub changes: Vec<Change>,
    /// Components touched.
    pub changed_components: Vec<String>,
}

/// Query of the diff endpoint.
#[derive(Debug, Deserialize, IntoParams)]
pub struct DiffQuery {
    /// Older version (default: the one before `to`).
    pub from: Option<i64>,
    /// Newer version (default: current).
    pub to: Option<i64>,
}

/// Query of the procedure list.
#[derive(Debug, Deserialize, IntoParams, Default)]
pub struct ProcedureListQuery {
    /// Text (accent-insensitive) on code, name and field.
    pub q: Option<String>,
    /// Level: ministry, province, commune, district, other.
    pub level: Option<String>,
    /// Field id (slug), e.g. `ho-tich`.
    pub field: Option<String>,
    /// Organisation id: procedures owned by it or its subtree.
    pub agency: Option<String>,
    /// `external` or `internal`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// `in_force`, `abolished` or `has_draft`.
    pub status: Option<String>,
    /// Page size (default 20, max 500).
    pub limit: Option<i64>,
    /// Offset.
    pub offset: Option<i64>,
}

/// A page of results.
#[derive(Debug, Serialize, ToSchema)]
pub struct PageView<T: Serialize> {
    /// Items.
    pub items: Vec<T>,
    /// Total matching.
    pub total: i64,
    /// Page size.
    pub limit: i64,
    /// Offset.
    pub offset: i64,
}

impl<T: Serialize> From<thutuc_store::Page<T>> for PageView<T> {
    fn from(p: thutuc_store::Page<T>) -> Self {
        Self {
            items: p.items,
            total: p.total,
            limit: p.limit,
            offset: p.offset,
        }
    }
}

/// Opens a draft.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateDraftRequest {
    /// Content of the draft.
    #[schema(value_type = Object)]
    pub content: ProcedureContent,
    /// `external` (default) or `internal`, for a new procedure.
    pub kind: Option<String>,
    /// Owner organisation for a new procedure (default: the caller's).
    pub owner_org: Option<String>,
}

/// Edits a draft.
#[derive(Debug, Deserialize, ToSchema)]
pub struct UpdateDraftRequest {
    /// The revision the editor started from.
    pub rev: i64,
    /// New content.
    #[schema(value_type = Object)]
    pub content: ProcedureContent,
}

/// Moves a draft between `draft` and `in_review`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct DraftStatusRequest {
    /// The revision the editor saw.
    pub rev: i64,
    /// `in_review` or `draft`.
    pub status: String,
}

/// A decision with its lateness.
#[derive(Debug, Serialize, ToSchema)]
pub struct DecisionView {
    /// The decision and its entries.
    #[schema(value_type = Object)]
    pub decision: PublicationDecision,
    /// `draft` or `applied`.
    pub status: String,
    /// Revision for edits and application.
    pub rev: i64,
    /// Date applied.
    pub applied_on: Option<NaiveDate>,
    /// Publication deadline check (stored when applied, computed for drafts).
    #[schema(value_type = Object)]
    pub timeliness: Timeliness,
}

/// Edits a draft decision.
#[derive(Debug, Deserialize, ToSchema)]
pub struct UpdateDecisionRequest {
    /// Revision seen.
    pub rev: i64,
    /// The decision.
    #[schema(value_type = Object)]
    pub decision: PublicationDecision,
}

/// Applies a decision.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ApplyDecisionRequest {
    /// Revision seen.
    pub rev: i64,
    /// Plan only, change nothing (preview).
    #[serde(default)]
    pub dry_run: bool,
}

/// Query of the decision list.
#[derive(Debug, Deserialize, IntoParams)]
pub struct DecisionListQuery {
    /// Issuer organisation (with its subtree).
    pub issuer: Option<String>,
    /// Signed on or after (YYYY-MM-DD).
    pub from: Option<NaiveDate>,
    /// Signed on or before.
    pub to: Option<NaiveDate>,
    /// Decisions listing this procedure code.
    pub code: Option<String>,
    /// Page size.
    pub limit: Option<i64>,
    /// Offset.
    pub offset: Option<i64>,
}

/// An organisation with its place in the tree.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrganisationView {
    /// The organisation.
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub org: Organisation,
    /// Vietnamese kind label.
    pub kind_label: String,
    /// Number of direct children.
    pub children: usize,
    /// Ancestors from the root.
    pub path: Vec<String>,
}

/// Query of the organisation list.
#[derive(Debug, Deserialize, IntoParams)]
pub struct OrgListQuery {
    /// Parent id (default: roots).
    pub parent: Option<String>,
    /// Kind filter.
    pub kind: Option<String>,
    /// Accent-insensitive name filter (searches the whole tree).
    pub q: Option<String>,
    /// Include units no longer in force (historic).
    #[serde(default)]
    pub historic: bool,
    /// Page size (default 100).
    pub limit: Option<usize>,
    /// Offset.
    pub offset: Option<usize>,
}

/// Query of a text-filtered list.
#[derive(Debug, Deserialize, IntoParams)]
pub struct TextQuery {
    /// Text filter.
    pub q: Option<String>,
    /// Page size.
    pub limit: Option<i64>,
    /// Offset.
    pub offset: Option<i64>,
}

/// Query with an optional version.
#[derive(Debug, Deserialize, IntoParams)]
pub struct SeqQuery {
    /// Version (default: current).
    pub seq: Option<i64>,
}

/// Health.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// "ok".
    pub status: &'static str,
    /// Storage backend.
    pub backend: &'static str,
}

/// Creates or edits a localisation.
#[derive(Debug, Deserialize, ToSchema)]
pub struct LocalisationRequest {
    /// Revision seen (0 to create).
    #[serde(default)]
    pub rev: i64,
    /// Local service code, e.g. `1.000080.000.00.00.H26`.
    pub local_code: Option<String>,
    /// Local fees, time limits, body, address.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub overrides: thutuc_store::LocalOverrides,
}
