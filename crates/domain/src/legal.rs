//! Văn bản pháp luật: legal documents referenced by procedures and decisions.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A legal document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegalDocument {
    /// Normalised number, e.g. `123/2015/NĐ-CP`.
    pub number: String,
    /// Loại văn bản: Luật, Nghị định, Thông tư, Quyết định…
    pub doc_type: String,
    /// Trích yếu.
    pub title: String,
    /// Cơ quan ban hành.
    pub issuer: String,
    /// Ngày ban hành.
    pub signed_on: Option<NaiveDate>,
    /// Ngày có hiệu lực.
    pub effective_on: Option<NaiveDate>,
}

/// Guesses the document type from its number's symbol.
pub fn doc_type_from_number(number: &str) -> &'static str {
    let n = number.to_uppercase();
    if n.contains("/NĐ-") {
        "Nghị định"
    } else if n.contains("/TT-") || n.contains("/TTLT-") {
        "Thông tư"
    } else if n.contains("/QĐ-") {
        "Quyết định"
    } else if n.contains("/QH") {
        "Luật"
    } else if n.contains("/NQ-") {
        "Nghị quyết"
    } else {
        "Văn bản"
    }
}
