//! "Cách thức thực hiện": header labels (Hình thức nộp · Thời gian · Phí, lệ phí · Mô tả)
//! followed by rows of method · time · fee(s) · description, all glued together.
//!
//! A row starts where a method label ("Trực tuyến", "Trực tiếp", "Dịch vụ bưu chính") is
//! immediately followed by a time cell: a number with a unit, "Không có thông tin", or a
//! bare number followed by a fee. This keeps method words inside descriptions ("Trực tiếp
//! tại Bộ phận Một cửa…") from splitting rows.

use thutuc_domain::procedure::{Channel, ChannelMethod, Duration, Fee, TimeUnit};
use thutuc_domain::text::clean;

use super::{Issue, IssueCode, excerpt};
use crate::cells::{NO_INFO, TimeToken, match_label, scan_fee, scan_time, well_formed_amount};

const HEADERS: [&str; 7] = [
    "Hình thức nộp",
    "Thời hạn giải quyết",
    "Thời gian",
    "Phí, lệ phí",
    "Phí",
    "Lệ phí",
    "Mô tả",
];

const METHODS: [(&str, ChannelMethod); 6] = [
    ("Trực tuyến", ChannelMethod::Online),
    ("Trực tiếp", ChannelMethod::Direct),
    ("Dịch vụ bưu chính", ChannelMethod::Postal),
    ("Qua dịch vụ bưu chính", ChannelMethod::Postal),
    ("Bưu chính", ChannelMethod::Postal),
    ("Qua bưu điện", ChannelMethod::Postal),
];

/// Parses a flattened "Cách thức thực hiện" table into channels.
pub fn parse_channels(raw: &str) -> (Vec<Channel>, Vec<Issue>) {
    let text = clean(raw);
    let mut issues = Vec::new();
    let body = strip_headers(&text);
    let starts = row_starts(body);
    if starts.is_empty() {
        if !body.trim().is_empty() || !text.is_empty() {
            issues.push(Issue::new(
                IssueCode::NoChannels,
                "không nhận ra hàng nào / no channel row found",
                excerpt(&text, 200),
            ));
        }
        return (Vec::new(), issues);
    }
    let lead = body[..starts[0].0].trim();
    if !lead.is_empty() {
        issues.push(Issue::new(
            IssueCode::LeadingText,
            "văn bản trước hàng đầu tiên / text before the first row",
            excerpt(lead, 200),
        ));
    }
    let mut channels = Vec::new();
    for (k, &(start, label_end, method)) in starts.iter().enumerate() {
        let end = starts.get(k + 1).map_or(body.len(), |s| s.0);
        let row = &body[label_end..end];
        let (ch, mut row_issues) = parse_row(method, row);
        channels.push(ch);
        for i in &mut row_issues {
            i.detail = format!("{} ({}): {}", method.label_vi(), k + 1, i.detail);
            if i.original.is_empty() {
                i.original = excerpt(&body[start..end], 200);
            }
        }
        issues.extend(row_issues);
    }
    (channels, issues)
}

/// Skips the header labels at the start of the table.
fn strip_headers(text: &str) -> &str {
    let mut rest = text.trim_start();
    'outer: loop {
        for h in HEADERS {
            if let Some(n) = match_label(rest, h).or_else(|| rest.starts_with(h).then_some(h.len()))
            {
                rest = rest[n..].trim_start();
                continue 'outer;
            }
        }
        return rest;
    }
}

/// Positions of row starts: (start of method label, end of label, method).
fn row_starts(body: &str) -> Vec<(usize, usize, ChannelMethod)> {
    let mut out: Vec<(usize, usize, ChannelMethod)> = Vec::new();
    for (i, _) in body.char_indices() {
        if out.last().is_some_and(|&(_, end, _)| i < end) {
            continue;
        }
        let rest = &body[i..];
        let Some((label, method)) = METHODS.iter().find(|(l, _)| rest.starts_with(l)) else {
            continue;
        };
        let after = &rest[label.len()..];
        if starts_a_row(after) {
            out.push((i, i + label.len(), *method));
        }
    }
    out
}

fn starts_a_row(after: &str) -> bool {
    match scan_time(after) {
        Some((TimeToken::Known(_) | TimeToken::NotStated, _)) => true,
        Some((TimeToken::GluedToFee(_), _)) => true,
        Some((TimeToken::Bare(_), n)) => fee_or_no_info(&after[n..]),
        None => false,
    }
}

fn fee_or_no_info(s: &str) -> bool {
    match_label(s.trim_start(), NO_INFO).is_some() || scan_fee(s).is_some()
}

