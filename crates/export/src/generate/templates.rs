//! The real records the generator copies from: the national portal's pages (Ministry of
//! Justice, State Bank), the portal API sample and the Ministry of Defence's structured
//! exports, embedded in the binary like the demo's data.

use std::io::BufReader;

use thutuc_domain::procedure::{Level, ProcedureContent, ProcedureKind};
use thutuc_domain::text::clean_inline;

const PORTAL_PAGES: &[u8] = include_bytes!("../../../../data/tthc/portal-pages.jsonl.gz");
const PORTAL_JSON: &[u8] = include_bytes!("../../../../data/tthc/portal-api-sample.jsonl");
const STRUCTURED: &[u8] = include_bytes!("../../../../data/tthc/bqp-structured.jsonl.gz");

/// One real procedure used as a template.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    /// Its real code (never reused by the generator).
    pub code: String,
    /// External or internal.
    pub kind: ProcedureKind,
    /// Content without the source text (which would only inflate the database).
    pub content: ProcedureContent,
}

impl Template {
    /// True when provinces or communes carry the procedure out (so it can be localised).
    pub fn is_local(&self) -> bool {
        self.content
            .levels
            .iter()
            .any(|l| matches!(l, Level::Province | Level::Commune | Level::District))
    }
}

fn gz(bytes: &'static [u8]) -> BufReader<flate2::read::GzDecoder<&'static [u8]>> {
    BufReader::new(flate2::read::GzDecoder::new(bytes))
}

/// Every embedded real record with detail, in file order.
pub fn real_records() -> Vec<thutuc_import::ParsedRecord> {
    thutuc_import::read_portal_pages(gz(PORTAL_PAGES))
        .chain(thutuc_import::read_portal_json(BufReader::new(PORTAL_JSON)))
        .chain(thutuc_import::read_structured(gz(STRUCTURED)))
        .filter_map(Result::ok)
        .collect()
}

/// The templates: every embedded real record with at least a name, normalised.
pub fn templates() -> Vec<Template> {
    real_records()
        .into_iter()
        .filter(|r| !clean_inline(&r.content.name).is_empty())
        .map(|r| {
            let mut content = r.content;
            content.source_text.clear();
            content.normalise();
            Template {
                code: r.code.to_string(),
                kind: r.kind,
                content,
            }
        })
        .collect()
}
