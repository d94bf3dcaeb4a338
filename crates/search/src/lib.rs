//! Search over the TTHC catalogue: a tantivy index of every procedure's current version with a
//! Vietnamese analyser, filters, facets, highlights and type-ahead.
//!
//! # Analysis
//! Text is NFC-normalised at index and at query time (NFD pasted from Word behaves exactly
//! like NFC), split into syllables and lower-cased. Each text is indexed twice, with diacritics
//! and folded (`đ`→`d`), and queries hit both with the exact field boosted: "đăng ký" ranks
//! "Đăng ký" above "đăng kỳ", "dang ky" finds both. Names also carry folded syllable bigrams
//! (so "khai sinh" prefers names containing the phrase) and edge n-grams (type-ahead).
//! Codes, local service codes and legal document numbers are folded keywords, with their
//! prefixes, so "1.000080", "1.0000", "123/2015/NĐ-CP" and "123/2015" all work.
//!
//! Queries are never given to tantivy's query parser: [`query::analyse`] turns any string
//! (quotes, colons, `*`, control characters, 10,000 characters) into terms, and queries are
//! assembled from those. All non-filler words must match; if nothing does, a relaxed pass
//! requires about half of them ([`SearchResponse::relaxed`]). A query becomes a flat
//! [`query::Plan`] that [`exec`] runs term at a time into dense per-segment arrays (facets
//! need every match scored), with tantivy's own BM25 per term.
//!
//! # Keeping in step with the database
//! The index lives in each application process (in RAM by default, or memory-mapped from a
//! directory). Every write path that publishes or abolishes a version calls
//! [`SearchIndex::upsert`] / [`SearchIndex::delete`] and [`SearchIndex::commit`], so the
//! writer's own server shows the change at once. Changes made elsewhere (another app server,
//! a CLI import) are picked up from the database's change log: once a second each server calls
//! [`SearchIndex::sync_since`] with its watermark minus a small overlap (a few seconds, for
//! clock skew and transactions that commit with an earlier `updated_at`). That reads
//! `ProcedureStore::changed_since`, reloads each changed procedure's current version and
//! localisations, upserts or deletes it, commits, and returns the newest `updated_at` seen as
//! the next watermark. Re-applying a row is harmless (upserts replace by code) and rows
//! already applied are skipped. With several PostgreSQL-backed servers, each one runs this
//! loop independently against the shared database, so all converge within about a second
//! without any coordination between servers; a new or restarted server first runs
//! [`SearchIndex::rebuild`] (or opens its on-disk index) and then follows the log from the
//! time the rebuild started.

pub mod analysis;
pub mod collector;
pub mod doc;
pub mod exec;
pub mod groups;
pub mod highlight;
pub mod index;
pub mod query;
pub mod request;
pub mod schema;
pub mod segments;
pub mod sync;
pub mod tokenizer;

pub use doc::{DocStatus, IndexDoc};
pub use index::{SearchConfig, SearchIndex};
pub use request::{
    FacetCount, Facets, Filters, Highlights, Hit, SearchRequest, SearchResponse, Suggestion,
};
pub use sync::{SyncReport, load_doc};

/// Why a search-index operation failed. Query text never causes an error.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The index itself failed (I/O, corruption, writer killed).
    #[error("lỗi chỉ mục tìm kiếm / search index error: {0}")]
    Index(#[from] tantivy::TantivyError),
    /// Opening the index directory failed.
    #[error("không mở được thư mục chỉ mục / cannot open index directory: {0}")]
    Directory(#[from] tantivy::directory::error::OpenDirectoryError),
    /// File-system error.
    #[error("lỗi tệp chỉ mục / index file error: {0}")]
    Io(String),
    /// An on-disk index was built with another schema: rebuild it.
    #[error("chỉ mục tại {0} dùng lược đồ khác, cần dựng lại / index schema differs, rebuild it")]
    SchemaMismatch(String),
    /// Reading from the store failed.
    #[error(transparent)]
    Store(#[from] thutuc_store::StoreError),
}
