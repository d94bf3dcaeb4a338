//! Caches of the public pages, owned by one router (never global, so tests and servers do not
//! share them):
//!
//! - rendered procedure pages for anonymous visitors, by code and variant (path, query,
//!   language). Published versions are immutable, so an entry stays valid until the procedure
//!   changes: our own writes drop it at once, writes by anyone else (API, CLI, other servers)
//!   are caught up from `changed_since` at most once a second, as the API's version cache does;
//! - slowly changing data of the home and search pages (counts, fields, agencies), kept for a
//!   few seconds.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use chrono::{DateTime, Utc};
use thutuc_store::Store;

use crate::state::AppState;

/// How long counts and option lists are reused.
pub const SHORT_TTL: Duration = Duration::from_secs(10);
/// Most rendered pages kept (bounded memory: cleared when full).
pub const MAX_PAGES: usize = 20_000;

type Slot = Mutex<Option<(Instant, Arc<dyn std::any::Any + Send + Sync>)>>;

/// The caches of one router.
#[derive(Default)]
pub struct PageCaches {
    pages: Mutex<HashMap<String, HashMap<String, Bytes>>>,
    entries: Mutex<usize>,
    sync: Mutex<Option<(Instant, DateTime<Utc>)>>,
    slots: Mutex<HashMap<&'static str, Arc<Slot>>>,
}

impl std::fmt::Debug for PageCaches {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PageCaches")
    }
}

impl PageCaches {
    /// A rendered page, if cached.
    pub fn page(&self, code: &str, variant: &str) -> Option<Bytes> {
        let m = self.pages.lock().ok()?;
        m.get(code)?.get(variant).cloned()
    }

    /// Stores a rendered page.
    pub fn put_page(&self, code: &str, variant: &str, html: String) {
        if let (Ok(mut m), Ok(mut n)) = (self.pages.lock(), self.entries.lock()) {
            if *n >= MAX_PAGES {
                m.clear();
                *n = 0;
            }
            m.entry(code.to_string())
                .or_default()
                .insert(variant.to_string(), Bytes::from(html));
            *n += 1;
        }
    }

    /// Drops every cached page of a procedure.
    pub fn invalidate(&self, code: &str) {
        if let Ok(mut m) = self.pages.lock() {
            m.remove(code);
        }
    }

    /// Catches up with changes made elsewhere, at most once a second.
    pub async fn sync<S: Store>(&self, st: &AppState<S>) {
        let now = Instant::now();
        let since = {
            let Ok(mut g) = self.sync.lock() else { return };
            match *g {
                Some((at, _)) if now.duration_since(at) < Duration::from_secs(1) => return,
                Some((_, mark)) => {
                    *g = Some((now, Utc::now()));
                    mark - chrono::Duration::seconds(2)
                }
                None => {
                    *g = Some((now, Utc::now()));
                    return;
                }
            }
        };
        match st.store.changed_since(since).await {
            Ok(changed) => {
                for c in changed {
                    self.invalidate(c.code.as_str());
                }
            }
            Err(e) => tracing::warn!(error = %e, "page cache catch-up failed"),
        }
    }

    /// A value computed by `f`, reused for [`SHORT_TTL`].
    pub async fn short<T, E, F, Fut>(&self, key: &'static str, f: F) -> Result<Arc<T>, E>
    where
        T: Send + Sync + 'static,
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<T, E>>,
    {
        let slot = match self.slots.lock() {
            Ok(mut m) => m.entry(key).or_default().clone(),
            Err(_) => Arc::new(Mutex::new(None)),
        };
        if let Ok(g) = slot.lock()
            && let Some((at, v)) = g.as_ref()
            && at.elapsed() < SHORT_TTL
            && let Ok(v) = v.clone().downcast::<T>()
        {
            return Ok(v);
        }
        let v = Arc::new(f().await?);
        if let Ok(mut g) = slot.lock() {
            *g = Some((Instant::now(), v.clone()));
        }
        Ok(v)
    }
}
