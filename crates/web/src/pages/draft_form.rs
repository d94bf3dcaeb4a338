//! The draft editor's form: structured rows (steps, channels with time and fees, dossier
//! documents, legal bases) that can be added and removed, parsed back into procedure content.
//!
//! Rows are delimited by their hidden `*.key` field (`o3` = the fourth row of the version being
//! edited, `n…` = a new row), so removing a row by its checkbox (`*.del` = key) never shifts
//! the others. Fields the form does not show are kept from the version being edited.

use std::collections::BTreeSet;

pub use crate::pages::draft_rows::{ChannelRow, DocRow, LegalRow, StepRow};

use thutuc_domain::procedure::{
    Channel, ChannelMethod, DossierCase, DossierComponent, Duration, Fee, LegalBasis,
    ProcedureContent, Step, TimeUnit,
};

/// The whole form.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DraftForm {
    /// Revision the editor started from.
    pub rev: i64,
    /// The content the editor started from (JSON), to show others' changes on a conflict.
    pub base: String,
    /// The button pressed: `save`, `add-step`, `add-channel`, `add-doc`, `add-legal`.
    pub op: String,
    /// Name.
    pub name: String,
    /// Field.
    pub sector: String,
    /// Subjects, one per line.
    pub subjects: String,
    /// Requirements.
    pub requirements: String,
    /// Steps.
    pub steps: Vec<StepRow>,
    /// Channels.
    pub channels: Vec<ChannelRow>,
    /// Documents.
    pub docs: Vec<DocRow>,
    /// Legal bases.
    pub legal: Vec<LegalRow>,
}

/// A fresh key for a new row.
pub fn new_key() -> String {
    format!("n{}", &crate::session::random_token()[..12])
}

fn unit_id(u: TimeUnit) -> &'static str {
    match u {
        TimeUnit::WorkingDay => "working_day",
        TimeUnit::CalendarDay => "calendar_day",
        TimeUnit::Hour => "hour",
        TimeUnit::Month => "month",
        TimeUnit::Year => "year",
        TimeUnit::Unknown => "unknown",
    }
}

fn parse_unit(s: &str) -> TimeUnit {
    match s {
        "calendar_day" => TimeUnit::CalendarDay,
        "hour" => TimeUnit::Hour,
        "month" => TimeUnit::Month,
        "year" => TimeUnit::Year,
        "unknown" => TimeUnit::Unknown,
        _ => TimeUnit::WorkingDay,
    }
}

fn method_id(m: ChannelMethod) -> &'static str {
    match m {
        ChannelMethod::Direct => "direct",
        ChannelMethod::Online => "online",
        ChannelMethod::Postal => "postal",
    }
}

fn parse_method(s: &str) -> ChannelMethod {
    match s {
        "online" => ChannelMethod::Online,
        "postal" => ChannelMethod::Postal,
        _ => ChannelMethod::Direct,
    }
}

fn num(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{}", v as i64)
    } else {
        format!("{v}").replace('.', ",")
    }
}

impl DraftForm {
    /// The form showing a version's content.
    pub fn from_content(c: &ProcedureContent, rev: i64) -> Self {
        let key = |i: usize| format!("o{i}");
        let mut docs = Vec::new();
        let mut n = 0;
        for case in &c.dossier {
            for d in &case.components {
                docs.push(DocRow {
                    key: key(n),
                    case: case.name.clone(),
                    name: d.name.clone(),
                    templates: d.templates.join(", "),
                    originals: d.originals.to_string(),
                    copies: d.copies.to_string(),
                    required: d.required,
                });
                n += 1;
            }
        }
        Self {
            rev,
            base: serde_json::to_string(c).unwrap_or_default(),
            op: String::new(),
            name: c.name.clone(),
            sector: c.sector.clone(),
            subjects: c.subjects.join("\n"),
            requirements: c.requirements.clone(),
            steps: c
                .steps
                .iter()
                .enumerate()
                .map(|(i, s)| StepRow {
                    key: key(i),
                    title: s.title.clone(),
                    text: s.description.clone(),
                })
                .collect(),
            channels: c
                .channels
                .iter()
                .enumerate()
                .map(|(i, ch)| ChannelRow {
                    key: key(i),
                    method: method_id(ch.method).into(),
                    time_value: ch.time.as_ref().map(|t| num(t.value)).unwrap_or_default(),
                    time_unit: ch
                        .time
                        .as_ref()
                        .map_or("working_day", |t| unit_id(t.unit))
                        .into(),
                    fee_amount: ch
                        .fees
                        .first()
                        .and_then(|f| f.amount)
                        .map(|a| a.to_string())
                        .unwrap_or_default(),
                    fee_text: ch
                        .fees
                        .first()
                        .map(|f| f.description.clone())
                        .unwrap_or_default(),
                })
                .collect(),
            docs,
            legal: c
                .legal_bases
                .iter()
                .enumerate()
                .map(|(i, l)| LegalRow {
                    key: key(i),
                    number: l.number.clone().unwrap_or_default(),
                    title: l.title.clone(),
                    article: l.article.clone().unwrap_or_default(),
                })
                .collect(),
        }
    }

