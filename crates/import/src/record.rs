//! What every importer yields: a [`ParsedRecord`] (one procedure, with the fields that
//! could not be structured listed as [`FieldProblem`]s) or a [`Rejection`] (a whole record
//! refused), plus the helpers every format shares: code parsing with the permitted repair
//! of line-wrapped codes, duplicate detection and decision-number cleanup.

use std::collections::HashMap;

use thutuc_domain::ProcedureContent;
use thutuc_domain::codes::{ProcedureRef, TthcCode};
use thutuc_domain::procedure::ProcedureKind;
use thutuc_domain::text::{clean_inline, fold};

/// How much of the procedure a record carries; a list row must never overwrite richer detail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DetailLevel {
    /// Detail page, API response or structured export: every component present in the source.
    Full,
    /// A row of a list export (name, agencies, sector only).
    ListOnly,
}

/// A field that could not be parsed into structure; its original text stays in
/// `content.source_text[field]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    /// Source field name (e.g. `cach_thuc_thuc_hien`, `code`).
    pub field: String,
    /// What went wrong, in Vietnamese and English.
    pub message: String,
    /// The offending fragment.
    pub original: String,
}

/// One imported procedure.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedRecord {
    /// 1-based line (JSON Lines) or row (spreadsheets) number.
    pub line: usize,
    /// Mã thủ tục.
    pub code: TthcCode,
    /// External, or internal (TTHC nội bộ).
    pub kind: ProcedureKind,
    /// Số quyết định công bố, cleaned ("Quyết định số 6225/QĐ-BQP" → "6225/QĐ-BQP").
    pub decision_no: Option<String>,
    /// A hint for matching the owning organisation (source folder, promulgating department, issuer).
    pub publisher_hint: Option<String>,
    /// Normalised content.
    pub content: ProcedureContent,
    /// Fields that could not be structured.
    pub problems: Vec<FieldProblem>,
    /// Full detail or list-only.
    pub detail: DetailLevel,
}

/// A whole record refused: the importer moves on to the next one.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Rejection {
    /// 1-based line or row number (0 when the file itself could not be read).
    pub line: usize,
    /// The record's code as written, when known.
    pub code: Option<String>,
    /// The field at fault (`json`, `code`, `file`, …).
    pub field: String,
    /// Spreadsheet cell reference such as "B5", when the source is a sheet.
    pub column: Option<String>,
    /// Why, in Vietnamese and English.
    pub reason: String,
}

impl std::fmt::Display for Rejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "dòng {}", self.line)?;
        if let Some(c) = &self.column {
            write!(f, " ({c})")?;
        }
        if let Some(c) = &self.code {
            write!(f, ", mã {c}")?;
        }
        write!(f, ", trường {}: {}", self.field, self.reason)
    }
}

impl Rejection {
    /// A rejection with no code or column.
    pub fn new(line: usize, field: &str, reason: impl Into<String>) -> Self {
        Self {
            line,
            code: None,
            field: field.into(),
            column: None,
            reason: reason.into(),
        }
    }
}

/// Parses a procedure code as found in a source. Codes with a case or locality suffix
/// (`1.000358.01`, `1.013401.H50`) give their central code. A code broken by whitespace
/// (`2.000908.00 0.00.00.H61`, a line-wrap artefact) is repaired by removing the whitespace,
/// which the import layer alone may do; the repair is reported as a [`FieldProblem`].
pub fn parse_code(raw: &str, field: &str) -> Result<(TthcCode, Option<FieldProblem>), String> {
    let attempt = |s: &str| ProcedureRef::parse(s).map(|r| r.code().clone());
    match attempt(raw) {
        Ok(c) => Ok((c, None)),
        Err(first) => {
            let squeezed: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
            if squeezed != raw.trim()
                && let Ok(c) = attempt(&squeezed)
            {
                let p = FieldProblem {
                    field: field.into(),
                    message: format!(
                        "đã sửa mã bị ngắt dòng thành {squeezed} / repaired a line-wrapped code"
                    ),
                    original: raw.into(),
                };
                return Ok((c, Some(p)));
            }
            Err(first.to_string())
        }
    }
}

