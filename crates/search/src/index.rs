//! [`SearchIndex`]: the tantivy index, its single writer and its reader. Writes are buffered
//! until [`SearchIndex::commit`], which also reloads the reader so they are visible at once.

use std::path::PathBuf;
use std::sync::Mutex;

use tantivy::collector::TopDocs;
use tantivy::schema::Value;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};
use thutuc_domain::procedure::{Level, ProcedureKind};

use crate::SearchError;
use crate::collector::{FacetCache, FacetTopCollector, Scored};
use crate::doc::{DocStatus, IndexDoc};
use crate::exec::execute;
use crate::groups::GroupCache;
use crate::highlight::{highlight_all, snippet_if_covered};
use crate::query::{AnalysedQuery, QueryBuilder, analyse};
use crate::request::{
    FacetCount, Facets, Highlights, Hit, MAX_LIMIT, MAX_OFFSET, SearchRequest, SearchResponse,
    Suggestion,
};
use crate::schema::{Fields, register_tokenizers};

/// Size of a stored-document block before compression (see [`SearchIndex::open`]).
const DOCSTORE_BLOCK: usize = 4_096;

/// How an index is created.
#[derive(Debug, Clone)]
pub struct SearchConfig {
    /// Directory for an on-disk index (memory-mapped); `None` keeps the index in RAM.
    pub dir: Option<PathBuf>,
    /// Indexing threads (1 is plenty for incremental updates; more speeds up rebuilds).
    pub writer_threads: usize,
    /// Indexing memory budget in bytes, shared by the threads (at least 15 MB per thread).
    pub writer_memory: usize,
    /// Threads one search may use (segments are searched in parallel); 1 searches on the
    /// calling thread only. Default 1, or `THUTUC_SEARCH_THREADS`: a server runs many
    /// searches at once, and splitting each over the cores only adds hand-offs and contention
    /// (measured in BENCHMARKS.md); more threads only lower one lone query's latency.
    pub search_threads: usize,
}

impl Default for SearchConfig {
    fn default() -> Self {
        Self {
            dir: None,
            writer_threads: 2,
            writer_memory: 128 * 1024 * 1024,
            search_threads: std::env::var("THUTUC_SEARCH_THREADS")
                .ok()
                .and_then(|v| v.trim().parse::<usize>().ok())
                .map_or(1, |n| n.clamp(1, 16)),
        }
    }
}

/// The search index over procedures' current versions. Cheap to share behind an `Arc`:
/// searches run concurrently; writes take an internal lock.
pub struct SearchIndex {
    fields: Fields,
    writer: Mutex<IndexWriter>,
    reader: IndexReader,
    /// Facet ordinals decoded per segment (see [`FacetCache`]).
    facets: FacetCache,
    /// Text groups per segment (see [`crate::groups`]).
    groups: GroupCache,
    pub(crate) applied: Mutex<std::collections::HashMap<String, chrono::DateTime<chrono::Utc>>>,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("docs", &self.num_docs())
            .finish()
    }
}

impl SearchIndex {
    /// An empty in-RAM index with default settings.
    pub fn in_memory() -> Result<Self, SearchError> {
        Self::open(SearchConfig::default())
    }

    /// Opens (or creates) an index as configured.
    pub fn open(config: SearchConfig) -> Result<Self, SearchError> {
        let (schema, fields) = Fields::build();
        // Blocks of 4 KiB rather than 16: a page reads about 20 stored documents scattered
        // over the catalogue, each from its own block, and decompressing a block costs in
        // proportion to its size (measured in BENCHMARKS.md).
        let builder = Index::builder()
            .schema(schema.clone())
            .settings(tantivy::IndexSettings {
                docstore_blocksize: DOCSTORE_BLOCK,
                ..Default::default()
            });
        let mut index = match &config.dir {
            None => builder.create_in_ram()?,
            Some(dir) => {
                std::fs::create_dir_all(dir).map_err(|e| SearchError::Io(e.to_string()))?;
                let mmap = tantivy::directory::MmapDirectory::open(dir)?;
                let index = builder.open_or_create(mmap).map_err(|e| match e {
                    tantivy::TantivyError::SchemaError(_) => {
                        SearchError::SchemaMismatch(dir.display().to_string())
                    }
                    e => e.into(),
                })?;
                if index.schema() != schema {
                    return Err(SearchError::SchemaMismatch(dir.display().to_string()));
                }
                index
            }
        };
        register_tokenizers(&index);
        if config.search_threads > 1 {
            index.set_multithread_executor(config.search_threads)?;
        }
        let threads = config.writer_threads.max(1);
        let memory = config.writer_memory.max(threads * 16 * 1024 * 1024);
        let writer = index.writer_with_num_threads(threads, memory)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(Self {
            fields,
            writer: Mutex::new(writer),
            reader,
            facets: FacetCache::default(),
            groups: GroupCache::default(),
            applied: Mutex::new(Default::default()),
        })
    }