    /// Parses an `application/x-www-form-urlencoded` body.
    pub fn parse(body: &[u8]) -> Self {
        let mut f = Self::default();
        let mut deleted = BTreeSet::new();
        let mut required = BTreeSet::new();
        for (k, v) in form_urlencoded::parse(body) {
            let v = v.into_owned();
            match k.as_ref() {
                "rev" => f.rev = v.trim().parse().unwrap_or(0),
                "base" => f.base = v,
                "op" => f.op = v,
                "name" => f.name = v,
                "sector" => f.sector = v,
                "subjects" => f.subjects = v,
                "requirements" => f.requirements = v,
                "del" => {
                    deleted.insert(v);
                }
                "doc.required" => {
                    required.insert(v);
                }
                "step.key" => f.steps.push(StepRow {
                    key: v,
                    ..Default::default()
                }),
                "step.title" => {
                    if let Some(r) = f.steps.last_mut() {
                        r.title = v
                    }
                }
                "step.text" => {
                    if let Some(r) = f.steps.last_mut() {
                        r.text = v
                    }
                }
                "ch.key" => f.channels.push(ChannelRow {
                    key: v,
                    ..Default::default()
                }),
                "ch.method" => {
                    if let Some(r) = f.channels.last_mut() {
                        r.method = v
                    }
                }
                "ch.time" => {
                    if let Some(r) = f.channels.last_mut() {
                        r.time_value = v
                    }
                }
                "ch.unit" => {
                    if let Some(r) = f.channels.last_mut() {
                        r.time_unit = v
                    }
                }
                "ch.fee" => {
                    if let Some(r) = f.channels.last_mut() {
                        r.fee_amount = v
                    }
                }
                "ch.fee_text" => {
                    if let Some(r) = f.channels.last_mut() {
                        r.fee_text = v
                    }
                }
                "doc.key" => f.docs.push(DocRow {
                    key: v,
                    ..Default::default()
                }),
                "doc.case" => {
                    if let Some(r) = f.docs.last_mut() {
                        r.case = v
                    }
                }
                "doc.name" => {
                    if let Some(r) = f.docs.last_mut() {
                        r.name = v
                    }
                }
                "doc.templates" => {
                    if let Some(r) = f.docs.last_mut() {
                        r.templates = v
                    }
                }
                "doc.originals" => {
                    if let Some(r) = f.docs.last_mut() {
                        r.originals = v
                    }
                }
                "doc.copies" => {
                    if let Some(r) = f.docs.last_mut() {
                        r.copies = v
                    }
                }
                "legal.key" => f.legal.push(LegalRow {
                    key: v,
                    ..Default::default()
                }),
                "legal.number" => {
                    if let Some(r) = f.legal.last_mut() {
                        r.number = v
                    }
                }
                "legal.title" => {
                    if let Some(r) = f.legal.last_mut() {
                        r.title = v
                    }
                }
                "legal.article" => {
                    if let Some(r) = f.legal.last_mut() {
                        r.article = v
                    }
                }
                _ => {}
            }
        }
        for d in &mut f.docs {
            d.required = required.contains(&d.key);
        }
        f.steps.retain(|r| !deleted.contains(&r.key));
        f.channels.retain(|r| !deleted.contains(&r.key));
        f.docs.retain(|r| !deleted.contains(&r.key));
        f.legal.retain(|r| !deleted.contains(&r.key));
        f
    }

