//! The official report as print-friendly HTML (A4, margins and type sizes of Decree
//! 30/2020/NĐ-CP Appendix I): national title block, issuing body, number and symbol, place and
//! date, title, body with tables and the trend chart, recipients and signature. Print it to
//! PDF from any browser; fonts: Times New Roman where installed, else the free metric-
//! compatible Liberation Serif / TeX Gyre Termes, both covering Vietnamese.

use crate::ReportError;
use crate::model::Report;
use crate::output::svg::trend_bars;
use crate::tables::{Table, table};
use crate::template::{DocumentParams, ReportTemplate, values};

/// Quốc hiệu.
pub const NATIONAL_TITLE: &str = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";
/// Tiêu ngữ.
pub const MOTTO: &str = "Độc lập - Tự do - Hạnh phúc";

const CSS: &str = "@page{size:A4;margin:20mm 15mm 20mm 30mm}\
body{font-family:'Times New Roman','Liberation Serif','TeX Gyre Termes',serif;font-size:14pt;line-height:1.35;color:#000;margin:0}\
.doc{max-width:165mm;margin:0 auto}\
.head,.foot{width:100%;border-collapse:collapse}.head td,.foot td{vertical-align:top;text-align:center;padding:0}\
.head .l{width:40%;font-size:13pt}.head .r{width:60%;font-size:13pt}.rule{width:35%;margin:2pt auto 4pt;border-top:1px solid #000}\
.pd{font-style:italic;margin-top:6pt}h1{text-align:center;font-size:14pt;margin:18pt 0 0}\
.sub{text-align:center;font-weight:bold;margin:0 0 12pt}h2{font-size:14pt;margin:12pt 0 6pt}p{text-align:justify;text-indent:1cm;margin:0 0 6pt}\
table.data{width:100%;border-collapse:collapse;font-size:12pt;margin:4pt 0 10pt;page-break-inside:auto}\
table.data th,table.data td{border:1px solid #000;padding:2pt 4pt}table.data td.n{text-align:right}\
table.data tr.total td{font-weight:bold}caption{font-weight:bold;text-align:left;padding:4pt 0}\
.foot{margin-top:18pt}.foot .rec{width:50%;text-align:left;font-size:11pt}.foot .rec ul{list-style:none;padding:0;margin:0}\
.foot .sig{width:50%;font-weight:bold}.meta{font-size:10pt;color:#333;margin-top:24pt;text-indent:0}\
@media screen{body{background:#eee}.doc{background:#fff;padding:20mm 15mm 20mm 30mm;max-width:210mm;box-sizing:border-box}}";

/// Escapes text for HTML.
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// One table as HTML.
pub fn table_html(t: &Table) -> String {
    let mut s = format!(
        "<table class=\"data\" id=\"{}\"><caption>{}</caption><thead><tr>",
        esc(&t.id),
        esc(&t.title)
    );
    for c in &t.columns {
        s.push_str(&format!("<th scope=\"col\">{}</th>", esc(c)));
    }
    s.push_str("</tr></thead><tbody>");
    for (i, row) in t.rows.iter().enumerate() {
        let total = t.has_total && i + 1 == t.rows.len();
        s.push_str(if total {
            "<tr class=\"total\">"
        } else {
            "<tr>"
        });
        for cell in row {
            match cell {
                crate::tables::Cell::Int(n) => s.push_str(&format!("<td class=\"n\">{n}</td>")),
                crate::tables::Cell::Text(x) => s.push_str(&format!("<td>{}</td>", esc(x))),
            }
        }
        s.push_str("</tr>");
    }
    s.push_str("</tbody></table>");
    s
}

/// Renders the document.
pub fn render(r: &Report, t: &ReportTemplate, doc: &DocumentParams) -> Result<String, ReportError> {
    let v = values(r, doc);
    let f = |field: &str, text: &str| -> Result<String, ReportError> {
        Ok(esc(&t.render(field, text, &v)?))
    };
    let mut s = String::with_capacity(64 * 1024);
    s.push_str(&format!(
        "<!DOCTYPE html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>{} {}</title><style>{CSS}</style></head><body><article class=\"doc\">",
        f("title", &t.title)?,
        f("subtitle", &t.subtitle)?
    ));
    s.push_str(&format!(
        "<table class=\"head\" role=\"presentation\"><tr><td class=\"l\"><div>{}</div><div><strong>{}</strong></div><div class=\"rule\"></div><div>{}</div></td>\
         <td class=\"r\"><div><strong>{NATIONAL_TITLE}</strong></div><div><strong>{MOTTO}</strong></div><div class=\"rule\"></div><div class=\"pd\">{}</div></td></tr></table>",
        f("parent_body", &t.parent_body)?,
        f("issuing_body", &t.issuing_body)?,
        f("number_symbol", &t.number_symbol)?,
        f("place_date", &t.place_date)?
    ));
    s.push_str(&format!(
        "<h1>{}</h1><div class=\"sub\">{}</div>",
        f("title", &t.title)?,
        f("subtitle", &t.subtitle)?
    ));
    for (i, p) in t.intro.iter().enumerate() {
        s.push_str(&format!("<p>{}</p>", f(&format!("intro[{i}]"), p)?));
    }
    for (i, sec) in t.sections.iter().enumerate() {
        s.push_str(&format!(
            "<section><h2>{}</h2>",
            f(&format!("sections[{i}].heading"), &sec.heading)?
        ));
        for (j, p) in sec.paragraphs.iter().enumerate() {
            s.push_str(&format!(
                "<p>{}</p>",
                f(&format!("sections[{i}].paragraphs[{j}]"), p)?
            ));
        }
        if sec.chart {
            let title = t.table_titles.get("trend").cloned().unwrap_or_default();
            s.push_str(&trend_bars(&r.trend, &title, &format!("chart{i}")));
        }
        for id in &sec.tables {
            if let Some(tb) = table(r, t, id) {
                s.push_str(&table_html(&tb));
            }
        }
        s.push_str("</section>");
    }
    s.push_str("<table class=\"foot\" role=\"presentation\"><tr><td class=\"rec\"><div><strong><em>Nơi nhận:</em></strong></div><ul>");
    for rcp in &t.recipients {
        s.push_str(&format!("<li>- {}</li>", esc(rcp)));
    }
    s.push_str(&format!(
        "</ul></td><td class=\"sig\"><div>{}</div><div style=\"height:60pt\"></div><div>{}</div></td></tr></table>",
        esc(&t.signer_title),
        esc(&t.signer_name)
    ));
    s.push_str(&format!(
        "<p class=\"meta\">{} · Mẫu {} {} · Mã dữ liệu đầu vào {}</p></article></body></html>",
        esc(&t.legal_basis),
        esc(&t.code),
        esc(&t.version),
        esc(&r.meta.inputs_hash)
    ));
    Ok(s)
}
