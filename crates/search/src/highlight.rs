//! Highlighting with the same analysis as search: a word is marked when its folded form is a
//! query word (or starts with the unfinished last word), so "dang ky" marks "Đăng ký".
//! Output is HTML-escaped with matches wrapped in `<mark>…</mark>`.

use crate::analysis::scan;
use crate::query::AnalysedQuery;

/// Characters of context shown around the first match in a secondary-field snippet.
const SNIPPET_CHARS: usize = 160;

/// Escapes `&`, `<`, `>`, `"` and `'`.
pub fn escape_html(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
}

/// The query words a folded syllable matches, as bits (bit i: word i; the unfinished last
/// word also by prefix).
fn matched(q: &AnalysedQuery, folded: &str) -> u32 {
    let last = q.words.len().wrapping_sub(1);
    q.words
        .iter()
        .enumerate()
        .filter(|(i, w)| {
            w.folded == folded || (q.prefix_last && *i == last && folded.starts_with(&w.folded))
        })
        .fold(0, |m, (i, _)| m | 1u32.checked_shl(i as u32).unwrap_or(0))
}

/// The bits of the non-filler query words.
fn required(q: &AnalysedQuery) -> u32 {
    q.required()
        .fold(0, |m, (i, _)| m | 1u32.checked_shl(i as u32).unwrap_or(0))
}

/// One pass over `text` (no allocation per syllable): the byte spans of matched words,
/// adjacent ones (separated by whitespace only) merged, and the bits of the query words
/// found.
fn spans(text: &str, q: &AnalysedQuery) -> (Vec<(usize, usize)>, u32) {
    let mut out: Vec<(usize, usize)> = Vec::new();
    let mut found = 0u32;
    scan(text, |start, end, _, folded, _| {
        let m = matched(q, folded);
        if m == 0 {
            return;
        }
        found |= m;
        match out.last_mut() {
            Some(last) if text[last.1..start].chars().all(char::is_whitespace) => last.1 = end,
            _ => out.push((start, end)),
        }
    });
    (out, found)
}

fn render(text: &str, spans: &[(usize, usize)]) -> String {
    let mut out = String::with_capacity(text.len() + spans.len() * 13);
    let mut at = 0;
    for &(s, e) in spans {
        escape_html(&text[at..s], &mut out);
        out.push_str("<mark>");
        escape_html(&text[s..e], &mut out);
        out.push_str("</mark>");
        at = e;
    }
    escape_html(&text[at..], &mut out);
    out
}

/// Highlights a whole (short) text such as a name; returns the HTML and how many non-filler
/// query words (by folded form) it shows.
pub fn highlight_all(text: &str, q: &AnalysedQuery) -> (String, usize) {
    let (sp, found) = spans(text, q);
    (
        render(text, &sp),
        (found & required(q)).count_ones() as usize,
    )
}

/// A window of a long text around its first match, highlighted, when the text holds one of
/// the non-filler query words (or the query has none); `None` otherwise.
pub fn snippet_if_covered(text: &str, q: &AnalysedQuery) -> Option<String> {
    let (sp, found) = spans(text, q);
    let required = required(q);
    if required != 0 && found & required == 0 {
        return None;
    }
    window(text, &sp)
}

fn window(text: &str, sp: &[(usize, usize)]) -> Option<String> {
    let first = sp.first()?;
    let start = floor_char(text, first.0.saturating_sub(SNIPPET_CHARS / 3));
    let start = text[start..first.0]
        .find(char::is_whitespace)
        .map_or(start, |i| start + i + 1)
        .min(first.0);
    let mut end = text.len();
    if let Some((i, _)) = text[start..].char_indices().nth(SNIPPET_CHARS) {
        end = start + i;
        end = text[end..]
            .find(char::is_whitespace)
            .map_or(text.len(), |j| end + j);
    }
    let inner: Vec<(usize, usize)> = sp
        .iter()
        .filter(|(s, e)| *s >= start && *e <= end)
        .map(|(s, e)| (s - start, e - start))
        .collect();
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    out.push_str(&render(&text[start..end], &inner));
    if end < text.len() {
        out.push('…');
    }
    Some(out)
}

fn floor_char(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::analyse;

    #[test]
    fn folded_query_words_mark_accented_words() {
        let (h, n) = highlight_all("Thủ tục đăng ký khai sinh", &analyse("dang ky khai"));
        assert_eq!(h, "Thủ tục <mark>đăng ký khai</mark> sinh");
        assert_eq!(n, 3);
    }

    #[test]
    fn highlights_are_html_escaped() {
        let (h, _) = highlight_all("<b>khai</b> & sinh", &analyse("khai"));
        assert_eq!(h, "&lt;b&gt;<mark>khai</mark>&lt;/b&gt; &amp; sinh");
    }

    #[test]
    fn snippets_cut_long_text_around_the_first_match() {
        let long = format!("{} giấy chứng sinh {}", "a ".repeat(200), "b ".repeat(200));
        let s = snippet_if_covered(&long, &analyse("chung sinh")).expect("a match");
        assert!(s.starts_with('…') && s.ends_with('…'));
        assert!(s.contains("<mark>chứng sinh</mark>"));
        assert!(snippet_if_covered("nothing here", &analyse("khai")).is_none());
    }
}