    fn writer(&self) -> std::sync::MutexGuard<'_, IndexWriter> {
        // A panic while holding the lock leaves the writer usable: uncommitted work is simply
        // committed or rolled back later.
        self.writer.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Adds or replaces a procedure (visible after [`Self::commit`]).
    pub fn upsert(&self, doc: &IndexDoc) -> Result<(), SearchError> {
        let w = self.writer();
        w.delete_term(Term::from_field_text(self.fields.code, &doc.code));
        w.add_document(doc.to_tantivy(&self.fields))?;
        Ok(())
    }

    /// Adds a procedure known not to be in the index (a rebuild after [`Self::clear`]: no
    /// delete to record and apply).
    pub(crate) fn insert(&self, doc: &IndexDoc) -> Result<(), SearchError> {
        self.writer().add_document(doc.to_tantivy(&self.fields))?;
        Ok(())
    }

    /// Removes a procedure (visible after [`Self::commit`]).
    pub fn delete(&self, code: &str) -> Result<(), SearchError> {
        self.writer()
            .delete_term(Term::from_field_text(self.fields.code, code.trim()));
        Ok(())
    }

    /// Removes everything (visible after [`Self::commit`]); used by full rebuilds.
    pub fn clear(&self) -> Result<(), SearchError> {
        self.writer().delete_all_documents()?;
        Ok(())
    }

    /// Drops every write since the last commit (used when a rebuild fails half-way).
    pub fn rollback(&self) {
        if let Err(e) = self.writer().rollback() {
            tracing::warn!(error = %e, "search index rollback failed");
        }
    }

    /// Makes every write so far durable and visible to searches.
    pub fn commit(&self) -> Result<(), SearchError> {
        self.writer().commit()?;
        self.reader.reload()?;
        // Decode the new segments' facet arrays now rather than in the next search.
        let searcher = self.reader.searcher();
        self.facets.refresh(&searcher)?;
        self.groups.refresh(&searcher)?;
        Ok(())
    }

    /// How many of the index's segments are searched by group, per grouping: by text, by
    /// agencies (see [`crate::groups`]).
    pub fn grouped_segments(&self) -> [usize; 2] {
        let searcher = self.reader.searcher();
        let mut out = [0; 2];
        for r in searcher.segment_readers() {
            if let Ok(g) = self.groups.get(r) {
                for (n, k) in out.iter_mut().zip(&g.0) {
                    *n += usize::from(k.is_some());
                }
            }
        }
        out
    }

    /// Memory held by the decoded facet arrays and groups, in bytes.
    pub fn derived_bytes(&self) -> usize {
        self.facets.heap_bytes() + self.groups.heap_bytes()
    }

    /// Procedures currently searchable.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Total size of the index files in bytes.
    pub fn size_bytes(&self) -> Result<u64, SearchError> {
        let space = self
            .reader
            .searcher()
            .space_usage()
            .map_err(|e| SearchError::Io(e.to_string()))?;
        Ok(space.total().get_bytes())
    }

