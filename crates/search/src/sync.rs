//! Keeping the index in step with the database: a full [`SearchIndex::rebuild`] and the
//! incremental [`SearchIndex::sync_since`] that follows the store's change log
//! (`ProcedureStore::changed_since`). See the crate documentation for the multi-server design.

use chrono::{DateTime, Utc};
use thutuc_domain::TthcCode;
use thutuc_store::{ProcedureFilter, ProcedureStore, StoreError};

use crate::SearchError;
use crate::doc::IndexDoc;
use crate::index::SearchIndex;

/// Page size used when walking the catalogue.
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
    /// after every page. Searches keep seeing the old index until the final commit.
    /// Returns the number of procedures indexed.
    pub async fn rebuild<S: ProcedureStore + ?Sized>(
        &self,
        store: &S,
        progress: impl Fn(u64, u64),
    ) -> Result<u64, SearchError> {
        self.clear()?;
        let mut offset = 0i64;
        let mut done = 0u64;
        let mut indexed = 0u64;
        loop {
            let filter = ProcedureFilter {
                limit: PAGE,
                offset,
                ..Default::default()
            };
            let page = match store.list_procedures(&filter).await {
                Ok(p) => p,
                Err(e) => {
                    self.rollback();
                    return Err(e.into());
                }
            };
            let total = u64::try_from(page.total).unwrap_or(0);
            let n = page.items.len();
            for s in &page.items {
                if s.current_seq.is_none() {
                    continue;
                }
                match load_doc(store, &s.code).await {
                    Ok(Some(doc)) => {
                        self.upsert(&doc)?;
                        indexed += 1;
                    }
                    Ok(None) => {}
                    Err(e) => {
                        self.rollback();
                        return Err(e);
                    }
                }
            }
            done += n as u64;
            progress(done, total.max(done));
            if n < PAGE as usize {
                break;
            }
            offset += PAGE;
        }
        self.commit()?;
        Ok(indexed)
    }
}
