//! The collector as it was before [`super::FacetCache`]: facet ordinals read from the
//! columnar fast fields for every matched document. Kept only so that the benchmark can time
//! both and check, on the same index, that they return identical pages.

#![doc(hidden)]

use std::collections::BinaryHeap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

use super::{ABOLISHED_FACTOR, CollectedPage, DIMENSIONS, DimensionFilters, STATUS, Scored};

/// The collector; see the module documentation.
pub struct ColumnarCollector {
    /// Allowed values per dimension.
    pub filters: DimensionFilters,
    /// Hits to keep (offset + limit).
    pub k: usize,
}

struct Dimension {
    column: Option<StrColumn>,
    /// Exactly one value per document: read it directly instead of through the row index.
    full: bool,
    /// `None`: no filter on this dimension; otherwise allowed[ord].
    allowed: Option<Vec<bool>>,
    counts: Vec<u32>,
}

/// The per-segment half of [`ColumnarCollector`].
pub struct ColumnarSegment {
    segment: SegmentOrdinal,
    dims: Vec<Dimension>,
    abolished_ord: Option<u64>,
    k: usize,
    /// Min-heap of the best k (Reverse ordering).
    heap: BinaryHeap<std::cmp::Reverse<Scored>>,
    total: u64,
}

impl Collector for ColumnarCollector {
    type Fruit = CollectedPage;
    type Child = ColumnarSegment;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<ColumnarSegment> {
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
        Ok(ColumnarSegment {
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

    fn merge_fruits(&self, fruits: Vec<ColumnarFruit>) -> tantivy::Result<CollectedPage> {
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
pub struct ColumnarFruit {
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

impl SegmentCollector for ColumnarSegment {
    type Fruit = ColumnarFruit;

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

    fn harvest(self) -> ColumnarFruit {
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
        ColumnarFruit {
            total: self.total,
            top: self.heap.into_iter().map(|r| r.0).collect(),
            counts,
        }
    }
}
