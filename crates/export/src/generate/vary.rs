//! How a template becomes a new procedure, and how a procedure is amended: time limits and
//! fees follow the template's pattern scaled by a few realistic factors, provincial copies
//! name the province's own bodies, and amendments shorten working-day limits and cite the
//! amending document, as real "sửa đổi, bổ sung" decisions do.

use thutuc_domain::org::Organisation;
use thutuc_domain::procedure::{AgencyRef, LegalBasis, ProcedureContent, TimeUnit};

/// SplitMix64: small, fast and the same on every platform, so a seed gives one catalogue.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// Seeded generator.
    pub fn new(seed: u64) -> Self {
        Self(seed ^ 0x5EED_7A7C_0DE5_u64)
    }
    /// Next value.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }
    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.below(items.len()))
    }
}

/// Time-limit factors seen between provinces for the same procedure.
const TIME_FACTORS: [f64; 6] = [0.5, 0.7, 0.8, 1.0, 1.0, 1.5];
/// Fee factors (most fees are set nationally).
const FEE_FACTORS: [f64; 6] = [0.5, 1.0, 1.0, 1.0, 1.0, 2.0];

/// A new procedure's content from a template, for `owner`.
pub fn derive(t: &ProcedureContent, owner: &Organisation, rng: &mut Rng) -> ProcedureContent {
    let mut c = t.clone();
    let tf = TIME_FACTORS[rng.below(TIME_FACTORS.len())];
    let ff = FEE_FACTORS[rng.below(FEE_FACTORS.len())];
    for ch in &mut c.channels {
        if let Some(d) = &mut ch.time
            && matches!(d.unit, TimeUnit::WorkingDay | TimeUnit::CalendarDay)
            && d.value >= 2.0
        {
            d.value = (d.value * tf).round().max(1.0);
        }
        for fee in &mut ch.fees {
            if let Some(a) = &mut fee.amount
                && *a > 0
                && fee.currency == "VND"
            {
                *a = (((*a as f64) * ff / 1_000.0).round() * 1_000.0).max(1_000.0) as i64;
            }
        }
    }
    if owner.kind == thutuc_domain::org::OrgKind::Province {
        c.competent_authority = vec![AgencyRef {
            name: format!("Chủ tịch Ủy ban nhân dân {}", owner.name),
            org_id: Some(owner.id.clone()),
        }];
        c.receiving_address = format!("Trung tâm Phục vụ hành chính công {}", owner.name);
    } else if c.competent_authority.is_empty() {
        c.competent_authority = vec![AgencyRef {
            name: owner.name.clone(),
            org_id: Some(owner.id.clone()),
        }];
    }
    c
}

/// An amendment: shorter working-day limits, the amending document added to the legal bases.
pub fn amend(c: &ProcedureContent, document: &str, rng: &mut Rng) -> ProcedureContent {
    let mut n = c.clone();
    let factor = [0.6, 0.7, 0.8][rng.below(3)];
    for ch in &mut n.channels {
        if let Some(d) = &mut ch.time
            && d.unit == TimeUnit::WorkingDay
            && d.value >= 3.0
        {
            d.value = (d.value * factor).round().max(1.0);
        }
    }
    n.legal_bases.push(LegalBasis {
        number: Some(document.to_string()),
        title: "Văn bản sửa đổi, bổ sung quy định về thủ tục hành chính".into(),
        article: None,
    });
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_numbers() {
        let (mut a, mut b) = (Rng::new(7), Rng::new(7));
        assert!((0..100).all(|_| a.next_u64() == b.next_u64()));
        assert_ne!(Rng::new(7).next_u64(), Rng::new(8).next_u64());
    }

    #[test]
    fn an_amendment_always_changes_the_content() {
        let c = ProcedureContent {
            name: "A".into(),
            ..Default::default()
        };
        assert_ne!(amend(&c, "01/2026/TT-BTP", &mut Rng::new(1)), c);
    }
}
