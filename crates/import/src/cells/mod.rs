//! Cell-level parsers shared by every importer: a time limit ("5 Ngày làm việc"), a fee
//! ("500,000 Việt Nam Đồng(/lần)", "Phí : 50.000 Đồng", "Miễn phí"), document counts
//! ("Bản chính: 1\nBản sao: 0", "1 bản chính,1 bản sao") and template file names.
//!
//! Each scanner works on a prefix of its input and returns how many bytes it consumed, so
//! that the flattened-table tokenizers in [`crate::tables`] can walk glued text. None of them
//! panics on any input (see the proptest and the fuzz target).

mod fee;

pub use fee::{defers_elsewhere, finish_fee, paren_group, parse_fee_cell, scan_fee};
use thutuc_domain::procedure::{Duration, TimeUnit};
use thutuc_domain::text::fold;

/// "Không có thông tin": the portal's marker for an empty cell.
pub const NO_INFO: &str = "Không có thông tin";

/// A time-limit token found at the start of a cell.
#[derive(Debug, Clone, PartialEq)]
pub enum TimeToken {
    /// A number with a recognised unit.
    Known(Duration),
    /// A number with no unit: kept as [`TimeUnit::Unknown`] and flagged by the caller.
    Bare(f64),
    /// Digits glued to a following currency word ("1200 VNĐ"): the split between the
    /// time and the fee amount is ambiguous; the raw digits are returned.
    GluedToFee(String),
    /// "Không có thông tin", "Không quy định": the source states no time limit.
    NotStated,
}

const UNITS: [(&str, TimeUnit); 7] = [
    ("ngày làm việc", TimeUnit::WorkingDay),
    ("ngày", TimeUnit::CalendarDay),
    ("giờ", TimeUnit::Hour),
    ("tháng", TimeUnit::Month),
    ("năm", TimeUnit::Year),
    ("working_day", TimeUnit::WorkingDay),
    ("day", TimeUnit::CalendarDay),
];

const NOT_STATED: [&str; 3] = [NO_INFO, "Không quy định", "Không"];

/// Currency words, longest first, with their ISO code.
pub(crate) const CURRENCIES: [(&str, &str); 7] = [
    ("việt nam đồng", "VND"),
    ("vnđ", "VND"),
    ("vnd", "VND"),
    ("đồng", "VND"),
    ("usd", "USD"),
    ("đ", "VND"),
    ("$", "USD"),
];

/// Case- and accent-insensitive prefix match of `label` at the start of `s`; returns the
/// number of bytes of `s` it covers. A label must end at a word boundary: the next
/// character may not be a lower-case letter (an upper-case one starts a glued cell).
pub fn match_label(s: &str, label: &str) -> Option<usize> {
    let want = fold(label);
    let mut got = String::new();
    let mut end = 0;
    for (i, c) in s.char_indices() {
        if got.len() >= want.len() {
            break;
        }
        got.push_str(&fold(&c.to_string()));
        end = i + c.len_utf8();
    }
    if got != want {
        return None;
    }
    let boundary = s[end..].chars().next().is_none_or(|c| !c.is_lowercase());
    boundary.then_some(end)
}

/// Like [`match_label`] without the word-boundary check, for labels that cannot be the start
/// of a longer word ("Việt Nam Đồng", "Miễn phí") and are often glued to lower-case text.
pub fn match_prefix(s: &str, label: &str) -> Option<usize> {
    let want = fold(label);
    let mut got = String::new();
    for (i, c) in s.char_indices() {
        got.push_str(&fold(&c.to_string()));
        if got.len() >= want.len() {
            return (got == want).then_some(i + c.len_utf8());
        }
    }
    None
}

pub(crate) fn skip_spaces(s: &str) -> usize {
    s.len() - s.trim_start().len()
}

/// Length of a leading run of digits, with `.`/`,` allowed between digits.
pub(crate) fn number_len(s: &str) -> usize {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let separator =
            (b[i] == b'.' || b[i] == b',') && i > 0 && i + 1 < b.len() && b[i + 1].is_ascii_digit();
        if b[i].is_ascii_digit() || separator {
            i += 1;
        } else {
            break;
        }
    }
    i
}

