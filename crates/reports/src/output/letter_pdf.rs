//! The official letter (công văn) as PDF in the Decree 30/2020/NĐ-CP layout, the twin of
//! [`super::letter`]'s DOCX: issuing body and number on the left, national title, motto and
//! place and date on the right, "V/v" subject under the number, "Kính gửi", body paragraphs
//! (first line indented), the bordered table, "Nơi nhận" and the signature block. A4 with the
//! decree's margins, Liberation Serif embedded — the same renderer pieces as the official
//! report in [`super::pdf`].

use genpdf::elements::{LinearLayout, Paragraph, TableLayout};
use genpdf::style::Style;
use genpdf::{Alignment, Element as _, Margins, PaperSize, SimplePageDecorator};

use crate::ReportError;
use crate::output::html::{MOTTO, NATIONAL_TITLE};
use crate::output::letter::OfficialLetter;
use crate::output::pdf::{BODY_MM, data_table, err, finish, fit, fonts, p};

/// Renders the letter as PDF bytes.
pub fn render_letter_pdf(l: &OfficialLetter) -> Result<Vec<u8>, ReportError> {
    let measure = genpdf::Document::new(fonts()?);
    let cache = measure.font_cache();
    let mut d = genpdf::Document::new(fonts()?);
    d.set_title(if l.subject.is_empty() {
        "Công văn".to_string()
    } else {
        l.subject.clone()
    });
    d.set_paper_size(PaperSize::A4);
    d.set_font_size(14);
    d.set_line_spacing(1.15);
    let mut deco = SimplePageDecorator::new();
    deco.set_margins(Margins::trbl(20, 15, 20, 30));
    d.set_page_decorator(deco);

    let c13 = Style::new().with_font_size(13);
    let mut left = LinearLayout::vertical();
    if !l.parent_body.is_empty() {
        left.push(p(&l.parent_body, c13, Alignment::Center));
    }
    left.push(p(
        &fit(cache, c13.bold(), &l.issuing_body, BODY_MM * 0.38 - 2.0),
        c13.bold(),
        Alignment::Center,
    ));
    left.push(p(&l.number_symbol, c13, Alignment::Center));
    left.push(p(
        &l.subject,
        Style::new().with_font_size(12),
        Alignment::Center,
    ));
    let mut right = LinearLayout::vertical();
    right.push(p(NATIONAL_TITLE, c13.bold(), Alignment::Center));
    right.push(p(
        MOTTO,
        Style::new().bold().with_font_size(14),
        Alignment::Center,
    ));
    right.push(p(
        &l.place_date,
        Style::new().italic().with_font_size(14),
        Alignment::Center,
    ));
    let mut head = TableLayout::new(vec![38, 62]);
    head.row()
        .element(left)
        .element(right)
        .push()
        .map_err(err)?;
    d.push(head);
    d.push(Paragraph::new(" "));
    let body = Style::new().with_font_size(14);
    for (i, to) in l.to.iter().enumerate() {
        let text = if i == 0 {
            format!("Kính gửi: {to}")
        } else {
            format!("- {to}")
        };
        d.push(p(&text, body, Alignment::Center));
    }
    d.push(Paragraph::new(" "));
    // The decree's first-line indent (1–1.27 cm) as leading spaces: genpdf has no indent.
    let para = |text: &str| {
        p(&format!("        {text}"), body, Alignment::Left).padded(Margins::trbl(0, 0, 2, 0))
    };
    for t in &l.paragraphs {
        d.push(para(t));
    }
    if let Some(t) = &l.table {
        d.push(data_table(cache, t)?);
    }
    for t in &l.closing {
        d.push(para(t));
    }
    finish(d, &l.recipients, &l.signer_title, &l.signer_name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tables::{Cell, Table};

    /// The letter's text through poppler's `pdftotext` (skipped with a message when missing).
    fn pdf_text(bytes: &[u8]) -> Option<String> {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("letter.pdf");
        std::fs::write(&path, bytes).expect("write");
        match std::process::Command::new("pdftotext")
            .arg("-layout")
            .arg(&path)
            .arg("-")
            .output()
        {
            Ok(o) if o.status.success() => Some(String::from_utf8_lossy(&o.stdout).into_owned()),
            Ok(o) => panic!("pdftotext failed: {}", String::from_utf8_lossy(&o.stderr)),
            Err(_) => {
                eprintln!("pdftotext not installed (poppler-utils): PDF letter text not checked");
                None
            }
        }
    }

    #[test]
    fn the_pdf_letter_carries_the_title_block_the_addressee_and_every_overdue_task() {
        let l = OfficialLetter {
            issuing_body: "VĂN PHÒNG CHÍNH PHỦ".into(),
            number_symbol: "Số:        /VPCP".into(),
            place_date: "Hà Nội, ngày 26 tháng 11 năm 2026".into(),
            subject: "V/v đôn đốc thực hiện nhiệm vụ quá hạn".into(),
            to: vec!["Bộ Tư pháp".into()],
            paragraphs: vec!["Theo dõi trên hệ thống, Bộ Tư pháp còn 2 nhiệm vụ quá hạn.".into()],
            table: Some(Table {
                id: "overdue".into(),
                title: "Danh sách nhiệm vụ quá hạn".into(),
                columns: vec![
                    "STT".into(),
                    "Nhiệm vụ".into(),
                    "Văn bản giao".into(),
                    "Thời hạn".into(),
                    "Số ngày quá hạn".into(),
                ],
                rows: vec![
                    vec![
                        Cell::Int(1),
                        Cell::Text("Rà soát thủ tục đăng ký hộ tịch".into()),
                        Cell::Text("12/TB-VPCP khoản 2".into()),
                        Cell::Text("15/10/2026".into()),
                        Cell::Int(29),
                    ],
                    vec![
                        Cell::Int(2),
                        Cell::Text("Báo cáo số hóa hồ sơ".into()),
                        Cell::Text(String::new()),
                        Cell::Text("01/11/2026".into()),
                        Cell::Int(18),
                    ],
                ],
                has_total: false,
            }),
            closing: vec!["Đề nghị Bộ Tư pháp khẩn trương chỉ đạo hoàn thành.".into()],
            signer_title: "TL. THỦ TRƯỞNG CƠ QUAN".into(),
            recipients: vec!["Như trên".into(), "Lưu: VT".into()],
            ..OfficialLetter::default()
        };
        let bytes = render_letter_pdf(&l).expect("pdf");
        assert!(bytes.starts_with(b"%PDF-"));
        let Some(text) = pdf_text(&bytes) else {
            return;
        };
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for needle in [
            "VĂN PHÒNG CHÍNH PHỦ",
            NATIONAL_TITLE,
            MOTTO,
            "Hà Nội, ngày 26 tháng 11 năm 2026",
            "Kính gửi: Bộ Tư pháp",
            "Danh sách nhiệm vụ quá hạn",
            "Rà soát thủ tục đăng ký hộ tịch",
            "Báo cáo số hóa hồ sơ",
            "15/10/2026",
            "Nơi nhận:",
            "TL. THỦ TRƯỞNG CƠ QUAN",
        ] {
            assert!(flat.contains(needle), "«{needle}» missing from:\n{text}");
        }
    }
}
