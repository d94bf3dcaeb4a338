//! Report templates as data (`ReportTemplate`, JSON): headings, texts with `{placeholders}`,
//! table titles, column labels, recipients and signature. A province adapts the wording by
//! supplying its own JSON; the numbers always come from the engine. A placeholder the engine
//! does not provide is an error naming the field, found before anything is written.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::ReportError;
use crate::model::Report;

/// The default Vietnamese template (monthly, quarterly, six-monthly and yearly alike).
pub const DEFAULT_TEMPLATE: &str = include_str!("../templates/report_vi.json");

/// One section of the document body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateSection {
    /// Heading, e.g. "I. SỐ LƯỢNG THỦ TỤC HÀNH CHÍNH ĐƯỢC CÔNG BỐ".
    pub heading: String,
    /// Paragraphs (with placeholders).
    #[serde(default)]
    pub paragraphs: Vec<String>,
    /// Table ids shown after the text ([`crate::tables::TABLE_IDS`]).
    #[serde(default)]
    pub tables: Vec<String>,
    /// Show the monthly trend chart.
    #[serde(default)]
    pub chart: bool,
}

/// A report template (ReportTemplate{code, version, legal_basis, …} of the domain guide).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportTemplate {
    /// Template code.
    pub code: String,
    /// Version.
    pub version: String,
    /// Legal basis printed in the footer.
    pub legal_basis: String,
    /// Governing body above the issuing body (may be empty).
    #[serde(default)]
    pub parent_body: String,
    /// Issuing body.
    pub issuing_body: String,
    /// Number and symbol line ("Số: …/BC-…").
    pub number_symbol: String,
    /// Place and date line.
    pub place_date: String,
    /// Document type title ("BÁO CÁO").
    pub title: String,
    /// Summary line under the title (trích yếu).
    pub subtitle: String,
    /// Opening paragraphs.
    #[serde(default)]
    pub intro: Vec<String>,
    /// Body sections.
    pub sections: Vec<TemplateSection>,
    /// Table titles by table id.
    pub table_titles: BTreeMap<String, String>,
    /// Column labels by column id.
    pub columns: BTreeMap<String, String>,
    /// Nơi nhận.
    pub recipients: Vec<String>,
    /// Signer's position (quyền hạn, chức vụ).
    pub signer_title: String,
    /// Signer's name.
    #[serde(default)]
    pub signer_name: String,
}

/// Document details that are not numbers: place, date and number of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentParams {
    /// Place name ("Hà Nội").
    pub place: String,
    /// Date of the document.
    pub date: NaiveDate,
    /// Number (blank for the officer to fill in).
    pub number: String,
    /// Symbol of the issuing body ("VPCP", "UBND").
    pub issuer_symbol: String,
}

impl ReportTemplate {
    /// Parses a template and checks its placeholders against those the engine provides.
    pub fn parse(json: &str) -> Result<Self, ReportError> {
        let t: Self =
            serde_json::from_str(json).map_err(|e| ReportError::Template(e.to_string()))?;
        t.check()?;
        Ok(t)
    }

    /// The built-in template.
    pub fn default_vi() -> Result<Self, ReportError> {
        Self::parse(DEFAULT_TEMPLATE)
    }

    /// Every text field with its name, for checking and rendering.
    fn texts(&self) -> Vec<(String, &str)> {
        let mut v: Vec<(String, &str)> = vec![
            ("parent_body".into(), self.parent_body.as_str()),
            ("issuing_body".into(), &self.issuing_body),
            ("number_symbol".into(), &self.number_symbol),
            ("place_date".into(), &self.place_date),
            ("title".into(), &self.title),
            ("subtitle".into(), &self.subtitle),
        ];
        for (i, p) in self.intro.iter().enumerate() {
            v.push((format!("intro[{i}]"), p));
        }
        for (i, s) in self.sections.iter().enumerate() {
            v.push((format!("sections[{i}].heading"), &s.heading));
            for (j, p) in s.paragraphs.iter().enumerate() {
                v.push((format!("sections[{i}].paragraphs[{j}]"), p));
            }
        }
        v
    }

    /// Checks every placeholder and table id.
    pub fn check(&self) -> Result<(), ReportError> {
        let known = PLACEHOLDERS;
        for (field, text) in self.texts() {
            for p in placeholders(text, &field)? {
                if !known.contains(&p.as_str()) {
                    return Err(ReportError::MissingPlaceholder {
                        field,
                        placeholder: p,
                    });
                }
            }
        }
        for s in &self.sections {
            for t in &s.tables {
                if !crate::tables::TABLE_IDS.contains(&t.as_str()) {
                    return Err(ReportError::Template(format!(
                        "bảng «{t}» không có / unknown table"
                    )));
                }
            }
        }
        Ok(())
    }

