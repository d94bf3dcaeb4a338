//! Identifiers parsed once at the edge (parse, don't validate): TTHC codes, local service
//! codes, agency electronic identifiers, result codes and legal document numbers.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::text;

/// Why a code was rejected. The message is shown to users as is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    /// The value is empty after trimming.
    #[error("mã trống / empty code")]
    Empty,
    /// The value has whitespace inside it.
    #[error("mã «{0}» chứa khoảng trắng / code contains whitespace")]
    InnerWhitespace(String),
    /// The value does not have the expected shape.
    #[error("mã «{value}» không đúng dạng {expected} / malformed code")]
    Malformed {
        /// The offending value.
        value: String,
        /// The expected shape, e.g. `X.NNNNNN`.
        expected: &'static str,
    },
}

fn prepare(raw: &str) -> Result<String, CodeError> {
    let s = text::clean(raw);
    if s.is_empty() {
        return Err(CodeError::Empty);
    }
    if s.chars().any(char::is_whitespace) {
        return Err(CodeError::InnerWhitespace(s));
    }
    Ok(s)
}

fn is_tthc_shape(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 8 && b[0].is_ascii_digit() && b[1] == b'.' && b[2..].iter().all(u8::is_ascii_digit)
}

/// Mã thủ tục hành chính: `X.NNNNNN`, e.g. `1.000080`. Opaque, unique, never reused.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TthcCode(String);

impl TthcCode {
    /// Parses a TTHC code, trimming and NFC-normalising first.
    pub fn parse(raw: &str) -> Result<Self, CodeError> {
        let s = prepare(raw)?;
        if is_tthc_shape(&s) {
            Ok(Self(s))
        } else {
            Err(CodeError::Malformed {
                value: s,
                expected: "X.NNNNNN",
            })
        }
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The leading digit (its meaning is configuration, not code: see domain guide §4).
    pub fn prefix(&self) -> u8 {
        self.0.as_bytes()[0] - b'0'
    }
}

impl TryFrom<String> for TthcCode {
    type Error = CodeError;
    fn try_from(s: String) -> Result<Self, CodeError> {
        Self::parse(&s)
    }
}
impl From<TthcCode> for String {
    fn from(c: TthcCode) -> String {
        c.0
    }
}
impl fmt::Display for TthcCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Mã đơn vị điện tử (Decision 20/2020/QĐ-TTg): dotted groups such as `000.00.00.G02` or `H55.242`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AgencyEid(String);

impl AgencyEid {
    /// Parses an agency eid: dot-separated groups of ASCII letters and digits.
    pub fn parse(raw: &str) -> Result<Self, CodeError> {
        let s = prepare(raw)?;
        let ok = !s.starts_with('.')
            && !s.ends_with('.')
            && !s.contains("..")
            && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '.')
            && s.chars().any(|c| c.is_ascii_alphabetic());
        if ok {
            Ok(Self(s.to_ascii_uppercase()))
        } else {
            Err(CodeError::Malformed {
                value: s,
                expected: "000.00.00.G02 / H55.242",
            })
        }
    }
    /// The eid as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}
impl TryFrom<String> for AgencyEid {
    type Error = CodeError;
    fn try_from(s: String) -> Result<Self, CodeError> {
        Self::parse(&s)
    }
}
impl From<AgencyEid> for String {
    fn from(c: AgencyEid) -> String {
        c.0
    }
}
impl fmt::Display for AgencyEid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A procedure reference as found in data: a bare TTHC code, a case (`1.000358.01`) or a
/// local service code (`1.011442.000.00.00.H38`, `1.013401.H50`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProcedureRef {
    /// A plain national code.
    Code(TthcCode),
    /// A case of a procedure: `<code>.NN`.
    Case {
        /// The procedure.
        code: TthcCode,
        /// Two-digit case number.
        case: String,
    },
    /// A localisation: `<code>.<agency eid>`.
    Local {
        /// The central procedure.
        code: TthcCode,
        /// The implementing agency's electronic id (or a province suffix such as `H50`).
        agency: AgencyEid,
    },
}

