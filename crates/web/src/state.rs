//! Application state shared by handlers: the store, the organisation tree, the published-version
//! cache, legal parameters and metrics.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use bytes::Bytes;
use chrono::NaiveDate;
use thutuc_domain::org::Organisation;
use thutuc_domain::params::PublicationRules;
use thutuc_store::Store;

use crate::metrics::Metrics;

/// Adds N working days (from the working-day calendar).
pub type WorkingDays = Arc<dyn Fn(NaiveDate, i64) -> NaiveDate + Send + Sync>;

use thutuc_domain::calendar::Calendar;

/// Everything a handler needs.
#[derive(Clone)]
pub struct AppState<S: Store> {
    /// Storage.
    pub store: S,
    /// Organisation tree (reloaded after organisation writes).
    pub orgs: Arc<RwLock<Arc<OrgTree>>>,
    /// Published versions served from memory.
    pub cache: Arc<ProcedureCache>,
    /// Publication deadlines with their legal sources.
    pub rules: Arc<PublicationRules>,
    /// Working-day arithmetic (the shared calendar, as a function for domain code).
    pub working_days: WorkingDays,
    /// The working-day calendar (swapped when officers edit its rows).
    pub calendar: CalendarCell,
    /// Request metrics.
    pub metrics: Arc<Metrics>,
    /// Full-text search over current versions (kept in step with the database).
    pub search: Arc<thutuc_search::SearchIndex>,
    /// The report engine's environment, rebuilt when the organisation tree or the calendar
    /// is swapped, or when field names changed (checked every [`REPORT_ENV_TTL`]).
    report_env: Arc<std::sync::Mutex<Option<CachedReportEnv>>>,
    /// Feedback items per procedure, as shown on procedure pages.
    pub feedback_counts: Arc<FeedbackCounts>,
}

/// How many feedback items concern each procedure (shown on its public page, which is
/// otherwise served from a cache): read at most every [`FeedbackCounts::TTL`], dropped at once
/// when this server takes in an item for the procedure.
#[derive(Debug, Default)]
pub struct FeedbackCounts(std::sync::Mutex<HashMap<String, (std::time::Instant, i64)>>);

impl FeedbackCounts {
    /// How long a count is reused (items taken in by another server show after at most this).
    pub const TTL: std::time::Duration = std::time::Duration::from_secs(10);
    /// Most procedures kept (cleared when full).
    const KEPT: usize = 50_000;

    /// The count for a procedure (0 when the store cannot answer, logged).
    pub async fn get<S: Store>(&self, store: &S, code: &str) -> i64 {
        if let Ok(m) = self.0.lock()
            && let Some((at, n)) = m.get(code)
            && at.elapsed() < Self::TTL
        {
            return *n;
        }
        let n = match store.feedback_count_for_procedure(code).await {
            Ok(n) => n,
            Err(e) => {
                tracing::warn!(error = %e, "feedback count unavailable");
                return 0;
            }
        };
        if let Ok(mut m) = self.0.lock() {
            if m.len() >= Self::KEPT {
                m.clear();
            }
            m.insert(code.to_string(), (std::time::Instant::now(), n));
        }
        n
    }

    /// Forgets a procedure's count (after an intake concerning it).
    pub fn forget(&self, code: &str) {
        if let Ok(mut m) = self.0.lock() {
            m.remove(code);
        }
    }
}

/// How long a cached report environment serves (field names may change by import).
pub const REPORT_ENV_TTL: std::time::Duration = std::time::Duration::from_secs(60);

struct CachedReportEnv {
    tree: Arc<OrgTree>,
    calendar: Arc<Calendar>,
    built: std::time::Instant,
    env: thutuc_reports::service::ReportEnv,
}

impl<S: Store> AppState<S> {
    /// Builds the state, loading the organisation tree from the store.
    pub async fn new(
        store: S,
        rules: PublicationRules,
        calendar: Calendar,
    ) -> Result<Self, thutuc_store::StoreError> {
        let tree = OrgTree::new(store.all_orgs().await?);
        let calendar = CalendarCell::new(calendar);
        let cal = calendar.clone();
        // Out-of-range dates (outside 1900–2100) fall back to calendar days: never reached by real decisions.
        let working_days: WorkingDays = Arc::new(move |d, n| {
            cal.get()
                .add_working_days(d, n)
                .unwrap_or(d + chrono::Duration::days(n))
        });
        Ok(Self {
            store,
            orgs: Arc::new(RwLock::new(Arc::new(tree))),
            cache: Arc::new(ProcedureCache::new(50_000)),
            rules: Arc::new(rules),
            working_days,
            calendar,
            metrics: Arc::new(Metrics::default()),
            search: Arc::new(
                thutuc_search::SearchIndex::in_memory()
                    .map_err(|e| thutuc_store::StoreError::Other(format!("search index: {e}")))?,
            ),
            report_env: Arc::default(),
            feedback_counts: Arc::default(),
        })
    }

