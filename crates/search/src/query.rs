//! Turning what a user typed into tantivy queries, without tantivy's query parser: the text is
//! analysed like indexed text and queries are assembled from the resulting terms, so quotes,
//! colons, parentheses or `*` are just punctuation and can never cause a syntax error.

use tantivy::Term;
use tantivy::query::{AllQuery, BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};

use crate::analysis::{key_term, looks_like_key, normalise, words};
use crate::doc::KEY_PREFIX_MIN;
use crate::request::MAX_QUERY_CHARS;
use crate::schema::Fields;
use crate::tokenizer::{EDGE_MAX_CHARS, bigram};

/// At most this many words of a query are used (bounds the query's size).
const MAX_WORDS: usize = 24;
/// At most this many code / document-number chunks are used.
const MAX_KEYS: usize = 4;

/// Field weights. The exact (diacritics) fields add to the folded ones, so an exact match
/// outranks a folded one; names outweigh metadata, which outweighs steps and dossiers.
mod weight {
    pub const NAME_FOLDED: f32 = 3.0;
    pub const NAME_EXACT: f32 = 1.5;
    pub const NAME_BIGRAM: f32 = 3.0;
    pub const NAME_EDGE: f32 = 1.5;
    pub const META_FOLDED: f32 = 1.0;
    pub const META_EXACT: f32 = 0.5;
    pub const BODY: f32 = 0.3;
    pub const KEY: f32 = 40.0;
    pub const KEY_PREFIX: f32 = 12.0;
}

/// Words citizens add around the words that matter ("làm", "xin", "thủ tục", "như thế nào"):
/// they still score but are never required. Folded forms.
const FILLERS: &[&str] = &[
    "lam", "xin", "can", "gi", "nao", "o", "dau", "nhu", "muon", "cach", "toi", "minh", "de",
    "bao", "lau", "ve", "cho", "cua", "va", "la", "cac", "nhung", "mot", "thi", "tai", "hay",
    "hoac", "voi", "duoc", "phai", "em", "ban",
];

/// One analysed query word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryWord {
    /// Lower-cased, with diacritics as typed.
    pub exact: String,
    /// Folded.
    pub folded: String,
    /// A filler word: scored, never required.
    pub filler: bool,
    /// Phrase segment (bigrams never cross segments).
    pub segment: u32,
}

/// A user query after analysis.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AnalysedQuery {
    /// Text words, in order.
    pub words: Vec<QueryWord>,
    /// Codes and document numbers as folded keyword terms.
    pub keys: Vec<String>,
    /// True when the last word may be unfinished (type-ahead): the text did not end in a space.
    pub prefix_last: bool,
}

impl AnalysedQuery {
    /// True when nothing searchable was typed.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty() && self.keys.is_empty()
    }

    /// Words that must match in the strict pass.
    pub fn required(&self) -> impl Iterator<Item = (usize, &QueryWord)> {
        self.words.iter().enumerate().filter(|(_, w)| !w.filler)
    }
}

/// Analyses any string: truncates to [`MAX_QUERY_CHARS`], NFC, strips control characters,
/// separates codes / document numbers from words.
pub fn analyse(raw: &str) -> AnalysedQuery {
    let truncated: String = raw.chars().take(MAX_QUERY_CHARS).collect();
    let text = normalise(&truncated);
    let mut keys = Vec::new();
    let mut rest = String::with_capacity(text.len());
    for chunk in text.split_whitespace() {
        if looks_like_key(chunk) && keys.len() < MAX_KEYS {
            keys.push(key_term(chunk));
        } else {
            rest.push_str(chunk);
            rest.push(' ');
        }
    }
    let mut ws: Vec<QueryWord> = words(&rest)
        .into_iter()
        .take(MAX_WORDS)
        .map(|w| QueryWord {
            filler: FILLERS.contains(&w.folded.as_str()),
            exact: w.exact,
            folded: w.folded,
            segment: w.segment,
        })
        .collect();
    // "thủ tục" is a filler only as a pair ("thu" alone is e.g. "thu hồi"), "thế" only
    // after "như" ("the" alone is usually "thẻ").
    for i in 0..ws.len().saturating_sub(1) {
        let pair = (ws[i].folded.as_str(), ws[i + 1].folded.as_str());
        if matches!(pair, ("thu", "tuc") | ("nhu", "the")) {
            ws[i].filler = true;
            ws[i + 1].filler = true;
        }
    }
    let ends_with_word = text
        .chars()
        .last()
        .is_some_and(|c| c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c));
    AnalysedQuery {
        prefix_last: ends_with_word && !ws.is_empty(),
        words: ws,
        keys,
    }
}

