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
    /// Organisations whose procedures this import may write (the importer's subtree);
    /// `None` for administrators and the command line. A record for a procedure owned
    /// elsewhere is rejected, never written.
    pub scope: Option<Vec<String>>,
}

/// What an import will do (or did) to one record: the preview shown before committing.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PlannedRecord {
    /// 1-based line or row of the record in the file.
    pub line: usize,
    /// Procedure code.
    pub code: String,
    /// Procedure name in the file.
    pub name: String,
    /// Owning organisation.
    pub owner: String,
    /// `create`, `update` or `unchanged`.
    pub action: &'static str,
    /// The catalogue version it was compared with (`None` for a new procedure): a later
    /// confirmation re-plans and compares, so a version published in between is noticed.
    pub base_seq: Option<i64>,
    /// Components that change (Vietnamese labels), for updates.
    pub changed: Vec<String>,
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
    /// Per-record preview (dry runs only): what would be created, amended or left alone.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub plan: Vec<PlannedRecord>,
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
    let mut items: Vec<(usize, ImportItem)> = Vec::new();
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
        items.push((
            r.line,
            ImportItem {
                code: r.code,
                kind: r.kind,
                owner_org: owner,
                decision_no: r.decision_no,
                content,
                list_only: r.detail == DetailLevel::ListOnly,
                valid_from: opts.valid_from,
            },
        ));
    }
    if opts.dry_run || opts.scope.is_some() {
        items = plan(store, items, opts, &mut summary).await?;
        // Reader and planner rejections together, in file order.
        summary.rejected.sort_by_key(|r| r.line);
    }
    if opts.dry_run || (!summary.rejected.is_empty() && !opts.partial) {
        summary.rolled_back = true;
        return Ok(summary);
    }
    summary.plan.clear();
    let sectors: Vec<Sector> = sectors.into_values().collect();
    store.upsert_sectors(&sectors).await?;
    let legal: Vec<LegalDocument> = legal.into_values().collect();
    store.upsert_legal_docs(&legal).await?;
    let items: Vec<ImportItem> = items.into_iter().map(|(_, it)| it).collect();
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

/// Compares each item with the catalogue's current version (read in bulk): fills the preview
/// and the predicted counts, and rejects what must not be written — a procedure owned by an
/// organisation outside the importer's scope, or an abolished one. Returns the items that may
/// go ahead. A code repeated in the file is compared with its earlier record.
async fn plan<S: Store>(
    store: &S,
    items: Vec<(usize, ImportItem)>,
    opts: &ImportOptions,
    summary: &mut ImportSummary,
) -> Result<Vec<(usize, ImportItem)>, StoreError> {
    let mut codes: Vec<thutuc_domain::TthcCode> =
        items.iter().map(|(_, it)| it.code.clone()).collect();
    codes.sort();
    codes.dedup();
    let mut current: std::collections::HashMap<
        String,
        (
            String,
            bool,
            thutuc_domain::procedure::ProcedureContent,
            Option<i64>,
        ),
    > = std::collections::HashMap::with_capacity(codes.len());
    for chunk in codes.chunks(5_000) {
        for v in store.current_versions(chunk).await? {
            let abolished = v.status == thutuc_domain::version::VersionStatus::Abolished;
            current.insert(
                v.code.to_string(),
                (v.owner_org, abolished, v.content, Some(v.seq)),
            );
        }
    }
    let in_scope = |org: &str| {
        opts.scope
            .as_ref()
            .is_none_or(|s| s.iter().any(|o| o == org))
    };
    let mut keep = Vec::with_capacity(items.len());
    let (mut created, mut updated, mut unchanged) = (0, 0, 0);
    for (line, it) in items {
        let reject = |field: &str, reason: String| Rejection {
            line,
            code: Some(it.code.to_string()),
            field: field.into(),
            column: None,
            reason,
        };
        let mut content = it.content.clone();
        content.normalise();
        let (action, changed) = match current.get(it.code.as_str()) {
            Some((owner, _, _, _)) if !in_scope(owner) => {
                summary.rejected.push(reject(
                    "cơ quan ban hành",
                    format!("thủ tục {} thuộc {owner}, ngoài phạm vi của bạn; không được sửa / belongs to another organisation", it.code),
                ));
                continue;
            }
            Some((_, true, _, _)) => {
                summary.rejected.push(reject(
                    "trạng thái",
                    format!(
                        "thủ tục {} đã bãi bỏ; không nhập đè / abolished, not overwritten",
                        it.code
                    ),
                ));
                continue;
            }
            None if !in_scope(&it.owner_org) => {
                summary.rejected.push(reject(
                    "cơ quan ban hành",
                    format!(
                        "cơ quan {} ngoài phạm vi của bạn / organisation outside your scope",
                        it.owner_org
                    ),
                ));
                continue;
            }
            None => ("create", Vec::new()),
            Some((_, _, cur, _)) if it.list_only || *cur == content => ("unchanged", Vec::new()),
            Some((_, _, cur, _)) => (
                "update",
                thutuc_domain::diff::changed_components(&thutuc_domain::diff::diff(cur, &content)),
            ),
        };
        match action {
            "create" => created += 1,
            "update" => updated += 1,
            _ => unchanged += 1,
        }
        if opts.dry_run {
            summary.plan.push(PlannedRecord {
                line,
                code: it.code.to_string(),
                name: content.name.clone(),
                owner: it.owner_org.clone(),
                action,
                base_seq: current.get(it.code.as_str()).and_then(|c| c.3),
                changed,
            });
        }
        if !it.list_only {
            let owner = current
                .get(it.code.as_str())
                .map_or_else(|| it.owner_org.clone(), |c| c.0.clone());
            let base = current.get(it.code.as_str()).and_then(|c| c.3);
            current.insert(it.code.to_string(), (owner, false, content, base));
        }
        keep.push((line, it));
    }
    if opts.dry_run {
        summary.created = created;
        summary.updated = updated;
        summary.unchanged = unchanged;
    }
    Ok(keep)
}
