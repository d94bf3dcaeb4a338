//! Cell-level parsers shared by every importer: a time limit ("5 Ngày làm việc"), a fee
//! ("500,000 Việt Nam Đồng(/lần)", "Phí : 50.000 Đồng", "Miễn phí"), document counts
//! ("Bản chính: 1\nBản sao: 0", "1 bản chính,1 bản sao") and template file names.
//!
//! Each scanner works on a prefix of its input and returns how many bytes it consumed, so
//! that the flattened-table tokenizers in [`crate::tables`] can walk glued text. None of them
//! panics on any input (see the proptest and the fuzz target).

use thutuc_domain::procedure::{Duration, Fee, FeeKind, TimeUnit};
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
const CURRENCIES: [(&str, &str); 7] = [
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

fn skip_spaces(s: &str) -> usize {
    s.len() - s.trim_start().len()
}

/// Length of a leading run of digits, with `.`/`,` allowed between digits.
fn number_len(s: &str) -> usize {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() {
            i += 1;
        } else if (b[i] == b'.' || b[i] == b',') && i > 0 && i + 1 < b.len() && b[i + 1].is_ascii_digit() {
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
    if groups.iter().any(|g| g.is_empty() || !g.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    if groups.len() > 1 && (groups[0].len() > 3 || groups[1..].iter().any(|g| g.len() != 3)) {
        return None;
    }
    groups.concat().parse::<i64>().ok()
}

/// Whether `digits` is a well-formed amount (no leading zero unless it is "0").
fn well_formed_amount(digits: &str) -> bool {
    parse_amount(digits).is_some() && (digits == "0" || !digits.starts_with('0'))
}

/// Scans a currency word at the start of `s` (after optional spaces).
pub fn scan_currency(s: &str) -> Option<(&'static str, usize)> {
    let sp = skip_spaces(s);
    let rest = &s[sp..];
    CURRENCIES.iter().find_map(|(word, iso)| {
        let n = match_label(rest, word)?;
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
        Some((tok, n)) if cell[n..].trim().is_empty() || matches!(tok, TimeToken::Known(_)) => Ok(match tok {
            TimeToken::Known(d) => Some(d),
            TimeToken::Bare(v) => Some(Duration { value: v, unit: TimeUnit::Unknown }),
            TimeToken::GluedToFee(_) | TimeToken::NotStated => None,
        }),
        _ => Err(format!("thời hạn không đọc được: «{cell}»")),
    }
}

/// Returns the inside of a balanced parenthesised group at the start of `s` (after optional
/// spaces) and the bytes consumed; an unclosed group runs to the end of `s`.
pub fn paren_group(s: &str) -> Option<(&str, usize)> {
    let sp = skip_spaces(s);
    let rest = &s[sp..];
    if !rest.starts_with('(') {
        return None;
    }
    let mut depth = 0usize;
    for (i, c) in rest.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Some((&rest[1..i], sp + i + 1));
                }
            }
            _ => {}
        }
    }
    Some((&rest[1..], s.len()))
}

/// Whether a fee text defers to another rule ("Theo quy định của Bộ Tài chính", "do Hội
/// đồng nhân dân tỉnh quyết định"): a 0 amount with such text is not free.
pub fn defers_elsewhere(text: &str) -> bool {
    let f = fold(text);
    ["theo quy dinh", "hoi dong nhan dan", "hdnd", "bo tai chinh", "theo muc thu", "quy dinh tai"]
        .iter()
        .any(|k| f.contains(k))
}

/// Fills `per` and `description` of a fee from its parenthesised note: "(/lần)",
/// "(/hồ sơ (Thông tư số …))", "((áp dụng mức phí …))", "(Đồng (Mức lệ phí …))".
fn apply_note(fee: &mut Fee, note: &str) {
    let mut note = note.trim();
    if let Some(rest) = note.strip_prefix('/') {
        let (per, desc) = match rest.find('(') {
            Some(i) => (rest[..i].trim(), rest[i..].trim()),
            None => (rest.trim(), ""),
        };
        if !per.is_empty() {
            fee.per = Some(per.to_string());
        }
        note = desc;
    } else if let Some((_, n)) = scan_currency(note) {
        // "(Đồng (…))": a stray currency word before the real note.
        if note[n..].trim_start().starts_with('(') {
            note = note[n..].trim();
        }
    }
    let note = strip_outer_parens(note);
    if !note.is_empty() {
        if !fee.description.is_empty() {
            fee.description.push(' ');
        }
        fee.description.push_str(note);
    }
}

