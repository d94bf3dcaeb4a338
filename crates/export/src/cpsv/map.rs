//! The mapping of one procedure to a CPSV-AP `PublicService` node with embedded nodes.
//! Every embedded node gets an IRI under the procedure's IRI, so that the same export always
//! gives the same graph and nodes can be referred to (costs point to their channel).

use serde_json::{Map, Value, json};
use thutuc_domain::procedure::{
    AgencyRef, Channel, ChannelMethod, DossierMode, Duration, FeeKind, ProcedureContent, TimeUnit,
};
use thutuc_domain::text::match_key;

use super::CpsvOptions;
use crate::source::CatalogueRecord;

/// The EU country authority table entry for Việt Nam (every competent authority is there).
const VIETNAM: &str = "http://publications.europa.eu/resource/authority/country/VNM";
/// The EU currency authority table (ISO 4217 codes).
const CURRENCY: &str = "http://publications.europa.eu/resource/authority/currency/";

/// Percent-encodes everything but unreserved ASCII, for one IRI path segment.
fn seg(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Builds literals and IRIs for one record.
pub(super) struct Ctx<'a> {
    pub(super) opts: &'a CpsvOptions,
    pub(super) me: String,
}

impl Ctx<'_> {
    pub(super) fn text(&self, s: &str) -> Value {
        json!({"@value": s, "@language": self.opts.lang})
    }
    pub(super) fn iri(&self, path: &str) -> String {
        format!("{}/{path}", self.me)
    }
    pub(super) fn global(&self, kind: &str, id: &str) -> String {
        format!("{}{kind}/{}", self.opts.base, seg(id))
    }
    fn concept(&self, kind: &str, id: &str, label: &str) -> Value {
        json!({"@id": self.global(kind, id), "@type": "skos:Concept", "skos:prefLabel": self.text(label)})
    }
}

/// `xsd:duration` of a time limit. Working days are written as days (`P5D`) and marked with
/// `tthc:workingDays`; fractions of days and hours become hours or seconds, because only the
/// seconds of an `xsd:duration` may be fractional; an unknown unit gives no duration.
pub fn xsd_duration(d: &Duration) -> Option<String> {
    let whole = d.value.fract() == 0.0 && d.value >= 0.0;
    let v = d.value;
    match d.unit {
        TimeUnit::WorkingDay | TimeUnit::CalendarDay if whole => Some(format!("P{}D", v as i64)),
        TimeUnit::WorkingDay | TimeUnit::CalendarDay if v >= 0.0 => {
            Some(format!("PT{}S", (v * 86_400.0).round() as i64))
        }
        TimeUnit::Hour if whole => Some(format!("PT{}H", v as i64)),
        TimeUnit::Hour if v >= 0.0 => Some(format!("PT{}S", (v * 3_600.0).round() as i64)),
        TimeUnit::Month if whole => Some(format!("P{}M", v as i64)),
        TimeUnit::Year if whole => Some(format!("P{}Y", v as i64)),
        _ => None,
    }
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

fn method_id(m: ChannelMethod) -> &'static str {
    match m {
        ChannelMethod::Direct => "direct",
        ChannelMethod::Online => "online",
        ChannelMethod::Postal => "postal",
    }
}

/// Properties of a time limit: `cv:processingTime` when expressible, plus the `tthc:` ones.
fn time_props(node: &mut Map<String, Value>, d: &Duration) {
    if let Some(x) = xsd_duration(d) {
        node.insert(
            "cv:processingTime".into(),
            json!({"@value": x, "@type": "xsd:duration"}),
        );
    }
    node.insert("tthc:timeValue".into(), json!(d.value));
    node.insert("tthc:timeUnit".into(), json!(unit_id(d.unit)));
    if d.unit == TimeUnit::WorkingDay {
        node.insert("tthc:workingDays".into(), json!(d.value));
    }
}

fn authority(cx: &Ctx<'_>, i: usize, a: &AgencyRef) -> Value {
    let id = match &a.org_id {
        Some(org) => cx.global("org", org),
        None => cx.iri(&format!("authority/{}", i + 1)),
    };
    json!({
        "@id": id,
        "@type": "PublicOrganization",
        "skos:prefLabel": cx.text(&a.name),
        "dct:spatial": {"@id": VIETNAM, "@type": "dct:Location"}
    })
}

