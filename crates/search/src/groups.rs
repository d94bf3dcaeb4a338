//! Text groups: the provinces publish copies of the same procedure, so at national scale most
//! documents share their name, metadata, steps and dossier with many others (100,000
//! generated procedures have about 750 distinct texts; the national catalogue repeats each
//! provincial procedure in every province). A query's words then hit the same texts over and
//! over: reading the [`SHARED`] fields' postings document by document costs most of a search.
//!
//! [`SegmentGroups`] numbers the distinct texts of a segment (documents with the same
//! [`text_group`](crate::schema::Fields::text_group) hash) and keeps, for each term of those
//! fields, its postings over groups (group, term frequency) and each group's fieldnorm. The
//! executor scores a shared term once per group and adds the group's score and clause bits to
//! each document when it lists the matches (`crate::exec`). A document's BM25 score for a term
//! depends only on the term's frequency and the field's length in that document, which are the
//! same for every document of the group, and the weights keep the whole index's statistics,
//! so scores are exactly those of the per-document postings.
//!
//! The agencies are grouped the same way ([`GROUPINGS`]): they differ between a procedure's
//! copies, but the same few thousand lists of agencies (a ministry's bodies, a province's)
//! recur over the whole catalogue (5,490 lists among 100,000 generated procedures), so their
//! terms are scored once per list too, and only codes are left to read per document.
//!
//! A group is represented by its first document; deleted documents stay in their group (the
//! listing skips them) and the representative's text stays the group's text even when it is
//! deleted, so deletes change nothing here. Two documents whose hashes collide but whose
//! fieldnorms differ are kept in separate groups (see `IndexDoc::text_group`). Segments where
//! grouping would not at least halve the documents, and small ones, are not grouped: their
//! shared terms are read per document as before.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, SegmentReader};

use crate::schema::{AGENCY, SHARED};
use crate::segments::{PerSegment, SegmentCache};

/// One way of grouping documents: the fast field holding each document's group hash and the
/// indexed fields whose postings are kept per group.
#[derive(Debug, Clone, Copy)]
pub struct Grouping {
    /// The fast field of the group hash.
    pub key: &'static str,
    /// The fields read per group, in this order.
    pub fields: &'static [&'static str],
}

/// The groupings, in [`SegmentGroups`] order: texts, then agencies.
pub const GROUPINGS: [Grouping; 2] = [
    Grouping {
        key: "text_group",
        fields: &SHARED,
    },
    Grouping {
        key: "agency_group",
        fields: &AGENCY,
    },
];

/// The grouping and the position in its fields of an indexed field, if it is grouped.
pub fn grouping_of(field: &str) -> Option<(usize, usize)> {
    GROUPINGS
        .iter()
        .enumerate()
        .find_map(|(k, g)| g.fields.iter().position(|f| *f == field).map(|i| (k, i)))
}

/// Segments with fewer documents are not grouped (nothing to gain).
const MIN_DOCS: u32 = 64;

/// The text groups of every segment (see [`SegmentCache`]).
pub type GroupCache = SegmentCache<SegmentGroups>;

/// The groups of one segment per [`GROUPINGS`] entry, `None` where it is not grouped that way.
#[derive(Debug, Default)]
pub struct SegmentGroups(pub [Option<Groups>; 2]);

impl SegmentGroups {
    /// Whether the segment is grouped in any way.
    pub fn any(&self) -> bool {
        self.0.iter().any(Option::is_some)
    }
}

/// See the module documentation.
#[derive(Debug)]
pub struct Groups {
    /// Each document's group.
    pub of: Vec<u32>,
    /// Number of groups.
    pub len: usize,
    /// Per field of the [`Grouping`], in its order.
    pub fields: Vec<GroupField>,
}

/// One grouped field's postings over groups.
#[derive(Debug)]
pub struct GroupField {
    /// Each group's fieldnorm id.
    pub norms: Vec<u8>,
    /// Per term ordinal, where its postings start in `groups` / `tfs` (one more entry).
    start: Vec<u32>,
    groups: Vec<u32>,
    tfs: Vec<u32>,
}

