//! Text normalisation shared by every module: Unicode NFC, whitespace cleanup and
//! Vietnamese diacritic folding (used for accent-insensitive matching, never for display).

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Normalises to NFC, turns non-breaking spaces into plain spaces and trims.
///
/// Portal data mixes NFD (from Word/macOS) with NFC and contains U+00A0; every value that
/// enters thutuc goes through here once so that equality and search behave.
pub fn clean(s: &str) -> String {
    let nfc: String = s.nfc().collect();
    let replaced = nfc.replace(['\u{00A0}', '\u{2007}', '\u{202F}'], " ");
    replaced.trim().to_string()
}

/// Like [`clean`] but also collapses every run of whitespace (including newlines) to one space.
pub fn clean_inline(s: &str) -> String {
    clean(s).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Folds Vietnamese text for matching: NFD, drop combining marks, `đ`→`d`, lowercase.
///
/// `"Đăng ký"` and `"dang ky"` fold to the same key.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        fold_char_into(c, &mut out);
    }
    out
}

/// Appends the folded form of one character to `out` ([`fold`] character by character,
/// without allocating).
pub fn fold_char_into(c: char, out: &mut String) {
    for c in std::iter::once(c).nfd() {
        if is_combining_mark(c) {
            continue;
        }
        match c {
            'đ' | 'Đ' => out.push('d'),
            '\u{00A0}' => out.push(' '),
            _ => out.extend(c.to_lowercase()),
        }
    }
}

/// A matching key: folded, with every non-alphanumeric character removed.
pub fn match_key(s: &str) -> String {
    fold(s).chars().filter(|c| c.is_alphanumeric()).collect()
}

/// A sort key for Vietnamese text that orders by base letters first and diacritics second,
/// so that both databases and every page sort the same way without relying on collations.
pub fn sort_key(s: &str) -> String {
    let base = fold(s);
    format!("{base}\u{0001}{}", clean(s).to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nfd_and_nfc_clean_to_the_same_string() {
        let nfd: String = "Đăng ký khai sinh".nfd().collect();
        assert_ne!(nfd, "Đăng ký khai sinh");
        assert_eq!(clean(&nfd), "Đăng ký khai sinh");
    }

    #[test]
    fn folding_maps_d_bar_and_drops_tones() {
        assert_eq!(fold("Đăng ký Hộ tịch"), "dang ky ho tich");
        assert_eq!(match_key("Ủy ban Nhân dân\u{00A0}xã"), "uybannhandanxa");
    }

    #[test]
    fn non_breaking_spaces_become_plain_spaces() {
        assert_eq!(
            clean_inline("Ủy ban Nhân dân\u{00A0}xã,\n phường "),
            "Ủy ban Nhân dân xã, phường"
        );
    }
}
