//! The official report as PDF: the same Decree 30/2020 layout as the HTML and DOCX outputs
//! (national title block, issuing body, number and symbol, place and date, title, body with
//! tables, recipients and signature), A4 with the decree's margins (top/bottom 20 mm, left 30 mm,
//! right 15 mm), in Liberation Serif — the free, metric-compatible stand-in for Times New Roman
//! with full Vietnamese coverage — embedded from `fonts/` so nothing is read at run time.

use genpdf::elements::{FrameCellDecorator, LinearLayout, Paragraph, TableLayout};
use genpdf::fonts::{FontCache, FontData, FontFamily};
use genpdf::style::{Style, StyledString};
use genpdf::{Alignment, Element as _, Margins, Mm, PaperSize, SimplePageDecorator};

use crate::ReportError;
use crate::model::Report;
use crate::output::html::{MOTTO, NATIONAL_TITLE};
use crate::tables::{Cell, Table, table};
use crate::template::{DocumentParams, ReportTemplate, values};

const REGULAR: &[u8] = include_bytes!("../../fonts/LiberationSerif-Regular.ttf");
const BOLD: &[u8] = include_bytes!("../../fonts/LiberationSerif-Bold.ttf");
const ITALIC: &[u8] = include_bytes!("../../fonts/LiberationSerif-Italic.ttf");
const BOLD_ITALIC: &[u8] = include_bytes!("../../fonts/LiberationSerif-BoldItalic.ttf");

pub(crate) fn err(e: impl std::fmt::Display) -> ReportError {
    ReportError::Output(format!("pdf: {e}"))
}

pub(crate) fn fonts() -> Result<FontFamily<FontData>, ReportError> {
    let f = |b: &[u8]| FontData::new(b.to_vec(), None).map_err(err);
    Ok(FontFamily {
        regular: f(REGULAR)?,
        bold: f(BOLD)?,
        italic: f(ITALIC)?,
        bold_italic: f(BOLD_ITALIC)?,
    })
}

pub(crate) fn p(text: &str, style: Style, align: Alignment) -> Paragraph {
    Paragraph::new(StyledString::new(text.to_string(), style)).aligned(align)
}

/// Usable width of the page body in millimetres (A4 minus the 30 mm and 15 mm margins).
pub(crate) const BODY_MM: f32 = 165.0;

/// Inserts break opportunities into words wider than `max_mm`, so that every word fits its
/// column (the layout engine drops a word it cannot place, which must never happen to data).
pub(crate) fn fit(cache: &FontCache, style: Style, text: &str, max_mm: f32) -> String {
    let max = Mm::from(max_mm);
    let mut out = String::with_capacity(text.len() + 8);
    for (i, word) in text.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        if style.str_width(cache, word) <= max {
            out.push_str(word);
            continue;
        }
        let mut cur = String::new();
        for ch in word.chars() {
            let mut next = cur.clone();
            next.push(ch);
            if !cur.is_empty() && style.str_width(cache, &next) > max {
                out.push_str(&cur);
                out.push(' ');
                cur = ch.to_string();
            } else {
                cur = next;
            }
        }
        out.push_str(&cur);
    }
    out
}

pub(crate) fn data_table(cache: &FontCache, t: &Table) -> Result<LinearLayout, ReportError> {
    let mut out = LinearLayout::vertical();
    out.push(
        p(
            &t.title,
            Style::new().bold().with_font_size(13),
            Alignment::Left,
        )
        .padded(1),
    );
    // The name column is wide, the row number and the figures narrow.
    let mut weights = vec![3usize; t.columns.len()];
    let name_col = usize::from(t.columns.first().is_some_and(|c| c == "STT"));
    if name_col == 1 {
        weights[0] = 2;
    }
    if let Some(w) = weights.get_mut(name_col) {
        *w = 10;
    }
    let sum: usize = weights.iter().sum();
    let widths: Vec<f32> = weights
        .iter()
        .map(|w| BODY_MM * *w as f32 / sum.max(1) as f32 - 3.0)
        .collect();
    let mut tl = TableLayout::new(weights);
    tl.set_cell_decorator(FrameCellDecorator::new(true, true, false));
    let head = Style::new().bold().with_font_size(10);
    let mut row = tl.row();
    for (i, c) in t.columns.iter().enumerate() {
        let w = widths.get(i).copied().unwrap_or(10.0);
        row.push_element(p(&fit(cache, head, c, w), head, Alignment::Center).padded(1));
    }
    row.push().map_err(err)?;
    for (i, cells) in t.rows.iter().enumerate() {
        let total = t.has_total && i + 1 == t.rows.len();
        let mut st = Style::new().with_font_size(10);
        if total {
            st = st.bold();
        }
        let mut row = tl.row();
        for (j, c) in cells.iter().enumerate() {
            let align = if matches!(c, Cell::Int(_)) {
                Alignment::Center
            } else {
                Alignment::Left
            };
            let w = widths.get(j).copied().unwrap_or(10.0);
            row.push_element(p(&fit(cache, st, &c.text(), w), st, align).padded(1));
        }
        row.push().map_err(err)?;
    }
    out.push(tl);
    out.push(Paragraph::new(" "));
    Ok(out)
}

