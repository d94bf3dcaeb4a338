//! A small `multipart/form-data` reader for the feedback form (the workspace builds axum
//! without its multipart feature). It reads the whole body under an explicit limit, so a
//! too-large upload gets a clear Vietnamese message instead of a bare 413.

use axum::body::Body;
use axum::http::{HeaderMap, StatusCode, header};

use crate::error::WebError;

/// One part of the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// Field name.
    pub name: String,
    /// File name, for file parts.
    pub filename: Option<String>,
    /// Bytes.
    pub data: Vec<u8>,
}

/// 413 naming the limit.
pub fn too_large(limit: usize) -> WebError {
    WebError {
        status: StatusCode::PAYLOAD_TOO_LARGE,
        title: "Dữ liệu quá lớn / Payload too large",
        detail: format!(
            "tổng dung lượng gửi vượt quá {} MB (mỗi tệp đính kèm tối đa 10 MB) / the upload exceeds {} MB",
            limit / (1024 * 1024),
            limit / (1024 * 1024)
        ),
        extra: None,
    }
}

/// 413 for a JSON submission, naming the per-file and body limits.
pub fn too_large_json(limit: usize, per_file: usize) -> WebError {
    WebError {
        status: StatusCode::PAYLOAD_TOO_LARGE,
        title: "Dữ liệu quá lớn / Payload too large",
        detail: format!(
            "nội dung gửi vượt quá {} MB (mỗi tệp đính kèm tối đa {} MB trước khi mã hóa base64); không có gì được lưu / the body exceeds {} MB (each attachment at most {} MB before base64); nothing was stored",
            limit / (1024 * 1024),
            per_file / (1024 * 1024),
            limit / (1024 * 1024),
            per_file / (1024 * 1024)
        ),
        extra: None,
    }
}

/// Reads the body (at most `limit` bytes).
pub async fn read_body(body: Body, limit: usize) -> Result<Vec<u8>, WebError> {
    axum::body::to_bytes(body, limit)
        .await
        .map(|b| b.to_vec())
        .map_err(|_| too_large(limit))
}

fn boundary(headers: &HeaderMap) -> Option<String> {
    let ct = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    if !ct.to_ascii_lowercase().starts_with("multipart/form-data") {
        return None;
    }
    ct.split(';')
        .map(str::trim)
        .find_map(|p| p.strip_prefix("boundary="))
        .map(|b| b.trim_matches('"').to_string())
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    (from..=hay.len() - needle.len()).find(|&i| &hay[i..i + needle.len()] == needle)
}

fn param(disposition: &str, key: &str) -> Option<String> {
    disposition.split(';').map(str::trim).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        (k.trim().eq_ignore_ascii_case(key)).then(|| v.trim().trim_matches('"').to_string())
    })
}

/// Parses a multipart body; `None` when the request is not multipart or is malformed.
pub fn parse(headers: &HeaderMap, body: &[u8]) -> Option<Vec<Part>> {
    let b = boundary(headers)?;
    let delim = format!("--{b}").into_bytes();
    let mut parts = Vec::new();
    let mut pos = find(body, &delim, 0)? + delim.len();
    loop {
        if body.get(pos..pos + 2) == Some(b"--") {
            return Some(parts);
        }
        pos += 2; // CRLF after the delimiter
        let head_end = find(body, b"\r\n\r\n", pos)?;
        let head = std::str::from_utf8(&body[pos..head_end]).ok()?;
        let disposition = head.split("\r\n").find_map(|l| {
            l.split_once(':')
                .filter(|(k, _)| k.trim().eq_ignore_ascii_case("content-disposition"))
                .map(|(_, v)| v.to_string())
        })?;
        let next = find(body, &[b"\r\n".as_slice(), &delim].concat(), head_end + 4)?;
        parts.push(Part {
            name: param(&disposition, "name")?,
            filename: param(&disposition, "filename").filter(|f| !f.is_empty()),
            data: body[head_end + 4..next].to_vec(),
        });
        pos = next + 2 + delim.len();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_fields_and_files() {
        let mut h = HeaderMap::new();
        h.insert(
            header::CONTENT_TYPE,
            "multipart/form-data; boundary=XyZ".parse().expect("hv"),
        );
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"content\"\r\n\r\nN\xe1\xbb\x99i dung\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\"\r\n\r\n\r\n--XyZ--\r\n";
        let parts = parse(&h, body).expect("parts");
        assert_eq!(parts.len(), 3);
        assert_eq!(parts[0].name, "content");
        assert_eq!(String::from_utf8_lossy(&parts[0].data), "Nội dung");
        assert_eq!(
            (parts[1].filename.as_deref(), parts[1].data.as_slice()),
            (Some("a.pdf"), b"%PDF-1".as_slice())
        );
        assert_eq!(parts[2].filename, None);
    }
}
