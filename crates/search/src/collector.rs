//! One pass over the matched documents that does three things at once, reading only fast
//! fields: applies the filters, keeps the top `k` hits, and counts facets. Filters are applied
//! here rather than in the query so that each facet dimension can be counted with the other
//! dimensions' filters only ("disjunctive" facets: picking a level still shows the other
//! levels' counts).

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

use crate::segments::{PerSegment, SegmentCache};

/// Fast fields used as facet dimensions, in [`crate::request::Facets`] order.
pub const DIMENSIONS: [&str; 6] = [
    "levels",
    "sector_id",
    "owner_org",
    "kind",
    "status",
    "provinces",
];
/// Index of the status dimension in [`DIMENSIONS`].
const STATUS: usize = 4;
/// Abolished procedures stay findable but rank below procedures in force.
const ABOLISHED_FACTOR: f32 = 0.6;

/// Filter values per dimension (empty: no filter), in [`DIMENSIONS`] order.
pub type DimensionFilters = [Vec<String>; 6];

/// The collector; see the module documentation.
pub struct FacetTopCollector<'a> {
    /// Allowed values per dimension.
    pub filters: DimensionFilters,
    /// Hits to keep (offset + limit).
    pub k: usize,
    /// The index's decoded facet arrays.
    pub cache: &'a FacetCache,
}

/// A scored hit (ordered best first: higher score, then lower address).
#[derive(Debug, Clone, Copy)]
pub struct Scored {
    /// Score after the status factor.
    pub score: f32,
    /// Where the document is.
    pub address: DocAddress,
}

impl PartialEq for Scored {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Scored {}
impl PartialOrd for Scored {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Scored {
    /// "Greater" means better: higher score, then earlier address.
    fn cmp(&self, other: &Self) -> Ordering {
        self.score
            .total_cmp(&other.score)
            .then_with(|| other.address.cmp(&self.address))
    }
}

/// What the collector returns.
#[derive(Debug, Default)]
pub struct CollectedPage {
    /// Documents passing every filter.
    pub total: u64,
    /// Best `k`, best first.
    pub top: Vec<Scored>,
    /// Counts per dimension: value → count.
    pub counts: [HashMap<String, u64>; 6],
}

/// One facet dimension of one segment, decoded once into plain arrays: reading a document's
/// ordinals is then one or two array loads instead of a columnar (bit-unpacking, row-index)
/// read per matched document.
#[derive(Debug, Default)]
pub struct DimOrds {
    /// Empty when every document has exactly one value (then `values[doc]` is its ordinal);
    /// otherwise `values[start[doc]..start[doc + 1]]` are the document's ordinals.
    start: Vec<u32>,
    /// Term ordinals.
    values: Vec<u32>,
    /// The dimension's terms, by ordinal.
    terms: Vec<String>,
    /// For a dimension of at most [`BITSET_VALUES`] values: per ordinal, the documents that
    /// hold it as a bitset (bit `d % 64` of word `d / 64`), so that a value is counted over a
    /// set of matches with one AND and popcount per 64 documents instead of a load and an
    /// increment per document. Empty for larger dimensions.
    bitsets: Vec<Vec<u64>>,
}

/// Dimensions with at most this many values keep bitsets (up to 64 × 8 KiB per 65,536
/// documents); whether a query counts from them or per document depends on its matches (see
/// [`FacetTopSegment::collect_many`]).
const BITSET_VALUES: usize = 64;

impl DimOrds {
    fn build(column: Option<StrColumn>, max_doc: DocId) -> tantivy::Result<Self> {
        let Some(col) = column else {
            return Ok(Self {
                start: vec![0; max_doc as usize + 1],
                ..Default::default()
            });
        };
        let mut terms = Vec::with_capacity(col.num_terms());
        let mut s = String::new();
        for ord in 0..col.num_terms() as u64 {
            s.clear();
            col.ord_to_str(ord, &mut s)?;
            terms.push(s.clone());
        }
        let ords = col.ords();
        let full = ords.get_cardinality() == tantivy::columnar::Cardinality::Full;
        let mut start = Vec::new();
        let mut values = Vec::with_capacity(max_doc as usize);
        if full {
            values.extend((0..max_doc).map(|d| ords.values.get_val(d) as u32));
        } else {
            start.reserve(max_doc as usize + 1);
            for d in 0..max_doc {
                let from = values.len();
                start.push(from as u32);
                values.extend(ords.values_for_doc(d).map(|o| o as u32));
                // A value listed twice for one procedure (a province that localised it twice)
                // counts the procedure once.
                values[from..].sort_unstable();
                let mut kept = from;
                for i in from..values.len() {
                    if i == from || values[i] != values[kept - 1] {
                        values[kept] = values[i];
                        kept += 1;
                    }
                }
                values.truncate(kept);
            }
            start.push(values.len() as u32);
        }
        let mut dim = Self {
            start,
            values,
            terms,
            bitsets: Vec::new(),
        };
        if dim.terms.len() <= BITSET_VALUES {
            let words = (max_doc as usize).div_ceil(64);
            let mut sets = vec![vec![0u64; words]; dim.terms.len()];
            for d in 0..max_doc {
                for &o in dim.of(d) {
                    sets[o as usize][d as usize / 64] |= 1 << (d % 64);
                }
            }
            dim.bitsets = sets;
        }
        Ok(dim)
    }

