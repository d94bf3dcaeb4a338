//! Machine diff between two versions of a procedure: typed operations keyed by stable
//! component identities, each rendered as a readable Vietnamese sentence. The same diff fills
//! a decision's "changed components", the UI's history view and the statistics.

use serde::{Deserialize, Serialize};

use crate::procedure::{Channel, ChannelMethod, DossierComponent, Duration, Fee, ProcedureContent};

/// The component of Decree 63/2010 Art 8(2) a change belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Component {
    /// Tên thủ tục.
    Name,
    /// Trình tự thực hiện.
    Steps,
    /// Cách thức thực hiện.
    Channels,
    /// Thành phần hồ sơ.
    Dossier,
    /// Thời hạn giải quyết.
    ProcessingTime,
    /// Đối tượng thực hiện.
    Subjects,
    /// Cơ quan thực hiện / có thẩm quyền.
    Agencies,
    /// Kết quả thực hiện.
    Results,
    /// Yêu cầu, điều kiện.
    Requirements,
    /// Phí, lệ phí.
    Fees,
    /// Căn cứ pháp lý.
    LegalBases,
    /// Cấp thực hiện, lĩnh vực and other metadata.
    Metadata,
}

impl Component {
    /// Vietnamese label.
    pub fn label_vi(self) -> &'static str {
        match self {
            Component::Name => "Tên thủ tục",
            Component::Steps => "Trình tự thực hiện",
            Component::Channels => "Cách thức thực hiện",
            Component::Dossier => "Thành phần hồ sơ",
            Component::ProcessingTime => "Thời hạn giải quyết",
            Component::Subjects => "Đối tượng thực hiện",
            Component::Agencies => "Cơ quan thực hiện",
            Component::Results => "Kết quả thực hiện",
            Component::Requirements => "Yêu cầu, điều kiện",
            Component::Fees => "Phí, lệ phí",
            Component::LegalBases => "Căn cứ pháp lý",
            Component::Metadata => "Thông tin chung",
        }
    }
}

/// One change between two versions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// Which component.
    pub component: Component,
    /// A stable key for the item within the component (channel method, document name, …).
    pub key: String,
    /// Machine-readable operation.
    pub op: Op,
    /// Human-readable Vietnamese sentence.
    pub text_vi: String,
}

/// The operation of a change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Op {
    /// A value was replaced.
    Changed {
        /// Old value, rendered.
        before: String,
        /// New value, rendered.
        after: String,
    },
    /// An item was added.
    Added {
        /// The item, rendered.
        value: String,
    },
    /// An item was removed.
    Removed {
        /// The item, rendered.
        value: String,
    },
}

fn time_text(t: &Option<Duration>) -> String {
    t.as_ref()
        .map_or_else(|| "không quy định".to_string(), ToString::to_string)
}

/// Formats an amount of money the Vietnamese way: `1.000.000 đ`.
pub fn money_vi(amount: i64, currency: &str) -> String {
    let digits = amount.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(ch);
    }
    if amount < 0 {
        out.insert(0, '-');
    }
    if currency == "VND" || currency.is_empty() {
        format!("{out} đ")
    } else {
        format!("{out} {currency}")
    }
}