    /// Renders one field with the report's values.
    pub fn render(
        &self,
        field: &str,
        text: &str,
        vals: &BTreeMap<&'static str, String>,
    ) -> Result<String, ReportError> {
        fill(text, field, vals)
    }
}

/// Placeholders the engine provides.
pub const PLACEHOLDERS: [&str; 27] = [
    "scope_name",
    "scope_name_upper",
    "issuer_symbol",
    "number",
    "place",
    "day",
    "month",
    "year",
    "period",
    "period_label",
    "from",
    "to",
    "basis_note",
    "national_new",
    "national_amended",
    "national_replaced",
    "national_abolished",
    "national_annulled",
    "local_total",
    "stock_start",
    "stock_end",
    "stock_entered",
    "stock_exited",
    "decisions",
    "late",
    "posted_late",
    "complete_share",
];

/// The values of the placeholders for a report.
pub fn values(r: &Report, doc: &DocumentParams) -> BTreeMap<&'static str, String> {
    let n = &r.national.total;
    let c = &r.compliance;
    let pct = c
        .complete_share
        .map(|x| format!("{:.1}%", x * 100.0).replace('.', ","))
        .unwrap_or_else(|| "—".into());
    let d = |x: NaiveDate| x.format("%d/%m/%Y").to_string();
    BTreeMap::from([
        ("scope_name", r.meta.scope_name.clone()),
        ("scope_name_upper", r.meta.scope_name.to_uppercase()),
        ("issuer_symbol", doc.issuer_symbol.clone()),
        ("number", doc.number.clone()),
        ("place", doc.place.clone()),
        ("day", format!("{:02}", doc.date.day())),
        ("month", format!("{:02}", doc.date.month())),
        ("year", doc.date.year().to_string()),
        ("period", r.meta.period.clone()),
        ("period_label", r.meta.period_label.clone()),
        ("from", d(r.meta.from)),
        ("to", d(r.meta.to)),
        ("basis_note", r.meta.basis_note.clone()),
        ("national_new", n.new.to_string()),
        ("national_amended", n.amended.to_string()),
        ("national_replaced", n.replaced.to_string()),
        ("national_abolished", n.abolished.to_string()),
        ("national_annulled", n.annulled_included.to_string()),
        ("local_total", r.local.total.total().to_string()),
        ("stock_start", r.stock.start.to_string()),
        ("stock_end", r.stock.end.to_string()),
        ("stock_entered", r.stock.entered.to_string()),
        ("stock_exited", r.stock.exited.to_string()),
        ("decisions", c.decisions.to_string()),
        ("late", c.late.to_string()),
        ("posted_late", c.posted_late.to_string()),
        ("complete_share", pct),
    ])
}

fn placeholders(text: &str, field: &str) -> Result<Vec<String>, ReportError> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find('{') {
        let after = &rest[i + 1..];
        let j = after.find('}').ok_or_else(|| {
            ReportError::Template(format!(
                "trường «{field}»: thiếu dấu }} / unclosed placeholder"
            ))
        })?;
        out.push(after[..j].trim().to_string());
        rest = &after[j + 1..];
    }
    Ok(out)
}

/// Replaces `{name}` by its value; an unknown name is [`ReportError::MissingPlaceholder`].
pub fn fill(
    text: &str,
    field: &str,
    vals: &BTreeMap<&'static str, String>,
) -> Result<String, ReportError> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let j = after.find('}').ok_or_else(|| {
            ReportError::Template(format!(
                "trường «{field}»: thiếu dấu }} / unclosed placeholder"
            ))
        })?;
        let name = after[..j].trim();
        let v = vals
            .get(name)
            .ok_or_else(|| ReportError::MissingPlaceholder {
                field: field.to_string(),
                placeholder: name.to_string(),
            })?;
        out.push_str(v);
        rest = &after[j + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_template_uses_only_known_placeholders() {
        assert!(ReportTemplate::default_vi().is_ok());
    }

    #[test]
    fn a_template_with_an_unknown_placeholder_names_the_field_and_the_placeholder() {
        let json = DEFAULT_TEMPLATE.replace("{period_label}", "{ky_bao_cao}");
        match ReportTemplate::parse(&json) {
            Err(ReportError::MissingPlaceholder { field, placeholder }) => {
                assert_eq!(placeholder, "ky_bao_cao");
                assert_eq!(field, "subtitle");
            }
            other => panic!("expected a missing placeholder, got {other:?}"),
        }
    }

    #[test]
    fn an_unclosed_placeholder_is_a_template_error() {
        let vals = BTreeMap::from([("a", "1".to_string())]);
        assert_eq!(fill("x {a} y", "f", &vals).expect("fill"), "x 1 y");
        assert!(matches!(
            fill("x {a", "f", &vals),
            Err(ReportError::Template(_))
        ));
    }
}
