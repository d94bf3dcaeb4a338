//! Statistics and reports on procedure publication (issue 7).
//!
//! Everything is *derived* from the publication decisions and the version history, never typed
//! in, so every number rebuilds exactly and maps back to the (decision, procedure) pairs behind
//! it ([`model::Report::drill`]).
//!
//! Layers:
//! - [`engine::compute`] is pure: change facts + stock figures + decision facts in, a
//!   [`model::Report`] out. Definitions (what is counted, where, and the identities that hold)
//!   are documented on the model types and tested in this crate.
//! - [`service`] gathers the inputs from a [`thutuc_store::Store`] (cost proportional to the
//!   period, not to the history: see `BENCHMARKS.md`).
//! - [`edition`] freezes reports for past periods with the hash of their inputs; a correction
//!   creates a new edition with a changelog, never a silent change.
//! - [`template`], [`tables`] and [`output`] render one report to JSON, CSV, XLSX, HTML (A4,
//!   Decree 30/2020/NĐ-CP layout) and DOCX; headings are data a province can change.
//!
//! Not here: PDF (print the HTML, or a later typst/printpdf renderer), subscriber e-mail (the
//! jobs outbox), the scheduler (the server calls [`edition::ensure_monthly_edition`] daily).

pub mod compliance;
pub mod drill;
pub mod edition;
pub mod engine;
pub mod error;
pub mod inputs;
pub mod model;
pub mod orgs;
pub mod output;
pub mod period;
pub mod service;
pub mod stock;
pub mod tables;
pub mod template;

pub use error::ReportError;
pub use model::Report;
pub use period::Period;
pub use thutuc_store::DateBasis;
