//! Keeping the index in step with the database: a full [`SearchIndex::rebuild`] and the
//! incremental [`SearchIndex::sync_since`] that follows the store's change log
//! (`ProcedureStore::changed_since`). See the crate documentation for the multi-server design.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use thutuc_domain::TthcCode;
use thutuc_domain::version::ProcedureVersion;
use thutuc_store::{Localisation, ProcedureFilter, ProcedureStore, StoreError};

use crate::SearchError;
use crate::doc::IndexDoc;
use crate::index::SearchIndex;

/// Current versions read per query when rebuilding.
const PAGE: i64 = 500;

/// What one catch-up did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyncReport {
    /// The newest change seen (or `since` when nothing changed): pass it, minus a small
    /// overlap for clock skew and in-flight transactions, to the next call.
    pub watermark: DateTime<Utc>,
    /// Procedures (re)indexed.
    pub upserted: usize,
    /// Procedures removed (no public version any more).
    pub removed: usize,
    /// Change rows skipped because they were already applied.
    pub skipped: usize,
}

/// Loads the searchable state of one procedure: `None` when it has no public version.
pub async fn load_doc<S: ProcedureStore + ?Sized>(
    store: &S,
    code: &TthcCode,
) -> Result<Option<IndexDoc>, SearchError> {
    let procedure = match store.get_procedure(code).await {
        Ok(p) => p,
        Err(StoreError::NotFound(_)) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let version = match store.current_version(code).await {
        Ok(v) => v,
        Err(StoreError::NotFound(_)) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    if version.status.is_open_draft() {
        return Ok(None);
    }
    let locs = store.localisations(code).await?;
    Ok(Some(IndexDoc::from_version(&procedure, &version, &locs)))
}

impl SearchIndex {
    /// Applies every change the store reports at or after `since`, commits, and returns the
    /// new watermark. Idempotent: rows already applied (same code, same `updated_at`) are
    /// skipped, so callers may overlap their windows freely.
    pub async fn sync_since<S: ProcedureStore + ?Sized>(
        &self,
        store: &S,
        since: DateTime<Utc>,
    ) -> Result<SyncReport, SearchError> {
        let changed = store.changed_since(since).await?;
        let mut report = SyncReport {
            watermark: since,
            upserted: 0,
            removed: 0,
            skipped: 0,
        };
        let mut applied = Vec::new();
        for c in &changed {
            report.watermark = report.watermark.max(c.updated_at);
            let seen = self
                .applied
                .lock()
                .map(|m| m.get(c.code.as_str()).is_some_and(|t| *t >= c.updated_at))
                .unwrap_or(false);
            if seen {
                report.skipped += 1;
                continue;
            }
            match load_doc(store, &c.code).await? {
                Some(doc) => {
                    self.upsert(&doc)?;
                    report.upserted += 1;
                }
                None => {
                    self.delete(c.code.as_str())?;
                    report.removed += 1;
                }
            }
            applied.push((c.code.as_str().to_string(), c.updated_at));
        }
        if !applied.is_empty() {
            self.commit()?;
            if let Ok(mut m) = self.applied.lock() {
                // Only recent rows can come back through an overlapping window.
                let horizon = report.watermark - chrono::Duration::minutes(10);
                m.retain(|_, t| *t >= horizon);
                m.extend(applied);
            }
        }
        Ok(report)
    }

    /// Replaces the whole index with the store's catalogue, calling `progress(done, total)`
    /// after every batch. Searches keep seeing the old index until the final commit.
    /// Returns the number of procedures indexed.
    ///
    /// Reads in bulk: the procedure list in one query, every localisation in one query, and
    /// current versions [`PAGE`] at a time (one query each), instead of three queries per
    /// procedure.
    pub async fn rebuild<S: ProcedureStore + ?Sized>(
        &self,
        store: &S,
        progress: impl Fn(u64, u64),
    ) -> Result<u64, SearchError> {
        self.clear()?;
        match self.rebuild_from(store, progress).await {
            Ok(n) => {
                self.commit()?;
                Ok(n)
            }
            Err(e) => {
                self.rollback();
                Err(e)
            }
        }
    }

    async fn rebuild_from<S: ProcedureStore + ?Sized>(
        &self,
        store: &S,
        progress: impl Fn(u64, u64),
    ) -> Result<u64, SearchError> {
        let mut all = store.all_procedures(&ProcedureFilter::default()).await?;
        all.sort_by(|a, b| a.code.as_str().cmp(b.code.as_str()));
        let total = all.len() as u64;
        let mut locs: HashMap<String, Vec<Localisation>> = HashMap::new();
        for l in store.all_localisations().await? {
            locs.entry(l.code.as_str().to_string()).or_default().push(l);
        }
        let mut done = 0u64;
        let mut indexed = 0u64;
        for batch in all.chunks(PAGE as usize) {
            let codes: Vec<TthcCode> = batch
                .iter()
                .filter(|s| s.current_seq.is_some())
                .map(|s| s.code.clone())
                .collect();
            let versions = store.current_versions(&codes).await?;
            let by_code: HashMap<&str, &ProcedureVersion> =
                versions.iter().map(|v| (v.code.as_str(), v)).collect();
            for s in batch {
                let Some(v) = by_code.get(s.code.as_str()) else {
                    continue;
                };
                if v.status.is_open_draft() {
                    continue;
                }
                let l = locs.get(s.code.as_str()).map(Vec::as_slice).unwrap_or(&[]);
                let doc = IndexDoc::from_parts((&s.code, s.kind, &s.owner_org), s.abolished, v, l);
                self.insert(&doc)?;
                indexed += 1;
            }
            done += batch.len() as u64;
            progress(done, total);
        }
        Ok(indexed)
    }
}
