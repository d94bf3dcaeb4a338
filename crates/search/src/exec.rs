//! Term-at-a-time execution of a [`Plan`] into the [`FacetTopCollector`].
//!
//! Facets need every match, so every match must be scored, and a query at national scale
//! matches tens of thousands of procedures (a central procedure is repeated by every province
//! that localises it). tantivy's document-at-a-time boolean scorers do that through nested
//! unions and intersections, paying for virtual calls, window bitsets and per-clause score
//! combination on every posting. Here each term's postings are read block by block and added
//! into two dense per-segment arrays, the score and a bit per required/core clause; one scan
//! of the segment then hands every document whose bits satisfy the plan to the collector.
//! Scores are tantivy's own BM25 per term ([`Bm25Weight`] with the searcher's statistics and
//! the clause weight applied as tantivy's boost), so results are the same as running
//! [`Plan::to_query`] through tantivy (tested in `tests/quality.rs`), up to the order in which a
//! document's term scores are summed.

use std::cell::RefCell;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::TermInfo;
use tantivy::query::Bm25Weight;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, Searcher, SegmentReader};

use crate::collector::{CollectedPage, FacetTopCollector};
use crate::query::{Plan, Role};

/// Per-thread scratch arrays, reused between searches (one segment at a time).
#[derive(Default)]
struct Scratch {
    score: Vec<f32>,
    /// Clause bits when at most 8 clauses count (the usual case: a quarter of the memory).
    bits8: Vec<u8>,
    bits32: Vec<u32>,
    hits: Hits,
}

/// The live matches of one segment, in document order, and their scores.
#[derive(Default)]
struct Hits {
    docs: Vec<DocId>,
    scores: Vec<f32>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// One term ready to score: which clause bit it sets, its BM25 weight (boost included) and
/// where its postings are in each segment (looked up once for the statistics and the reads).
struct Scoring {
    clause: usize,
    field: tantivy::schema::Field,
    weight: Bm25Weight,
    infos: Vec<Option<TermInfo>>,
}

impl Scoring {
    /// Weighs a term exactly as tantivy's `TermQuery` in a `BoostQuery` does.
    fn new(
        searcher: &Searcher,
        clause: usize,
        term: &tantivy::Term,
        boost: f32,
    ) -> tantivy::Result<Self> {
        let field = term.field();
        let mut infos = Vec::with_capacity(searcher.segment_readers().len());
        let (mut doc_freq, mut docs, mut tokens) = (0u64, 0u64, 0u64);
        for reader in searcher.segment_readers() {
            let inverted = reader.inverted_index(field)?;
            let info = inverted.get_term_info(term)?;
            doc_freq += info.as_ref().map_or(0, |i| u64::from(i.doc_freq));
            docs += u64::from(reader.max_doc());
            tokens += inverted.total_num_tokens();
            infos.push(info);
        }
        let weight = Bm25Weight::for_one_term(doc_freq, docs, tokens as f32 / docs.max(1) as f32)
            .boost_by(boost);
        Ok(Self {
            clause,
            field,
            weight,
            infos,
        })
    }
}

/// A per-document set of clause bits.
trait Bits: Copy + Default + Send + 'static {
    fn from_u32(b: u32) -> Self;
    fn or(&mut self, b: Self);
    /// Whether a document with these bits matches.
    fn ok(self, m: &Matching) -> bool;
}

impl Bits for u8 {
    #[inline]
    fn from_u32(b: u32) -> Self {
        b as u8
    }
    #[inline]
    fn or(&mut self, b: Self) {
        *self |= b;
    }
    #[inline]
    fn ok(self, m: &Matching) -> bool {
        m.table[self as usize]
    }
}

impl Bits for u32 {
    #[inline]
    fn from_u32(b: u32) -> Self {
        b
    }
    #[inline]
    fn or(&mut self, b: Self) {
        *self |= b;
    }
    #[inline]
    fn ok(self, m: &Matching) -> bool {
        m.matches(self)
    }
}

/// Which clause sets which bit, and what a match needs.
struct Matching {
    bit: Vec<u32>,
    required: u32,
    core: u32,
    core_min: u32,
    /// `matches` of every 8-bit set.
    table: [bool; 256],
}

impl Matching {
    fn of(plan: &Plan) -> Self {
        let mut bit = vec![0u32; plan.clauses.len()];
        let (mut required, mut core) = (0u32, 0u32);
        let mut next = 0u32;
        for (i, c) in plan.clauses.iter().enumerate() {
            if c.role == Role::Optional {
                continue;
            }
            assert!(next < 32, "at most 32 required or core clauses");
            bit[i] = 1 << next;
            match c.role {
                Role::Required => required |= bit[i],
                _ => core |= bit[i],
            }
            next += 1;
        }
        let core_min = if core == 0 { 0 } else { plan.core_min.max(1) };
        let mut m = Self {
            bit,
            required,
            core,
            core_min,
            table: [false; 256],
        };
        for b in 0..256u32 {
            m.table[b as usize] = m.matches(b);
        }
        m
    }

