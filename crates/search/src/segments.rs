//! [`SegmentCache`]: data decoded once per index segment (facet arrays, text groups) and
//! shared by every search. Segments are immutable and deletes change nothing such data holds
//! (deleted documents are skipped where matches are listed), so an entry stays valid for its
//! segment's whole life; [`SegmentCache::refresh`], called when the reader reloads, builds the
//! new segments' entries before any search needs them and drops the entries of segments that
//! left the index (merged away).

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use tantivy::SegmentReader;
use tantivy::index::SegmentId;

/// What a [`SegmentCache`] holds for one segment.
pub trait PerSegment: Sized {
    /// Decodes the segment's entry.
    fn build(reader: &SegmentReader) -> tantivy::Result<Self>;
    /// Approximate heap size in bytes.
    fn heap_bytes(&self) -> usize;
}

/// One `T` per live segment, built on first use.
#[derive(Debug)]
pub struct SegmentCache<T> {
    segments: Mutex<HashMap<SegmentId, Arc<T>>>,
}

impl<T> Default for SegmentCache<T> {
    fn default() -> Self {
        Self {
            segments: Mutex::new(HashMap::new()),
        }
    }
}

impl<T: PerSegment> SegmentCache<T> {
    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<SegmentId, Arc<T>>> {
        self.segments.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The entry of a segment.
    pub fn get(&self, reader: &SegmentReader) -> tantivy::Result<Arc<T>> {
        let id = reader.segment_id();
        let mut map = self.map();
        if let Some(f) = map.get(&id) {
            return Ok(f.clone());
        }
        let f = Arc::new(T::build(reader)?);
        map.insert(id, f.clone());
        Ok(f)
    }

    /// Builds the entry of every segment of `searcher` and forgets other segments.
    pub fn refresh(&self, searcher: &tantivy::Searcher) -> tantivy::Result<()> {
        let live: HashSet<SegmentId> = searcher
            .segment_readers()
            .iter()
            .map(|r| r.segment_id())
            .collect();
        self.map().retain(|id, _| live.contains(id));
        for r in searcher.segment_readers() {
            self.get(r)?;
        }
        Ok(())
    }

    /// Approximate heap size in bytes.
    pub fn heap_bytes(&self) -> usize {
        self.map().values().map(|f| f.heap_bytes()).sum()
    }
}
