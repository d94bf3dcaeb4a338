//! Attachment types sniffed from magic bytes, never from the file name or the declared type:
//! an executable renamed `.pdf` is refused.

use serde::{Deserialize, Serialize};

use super::error::FieldError;

/// Default maximum attachment size (10 MB).
pub const DEFAULT_MAX_BYTES: usize = 10 * 1024 * 1024;

/// Accepted attachment types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttachmentKind {
    /// PDF.
    Pdf,
    /// PNG image.
    Png,
    /// JPEG image.
    Jpeg,
    /// Word document (Office Open XML).
    Docx,
    /// Excel workbook (Office Open XML).
    Xlsx,
}

impl AttachmentKind {
    /// MIME type served with the file.
    pub fn mime(self) -> &'static str {
        match self {
            Self::Pdf => "application/pdf",
            Self::Png => "image/png",
            Self::Jpeg => "image/jpeg",
            Self::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Self::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }
    /// The kind stored as [`AttachmentKind::extension`].
    pub fn from_extension(ext: &str) -> Option<Self> {
        [Self::Pdf, Self::Png, Self::Jpeg, Self::Docx, Self::Xlsx]
            .into_iter()
            .find(|k| k.extension() == ext)
    }
    /// File extension.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Pdf => "pdf",
            Self::Png => "png",
            Self::Jpeg => "jpg",
            Self::Docx => "docx",
            Self::Xlsx => "xlsx",
        }
    }
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// The type of `bytes`, or `None` when it is not one of the accepted types.
pub fn sniff(bytes: &[u8]) -> Option<AttachmentKind> {
    if bytes.starts_with(b"%PDF-") {
        Some(AttachmentKind::Pdf)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(AttachmentKind::Png)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(AttachmentKind::Jpeg)
    } else if bytes.starts_with(b"PK\x03\x04") {
        // Entry names are stored uncompressed in local headers.
        if contains(bytes, b"word/") {
            Some(AttachmentKind::Docx)
        } else if contains(bytes, b"xl/") {
            Some(AttachmentKind::Xlsx)
        } else {
            None
        }
    } else {
        None
    }
}

/// Checks size and type; returns the sniffed kind.
pub fn check(name: &str, bytes: &[u8], max_bytes: usize) -> Result<AttachmentKind, FieldError> {
    if bytes.len() > max_bytes {
        return Err(FieldError::new(
            "attachment",
            format!("tệp {name} lớn quá {} MB", max_bytes / (1024 * 1024)),
            format!(
                "file {name} is larger than {} MB",
                max_bytes / (1024 * 1024)
            ),
        ));
    }
    sniff(bytes).ok_or_else(|| {
        FieldError::new(
            "attachment",
            format!("tệp {name} không phải PDF, PNG, JPEG, DOCX hoặc XLSX"),
            format!("file {name} is not a PDF, PNG, JPEG, DOCX or XLSX file"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magic_bytes_decide() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), Some(AttachmentKind::Pdf));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Some(AttachmentKind::Png));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some(AttachmentKind::Jpeg));
        assert_eq!(
            sniff(b"PK\x03\x04....word/document.xml"),
            Some(AttachmentKind::Docx)
        );
        assert_eq!(
            sniff(b"PK\x03\x04....xl/workbook.xml"),
            Some(AttachmentKind::Xlsx)
        );
        assert_eq!(sniff(b"PK\x03\x04....evil.exe"), None);
    }

    #[test]
    fn an_exe_named_pdf_is_refused() {
        let exe = b"MZ\x90\x00\x03\x00\x00\x00This program cannot be run in DOS mode";
        assert!(check("hoso.pdf", exe, DEFAULT_MAX_BYTES).is_err());
    }

    #[test]
    fn size_limit() {
        let big = vec![b'%'; 11];
        assert!(check("a.pdf", &big, 10).is_err());
    }
}
