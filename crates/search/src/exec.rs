//! Term-at-a-time execution of a [`Plan`] into the [`FacetTopCollector`].
//!
//! Facets need every match, so every match must be scored, and a query at national scale
//! matches tens of thousands of procedures (a central procedure is repeated by every province
//! that localises it). tantivy's document-at-a-time boolean scorers do that through nested
//! unions and intersections, paying for virtual calls, window bitsets and per-clause score
//! combination on every posting. Here each term's postings are read block by block and added
//! into two dense per-segment arrays, the score and a bit per required/core clause; one scan
//! of the segment then hands every document whose bits satisfy the plan to the collector.
//! In a segment grouped by text and by agencies ([`crate::groups`]), the terms of those fields
//! are read once per distinct text or list of agencies instead of once per document.
//! Scores are tantivy's own BM25 per term ([`Bm25Weight`] with the searcher's statistics and
//! the clause weight applied as tantivy's boost), so results are the same as running
//! [`Plan::to_query`] through tantivy (tested in `tests/quality.rs`), up to the order in which a
//! document's term scores are summed.

use std::cell::RefCell;
use std::sync::Arc;

use tantivy::DocSet;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{Postings, TermInfo};
use tantivy::query::Bm25Weight;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, Searcher, SegmentReader};

use crate::collector::{CollectedPage, FacetTopCollector, FacetTopSegment};
use crate::groups::{GroupCache, SegmentGroups, grouping_of};
use crate::query::{Plan, Role};

/// Terms weighted at most this much (metadata 1.0 and 0.5, steps and dossiers 0.3, see
/// `query::weight`; names weigh 1.5 to 3, codes 12 and 40) are "low": they hold three quarters
/// of a query's postings but rarely decide the first page, so they are scored only for the
/// documents they could lift into it (see [`accumulate`]).
const LOW_BOOST: f32 = 1.0;
/// At most this many low terms are bounded per document (a `u16` of bits); with more, every
/// term is scored.
const MAX_LOW: usize = 16;

/// Per-thread scratch arrays, reused between searches (one segment at a time).
#[derive(Default)]
struct Scratch {
    /// Arrays when at most 8 clauses count (the usual case: a quarter of the memory).
    a8: Arrays<u8>,
    a32: Arrays<u32>,
    /// Which low-weight terms each document holds (bit j: the j-th low term).
    low: Vec<u16>,
    hits: Hits,
}

/// Per document, and per group of each grouping ([`crate::groups::GROUPINGS`]), the score and
/// the clause bits.
#[derive(Default)]
struct Arrays<B> {
    score: Vec<f32>,
    bits: Vec<B>,
    gscore: [Vec<f32>; 2],
    gbits: [Vec<B>; 2],
}