impl GroupField {
    /// The groups holding term `ord`, and the term's frequency in each.
    #[inline]
    pub fn postings(&self, ord: u64) -> (&[u32], &[u32]) {
        let o = ord as usize;
        match (self.start.get(o), self.start.get(o + 1)) {
            (Some(&a), Some(&b)) => (
                &self.groups[a as usize..b as usize],
                &self.tfs[a as usize..b as usize],
            ),
            _ => (&[], &[]),
        }
    }
}

impl Groups {
    fn build(reader: &SegmentReader, grouping: &Grouping) -> tantivy::Result<Option<Self>> {
        let n = reader.max_doc();
        if n < MIN_DOCS {
            return Ok(None);
        }
        let Ok(column) = reader.fast_fields().u64(grouping.key) else {
            return Ok(None);
        };
        let schema = reader.schema();
        let mut fields = Vec::with_capacity(grouping.fields.len());
        let mut norms = Vec::with_capacity(grouping.fields.len());
        for name in grouping.fields {
            let f = schema.get_field(name)?;
            norms.push(crate::exec::norms_of(reader, f, n)?);
            fields.push(f);
        }
        // Number the groups; a document whose fieldnorms differ from its group's first
        // document (a hash collision) gets a group of its own.
        let mut first: HashMap<u64, u32> = HashMap::new();
        let mut reps: Vec<DocId> = Vec::new();
        let mut of = Vec::with_capacity(n as usize);
        for d in 0..n {
            let new = |reps: &mut Vec<DocId>| {
                reps.push(d);
                (reps.len() - 1) as u32
            };
            let g = match column.first(d) {
                None => new(&mut reps),
                Some(key) => match first.entry(key) {
                    Entry::Vacant(e) => *e.insert(new(&mut reps)),
                    Entry::Occupied(e) => {
                        let g = *e.get();
                        let r = reps[g as usize];
                        if norms.iter().all(|f| f.fieldnorm_id(d) == f.fieldnorm_id(r)) {
                            g
                        } else {
                            new(&mut reps)
                        }
                    }
                },
            };
            of.push(g);
        }
        if reps.len() * 2 > n as usize {
            return Ok(None);
        }
        let mut is_rep = vec![false; n as usize];
        for &r in &reps {
            is_rep[r as usize] = true;
        }
        let mut out = Vec::with_capacity(fields.len());
        for (field, norm) in fields.into_iter().zip(&norms) {
            let inverted = reader.inverted_index(field)?;
            let dict = inverted.terms();
            let mut start = Vec::with_capacity(dict.num_terms() + 1);
            let (mut groups, mut tfs) = (Vec::new(), Vec::new());
            let mut stream = dict.stream()?;
            while stream.advance() {
                start.push(groups.len() as u32);
                let mut postings = inverted.read_block_postings_from_terminfo(
                    stream.value(),
                    IndexRecordOption::WithFreqs,
                )?;
                loop {
                    let docs = postings.docs();
                    if docs.is_empty() {
                        break;
                    }
                    let freqs = postings.freqs();
                    for (i, &d) in docs.iter().enumerate() {
                        if is_rep[d as usize] {
                            groups.push(of[d as usize]);
                            tfs.push(freqs.get(i).copied().unwrap_or(1));
                        }
                    }
                    postings.advance();
                }
            }
            start.push(groups.len() as u32);
            out.push(GroupField {
                norms: reps.iter().map(|&r| norm.fieldnorm_id(r)).collect(),
                start,
                groups,
                tfs,
            });
        }
        Ok(Some(Self {
            of,
            len: reps.len(),
            fields: out,
        }))
    }
}

impl PerSegment for SegmentGroups {
    fn build(reader: &SegmentReader) -> tantivy::Result<Self> {
        Ok(Self([
            Groups::build(reader, &GROUPINGS[0])?,
            Groups::build(reader, &GROUPINGS[1])?,
        ]))
    }

    fn heap_bytes(&self) -> usize {
        self.0
            .iter()
            .flatten()
            .map(|g| {
                g.of.capacity() * 4
                    + g.fields
                        .iter()
                        .map(|f| {
                            f.norms.capacity()
                                + (f.start.capacity() + f.groups.capacity() + f.tfs.capacity()) * 4
                        })
                        .sum::<usize>()
            })
            .sum()
    }
}
