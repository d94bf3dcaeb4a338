//! Storage ports. Each capability is one trait (organisations, procedures, decisions, legal
//! documents, users); [`Store`] bundles them for the web layer, which is generic over it
//! (static dispatch). Backend crates (`thutuc-store-sqlite`, `thutuc-store-postgres`) implement
//! every trait and pass the one contract suite in `thutuc-store-tests`.
//!
//! Errors: every method returns [`StoreError`]. Domain rule violations found while writing
//! (an open draft already exists, overlapping validity) arrive as `StoreError::Rule` carrying
//! the domain's message; optimistic-concurrency failures as `StoreError::Conflict`.

pub mod audit_scope;
pub mod auth;
pub mod calendar;
pub mod error;
pub mod feedback;
pub mod model;
pub mod outbox;
pub mod plan;
pub mod review;
pub mod staging;
pub mod stats;
pub mod tasks;

use async_trait::async_trait;
use chrono::NaiveDate;
use thutuc_domain::TthcCode;
use thutuc_domain::decision::PublicationDecision;
use thutuc_domain::legal::LegalDocument;
use thutuc_domain::org::{Organisation, Sector, UnitSuccession};
use thutuc_domain::procedure::ProcedureContent;
use thutuc_domain::version::{Procedure, ProcedureVersion, VersionStatus};

pub use auth::*;
pub use calendar::CalendarStore;
pub use error::StoreError;
pub use feedback::FeedbackStore;
pub use model::*;
pub use outbox::{OutboxStore, SubscriptionStore};
pub use review::ReviewStore;
pub use staging::{StagedUpload, StagingStore};
pub use stats::*;
pub use tasks::*;

/// Result alias for store calls.
pub type StoreResult<T> = Result<T, StoreError>;

/// Organisations, administrative units, their successions and the managed list of fields.
#[async_trait]
pub trait OrgStore: Send + Sync {
    /// Inserts or updates organisations by id, in one transaction. Parents must exist or be in the batch.
    async fn upsert_orgs(&self, orgs: &[Organisation]) -> StoreResult<usize>;
    /// Inserts successions (old → new) idempotently.
    async fn upsert_successions(&self, items: &[UnitSuccession]) -> StoreResult<usize>;
    /// One organisation.
    async fn get_org(&self, id: &str) -> StoreResult<Organisation>;
    /// All organisations (about 14,000 with historic units); callers cache the tree.
    async fn all_orgs(&self) -> StoreResult<Vec<Organisation>>;
    /// Successors of a historic unit.
    async fn successors(&self, old_id: &str) -> StoreResult<Vec<UnitSuccession>>;
    /// Inserts or updates fields (lĩnh vực).
    async fn upsert_sectors(&self, items: &[Sector]) -> StoreResult<usize>;
    /// All fields.
    async fn sectors(&self) -> StoreResult<Vec<Sector>>;
}