/// The live matches of one segment, in document order, and their scores.
#[derive(Default)]
struct Hits {
    docs: Vec<DocId>,
    scores: Vec<f32>,
    /// The same documents as a bitset (bit `d % 64` of word `d / 64`).
    matched: Vec<u64>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// One term ready to score: which clause bit it sets, its BM25 weight (boost included) and
/// where its postings are in each segment (looked up once for the statistics and the reads).
struct Scoring {
    clause: usize,
    /// A low-weight term (metadata, steps and dossiers; see [`LOW_BOOST`]).
    low: bool,
    field: tantivy::schema::Field,
    weight: Bm25Weight,
    infos: Vec<Option<TermInfo>>,
    /// The field's grouping and its position among the grouping's fields
    /// ([`grouping_of`]): read per group in segments grouped that way.
    group: Option<(usize, usize)>,
    /// Per segment: the term's ordinal, when the segment is grouped by the field's grouping.
    ords: Vec<Option<u64>>,
}

impl Scoring {
    /// Weighs a term exactly as tantivy's `TermQuery` in a `BoostQuery` does.
    fn new(
        searcher: &Searcher,
        groups: &[Arc<SegmentGroups>],
        clause: usize,
        term: &tantivy::Term,
        boost: f32,
    ) -> tantivy::Result<Self> {
        let field = term.field();
        let name = searcher.schema().get_field_name(field);
        let group = grouping_of(name);
        let mut infos = Vec::with_capacity(searcher.segment_readers().len());
        let mut ords = Vec::with_capacity(infos.capacity());
        let (mut doc_freq, mut docs, mut tokens) = (0u64, 0u64, 0u64);
        for (reader, g) in searcher.segment_readers().iter().zip(groups) {
            let inverted = reader.inverted_index(field)?;
            let info = inverted.get_term_info(term)?;
            doc_freq += info.as_ref().map_or(0, |i| u64::from(i.doc_freq));
            docs += u64::from(reader.max_doc());
            tokens += inverted.total_num_tokens();
            ords.push(match (&info, group) {
                (Some(_), Some((k, _))) if g.0[k].is_some() => {
                    inverted.terms().term_ord(term.serialized_value_bytes())?
                }
                _ => None,
            });
            infos.push(info);
        }
        let weight = Bm25Weight::for_one_term_without_explain(
            doc_freq,
            docs,
            tokens as f32 / docs.max(1) as f32,
        )
        .boost_by(boost);
        Ok(Self {
            clause,
            low: boost <= LOW_BOOST,
            field,
            weight,
            infos,
            group,
            ords,
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

/// Scores one segment into `a` and `hits`; `bound`, when given, is the segment's collector,
/// which knows the page's length and ranking (see [`FacetTopSegment::threshold`]).
///
/// In a grouped segment ([`crate::groups`]), the terms of the grouped fields are scored once
/// per group into `gscore` and `gbits`, which the listing adds to each document.
///
/// Every other term sets its clause bit on every posting (that decides matching and facet
/// counts). High-weight terms are scored on every posting. Low-weight terms are read for their
/// bits only (no frequencies, no score) and remembered per document in `low`; then, with a
/// page bound, the `k`-th best partial score is a floor the page's last hit cannot fall
/// below, and a document whose partial score plus the largest score its low terms could add
/// stays under it cannot reach the page: only the others (usually a few hundred of tens of
/// thousands) get their low terms scored, by seeking in those terms' postings. Scores of the
/// others stay partial, which changes no page and no count. Without a bound (filters), or when
/// more than a quarter of the matches are candidates, every low posting is scored.
#[allow(clippy::too_many_arguments)]
fn accumulate<B: Bits>(
    reader: &SegmentReader,
    ord: usize,
    terms: &[Scoring],
    m: &Matching,
    groups: &SegmentGroups,
    bound: Option<&FacetTopSegment>,
    a: &mut Arrays<B>,
    low: &mut Vec<u16>,
    hits: &mut Hits,
) -> tantivy::Result<()> {
    let max_doc = reader.max_doc();
    let n = max_doc as usize;
    let grouped = |t: &Scoring| t.group.is_some_and(|(k, _)| groups.0[k].is_some());
    // The terms read per document in this segment (not through groups), with postings.
    let own: Vec<&Scoring> = terms
        .iter()
        .filter(|t| !grouped(t) && t.infos[ord].is_some())
        .collect();
    if !own.is_empty() || !groups.any() {
        a.score.clear();
        a.score.resize(n, 0.0);
        a.bits.clear();
        a.bits.resize(n, B::default());
    }
    for (k, g) in groups.0.iter().enumerate() {
        let Some(g) = g else { continue };
        let (gscore, gbits) = (&mut a.gscore[k], &mut a.gbits[k]);
        gscore.clear();
        gscore.resize(g.len, 0.0);
        gbits.clear();
        gbits.resize(g.len, B::default());
        for t in terms {
            let (Some((tk, i)), Some(o)) = (t.group, t.ords[ord]) else {
                continue;
            };
            if tk != k {
                continue;
            }
            let f = &g.fields[i];
            let b = B::from_u32(m.bit[t.clause]);
            let (gs, tfs) = f.postings(o);
            for (&gi, &tf) in gs.iter().zip(tfs) {
                let gi = gi as usize;
                gscore[gi] += t.weight.score(f.norms[gi], tf);
                gbits[gi].or(b);
            }
        }
    }
    let lows: Vec<&Scoring> = own.iter().copied().filter(|t| t.low).collect();
    let prune = bound.is_some() && !lows.is_empty() && lows.len() <= MAX_LOW;
    if prune {
        low.clear();
        low.resize(n, 0);
    }
    let mut j = 0usize;
    for t in &own {
        let Some(info) = &t.infos[ord] else { continue };
        let b = B::from_u32(m.bit[t.clause]);
        if prune && t.low {
            let mut postings = reader
                .inverted_index(t.field)?
                .read_block_postings_from_terminfo(info, IndexRecordOption::Basic)?;
            let lb = 1u16 << j;
            j += 1;
            loop {
                let docs = postings.docs();
                if docs.is_empty() {
                    break;
                }
                for &d in docs {
                    a.bits[d as usize].or(b);
                    low[d as usize] |= lb;
                }
                postings.advance();
            }
            continue;
        }
        score_all(reader, t, b, &mut a.score, &mut a.bits, info)?;
    }
    let ofs = groups
        .0
        .each_ref()
        .map(|g| g.as_ref().map(|g| g.of.as_slice()));
    let has_own = !own.is_empty();
    dispatch(
        a,
        ofs,
        has_own,
        ListWith {
            reader,
            n,
            hits: &mut *hits,
            m,
        },
    );
    if !prune {
        return Ok(());
    }
    // Largest total each set of low terms could add (two tables of 256 for the 16 bits).
    let mut most = [[0f32; 256]; 2];
    for (half, table) in most.iter_mut().enumerate() {
        for (set, v) in table.iter_mut().enumerate() {
            *v = (0..8)
                .filter(|i| set & (1 << i) != 0)
                .filter_map(|i| lows.get(half * 8 + i))
                .map(|t| t.weight.max_score())
                .sum();
        }
    }
    let floor = bound.and_then(|b| b.threshold(&hits.docs, &hits.scores));
    let floor = floor.unwrap_or(f32::NEG_INFINITY);
    // Rounding margin: the real sum is added in another order than this bound.
    let reaches = |s: f32, most: f32| s + most * (1.0 + 1e-4) + 1e-6 >= floor;
    // Only a document within all the low terms' scores of the floor can reach it: the cheap
    // test on the score first (most documents fail it), then its own low terms.
    let all = most[0][255] + most[1][255];
    let mut candidates: Vec<usize> = Vec::new();
    for (i, (&d, &s)) in hits.docs.iter().zip(&hits.scores).enumerate() {
        if reaches(s, all) {
            let l = low[d as usize];
            let most = most[0][usize::from(l & 0xff)] + most[1][usize::from(l >> 8)];
            if l != 0 && reaches(s, most) {
                candidates.push(i);
            }
        }
    }
    if candidates.len() * 4 > hits.docs.len() {
        // Many candidates (a short list, or partial scores that do not separate): seeking
        // would cost more than reading, so every low posting is scored.
        for t in &lows {
            if let Some(info) = &t.infos[ord] {
                score_all(reader, t, B::default(), &mut a.score, &mut a.bits, info)?;
            }
        }
        dispatch(a, ofs, has_own, Rescore { hits });
        return Ok(());
    }
    for (j, t) in lows.iter().enumerate() {
        let Some(info) = &t.infos[ord] else { continue };
        let norms = norms_of(reader, t.field, max_doc)?;
        let mut postings = reader
            .inverted_index(t.field)?
            .read_postings_from_terminfo(info, IndexRecordOption::WithFreqs)?;
        let lb = 1u16 << j;
        for &i in &candidates {
            let d = hits.docs[i];
            if low[d as usize] & lb == 0 {
                continue;
            }
            if postings.seek(d) == d {
                hits.scores[i] += t.weight.score(norms.fieldnorm_id(d), postings.term_freq());
            }
        }
    }
    Ok(())
}

/// A field's norms (all 1 when it keeps none).
pub(crate) fn norms_of(
    reader: &SegmentReader,
    field: tantivy::schema::Field,
    max_doc: DocId,
) -> tantivy::Result<FieldNormReader> {
    Ok(match reader.fieldnorms_readers().get_field(field)? {
        Some(n) => n,
        None => FieldNormReader::constant(max_doc, 1),
    })
}

/// Scores and marks every posting of one term.
fn score_all<B: Bits>(
    reader: &SegmentReader,
    t: &Scoring,
    b: B,
    score: &mut [f32],
    bits: &mut [B],
    info: &TermInfo,
) -> tantivy::Result<()> {
    let mut postings = reader
        .inverted_index(t.field)?
        .read_block_postings_from_terminfo(info, IndexRecordOption::WithFreqs)?;
    let norms = norms_of(reader, t.field, reader.max_doc())?;
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
    Ok(())
}

/// Where the listing finds a document's clause bits and score: its own arrays, its group's in
/// each grouping, or the sum of several (see [`dispatch`]).
trait Source<B: Bits>: Copy {
    fn bits(self, d: usize) -> B;
    fn score(self, d: usize) -> f32;
}

/// The per-document arrays.
#[derive(Clone, Copy)]
struct Own<'a, B> {
    bits: &'a [B],
    score: &'a [f32],
}

impl<B: Bits> Source<B> for Own<'_, B> {
    #[inline]
    fn bits(self, d: usize) -> B {
        self.bits[d]
    }
    #[inline]
    fn score(self, d: usize) -> f32 {
        self.score[d]
    }
}

/// One grouping's per-group arrays, reached through the document's group.
#[derive(Clone, Copy)]
struct Group<'a, B> {
    of: &'a [u32],
    bits: &'a [B],
    score: &'a [f32],
}

impl<B: Bits> Source<B> for Group<'_, B> {
    #[inline]
    fn bits(self, d: usize) -> B {
        self.bits[self.of[d] as usize]
    }
    #[inline]
    fn score(self, d: usize) -> f32 {
        self.score[self.of[d] as usize]
    }
}

/// Two sources together (the score summed in this order).
#[derive(Clone, Copy)]
struct Both<S, T>(S, T);

impl<B: Bits, S: Source<B>, T: Source<B>> Source<B> for Both<S, T> {
    #[inline]
    fn bits(self, d: usize) -> B {
        let mut b = self.0.bits(d);
        b.or(self.1.bits(d));
        b
    }
    #[inline]
    fn score(self, d: usize) -> f32 {
        self.0.score(d) + self.1.score(d)
    }
}

/// Something to run over a segment's [`Source`], compiled for each kind of source.
trait WithSource<B: Bits> {
    fn with<S: Source<B>>(self, s: S);
}

/// Runs `f` with the segment's source: the per-document arrays when `own` terms were read
/// there (or the segment is not grouped at all), plus each grouping's groups. Every caller
/// sees the same source, so a score is always summed in the same order.
fn dispatch<B: Bits>(a: &Arrays<B>, ofs: [Option<&[u32]>; 2], own: bool, f: impl WithSource<B>) {
    let o = Own {
        bits: &a.bits,
        score: &a.score,
    };
    let g = |k: usize| {
        ofs[k].map(|of| Group {
            of,
            bits: &a.gbits[k],
            score: &a.gscore[k],
        })
    };
    match (own, g(0), g(1)) {
        (_, None, None) => f.with(o),
        (false, Some(t), None) => f.with(t),
        (false, None, Some(x)) => f.with(x),
        (false, Some(t), Some(x)) => f.with(Both(t, x)),
        (true, Some(t), None) => f.with(Both(o, t)),
        (true, None, Some(x)) => f.with(Both(o, x)),
        (true, Some(t), Some(x)) => f.with(Both(o, Both(t, x))),
    }
}

/// Lists the matches ([`list`]).
struct ListWith<'a> {
    reader: &'a SegmentReader,
    n: usize,
    hits: &'a mut Hits,
    m: &'a Matching,
}