/// Remembers the codes seen in one file and reports later duplicates.
#[derive(Debug, Default)]
pub struct DuplicateGuard {
    seen: HashMap<TthcCode, usize>,
}

impl DuplicateGuard {
    /// Records `code` at `line`; returns the earlier line when the code was already seen.
    pub fn check(&mut self, code: &TthcCode, line: usize) -> Option<usize> {
        match self.seen.get(code) {
            Some(&first) => Some(first),
            None => {
                self.seen.insert(code.clone(), line);
                None
            }
        }
    }

    /// Turns a record into a rejection when its code repeats an earlier one.
    pub fn filter(&mut self, rec: ParsedRecord) -> Result<ParsedRecord, Rejection> {
        match self.check(&rec.code, rec.line) {
            None => Ok(rec),
            Some(first) => Err(Rejection {
                line: rec.line,
                code: Some(rec.code.to_string()),
                field: "code".into(),
                column: None,
                reason: format!(
                    "mã trùng với dòng {first} / duplicate code (first seen on line {first})"
                ),
            }),
        }
    }
}

/// Cleans a publication decision number: drops "Quyết định số", NFC, removes spaces
/// around "/" ("3980 /QĐ-BQP" → "3980/QĐ-BQP"). Placeholders such as `QĐ/0001-BCA` are kept.
pub fn clean_decision_no(raw: &str) -> Option<String> {
    let s = clean_inline(raw);
    let mut rest: &str = &s;
    for prefix in ["quyet dinh so", "quyet dinh", "so"] {
        let f = fold(rest);
        if f.starts_with(prefix) {
            let chars = prefix.chars().count();
            let byte = rest
                .char_indices()
                .nth(chars)
                .map_or(rest.len(), |(i, _)| i);
            rest = rest[byte..].trim_start_matches([' ', ':', '.']);
        }
    }
    let out = rest
        .replace(" /", "/")
        .replace("/ ", "/")
        .trim()
        .to_string();
    (!out.is_empty() && !is_no_info(&out)).then_some(out)
}

/// Whether a value is empty or the portal's "Không có thông tin".
pub fn is_no_info(s: &str) -> bool {
    let f = fold(s.trim());
    f.is_empty() || f == "khong co thong tin"
}

/// The value unless it is empty or "Không có thông tin".
pub fn informative(s: &str) -> String {
    if is_no_info(s) {
        String::new()
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_codes_are_repaired_and_reported() {
        let (code, problem) = parse_code("2.000908.00 0.00.00.H61", "code").expect("repaired");
        assert_eq!(code.as_str(), "2.000908");
        assert!(problem.is_some_and(|p| p.message.contains("2.000908.000.00.00.H61")));
        assert!(parse_code("1.00008", "code").is_err());
    }

    #[test]
    fn decision_numbers_lose_their_prefix() {
        assert_eq!(
            clean_decision_no("Quyết định số 6225/QĐ-BQP").as_deref(),
            Some("6225/QĐ-BQP")
        );
        assert_eq!(
            clean_decision_no("3980 /QĐ-BQP").as_deref(),
            Some("3980/QĐ-BQP")
        );
        assert_eq!(
            clean_decision_no("QĐ/0001-BCA").as_deref(),
            Some("QĐ/0001-BCA")
        );
        assert_eq!(clean_decision_no(""), None);
    }

    #[test]
    fn a_repeated_code_is_rejected_naming_the_first_line() {
        let mut g = DuplicateGuard::default();
        let code = TthcCode::parse("1.000080").expect("code");
        assert_eq!(g.check(&code, 1), None);
        assert_eq!(g.check(&code, 7), Some(1));
    }
}