/// What a clause does to matching (every clause adds its score when it matches).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Must match.
    Required,
    /// At least [`Plan::core_min`] of the core clauses must match.
    Core,
    /// Only ranks.
    Optional,
}

/// One clause: a union of weighted terms (a document matches when any term does, and scores
/// the sum of the BM25 scores of the terms it holds, each times its weight).
#[derive(Debug, Clone)]
pub struct Clause {
    /// How the clause takes part in matching.
    pub role: Role,
    /// Terms and their weights.
    pub terms: Vec<(Term, f32)>,
}

/// A query as flat clauses, executed term at a time by [`crate::exec`] (and convertible to an
/// equivalent tantivy query, [`Plan::to_query`], for type-ahead and as the reference the
/// executor is tested against).
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// Match every document with score 1 (nothing searchable was typed).
    pub all: bool,
    /// The clauses; at most 32 are required or core.
    pub clauses: Vec<Clause>,
    /// How many core clauses must match (when there are any).
    pub core_min: u32,
}

impl Plan {
    fn push(&mut self, role: Role, terms: Vec<(Term, f32)>) {
        self.clauses.push(Clause { role, terms });
    }

    /// The equivalent tantivy query: same matches, same per-term scores.
    pub fn to_query(&self) -> Box<dyn Query> {
        if self.all {
            return Box::new(AllQuery);
        }
        let union = |c: &Clause| -> Box<dyn Query> {
            let terms = c
                .terms
                .iter()
                .map(|(t, w)| {
                    let q = TermQuery::new(t.clone(), IndexRecordOption::WithFreqs);
                    Box::new(BoostQuery::new(Box::new(q), *w)) as Box<dyn Query>
                })
                .collect();
            Box::new(BooleanQuery::union(terms))
        };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut core = Vec::new();
        for c in &self.clauses {
            match c.role {
                Role::Required => clauses.push((Occur::Must, union(c))),
                Role::Core => core.push(union(c)),
                Role::Optional => clauses.push((Occur::Should, union(c))),
            }
        }
        if !core.is_empty() {
            let min = (self.core_min.max(1) as usize).min(core.len());
            let q = if min <= 1 {
                BooleanQuery::union(core)
            } else {
                BooleanQuery::union_with_minimum_required_clauses(core, min)
            };
            clauses.push((Occur::Must, Box::new(q)));
        }
        Box::new(BooleanQuery::new(clauses))
    }

    /// When no clause is required or core, the word clauses become core with a minimum of
    /// one (any of them must match), as a boolean query of only optional clauses behaves.
    fn any_if_nothing_required(mut self, words: std::ops::Range<usize>) -> Self {
        if self.all || self.clauses.iter().any(|c| c.role != Role::Optional) {
            return self;
        }
        for c in &mut self.clauses[words] {
            c.role = Role::Core;
        }
        self.core_min = 1;
        self
    }
}

/// Builds query plans for one analysed query.
pub struct QueryBuilder<'a> {
    f: &'a Fields,
    q: &'a AnalysedQuery,
}

fn term(field: Field, text: &str, boost: f32) -> (Term, f32) {
    (Term::from_field_text(field, text), boost)
}

impl<'a> QueryBuilder<'a> {
    /// A builder over the index's fields.
    pub fn new(f: &'a Fields, q: &'a AnalysedQuery) -> Self {
        Self { f, q }
    }

    fn is_prefix(&self, i: usize) -> bool {
        self.q.prefix_last && i + 1 == self.q.words.len()
    }

    /// One word in any field; the last word of a type-ahead query also as a name prefix.
    fn word(&self, i: usize, w: &QueryWord) -> Vec<(Term, f32)> {
        let f = self.f;
        let mut c = vec![
            term(f.name_folded, &w.folded, weight::NAME_FOLDED),
            term(f.meta_folded, &w.folded, weight::META_FOLDED),
            term(f.agency_folded, &w.folded, weight::META_FOLDED),
            term(f.body_folded, &w.folded, weight::BODY),
        ];
        if w.exact != w.folded {
            c.push(term(f.name_exact, &w.exact, weight::NAME_EXACT));
            c.push(term(f.meta_exact, &w.exact, weight::META_EXACT));
            c.push(term(f.agency_exact, &w.exact, weight::META_EXACT));
        }
        // One-letter prefixes would match most of the catalogue: only type-ahead uses them.
        let n = w.folded.chars().count();
        if self.is_prefix(i) && (2..=EDGE_MAX_CHARS).contains(&n) {
            c.push(term(f.name_edge, &w.folded, weight::NAME_EDGE));
        }
        c
    }

    fn push_bigrams(&self, plan: &mut Plan) {
        for p in self.q.words.windows(2) {
            if p[0].segment == p[1].segment {
                let t = term(
                    self.f.name_bigram,
                    &bigram(&p[0].folded, &p[1].folded),
                    weight::NAME_BIGRAM,
                );
                plan.push(Role::Optional, vec![t]);
            }
        }
    }