impl<B: Bits> WithSource<B> for ListWith<'_> {
    fn with<S: Source<B>>(self, s: S) {
        let m = self.m;
        list(
            self.reader,
            self.n,
            self.hits,
            move |d| s.bits(d).ok(m),
            move |d| s.score(d),
        );
    }
}

/// Gives every listed match its full score again (after its low terms were scored).
struct Rescore<'a> {
    hits: &'a mut Hits,
}

impl<B: Bits> WithSource<B> for Rescore<'_> {
    fn with<S: Source<B>>(self, s: S) {
        for (d, score) in self.hits.docs.iter().zip(self.hits.scores.iter_mut()) {
            *score = s.score(*d as usize);
        }
    }
}

/// Lists the live documents among `0..n` that match (`ok(d)`) in `hits`, with their scores
/// (`score(d)`), and as a bitset: first each word of 64 documents is computed without a
/// branch, then only its set bits are listed and scored.
fn list(
    reader: &SegmentReader,
    n: usize,
    hits: &mut Hits,
    ok: impl Fn(usize) -> bool,
    score: impl Fn(usize) -> f32,
) {
    let Hits {
        docs,
        scores,
        matched,
    } = hits;
    docs.clear();
    docs.reserve(n);
    scores.clear();
    scores.reserve(n);
    matched.clear();
    matched.resize(n.div_ceil(64), 0);
    let alive = reader.alive_bitset();
    for (w, word) in matched.iter_mut().enumerate() {
        let base = w * 64;
        let mut x = 0u64;
        for d in base..(base + 64).min(n) {
            let live = alive.is_none_or(|a| a.is_alive(d as DocId));
            x |= u64::from(ok(d) & live) << (d - base);
        }
        *word = x;
        while x != 0 {
            let d = base + x.trailing_zeros() as usize;
            x &= x - 1;
            docs.push(d as DocId);
            scores.push(score(d));
        }
    }
}

