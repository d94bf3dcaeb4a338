//! The display form of a procedure version's content, shared by the public procedure page,
//! the comparison page and the workspace's previews: an official record laid out by the
//! components of Decree 63/2010 Art 8(2), and readable change sentences.

use thutuc_domain::diff;
use thutuc_domain::procedure::ProcedureContent;

use crate::i18n::Lang;
use crate::pages::fmt;

/// A channel row.
#[derive(Debug, Clone)]
pub struct ChannelRow {
    /// Channel label.
    pub method: &'static str,
    /// Time limit.
    pub time: String,
    /// Fees.
    pub fees: String,
    /// Description.
    pub description: String,
}

/// A dossier document row.
#[derive(Debug, Clone)]
pub struct DocRow {
    /// Name.
    pub name: String,
    /// Template files.
    pub templates: String,
    /// Quantity text.
    pub quantity: String,
    /// Required.
    pub required: bool,
    /// Shown only.
    pub present: bool,
}

/// A case with its documents.
#[derive(Debug, Clone)]
pub struct CaseView {
    /// Case name (empty for the single case).
    pub name: String,
    /// Own time limit.
    pub time: Option<String>,
    /// Documents.
    pub docs: Vec<DocRow>,
}

/// A legal basis with its link.
#[derive(Debug, Clone)]
pub struct LegalRow {
    /// Link to `/van-ban/…` when numbered.
    pub href: Option<String>,
    /// Number.
    pub number: String,
    /// Title.
    pub title: String,
    /// Article.
    pub article: String,
}

/// A labelled value.
#[derive(Debug, Clone)]
pub struct Fact {
    /// Label.
    pub label: &'static str,
    /// Value.
    pub value: String,
}

/// A change sentence.
#[derive(Debug, Clone)]
pub struct ChangeRow {
    /// Component label.
    pub component: &'static str,
    /// Sentence.
    pub text: String,
}

/// The record of one version, ready for the template.
#[derive(Debug, Clone)]
pub struct RecordView {
    /// Facts table.
    pub facts: Vec<Fact>,
    /// Steps.
    pub steps: Vec<(String, String)>,
    /// Channels.
    pub channels: Vec<ChannelRow>,
    /// Dossier.
    pub cases: Vec<CaseView>,
    /// Results.
    pub results: Vec<String>,
    /// Requirements.
    pub requirements: String,
    /// Legal bases.
    pub legal: Vec<LegalRow>,
}

fn agencies(list: &[thutuc_domain::procedure::AgencyRef]) -> String {
    list.iter()
        .map(|a| a.name.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}

/// Builds the display record of a version's content.
pub fn record(lang: Lang, c: &ProcedureContent) -> RecordView {
    let mut facts = vec![
        Fact {
            label: lang.t("proc.levels"),
            value: c
                .levels
                .iter()
                .map(|l| lang.t(fmt::level_key(l.as_str())))
                .collect::<Vec<_>>()
                .join(", "),
        },
        Fact {
            label: lang.t("proc.type"),
            value: c.procedure_type.clone(),
        },
        Fact {
            label: lang.t("proc.sector"),
            value: c.sector.clone(),
        },
        Fact {
            label: lang.t("proc.subjects"),
            value: c.subjects.join(", "),
        },
        Fact {
            label: lang.t("proc.competent"),
            value: agencies(&c.competent_authority),
        },
        Fact {
            label: lang.t("proc.executing"),
            value: agencies(&c.executing_agency),
        },
        Fact {
            label: lang.t("proc.authorised"),
            value: agencies(&c.authorised_agency),
        },
        Fact {
            label: lang.t("proc.coordinating"),
            value: agencies(&c.coordinating_agency),
        },
        Fact {
            label: lang.t("proc.address"),
            value: c.receiving_address.clone(),
        },
    ];
    if c.non_territorial {
        facts.push(Fact {
            label: lang.t("proc.non_territorial"),
            value: "✓".into(),
        });
    }
    facts.retain(|f| !f.value.trim().is_empty());
    RecordView {
        facts,
        steps: c
            .steps
            .iter()
            .map(|s| (s.title.clone(), s.description.clone()))
            .collect(),
        channels: c
            .channels
            .iter()
            .map(|ch| ChannelRow {
                method: lang.t(fmt::method_key(ch.method)),
                time: fmt::duration(lang, &ch.time),
                fees: fmt::fees(lang, &ch.fees),
                description: ch.description.clone(),
            })
            .collect(),
        cases: c
            .dossier
            .iter()
            .map(|case| CaseView {
                name: case.name.clone(),
                time: case
                    .time
                    .as_ref()
                    .map(|t| fmt::duration(lang, &Some(t.clone()))),
                docs: case
                    .components
                    .iter()
                    .map(|d| DocRow {
                        name: d.name.clone(),
                        templates: d.templates.join(", "),
                        quantity: quantity(lang, d.originals, d.copies),
                        required: d.required,
                        present: d.mode == thutuc_domain::procedure::DossierMode::Present,
                    })
                    .collect(),
            })
            .collect(),
        results: c
            .results
            .iter()
            .map(|r| match &r.kq_code {
                Some(k) => format!("{} ({k})", r.name),
                None => r.name.clone(),
            })
            .collect(),
        requirements: c.requirements.clone(),
        legal: c
            .legal_bases
            .iter()
            .map(|l| LegalRow {
                href: l
                    .number
                    .as_ref()
                    .map(|n| format!("/van-ban/{}", fmt::path_enc(n))),
                number: l.number.clone().unwrap_or_default(),
                title: l.title.clone(),
                article: l.article.clone().unwrap_or_default(),
            })
            .collect(),
    }
}

fn quantity(lang: Lang, originals: u32, copies: u32) -> String {
    let mut parts = Vec::new();
    if originals > 0 {
        parts.push(format!("{originals} {}", lang.t("proc.originals")));
    }
    if copies > 0 {
        parts.push(format!("{copies} {}", lang.t("proc.copies")));
    }
    parts.join(", ")
}

/// The changes between two contents as display rows.
pub fn changes(a: &ProcedureContent, b: &ProcedureContent) -> Vec<ChangeRow> {
    diff::diff(a, b)
        .into_iter()
        .map(|c| ChangeRow {
            component: c.component.label_vi(),
            text: c.text_vi,
        })
        .collect()
}
