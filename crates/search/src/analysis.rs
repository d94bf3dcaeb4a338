//! Vietnamese text analysis shared by indexing and querying, so both sides always agree:
//! Unicode NFC first (NFD input from Word or macOS must behave exactly like NFC), then
//! syllable segmentation, lower-casing and diacritic folding (`đ`→`d`).
//!
//! Every text is indexed twice: once with exact (lower-cased) syllables and once folded.
//! Queries hit both, the exact field boosted, so "đăng ký" ranks "Đăng ký" above "đăng kỳ"
//! while "dang ky" still finds both. Names also get folded syllable bigrams ("khai_sinh")
//! for phrase proximity and folded edge n-grams for type-ahead (see [`crate::tokenizer`]).

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// NFC-normalises and replaces control characters and exotic spaces by plain spaces.
pub fn normalise(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.nfc() {
        if c.is_control() || c.is_whitespace() {
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    out
}

/// Folds one lower-case character: drops tone and vowel marks, maps `đ` to `d`.
pub fn fold_char(c: char) -> char {
    if c.is_ascii() {
        return c;
    }
    if c == 'đ' || c == 'Đ' {
        return 'd';
    }
    let mut base = None;
    decompose_canonical(c, |d| {
        if base.is_none() && !is_combining_mark(d) {
            base = Some(d);
        }
    });
    base.unwrap_or(c)
}

/// What the scanner needs to know about one character.
#[derive(Debug, Clone, Copy)]
struct CharInfo {
    /// Part of a syllable (letter, digit or combining mark).
    word: bool,
    /// Lower-cased form.
    lower: char,
    /// Folded form; `None` for combining marks, which folding drops.
    folded: Option<char>,
}

fn compute_info(c: char) -> CharInfo {
    let mark = is_combining_mark(c);
    let lower = c.to_lowercase().next().unwrap_or(c);
    CharInfo {
        word: c.is_alphanumeric() || mark,
        lower,
        folded: if mark { None } else { Some(fold_char(lower)) },
    }
}

/// Characters below this code point (ASCII, Latin-1, Latin Extended, combining marks, Greek,
/// Cyrillic, Latin Extended Additional with every Vietnamese letter) are looked up in a table.
const TABLE_END: u32 = 0x2000;

fn table() -> &'static [CharInfo] {
    static TABLE: std::sync::OnceLock<Vec<CharInfo>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        (0..TABLE_END)
            .map(|u| compute_info(char::from_u32(u).unwrap_or(' ')))
            .collect()
    })
}

#[inline]
fn info(c: char) -> CharInfo {
    let u = c as u32;
    if u < TABLE_END {
        table()[u as usize]
    } else {
        compute_info(c)
    }
}

/// Lower-cases and folds a string (no normalisation: call [`normalise`] first).
pub fn fold_str(s: &str) -> String {
    s.chars().filter_map(|c| info(c).folded).collect()
}

fn breaks_phrase(c: char) -> bool {
    !(c.is_whitespace() || c == '-' || c == '\'' || c == '’')
}

/// Calls `f(start, end, exact, folded, segment)` for every syllable of an NFC text, reusing
/// two buffers: the hot loop of indexing allocates nothing.
pub fn scan(text: &str, mut f: impl FnMut(usize, usize, &str, &str, u32)) {
    let mut exact = String::new();
    let mut folded = String::new();
    let mut start: Option<usize> = None;
    let mut segment = 0u32;
    for (i, c) in text.char_indices() {
        let ci = info(c);
        if ci.word {
            start.get_or_insert(i);
            exact.push(ci.lower);
            if let Some(fc) = ci.folded {
                folded.push(fc);
            }
            continue;
        }
        if let Some(s) = start.take() {
            if !folded.is_empty() {
                f(s, i, &exact, &folded, segment);
            }
            exact.clear();
            folded.clear();
        }
        if breaks_phrase(c) {
            segment += 1;
        }
    }
    if let Some(s) = start
        && !folded.is_empty()
    {
        f(s, text.len(), &exact, &folded, segment);
    }
}

/// One syllable of a text with its byte span in the (NFC) text it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// Byte offset of the first character.
    pub start: usize,
    /// Byte offset after the last character.
    pub end: usize,
    /// Lower-cased syllable with its diacritics.
    pub exact: String,
    /// Lower-cased, folded syllable.
    pub folded: String,
    /// Phrase segment number: punctuation such as `,` `;` `(` starts a new segment, and
    /// bigrams never cross segments.
    pub segment: u32,
}

/// Splits an NFC text into syllables (runs of letters and digits).
pub fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    scan(text, |start, end, exact, folded, segment| {
        out.push(Word {
            start,
            end,
            exact: exact.to_string(),
            folded: folded.to_string(),
            segment,
        })
    });
    out
}

/// Normalises a code or a legal document number into a keyword term: NFC, folded,
/// lower-case, whitespace removed, surrounding punctuation trimmed
/// (`"123/2015/NĐ-CP"` → `"123/2015/nd-cp"`).
pub fn key_term(raw: &str) -> String {
    let folded = fold_str(&normalise(raw));
    let compact: String = folded.chars().filter(|c| !c.is_whitespace()).collect();
    compact
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_string()
}

/// True when a whitespace-separated query chunk looks like a code or document number:
/// it has a digit and a `.` or `/` between alphanumerics ("1.000080", "123/2015/NĐ-CP").
pub fn looks_like_key(chunk: &str) -> bool {
    let k = key_term(chunk);
    k.chars().any(|c| c.is_ascii_digit()) && k.contains(['.', '/'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_carry_exact_and_folded_forms_and_segments() {
        let w = words("Đăng KÝ, hộ-tịch");
        let forms: Vec<(&str, &str, u32)> = w
            .iter()
            .map(|w| (w.exact.as_str(), w.folded.as_str(), w.segment))
            .collect();
        assert_eq!(
            forms,
            [
                ("đăng", "dang", 0),
                ("ký", "ky", 0),
                ("hộ", "ho", 1),
                ("tịch", "tich", 1)
            ]
        );
        assert_eq!(fold_str("Ủy ban Nhân dân"), "uy ban nhan dan");
    }

    #[test]
    fn keys_are_folded_and_compact() {
        assert_eq!(key_term(" 123/2015/NĐ-CP, "), "123/2015/nd-cp");
        assert!(looks_like_key("1.000080"));
        assert!(looks_like_key("(123/2015)"));
        assert!(!looks_like_key("khai"));
        assert!(!looks_like_key("2015"));
    }
}