/// Parses one row after its method label: time, then fees, then the description.
fn parse_row(method: ChannelMethod, row: &str) -> (Channel, Vec<Issue>) {
    let mut issues = Vec::new();
    let mut ch = Channel {
        method,
        time: None,
        fees: Vec::new(),
        description: String::new(),
    };
    let mut pos = 0;
    // Owned text for the fee part when the time had to be split off glued digits.
    let mut fee_text: Option<String> = None;
    match scan_time(row) {
        Some((TimeToken::Known(d), n)) => {
            ch.time = Some(d);
            pos = n;
        }
        Some((TimeToken::NotStated, n)) => pos = n,
        Some((TimeToken::Bare(v), n)) => {
            ch.time = Some(Duration {
                value: v,
                unit: TimeUnit::Unknown,
            });
            issues.push(Issue::new(
                IssueCode::UnitUnknown,
                format!("thời hạn {v} không có đơn vị / time without unit"),
                String::new(),
            ));
            pos = n;
        }
        Some((TimeToken::GluedToFee(digits), n)) => match split_glued(&digits) {
            Some((time, fee_digits)) => {
                ch.time = Some(Duration {
                    value: time,
                    unit: TimeUnit::Unknown,
                });
                issues.push(Issue::new(
                    IssueCode::TimeFeeAmbiguous,
                    format!("«{digits}» tách thành thời hạn {time} (không đơn vị) và phí {fee_digits} / guessed split"),
                    String::new(),
                ));
                fee_text = Some(format!("{fee_digits}{}", &row[n..]));
            }
            None => issues.push(Issue::new(
                IssueCode::TimeUnparsed,
                format!("không tách được «{digits}»"),
                String::new(),
            )),
        },
        None => issues.push(Issue::new(
            IssueCode::TimeUnparsed,
            "không đọc được thời hạn / unreadable time",
            excerpt(row, 120),
        )),
    }
    let rest: &str = match &fee_text {
        Some(t) => t,
        None => &row[pos..],
    };
    let (fees, used, explicit_none) = scan_fees(rest);
    ch.fees = fees;
    if ch.fees.is_empty() && !explicit_none {
        issues.push(Issue::new(
            IssueCode::FeeUnparsed,
            "không đọc được phí / unreadable fee",
            excerpt(rest, 120),
        ));
    }
    ch.description = clean(&rest[used..]);
    (ch, issues)
}

/// Scans consecutive fees; returns them, the bytes used and whether the cell said
/// "Không có thông tin".
fn scan_fees(s: &str) -> (Vec<Fee>, usize, bool) {
    let lead = s.len() - s.trim_start().len();
    if let Some(n) = match_label(&s[lead..], NO_INFO) {
        return (Vec::new(), lead + n, true);
    }
    let mut fees = Vec::new();
    let mut pos = 0;
    while let Some((fee, n)) = scan_fee(&s[pos..]) {
        fees.push(fee);
        pos += n;
        if n == 0 {
            break;
        }
    }
    (fees, pos, false)
}

/// Splits digits where a bare time is glued to a fee amount: the shortest time prefix whose
/// remainder is a well-formed amount (no leading zero). "1200" → (1, "200").
fn split_glued(digits: &str) -> Option<(f64, String)> {
    (1..digits.len()).find_map(|k| {
        let (t, f) = digits.split_at(k);
        if !t.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        well_formed_amount(f)
            .then(|| t.parse::<f64>().ok().map(|v| (v, f.to_string())))
            .flatten()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_free_channels_parse_with_working_days() {
        let (chs, issues) = parse_channels(
            "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến5 Ngày làm việcMiễn phíDịch vụ bưu chính5 Ngày làm việcMiễn phíTrực tiếp5 Ngày làm việcMiễn phí",
        );
        assert!(issues.is_empty(), "{issues:?}");
        assert_eq!(chs.len(), 3);
        assert!(chs.iter().all(|c| c.time
            == Some(Duration {
                value: 5.0,
                unit: TimeUnit::WorkingDay
            })));
        assert!(
            chs.iter()
                .all(|c| c.fees.len() == 1 && c.fees[0].amount == Some(0))
        );
    }

    #[test]
    fn method_words_inside_descriptions_do_not_start_rows() {
        let (chs, _) = parse_channels(
            "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tiếp5 NgàyMiễn phíTrực tiếp tại Bộ phận Một cửa",
        );
        assert_eq!(chs.len(), 1);
        assert_eq!(chs[0].description, "Trực tiếp tại Bộ phận Một cửa");
    }

    #[test]
    fn a_bare_time_glued_to_a_fee_is_split_and_flagged() {
        let (chs, issues) =
            parse_channels("Hình thức nộpThời gianPhí, lệ phíMô tảTrực tiếp1250 VNĐ");
        assert_eq!(
            chs[0].time,
            Some(Duration {
                value: 1.0,
                unit: TimeUnit::Unknown
            })
        );
        assert_eq!(chs[0].fees[0].amount, Some(250));
        assert_eq!(issues[0].code, IssueCode::TimeFeeAmbiguous);
    }
}