/// Cơ quan có thẩm quyền, else cơ quan thực hiện, else the owning organisation: CPSV-AP
/// requires at least one competent authority.
fn authorities(cx: &Ctx<'_>, rec: &CatalogueRecord) -> Vec<Value> {
    let c = &rec.version.content;
    let list = if !c.competent_authority.is_empty() {
        c.competent_authority.clone()
    } else if !c.executing_agency.is_empty() {
        c.executing_agency.clone()
    } else {
        vec![AgencyRef {
            name: rec
                .owner_name
                .clone()
                .unwrap_or_else(|| rec.owner_org.clone()),
            org_id: Some(rec.owner_org.clone()),
        }]
    };
    list.iter()
        .enumerate()
        .map(|(i, a)| authority(cx, i, a))
        .collect()
}

fn channel(cx: &Ctx<'_>, code: &str, i: usize, ch: &Channel) -> Value {
    let mut n = Map::new();
    n.insert("@id".into(), json!(cx.iri(&format!("channel/{}", i + 1))));
    n.insert("@type".into(), json!("Channel"));
    n.insert(
        "dct:identifier".into(),
        json!(format!("{code}.channel.{}", i + 1)),
    );
    let m = method_id(ch.method);
    n.insert(
        "dct:type".into(),
        cx.concept("channel-type", m, ch.method.label_vi()),
    );
    if !ch.description.is_empty() {
        n.insert("dct:description".into(), cx.text(&ch.description));
    }
    match &ch.time {
        Some(d) => time_props(&mut n, d),
        None => {
            n.insert("tthc:timeUnit".into(), json!("not_stated"));
        }
    }
    Value::Object(n)
}

fn costs(cx: &Ctx<'_>, code: &str, channels: &[Channel]) -> Vec<Value> {
    let mut out = Vec::new();
    for (ci, ch) in channels.iter().enumerate() {
        for fee in &ch.fees {
            let k = out.len() + 1;
            let kind = match fee.kind {
                FeeKind::Charge => "charge",
                FeeKind::StateFee => "state_fee",
                FeeKind::Unspecified => "unspecified",
            };
            let mut text = match fee.kind {
                FeeKind::Charge => "Phí".to_string(),
                FeeKind::StateFee => "Lệ phí".to_string(),
                FeeKind::Unspecified => "Phí, lệ phí".to_string(),
            };
            text.push_str(&format!(" ({})", ch.method.label_vi()));
            if let Some(p) = &fee.per {
                text.push_str(&format!(", tính trên {p}"));
            }
            if !fee.description.is_empty() {
                text.push_str(&format!(": {}", fee.description));
            }
            let mut n = Map::new();
            n.insert("@id".into(), json!(cx.iri(&format!("cost/{k}"))));
            n.insert("@type".into(), json!("Cost"));
            n.insert("dct:identifier".into(), json!(format!("{code}.cost.{k}")));
            n.insert("dct:description".into(), cx.text(&text));
            if let Some(a) = fee.amount {
                n.insert(
                    "cv:hasValue".into(),
                    json!({"@value": a as f64, "@type": "xsd:double"}),
                );
            }
            if !fee.currency.is_empty() {
                let cur = format!("{CURRENCY}{}", seg(&fee.currency));
                n.insert(
                    "cv:currency".into(),
                    json!({"@id": cur, "@type": "skos:Concept"}),
                );
            }
            n.insert(
                "cv:ifAccessedThrough".into(),
                json!({"@id": cx.iri(&format!("channel/{}", ci + 1))}),
            );
            n.insert("tthc:feeKind".into(), json!(kind));
            if let Some(p) = &fee.per {
                n.insert("tthc:per".into(), json!(p));
            }
            if fee.defined_elsewhere {
                n.insert("tthc:definedElsewhere".into(), json!(true));
            }
            out.push(Value::Object(n));
        }
    }
    out
}

fn evidence(cx: &Ctx<'_>, code: &str, c: &ProcedureContent) -> Vec<Value> {
    let mut out = Vec::new();
    for (ki, case) in c.dossier.iter().enumerate() {
        for (i, d) in case.components.iter().enumerate() {
            let name = if d.name.is_empty() {
                format!("Giấy tờ {}", i + 1)
            } else {
                d.name.clone()
            };
            let mode = match d.mode {
                DossierMode::Submit => "submit",
                DossierMode::Present => "present",
            };
            let mut desc = format!("Bản chính: {}, bản sao: {}", d.originals, d.copies);
            desc.push_str(if d.required {
                "; bắt buộc"
            } else {
                "; không bắt buộc"
            });
            if !case.name.is_empty() {
                desc.push_str(&format!("; trường hợp: {}", case.name));
            }
            let id = d
                .code
                .clone()
                .unwrap_or_else(|| format!("{code}.evidence.{}.{}", ki + 1, i + 1));
            let mut n = json!({
                "@id": cx.iri(&format!("evidence/{}-{}", ki + 1, i + 1)),
                "@type": "Evidence",
                "dct:identifier": id,
                "dct:title": cx.text(&name),
                "dct:description": cx.text(&desc),
                "tthc:originals": d.originals,
                "tthc:copies": d.copies,
                "tthc:required": d.required,
                "tthc:dossierMode": mode
            });
            if !case.name.is_empty() {
                n["tthc:case"] = cx.text(&case.name);
            }
            if !d.templates.is_empty() {
                n["tthc:template"] = json!(d.templates);
            }
            out.push(n);
        }
    }
    out
}