fn fees_text(fees: &[Fee]) -> String {
    if fees.is_empty() {
        return "không quy định".into();
    }
    fees.iter()
        .map(|f| match f.amount {
            Some(0) if !f.defined_elsewhere => "miễn phí".to_string(),
            Some(a) => {
                let per = f
                    .per
                    .as_deref()
                    .map(|p| format!("/{p}"))
                    .unwrap_or_default();
                format!("{}{per}", money_vi(a, &f.currency))
            }
            None if !f.description.is_empty() => f.description.clone(),
            None => "không rõ".into(),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn push(out: &mut Vec<Change>, component: Component, key: &str, op: Op, text_vi: String) {
    out.push(Change {
        component,
        key: key.to_string(),
        op,
        text_vi,
    });
}

fn diff_scalar(out: &mut Vec<Change>, component: Component, label: &str, a: &str, b: &str) {
    if a != b {
        let text = format!("{label}: «{a}» → «{b}»");
        push(
            out,
            component,
            label,
            Op::Changed {
                before: a.into(),
                after: b.into(),
            },
            text,
        );
    }
}

fn diff_set(out: &mut Vec<Change>, component: Component, label: &str, a: &[String], b: &[String]) {
    for x in a.iter().filter(|x| !b.contains(x)) {
        push(
            out,
            component,
            x,
            Op::Removed { value: x.clone() },
            format!("Bỏ {label}: {x}"),
        );
    }
    for x in b.iter().filter(|x| !a.contains(x)) {
        push(
            out,
            component,
            x,
            Op::Added { value: x.clone() },
            format!("Thêm {label}: {x}"),
        );
    }
}

fn diff_channels(out: &mut Vec<Change>, a: &[Channel], b: &[Channel]) {
    let find = |list: &[Channel], m: ChannelMethod| list.iter().find(|c| c.method == m).cloned();
    for m in [
        ChannelMethod::Direct,
        ChannelMethod::Online,
        ChannelMethod::Postal,
    ] {
        let key = m.label_vi();
        match (find(a, m), find(b, m)) {
            (None, None) => {}
            (Some(_), None) => push(
                out,
                Component::Channels,
                key,
                Op::Removed { value: key.into() },
                format!("Bỏ cách thức nộp: {key}"),
            ),
            (None, Some(c)) => push(
                out,
                Component::Channels,
                key,
                Op::Added { value: key.into() },
                format!(
                    "Thêm cách thức nộp: {key} ({}; {})",
                    time_text(&c.time),
                    fees_text(&c.fees)
                ),
            ),
            (Some(x), Some(y)) => {
                if x.time != y.time {
                    let (before, after) = (time_text(&x.time), time_text(&y.time));
                    let text = format!("Thời hạn giải quyết ({key}): {before} → {after}");
                    push(
                        out,
                        Component::ProcessingTime,
                        key,
                        Op::Changed { before, after },
                        text,
                    );
                }
                if x.fees != y.fees {
                    let (before, after) = (fees_text(&x.fees), fees_text(&y.fees));
                    let text = format!("Phí, lệ phí ({key}): {before} → {after}");
                    push(
                        out,
                        Component::Fees,
                        key,
                        Op::Changed { before, after },
                        text,
                    );
                }
                if x.description != y.description {
                    let text = format!("Mô tả cách thức nộp ({key}) thay đổi");
                    push(
                        out,
                        Component::Channels,
                        key,
                        Op::Changed {
                            before: x.description,
                            after: y.description,
                        },
                        text,
                    );
                }
            }
        }
    }
}

fn component_text(c: &DossierComponent) -> String {
    format!(
        "{} (bản chính: {}, bản sao: {})",
        c.name, c.originals, c.copies
    )
}

fn diff_dossier(out: &mut Vec<Change>, a: &ProcedureContent, b: &ProcedureContent) {
    let flat = |c: &ProcedureContent| -> Vec<(String, DossierComponent)> {
        c.dossier
            .iter()
            .flat_map(|case| {
                case.components.iter().map(move |d| {
                    (
                        format!("{}|{}", case.name, crate::text::match_key(&d.name)),
                        d.clone(),
                    )
                })
            })
            .collect()
    };
    let (fa, fb) = (flat(a), flat(b));
    for (k, d) in &fa {
        match fb.iter().find(|(k2, _)| k2 == k) {
            None => push(
                out,
                Component::Dossier,
                k,
                Op::Removed {
                    value: d.name.clone(),
                },
                format!("Bỏ thành phần hồ sơ: {}", d.name),
            ),
            Some((_, d2)) if d2 != d => {
                let (before, after) = (component_text(d), component_text(d2));
                let text = format!("Sửa thành phần hồ sơ: {before} → {after}");
                push(
                    out,
                    Component::Dossier,
                    k,
                    Op::Changed { before, after },
                    text,
                );
            }
            Some(_) => {}
        }
    }
    for (k, d) in &fb {
        if !fa.iter().any(|(k2, _)| k2 == k) {
            push(
                out,
                Component::Dossier,
                k,
                Op::Added {
                    value: d.name.clone(),
                },
                format!("Thêm thành phần hồ sơ: {}", component_text(d)),
            );
        }
    }
}

/// Computes the field-level diff from `a` (older) to `b` (newer).
pub fn diff(a: &ProcedureContent, b: &ProcedureContent) -> Vec<Change> {
    let mut out = Vec::new();
    diff_scalar(&mut out, Component::Name, "Tên thủ tục", &a.name, &b.name);
    diff_scalar(
        &mut out,
        Component::Metadata,
        "Lĩnh vực",
        &a.sector,
        &b.sector,
    );
    let levels = |c: &ProcedureContent| {
        c.levels
            .iter()
            .map(|l| l.label_vi())
            .collect::<Vec<_>>()
            .join(", ")
    };
    diff_scalar(
        &mut out,
        Component::Metadata,
        "Cấp thực hiện",
        &levels(a),
        &levels(b),
    );
    diff_set(
        &mut out,
        Component::Subjects,
        "đối tượng thực hiện",
        &a.subjects,
        &b.subjects,
    );
    let names =
        |v: &[crate::procedure::AgencyRef]| v.iter().map(|x| x.name.clone()).collect::<Vec<_>>();
    diff_set(
        &mut out,
        Component::Agencies,
        "cơ quan thực hiện",
        &names(&a.executing_agency),
        &names(&b.executing_agency),
    );
    diff_set(
        &mut out,
        Component::Agencies,
        "cơ quan có thẩm quyền",
        &names(&a.competent_authority),
        &names(&b.competent_authority),
    );
    let steps = |c: &ProcedureContent| {
        c.steps
            .iter()
            .map(|s| s.description.clone())
            .collect::<Vec<_>>()
    };
    if steps(a) != steps(b) {
        let text = format!(
            "Trình tự thực hiện thay đổi ({} → {} bước)",
            a.steps.len(),
            b.steps.len()
        );
        push(
            &mut out,
            Component::Steps,
            "steps",
            Op::Changed {
                before: steps(a).join("\n"),
                after: steps(b).join("\n"),
            },
            text,
        );
    }
    diff_channels(&mut out, &a.channels, &b.channels);
    diff_dossier(&mut out, a, b);
    let results =
        |c: &ProcedureContent| c.results.iter().map(|r| r.name.clone()).collect::<Vec<_>>();
    diff_set(
        &mut out,
        Component::Results,
        "kết quả",
        &results(a),
        &results(b),
    );
    diff_scalar(
        &mut out,
        Component::Requirements,
        "Yêu cầu, điều kiện",
        &a.requirements,
        &b.requirements,
    );
    let bases = |c: &ProcedureContent| {
        c.legal_bases
            .iter()
            .map(|l| l.number.clone().unwrap_or_else(|| l.title.clone()))
            .collect::<Vec<_>>()
    };
    diff_set(
        &mut out,
        Component::LegalBases,
        "căn cứ pháp lý",
        &bases(a),
        &bases(b),
    );
    out
}

/// The distinct components touched by a diff, as Vietnamese labels (for "changed components").
pub fn changed_components(changes: &[Change]) -> Vec<String> {
    let mut comps: Vec<Component> = changes.iter().map(|c| c.component).collect();
    comps.sort();
    comps.dedup();
    comps
        .into_iter()
        .map(|c| c.label_vi().to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::procedure::{DossierCase, TimeUnit};

    fn base() -> ProcedureContent {
        ProcedureContent {
            name: "Đăng ký khai sinh".into(),
            channels: vec![Channel {
                method: ChannelMethod::Direct,
                time: Some(Duration {
                    value: 15.0,
                    unit: TimeUnit::WorkingDay,
                }),
                fees: vec![Fee {
                    kind: crate::procedure::FeeKind::StateFee,
                    amount: Some(50_000),
                    currency: "VND".into(),
                    per: None,
                    description: String::new(),
                    defined_elsewhere: false,
                }],
                description: String::new(),
            }],
            dossier: vec![DossierCase {
                name: String::new(),
                time: None,
                components: vec![DossierComponent {
                    name: "Bản sao Giấy khai sinh".into(),
                    templates: vec![],
                    originals: 0,
                    copies: 1,
                    required: true,
                    mode: Default::default(),
                    code: None,
                }],
            }],
            ..Default::default()
        }
    }

    #[test]
    fn identical_versions_have_no_diff() {
        assert!(diff(&base(), &base()).is_empty());
    }

    #[test]
    fn a_shorter_time_limit_reads_in_vietnamese() {
        let mut b = base();
        b.channels[0].time = Some(Duration {
            value: 10.0,
            unit: TimeUnit::WorkingDay,
        });
        let d = diff(&base(), &b);
        assert_eq!(d.len(), 1);
        assert_eq!(
            d[0].text_vi,
            "Thời hạn giải quyết (Trực tiếp): 15 ngày làm việc → 10 ngày làm việc"
        );
        assert_eq!(
            changed_components(&d),
            vec!["Thời hạn giải quyết".to_string()]
        );
    }

    #[test]
    fn removing_a_document_and_changing_a_fee_are_both_reported() {
        let mut b = base();
        b.dossier[0].components.clear();
        b.channels[0].fees[0].amount = Some(1_000_000);
        let texts: Vec<_> = diff(&base(), &b).into_iter().map(|c| c.text_vi).collect();
        assert!(
            texts.contains(&"Bỏ thành phần hồ sơ: Bản sao Giấy khai sinh".to_string()),
            "{texts:?}"
        );
        assert!(
            texts.contains(&"Phí, lệ phí (Trực tiếp): 50.000 đ → 1.000.000 đ".to_string()),
            "{texts:?}"
        );
    }
}
