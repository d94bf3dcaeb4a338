//! Open data out of thutuc, and a national-scale catalogue for benchmarks.
//!
//! | Module | Owns |
//! |---|---|
//! | [`source`] | walking the catalogue in code order, page by page, with filters |
//! | [`own`] | thutuc's own formats: JSON Lines, CSV, XLSX (re-importable, a fixed point) |
//! | [`cpsv`] | CPSV-AP 3.2.0 JSON-LD with the `tthc:` extension (see `CPSV-AP.md`) |
//! | [`generate`] | the deterministic scale generator built on the real records |
//!
//! The flat column layout and the record shape of the own formats live in
//! [`thutuc_import::own`], next to their readers, so that writer and reader cannot drift.
//! Column documentation: `FORMATS.md` in this crate.

pub mod cpsv;
pub mod generate;
pub mod own;
pub mod source;

use thutuc_store::StoreError;

pub use cpsv::{CpsvOptions, export_cpsv, export_cpsv_jsonld};
pub use generate::{GenerateReport, GenerateSpec, generate, generate_into};
pub use own::{ExportFormat, ExportStats, export_csv, export_json, export_own, export_xlsx};
pub use source::{CatalogueRecord, ExportFilter, RecordSource, expand_subtree};

/// Why an export stopped.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// Reading the catalogue failed.
    #[error("đọc danh mục / reading the catalogue: {0}")]
    Store(#[from] StoreError),
    /// Writing the output failed.
    #[error("ghi tệp xuất / writing the export: {0}")]
    Io(#[from] std::io::Error),
    /// The XLSX writer failed.
    #[error("tạo tệp xlsx / writing xlsx: {0}")]
    Xlsx(String),
    /// A record could not be encoded (e.g. a content field without a column).
    #[error("thủ tục {code}: {reason}")]
    Record {
        /// The procedure.
        code: String,
        /// Why.
        reason: String,
    },
}

impl From<rust_xlsxwriter::XlsxError> for ExportError {
    fn from(e: rust_xlsxwriter::XlsxError) -> Self {
        ExportError::Xlsx(e.to_string())
    }
}

impl From<csv::Error> for ExportError {
    fn from(e: csv::Error) -> Self {
        ExportError::Io(std::io::Error::other(e.to_string()))
    }
}

impl From<serde_json::Error> for ExportError {
    fn from(e: serde_json::Error) -> Self {
        // Keeps the kind of I/O errors (a closed pipe stays `BrokenPipe`).
        ExportError::Io(std::io::Error::from(e))
    }
}