    /// The content this form describes, starting from `base` for everything it does not show.
    /// Errors name the field in Vietnamese.
    pub fn to_content(&self, base: &ProcedureContent) -> Result<ProcedureContent, Vec<String>> {
        let mut errors = Vec::new();
        let orig = |key: &str| key.strip_prefix('o').and_then(|i| i.parse::<usize>().ok());
        let mut c = base.clone();
        c.name = self.name.trim().to_string();
        if c.name.is_empty() {
            errors.push("Tên thủ tục không được để trống.".to_string());
        }
        c.sector = self.sector.trim().to_string();
        c.subjects = self
            .subjects
            .lines()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect();
        c.requirements = self.requirements.trim().to_string();
        c.steps = self
            .steps
            .iter()
            .filter(|r| !(r.title.trim().is_empty() && r.text.trim().is_empty()))
            .map(|r| Step {
                title: r.title.trim().into(),
                description: r.text.trim().into(),
            })
            .collect();
        let mut channels = Vec::new();
        for (i, r) in self.channels.iter().enumerate() {
            let old = orig(&r.key).and_then(|i| base.channels.get(i));
            let time = match r.time_value.trim() {
                "" => None,
                v => match v.replace(',', ".").parse::<f64>() {
                    Ok(x) if x >= 0.0 => Some(Duration {
                        value: x,
                        unit: parse_unit(&r.time_unit),
                    }),
                    _ => {
                        errors.push(format!(
                            "Cách thức thực hiện, dòng {}: thời hạn «{v}» phải là một số.",
                            i + 1
                        ));
                        None
                    }
                },
            };
            let mut fees: Vec<Fee> = old.map(|o| o.fees.clone()).unwrap_or_default();
            let amount = match r.fee_amount.trim().replace(['.', ' '], "").as_str() {
                "" => None,
                v => match v.parse::<i64>() {
                    Ok(a) if a >= 0 => Some(a),
                    _ => {
                        errors.push(format!(
                            "Cách thức thực hiện, dòng {}: phí «{}» phải là số tiền (đồng).",
                            i + 1,
                            r.fee_amount.trim()
                        ));
                        None
                    }
                },
            };
            let note = r.fee_text.trim().to_string();
            if amount.is_none() && note.is_empty() {
                if !fees.is_empty() {
                    fees.remove(0);
                }
            } else {
                let mut first = fees.first().cloned().unwrap_or(Fee {
                    kind: Default::default(),
                    amount: None,
                    currency: "VND".into(),
                    per: None,
                    description: String::new(),
                    defined_elsewhere: false,
                });
                first.amount = amount;
                first.description = note;
                if fees.is_empty() {
                    fees.push(first);
                } else {
                    fees[0] = first;
                }
            }
            channels.push(Channel {
                method: parse_method(&r.method),
                time,
                fees,
                description: old.map(|o| o.description.clone()).unwrap_or_default(),
            });
        }
        c.channels = channels;
        let old_docs: Vec<(&DossierCase, &DossierComponent)> = base
            .dossier
            .iter()
            .flat_map(|case| case.components.iter().map(move |d| (case, d)))
            .collect();
        let mut cases: Vec<DossierCase> = Vec::new();
        for (i, r) in self.docs.iter().enumerate() {
            if r.name.trim().is_empty() {
                continue;
            }
            let count = |s: &str, what: &str, errors: &mut Vec<String>| match s.trim() {
                "" => 0,
                v => v.parse::<u32>().unwrap_or_else(|_| {
                    errors.push(format!(
                        "Thành phần hồ sơ, dòng {}: số {what} «{v}» phải là số nguyên.",
                        i + 1
                    ));
                    0
                }),
            };
            let old = orig(&r.key).and_then(|i| old_docs.get(i)).map(|(_, d)| *d);
            let comp = DossierComponent {
                name: r.name.trim().into(),
                templates: r
                    .templates
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(String::from)
                    .collect(),
                originals: count(&r.originals, "bản chính", &mut errors),
                copies: count(&r.copies, "bản sao", &mut errors),
                required: r.required,
                mode: old.map(|o| o.mode).unwrap_or_default(),
                code: old.and_then(|o| o.code.clone()),
            };
            let case_name = r.case.trim().to_string();
            match cases.iter_mut().find(|c| c.name == case_name) {
                Some(c) => c.components.push(comp),
                None => cases.push(DossierCase {
                    time: base
                        .dossier
                        .iter()
                        .find(|c| c.name == case_name)
                        .and_then(|c| c.time.clone()),
                    name: case_name,
                    components: vec![comp],
                }),
            }
        }
        c.dossier = cases;
        c.legal_bases = self
            .legal
            .iter()
            .filter(|r| !(r.number.trim().is_empty() && r.title.trim().is_empty()))
            .map(|r| {
                let n = r.number.trim();
                LegalBasis {
                    number: (!n.is_empty()).then(|| {
                        thutuc_domain::codes::normalize_doc_number(n)
                            .unwrap_or_else(|| n.to_string())
                    }),
                    title: r.title.trim().into(),
                    article: Some(r.article.trim().to_string()).filter(|a| !a.is_empty()),
                }
            })
            .collect();
        c.normalise();
        if errors.is_empty() {
            Ok(c)
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
#[path = "draft_form_tests.rs"]
mod tests;
