//! Personal-data redaction for public pages (Law on personal data protection; Decree
//! 13/2023/NĐ-CP): only initials of the sender's name are shown, never the address, phone or
//! e-mail, and phone numbers or e-mail addresses written inside the text are masked.

/// What replaces a masked phone number or e-mail address.
pub const MASK: &str = "[đã ẩn]";

/// Initials of a name for public display: `"Nguyễn Văn An"` → `"N. V. A."`.
pub fn public_name(name: &str) -> String {
    let parts: Vec<String> = name
        .split_whitespace()
        .filter_map(|w| w.chars().next())
        .map(|c| format!("{}.", c.to_uppercase()))
        .collect();
    if parts.is_empty() {
        "Ẩn danh".into()
    } else {
        parts.join(" ")
    }
}

fn is_phone_char(c: char) -> bool {
    c.is_ascii_digit() || matches!(c, ' ' | '.' | '-' | '+' | '(' | ')')
}

/// Masks every run of digits and separators containing 8 or more digits (a phone number,
/// identity card or account number) and every token containing `@` followed by a dot.
pub fn redact_text(text: &str) -> String {
    let words = mask_emails(text);
    let chars: Vec<char> = words.chars().collect();
    let mut out = String::with_capacity(words.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit()
            || (chars[i] == '+' && chars.get(i + 1).is_some_and(char::is_ascii_digit))
        {
            let mut j = i;
            let mut digits = 0;
            let mut last_digit = i;
            while j < chars.len() && is_phone_char(chars[j]) {
                if chars[j].is_ascii_digit() {
                    digits += 1;
                    last_digit = j;
                }
                j += 1;
            }
            if digits >= 8 {
                out.push_str(MASK);
                i = last_digit + 1;
                continue;
            }
            out.extend(&chars[i..=last_digit]);
            i = last_digit + 1;
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

fn mask_emails(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut token = String::new();
    let flush = |token: &mut String, out: &mut String| {
        let core = token.trim_end_matches(['.', ',', ';', ':', ')', '!', '?']);
        let tail = &token[core.len()..];
        match core.split_once('@') {
            Some((l, r)) if !l.is_empty() && r.contains('.') => {
                out.push_str(MASK);
                out.push_str(tail);
            }
            _ => out.push_str(token),
        }
        token.clear();
    };
    for c in text.chars() {
        if c.is_whitespace() || matches!(c, '<' | '>' | '(' | '"') {
            flush(&mut token, &mut out);
            out.push(c);
        } else {
            token.push(c);
        }
    }
    flush(&mut token, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn initials_only() {
        assert_eq!(public_name("Nguyễn Văn An"), "N. V. A.");
        assert_eq!(public_name("  "), "Ẩn danh");
        assert_eq!(public_name("đỗ thị"), "Đ. T.");
    }

    #[test]
    fn phones_and_emails_in_text_are_masked() {
        let t = "Gọi 0912 345 678 hoặc +84 24 3825 1234, thư an.nguyen@example.vn. Điều 5 khoản 2 năm 2025.";
        let r = redact_text(t);
        assert!(!r.contains("345"), "{r}");
        assert!(!r.contains("3825"), "{r}");
        assert!(!r.contains("example"), "{r}");
        assert!(r.contains("Điều 5 khoản 2 năm 2025."), "{r}");
        assert_eq!(r.matches(MASK).count(), 3, "{r}");
    }

    proptest! {
        #[test]
        fn a_phone_never_survives(prefix in "[a-zà-ỹ ]{0,20}", n in 100_000_000u64..999_999_999, suffix in "[a-z ]{0,20}") {
            let phone = format!("0{n}");
            let r = redact_text(&format!("{prefix} {phone} {suffix}"));
            prop_assert!(!r.contains(&phone));
        }
    }
}