    /// A key (code or document number), also as a prefix of longer keys.
    fn key(&self, k: &str) -> Vec<(Term, f32)> {
        let mut c = vec![term(self.f.keys, k, weight::KEY)];
        if k.chars().count() >= KEY_PREFIX_MIN {
            c.push(term(self.f.key_prefixes, k, weight::KEY_PREFIX));
        }
        c
    }

    /// Strict pass: every non-filler word must match somewhere (or, when the query holds a
    /// code or document number, that key must match and words only rank).
    pub fn strict(&self) -> Plan {
        let mut plan = Plan::default();
        if self.q.is_empty() {
            plan.all = true;
            return plan;
        }
        let has_keys = !self.q.keys.is_empty();
        if has_keys {
            let any_key = self.q.keys.iter().flat_map(|k| self.key(k)).collect();
            plan.push(Role::Required, any_key);
        }
        let first = plan.clauses.len();
        for (i, w) in self.q.words.iter().enumerate() {
            let role = if w.filler || has_keys {
                Role::Optional
            } else {
                Role::Required
            };
            plan.push(role, self.word(i, w));
        }
        let words = first..plan.clauses.len();
        self.push_bigrams(&mut plan);
        plan.any_if_nothing_required(words)
    }

    /// Relaxed pass, used when the strict one finds nothing: about half of the required
    /// words (or any key) must match.
    pub fn relaxed(&self) -> Plan {
        let mut plan = Plan::default();
        for k in &self.q.keys {
            plan.push(Role::Core, self.key(k));
        }
        for (i, w) in self.q.words.iter().enumerate() {
            let role = if w.filler { Role::Optional } else { Role::Core };
            plan.push(role, self.word(i, w));
        }
        let core = plan.clauses.iter().filter(|c| c.role == Role::Core).count();
        if core == 0 {
            // Only fillers: any of them (and no bigrams).
            let n = plan.clauses.len();
            return plan.any_if_nothing_required(0..n);
        }
        plan.core_min = core.div_ceil(2).max(1) as u32;
        self.push_bigrams(&mut plan);
        plan
    }

    /// Type-ahead: every word must match the name, the last one possibly as a prefix; keys
    /// match by prefix. `None` when nothing was typed.
    pub fn suggest(&self) -> Option<Plan> {
        if self.q.is_empty() {
            return None;
        }
        let f = self.f;
        let mut plan = Plan::default();
        for k in &self.q.keys {
            plan.push(Role::Required, self.key(k));
        }
        let first = plan.clauses.len();
        for (i, w) in self.q.words.iter().enumerate() {
            let mut c = vec![term(f.name_folded, &w.folded, weight::NAME_FOLDED)];
            if w.exact != w.folded {
                c.push(term(f.name_exact, &w.exact, weight::NAME_EXACT));
            }
            if self.is_prefix(i) && w.folded.chars().count() <= EDGE_MAX_CHARS {
                c.push(term(f.name_edge, &w.folded, weight::NAME_EDGE));
            }
            let role = if w.filler && self.q.words.len() > 1 {
                Role::Optional
            } else {
                Role::Required
            };
            plan.push(role, c);
        }
        let words = first..plan.clauses.len();
        self.push_bigrams(&mut plan);
        Some(plan.any_if_nothing_required(words))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_document_numbers_are_separated_from_words() {
        let q = analyse("nghị định 123/2015/NĐ-CP về 1.000080");
        assert_eq!(q.keys, ["123/2015/nd-cp", "1.000080"]);
        let folded: Vec<&str> = q.words.iter().map(|w| w.folded.as_str()).collect();
        assert_eq!(folded, ["nghi", "dinh", "ve"]);
        assert!(q.words[2].filler);
    }

    #[test]
    fn thu_tuc_is_a_filler_only_as_a_pair() {
        let q = analyse("thủ tục thu hồi thẻ");
        let fillers: Vec<bool> = q.words.iter().map(|w| w.filler).collect();
        assert_eq!(fillers, [true, true, false, false, false]);
    }

    #[test]
    fn a_trailing_space_means_the_last_word_is_complete() {
        assert!(analyse("khai si").prefix_last);
        assert!(!analyse("khai sinh ").prefix_last);
        assert!(!analyse("").prefix_last);
    }

    #[test]
    fn syntax_characters_are_plain_punctuation() {
        let q = analyse("\"khai: sinh\" (AND) * OR -x");
        let folded: Vec<&str> = q.words.iter().map(|w| w.folded.as_str()).collect();
        assert_eq!(folded, ["khai", "sinh", "and", "or", "x"]);
    }
}