    /// The ordinals of `doc`.
    #[inline]
    fn of(&self, doc: DocId) -> &[u32] {
        let d = doc as usize;
        if self.start.is_empty() {
            std::slice::from_ref(&self.values[d])
        } else {
            &self.values[self.start[d] as usize..self.start[d + 1] as usize]
        }
    }

    /// The ordinal of a term, if present in this segment.
    fn ord(&self, term: &str) -> Option<usize> {
        self.terms
            .binary_search_by(|t| t.as_bytes().cmp(term.as_bytes()))
            .ok()
    }
}

/// Every facet dimension of one segment, see [`DimOrds`].
#[derive(Debug)]
pub struct SegmentFacets {
    dims: [DimOrds; 6],
    abolished: Option<u32>,
}

impl SegmentFacets {
    fn build(reader: &SegmentReader) -> tantivy::Result<Self> {
        let max_doc = reader.max_doc();
        let mut dims: [DimOrds; 6] = Default::default();
        for (d, name) in DIMENSIONS.iter().enumerate() {
            dims[d] = DimOrds::build(reader.fast_fields().str(name)?, max_doc)?;
        }
        let abolished = dims[STATUS].ord("abolished").map(|o| o as u32);
        Ok(Self { dims, abolished })
    }

    /// Approximate heap size in bytes.
    pub fn heap_bytes(&self) -> usize {
        self.dims
            .iter()
            .map(|d| {
                (d.start.capacity() + d.values.capacity()) * 4
                    + d.terms.iter().map(|t| t.capacity() + 24).sum::<usize>()
                    + d.bitsets.iter().map(|b| b.capacity() * 8).sum::<usize>()
            })
            .sum()
    }
}

/// Decoded facet arrays per segment (see [`SegmentCache`]).
pub type FacetCache = SegmentCache<SegmentFacets>;

impl PerSegment for SegmentFacets {
    fn build(reader: &SegmentReader) -> tantivy::Result<Self> {
        SegmentFacets::build(reader)
    }

