//! The content of one version of a thủ tục hành chính (TTHC): every component of
//! Decree 63/2010/NĐ-CP Art 8(2) and every field the national portal shows.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

/// Cấp thực hiện: the level of government that carries out a procedure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Cấp bộ.
    Ministry,
    /// Cấp tỉnh.
    Province,
    /// Cấp huyện (only before 01/7/2025).
    District,
    /// Cấp xã.
    Commune,
    /// Cơ quan khác.
    Other,
}

impl Level {
    /// All levels in display order.
    pub const ALL: [Level; 5] = [
        Level::Ministry,
        Level::Province,
        Level::District,
        Level::Commune,
        Level::Other,
    ];

    /// Vietnamese label as the portal writes it.
    pub fn label_vi(self) -> &'static str {
        match self {
            Level::Ministry => "Cấp bộ",
            Level::Province => "Cấp tỉnh",
            Level::District => "Cấp huyện",
            Level::Commune => "Cấp xã",
            Level::Other => "Cơ quan khác",
        }
    }

    /// Stable identifier used in URLs and storage.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Ministry => "ministry",
            Level::Province => "province",
            Level::District => "district",
            Level::Commune => "commune",
            Level::Other => "other",
        }
    }

    /// Parses the identifier or a Vietnamese label ("Cấp tỉnh", "tinh", "province").
    pub fn parse(s: &str) -> Option<Level> {
        let k = crate::text::match_key(s);
        let k = k.strip_prefix("cap").unwrap_or(&k);
        Some(match k {
            "bo" | "ministry" => Level::Ministry,
            "tinh" | "province" => Level::Province,
            "huyen" | "district" => Level::District,
            "xa" | "commune" | "ward" => Level::Commune,
            "coquankhac" | "other" | "khac" => Level::Other,
            _ => return None,
        })
    }

    /// Parses a comma-separated list such as "Cấp bộ, Cấp tỉnh, Cấp xã".
    pub fn parse_set(s: &str) -> (BTreeSet<Level>, Vec<String>) {
        let mut set = BTreeSet::new();
        let mut unknown = Vec::new();
        for part in s
            .split([',', ';', '\n'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            match Level::parse(part) {
                Some(l) => {
                    set.insert(l);
                }
                None => unknown.push(part.to_string()),
            }
        }
        (set, unknown)
    }
}

/// Loại thủ tục: external (for citizens and businesses) or internal (TTHC nội bộ, Decision 1085/QĐ-TTg).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ProcedureKind {
    /// TTHC for citizens and organisations.
    #[default]
    External,
    /// TTHC nội bộ: inside or between state agencies.
    Internal,
}

impl ProcedureKind {
    /// Stable identifier.
    pub fn as_str(self) -> &'static str {
        match self {
            ProcedureKind::External => "external",
            ProcedureKind::Internal => "internal",
        }
    }
    /// Parses the identifier.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "external" => Some(Self::External),
            "internal" => Some(Self::Internal),
            _ => None,
        }
    }
}

/// Cách thức thực hiện: the submission channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChannelMethod {
    /// Trực tiếp (in person).
    Direct,
    /// Trực tuyến (online).
    Online,
    /// Dịch vụ bưu chính (postal).
    Postal,
}

impl ChannelMethod {
    /// Vietnamese label.
    pub fn label_vi(self) -> &'static str {
        match self {
            ChannelMethod::Direct => "Trực tiếp",
            ChannelMethod::Online => "Trực tuyến",
            ChannelMethod::Postal => "Dịch vụ bưu chính",
        }
    }
}

/// Đơn vị thời hạn: the unit of a time limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeUnit {
    /// Ngày làm việc.
    WorkingDay,
    /// Ngày (calendar day).
    CalendarDay,
    /// Giờ (hour).
    Hour,
    /// Tháng (month).
    Month,
    /// Năm (year).
    Year,
    /// The source gave a number without a unit: flagged, never assumed.
    Unknown,
}

impl TimeUnit {
    /// Vietnamese label.
    pub fn label_vi(self) -> &'static str {
        match self {
            TimeUnit::WorkingDay => "ngày làm việc",
            TimeUnit::CalendarDay => "ngày",
            TimeUnit::Hour => "giờ",
            TimeUnit::Month => "tháng",
            TimeUnit::Year => "năm",
            TimeUnit::Unknown => "(không rõ đơn vị)",
        }
    }
}

/// Thời hạn giải quyết: value and unit. The value is a decimal to allow "0,5 ngày".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Duration {
    /// The number, e.g. 5.
    pub value: f64,
    /// The unit.
    pub unit: TimeUnit,
}

