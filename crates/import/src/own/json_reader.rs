//! Reader for the own `json` format: JSON Lines of [`OwnRecord`]s.

use std::io::BufRead;

use serde_json::Value;

use super::OwnRecord;
use crate::jsonl::{JsonLines, str_field};
use crate::record::{DuplicateGuard, ParsedRecord, Rejection};

/// Streams the records of a JSON Lines export. Invalid lines, malformed codes and duplicate
/// codes become rejections naming the line; reading goes on.
pub fn read_json<R: BufRead>(reader: R) -> impl Iterator<Item = Result<ParsedRecord, Rejection>> {
    let mut guard = DuplicateGuard::default();
    JsonLines::new(reader).map(move |(line, v)| {
        let v = v?;
        let rec = parse(line, v)?;
        guard.filter(rec.into_parsed(line))
    })
}

fn parse(line: usize, v: Value) -> Result<OwnRecord, Rejection> {
    let raw_code = str_field(&v, "code").to_string();
    let reject = |field: &str, reason: String| Rejection {
        line,
        code: Some(raw_code.clone()).filter(|c| !c.is_empty()),
        field: field.into(),
        column: None,
        reason,
    };
    if let Err(e) = thutuc_domain::TthcCode::parse(&raw_code) {
        return Err(reject("code", e.to_string()));
    }
    serde_json::from_value::<OwnRecord>(v).map_err(|e| {
        let msg = e.to_string();
        let field = COLUMN_HINTS
            .iter()
            .find(|k| msg.contains(&format!("`{k}`")))
            .copied()
            .unwrap_or("json");
        reject(
            field,
            format!("bản ghi không đúng cấu trúc / invalid record: {msg}"),
        )
    })
}

/// Field names looked for in serde's messages to name the field at fault.
const COLUMN_HINTS: [&str; 9] = [
    "kind",
    "owner_org",
    "seq",
    "status",
    "valid_from",
    "valid_to",
    "content",
    "name",
    "method",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_lines_are_rejected_and_reading_goes_on() {
        let good = r#"{"code":"1.000080","kind":"external","owner_org":"BTP","seq":1,"status":"published","valid_from":"2025-06-01","valid_to":null,"decision_no":null,"content":{"name":"A"}}"#;
        let text = format!(
            "{good}\nnot json\n{}\n{good}\n",
            good.replace("1.000080", "1.00008")
        );
        let out: Vec<_> = read_json(text.as_bytes()).collect();
        assert_eq!(out.len(), 4);
        assert!(out[0].is_ok());
        assert_eq!(out[1].as_ref().err().map(|r| r.line), Some(2));
        assert_eq!(
            out[2].as_ref().err().map(|r| r.field.as_str()),
            Some("code")
        );
        assert!(
            out[3]
                .as_ref()
                .err()
                .is_some_and(|r| r.reason.contains("dòng 1"))
        );
    }
}