    fn counted(&self) -> u32 {
        (self.required | self.core).count_ones()
    }

    #[inline]
    fn matches(&self, m: u32) -> bool {
        m != 0
            && m & self.required == self.required
            && (m & self.core).count_ones() >= self.core_min
    }
}

/// Adds every term's postings of one segment into `score` and `bits`, then lists the live
/// documents that match in `hits`.
fn accumulate<B: Bits>(
    reader: &SegmentReader,
    ord: usize,
    terms: &[Scoring],
    m: &Matching,
    score: &mut Vec<f32>,
    bits: &mut Vec<B>,
    hits: &mut Hits,
) -> tantivy::Result<()> {
    let max_doc = reader.max_doc();
    let n = max_doc as usize;
    score.clear();
    score.resize(n, 0.0);
    bits.clear();
    bits.resize(n, B::default());
    for t in terms {
        let Some(info) = &t.infos[ord] else { continue };
        let mut postings = reader
            .inverted_index(t.field)?
            .read_block_postings_from_terminfo(info, IndexRecordOption::WithFreqs)?;
        let norms = match reader.fieldnorms_readers().get_field(t.field)? {
            Some(n) => n,
            None => FieldNormReader::constant(max_doc, 1),
        };
        let b = B::from_u32(m.bit[t.clause]);
        loop {
            let docs = postings.docs();
            if docs.is_empty() {
                break;
            }
            let freqs = postings.freqs();
            if freqs.len() == docs.len() {
                for (&d, &tf) in docs.iter().zip(freqs) {
                    score[d as usize] += t.weight.score(norms.fieldnorm_id(d), tf);
                    bits[d as usize].or(b);
                }
            } else {
                // No frequencies recorded (keyword fields): every frequency is 1.
                for &d in docs {
                    score[d as usize] += t.weight.score(norms.fieldnorm_id(d), 1);
                    bits[d as usize].or(b);
                }
            }
            postings.advance();
        }
    }
    // Branch-free listing: write every document, advance only past matches.
    let Hits { docs, scores } = hits;
    docs.clear();
    docs.resize(n + 1, 0);
    scores.clear();
    scores.resize(n + 1, 0.0);
    let mut k = 0usize;
    let alive = reader.alive_bitset();
    for (d, (&bd, &sc)) in bits.iter().zip(score.iter()).enumerate() {
        docs[k] = d as DocId;
        scores[k] = sc;
        let live = alive.is_none_or(|a| a.is_alive(d as DocId));
        k += usize::from(bd.ok(m) & live);
    }
    docs.truncate(k);
    scores.truncate(k);
    Ok(())
}

/// Runs `plan` over every segment of `searcher` and collects the page.
pub fn execute(
    searcher: &Searcher,
    plan: &Plan,
    collector: &FacetTopCollector<'_>,
) -> tantivy::Result<CollectedPage> {
    let m = Matching::of(plan);
    let mut terms = Vec::new();
    if !plan.all {
        for (i, c) in plan.clauses.iter().enumerate() {
            for (term, boost) in &c.terms {
                terms.push(Scoring::new(searcher, i, term, *boost)?);
            }
        }
    }
    let mut fruits = Vec::with_capacity(searcher.segment_readers().len());
    SCRATCH.with(|s| -> tantivy::Result<()> {
        let mut s = s.borrow_mut();
        let Scratch {
            score,
            bits8,
            bits32,
            hits,
        } = &mut *s;
        for (ord, reader) in searcher.segment_readers().iter().enumerate() {
            let mut seg = collector.for_segment(ord as u32, reader)?;
            if plan.all {
                let alive = reader.alive_bitset();
                hits.docs.clear();
                hits.docs
                    .extend((0..reader.max_doc()).filter(|&d| alive.is_none_or(|a| a.is_alive(d))));
                hits.scores.clear();
                hits.scores.resize(hits.docs.len(), 1.0);
            } else if m.counted() <= 8 {
                accumulate(reader, ord, &terms, &m, score, bits8, hits)?;
            } else {
                accumulate(reader, ord, &terms, &m, score, bits32, hits)?;
            }
            seg.collect_many(&hits.docs, &hits.scores);
            fruits.push(seg.harvest());
        }
        Ok(())
    })?;
    collector.merge_fruits(fruits)
}
