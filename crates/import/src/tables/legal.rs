//! "Căn cứ pháp lý" (Tên văn bản pháp lý · Mã văn bản, glued) and "Kết quả xử lý"
//! ("<name>Mã: KQ.G15.000033…").
//!
//! A legal-basis row ends with its document number. A number ends a row when it is glued to
//! the next title ("…QH13Luật…"), repeated ("Luật 65/2006/QH1165/2006/QH11": title tail +
//! number cell), followed by a capitalised word, or at the end of the table. Numbers inside
//! titles ("Nghị định số 123/2015/NĐ-CP ngày…") are followed by lower-case words.

use std::sync::LazyLock;

use regex::Regex;
use thutuc_domain::codes::normalize_doc_number;
use thutuc_domain::procedure::{LegalBasis, ResultDoc};
use thutuc_domain::text::{clean, clean_inline, fold};

use super::{Issue, cut_at};

const FURNITURE: [&str; 6] = [
    "Cơ quan thực hiện",
    "Yêu cầu, điều kiện thực hiện",
    "Kết quả xử lý",
    "Từ khóa",
    "Chọn cơ quan thực hiện",
    "Trang chủ",
];
const HEADERS: [&str; 5] = [
    "Tên văn bản pháp lý",
    "Mã văn bản",
    "Trích yếu",
    "Ngày ban hành",
    "Cơ quan ban hành",
];

/// A document number found in text: byte range of the number cell and of the title end.
struct NumberHit {
    /// Where the title ends (start of the number cell, or end of the first copy when repeated).
    title_end: usize,
    /// The number cell.
    start: usize,
    end: usize,
}

/// Parses a flattened "Căn cứ pháp lý" table.
pub fn parse_legal_bases(raw: &str) -> (Vec<LegalBasis>, Vec<Issue>) {
    let text = clean(raw);
    let mut body = cut_at(&text, &FURNITURE);
    'strip: loop {
        for h in HEADERS {
            if let Some(r) = body.strip_prefix(h) {
                body = r;
                continue 'strip;
            }
        }
        break;
    }
    let mut out = Vec::new();
    let mut prev = 0;
    for hit in row_ends(body) {
        if hit.start < prev {
            continue;
        }
        let title_raw = &body[prev..hit.title_end];
        let number_cell = &body[hit.start..hit.end];
        let (title, _) = split_code_cell(title_raw);
        push(&mut out, title, number_cell);
        prev = hit.end;
    }
    let tail = clean_inline(&body[prev..]);
    if !tail.is_empty() {
        out.push(LegalBasis {
            number: None,
            title: tail,
            article: None,
        });
    }
    (out, Vec::new())
}

fn push(out: &mut Vec<LegalBasis>, title: &str, number_cell: &str) {
    let number = normalize_doc_number(number_cell)
        .or_else(|| normalize_doc_number(&strip_doc_words(number_cell)));
    let mut title = clean_inline(title.trim().trim_end_matches(['-', ' ', ';']));
    if title.is_empty() {
        title = clean_inline(number_cell);
    }
    out.push(LegalBasis {
        number,
        title,
        article: None,
    });
}

/// "Nghị định số 85/2013/NĐ-CP" → "85/2013/NĐ-CP".
fn strip_doc_words(s: &str) -> String {
    s.split_whitespace()
        .find(|w| w.contains('/') && w.starts_with(|c: char| c.is_ascii_digit()))
        .unwrap_or(s)
        .to_string()
}

/// When a title ends with a glued code cell written with words ("…tư phápNghị định số
/// 85/2013/NĐ-CP"), returns the title without it.
fn split_code_cell(title: &str) -> (&str, &str) {
    let mut prev: Option<char> = None;
    let mut cut = None;
    for (i, c) in title.char_indices() {
        if let Some(p) = prev
            && (p.is_lowercase() || matches!(p, '.' | ')' | ';'))
            && c.is_uppercase()
            && title.len() - i <= 40
        {
            let f = fold(&title[i..]);
            if ["nghi dinh", "thong tu", "luat", "quyet dinh", "nghi quyet"]
                .iter()
                .any(|k| f.starts_with(k))
            {
                cut = Some(i);
            }
        }
        prev = Some(c);
    }
    match cut {
        Some(i) => (&title[..i], &title[i..]),
        None => (title, ""),
    }
}

/// Finds every document number that ends a row.
fn row_ends(body: &str) -> Vec<NumberHit> {
    let mut hits = Vec::new();
    let mut from = 0;
    while let Some(off) = body[from..].find('/') {
        let slash = from + off;
        from = slash + 1;
        let Some((start, end)) = number_at(body, slash) else {
            continue;
        };
        if hits.last().is_some_and(|h: &NumberHit| start < h.end) {
            continue;
        }
        // Repeated: "<number><number>" → the first copy ends the title, the second is the cell.
        let cell = &body[start..end];
        if let Some(len) = (5..=cell.len().min(60)).find(|&l| {
            body.is_char_boundary(start + l)
                && body.len() >= start + 2 * l
                && body.is_char_boundary(start + 2 * l)
                && body[start + l..].starts_with(&body[start..start + l])
                && body[start..start + l].find('/').is_some_and(|k| {
                    number_at(body, start + k).is_some_and(|(_, e)| e >= start + l)
                })
        }) {
            hits.push(NumberHit {
                title_end: start + len,
                start: start + len,
                end: start + 2 * len,
            });
            from = start + 2 * len;
            continue;
        }
        let next = body[end..].chars().next();
        let ends_row = match next {
            None => true,
            Some(c) if c.is_alphabetic() => true,
            Some('\n') => true,
            Some(' ') => body[end + 1..]
                .chars()
                .next()
                .is_some_and(char::is_uppercase),
            _ => false,
        };
        if ends_row {
            hits.push(NumberHit {
                title_end: start,
                start,
                end,
            });
            from = end;
        }
    }
    hits
}

