//! The official report as a Word document, written by hand as minimal WordprocessingML in a
//! deflate zip (no docx library: four small parts are enough and build in seconds). Same
//! layout as the HTML: Decree 30/2020 title block, A4 with its margins, Times New Roman 14
//! (the font Decree 30 prescribes; the reader's Word or LibreOffice substitutes the
//! metric-compatible Liberation Serif where Times is absent).

use std::io::{Cursor, Write};

use zip::CompressionMethod;
use zip::write::SimpleFileOptions;

use crate::ReportError;
use crate::model::Report;
use crate::output::html::{MOTTO, NATIONAL_TITLE};
use crate::tables::{Cell, Table, table};
use crate::template::{DocumentParams, ReportTemplate, values};

fn x(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Paragraph style.
#[derive(Clone, Copy, Default)]
pub(crate) struct P {
    pub(crate) bold: bool,
    pub(crate) italic: bool,
    pub(crate) center: bool,
    pub(crate) indent: bool,
    pub(crate) size: Option<u32>,
}

pub(crate) fn para(text: &str, st: P) -> String {
    let mut ppr = String::from("<w:pPr><w:spacing w:after=\"60\"/>");
    if st.center {
        ppr.push_str("<w:jc w:val=\"center\"/>");
    } else {
        ppr.push_str("<w:jc w:val=\"both\"/>");
    }
    if st.indent {
        ppr.push_str("<w:ind w:firstLine=\"567\"/>");
    }
    ppr.push_str("</w:pPr>");
    let mut rpr = String::from("<w:rPr>");
    if st.bold {
        rpr.push_str("<w:b/>");
    }
    if st.italic {
        rpr.push_str("<w:i/>");
    }
    if let Some(sz) = st.size {
        rpr.push_str(&format!("<w:sz w:val=\"{sz}\"/>"));
    }
    rpr.push_str("</w:rPr>");
    format!(
        "<w:p>{ppr}<w:r>{rpr}<w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
        x(text)
    )
}

fn cell(content: &str, width: u32) -> String {
    format!("<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/></w:tcPr>{content}</w:tc>")
}

pub(crate) fn layout_table(cells: &[(String, u32)]) -> String {
    let mut s = String::from(
        "<w:tbl><w:tblPr><w:tblW w:w=\"0\" w:type=\"auto\"/><w:tblBorders><w:top w:val=\"nil\"/><w:left w:val=\"nil\"/><w:bottom w:val=\"nil\"/><w:right w:val=\"nil\"/><w:insideH w:val=\"nil\"/><w:insideV w:val=\"nil\"/></w:tblBorders></w:tblPr><w:tr>",
    );
    for (c, w) in cells {
        s.push_str(&cell(c, *w));
    }
    s.push_str("</w:tr></w:tbl>");
    s
}

pub(crate) fn data_table(t: &Table) -> String {
    let small = P {
        size: Some(24),
        ..P::default()
    };
    let mut s = para(
        &t.title,
        P {
            bold: true,
            ..P::default()
        },
    );
    s.push_str("<w:tbl><w:tblPr><w:tblW w:w=\"5000\" w:type=\"pct\"/><w:tblBorders>");
    for side in ["top", "left", "bottom", "right", "insideH", "insideV"] {
        s.push_str(&format!(
            "<w:{side} w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>"
        ));
    }
    s.push_str("</w:tblBorders></w:tblPr><w:tr>");
    for c in &t.columns {
        s.push_str(&cell(
            &para(
                c,
                P {
                    bold: true,
                    center: true,
                    ..small
                },
            ),
            0,
        ));
    }
    s.push_str("</w:tr>");
    for (i, row) in t.rows.iter().enumerate() {
        let bold = t.has_total && i + 1 == t.rows.len();
        s.push_str("<w:tr>");
        for c in row {
            let st = P {
                bold,
                center: matches!(c, Cell::Int(_)),
                ..small
            };
            s.push_str(&cell(&para(&c.text(), st), 0));
        }
        s.push_str("</w:tr>");
    }
    s.push_str("</w:tbl>");
    s.push_str(&para("", P::default()));
    s
}

/// The `word/document.xml` part.
pub fn document_xml(
    r: &Report,
    t: &ReportTemplate,
    doc: &DocumentParams,
) -> Result<String, ReportError> {
    let v = values(r, doc);
    let f = |field: &str, text: &str| t.render(field, text, &v);
    let c13 = P {
        center: true,
        size: Some(26),
        ..P::default()
    };
    let left = [
        para(&f("parent_body", &t.parent_body)?, c13),
        para(
            &f("issuing_body", &t.issuing_body)?,
            P { bold: true, ..c13 },
        ),
        para(&f("number_symbol", &t.number_symbol)?, c13),
    ]
    .concat();
    let right = [
        para(NATIONAL_TITLE, P { bold: true, ..c13 }),
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
            &f("place_date", &t.place_date)?,
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
    body.push_str(&para(
        &f("title", &t.title)?,
        P {
            bold: true,
            center: true,
            ..P::default()
        },
    ));
    body.push_str(&para(
        &f("subtitle", &t.subtitle)?,
        P {
            bold: true,
            center: true,
            ..P::default()
        },
    ));
    let text = P {
        indent: true,
        ..P::default()
    };
    for (i, p) in t.intro.iter().enumerate() {
        body.push_str(&para(&f(&format!("intro[{i}]"), p)?, text));
    }
    for (i, sec) in t.sections.iter().enumerate() {
        body.push_str(&para(
            &f(&format!("sections[{i}].heading"), &sec.heading)?,
            P {
                bold: true,
                ..P::default()
            },
        ));
        for (j, p) in sec.paragraphs.iter().enumerate() {
            body.push_str(&para(
                &f(&format!("sections[{i}].paragraphs[{j}]"), p)?,
                text,
            ));
        }
        for id in &sec.tables {
            if let Some(tb) = table(r, t, id) {
                body.push_str(&data_table(&tb));
            }
        }
    }
    let small = P {
        size: Some(22),
        ..P::default()
    };
    let mut rec = para(
        "Nơi nhận:",
        P {
            bold: true,
            italic: true,
            size: Some(24),
            ..P::default()
        },
    );
    for rc in &t.recipients {
        rec.push_str(&para(&format!("- {rc}"), small));
    }
    let sig = [
        para(
            &t.signer_title,
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
            &t.signer_name,
            P {
                bold: true,
                center: true,
                ..P::default()
            },
        ),
    ]
    .concat();
    body.push_str(&layout_table(&[(rec, 4700), (sig, 4700)]));
    body.push_str(&para(
        &format!(
            "{} · Mẫu {} {} · Mã dữ liệu đầu vào {}",
            t.legal_basis, t.code, t.version, r.meta.inputs_hash
        ),
        P {
            size: Some(18),
            ..P::default()
        },
    ));
    Ok(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}\
<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"1134\" w:right=\"850\" w:bottom=\"1134\" w:left=\"1701\" w:header=\"709\" w:footer=\"709\" w:gutter=\"0\"/></w:sectPr></w:body></w:document>"
    ))
}

