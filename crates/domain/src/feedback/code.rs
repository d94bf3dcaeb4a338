//! Identifiers shown to people: the tracking code given to the sender (mã tra cứu), with a
//! check character so that typing errors are caught before any lookup, and the register
//! number (số vào sổ) counted per receiving agency and year.

use serde::{Deserialize, Serialize};

use super::error::FieldError;

/// Crockford base-32 alphabet: no I, L, O, U, so codes read aloud over the phone survive.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Number of payload symbols (40 bits).
const PAYLOAD: usize = 8;
/// Prefix of every tracking code.
const PREFIX: &str = "PA";

/// The tracking code (mã tra cứu) given to the sender, e.g. `PA-7K3Q-X9M2-R`: eight
/// Crockford base-32 symbols and a Luhn mod 32 check symbol.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TrackingCode(String);

fn value(c: u8) -> Option<u32> {
    let c = match c.to_ascii_uppercase() {
        b'O' => b'0',
        b'I' | b'L' => b'1',
        c => c,
    };
    ALPHABET
        .iter()
        .position(|&a| a == c)
        .and_then(|p| u32::try_from(p).ok())
}

/// Luhn mod N check symbol value for `digits` (most significant first).
fn check_value(digits: &[u32]) -> u32 {
    let mut factor = 2;
    let mut sum = 0;
    for &d in digits.iter().rev() {
        let addend = factor * d;
        factor = if factor == 2 { 1 } else { 2 };
        sum += addend / 32 + addend % 32;
    }
    (32 - sum % 32) % 32
}

impl TrackingCode {
    /// Builds a code from 40 random bits (the caller draws them; this module stays pure).
    pub fn from_random(bits: u64) -> Self {
        let digits: Vec<u32> = (0..PAYLOAD)
            .rev()
            .map(|i| u32::try_from((bits >> (5 * i)) & 31).unwrap_or(0))
            .collect();
        let check = check_value(&digits);
        let mut s = String::from(PREFIX);
        for d in digits.iter().chain(std::iter::once(&check)) {
            s.push(char::from(ALPHABET[*d as usize]));
        }
        Self(s)
    }

    /// Parses what a person typed: case-insensitive, hyphens and spaces ignored, `O`→`0`,
    /// `I`/`L`→`1`; the check symbol must match.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let bad = |vi: &str, en: &str| FieldError::new("tracking_code", vi, en);
        let s: String = raw
            .chars()
            .filter(|c| !matches!(c, '-' | ' ' | '\u{00A0}'))
            .collect::<String>()
            .to_ascii_uppercase();
        let body = s.strip_prefix(PREFIX).ok_or_else(|| {
            bad(
                "mã tra cứu phải bắt đầu bằng PA, ví dụ PA-7K3Q-X9M2-R",
                "the tracking code must start with PA, e.g. PA-7K3Q-X9M2-R",
            )
        })?;
        let digits: Option<Vec<u32>> = body.bytes().map(value).collect();
        let digits = digits.filter(|d| d.len() == PAYLOAD + 1).ok_or_else(|| {
            bad(
                "mã tra cứu gồm PA và 9 ký tự chữ/số",
                "the tracking code is PA followed by 9 letters or digits",
            )
        })?;
        if check_value(&digits[..PAYLOAD]) != digits[PAYLOAD] {
            return Err(bad(
                "mã tra cứu không đúng (sai ký tự kiểm tra), vui lòng kiểm tra lại",
                "the tracking code is wrong (check character mismatch), please check it",
            ));
        }
        let mut out = String::from(PREFIX);
        for d in digits {
            out.push(char::from(ALPHABET[d as usize]));
        }
        Ok(Self(out))
    }

    /// Compact form stored in the database (`PA` + 9 symbols).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Display form with hyphens, `PA-XXXX-XXXX-C`.
    pub fn display(&self) -> String {
        let s = &self.0;
        format!("{}-{}-{}-{}", &s[..2], &s[2..6], &s[6..10], &s[10..])
    }
}

impl TryFrom<String> for TrackingCode {
    type Error = FieldError;
    fn try_from(s: String) -> Result<Self, FieldError> {
        Self::parse(&s)
    }
}
impl From<TrackingCode> for String {
    fn from(c: TrackingCode) -> String {
        c.0
    }
}
impl std::fmt::Display for TrackingCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.display())
    }
}

/// Register number (số vào sổ): sequence per receiving agency and year, without gaps.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RegisterNumber {
    /// Receiving agency id.
    pub agency: String,
    /// Year of registration.
    pub year: i32,
    /// 1-based sequence within the agency and year.
    pub seq: i64,
}

impl std::fmt::Display for RegisterNumber {
    /// `00042/2026/PAKN-<agency>`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:05}/{}/PAKN-{}", self.seq, self.year, self.agency)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn display_and_parse_round_trip() {
        let c = TrackingCode::from_random(0x12_3456_789a);
        let shown = c.display();
        assert_eq!(shown.len(), 14);
        assert_eq!(TrackingCode::parse(&shown), Ok(c.clone()));
        assert_eq!(TrackingCode::parse(&shown.to_lowercase()), Ok(c));
    }

    #[test]
    fn bad_codes_are_refused() {
        for s in [
            "",
            "PA",
            "XX-1234-5678-9",
            "PA-1234-5678",
            "PA-1234-5678-9Z",
            "PA-12U4-5678-9",
        ] {
            assert!(TrackingCode::parse(s).is_err(), "{s}");
        }
    }

    #[test]
    fn register_number_formats() {
        let n = RegisterNumber {
            agency: "VPCP".into(),
            year: 2026,
            seq: 42,
        };
        assert_eq!(n.to_string(), "00042/2026/PAKN-VPCP");
    }

    proptest! {
        #[test]
        fn every_code_round_trips(bits in any::<u64>()) {
            let c = TrackingCode::from_random(bits);
            prop_assert_eq!(TrackingCode::parse(&c.display()), Ok(c));
        }

        #[test]
        fn a_single_substitution_is_caught(bits in any::<u64>(), pos in 2usize..11, d in 1u8..32) {
            let c = TrackingCode::from_random(bits);
            let mut b = c.as_str().as_bytes().to_vec();
            let v = value(b[pos]).unwrap_or(0);
            b[pos] = ALPHABET[((v + u32::from(d)) % 32) as usize];
            let typo = String::from_utf8(b).unwrap_or_default();
            prop_assert!(TrackingCode::parse(&typo).is_err());
        }
    }
}
