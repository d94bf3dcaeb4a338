//! Walking the catalogue for export: the matching procedures are listed in one query
//! (`all_procedures`), sorted by code so that every export of the same
//! catalogue is byte-identical, then their current versions are read as the writer asks for
//! them, [`READ_AHEAD`] at a time in one bulk query (`current_versions`; one round trip per
//! procedure dominated an export of 100,000). Memory holds the list of summaries (about 200
//! bytes a procedure) and one read-ahead window of contents.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use futures_util::future::try_join_all;

use thutuc_domain::TthcCode;
use thutuc_domain::org::Organisation;
use thutuc_domain::procedure::{Level, ProcedureKind};
use thutuc_domain::version::ProcedureVersion;
use thutuc_import::own::OwnRecord;
use thutuc_store::{
    Localisation, OrgStore, ProcedureFilter, ProcedureStatusFilter, ProcedureStore,
    ProcedureSummary,
};

use crate::ExportError;

/// Page size of `list_procedures` (the store's maximum).
pub const PAGE: i64 = 500;

/// Versions read ahead of the writer, in one query.
pub const READ_AHEAD: usize = 500;

/// Which procedures to export.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExportFilter {
    /// Owning organisations, already expanded to their subtrees (see [`expand_subtree`]).
    pub owner_orgs: Option<Vec<String>>,
    /// Sector id (lĩnh vực, folded slug as in `Sector::id_for`).
    pub sector: Option<String>,
    /// Cấp thực hiện.
    pub level: Option<Level>,
    /// In force, abolished, or with an open draft.
    pub status: Option<ProcedureStatusFilter>,
    /// External or internal procedures.
    pub kind: Option<ProcedureKind>,
}

impl ExportFilter {
    fn store_filter(&self, offset: i64) -> ProcedureFilter {
        ProcedureFilter {
            q: None,
            level: self.level.map(|l| l.as_str().to_string()),
            sector: self.sector.clone(),
            owner_orgs: self.owner_orgs.clone(),
            kind: self.kind,
            status: self.status,
            limit: PAGE,
            offset,
        }
    }
}

/// The ids of `roots` and every organisation below them (children, grandchildren …), sorted.
pub fn expand_subtree(orgs: &[Organisation], roots: &[String]) -> Vec<String> {
    let mut children: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for o in orgs {
        if let Some(p) = &o.parent {
            children.entry(p.as_str()).or_default().push(o.id.as_str());
        }
    }
    let mut out: BTreeSet<String> = BTreeSet::new();
    let mut stack: Vec<&str> = roots.iter().map(String::as_str).collect();
    while let Some(id) = stack.pop() {
        if out.insert(id.to_string()) {
            stack.extend(children.get(id).into_iter().flatten().copied());
        }
    }
    out.into_iter().collect()
}

/// One procedure as exported: identity and its current (public) version.
#[derive(Debug, Clone, PartialEq)]
pub struct CatalogueRecord {
    /// External or internal.
    pub kind: ProcedureKind,
    /// Owning organisation id.
    pub owner_org: String,
    /// The owner's official name, when known (CPSV-AP falls back to it as competent authority).
    pub owner_name: Option<String>,
    /// True once abolished.
    pub abolished: bool,
    /// The current version (published, or the last one of an abolished procedure).
    pub version: ProcedureVersion,
    /// Provincial localisations (filled only when asked for, e.g. for CPSV-AP).
    pub localisations: Vec<Localisation>,
}

impl CatalogueRecord {
    /// Loads one procedure with its current version, owner name and localisations, e.g. for
    /// `GET /api/v1/procedures/{code}` as JSON-LD ([`crate::cpsv::export_cpsv_jsonld`]).
    pub async fn load<S: ProcedureStore + OrgStore + ?Sized>(
        store: &S,
        code: &TthcCode,
    ) -> Result<Self, ExportError> {
        let p = store.get_procedure(code).await?;
        let version = store.current_version(code).await?;
        let owner_name = store.get_org(&p.owner_org).await.ok().map(|o| o.name);
        Ok(Self {
            kind: p.kind,
            owner_name,
            abolished: p.abolished,
            localisations: store.localisations(code).await?,
            owner_org: p.owner_org,
            version,
        })
    }

