//! The tantivy tokenizer over [`crate::analysis::scan`], one [`Mode`] per indexed field kind.
//! Token buffers are reused between documents, so indexing does not allocate per token.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use crate::analysis::{normalise, scan};

/// Longest prefix indexed by the edge n-gram mode: longer query words fall back to terms.
pub const EDGE_MAX_CHARS: usize = 12;

/// Which analysis a [`ViTokenizer`] applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Lower-cased syllables with diacritics.
    Exact,
    /// Folded syllables.
    Folded,
    /// Folded adjacent syllable pairs joined by `_`, within a phrase segment.
    Bigram,
    /// Folded prefixes (1..=[`EDGE_MAX_CHARS`] characters) of every syllable.
    Edge,
}

/// The tantivy tokenizer for one [`Mode`]; NFC-normalises its input itself when needed.
#[derive(Debug, Clone)]
pub struct ViTokenizer {
    mode: Mode,
    tokens: Vec<Token>,
    len: usize,
    prev: String,
}

impl ViTokenizer {
    /// A tokenizer for `mode`.
    pub fn new(mode: Mode) -> Self {
        Self {
            mode,
            tokens: Vec::new(),
            len: 0,
            prev: String::new(),
        }
    }

    /// Appends a token, reusing the slot (and its string) of an earlier document.
    fn push(
        tokens: &mut Vec<Token>,
        len: &mut usize,
        from: usize,
        to: usize,
        pos: usize,
        text: &str,
    ) {
        if *len == tokens.len() {
            tokens.push(Token::default());
        }
        let t = &mut tokens[*len];
        t.offset_from = from;
        t.offset_to = to;
        t.position = pos;
        t.position_length = 1;
        t.text.clear();
        t.text.push_str(text);
        *len += 1;
    }

    fn fill(&mut self, text: &str) {
        let (mode, tokens, len, prev) =
            (self.mode, &mut self.tokens, &mut self.len, &mut self.prev);
        *len = 0;
        prev.clear();
        let mut pos = 0usize;
        let mut prev_start = 0usize;
        let mut prev_segment = u32::MAX;
        scan(text, |start, end, exact, folded, segment| {
            match mode {
                Mode::Exact => Self::push(tokens, len, start, end, pos, exact),
                Mode::Folded => Self::push(tokens, len, start, end, pos, folded),
                Mode::Bigram => {
                    if segment == prev_segment {
                        let keep = prev.len();
                        prev.push('_');
                        prev.push_str(folded);
                        Self::push(tokens, len, prev_start, end, pos, prev);
                        prev.truncate(keep);
                    }
                    prev.clear();
                    prev.push_str(folded);
                    prev_start = start;
                    prev_segment = segment;
                }
                Mode::Edge => {
                    for (n, (i, c)) in folded.char_indices().enumerate() {
                        if n >= EDGE_MAX_CHARS {
                            break;
                        }
                        Self::push(tokens, len, start, end, pos, &folded[..i + c.len_utf8()]);
                    }
                }
            }
            pos += 1;
        });
    }
}

/// Tokens produced by [`ViTokenizer`], held in its reusable buffer.
#[derive(Debug)]
pub struct ViTokenStream<'a> {
    tokens: &'a mut [Token],
    next: usize,
    empty: Token,
}

impl Tokenizer for ViTokenizer {
    type TokenStream<'a> = ViTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> ViTokenStream<'a> {
        // Stored texts are already NFC; only pay for a copy when they are not.
        if unicode_normalization::is_nfc_quick(text.chars())
            == unicode_normalization::IsNormalized::Yes
        {
            self.fill(text);
        } else {
            self.fill(&normalise(text));
        }
        ViTokenStream {
            tokens: &mut self.tokens[..self.len],
            next: 0,
            empty: Token::default(),
        }
    }
}

impl TokenStream for ViTokenStream<'_> {
    fn advance(&mut self) -> bool {
        if self.next < self.tokens.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        match self.next.checked_sub(1).and_then(|i| self.tokens.get(i)) {
            Some(t) => t,
            None => &self.empty,
        }
    }

    fn token_mut(&mut self) -> &mut Token {
        match self.next.checked_sub(1) {
            Some(i) if i < self.tokens.len() => &mut self.tokens[i],
            _ => &mut self.empty,
        }
    }
}

/// The bigram term for two folded syllables.
pub fn bigram(a: &str, b: &str) -> String {
    let mut s = String::with_capacity(a.len() + b.len() + 1);
    s.push_str(a);
    s.push('_');
    s.push_str(b);
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    fn texts(mode: Mode, s: &str) -> Vec<String> {
        let mut t = ViTokenizer::new(mode);
        let mut stream = t.token_stream(s);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        out
    }

    #[test]
    fn nfd_input_tokenizes_exactly_like_nfc() {
        let nfc = "Đăng ký khai sinh";
        let nfd: String = nfc.nfd().collect();
        for mode in [Mode::Exact, Mode::Folded, Mode::Bigram, Mode::Edge] {
            assert_eq!(texts(mode, nfc), texts(mode, &nfd), "{mode:?}");
        }
    }

    #[test]
    fn folding_drops_tones_and_maps_d_bar() {
        assert_eq!(
            texts(Mode::Folded, "Đăng ký Hộ tịch Ủy ban"),
            ["dang", "ky", "ho", "tich", "uy", "ban"]
        );
        assert_eq!(texts(Mode::Exact, "Đăng KÝ"), ["đăng", "ký"]);
    }

    #[test]
    fn bigrams_do_not_cross_punctuation() {
        assert_eq!(
            texts(Mode::Bigram, "nhận cha, mẹ con"),
            ["nhan_cha", "me_con"]
        );
    }

    #[test]
    fn edge_ngrams_are_folded_prefixes() {
        assert_eq!(texts(Mode::Edge, "Đăng"), ["d", "da", "dan", "dang"]);
    }

    #[test]
    fn reused_buffers_do_not_leak_tokens_between_texts() {
        let mut t = ViTokenizer::new(Mode::Folded);
        let _ = t.token_stream("một hai ba bốn");
        let mut s = t.token_stream("năm");
        assert!(s.advance());
        assert_eq!(s.token().text, "nam");
        assert!(!s.advance());
    }

    #[test]
    fn an_empty_text_gives_no_tokens_and_no_panic() {
        let mut t = ViTokenizer::new(Mode::Folded);
        let mut s = t.token_stream("");
        assert!(!s.advance());
        let _ = s.token();
    }
}
