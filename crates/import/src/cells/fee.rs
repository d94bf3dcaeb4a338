//! Fee cells: "500,000 Việt Nam Đồng(/lần)", "Miễn phí(…)", "Phí : 50.000 Đồng", several
//! "Lệ phí : 10 USD (…)" lines, and notes that defer the amount to another rule.

use thutuc_domain::procedure::{Fee, FeeKind};
use thutuc_domain::text::fold;

use super::{
    CURRENCIES, match_label, match_prefix, number_len, parse_amount, scan_currency, skip_spaces,
};

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
    [
        "theo quy dinh",
        "hoi dong nhan dan",
        "hdnd",
        "bo tai chinh",
        "theo muc thu",
        "quy dinh tai",
        "thong tu",
        "nghi dinh",
    ]
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
    let mut fee = Fee {
        kind,
        amount: None,
        currency: "VND".into(),
        per: None,
        description: String::new(),
        defined_elsewhere: false,
    };
    if let Some(n) = match_prefix(&s[pos..], "Miễn phí") {
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
            let end = after
                .find(['(', ';', '.', ','])
                .unwrap_or(after.len())
                .min(40);
            let end = (0..=end)
                .rev()
                .find(|&i| after.is_char_boundary(i))
                .unwrap_or(0);
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
        if let Some(prev) = fees
            .last_mut()
            .filter(|_| fold(line).starts_with("file dinh kem"))
        {
            prev.description = format!("{} {line}", prev.description).trim().to_string();
            continue;
        }
        fees.push(free_text_fee(line));
        // "Phí :  Đồng": the cell states no amount at all, which is not a parse failure.
        if fees.last().is_some_and(|f| {
            f.amount.is_none() && !f.defined_elsewhere && !f.description.is_empty()
        }) {
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
            body = body
                .chars()
                .take(keep)
                .collect::<String>()
                .trim()
                .to_string();
            currency = iso.to_string();
            break;
        }
    }
    let mut fee = Fee {
        kind,
        amount: None,
        currency,
        per: None,
        description: String::new(),
        defined_elsewhere: false,
    };
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