/// Renders the report as PDF bytes.
pub fn render(
    r: &Report,
    t: &ReportTemplate,
    doc: &DocumentParams,
) -> Result<Vec<u8>, ReportError> {
    let v = values(r, doc);
    let f = |field: &str, text: &str| t.render(field, text, &v);
    // A second document only to measure text: the real one is borrowed mutably while built.
    let measure = genpdf::Document::new(fonts()?);
    let cache = measure.font_cache();
    let mut d = genpdf::Document::new(fonts()?);
    d.set_title(f("title", &t.title)?);
    d.set_paper_size(PaperSize::A4);
    d.set_font_size(13);
    d.set_line_spacing(1.15);
    let mut deco = SimplePageDecorator::new();
    deco.set_margins(Margins::trbl(20, 15, 20, 30));
    d.set_page_decorator(deco);

    let c13 = Style::new().with_font_size(13);
    let mut left = LinearLayout::vertical();
    left.push(p(
        &f("parent_body", &t.parent_body)?,
        c13,
        Alignment::Center,
    ));
    left.push(p(
        &f("issuing_body", &t.issuing_body)?,
        c13.bold(),
        Alignment::Center,
    ));
    left.push(p(
        &f("number_symbol", &t.number_symbol)?,
        c13,
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
        &f("place_date", &t.place_date)?,
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
    d.push(p(
        &f("title", &t.title)?,
        Style::new().bold().with_font_size(14),
        Alignment::Center,
    ));
    d.push(p(
        &f("subtitle", &t.subtitle)?,
        Style::new().bold().with_font_size(14),
        Alignment::Center,
    ));
    d.push(Paragraph::new(" "));
    let body = Style::new().with_font_size(14);
    for (i, para) in t.intro.iter().enumerate() {
        d.push(
            p(&f(&format!("intro[{i}]"), para)?, body, Alignment::Left)
                .padded(Margins::trbl(0, 0, 1, 0)),
        );
    }
    for (i, sec) in t.sections.iter().enumerate() {
        d.push(
            p(
                &f(&format!("sections[{i}].heading"), &sec.heading)?,
                body.bold(),
                Alignment::Left,
            )
            .padded(Margins::trbl(1, 0, 1, 0)),
        );
        for (j, para) in sec.paragraphs.iter().enumerate() {
            d.push(
                p(
                    &f(&format!("sections[{i}].paragraphs[{j}]"), para)?,
                    body,
                    Alignment::Left,
                )
                .padded(Margins::trbl(0, 0, 1, 0)),
            );
        }
        for id in &sec.tables {
            if let Some(tb) = table(r, t, id) {
                d.push(data_table(cache, &tb)?);
            }
        }
    }
    finish(d, &t.recipients, &t.signer_title, &t.signer_name)
}

/// The closing block of an official document (Decree 30/2020: recipients on the left, the
/// signer's title, room for the signature and the signer's name on the right), then the bytes.
pub(crate) fn finish(
    mut d: genpdf::Document,
    recipients: &[String],
    signer_title: &str,
    signer_name: &str,
) -> Result<Vec<u8>, ReportError> {
    let mut rec = LinearLayout::vertical();
    rec.push(p(
        "Nơi nhận:",
        Style::new().bold().italic().with_font_size(12),
        Alignment::Left,
    ));
    for r in recipients {
        rec.push(p(
            &format!("- {r}"),
            Style::new().with_font_size(11),
            Alignment::Left,
        ));
    }
    let mut sig = LinearLayout::vertical();
    sig.push(p(
        signer_title,
        Style::new().bold().with_font_size(14),
        Alignment::Center,
    ));
    for _ in 0..4 {
        sig.push(Paragraph::new(" "));
    }
    if !signer_name.is_empty() {
        sig.push(p(
            signer_name,
            Style::new().bold().with_font_size(14),
            Alignment::Center,
        ));
    }
    let mut foot = TableLayout::new(vec![1, 1]);
    foot.row().element(rec).element(sig).push().map_err(err)?;
    d.push(Paragraph::new(" "));
    d.push(foot);
    let mut out = Vec::new();
    d.render(&mut out).map_err(err)?;
    Ok(out)
}