    /// Ranked search with filters, highlights and facets. Any query text is accepted.
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResponse, SearchError> {
        let q = analyse(&req.q);
        let limit = req.limit.clamp(1, MAX_LIMIT);
        let offset = req.offset.min(MAX_OFFSET);
        let searcher = self.reader.searcher();
        let builder = QueryBuilder::new(&self.fields, &q);
        let collector = FacetTopCollector {
            filters: dimension_filters(req),
            k: offset + limit,
            cache: &self.facets,
        };
        let mut page = execute(&searcher, &builder.strict(), &collector, &self.groups)?;
        let mut relaxed = false;
        if page.total == 0 && q.required().count() > 1 {
            page = execute(&searcher, &builder.relaxed(), &collector, &self.groups)?;
            relaxed = true;
        }
        let mut hits = Vec::new();
        for s in page.top.iter().skip(offset) {
            hits.push(self.hit(&searcher, s, &q)?);
        }
        let [levels, sectors, owner_orgs, kinds, statuses, provinces] =
            page.counts.map(sorted_counts);
        Ok(SearchResponse {
            total: page.total,
            hits,
            facets: Facets {
                levels,
                sectors,
                owner_orgs,
                kinds,
                statuses,
                provinces,
            },
            relaxed,
        })
    }

    fn hit(
        &self,
        searcher: &tantivy::Searcher,
        s: &Scored,
        q: &AnalysedQuery,
    ) -> Result<Hit, SearchError> {
        let d: TantivyDocument = searcher.doc(s.address)?;
        let f = &self.fields;
        let text = |field| {
            d.get_first(field)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string()
        };
        let all = |field| -> Vec<String> {
            d.get_all(field)
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        };
        let name = text(f.name_exact);
        let (name_html, shown) = highlight_all(&name, q);
        let other = if shown < q.required().count() || q.words.is_empty() {
            let src = d.get_first(f.snippet).and_then(|v| v.as_str());
            snippet_if_covered(src.unwrap_or_default(), q)
        } else {
            None
        };
        Ok(Hit {
            code: text(f.code),
            name,
            score: s.score,
            highlights: Highlights {
                name: name_html,
                other,
            },
            sector: text(f.sector),
            sector_id: text(f.sector_id),
            owner_org: text(f.owner_org),
            levels: all(f.levels)
                .iter()
                .filter_map(|l| Level::parse(l))
                .collect(),
            kind: ProcedureKind::parse(&text(f.kind)).unwrap_or_default(),
            status: DocStatus::parse(&text(f.status)).unwrap_or(DocStatus::InForce),
        })
    }

    /// Type-ahead: up to `limit` (1..=50) procedures whose name starts words with what was
    /// typed, or whose code / document number starts with it. In-force procedures first.
    pub fn suggest(&self, prefix: &str, limit: usize) -> Result<Vec<Suggestion>, SearchError> {
        let q = analyse(prefix);
        let Some(plan) = QueryBuilder::new(&self.fields, &q).suggest() else {
            return Ok(Vec::new());
        };
        let query = plan.to_query();
        let limit = limit.clamp(1, 50);
        let searcher = self.reader.searcher();
        let status_field = "status";
        let top = TopDocs::with_limit(limit).tweak_score(move |seg: &tantivy::SegmentReader| {
            let col = seg.fast_fields().str(status_field).ok().flatten();
            let abolished = col
                .as_ref()
                .and_then(|c| c.dictionary().term_ord(b"abolished").ok().flatten());
            move |doc: tantivy::DocId, score: tantivy::Score| {
                let is_abolished = match (&col, abolished) {
                    (Some(c), Some(a)) => c.ords().values_for_doc(doc).any(|o| o == a),
                    _ => false,
                };
                if is_abolished { score * 0.5 } else { score }
            }
        });
        let found = searcher.search(query.as_ref(), &top)?;
        let mut out = Vec::with_capacity(found.len());
        for (_, addr) in found {
            let d: TantivyDocument = searcher.doc(addr)?;
            let get = |field| {
                d.get_first(field)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_string()
            };
            let name = get(self.fields.name_exact);
            out.push(Suggestion {
                code: get(self.fields.code),
                name_html: highlight_all(&name, &q).0,
                name,
            });
        }
        Ok(out)
    }
}

fn dimension_filters(req: &SearchRequest) -> crate::collector::DimensionFilters {
    let f = &req.filters;
    [
        f.levels.iter().map(|l| l.as_str().to_string()).collect(),
        f.sectors.clone(),
        f.owner_orgs.clone(),
        f.kinds.iter().map(|k| k.as_str().to_string()).collect(),
        f.statuses.iter().map(|s| s.as_str().to_string()).collect(),
        f.provinces.clone(),
    ]
}

