//! Search requests and responses: plain data, serialisable, independent of tantivy so the
//! web layer can map them to its own views.

use serde::{Deserialize, Serialize};
use thutuc_domain::procedure::{Level, ProcedureKind};

use crate::doc::DocStatus;

/// Longest query text analysed (characters); longer input is truncated, not rejected.
pub const MAX_QUERY_CHARS: usize = 256;
/// Largest page size.
pub const MAX_LIMIT: usize = 100;
/// Largest offset (deep paging is what filters are for).
pub const MAX_OFFSET: usize = 10_000;

/// Filters; within one dimension values are OR-ed, dimensions are AND-ed. Empty = no filter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filters {
    /// Cấp thực hiện.
    #[serde(default)]
    pub levels: Vec<Level>,
    /// Lĩnh vực ids.
    #[serde(default)]
    pub sectors: Vec<String>,
    /// Owning organisation ids; the caller expands an agency to its subtree.
    #[serde(default)]
    pub owner_orgs: Vec<String>,
    /// External / internal.
    #[serde(default)]
    pub kinds: Vec<ProcedureKind>,
    /// In force / abolished.
    #[serde(default)]
    pub statuses: Vec<DocStatus>,
    /// Organisation ids of localising provinces.
    #[serde(default)]
    pub provinces: Vec<String>,
}

/// A search request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchRequest {
    /// What the user typed; any string is accepted (see [`MAX_QUERY_CHARS`]).
    pub q: String,
    /// Filters.
    #[serde(default)]
    pub filters: Filters,
    /// Page size, clamped to 1..=[`MAX_LIMIT`].
    pub limit: usize,
    /// Offset, clamped to [`MAX_OFFSET`].
    #[serde(default)]
    pub offset: usize,
}

impl SearchRequest {
    /// A request for the first `limit` hits of `q` without filters.
    pub fn new(q: impl Into<String>, limit: usize) -> Self {
        Self {
            q: q.into(),
            filters: Filters::default(),
            limit,
            offset: 0,
        }
    }
}

/// Highlighted fragments, HTML-escaped, with matches wrapped in `<mark>…</mark>`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Highlights {
    /// The whole name.
    pub name: String,
    /// A fragment of another field when the name alone does not show every matched word.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other: Option<String>,
}

/// One ranked hit, renderable without a database round-trip.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    /// Mã TTHC.
    pub code: String,
    /// Name (plain text).
    pub name: String,
    /// Relevance score (comparable within one response only).
    pub score: f32,
    /// Highlighted name and snippet.
    pub highlights: Highlights,
    /// Lĩnh vực name.
    pub sector: String,
    /// Lĩnh vực id.
    pub sector_id: String,
    /// Owning organisation id.
    pub owner_org: String,
    /// Cấp thực hiện.
    pub levels: Vec<Level>,
    /// External / internal.
    pub kind: ProcedureKind,
    /// In force / abolished.
    pub status: DocStatus,
}

/// The count of matching procedures for one facet value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetCount {
    /// The value (level identifier, sector id, organisation id, …).
    pub value: String,
    /// Matching procedures.
    pub count: u64,
}

/// Counts per facet value for the current query. Each dimension is counted with every
/// *other* dimension's filter applied but not its own, so a UI can offer alternatives.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facets {
    /// By level.
    pub levels: Vec<FacetCount>,
    /// By sector id.
    pub sectors: Vec<FacetCount>,
    /// By owning organisation id.
    pub owner_orgs: Vec<FacetCount>,
    /// By kind.
    pub kinds: Vec<FacetCount>,
    /// By status.
    pub statuses: Vec<FacetCount>,
    /// By localising province.
    pub provinces: Vec<FacetCount>,
}

/// A page of results.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SearchResponse {
    /// Matching procedures (after filters).
    pub total: u64,
    /// The requested page.
    pub hits: Vec<Hit>,
    /// Facet counts.
    pub facets: Facets,
    /// True when the words could not all be matched and the query was relaxed to match most of them.
    pub relaxed: bool,
}

/// A type-ahead suggestion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suggestion {
    /// Mã TTHC.
    pub code: String,
    /// Name.
    pub name: String,
    /// The name as HTML: escaped, with the words typed marked (the unfinished last one by
    /// prefix), as in [`Highlights::name`].
    #[serde(default)]
    pub name_html: String,
}