/// Procedures and their versions.
#[async_trait]
pub trait ProcedureStore: Send + Sync {
    /// Opens a new draft. Creates the procedure when the code is new. Fails with
    /// `StoreError::Rule` when a draft is already open.
    async fn create_draft(&self, req: NewDraft) -> StoreResult<ProcedureVersion>;
    /// Replaces a draft's content if `expected_rev` is still current; otherwise `Conflict`.
    async fn update_draft(
        &self,
        code: &TthcCode,
        seq: i64,
        expected_rev: i64,
        content: ProcedureContent,
    ) -> StoreResult<ProcedureVersion>;
    /// Moves a draft between `Draft` and `InReview` (publication happens only through a decision).
    async fn set_draft_status(
        &self,
        code: &TthcCode,
        seq: i64,
        expected_rev: i64,
        status: VersionStatus,
    ) -> StoreResult<ProcedureVersion>;
    /// The procedure's identity.
    async fn get_procedure(&self, code: &TthcCode) -> StoreResult<Procedure>;
    /// The latest public version (published, or the last one if abolished).
    async fn current_version(&self, code: &TthcCode) -> StoreResult<ProcedureVersion>;
    /// The current versions of many procedures in one round trip (exports, reports); codes
    /// without a public version are left out. Order follows `codes`. The default reads one by
    /// one; the SQL backends answer in one query per 500 codes.
    async fn current_versions(&self, codes: &[TthcCode]) -> StoreResult<Vec<ProcedureVersion>> {
        let mut out = Vec::with_capacity(codes.len());
        for c in codes {
            match self.current_version(c).await {
                Ok(v) => out.push(v),
                Err(StoreError::NotFound(_)) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(out)
    }
    /// One version.
    async fn version(&self, code: &TthcCode, seq: i64) -> StoreResult<ProcedureVersion>;
    /// Version summaries, oldest first.
    async fn versions(&self, code: &TthcCode) -> StoreResult<Vec<VersionSummary>>;
    /// A filtered, paginated list of procedures with their current version's summary.
    async fn list_procedures(
        &self,
        filter: &ProcedureFilter,
    ) -> StoreResult<Page<ProcedureSummary>>;
    /// Every procedure matching `filter` (its limit and offset are ignored), in no particular
    /// order: for exports, which would otherwise page through 100,000 rows 500 at a time with
    /// a count and an offset per page. The default pages through `list_procedures`; the SQL
    /// backends answer in one query.
    async fn all_procedures(&self, filter: &ProcedureFilter) -> StoreResult<Vec<ProcedureSummary>> {
        let mut items = Vec::new();
        let mut f = filter.clone();
        f.limit = 500;
        f.offset = 0;
        loop {
            let page = self.list_procedures(&f).await?;
            let n = page.items.len() as i64;
            items.extend(page.items);
            f.offset += n;
            if n < f.limit || f.offset >= page.total {
                return Ok(items);
            }
        }
    }
    /// Writes a batch of imported procedures in one transaction (all or nothing) and reports
    /// what happened to each: created, updated (new version), unchanged.
    async fn import_batch(&self, items: &[ImportItem]) -> StoreResult<Vec<ImportOutcome>>;
    /// Adds or updates a localisation of a central procedure.
    async fn upsert_localisation(&self, loc: &Localisation) -> StoreResult<Localisation>;
    /// Localisations of a procedure.
    async fn localisations(&self, code: &TthcCode) -> StoreResult<Vec<Localisation>>;
    /// Every localisation, ordered by code then province (a full search reindex reads them in
    /// one query). The default reads them procedure by procedure.
    async fn all_localisations(&self) -> StoreResult<Vec<Localisation>> {
        let mut out = Vec::new();
        for p in self.all_procedures(&ProcedureFilter::default()).await? {
            out.extend(self.localisations(&p.code).await?);
        }
        Ok(out)
    }
    /// Counts for dashboards.
    async fn catalogue_counts(&self) -> StoreResult<CatalogueCounts>;
    /// Procedures whose row changed at or after `since` (publication, abolition, import), for
    /// caches and search indexes that catch up from the database.
    async fn changed_since(
        &self,
        since: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<Vec<ChangedProcedure>>;
}

/// Publication decisions and their application to the catalogue.
#[async_trait]
pub trait DecisionStore: Send + Sync {
    /// Stores a decision as a draft (not yet applied).
    async fn create_decision(
        &self,
        d: &PublicationDecision,
        created_by: &str,
    ) -> StoreResult<DecisionRecord>;
    /// Replaces a draft decision if `expected_rev` is current.
    async fn update_decision(
        &self,
        number: &str,
        expected_rev: i64,
        d: &PublicationDecision,
    ) -> StoreResult<DecisionRecord>;
    /// One decision.
    async fn get_decision(&self, number: &str) -> StoreResult<DecisionRecord>;
    /// Decisions, newest first.
    async fn list_decisions(&self, filter: &DecisionFilter) -> StoreResult<Page<DecisionSummary>>;
    /// Applies a decision: every entry creates or ends versions in ONE transaction; any failing
    /// entry rolls everything back and is reported with its line. With `dry_run` the
    /// transaction is rolled back after planning, which gives a preview.
    async fn apply_decision(&self, req: &ApplyRequest) -> StoreResult<ApplyReport>;
    /// Every applied decision entry with its decision's dates and issuer, for statistics.
    async fn change_entries(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> StoreResult<Vec<ChangeEntryRow>>;
}

/// Legal documents.
#[async_trait]
pub trait LegalDocStore: Send + Sync {
    /// Inserts or updates by number.
    async fn upsert_legal_docs(&self, docs: &[LegalDocument]) -> StoreResult<usize>;
    /// One document.
    async fn get_legal_doc(&self, number: &str) -> StoreResult<LegalDocument>;
    /// All documents, optionally filtered by a text query on number/title.
    async fn list_legal_docs(
        &self,
        q: Option<&str>,
        limit: i64,
        offset: i64,
    ) -> StoreResult<Page<LegalDocument>>;
}

/// Users and API tokens (full roles arrive with the portal issue).
#[async_trait]
pub trait UserStore: Send + Sync {
    /// Creates a user; `Conflict` if the e-mail exists.
    async fn create_user(&self, u: &NewUser) -> StoreResult<User>;
    /// Looks a user up by e-mail (case-insensitive).
    async fn user_by_email(&self, email: &str) -> StoreResult<User>;
    /// Stores the hash of a new API token for a user.
    async fn add_token(&self, user_id: i64, token_hash: &str, label: &str) -> StoreResult<()>;
    /// The user owning a token hash.
    async fn user_by_token(&self, token_hash: &str) -> StoreResult<User>;
}

/// Everything the application needs from storage.
pub trait Store:
    OrgStore
    + ProcedureStore
    + DecisionStore
    + LegalDocStore
    + UserStore
    + SessionStore
    + LoginThrottle
    + AccountStore
    + AuditStore
    + StatsStore
    + CalendarStore
    + FeedbackStore
    + TaskStore
    + OutboxStore
    + SubscriptionStore
    + ReviewStore
    + StagingStore
    + Clone
    + 'static
{
    /// Backend name for logs and `/healthz` ("sqlite", "postgres").
    fn backend(&self) -> &'static str;
}
