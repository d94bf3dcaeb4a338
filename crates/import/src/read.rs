//! Reads any supported procedure format from a file path: the entry point shared by the CLI
//! and the web upload (`POST /api/v1/imports`), which stores the upload in a temporary file.

use std::path::Path;

use crate::own::OwnFormat;
use crate::{Format, ImportError, ParsedRecord, Rejection};

/// The procedure formats [`read_path`] reads, in the order a user is offered them.
pub const FORMATS: [&str; 7] = [
    "portal-page",
    "portal-json",
    "structured",
    "csdl-xlsx",
    "json",
    "csv",
    "xlsx",
];

/// Every record of a file in the named format (`portal-page`, `portal-json`, `structured`,
/// `csdl-xlsx`, or thutuc's own `json`, `csv`, `xlsx`). Decisions are read by
/// [`crate::read_decisions`] instead.
pub fn read_path(
    format: &str,
    path: &Path,
) -> Result<Vec<Result<ParsedRecord, Rejection>>, ImportError> {
    if let Some(own) = OwnFormat::parse(format) {
        return crate::own::read_own(own, path);
    }
    match Format::parse(format)? {
        Format::CsdlXlsx => crate::read_csdl_xlsx(path),
        Format::PortalPage => Ok(crate::read_portal_pages(crate::open(path)?).collect()),
        Format::PortalJson => Ok(crate::read_portal_json(crate::open(path)?).collect()),
        Format::Structured => Ok(crate::read_structured(crate::open(path)?).collect()),
        Format::Decisions => Err(ImportError::UnknownFormat(
            "decisions (use the decisions endpoint)".into(),
        )),
    }
}