/// The document number around the slash at `slash`: digits before it (a glued year
/// "năm 201213/2012/QH13" is dropped), an optional year, then an upper-case symbol.
fn number_at(body: &str, slash: usize) -> Option<(usize, usize)> {
    let b = body.as_bytes();
    if b.get(slash) != Some(&b'/') {
        return None;
    }
    let mut start = slash;
    while start > 0
        && (b[start - 1].is_ascii_digit()
            || (b[start - 1] == b'.' && start >= 2 && b[start - 2].is_ascii_digit()))
    {
        start -= 1;
    }
    if start == slash {
        return None;
    }
    let run = &body[start..slash];
    if run.len() > 4 && !run.contains('.') && fold(&body[..start]).trim_end().ends_with("nam") {
        start += 4;
    }
    let mut pos = slash + 1;
    // optional year
    if b.len() >= pos + 5 && b[pos..pos + 4].iter().all(u8::is_ascii_digit) && b[pos + 4] == b'/' {
        pos += 5;
    }
    let sym_start = pos;
    let mut last_upper: Option<usize> = None;
    for (i, c) in body[sym_start..].char_indices() {
        let at = sym_start + i;
        let ok = if c.is_uppercase() || c.is_ascii_digit() {
            true
        } else if c == 'g' {
            body[..at].ends_with("TT")
        } else if matches!(c, '-' | '/') {
            body[at + 1..]
                .chars()
                .next()
                .is_some_and(|n| n.is_uppercase())
        } else {
            false
        };
        if !ok {
            break;
        }
        if c.is_uppercase() {
            last_upper = Some(at);
        }
        pos = at + c.len_utf8();
    }
    if pos == sym_start || !body[sym_start..].starts_with(|c: char| c.is_uppercase()) {
        return None;
    }
    // A capital glued to a lower-case letter begins the next title: give it back.
    if body[pos..].chars().next().is_some_and(char::is_lowercase)
        && let Some(u) = last_upper.filter(|&u| u > sym_start && body[u..pos].chars().count() == 1)
    {
        pos = u;
    }
    (pos > sym_start).then_some((start, pos))
}

static KQ: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(KQ\.[A-Z0-9]+\.\d+|[0-9]+)").unwrap_or_else(|e| panic!("static regex: {e}"))
});

/// Parses "Kết quả xử lý": names each followed by "Mã: <code>".
pub fn parse_results(raw: &str) -> Vec<ResultDoc> {
    let text = clean(raw);
    let body = cut_at(&text, &["Từ khóa", "Mô tả", "Chọn cơ quan thực hiện"]);
    if crate::record::is_no_info(body) {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut rest = body;
    while let Some(i) = rest.find("Mã:") {
        let name = clean_inline(&rest[..i]);
        let after = rest[i + "Mã:".len()..].trim_start();
        let code = KQ.find(after).map(|m| m.as_str().to_string());
        let used = code.as_ref().map_or(0, String::len);
        if !name.is_empty() {
            out.push(ResultDoc {
                name,
                kq_code: code,
            });
        }
        rest = &after[used..];
    }
    let tail = clean_inline(rest);
    if !tail.is_empty() {
        out.push(ResultDoc {
            name: tail,
            kq_code: None,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_and_glued_numbers_end_rows() {
        let (b, _) = parse_legal_bases(
            "Tên văn bản pháp lýMã văn bảnThông tư 01/2010/TT-BTP01/2010/TT-BTPLuật Giám định tư pháp năm 201213/2012/QH13Nghị định số 123/2015/NĐ-CP ngày 15/11/2015 của Chính phủ123/2015/NĐ-CP",
        );
        let numbers: Vec<_> = b
            .iter()
            .map(|x| x.number.clone().unwrap_or_default())
            .collect();
        assert_eq!(
            numbers,
            vec!["01/2010/TT-BTP", "13/2012/QH13", "123/2015/NĐ-CP"]
        );
        assert_eq!(b[1].title, "Luật Giám định tư pháp năm 2012");
    }

    #[test]
    fn results_keep_their_kq_codes() {
        let r = parse_results(
            "Trích lục đăng ký nhận cha, mẹ, conMã: KQ.G15.000033Từ khóaKhông có thông tin",
        );
        assert_eq!(
            r,
            vec![ResultDoc {
                name: "Trích lục đăng ký nhận cha, mẹ, con".into(),
                kq_code: Some("KQ.G15.000033".into())
            }]
        );
    }
}