/// Runs `plan` over every segment of `searcher` and collects the page.
pub fn execute(
    searcher: &Searcher,
    plan: &Plan,
    collector: &FacetTopCollector<'_>,
    groups: &GroupCache,
) -> tantivy::Result<CollectedPage> {
    let m = Matching::of(plan);
    let groups = searcher
        .segment_readers()
        .iter()
        .map(|r| groups.get(r))
        .collect::<tantivy::Result<Vec<_>>>()?;
    let mut terms = Vec::new();
    if !plan.all {
        for (i, c) in plan.clauses.iter().enumerate() {
            for (term, boost) in &c.terms {
                terms.push(Scoring::new(searcher, &groups, i, term, *boost)?);
            }
        }
    }
    let mut fruits = Vec::with_capacity(searcher.segment_readers().len());
    SCRATCH.with(|s| -> tantivy::Result<()> {
        let mut s = s.borrow_mut();
        let Scratch { a8, a32, low, hits } = &mut *s;
        for (ord, reader) in searcher.segment_readers().iter().enumerate() {
            let mut seg = collector.for_segment(ord as u32, reader)?;
            if plan.all {
                let alive = reader.alive_bitset();
                hits.docs.clear();
                hits.docs
                    .extend((0..reader.max_doc()).filter(|&d| alive.is_none_or(|a| a.is_alive(d))));
                hits.scores.clear();
                hits.scores.resize(hits.docs.len(), 1.0);
                hits.matched.clear();
            } else {
                let bound = seg.can_bound().then_some(&seg);
                let g = &groups[ord];
                if m.counted() <= 8 {
                    accumulate(reader, ord, &terms, &m, g, bound, a8, low, hits)?;
                } else {
                    accumulate(reader, ord, &terms, &m, g, bound, a32, low, hits)?;
                }
            }
            let matched = (!hits.matched.is_empty()).then_some(hits.matched.as_slice());
            seg.collect_many(&hits.docs, &hits.scores, matched);
            fruits.push(seg.harvest());
        }
        Ok(())
    })?;
    collector.merge_fruits(fruits)
}
