//! The tantivy schema: which field holds what, with which analyser, and which fields are
//! stored (to render a hit without a database round-trip) or fast (filters and facets).

use tantivy::schema::{
    FAST, Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::TextAnalyzer;

use crate::tokenizer::{Mode, ViTokenizer};

/// Tokenizer name: exact lower-cased syllables.
pub const TOK_EXACT: &str = "vi_exact";
/// Tokenizer name: folded syllables.
pub const TOK_FOLDED: &str = "vi_folded";
/// Tokenizer name: folded syllable bigrams.
pub const TOK_BIGRAM: &str = "vi_bigram";
/// Tokenizer name: folded edge n-grams.
pub const TOK_EDGE: &str = "vi_edge";

/// The fields whose text is identical among the documents of one [`Fields::text_group`]
/// (name, `meta` and `body`; not the agencies, codes or facets), in a fixed order.
pub const SHARED: [&str; 7] = [
    "name_exact",
    "name_folded",
    "name_bigram",
    "name_edge",
    "meta_exact",
    "meta_folded",
    "body_folded",
];

/// The agency fields: identical among the documents of one [`Fields::agency_group`].
pub const AGENCY: [&str; 2] = ["agency_exact", "agency_folded"];

/// Handles to every field of the index.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// Mã TTHC: exact keyword, stored, fast (the delete key).
    pub code: Field,
    /// Name, exact syllables (stored: the display name).
    pub name_exact: Field,
    /// Name, folded syllables.
    pub name_folded: Field,
    /// Name, folded bigrams.
    pub name_bigram: Field,
    /// Name, folded edge n-grams (type-ahead).
    pub name_edge: Field,
    /// Sector, subjects, results, legal titles, description: exact.
    pub meta_exact: Field,
    /// The same, folded.
    pub meta_folded: Field,
    /// Steps, dossier components, requirements: folded only (low weight).
    pub body_folded: Field,
    /// Agencies (competent, executing, authorised, coordinating, and localisations'
    /// executing agencies): exact. Kept apart from `meta` because they are what differs
    /// between the provinces' copies of one procedure (see [`Fields::text_group`]).
    pub agency_exact: Field,
    /// The same, folded.
    pub agency_folded: Field,
    /// A hash of every text of the [`SHARED`] fields: documents with the same value hold the
    /// same terms there (the copies of one procedure published by many provinces), so the
    /// executor reads those fields' postings once per group (see `crate::groups`).
    pub text_group: Field,
    /// A hash of the agencies ([`AGENCY`] fields): the same few thousand lists recur over the
    /// whole catalogue (a ministry's or a province's bodies), so the executor reads those
    /// fields' postings once per list as well.
    pub agency_group: Field,
    /// Codes, local service codes, legal document numbers as folded keywords.
    pub keys: Field,
    /// Every prefix (≥ 4 characters) of the keys, for partial lookups ("1.0000", "123/2015").
    pub key_prefixes: Field,
    /// Sector name (stored only).
    pub sector: Field,
    /// Sector id (filter, facet, stored).
    pub sector_id: Field,
    /// Owning organisation id (filter, facet, stored).
    pub owner_org: Field,
    /// Level identifiers, multi-valued (filter, facet, stored).
    pub levels: Field,
    /// `external` / `internal` (filter, facet, stored).
    pub kind: Field,
    /// `in_force` / `abolished` (filter, facet, stored).
    pub status: Field,
    /// Organisation ids of localising provinces, multi-valued (filter, facet).
    pub provinces: Field,
    /// Secondary text used for the "other field" snippet (stored only).
    pub snippet: Field,
}

fn text(tokenizer: &str, stored: bool) -> TextOptions {
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(tokenizer)
        .set_index_option(IndexRecordOption::WithFreqs)
        .set_fieldnorms(true);
    let opts = TextOptions::default().set_indexing_options(indexing);
    if stored { opts.set_stored() } else { opts }
}

fn keyword() -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("raw")
            .set_index_option(IndexRecordOption::Basic)
            .set_fieldnorms(false),
    )
}

impl Fields {
    /// Builds the schema and returns it with the field handles.
    pub fn build() -> (Schema, Fields) {
        let mut b = Schema::builder();
        let facet = STRING | STORED | FAST;
        let fields = Fields {
            code: b.add_text_field("code", STRING | STORED | FAST),
            name_exact: b.add_text_field("name_exact", text(TOK_EXACT, true)),
            name_folded: b.add_text_field("name_folded", text(TOK_FOLDED, false)),
            name_bigram: b.add_text_field("name_bigram", text(TOK_BIGRAM, false)),
            name_edge: b.add_text_field("name_edge", text(TOK_EDGE, false)),
            meta_exact: b.add_text_field("meta_exact", text(TOK_EXACT, false)),
            meta_folded: b.add_text_field("meta_folded", text(TOK_FOLDED, false)),
            body_folded: b.add_text_field("body_folded", text(TOK_FOLDED, false)),
            agency_exact: b.add_text_field("agency_exact", text(TOK_EXACT, false)),
            agency_folded: b.add_text_field("agency_folded", text(TOK_FOLDED, false)),
            text_group: b.add_u64_field("text_group", FAST),
            agency_group: b.add_u64_field("agency_group", FAST),
            keys: b.add_text_field("keys", keyword()),
            key_prefixes: b.add_text_field("key_prefixes", keyword()),
            sector: b.add_text_field("sector", STORED),
            sector_id: b.add_text_field("sector_id", facet.clone()),
            owner_org: b.add_text_field("owner_org", facet.clone()),
            levels: b.add_text_field("levels", facet.clone()),
            kind: b.add_text_field("kind", facet.clone()),
            status: b.add_text_field("status", facet),
            provinces: b.add_text_field("provinces", STRING | FAST),
            snippet: b.add_text_field("snippet", STORED),
        };
        (b.build(), fields)
    }
}

/// Registers the Vietnamese analysers on an index (needed again whenever an index is opened).
pub fn register_tokenizers(index: &tantivy::Index) {
    let m = index.tokenizers();
    m.register(TOK_EXACT, TextAnalyzer::from(ViTokenizer::new(Mode::Exact)));
    m.register(
        TOK_FOLDED,
        TextAnalyzer::from(ViTokenizer::new(Mode::Folded)),
    );
    m.register(
        TOK_BIGRAM,
        TextAnalyzer::from(ViTokenizer::new(Mode::Bigram)),
    );
    m.register(TOK_EDGE, TextAnalyzer::from(ViTokenizer::new(Mode::Edge)));
}
