//! The store-facing half of importing: resolve each record's owning organisation, turn
//! records into [`ImportItem`]s, and write them in one transaction (all or nothing), or with
//! `partial` only the good ones. Re-importing the same file changes nothing and says so.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use thutuc_domain::legal::{LegalDocument, doc_type_from_number as legal_doc_type};
use thutuc_domain::org::{Organisation, Sector};
use thutuc_refdata::OrgIndex;
use thutuc_store::{ImportAction, ImportItem, Store, StoreError};

use crate::{DetailLevel, ParsedRecord, Rejection};

/// How to import.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// Commit the good records and report the rest (default: all or nothing).
    pub partial: bool,
    /// Owner organisation for every record (overrides matching).
    pub owner: Option<String>,
    /// Valid-from of newly created versions.
    pub valid_from: NaiveDate,
    /// Plan only: parse, match and report, write nothing.
    pub dry_run: bool,
}

/// What an import did.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct ImportSummary {
    /// Records read.
    pub read: usize,
    /// New procedures.
    pub created: usize,
    /// New versions of existing procedures.
    pub updated: usize,
    /// Nothing to change.
    pub unchanged: usize,
    /// Rejected records with their reasons.
    pub rejected: Vec<Rejection>,
    /// Fields kept as text because they could not be parsed (record code → count).
    pub problems: BTreeMap<String, usize>,
    /// True when nothing was written (errors without `partial`, or `dry_run`).
    pub rolled_back: bool,
}

impl ImportSummary {
    /// One-line Vietnamese/English summary.
    pub fn line(&self) -> String {
        format!(
            "đọc {} bản ghi: tạo mới {}, cập nhật {}, không đổi {}, từ chối {}{} / read {}: created {}, updated {}, unchanged {}, rejected {}",
            self.read,
            self.created,
            self.updated,
            self.unchanged,
            self.rejected.len(),
            if self.rolled_back {
                " — KHÔNG GHI GÌ (no changes written)"
            } else {
                ""
            },
            self.read,
            self.created,
            self.updated,
            self.unchanged,
            self.rejected.len()
        )
    }
}

/// Resolves the owning organisation of a record from its publisher hint or decision number.
pub fn resolve_owner<'a>(index: &OrgIndex<'a>, r: &ParsedRecord) -> Option<&'a Organisation> {
    let hint = r.publisher_hint.as_deref().filter(|h| !h.trim().is_empty());
    if let Some(o) = hint.and_then(|h| {
        index
            .match_current(h)
            .or_else(|| index.match_current(&h.replace('-', " ")))
    }) {
        return Some(o);
    }
    r.decision_no
        .as_deref()
        .and_then(|d| index.issuer_from_decision_number(d))
}

/// Imports parsed records (and the reader's rejections) into the store.
pub async fn import_records<S: Store>(
    store: &S,
    records: Vec<Result<ParsedRecord, Rejection>>,
    opts: &ImportOptions,
) -> Result<ImportSummary, StoreError> {
    let orgs = store.all_orgs().await?;
    let index = OrgIndex::new(&orgs);
    let mut summary = ImportSummary {
        read: records.len(),
        ..Default::default()
    };
    let mut items = Vec::new();
    let mut sectors: BTreeMap<String, Sector> = BTreeMap::new();
    let mut legal: BTreeMap<String, LegalDocument> = BTreeMap::new();
    for r in records {
        let r = match r {
            Ok(r) => r,
            Err(rej) => {
                summary.rejected.push(rej);
                continue;
            }
        };
        let owner = match &opts.owner {
            Some(o) => index.find(o).map(|x| x.id.clone()),
            None => resolve_owner(&index, &r).map(|x| x.id.clone()),
        };
        let Some(owner) = owner else {
            summary.rejected.push(Rejection {
                line: r.line,
                code: Some(r.code.to_string()),
                field: "cơ quan ban hành".into(),
                column: None,
                reason: format!(
                    "không xác định được cơ quan công bố (gợi ý: «{}», quyết định «{}»); dùng --org / unknown publishing agency",
                    r.publisher_hint.clone().unwrap_or_default(),
                    r.decision_no.clone().unwrap_or_default()
                ),
            });
            continue;
        };
        if !r.problems.is_empty() {
            summary
                .problems
                .insert(r.code.to_string(), r.problems.len());
        }
        let mut content = r.content;
        if !content.sector.is_empty() {
            let id = Sector::id_for(&content.sector);
            content.sector_id = Some(id.clone());
            sectors.entry(id.clone()).or_insert_with(|| Sector {
                id,
                name: content.sector.clone(),
                owner_org: Some(owner.clone()),
            });
        }
        for b in &content.legal_bases {
            if let Some(n) = b.number.as_deref().filter(|n| n.contains('/')) {
                legal.entry(n.to_string()).or_insert_with(|| LegalDocument {
                    number: n.to_string(),
                    doc_type: legal_doc_type(n).to_string(),
                    title: b.title.clone(),
                    issuer: String::new(),
                    signed_on: None,
                    effective_on: None,
                });
            }
        }
        items.push(ImportItem {
            code: r.code,
            kind: r.kind,
            owner_org: owner,
            decision_no: r.decision_no,
            content,
            list_only: r.detail == DetailLevel::ListOnly,
            valid_from: opts.valid_from,
        });
    }
    if opts.dry_run || (!summary.rejected.is_empty() && !opts.partial) {
        summary.rolled_back = true;
        return Ok(summary);
    }
    let sectors: Vec<Sector> = sectors.into_values().collect();
    store.upsert_sectors(&sectors).await?;
    let legal: Vec<LegalDocument> = legal.into_values().collect();
    store.upsert_legal_docs(&legal).await?;
    for chunk in items.chunks(if opts.partial { 2_000 } else { usize::MAX }) {
        for o in store.import_batch(chunk).await? {
            match o.action {
                ImportAction::Created => summary.created += 1,
                ImportAction::Updated => summary.updated += 1,
                ImportAction::Unchanged => summary.unchanged += 1,
            }
        }
    }
    Ok(summary)
}
