//! Parsing half of thutuc's importers: streaming readers that turn TTHC sources into
//! [`ParsedRecord`]s or [`Rejection`]s. Nothing here touches the store; matching records to
//! organisations and versions is the caller's job.
//!
//! | Format | Source | Reader |
//! |---|---|---|
//! | `portal-page` | scraped detail pages, flattened tables (`portal-pages.jsonl.gz`) | [`read_portal_pages`] |
//! | `portal-json` | national portal API responses (`portal-api-sample.jsonl`) | [`read_portal_json`] |
//! | `structured` | tables parsed from the .doc exports (`bqp-structured.jsonl.gz`) | [`read_structured`] |
//! | `csdl-xlsx` | CSDLQG list export, sheet "Danh sách TTHC" | [`read_csdl_xlsx`] |
//! | `decisions` | thutuc's own publication decisions, see `FORMATS.md` | [`read_decisions`] |
//!
//! JSON Lines readers stream one line at a time, so memory stays bounded by the longest line.

pub mod apply;
pub mod cells;
pub mod decisions;
mod jsonl;
pub mod own;
pub mod portal_json;
pub mod portal_page;
pub mod quality;
pub mod read;
pub mod record;
pub mod structured;
pub mod tables;
pub mod text_fields;
pub mod xlsx;

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

pub use decisions::{ParsedDecision, read_decisions};
pub use portal_json::read_portal_json;
pub use portal_page::read_portal_pages;
pub use quality::{QualityReport, parse_quality};
pub use record::{DetailLevel, FieldProblem, ParsedRecord, Rejection};
pub use structured::read_structured;
pub use xlsx::read_csdl_xlsx;

/// Errors that stop an import before or outside record-level rejections.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file could not be opened or read.
    #[error("không đọc được tệp {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: io::Error,
    },
    /// The spreadsheet could not be opened or has no usable sheet.
    #[error("tệp {path}: {message}")]
    Sheet {
        /// The file.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// The header row was not found.
    #[error(
        "tệp {path}: không tìm thấy dòng tiêu đề; cần các cột {expected} / header row not found"
    )]
    MissingHeader {
        /// The file.
        path: String,
        /// The expected column labels.
        expected: String,
    },
    /// An unknown format name.
    #[error(
        "định dạng không hỗ trợ «{0}»; dùng portal-page, portal-json, structured, csdl-xlsx hoặc decisions"
    )]
    UnknownFormat(String),
}

/// The source formats thutuc can import.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Scraped portal detail pages with flattened tables.
    PortalPage,
    /// National portal API JSON.
    PortalJson,
    /// Structured tables from the .doc exports.
    Structured,
    /// CSDLQG list export (xlsx).
    CsdlXlsx,
    /// thutuc publication decisions (JSON Lines).
    Decisions,
}

impl Format {
    /// All formats.
    pub const ALL: [Format; 5] = [
        Format::PortalPage,
        Format::PortalJson,
        Format::Structured,
        Format::CsdlXlsx,
        Format::Decisions,
    ];

    /// Parses the command-line name ("portal-page", "portal-json", "structured", "csdl-xlsx", "decisions").
    pub fn parse(s: &str) -> Result<Self, ImportError> {
        Self::ALL
            .into_iter()
            .find(|f| f.as_str() == s.trim())
            .ok_or_else(|| ImportError::UnknownFormat(s.to_string()))
    }

    /// The command-line name.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::PortalPage => "portal-page",
            Format::PortalJson => "portal-json",
            Format::Structured => "structured",
            Format::CsdlXlsx => "csdl-xlsx",
            Format::Decisions => "decisions",
        }
    }
}

/// Opens a file for streaming, gunzipping `*.gz` transparently. Read errors (notably a
/// truncated gzip stream) carry the file name, so the rejection they become is clear.
pub fn open(path: impl AsRef<Path>) -> Result<Box<dyn BufRead>, ImportError> {
    let path = path.as_ref();
    let name = path.display().to_string();
    let file = File::open(path).map_err(|source| ImportError::Io {
        path: name.clone(),
        source,
    })?;
    let gz = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("gz"));
    let inner: Box<dyn Read> = if gz {
        Box::new(flate2::read::MultiGzDecoder::new(BufReader::new(file)))
    } else {
        Box::new(file)
    };
    Ok(Box::new(BufReader::with_capacity(
        64 * 1024,
        NamedRead { inner, name, gz },
    )))
}

/// Adds the file name (and a hint for gzip) to read errors.
struct NamedRead {
    inner: Box<dyn Read>,
    name: String,
    gz: bool,
}

impl Read for NamedRead {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.inner.read(buf).map_err(|e| {
            let hint = if self.gz && e.kind() == io::ErrorKind::UnexpectedEof {
                "tệp gzip bị cắt cụt / truncated gzip stream"
            } else if self.gz {
                "tệp gzip hỏng / corrupt gzip stream"
            } else {
                "lỗi đọc / read error"
            };
            io::Error::new(e.kind(), format!("{}: {hint} ({e})", self.name))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_names_round_trip() {
        for f in Format::ALL {
            assert_eq!(Format::parse(f.as_str()).ok(), Some(f));
        }
        assert!(Format::parse("csv").is_err());
    }
}