const CONTENT_TYPES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
<Default Extension=\"xml\" ContentType=\"application/xml\"/>\
<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/></Types>";

const RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>";

const DOC_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/></Relationships>";

const STYLES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:docDefaults><w:rPrDefault><w:rPr>\
<w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:eastAsia=\"Times New Roman\" w:cs=\"Times New Roman\"/>\
<w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/><w:lang w:val=\"vi-VN\"/></w:rPr></w:rPrDefault></w:docDefaults></w:styles>";

/// Renders the DOCX package.
pub fn render(
    r: &Report,
    t: &ReportTemplate,
    doc: &DocumentParams,
) -> Result<Vec<u8>, ReportError> {
    package(&document_xml(r, t, doc)?)
}

/// Wraps a `word/document.xml` part into a DOCX package (shared by the official letters).
pub(crate) fn package(document: &str) -> Result<Vec<u8>, ReportError> {
    let err = |e: &dyn std::fmt::Display| ReportError::Output(format!("docx: {e}"));
    let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    for (name, body) in [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", RELS),
        ("word/_rels/document.xml.rels", DOC_RELS),
        ("word/styles.xml", STYLES),
        ("word/document.xml", document),
    ] {
        z.start_file(name, opts).map_err(|e| err(&e))?;
        z.write_all(body.as_bytes()).map_err(|e| err(&e))?;
    }
    Ok(z.finish().map_err(|e| err(&e))?.into_inner())
}
