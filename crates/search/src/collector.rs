//! One pass over the matched documents that does three things at once, reading only fast
//! fields: applies the filters, keeps the top `k` hits, and counts facets. Filters are applied
//! here rather than in the query so that each facet dimension can be counted with the other
//! dimensions' filters only ("disjunctive" facets: picking a level still shows the other
//! levels' counts).

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

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
pub struct FacetTopCollector {
    /// Allowed values per dimension.
    pub filters: DimensionFilters,
    /// Hits to keep (offset + limit).
    pub k: usize,
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

struct Dimension {
    column: Option<StrColumn>,
    /// Exactly one value per document: read it directly instead of through the row index.
    full: bool,
    /// `None`: no filter on this dimension; otherwise allowed[ord].
    allowed: Option<Vec<bool>>,
    counts: Vec<u32>,
}

/// The per-segment half of [`FacetTopCollector`].
pub struct FacetTopSegment {
    segment: SegmentOrdinal,
    dims: Vec<Dimension>,
    abolished_ord: Option<u64>,
    k: usize,
    /// Min-heap of the best k (Reverse ordering).
    heap: BinaryHeap<std::cmp::Reverse<Scored>>,
    total: u64,
}

impl Collector for FacetTopCollector {
    type Fruit = CollectedPage;
    type Child = FacetTopSegment;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<FacetTopSegment> {
        let mut dims = Vec::with_capacity(DIMENSIONS.len());
        let mut abolished_ord = None;
        for (d, name) in DIMENSIONS.iter().enumerate() {
            let column = reader.fast_fields().str(name)?;
            let num_terms = column.as_ref().map_or(0, |c| c.num_terms());
            let allowed = if self.filters[d].is_empty() {
                None
            } else {
                let mut allowed = vec![false; num_terms];
                if let Some(c) = &column {
                    for v in &self.filters[d] {
                        if let Some(ord) = c.dictionary().term_ord(v.as_bytes())?
                            && let Some(slot) = allowed.get_mut(ord as usize)
                        {
                            *slot = true;
                        }
                    }
                }
                Some(allowed)
            };
            if d == STATUS
                && let Some(c) = &column
            {
                abolished_ord = c.dictionary().term_ord(b"abolished")?;
            }
            let full = column.as_ref().is_some_and(|c| {
                c.ords().get_cardinality() == tantivy::columnar::Cardinality::Full
            });
            dims.push(Dimension {
                column,
                full,
                allowed,
                counts: vec![0; num_terms],
            });
        }
        Ok(FacetTopSegment {
            segment,
            dims,
            abolished_ord,
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
        for f in fruits {
            page.total += f.total;
            all.extend(f.top);
            for (d, counts) in f.counts.into_iter().enumerate() {
                for (v, n) in counts {
                    *page.counts[d].entry(v).or_default() += n;
                }
            }
        }
        all.sort_by(|a, b| b.cmp(a));
        all.truncate(self.k);
        page.top = all;
        Ok(page)
    }
}

/// One segment's results.
pub struct SegmentFruit {
    total: u64,
    top: Vec<Scored>,
    counts: Vec<Vec<(String, u64)>>,
}

impl Dimension {
    /// Calls `f` with each term ordinal of `doc` in this dimension.
    #[inline]
    fn for_each(&self, doc: DocId, mut f: impl FnMut(u64)) {
        let Some(col) = &self.column else { return };
        let ords = col.ords();
        if self.full {
            f(ords.values.get_val(doc));
        } else {
            ords.values_for_doc(doc).for_each(f);
        }
    }
}

impl SegmentCollector for FacetTopSegment {
    type Fruit = SegmentFruit;

    fn collect(&mut self, doc: DocId, score: Score) {
        let mut failed = 0usize;
        let mut failed_dim = usize::MAX;
        for (d, dim) in self.dims.iter().enumerate() {
            let Some(allowed) = &dim.allowed else {
                continue;
            };
            let mut pass = false;
            dim.for_each(doc, |o| {
                pass |= allowed.get(o as usize).copied().unwrap_or(false);
            });
            if !pass {
                failed += 1;
                failed_dim = d;
                if failed > 1 {
                    return;
                }
            }
        }
        let mut abolished = false;
        let abolished_ord = self.abolished_ord;
        for (d, dim) in self.dims.iter_mut().enumerate() {
            if failed == 1 && d != failed_dim {
                continue;
            }
            let Dimension {
                column,
                full,
                counts,
                ..
            } = dim;
            let Some(col) = column else { continue };
            let mut count = |o: u64| {
                if let Some(n) = counts.get_mut(o as usize) {
                    *n += 1;
                }
                if d == STATUS && Some(o) == abolished_ord {
                    abolished = true;
                }
            };
            if *full {
                count(col.ords().values.get_val(doc));
            } else {
                col.ords().values_for_doc(doc).for_each(count);
            }
        }
        if failed > 0 {
            return;
        }
        self.total += 1;
        if self.k == 0 {
            return;
        }
        let score = if abolished {
            score * ABOLISHED_FACTOR
        } else {
            score
        };
        let s = Scored {
            score,
            address: DocAddress::new(self.segment, doc),
        };
        if self.heap.len() < self.k {
            self.heap.push(std::cmp::Reverse(s));
        } else if self.heap.peek().is_some_and(|w| s > w.0) {
            self.heap.pop();
            self.heap.push(std::cmp::Reverse(s));
        }
    }

    fn harvest(self) -> SegmentFruit {
        let mut counts = Vec::with_capacity(self.dims.len());
        for dim in &self.dims {
            let mut out = Vec::new();
            if let Some(col) = &dim.column {
                let mut s = String::new();
                for (ord, n) in dim.counts.iter().enumerate() {
                    if *n > 0 && col.ord_to_str(ord as u64, &mut s).unwrap_or(false) {
                        out.push((s.clone(), u64::from(*n)));
                    }
                }
            }
            counts.push(out);
        }
        SegmentFruit {
            total: self.total,
            top: self.heap.into_iter().map(|r| r.0).collect(),
            counts,
        }
    }
}
