//! Format `decisions`: thutuc's own JSON Lines format for publication decisions (quyết định
//! công bố), one serialised [`PublicationDecision`] per line, validated with
//! [`PublicationDecision::validate`]. The format is documented in `FORMATS.md`.

use std::collections::HashMap;
use std::io::BufRead;

use thutuc_domain::decision::{DecisionError, PublicationDecision};

use crate::jsonl::JsonLines;
use crate::record::Rejection;

/// A decision read from line `line`.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedDecision {
    /// 1-based line number.
    pub line: usize,
    /// The decision, already validated.
    pub decision: PublicationDecision,
}

/// Streams publication decisions; invalid lines become rejections naming line and field.
/// A decision number repeated in the same file is rejected at its later line.
pub fn read_decisions<R: BufRead>(
    reader: R,
) -> impl Iterator<Item = Result<ParsedDecision, Rejection>> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    JsonLines::new(reader).map(move |(line, v)| {
        let v = v?;
        let number = v.get("number").and_then(|n| n.as_str()).map(str::to_string);
        let decision: PublicationDecision = serde_json::from_value(v).map_err(|e| Rejection {
            line,
            code: number.clone(),
            field: field_of(&e.to_string()),
            column: None,
            reason: format!("quyết định không hợp lệ / invalid decision: {e}"),
        })?;
        decision.validate().map_err(|e| Rejection {
            line,
            code: Some(decision.number.clone()),
            field: validation_field(&e),
            column: None,
            reason: e.to_string(),
        })?;
        if let Some(first) = seen.get(&decision.number) {
            return Err(Rejection {
                line,
                code: Some(decision.number.clone()),
                field: "number".into(),
                column: None,
                reason: format!("số quyết định trùng với dòng {first} / duplicate decision number"),
            });
        }
        seen.insert(decision.number.clone(), line);
        Ok(ParsedDecision { line, decision })
    })
}

/// The field named in a serde error ("missing field `signed_on`", "unknown variant …"),
/// or `decision` when it names none.
fn field_of(msg: &str) -> String {
    for marker in ["missing field `", "unknown field `"] {
        if let Some(i) = msg.find(marker) {
            let rest = &msg[i + marker.len()..];
            if let Some(end) = rest.find('`') {
                return rest[..end].to_string();
            }
        }
    }
    if msg.contains("variant") {
        return "entries[].kind".into();
    }
    if msg.contains("premature end of input") || msg.contains("input contains invalid characters") {
        return "signed_on/effective_on".into();
    }
    "decision".into()
}

fn validation_field(e: &DecisionError) -> String {
    match e {
        DecisionError::EmptyNumber => "number".into(),
        DecisionError::NoEntries(_) => "entries".into(),
        DecisionError::DuplicateEntry(_, _, i) => format!("entries[{i}].code"),
        DecisionError::NewWithoutContent(_, i, _) => format!("entries[{i}].content"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"{"number":"3152/QĐ-BTP","title":"Công bố TTHC","signed_on":"2025-10-31","effective_on":"2025-10-31","issuer_org":"BTP","issuer_kind":"ministry","entries":[{"kind":"abolished","code":"2.000908"}]}"#;

    #[test]
    fn a_valid_decision_line_is_read() {
        let out: Vec<_> = read_decisions(GOOD.as_bytes()).collect();
        assert!(matches!(&out[..], [Ok(d)] if d.decision.number == "3152/QĐ-BTP"));
    }

    #[test]
    fn rejections_name_the_line_and_field() {
        let no_entries = GOOD.replace(r#"{"kind":"abolished","code":"2.000908"}"#, "");
        let missing = GOOD.replace(r#""signed_on":"2025-10-31","#, "");
        let input = format!("{GOOD}\n{no_entries}\n{missing}\n{GOOD}\n");
        let out: Vec<_> = read_decisions(input.as_bytes()).collect();
        assert!(out[0].is_ok());
        assert!(matches!(&out[1], Err(r) if r.line == 2 && r.field == "entries"));
        assert!(matches!(&out[2], Err(r) if r.line == 3 && r.field == "signed_on"));
        assert!(
            matches!(&out[3], Err(r) if r.line == 4 && r.field == "number" && r.reason.contains("dòng 1"))
        );
    }
}