    fn heap_bytes(&self) -> usize {
        SegmentFacets::heap_bytes(self)
    }
}

/// The per-segment half of [`FacetTopCollector`].
pub struct FacetTopSegment {
    segment: SegmentOrdinal,
    facets: Arc<SegmentFacets>,
    /// Per dimension: `None` when not filtered, otherwise allowed[ord].
    allowed: [Option<Vec<bool>>; 6],
    any_filter: bool,
    counts: [Vec<u32>; 6],
    k: usize,
    /// Min-heap of the best k (Reverse ordering).
    heap: BinaryHeap<std::cmp::Reverse<Scored>>,
    total: u64,
}

impl Collector for FacetTopCollector<'_> {
    type Fruit = CollectedPage;
    type Child = FacetTopSegment;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<FacetTopSegment> {
        let facets = self.cache.get(reader)?;
        let mut allowed: [Option<Vec<bool>>; 6] = Default::default();
        let mut counts: [Vec<u32>; 6] = Default::default();
        for (d, dim) in facets.dims.iter().enumerate() {
            if !self.filters[d].is_empty() {
                let mut a = vec![false; dim.terms.len()];
                for v in &self.filters[d] {
                    if let Some(ord) = dim.ord(v) {
                        a[ord] = true;
                    }
                }
                allowed[d] = Some(a);
            }
            counts[d] = vec![0; dim.terms.len()];
        }
        Ok(FacetTopSegment {
            segment,
            any_filter: allowed.iter().any(Option::is_some),
            facets,
            allowed,
            counts,
            k: self.k,
            heap: BinaryHeap::with_capacity(self.k + 1),
            total: 0,
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<SegmentFruit>) -> tantivy::Result<CollectedPage> {
        let mut page = CollectedPage::default();
        let mut all = Vec::new();
        // Counts by value across segments, keyed by the segments' own strings: one String
        // per distinct value is made at the end, not one per segment and value.
        let mut merged: [HashMap<&str, u64>; 6] = Default::default();
        for f in &fruits {
            page.total += f.total;
            all.extend_from_slice(&f.top);
            for ((dim, counts), into) in f.facets.dims.iter().zip(&f.counts).zip(&mut merged) {
                for (ord, &n) in counts.iter().enumerate() {
                    if n > 0 {
                        *into.entry(dim.terms[ord].as_str()).or_default() += u64::from(n);
                    }
                }
            }
        }
        for (into, from) in page.counts.iter_mut().zip(merged) {
            *into = from.into_iter().map(|(v, n)| (v.to_string(), n)).collect();
        }
        all.sort_by(|a, b| b.cmp(a));
        all.truncate(self.k);
        page.top = all;
        Ok(page)
    }
}

/// One segment's results: its hits, and its counts by ordinal (resolved when merging).
pub struct SegmentFruit {
    total: u64,
    top: Vec<Scored>,
    facets: Arc<SegmentFacets>,
    counts: [Vec<u32>; 6],
}

impl FacetTopSegment {
    /// Collects many documents at once, in ascending order. Without filters every document
    /// is a hit and each dimension is counted in its own loop over the documents (one array
    /// at a time instead of six per document, into four interleaved counter sets so that a
    /// run of documents with the same value does not wait on one counter); with filters each
    /// document goes through [`SegmentCollector::collect`]. `matched`, when given, is the same
    /// documents as a bitset (bit `d % 64` of word `d / 64`); dimensions with bitsets are then
    /// counted from it.
    pub fn collect_many(&mut self, docs: &[DocId], scores: &[Score], matched: Option<&[u64]>) {
        if self.any_filter {
            for (&d, &s) in docs.iter().zip(scores) {
                self.collect(d, s);
            }
            return;
        }
        self.total += docs.len() as u64;
        for (dim, counts) in self.facets.dims.iter().zip(self.counts.iter_mut()) {
            let width = counts.len();
            if width == 0 {
                continue;
            }
            // Bitsets cost a word per value per 64 documents of the segment, the per-document
            // loop an increment per match: count from bitsets when that is the cheaper
            // (small dimensions for all but narrow queries, larger ones for broad queries).
            let cheaper = dim.bitsets.len() * matched.map_or(0, <[u64]>::len) <= 2 * docs.len();
            if let Some(m) = matched.filter(|_| !dim.bitsets.is_empty() && cheaper) {
                for (n, set) in counts.iter_mut().zip(&dim.bitsets) {
                    *n += set
                        .iter()
                        .zip(m)
                        .map(|(a, b)| (a & b).count_ones())
                        .sum::<u32>();
                }
                continue;
            }
            let mut lanes = vec![0u32; width * 4];
            if dim.start.is_empty() {
                let mut chunks = docs.chunks_exact(4);
                for c in &mut chunks {
                    for (lane, &d) in c.iter().enumerate() {
                        lanes[lane * width + dim.values[d as usize] as usize] += 1;
                    }
                }
                for &d in chunks.remainder() {
                    lanes[dim.values[d as usize] as usize] += 1;
                }
            } else {
                for (i, &d) in docs.iter().enumerate() {
                    let lane = (i & 3) * width;
                    for &o in dim.of(d) {
                        lanes[lane + o as usize] += 1;
                    }
                }
            }
            for (o, n) in counts.iter_mut().enumerate() {
                *n += lanes[o] + lanes[width + o] + lanes[2 * width + o] + lanes[3 * width + o];
            }
        }
        if self.k == 0 {
            return;
        }
        for (&d, &s) in docs.iter().zip(scores) {
            // Most documents cannot enter a full heap: skip them on the raw score (the
            // abolished factor only lowers it; an equal score loses on its later address).
            if self.heap.len() == self.k && self.heap.peek().is_some_and(|w| s <= w.0.score) {
                continue;
            }
            self.offer(d, s);
        }
    }

    /// Whether [`Self::threshold`] can bound this segment's page: every match is a hit (no
    /// filters) and a page is asked for. (The page's floor must be known before the hits are
    /// collected; with filters the hits are only known while collecting.)
    pub fn can_bound(&self) -> bool {
        !self.any_filter && self.k > 0
    }

    /// The `k`-th best of these hits as this collector ranks them (abolished procedures
    /// lower), or `None` when there are fewer than `k`: no hit whose final score stays below it
    /// can be on the page. Only meaningful when [`Self::can_bound`].
    pub fn threshold(&self, docs: &[DocId], scores: &[Score]) -> Option<Score> {
        if docs.len() < self.k || self.k == 0 {
            return None;
        }
        let mut heap: BinaryHeap<std::cmp::Reverse<Scored>> = BinaryHeap::with_capacity(self.k + 1);
        for (&d, &s) in docs.iter().zip(scores) {
            if heap.len() == self.k && heap.peek().is_some_and(|w| s <= w.0.score) {
                continue;
            }
            Self::push_best(&mut heap, self.k, self.ranked(d, s));
        }
        heap.peek().map(|w| w.0.score)
    }

    /// A hit as ranked (abolished procedures lower).
    #[inline]
    fn ranked(&self, doc: DocId, score: Score) -> Scored {
        let abolished = self
            .facets
            .abolished
            .is_some_and(|a| self.facets.dims[STATUS].of(doc).contains(&a));
        let score = if abolished {
            score * ABOLISHED_FACTOR
        } else {
            score
        };
        Scored {
            score,
            address: DocAddress::new(self.segment, doc),
        }
    }

    #[inline]
    fn push_best(heap: &mut BinaryHeap<std::cmp::Reverse<Scored>>, k: usize, s: Scored) {
        if heap.len() < k {
            heap.push(std::cmp::Reverse(s));
        } else if heap.peek().is_some_and(|w| s > w.0) {
            heap.pop();
            heap.push(std::cmp::Reverse(s));
        }
    }

    /// Offers a hit to the top-k heap.
    #[inline]
    fn offer(&mut self, doc: DocId, score: Score) {
        let s = self.ranked(doc, score);
        Self::push_best(&mut self.heap, self.k, s);
    }
}

impl SegmentCollector for FacetTopSegment {
    type Fruit = SegmentFruit;

    fn collect(&mut self, doc: DocId, score: Score) {
        let dims = &self.facets.dims;
        // Disjunctive facets: a document counts in dimension d when it passes every filter
        // but d's; it is a hit when it passes them all.
        let mut failed = 0usize;
        let mut failed_dim = usize::MAX;
        if self.any_filter {
            for (d, allowed) in self.allowed.iter().enumerate() {
                let Some(allowed) = allowed else { continue };
                if !dims[d].of(doc).iter().any(|&o| allowed[o as usize]) {
                    failed += 1;
                    failed_dim = d;
                    if failed > 1 {
                        return;
                    }
                }
            }
        }
        if failed == 1 {
            for &o in dims[failed_dim].of(doc) {
                self.counts[failed_dim][o as usize] += 1;
            }
            return;
        }
        for (dim, counts) in dims.iter().zip(self.counts.iter_mut()) {
            for &o in dim.of(doc) {
                counts[o as usize] += 1;
            }
        }
        self.total += 1;
        if self.k > 0 {
            self.offer(doc, score);
        }
    }

    fn harvest(self) -> SegmentFruit {
        SegmentFruit {
            total: self.total,
            top: self.heap.into_iter().map(|r| r.0).collect(),
            facets: self.facets,
            counts: self.counts,
        }
    }
}