impl ProcedureRef {
    /// Parses any of the three shapes.
    pub fn parse(raw: &str) -> Result<Self, CodeError> {
        let s = prepare(raw)?;
        if s.len() < 8 || !is_tthc_shape(&s[..8.min(s.len())]) {
            return Err(CodeError::Malformed {
                value: s,
                expected: "X.NNNNNN[.suffix]",
            });
        }
        let code = TthcCode(s[..8].to_string());
        if s.len() == 8 {
            return Ok(Self::Code(code));
        }
        let rest = &s[8..];
        let Some(suffix) = rest.strip_prefix('.') else {
            return Err(CodeError::Malformed {
                value: s.clone(),
                expected: "X.NNNNNN[.suffix]",
            });
        };
        if suffix.len() == 2 && suffix.bytes().all(|b| b.is_ascii_digit()) {
            return Ok(Self::Case {
                code,
                case: suffix.to_string(),
            });
        }
        let agency = AgencyEid::parse(suffix).map_err(|_| CodeError::Malformed {
            value: s.clone(),
            expected: "X.NNNNNN.<mã đơn vị>",
        })?;
        Ok(Self::Local { code, agency })
    }

    /// The central procedure code this reference points to.
    pub fn code(&self) -> &TthcCode {
        match self {
            Self::Code(c) | Self::Case { code: c, .. } | Self::Local { code: c, .. } => c,
        }
    }
}

/// Normalises a legal document number (số ký hiệu): NFC, `Đ` kept, spaces removed, upper-case
/// symbol, and the common short forms expanded: `nghị định 146/2025` → `146/2025/NĐ-CP`.
///
/// Returns `None` when the text holds no recognisable number.
pub fn normalize_doc_number(raw: &str) -> Option<String> {
    let s = text::clean_inline(raw);
    if s.is_empty() {
        return None;
    }
    let folded = text::fold(&s);
    // "nghị định 146/2025" or "Nghị định số 146/2025"
    let short_forms: [(&str, &str); 4] = [
        ("nghi dinh", "NĐ-CP"),
        ("thong tu", "TT"),
        ("luat", "QH"),
        ("quyet dinh", "QĐ-TTg"),
    ];
    let compact: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let upper = compact.to_uppercase();
    if upper.matches('/').count() >= 2 && upper.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        return Some(upper);
    }
    if upper.contains('/')
        && upper.contains('-')
        && upper.chars().next().is_some_and(|c| c.is_ascii_digit())
    {
        return Some(upper);
    }
    for (word, symbol) in short_forms {
        if folded.starts_with(word) {
            let digits: String = s
                .split_whitespace()
                .find(|w| w.contains('/') && w.chars().next().is_some_and(|c| c.is_ascii_digit()))?
                .to_string();
            if digits.matches('/').count() == 1 && symbol == "NĐ-CP" {
                return Some(format!("{digits}/{symbol}"));
            }
            return Some(digits.to_uppercase());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tthc_codes_parse_and_reject() {
        assert_eq!(
            TthcCode::parse(" 1.000080 ").map(|c| c.to_string()),
            Ok("1.000080".into())
        );
        assert!(matches!(
            TthcCode::parse("1.00008"),
            Err(CodeError::Malformed { .. })
        ));
        assert!(matches!(
            TthcCode::parse("1.000 080"),
            Err(CodeError::InnerWhitespace(_))
        ));
        assert_eq!(TthcCode::parse(""), Err(CodeError::Empty));
        assert_eq!(TthcCode::parse("6.001430").map(|c| c.prefix()), Ok(6));
    }

    #[test]
    fn procedure_refs_distinguish_cases_and_localisations() {
        assert!(matches!(
            ProcedureRef::parse("1.000358.01"),
            Ok(ProcedureRef::Case { .. })
        ));
        match ProcedureRef::parse("1.011442.000.00.00.H38") {
            Ok(ProcedureRef::Local { code, agency }) => {
                assert_eq!(code.as_str(), "1.011442");
                assert_eq!(agency.as_str(), "000.00.00.H38");
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            ProcedureRef::parse("1.013401.H50"),
            Ok(ProcedureRef::Local { .. })
        ));
        assert!(ProcedureRef::parse("2.000908.00 0.00.00.H61").is_err());
    }

    #[test]
    fn document_numbers_are_normalised() {
        assert_eq!(
            normalize_doc_number("nghị định 146/2025").as_deref(),
            Some("146/2025/NĐ-CP")
        );
        assert_eq!(
            normalize_doc_number(" 123/2015/NĐ-CP ").as_deref(),
            Some("123/2015/NĐ-CP")
        );
        assert_eq!(
            normalize_doc_number("163/QĐ-BTP").as_deref(),
            Some("163/QĐ-BTP")
        );
        assert_eq!(normalize_doc_number("không có"), None);
    }
}