/// The `PublicService` node of one procedure (without `@context`).
pub fn cpsv_node(rec: &CatalogueRecord, opts: &CpsvOptions) -> Value {
    let v = &rec.version;
    let c = &v.content;
    let code = v.code.as_str();
    let cx = Ctx {
        opts,
        me: format!("{}procedure/{}", opts.base, seg(code)),
    };
    let mut n = Map::new();
    n.insert("@id".into(), json!(cx.me));
    n.insert("@type".into(), json!("PublicService"));
    n.insert("dct:identifier".into(), json!(code));
    let name = if c.name.is_empty() {
        format!("Thủ tục hành chính {code}")
    } else {
        c.name.clone()
    };
    n.insert("dct:title".into(), cx.text(&name));
    let description = if !c.description.is_empty() {
        c.description.clone()
    } else if !c.sector.is_empty() {
        format!("{name}. Lĩnh vực: {}.", c.sector)
    } else {
        name.clone()
    };
    n.insert("dct:description".into(), cx.text(&description));
    n.insert(
        "cv:hasCompetentAuthority".into(),
        json!(authorities(&cx, rec)),
    );
    let channels: Vec<Value> = c
        .channels
        .iter()
        .enumerate()
        .map(|(i, ch)| channel(&cx, code, i, ch))
        .collect();
    insert_list(&mut n, "cv:hasChannel", channels);
    if let Some(x) = c.headline_time().and_then(xsd_duration) {
        n.insert(
            "cv:processingTime".into(),
            json!({"@value": x, "@type": "xsd:duration"}),
        );
    }
    insert_list(&mut n, "cv:hasCost", costs(&cx, code, &c.channels));
    insert_list(&mut n, "cpsv:hasInput", evidence(&cx, code, c));
    let outputs = c.results.iter().enumerate().map(|(i, r)| json!({
        "@id": cx.iri(&format!("output/{}", i + 1)),
        "@type": "Output",
        "dct:identifier": r.kq_code.clone().unwrap_or_else(|| format!("{code}.output.{}", i + 1)),
        "dct:title": cx.text(&r.name)
    }));
    insert_list(&mut n, "cpsv:produces", outputs.collect());
    let legal = c.legal_bases.iter().enumerate().map(|(i, b)| {
        let mut l = json!({
            "@id": match &b.number { Some(no) => cx.global("legal", no), None => cx.iri(&format!("legal/{}", i + 1)) },
            "@type": "LegalResource",
        });
        if let Some(no) = &b.number { l["dct:identifier"] = json!(no); }
        if !b.title.is_empty() { l["dct:title"] = cx.text(&b.title); }
        if let Some(a) = &b.article { l["tthc:article"] = json!(a); }
        l
    });
    insert_list(&mut n, "cv:hasLegalResource", legal.collect());
    if !c.requirements.is_empty() {
        n.insert(
            "cv:holdsRequirement".into(),
            json!([{
                "@id": cx.iri("requirement/1"),
                "@type": "Requirement",
                "dct:identifier": format!("{code}.requirement.1"),
                "dct:title": cx.text("Yêu cầu, điều kiện thực hiện"),
                "dct:description": cx.text(&c.requirements)
            }]),
        );
    }
    if !c.sector.is_empty() {
        let id = c.sector_id.clone().unwrap_or_else(|| match_key(&c.sector));
        n.insert(
            "cv:sector".into(),
            json!([cx.concept("sector", &id, &c.sector)]),
        );
    }
    let audience = c
        .subjects
        .iter()
        .map(|s| cx.concept("subject", &match_key(s), s));
    insert_list(&mut n, "dct:audience", audience.collect());
    super::map_ext::extensions(&mut n, rec, &cx);
    Value::Object(n)
}

fn insert_list(n: &mut Map<String, Value>, key: &str, items: Vec<Value>) {
    if !items.is_empty() {
        n.insert(key.into(), Value::Array(items));
    }
}
