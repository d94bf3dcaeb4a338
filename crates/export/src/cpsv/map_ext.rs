//! The `tthc:` extension properties of a `PublicService`: what CPSV-AP 3.2.0 has no term for.
//! Documented in `crates/export/CPSV-AP.md`.

use serde_json::{Map, Value, json};

use super::map::Ctx;
use crate::source::CatalogueRecord;

fn date(d: chrono::NaiveDate) -> Value {
    json!({"@value": d.format("%Y-%m-%d").to_string(), "@type": "xsd:date"})
}

/// Adds steps, version and validity, levels, kind and local services to the service node.
pub(super) fn extensions(n: &mut Map<String, Value>, rec: &CatalogueRecord, cx: &Ctx<'_>) {
    let v = &rec.version;
    let c = &v.content;
    n.insert("tthc:procedureKind".into(), json!(rec.kind.as_str()));
    if !c.procedure_type.is_empty() {
        n.insert("tthc:procedureType".into(), cx.text(&c.procedure_type));
    }
    if !c.levels.is_empty() {
        let levels: Vec<&str> = c.levels.iter().map(|l| l.as_str()).collect();
        n.insert("tthc:level".into(), json!(levels));
    }
    if c.non_territorial {
        n.insert("tthc:nonTerritorial".into(), json!(true));
    }
    if rec.abolished {
        n.insert("tthc:abolished".into(), json!(true));
    }
    if let Some(d) = v.valid_from {
        n.insert("tthc:validFrom".into(), date(d));
    }
    if let Some(d) = v.valid_to {
        n.insert("tthc:validTo".into(), date(d));
    }
    let steps: Vec<Value> = c
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mut st = json!({
                "@id": cx.iri(&format!("step/{}", i + 1)),
                "@type": "tthc:Step",
                "tthc:order": i + 1,
                "dct:description": cx.text(&s.description)
            });
            if !s.title.is_empty() {
                st["dct:title"] = cx.text(&s.title);
            }
            st
        })
        .collect();
    if !steps.is_empty() {
        n.insert("tthc:step".into(), Value::Array(steps));
    }
    let mut ver = json!({
        "@id": cx.iri(&format!("version/{}", v.seq)),
        "@type": "tthc:Version",
        "tthc:seq": v.seq,
        "tthc:status": v.status.as_str()
    });
    if let Some(d) = v.valid_from {
        ver["tthc:validFrom"] = date(d);
    }
    if let Some(d) = v.valid_to {
        ver["tthc:validTo"] = date(d);
    }
    if let Some(k) = v.change_kind {
        ver["tthc:changeKind"] = json!(k.as_str());
    }
    if let Some(no) = &v.decision_no {
        ver["tthc:decision"] = json!(no);
    }
    if !v.changed_components.is_empty() {
        ver["tthc:changedComponent"] = json!(v.changed_components);
    }
    n.insert("tthc:version".into(), ver);
    let locals: Vec<Value> = rec
        .localisations
        .iter()
        .map(|l| {
            let mut x = json!({
                "@id": cx.iri(&format!("local/{}", l.org_id)),
                "@type": "tthc:LocalService",
                "tthc:organisation": {"@id": cx.global("org", &l.org_id)},
                "tthc:centralVersion": l.central_seq,
                "tthc:drifted": l.drifted
            });
            if let Some(code) = &l.local_code {
                x["tthc:localServiceCode"] = json!(code);
            }
            x
        })
        .collect();
    let codes: Vec<&str> = rec
        .localisations
        .iter()
        .filter_map(|l| l.local_code.as_deref())
        .collect();
    if !codes.is_empty() {
        n.insert("tthc:localServiceCode".into(), json!(codes));
    }
    if !locals.is_empty() {
        n.insert("tthc:localService".into(), Value::Array(locals));
    }
    if !c.related.is_empty() {
        n.insert("tthc:relatedProcedure".into(), json!(c.related));
    }
}
