//! Loads the real TTHC records kept in the repository (`data/tthc`) as [`IndexDoc`]s, for the
//! quality test, the engine comparison and the benchmark. Duplicate codes keep the first record.

use std::collections::HashSet;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;

use flate2::read::GzDecoder;
use thutuc_import::{ParsedRecord, Rejection};
use thutuc_search::{DocStatus, IndexDoc};

/// The data directory: `$THUTUC_TTHC_DIR` or the repository's `data/tthc`.
pub fn data_dir() -> PathBuf {
    std::env::var_os("THUTUC_TTHC_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/tthc")))
}

fn open(name: &str) -> Box<dyn BufRead> {
    let path = data_dir().join(name);
    let file = File::open(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    if name.ends_with(".gz") {
        Box::new(BufReader::new(GzDecoder::new(file)))
    } else {
        Box::new(BufReader::new(file))
    }
}

/// Every parsed record of the three JSON sources.
pub fn records() -> Vec<ParsedRecord> {
    let mut out = Vec::new();
    let mut take = |it: Box<dyn Iterator<Item = Result<ParsedRecord, Rejection>>>| {
        out.extend(it.filter_map(Result::ok));
    };
    take(Box::new(thutuc_import::read_portal_pages(open(
        "portal-pages.jsonl.gz",
    ))));
    take(Box::new(thutuc_import::read_portal_json(open(
        "portal-api-sample.jsonl",
    ))));
    take(Box::new(thutuc_import::read_structured(open(
        "bqp-structured.jsonl.gz",
    ))));
    out
}

/// The records as index documents, one per code.
pub fn docs() -> Vec<IndexDoc> {
    let mut seen = HashSet::new();
    records()
        .into_iter()
        .filter(|r| seen.insert(r.code.as_str().to_string()))
        .map(|r| {
            let owner = r
                .publisher_hint
                .as_deref()
                .map(thutuc_domain::org::Sector::id_for)
                .map(|h| {
                    if h.starts_with("chitiet") {
                        "bo-quoc-phong".to_string()
                    } else {
                        h
                    }
                })
                .unwrap_or_else(|| "unknown".to_string());
            IndexDoc::from_content(
                r.code.as_str(),
                r.kind,
                &owner,
                &r.content,
                DocStatus::InForce,
            )
        })
        .collect()
}
