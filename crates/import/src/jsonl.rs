//! The JSON Lines driver shared by the line-based formats: reads one line at a time (memory
//! bounded by the longest line), reports invalid lines as rejections and carries on, stops
//! with a rejection naming the file on a read error (e.g. a truncated gzip).

use std::io::BufRead;

use serde_json::Value;

use crate::record::Rejection;

/// Iterator over the JSON values of a JSON Lines stream, with 1-based line numbers.
pub(crate) struct JsonLines<R> {
    reader: R,
    line: usize,
    buf: Vec<u8>,
    done: bool,
}

impl<R: BufRead> JsonLines<R> {
    /// Wraps a reader.
    pub(crate) fn new(reader: R) -> Self {
        Self {
            reader,
            line: 0,
            buf: Vec::new(),
            done: false,
        }
    }
}

impl<R: BufRead> Iterator for JsonLines<R> {
    type Item = (usize, Result<Value, Rejection>);

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.done {
                return None;
            }
            self.buf.clear();
            self.line += 1;
            match self.reader.read_until(b'\n', &mut self.buf) {
                Ok(0) => {
                    self.done = true;
                    return None;
                }
                Ok(_) => {}
                Err(e) => {
                    self.done = true;
                    let reason = format!("dừng đọc tệp sau dòng {}: {e}", self.line - 1);
                    return Some((self.line, Err(Rejection::new(self.line, "file", reason))));
                }
            }
            let text = match std::str::from_utf8(&self.buf) {
                Ok(t) => t.trim(),
                Err(e) => {
                    let reason = format!("dòng không phải UTF-8 / invalid UTF-8: {e}");
                    return Some((self.line, Err(Rejection::new(self.line, "json", reason))));
                }
            };
            if text.is_empty() {
                continue;
            }
            let parsed = serde_json::from_str::<Value>(text).map_err(|e| {
                Rejection::new(
                    self.line,
                    "json",
                    format!("JSON không hợp lệ / invalid JSON: {e}"),
                )
            });
            return Some((self.line, parsed));
        }
    }
}

/// A string field of a JSON object ("" when absent or not a string).
pub(crate) fn str_field<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}
