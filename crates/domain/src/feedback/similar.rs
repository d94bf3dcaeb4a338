//! Duplicate similarity: folded word shingles compared with Jaccard, plus MinHash band keys
//! that a store can index so that candidates are found without scanning every item.

use std::collections::BTreeSet;

use crate::text::fold;

/// Words shorter than this are ignored (particles such as "và", "có").
const MIN_WORD: usize = 2;

/// Folded, accent-insensitive words of a text.
pub fn words(text: &str) -> Vec<String> {
    fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= MIN_WORD)
        .map(str::to_string)
        .collect()
}

fn fnv(s: &str, seed: u64) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ seed.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Word-bigram shingles (single words for texts of one word), as hashes.
pub fn shingles(text: &str) -> BTreeSet<u64> {
    let w = words(text);
    if w.len() < 2 {
        return w.iter().map(|x| fnv(x, 0)).collect();
    }
    w.windows(2)
        .map(|p| fnv(&format!("{} {}", p[0], p[1]), 0))
        .collect()
}

/// Jaccard similarity of two shingle sets (0 when both are empty).
pub fn jaccard(a: &BTreeSet<u64>, b: &BTreeSet<u64>) -> f64 {
    let inter = a.intersection(b).count();
    let union = a.len() + b.len() - inter;
    if union == 0 {
        0.0
    } else {
        inter as f64 / union as f64
    }
}

/// Similarity of two texts in `[0, 1]`.
pub fn similarity(a: &str, b: &str) -> f64 {
    jaccard(&shingles(a), &shingles(b))
}

/// Number of MinHash bands.
pub const BANDS: usize = 8;
/// Rows per band.
const ROWS: usize = 2;

/// MinHash band keys (`BANDS` values): two texts sharing any key are candidate duplicates;
/// with 2 rows per band, pairs with Jaccard ≥ 0.5 share a key with probability ≈ 0.9.
pub fn band_keys(text: &str) -> Vec<i64> {
    let sh = shingles(text);
    if sh.is_empty() {
        return Vec::new();
    }
    (0..BANDS)
        .map(|b| {
            let mut key: u64 = b as u64;
            for r in 0..ROWS {
                let seed = (b * ROWS + r + 1) as u64;
                let min = sh
                    .iter()
                    .map(|h| {
                        (h ^ seed.wrapping_mul(0x9e37_79b9_7f4a_7c15))
                            .wrapping_mul(0xff51_afd7_ed55_8ccd)
                    })
                    .min()
                    .unwrap_or(0);
                key = key.wrapping_mul(0x0100_0000_01b3) ^ min;
            }
            // Keep 62 bits so the key fits a signed BIGINT and stays non-negative.
            (key >> 2) as i64
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accents_and_case_do_not_matter() {
        let a = "Thủ tục đăng ký khai sinh đòi bản sao sổ hộ khẩu";
        let b = "thu tuc dang ky khai sinh doi ban sao so ho khau";
        assert!((similarity(a, b) - 1.0).abs() < 1e-9);
        assert_eq!(band_keys(a), band_keys(b));
    }

    #[test]
    fn near_duplicates_score_high_and_others_low() {
        let a = "Thủ tục đăng ký khai sinh đòi bản sao sổ hộ khẩu đã bị bãi bỏ";
        let b = "Thủ tục đăng ký khai sinh vẫn đòi bản sao sổ hộ khẩu đã bị bãi bỏ";
        let c = "Cấp giấy phép xây dựng nhà ở riêng lẻ quá chậm tại phường";
        assert!(similarity(a, b) > 0.6);
        assert!(similarity(a, c) < 0.1);
        let ka = band_keys(a);
        assert_eq!(ka.len(), BANDS);
        assert!(ka.iter().all(|k| *k >= 0));
        assert!(band_keys(c).iter().all(|k| !ka.contains(k)));
    }
}
