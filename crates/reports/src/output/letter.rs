//! An official letter (công văn) as DOCX in the Decree 30/2020/NĐ-CP layout: the issuing body
//! and number on the left, the national title and motto on the right, "V/v" subject, "Kính
//! gửi", body paragraphs, an optional bordered table, "Nơi nhận" and the signature block. Used
//! for the urging letter (văn bản đôn đốc) listing an organisation's overdue tasks.

use crate::ReportError;
use crate::output::docx::{P, data_table, layout_table, package, para};
use crate::output::html::{MOTTO, NATIONAL_TITLE};
use crate::tables::Table;

/// The content of an official letter.
#[derive(Debug, Clone, Default)]
pub struct OfficialLetter {
    /// Cơ quan chủ quản (e.g. "CHÍNH PHỦ"), may be empty.
    pub parent_body: String,
    /// Cơ quan ban hành (e.g. "VĂN PHÒNG CHÍNH PHỦ").
    pub issuing_body: String,
    /// Số, ký hiệu (e.g. "Số: 12/VPCP-KSTT").
    pub number_symbol: String,
    /// Địa danh, ngày tháng (e.g. "Hà Nội, ngày 20 tháng 11 năm 2026").
    pub place_date: String,
    /// Trích yếu ("V/v đôn đốc thực hiện nhiệm vụ quá hạn").
    pub subject: String,
    /// Kính gửi (addressees).
    pub to: Vec<String>,
    /// Body paragraphs before the table.
    pub paragraphs: Vec<String>,
    /// A bordered table (the overdue tasks).
    pub table: Option<Table>,
    /// Paragraphs after the table.
    pub closing: Vec<String>,
    /// Quyền hạn, chức vụ của người ký.
    pub signer_title: String,
    /// Họ tên người ký.
    pub signer_name: String,
    /// Nơi nhận.
    pub recipients: Vec<String>,
}

fn c13(bold: bool) -> P {
    P {
        bold,
        center: true,
        size: Some(26),
        ..P::default()
    }
}

/// The `word/document.xml` part of a letter.
pub fn letter_xml(l: &OfficialLetter) -> String {
    let left = [
        para(&l.parent_body, c13(false)),
        para(&l.issuing_body, c13(true)),
        para(&l.number_symbol, c13(false)),
        para(
            &l.subject,
            P {
                size: Some(24),
                ..c13(false)
            },
        ),
    ]
    .concat();
    let right = [
        para(NATIONAL_TITLE, c13(true)),
        para(
            MOTTO,
            P {
                bold: true,
                center: true,
                size: Some(28),
                ..P::default()
            },
        ),
        para(
            &l.place_date,
            P {
                italic: true,
                center: true,
                ..P::default()
            },
        ),
    ]
    .concat();
    let mut body = layout_table(&[(left, 3600), (right, 5800)]);
    body.push_str(&para("", P::default()));
    for (i, to) in l.to.iter().enumerate() {
        let text = if i == 0 {
            format!("Kính gửi: {to}")
        } else {
            format!("- {to}")
        };
        body.push_str(&para(
            &text,
            P {
                center: true,
                ..P::default()
            },
        ));
    }
    let text = P {
        indent: true,
        ..P::default()
    };
    for p in &l.paragraphs {
        body.push_str(&para(p, text));
    }
    if let Some(t) = &l.table {
        body.push_str(&data_table(t));
    }
    for p in &l.closing {
        body.push_str(&para(p, text));
    }
    let mut rec = para(
        "Nơi nhận:",
        P {
            bold: true,
            italic: true,
            size: Some(24),
            ..P::default()
        },
    );
    for r in &l.recipients {
        rec.push_str(&para(
            &format!("- {r}"),
            P {
                size: Some(22),
                ..P::default()
            },
        ));
    }
    let sig = [
        para(
            &l.signer_title,
            P {
                bold: true,
                center: true,
                ..P::default()
            },
        ),
        para("", P::default()),
        para("", P::default()),
        para("", P::default()),
        para(
            &l.signer_name,
            P {
                bold: true,
                center: true,
                ..P::default()
            },
        ),
    ]
    .concat();
    body.push_str(&layout_table(&[(rec, 4700), (sig, 4700)]));
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}\
<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"1134\" w:right=\"850\" w:bottom=\"1134\" w:left=\"1701\" w:header=\"709\" w:footer=\"709\" w:gutter=\"0\"/></w:sectPr></w:body></w:document>"
    )
}

/// Renders the letter as a DOCX package.
pub fn render_letter(l: &OfficialLetter) -> Result<Vec<u8>, ReportError> {
    package(&letter_xml(l))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tables::Cell;

    #[test]
    fn a_letter_has_the_title_block_the_table_and_escaped_text() {
        let l = OfficialLetter {
            issuing_body: "VĂN PHÒNG CHÍNH PHỦ".into(),
            number_symbol: "Số: 1/VPCP-KSTT".into(),
            subject: "V/v đôn đốc <nhiệm vụ> quá hạn".into(),
            to: vec!["Bộ Tư pháp".into()],
            table: Some(Table {
                id: "overdue".into(),
                title: "Danh sách nhiệm vụ quá hạn".into(),
                columns: vec!["STT".into(), "Nhiệm vụ".into()],
                rows: vec![vec![Cell::Int(1), Cell::Text("Rà soát & báo cáo".into())]],
                has_total: false,
            }),
            ..OfficialLetter::default()
        };
        let xml = letter_xml(&l);
        assert!(xml.contains(NATIONAL_TITLE) && xml.contains("Kính gửi: Bộ Tư pháp"));
        assert!(xml.contains("V/v đôn đốc &lt;nhiệm vụ&gt; quá hạn"));
        assert!(xml.contains("Rà soát &amp; báo cáo"));
        let bytes = render_letter(&l).expect("docx");
        assert_eq!(&bytes[..2], b"PK");
    }
}