fn strip_outer_parens(mut s: &str) -> &str {
    while let Some((inner, n)) = paren_group(s) {
        if n != s.len() {
            break;
        }
        s = inner.trim();
    }
    s
}

/// Scans one fee at the start of `s`: an optional "Phí :" / "Lệ phí :" label, then
/// "Miễn phí" or an amount with a currency word, then an optional note in parentheses.
pub fn scan_fee(s: &str) -> Option<(Fee, usize)> {
    let mut pos = skip_spaces(s);
    let mut kind = FeeKind::Unspecified;
    for (label, k) in [("Lệ phí", FeeKind::StateFee), ("Phí", FeeKind::Charge)] {
        if let Some(n) = match_label(&s[pos..], label) {
            let after = &s[pos + n..];
            let sp = skip_spaces(after);
            if after[sp..].starts_with(':') {
                kind = k;
                pos += n + sp + 1;
                pos += skip_spaces(&s[pos..]);
            }
            break;
        }
    }
    let mut fee = Fee { kind, amount: None, currency: "VND".into(), per: None, description: String::new(), defined_elsewhere: false };
    if let Some(n) = match_label(&s[pos..], "Miễn phí") {
        fee.amount = Some(0);
        pos += n;
    } else {
        let rest = &s[pos..];
        let n = number_len(rest);
        let amount = parse_amount(&rest[..n])?;
        let (iso, m) = scan_currency(&rest[n..])?;
        fee.amount = Some(amount);
        fee.currency = iso.to_string();
        pos += n + m;
        // "đồng/hồ sơ": a unit written after a slash.
        if let Some(after) = s[pos..].strip_prefix('/') {
            let end = after.find(['(', ';', '.', ',']).unwrap_or(after.len()).min(40);
            let end = (0..=end).rev().find(|&i| after.is_char_boundary(i)).unwrap_or(0);
            let per = after[..end].trim();
            if !per.is_empty() {
                fee.per = Some(per.to_string());
            }
            pos += 1 + end;
        }
    }
    if let Some((note, n)) = paren_group(&s[pos..]) {
        apply_note(&mut fee, note);
        pos += n;
    }
    finish_fee(&mut fee);
    Some((fee, pos))
}

/// Sets `defined_elsewhere` when a zero or missing amount defers to another rule.
pub fn finish_fee(fee: &mut Fee) {
    fee.description = thutuc_domain::text::clean_inline(&fee.description);
    if matches!(fee.amount, Some(0) | None) && defers_elsewhere(&fee.description) {
        fee.defined_elsewhere = true;
    }
}

/// Parses a structured fee cell ("Phí : 0 Đồng", "Lệ phí : 10 USD (…)", several lines,
/// "Phí : Mức thu bằng 50% … Đồng (…)", "File đính kèm: x.pdf").
///
/// Returns the fees and, when some line could not be read as an amount, a message.
pub fn parse_fee_cell(cell: &str) -> (Vec<Fee>, Option<String>) {
    let cell = thutuc_domain::text::clean(cell);
    let mut fees: Vec<Fee> = Vec::new();
    let mut problem = None;
    for line in cell.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if let Some((fee, _)) = scan_fee(line) {
            fees.push(fee);
            continue;
        }
        if let Some(prev) = fees.last_mut().filter(|_| fold(line).starts_with("file dinh kem")) {
            prev.description = format!("{} {line}", prev.description).trim().to_string();
            continue;
        }
        fees.push(free_text_fee(line));
        if fees.last().is_some_and(|f| f.amount.is_none() && !f.defined_elsewhere) {
            problem = Some(format!("phí không đọc được số tiền: «{line}»"));
        }
    }
    (fees, problem)
}

