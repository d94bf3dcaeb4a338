//! thutuc's own open-data formats, shared by the exporter (`thutuc-export`) and the importers
//! here, so that export → import → export is a fixed point: one [`OwnRecord`] per procedure
//! (the procedure's identity plus its current version), written as
//!
//! | Format | Layout | Reader |
//! |---|---|---|
//! | `json` | JSON Lines, one [`OwnRecord`] per line, fields in declaration order | [`read_json`] |
//! | `csv` | header row of [`COLUMNS`] keys, one row per procedure | [`read_csv`] |
//! | `xlsx` | sheet [`SHEET`], the same header and rows; over-long cells continue at the row's end | [`read_xlsx`] |
//!
//! Flat cells ([`cells`]): text fields as plain text, every list or object (levels, channels,
//! dossier, legal bases …) as compact JSON. The column list covers every field of
//! [`ProcedureContent`]; [`to_cells`] refuses a content field it has no column for, so a new
//! domain field cannot be dropped silently. The version columns (`seq`, `status`,
//! `valid_from`, `valid_to`) describe the exported version; importing creates a new
//! published version in the target catalogue (valid from `--valid-from`), so they are read,
//! checked and otherwise informational.

mod cells;
mod csv_reader;
mod json_reader;
mod xlsx_reader;

use std::path::Path;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use thutuc_domain::TthcCode;
use thutuc_domain::procedure::{ProcedureContent, ProcedureKind};
use thutuc_domain::version::VersionStatus;

use crate::record::{DetailLevel, ParsedRecord, Rejection};
use crate::{ImportError, open};

pub use cells::{
    COLUMNS, CONTINUATION_HEADER, CellError, Column, ColumnKind, XLSX_CELL_MAX, from_cells,
    join_continuations, split_for_xlsx, to_cells,
};
pub use csv_reader::read_csv;
pub use json_reader::read_json;
pub use xlsx_reader::{read_xlsx, read_xlsx_from};

/// The worksheet name of the XLSX export.
pub const SHEET: &str = "TTHC";

/// One procedure in thutuc's own formats: identity, the exported version's metadata and its
/// full content. Field order is the JSON order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OwnRecord {
    /// Mã thủ tục.
    pub code: TthcCode,
    /// External or internal (TTHC nội bộ).
    pub kind: ProcedureKind,
    /// Owning organisation id (`BTP`, `P01` …).
    pub owner_org: String,
    /// Sequence number of the exported version.
    pub seq: i64,
    /// Status of the exported version.
    pub status: VersionStatus,
    /// First day in force.
    pub valid_from: Option<NaiveDate>,
    /// Last day in force (inclusive).
    pub valid_to: Option<NaiveDate>,
    /// Số quyết định công bố.
    pub decision_no: Option<String>,
    /// The version's content.
    pub content: ProcedureContent,
}

impl OwnRecord {
    /// The importer's view of the record: full detail, owner matched by its id.
    pub fn into_parsed(self, line: usize) -> ParsedRecord {
        ParsedRecord {
            line,
            code: self.code,
            kind: self.kind,
            decision_no: self.decision_no,
            publisher_hint: Some(self.owner_org),
            content: self.content,
            problems: Vec::new(),
            detail: DetailLevel::Full,
        }
    }
}

/// thutuc's own formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OwnFormat {
    /// JSON Lines.
    Json,
    /// CSV (UTF-8, comma-separated, header row).
    Csv,
    /// XLSX workbook.
    Xlsx,
}

impl OwnFormat {
    /// All own formats.
    pub const ALL: [OwnFormat; 3] = [OwnFormat::Json, OwnFormat::Csv, OwnFormat::Xlsx];

    /// Parses the command-line name (`json`, `csv`, `xlsx`).
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == s.trim())
    }

    /// The command-line name.
    pub fn as_str(self) -> &'static str {
        match self {
            OwnFormat::Json => "json",
            OwnFormat::Csv => "csv",
            OwnFormat::Xlsx => "xlsx",
        }
    }
}

/// Reads a whole file in one of the own formats (`.gz` is gunzipped for json and csv).
/// File-level problems (unreadable file, missing header) are errors; record-level ones are
/// rejections naming the line (and cell, for csv and xlsx).
pub fn read_own(
    format: OwnFormat,
    path: impl AsRef<Path>,
) -> Result<Vec<Result<ParsedRecord, Rejection>>, ImportError> {
    let path = path.as_ref();
    match format {
        OwnFormat::Json => Ok(read_json(open(path)?).collect()),
        OwnFormat::Csv => read_csv(open(path)?, &path.display().to_string()),
        OwnFormat::Xlsx => read_xlsx(path),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_format_names_round_trip() {
        for f in OwnFormat::ALL {
            assert_eq!(OwnFormat::parse(f.as_str()), Some(f));
        }
        assert_eq!(OwnFormat::parse("portal-page"), None);
    }
}