impl std::fmt::Display for Duration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let v = if self.value.fract() == 0.0 {
            format!("{}", self.value as i64)
        } else {
            format!("{}", self.value).replace('.', ",")
        };
        write!(f, "{v} {}", self.unit.label_vi())
    }
}

/// Loại phí: a service charge (phí) or a state fee (lệ phí); unknown when the source does not say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum FeeKind {
    /// Phí.
    Charge,
    /// Lệ phí.
    StateFee,
    /// Not stated.
    #[default]
    Unspecified,
}

/// Phí, lệ phí: one fee of a channel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fee {
    /// Phí or lệ phí.
    #[serde(default)]
    pub kind: FeeKind,
    /// Amount in the currency's minor-free unit (integer đồng for VND); `None` when not stated.
    pub amount: Option<i64>,
    /// ISO currency code: `VND`, `USD`.
    pub currency: String,
    /// What the amount is per ("lần", "bản", "hồ sơ").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per: Option<String>,
    /// Free text (also holds the original when the amount could not be parsed).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// A 0 or missing amount whose text defers to another rule ("Theo quy định của Bộ Tài chính"): not free.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub defined_elsewhere: bool,
}

/// One submission channel with its time limit and fees.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Channel {
    /// Trực tiếp / trực tuyến / bưu chính.
    pub method: ChannelMethod,
    /// Time limit; `None` when the source says "Không có thông tin" or nothing.
    pub time: Option<Duration>,
    /// Fees for this channel; empty means none stated, `[Fee{amount: Some(0)}]` means free.
    #[serde(default)]
    pub fees: Vec<Fee>,
    /// Mô tả.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

/// Whether a dossier document is submitted or only shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum DossierMode {
    /// Phải nộp.
    #[default]
    Submit,
    /// Phải xuất trình.
    Present,
}

/// Thành phần hồ sơ: one document of the dossier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DossierComponent {
    /// Tên giấy tờ.
    pub name: String,
    /// Mẫu đơn, tờ khai (template file names).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub templates: Vec<String>,
    /// Bản chính.
    #[serde(default)]
    pub originals: u32,
    /// Bản sao.
    #[serde(default)]
    pub copies: u32,
    /// Required (bắt buộc) or optional.
    #[serde(default = "yes")]
    pub required: bool,
    /// Submit or present.
    #[serde(default)]
    pub mode: DossierMode,
    /// The source's own component code, opaque.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

fn yes() -> bool {
    true
}

/// A case (trường hợp) with its own dossier list and, optionally, its own time limit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DossierCase {
    /// Case name; empty for the single default case.
    #[serde(default)]
    pub name: String,
    /// The case's time limit when it overrides the channels'.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<Duration>,
    /// Documents.
    #[serde(default)]
    pub components: Vec<DossierComponent>,
}

/// Căn cứ pháp lý: a legal basis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegalBasis {
    /// Normalised document number, e.g. `123/2015/NĐ-CP`; `None` when the source gave only a title.
    pub number: Option<String>,
    /// Trích yếu / title.
    #[serde(default)]
    pub title: String,
    /// Article or clause, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub article: Option<String>,
}

/// Kết quả thực hiện.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultDoc {
    /// Name of the result document.
    pub name: String,
    /// `KQ.G15.000033`, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kq_code: Option<String>,
}

/// Trình tự thực hiện: one step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// Short title (may be empty).
    #[serde(default)]
    pub title: String,
    /// Text of the step.
    pub description: String,
}

/// An agency named by a procedure: free text as published, plus the organisation it was matched to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgencyRef {
    /// Name as published.
    pub name: String,
    /// Matched organisation id in thutuc, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org_id: Option<String>,
}

