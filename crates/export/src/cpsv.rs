//! CPSV-AP 3.2.0 JSON-LD: each procedure becomes a `cpsv:PublicService` with its competent
//! authority, channels (processing time as `xsd:duration`), costs, evidence, outputs, legal
//! resources, requirement and sector, following the domain guide §14. What CPSV-AP has no
//! term for (steps, versions and validity, change kind, working days, local service codes)
//! goes into the `tthc:` extension namespace documented in `CPSV-AP.md`.
//!
//! The `@context` is the official CPSV-AP 3.2.0 context (embedded, so nothing is fetched)
//! followed by the prefixes used for properties, as in the official example.

mod map;
mod map_ext;

use std::io::Write;
use std::sync::OnceLock;

use serde_json::{Map, Value, json};
use thutuc_store::{OrgStore, ProcedureStore};

use crate::ExportError;
use crate::own::ExportStats;
use crate::source::{CatalogueRecord, ExportFilter, RecordSource};

pub use map::{cpsv_node, xsd_duration};

/// The official CPSV-AP 3.2.0 JSON-LD context document (SEMICeu/CPSV-AP, CC-BY 4.0).
pub const OFFICIAL_CONTEXT: &str =
    include_str!("../../../data/cpsv-ap/3.2.0-context_cpsv-ap.jsonld");

/// Where the official context is published (documents may reference it instead of embedding it).
pub const OFFICIAL_CONTEXT_URL: &str = "https://semiceu.github.io/uri.semic.eu-generated/CPSV-AP/releases/3.2.0/context/cpsv-ap.jsonld";

/// The thutuc extension namespace.
pub const TTHC_NS: &str = "https://w3id.org/thutuc/ns/tthc#";

/// Options of the JSON-LD export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CpsvOptions {
    /// Base of the IRIs minted for procedures, organisations, sectors …; ends with `/`.
    pub base: String,
    /// Language tag of Vietnamese text.
    pub lang: String,
}

impl Default for CpsvOptions {
    fn default() -> Self {
        Self {
            base: "https://w3id.org/thutuc/id/".into(),
            lang: "vi".into(),
        }
    }
}

/// The `@context` value: the official context object, then the prefixes.
pub fn context() -> Value {
    static CTX: OnceLock<Value> = OnceLock::new();
    CTX.get_or_init(|| {
        let official = serde_json::from_str::<Value>(OFFICIAL_CONTEXT)
            .ok()
            .and_then(|v| v.get("@context").cloned())
            .unwrap_or_else(|| Value::Object(Map::new()));
        json!([
            official,
            {
                "cpsv": "http://purl.org/vocab/cpsv#",
                "cv": "http://data.europa.eu/m8g/",
                "dct": "http://purl.org/dc/terms/",
                "skos": "http://www.w3.org/2004/02/skos/core#",
                "xsd": "http://www.w3.org/2001/XMLSchema#",
                "eli": "http://data.europa.eu/eli/ontology#",
                "tthc": TTHC_NS
            }
        ])
    })
    .clone()
}

/// One procedure as a complete JSON-LD document (`@context` + the service node), e.g. for
/// `GET /api/v1/procedures/{code}` with `Accept: application/ld+json`.
pub fn export_cpsv_jsonld(rec: &CatalogueRecord, opts: &CpsvOptions) -> Value {
    let mut doc = Map::new();
    doc.insert("@context".into(), context());
    if let Value::Object(node) = cpsv_node(rec, opts) {
        doc.extend(node);
    }
    Value::Object(doc)
}

/// Streams the matching procedures as one JSON-LD document `{"@context": …, "@graph": […]}`,
/// with owner names and localisations loaded from the store.
pub async fn export_cpsv<S: ProcedureStore + OrgStore + ?Sized, W: Write>(
    store: &S,
    filter: &ExportFilter,
    opts: &CpsvOptions,
    mut w: W,
) -> Result<ExportStats, ExportError> {
    let orgs = store.all_orgs().await?;
    let mut src = RecordSource::open(store, filter)
        .await?
        .with_org_names(&orgs)
        .with_localisations();
    drop(orgs);
    let mut graph = GraphWriter::new(&mut w)?;
    let mut stats = ExportStats::default();
    while let Some(r) = src.next().await? {
        graph.write(&cpsv_node(&r, opts))?;
        stats.records += 1;
    }
    graph.finish()?;
    w.flush()?;
    Ok(stats)
}

/// Writes `{"@context": …, "@graph": [` … `]}` around nodes written one at a time.
pub struct GraphWriter<W: Write> {
    w: W,
    first: bool,
}

impl<W: Write> GraphWriter<W> {
    /// Writes the opening with the context.
    pub fn new(mut w: W) -> Result<Self, ExportError> {
        w.write_all(b"{\"@context\":")?;
        serde_json::to_writer(&mut w, &context())?;
        w.write_all(b",\"@graph\":[\n")?;
        Ok(Self { w, first: true })
    }
    /// Writes one node.
    pub fn write(&mut self, node: &Value) -> Result<(), ExportError> {
        if !self.first {
            self.w.write_all(b",\n")?;
        }
        self.first = false;
        serde_json::to_writer(&mut self.w, node)?;
        Ok(())
    }
    /// Closes the graph and the document.
    pub fn finish(mut self) -> Result<W, ExportError> {
        self.w.write_all(b"\n]}\n")?;
        Ok(self.w)
    }
}