/// A fee line with a label but no readable amount: "Phí : Không Đồng" (free),
/// "Phí :  Đồng (Theo quy định …)" (defined elsewhere), "Phí : Mức thu bằng 50% … Đồng".
fn free_text_fee(line: &str) -> Fee {
    let (kind, value) = if let Some(v) = strip_label(line, "Lệ phí") {
        (FeeKind::StateFee, v)
    } else if let Some(v) = strip_label(line, "Phí") {
        (FeeKind::Charge, v)
    } else {
        (FeeKind::Unspecified, line)
    };
    // Split off the trailing note in parentheses and the currency word before it.
    let (body, note) = match value.find(" (").or_else(|| value.find('(')) {
        Some(i) => (&value[..i], &value[i..]),
        None => (value, ""),
    };
    let mut body = body.trim().to_string();
    let mut currency = "VND".to_string();
    for (word, iso) in CURRENCIES {
        let f = fold(&body);
        if f.ends_with(&fold(word)) && body.chars().count() >= word.chars().count() {
            let keep = body.chars().count() - word.chars().count();
            body = body.chars().take(keep).collect::<String>().trim().to_string();
            currency = iso.to_string();
            break;
        }
    }
    let mut fee = Fee { kind, amount: None, currency, per: None, description: String::new(), defined_elsewhere: false };
    if fold(&body) == "khong" {
        fee.amount = Some(0);
    } else {
        fee.description = body;
    }
    if let Some((inner, _)) = paren_group(note) {
        apply_note(&mut fee, inner);
    }
    finish_fee(&mut fee);
    fee
}

fn strip_label<'a>(line: &'a str, label: &str) -> Option<&'a str> {
    let n = match_label(line, label)?;
    let rest = line[n..].trim_start();
    rest.strip_prefix(':').map(str::trim)
}

/// Document counts: `(originals, copies)` from "Bản chính: 1\nBản sao: 0" or
/// "1 bản chính,1 bản sao"; `None` when the text holds neither.
pub fn parse_counts(s: &str) -> Option<(u32, u32)> {
    let f = fold(s);
    let find = |label: &str| -> Option<u32> {
        // "bản chính: 1" or "1 bản chính"
        let i = f.find(label)?;
        let after = f[i + label.len()..].trim_start().strip_prefix(':').map(str::trim_start);
        if let Some(a) = after {
            let n = a.bytes().take_while(u8::is_ascii_digit).count();
            return a[..n].parse().ok();
        }
        let before = f[..i].trim_end();
        let digits: String = before.chars().rev().take_while(char::is_ascii_digit).collect();
        digits.chars().rev().collect::<String>().parse().ok()
    };
    let o = find("ban chinh");
    let c = find("ban sao");
    (o.is_some() || c.is_some()).then(|| (o.unwrap_or(0), c.unwrap_or(0)))
}

/// File extensions recognised as attached templates (mẫu đơn, tờ khai).
pub const TEMPLATE_EXTENSIONS: [&str; 7] = [".docx", ".doc", ".pdf", ".xlsx", ".xls", ".rar", ".zip"];

/// Splits text made of glued file names ("Mẫu 01.docxMẫu 02.doc") or one name per line.
pub fn split_file_names(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in s.lines() {
        let lower = line.to_lowercase();
        let mut start = 0;
        let mut i = 0;
        while i < lower.len() {
            let hit = TEMPLATE_EXTENSIONS.iter().find(|e| lower[i..].starts_with(*e));
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

    #[test]
    fn times_with_units_are_recognised() {
        let (t, n) = scan_time("5 Ngày làm việcMiễn phí").expect("time");
        assert_eq!(t, TimeToken::Known(Duration { value: 5.0, unit: TimeUnit::WorkingDay }));
        assert_eq!(&"5 Ngày làm việcMiễn phí"[n..], "Miễn phí");
        assert!(matches!(scan_time("7Miễn phí"), Some((TimeToken::Bare(v), 1)) if v == 7.0));
        assert!(matches!(scan_time("Không có thông tin10 USD"), Some((TimeToken::NotStated, _))));
        assert!(matches!(scan_time("1200 VNĐ"), Some((TimeToken::GluedToFee(d), 4)) if d == "1200"));
        assert_eq!(parse_time_cell("01 Giờ"), Ok(Some(Duration { value: 1.0, unit: TimeUnit::Hour })));
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
        assert_eq!((f.amount, f.currency.as_str(), f.per.as_deref()), (Some(10), "USD", Some("bản")));
        let (f, _) = scan_fee("Phí : 50.000 Đồng").expect("fee");
        assert_eq!((f.amount, f.kind), (Some(50_000), FeeKind::Charge));
        let (f, _) = scan_fee("Miễn phí(Mức lệ phí cụ thể do Hội đồng nhân dân tỉnh quyết định.)").expect("fee");
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
        assert_eq!(split_file_names("Mẫu 01.docxMẫu 02.doc"), vec!["Mẫu 01.docx", "Mẫu 02.doc"]);
    }
}