    /// Replaces the search index (the server uses an on-disk, memory-mapped index).
    pub fn with_search(mut self, index: thutuc_search::SearchIndex) -> Self {
        self.search = Arc::new(index);
        self
    }

    /// Rebuilds the search index from the database (at start, and after bulk changes).
    pub async fn reindex(&self) -> Result<u64, thutuc_search::SearchError> {
        self.search.rebuild(&self.store, |_, _| {}).await
    }

    /// Brings the search index and the cache up to date with procedures changed since `since`.
    pub async fn sync_changes(&self, since: chrono::DateTime<chrono::Utc>) {
        if let Err(e) = self.search.sync_since(&self.store, since).await {
            tracing::warn!(error = %e, "search sync failed");
        }
    }

    /// What the report engine needs: rules, the calendar in force, organisations and fields
    /// (for the statistics API, the dashboard and report documents).
    pub async fn report_env(
        &self,
    ) -> Result<thutuc_reports::service::ReportEnv, thutuc_store::StoreError> {
        let (tree, calendar) = (self.tree(), self.calendar.get());
        if let Ok(g) = self.report_env.lock()
            && let Some(c) = g.as_ref()
            && Arc::ptr_eq(&c.tree, &tree)
            && Arc::ptr_eq(&c.calendar, &calendar)
            && c.built.elapsed() < REPORT_ENV_TTL
        {
            return Ok(c.env.clone());
        }
        let sectors: HashMap<String, String> = self
            .store
            .sectors()
            .await?
            .into_iter()
            .map(|s| (s.id, s.name))
            .collect();
        // Unchanged after its time is up: keep the same environment, so that what is cached
        // under it (the dashboard's figures) stays valid.
        if let Ok(mut g) = self.report_env.lock()
            && let Some(c) = g.as_mut()
            && Arc::ptr_eq(&c.tree, &tree)
            && Arc::ptr_eq(&c.calendar, &calendar)
            && *c.env.sectors == sectors
        {
            c.built = std::time::Instant::now();
            return Ok(c.env.clone());
        }
        let orgs = tree.all().cloned().collect();
        let env = thutuc_reports::service::ReportEnv {
            rules: self.rules.clone(),
            calendar: calendar.clone(),
            orgs: Arc::new(thutuc_reports::orgs::OrgIndex::new(orgs)),
            sectors: Arc::new(sectors),
        };
        if let Ok(mut g) = self.report_env.lock() {
            *g = Some(CachedReportEnv {
                tree,
                calendar,
                built: std::time::Instant::now(),
                env: env.clone(),
            });
        }
        Ok(env)
    }

    /// The current organisation tree.
    pub fn tree(&self) -> Arc<OrgTree> {
        match self.orgs.read() {
            Ok(g) => g.clone(),
            Err(p) => p.into_inner().clone(),
        }
    }

    /// Reloads the organisation tree.
    pub async fn reload_orgs(&self) -> Result<(), thutuc_store::StoreError> {
        let tree = Arc::new(OrgTree::new(self.store.all_orgs().await?));
        match self.orgs.write() {
            Ok(mut g) => *g = tree,
            Err(p) => *p.into_inner() = tree,
        }
        Ok(())
    }
}

/// The organisation hierarchy, indexed.
#[derive(Debug, Default)]
pub struct OrgTree {
    by_id: HashMap<String, Organisation>,
    children: HashMap<String, Vec<String>>,
}

