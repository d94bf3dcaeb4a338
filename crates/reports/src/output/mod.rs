//! Renderers. All take the same [`Report`], template and document details, so the numbers in
//! every format are the same numbers.

pub mod csv;
pub mod docx;
pub mod html;
pub mod letter;
pub mod letter_pdf;
pub mod pdf;
pub mod svg;
pub mod xlsx;

use serde::{Deserialize, Serialize};

use crate::ReportError;
use crate::model::Report;
use crate::template::{DocumentParams, ReportTemplate};

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// The report as JSON (with drill-down items).
    Json,
    /// Tidy CSV: one line per table cell.
    Csv,
    /// Workbook: one sheet per table, details and metadata.
    Xlsx,
    /// Print-friendly HTML (A4) in the Decree 30/2020 layout.
    Html,
    /// Word document in the Decree 30/2020 layout.
    Docx,
    /// PDF (A4, embedded Liberation Serif) in the Decree 30/2020 layout.
    Pdf,
}

impl Format {
    /// Parses `json|csv|xlsx|html|docx|pdf`.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "json" => Self::Json,
            "csv" => Self::Csv,
            "xlsx" => Self::Xlsx,
            "html" => Self::Html,
            "docx" => Self::Docx,
            "pdf" => Self::Pdf,
            _ => return None,
        })
    }
    /// MIME type.
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Json => "application/json",
            Self::Csv => "text/csv; charset=utf-8",
            Self::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Self::Html => "text/html; charset=utf-8",
            Self::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Self::Pdf => "application/pdf",
        }
    }
    /// File extension.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Json => "json",
            Self::Csv => "csv",
            Self::Xlsx => "xlsx",
            Self::Html => "html",
            Self::Docx => "docx",
            Self::Pdf => "pdf",
        }
    }
}

/// Renders a report.
pub fn render(
    r: &Report,
    t: &ReportTemplate,
    doc: &DocumentParams,
    f: Format,
) -> Result<Vec<u8>, ReportError> {
    match f {
        Format::Json => {
            serde_json::to_vec_pretty(r).map_err(|e| ReportError::Output(e.to_string()))
        }
        Format::Csv => csv::render(r, t),
        Format::Xlsx => xlsx::render(r, t),
        Format::Html => html::render(r, t, doc).map(String::into_bytes),
        Format::Docx => docx::render(r, t, doc),
        Format::Pdf => pdf::render(r, t, doc),
    }
}