    /// The record in thutuc's own formats.
    pub fn to_own(&self) -> OwnRecord {
        let v = &self.version;
        OwnRecord {
            code: v.code.clone(),
            kind: self.kind,
            owner_org: self.owner_org.clone(),
            seq: v.seq,
            status: v.status,
            valid_from: v.valid_from,
            valid_to: v.valid_to,
            decision_no: v.decision_no.clone(),
            content: v.content.clone(),
        }
    }
}

/// A cursor over the procedures matching a filter, in code order.
pub struct RecordSource<'s, S: ?Sized> {
    store: &'s S,
    items: Vec<ProcedureSummary>,
    pos: usize,
    ahead: VecDeque<CatalogueRecord>,
    org_names: BTreeMap<String, String>,
    with_localisations: bool,
}

impl<'s, S: ProcedureStore + ?Sized> RecordSource<'s, S> {
    /// Lists the matching procedures (summaries only) and sorts them by code.
    pub async fn open(store: &'s S, filter: &ExportFilter) -> Result<Self, ExportError> {
        let mut items = store.all_procedures(&filter.store_filter(0)).await?;
        items.sort_by(|a, b| a.code.cmp(&b.code));
        items.dedup_by(|a, b| a.code == b.code);
        Ok(Self {
            store,
            items,
            pos: 0,
            ahead: VecDeque::new(),
            org_names: BTreeMap::new(),
            with_localisations: false,
        })
    }

    /// Names organisations (for [`CatalogueRecord::owner_name`]) from the given list.
    pub fn with_org_names(mut self, orgs: &[Organisation]) -> Self {
        self.org_names = orgs
            .iter()
            .map(|o| (o.id.clone(), o.name.clone()))
            .collect();
        self
    }

    /// Also loads each procedure's localisations.
    pub fn with_localisations(mut self) -> Self {
        self.with_localisations = true;
        self
    }

    /// Procedures listed (some may have no public version and be skipped).
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// True when nothing matched.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The next record, skipping procedures that have only a draft.
    pub async fn next(&mut self) -> Result<Option<CatalogueRecord>, ExportError> {
        while self.ahead.is_empty() && self.pos < self.items.len() {
            let start = self.pos;
            self.pos = (start + READ_AHEAD).min(self.items.len());
            let batch = &self.items[start..self.pos];
            let codes: Vec<TthcCode> = batch.iter().map(|p| p.code.clone()).collect();
            // Procedures with only a draft have no current version and are skipped.
            let mut versions: BTreeMap<String, ProcedureVersion> = self
                .store
                .current_versions(&codes)
                .await?
                .into_iter()
                .map(|v| (v.code.as_str().to_string(), v))
                .collect();
            let locs = if self.with_localisations {
                let with_version: Vec<&ProcedureSummary> = batch
                    .iter()
                    .filter(|p| versions.contains_key(p.code.as_str()))
                    .collect();
                try_join_all(
                    with_version
                        .iter()
                        .map(|p| self.store.localisations(&p.code)),
                )
                .await?
                .into_iter()
                .zip(with_version)
                .map(|(l, p)| (p.code.as_str().to_string(), l))
                .collect()
            } else {
                BTreeMap::new()
            };
            let mut locs: BTreeMap<String, Vec<Localisation>> = locs;
            for p in batch {
                if let Some(version) = versions.remove(p.code.as_str()) {
                    self.ahead.push_back(CatalogueRecord {
                        kind: p.kind,
                        owner_org: p.owner_org.clone(),
                        owner_name: self.org_names.get(&p.owner_org).cloned(),
                        abolished: p.abolished,
                        version,
                        localisations: locs.remove(p.code.as_str()).unwrap_or_default(),
                    });
                }
            }
        }
        Ok(self.ahead.pop_front())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use thutuc_domain::org::OrgKind;

    fn org(id: &str, parent: Option<&str>) -> Organisation {
        Organisation {
            id: id.into(),
            name: id.into(),
            kind: OrgKind::Unit,
            eid: None,
            admin_code: None,
            parent: parent.map(Into::into),
            valid_from: None,
            valid_to: None,
        }
    }

    #[test]
    fn a_subtree_includes_every_descendant_and_nothing_else() {
        let orgs = vec![
            org("CP", None),
            org("BTP", Some("CP")),
            org("BTP-HT", Some("BTP")),
            org("BTP-HT-1", Some("BTP-HT")),
            org("NHNN", Some("CP")),
        ];
        assert_eq!(
            expand_subtree(&orgs, &["BTP".into()]),
            vec!["BTP", "BTP-HT", "BTP-HT-1"]
        );
    }
}