impl OrgTree {
    /// Indexes organisations.
    pub fn new(orgs: Vec<Organisation>) -> Self {
        let mut children: HashMap<String, Vec<String>> = HashMap::new();
        for o in &orgs {
            if let Some(p) = &o.parent {
                children.entry(p.clone()).or_default().push(o.id.clone());
            }
        }
        Self {
            by_id: orgs.into_iter().map(|o| (o.id.clone(), o)).collect(),
            children,
        }
    }
    /// One organisation.
    pub fn get(&self, id: &str) -> Option<&Organisation> {
        self.by_id.get(id)
    }
    /// Direct children ids.
    pub fn children(&self, id: &str) -> &[String] {
        self.children.get(id).map(Vec::as_slice).unwrap_or(&[])
    }
    /// `id` and every organisation below it.
    pub fn subtree(&self, id: &str) -> Vec<String> {
        let mut out = vec![id.to_string()];
        let mut i = 0;
        while i < out.len() {
            out.extend(self.children(&out[i]).iter().cloned());
            i += 1;
        }
        out
    }
    /// True when `id` is `ancestor` or lies below it.
    pub fn is_within(&self, id: &str, ancestor: &str) -> bool {
        let mut cur = Some(id.to_string());
        let mut guard = 0;
        while let Some(c) = cur {
            if c == ancestor {
                return true;
            }
            guard += 1;
            if guard > 64 {
                return false;
            }
            cur = self.by_id.get(&c).and_then(|o| o.parent.clone());
        }
        false
    }
    /// Roots (organisations without parent).
    pub fn roots(&self) -> Vec<&Organisation> {
        let mut r: Vec<&Organisation> =
            self.by_id.values().filter(|o| o.parent.is_none()).collect();
        r.sort_by(|a, b| a.id.cmp(&b.id));
        r
    }
    /// All organisations.
    pub fn all(&self) -> impl Iterator<Item = &Organisation> {
        self.by_id.values()
    }
    /// Number of organisations.
    pub fn len(&self) -> usize {
        self.by_id.len()
    }
    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }
}

/// A published version serialised once.
#[derive(Debug)]
pub struct CachedVersion {
    /// Version number.
    pub seq: i64,
    /// Strong ETag.
    pub etag: String,
    /// JSON body.
    pub body: Bytes,
}

/// Current published versions by code. Published versions are immutable, so an entry is
/// valid until the procedure's current version changes: our own writes invalidate at once,
/// writes by other processes are caught up from `changed_since` every second.
#[derive(Debug)]
pub struct ProcedureCache {
    map: RwLock<HashMap<String, Arc<CachedVersion>>>,
    capacity: usize,
}

impl ProcedureCache {
    /// A cache holding at most `capacity` entries.
    pub fn new(capacity: usize) -> Self {
        Self {
            map: RwLock::new(HashMap::new()),
            capacity,
        }
    }
    /// Looks up a code.
    pub fn get(&self, code: &str) -> Option<Arc<CachedVersion>> {
        self.map.read().ok().and_then(|m| m.get(code).cloned())
    }
    /// Stores an entry (clearing the cache when full: simple, bounded memory).
    pub fn put(&self, code: &str, v: CachedVersion) -> Arc<CachedVersion> {
        let v = Arc::new(v);
        if let Ok(mut m) = self.map.write() {
            if m.len() >= self.capacity {
                m.clear();
            }
            m.insert(code.to_string(), v.clone());
        }
        v
    }
    /// Drops an entry.
    pub fn invalidate(&self, code: &str) {
        if let Ok(mut m) = self.map.write() {
            m.remove(code);
        }
    }
    /// Entries held.
    pub fn len(&self) -> usize {
        self.map.read().map(|m| m.len()).unwrap_or(0)
    }
    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Keeps the cache in step with writes made by other processes (CLI imports, other servers).
pub async fn catch_up_loop<S: Store>(state: AppState<S>) {
    let mut watermark = chrono::Utc::now() - chrono::Duration::seconds(5);
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(1));
    loop {
        tick.tick().await;
        let since = watermark - chrono::Duration::seconds(2);
        match state.store.changed_since(since).await {
            Ok(changed) => {
                if !changed.is_empty() {
                    state.sync_changes(since).await;
                }
                for c in &changed {
                    state.cache.invalidate(c.code.as_str());
                    if c.updated_at > watermark {
                        watermark = c.updated_at;
                    }
                }
            }
            Err(e) => tracing::warn!(error = %e, "cache catch-up failed"),
        }
    }
}

/// The shared working-day calendar. Readers take a cheap snapshot with [`CalendarCell::get`];
/// an edit of the calendar rows builds a new calendar and swaps it in.
#[derive(Clone)]
pub struct CalendarCell(Arc<RwLock<Arc<Calendar>>>);

impl CalendarCell {
    /// Wraps a calendar.
    pub fn new(c: Calendar) -> Self {
        Self(Arc::new(RwLock::new(Arc::new(c))))
    }
    /// The calendar in force now.
    pub fn get(&self) -> Arc<Calendar> {
        match self.0.read() {
            Ok(g) => g.clone(),
            Err(p) => p.into_inner().clone(),
        }
    }
    /// Replaces the calendar.
    pub fn set(&self, c: Calendar) {
        match self.0.write() {
            Ok(mut g) => *g = Arc::new(c),
            Err(p) => *p.into_inner() = Arc::new(c),
        }
    }
    /// Special days of a year (shorthand for `get().holidays(year)`).
    pub fn holidays(&self, year: i32) -> Vec<thutuc_domain::calendar::CalendarDay> {
        self.get().holidays(year)
    }
}