/// Everything one version of a procedure says. Versions are compared field by field (see [`crate::diff`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ProcedureContent {
    /// (a) Tên thủ tục.
    pub name: String,
    /// Mô tả (optional summary).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Cấp thực hiện.
    #[serde(default)]
    pub levels: BTreeSet<Level>,
    /// Loại thủ tục as published ("TTHC được giao luật quy định chi tiết").
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub procedure_type: String,
    /// Lĩnh vực (name as published).
    #[serde(default)]
    pub sector: String,
    /// Managed field id, when matched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sector_id: Option<String>,
    /// (e) Đối tượng thực hiện.
    #[serde(default)]
    pub subjects: Vec<String>,
    /// Cơ quan có thẩm quyền.
    #[serde(default)]
    pub competent_authority: Vec<AgencyRef>,
    /// (g) Cơ quan thực hiện.
    #[serde(default)]
    pub executing_agency: Vec<AgencyRef>,
    /// Cơ quan được ủy quyền.
    #[serde(default)]
    pub authorised_agency: Vec<AgencyRef>,
    /// Cơ quan phối hợp.
    #[serde(default)]
    pub coordinating_agency: Vec<AgencyRef>,
    /// Địa chỉ tiếp nhận hồ sơ.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub receiving_address: String,
    /// (b) Trình tự thực hiện.
    #[serde(default)]
    pub steps: Vec<Step>,
    /// (c) Cách thức thực hiện, with (đ) time limits and fees per channel.
    #[serde(default)]
    pub channels: Vec<Channel>,
    /// (d) Thành phần hồ sơ, grouped by case.
    #[serde(default)]
    pub dossier: Vec<DossierCase>,
    /// Kết quả thực hiện.
    #[serde(default)]
    pub results: Vec<ResultDoc>,
    /// Yêu cầu, điều kiện.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub requirements: String,
    /// Căn cứ pháp lý.
    #[serde(default)]
    pub legal_bases: Vec<LegalBasis>,
    /// Thủ tục liên quan (codes).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<String>,
    /// Không phụ thuộc địa giới hành chính.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub non_territorial: bool,
    /// Original source text per field, as imported (field name → text). Kept for audit and re-parsing.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub source_text: BTreeMap<String, String>,
}

impl ProcedureContent {
    /// The shortest time limit over channels and cases, for list views.
    pub fn headline_time(&self) -> Option<&Duration> {
        self.channels.iter().filter_map(|c| c.time.as_ref()).next()
    }

    /// Normalises every text field to NFC and removes duplicate legal bases (same number).
    pub fn normalise(&mut self) {
        use crate::text::clean;
        self.name = crate::text::clean_inline(&self.name);
        self.sector = crate::text::clean_inline(&self.sector);
        self.description = clean(&self.description);
        self.procedure_type = clean(&self.procedure_type);
        self.requirements = clean(&self.requirements);
        self.receiving_address = clean(&self.receiving_address);
        for s in &mut self.subjects {
            *s = crate::text::clean_inline(s);
        }
        self.subjects.retain(|s| !s.is_empty());
        for list in [
            &mut self.competent_authority,
            &mut self.executing_agency,
            &mut self.authorised_agency,
            &mut self.coordinating_agency,
        ] {
            for a in list.iter_mut() {
                a.name = crate::text::clean_inline(&a.name);
            }
            list.retain(|a| !a.name.is_empty());
        }
        for st in &mut self.steps {
            st.title = clean(&st.title);
            st.description = clean(&st.description);
        }
        for ch in &mut self.channels {
            ch.description = clean(&ch.description);
        }
        for case in &mut self.dossier {
            case.name = clean(&case.name);
            for c in &mut case.components {
                c.name = clean(&c.name);
            }
        }
        for r in &mut self.results {
            r.name = clean(&r.name);
        }
        let mut seen = BTreeSet::new();
        self.legal_bases.retain_mut(|b| {
            b.title = crate::text::clean_inline(&b.title);
            let key = b
                .number
                .clone()
                .unwrap_or_else(|| crate::text::match_key(&b.title));
            seen.insert(key)
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn level_sets_parse_portal_labels() {
        let (set, unknown) = Level::parse_set("Cấp bộ, Cấp tỉnh, Cấp xã");
        assert_eq!(
            set.into_iter().collect::<Vec<_>>(),
            vec![Level::Ministry, Level::Province, Level::Commune]
        );
        assert!(unknown.is_empty());
        let (_, unknown) = Level::parse_set("Cấp thôn");
        assert_eq!(unknown, vec!["Cấp thôn".to_string()]);
    }

    #[test]
    fn normalising_removes_duplicate_legal_bases() {
        let basis = LegalBasis {
            number: Some("11/2016/TT-BCT".into()),
            title: "Thông tư".into(),
            article: None,
        };
        let mut c = ProcedureContent {
            legal_bases: vec![basis.clone(), basis.clone(), basis],
            ..Default::default()
        };
        c.normalise();
        assert_eq!(c.legal_bases.len(), 1);
    }

    #[test]
    fn durations_print_in_vietnamese() {
        let d = Duration {
            value: 15.0,
            unit: TimeUnit::WorkingDay,
        };
        assert_eq!(d.to_string(), "15 ngày làm việc");
    }
}