/// Parses a decimal such as "5", "0,5", "1.5" (used for time values).
fn parse_decimal(s: &str) -> Option<f64> {
    let t = s.replace(',', ".");
    if t.matches('.').count() > 1 {
        return None;
    }
    t.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// Parses an amount with `.` or `,` as thousands separators: "500,000", "50.000", "1200".
///
/// A separator followed by something other than exactly three digits makes the amount
/// invalid, so decimals are never silently multiplied.
pub fn parse_amount(s: &str) -> Option<i64> {
    let s = s.trim();
    if s.is_empty() || !s.as_bytes()[0].is_ascii_digit() {
        return None;
    }
    let groups: Vec<&str> = s.split(['.', ',']).collect();
    if groups
        .iter()
        .any(|g| g.is_empty() || !g.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    if groups.len() > 1 && (groups[0].len() > 3 || groups[1..].iter().any(|g| g.len() != 3)) {
        return None;
    }
    groups.concat().parse::<i64>().ok()
}

/// Whether `digits` is a well-formed amount (no leading zero unless it is "0").
pub fn well_formed_amount(digits: &str) -> bool {
    parse_amount(digits).is_some() && (digits == "0" || !digits.starts_with('0'))
}

/// Scans a currency word at the start of `s` (after optional spaces).
pub fn scan_currency(s: &str) -> Option<(&'static str, usize)> {
    let sp = skip_spaces(s);
    let rest = &s[sp..];
    CURRENCIES.iter().find_map(|(word, iso)| {
        let n = if word.chars().count() >= 3 {
            match_prefix(rest, word)?
        } else {
            match_label(rest, word)?
        };
        Some((*iso, sp + n))
    })
}

/// Scans a time-limit token at the start of `s`.
pub fn scan_time(s: &str) -> Option<(TimeToken, usize)> {
    let sp = skip_spaces(s);
    let rest = &s[sp..];
    for marker in NOT_STATED {
        if let Some(n) = match_label(rest, marker) {
            // "Không" alone only counts when nothing else follows on the line.
            if marker == "Không" && !rest[n..].trim().is_empty() {
                continue;
            }
            return Some((TimeToken::NotStated, sp + n));
        }
    }
    let n = number_len(rest);
    if n == 0 {
        return None;
    }
    let digits = &rest[..n];
    let after = &rest[n..];
    let gap = skip_spaces(after);
    for (label, unit) in UNITS {
        if let Some(m) = match_label(&after[gap..], label) {
            let value = parse_decimal(digits)?;
            return Some((TimeToken::Known(Duration { value, unit }), sp + n + gap + m));
        }
    }
    if scan_currency(after).is_some() {
        return Some((TimeToken::GluedToFee(digits.to_string()), sp + n));
    }
    let value = parse_decimal(digits)?;
    Some((TimeToken::Bare(value), sp + n))
}

/// Parses a whole time cell ("30 Ngày làm việc", "01 Giờ", "Không quy định").
///
/// `Ok(None)`: the cell states no time. `Ok(Some(d))` with `d.unit == Unknown`: a bare
/// number (the caller flags it). `Err`: free text that is not a time limit.
pub fn parse_time_cell(cell: &str) -> Result<Option<Duration>, String> {
    let cell = thutuc_domain::text::clean_inline(cell);
    if cell.is_empty() {
        return Ok(None);
    }
    match scan_time(&cell) {
        Some((tok, n)) if cell[n..].trim().is_empty() || matches!(tok, TimeToken::Known(_)) => {
            Ok(match tok {
                TimeToken::Known(d) => Some(d),
                TimeToken::Bare(v) => Some(Duration {
                    value: v,
                    unit: TimeUnit::Unknown,
                }),
                TimeToken::GluedToFee(_) | TimeToken::NotStated => None,
            })
        }
        _ => Err(format!("thời hạn không đọc được: «{cell}»")),
    }
}

/// Document counts: `(originals, copies)` from "Bản chính: 1\nBản sao: 0" or
/// "1 bản chính,1 bản sao"; `None` when the text holds neither.
pub fn parse_counts(s: &str) -> Option<(u32, u32)> {
    let f = fold(s);
    let find = |label: &str| -> Option<u32> {
        // "bản chính: 1" or "1 bản chính"
        let i = f.find(label)?;
        let after = f[i + label.len()..]
            .trim_start()
            .strip_prefix(':')
            .map(str::trim_start);
        if let Some(a) = after {
            let n = a.bytes().take_while(u8::is_ascii_digit).count();
            return a[..n].parse().ok();
        }
        let before = f[..i].trim_end();
        let digits: String = before
            .chars()
            .rev()
            .take_while(char::is_ascii_digit)
            .collect();
        digits.chars().rev().collect::<String>().parse().ok()
    };
    let o = find("ban chinh");
    let c = find("ban sao");
    (o.is_some() || c.is_some()).then(|| (o.unwrap_or(0), c.unwrap_or(0)))
}

/// File extensions recognised as attached templates (mẫu đơn, tờ khai).
pub const TEMPLATE_EXTENSIONS: [&str; 7] =
    [".docx", ".doc", ".pdf", ".xlsx", ".xls", ".rar", ".zip"];

/// Splits text made of glued file names ("Mẫu 01.docxMẫu 02.doc") or one name per line.
pub fn split_file_names(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in s.lines() {
        let lower = line.to_lowercase();
        let mut start = 0;
        let mut i = 0;
        while i < lower.len() {
            let hit = TEMPLATE_EXTENSIONS
                .iter()
                .find(|e| lower[i..].starts_with(*e));
            match hit {
                Some(ext) => {
                    let end = i + ext.len();
                    if line.is_char_boundary(start) && line.is_char_boundary(end) {
                        let name = line[start..end].trim();
                        if !name.is_empty() {
                            out.push(name.to_string());
                        }
                    }
                    start = end;
                    i = end;
                }
                None => i += lower[i..].chars().next().map_or(1, char::len_utf8),
            }
        }
        if line.is_char_boundary(start) {
            let tail = line[start..].trim();
            if !tail.is_empty() && out.is_empty() {
                out.push(tail.to_string());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use thutuc_domain::procedure::FeeKind;

    #[test]
    fn times_with_units_are_recognised() {
        let (t, n) = scan_time("5 Ngày làm việcMiễn phí").expect("time");
        assert_eq!(
            t,
            TimeToken::Known(Duration {
                value: 5.0,
                unit: TimeUnit::WorkingDay
            })
        );
        assert_eq!(&"5 Ngày làm việcMiễn phí"[n..], "Miễn phí");
        assert!(matches!(scan_time("7Miễn phí"), Some((TimeToken::Bare(v), 1)) if v == 7.0));
        assert!(matches!(
            scan_time("Không có thông tin10 USD"),
            Some((TimeToken::NotStated, _))
        ));
        assert!(
            matches!(scan_time("1200 VNĐ"), Some((TimeToken::GluedToFee(d), 4)) if d == "1200")
        );
        assert_eq!(
            parse_time_cell("01 Giờ"),
            Ok(Some(Duration {
                value: 1.0,
                unit: TimeUnit::Hour
            }))
        );
        assert_eq!(parse_time_cell("Không quy định"), Ok(None));
    }

    #[test]
    fn amounts_accept_both_thousands_separators() {
        assert_eq!(parse_amount("500,000"), Some(500_000));
        assert_eq!(parse_amount("50.000"), Some(50_000));
        assert_eq!(parse_amount("1200"), Some(1200));
        assert_eq!(parse_amount("0,5"), None);
    }

    #[test]
    fn fees_carry_currency_unit_and_notes() {
        let (f, _) = scan_fee("10 USD(/bản)Tại cơ quan").expect("fee");
        assert_eq!(
            (f.amount, f.currency.as_str(), f.per.as_deref()),
            (Some(10), "USD", Some("bản"))
        );
        let (f, _) = scan_fee("Phí : 50.000 Đồng").expect("fee");
        assert_eq!((f.amount, f.kind), (Some(50_000), FeeKind::Charge));
        let (f, _) = scan_fee("Miễn phí(Mức lệ phí cụ thể do Hội đồng nhân dân tỉnh quyết định.)")
            .expect("fee");
        assert_eq!(f.amount, Some(0));
        assert!(f.defined_elsewhere);
    }

    #[test]
    fn counts_read_both_layouts() {
        assert_eq!(parse_counts("Bản chính: 1\nBản sao: 0"), Some((1, 0)));
        assert_eq!(parse_counts("0 bản chính,1 bản sao"), Some((0, 1)));
        assert_eq!(parse_counts("không rõ"), None);
    }

    #[test]
    fn glued_file_names_are_split() {
        assert_eq!(
            split_file_names("Mẫu 01.docxMẫu 02.doc"),
            vec!["Mẫu 01.docx", "Mẫu 02.doc"]
        );
    }
}