fn sorted_counts(m: std::collections::HashMap<String, u64>) -> Vec<FacetCount> {
    let mut v: Vec<FacetCount> = m
        .into_iter()
        .map(|(value, count)| FacetCount { value, count })
        .collect();
    v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    v
}

/// Timing instrumentation for the benchmark (no `perf` on the build machine).
#[doc(hidden)]
pub mod profile {
    use std::time::{Duration, Instant};

    use tantivy::collector::{Collector, Count, SegmentCollector};
    use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

    use super::*;

    struct ScoreOnly;
    struct ScoreOnlySeg(f32);
    impl Collector for ScoreOnly {
        type Fruit = f32;
        type Child = ScoreOnlySeg;
        fn for_segment(
            &self,
            _: SegmentOrdinal,
            _: &SegmentReader,
        ) -> tantivy::Result<ScoreOnlySeg> {
            Ok(ScoreOnlySeg(0.0))
        }
        fn requires_scoring(&self) -> bool {
            true
        }
        fn merge_fruits(&self, f: Vec<f32>) -> tantivy::Result<f32> {
            Ok(f.into_iter().sum())
        }
    }
    impl SegmentCollector for ScoreOnlySeg {
        type Fruit = f32;
        fn collect(&mut self, _: DocId, s: Score) {
            self.0 += s;
        }
        fn harvest(self) -> f32 {
            self.0
        }
    }

    impl SearchIndex {
        /// Times the phases of one search: [query analysis + plan, tantivy match without
        /// scoring, tantivy match with scoring, tantivy match + filters + top-k + facets
        /// (the former execution), the term-at-a-time executor doing the same], and whether
        /// both executions returned the same page ([`same_page`]; the relaxed pass too when
        /// the strict one finds nothing).
        pub fn profile(&self, req: &SearchRequest) -> Result<([Duration; 5], bool), SearchError> {
            let t = Instant::now();
            let q = analyse(&req.q);
            let plan = QueryBuilder::new(&self.fields, &q).strict();
            let build = t.elapsed();
            let query = plan.to_query();
            let searcher = self.reader.searcher();
            let t = Instant::now();
            let _ = searcher.search(query.as_ref(), &Count)?;
            let count = t.elapsed();
            let t = Instant::now();
            let _ = searcher.search(query.as_ref(), &ScoreOnly)?;
            let scored = t.elapsed();
            let collector = FacetTopCollector {
                filters: dimension_filters(req),
                k: req.limit,
                cache: &self.facets,
            };
            let t = Instant::now();
            let a = searcher.search(query.as_ref(), &collector)?;
            let tantivy = t.elapsed();
            let t = Instant::now();
            let b = execute(&searcher, &plan, &collector, &self.groups)?;
            let exec = t.elapsed();
            let mut same = same_page(&a, &b);
            if a.total == 0 && q.required().count() > 1 {
                // The relaxed pass (not timed).
                let relaxed = QueryBuilder::new(&self.fields, &q).relaxed();
                let a = searcher.search(relaxed.to_query().as_ref(), &collector)?;
                let b = execute(&searcher, &relaxed, &collector, &self.groups)?;
                same &= same_page(&a, &b);
            }
            Ok(([build, count, scored, tantivy, exec], same))
        }
    }

    /// The same total and facet counts, and the same ranking: at each rank the same score
    /// (to a relative 1e-6) and the same document, unless that rank is a tie (the last rank
    /// may tie with the first one left out). Scores summed in another order may differ in
    /// the last bit, and then documents of equal score (the same procedure localised by
    /// several provinces) can come out in another order.
    pub fn same_page(
        a: &crate::collector::CollectedPage,
        b: &crate::collector::CollectedPage,
    ) -> bool {
        let close = |x: f32, y: f32| (x - y).abs() <= 1e-6 * x.abs().max(1.0);
        let tied = |top: &[crate::collector::Scored], i: usize| {
            let s = top[i].score;
            (i > 0 && close(top[i - 1].score, s))
                || top.get(i + 1).is_none_or(|n| close(n.score, s))
        };
        a.total == b.total
            && a.counts == b.counts
            && a.top.len() == b.top.len()
            && a.top.iter().zip(&b.top).enumerate().all(|(i, (x, y))| {
                close(x.score, y.score)
                    && (x.address == y.address || (tied(&a.top, i) && tied(&b.top, i)))
            })
    }
}
