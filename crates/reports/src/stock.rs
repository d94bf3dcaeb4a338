//! Stock in force and its flows (validity view). The figures come from the store's grouped
//! stock at two dates and the list of entries and exits; [`reference`] is a naive model of
//! the same definitions over version spans, used by property tests here and by the storage
//! contract tests to check the store's snapshot arithmetic.

use std::collections::BTreeMap;

use thutuc_domain::text::sort_key;
use thutuc_store::{FlowKind, StockGroup};

use crate::engine::{EngineContext, kind_key, level_label, level_order};
use crate::inputs::ReportInputs;
use crate::model::{StockRow, StockSection};

#[derive(Default, Clone, Copy)]
struct Acc {
    start: i64,
    entered: i64,
    exited: i64,
    end: i64,
}

fn rows(
    m: BTreeMap<String, Acc>,
    label: impl Fn(&str) -> String,
    order: impl Fn(&str, &str) -> std::cmp::Ordering,
) -> Vec<StockRow> {
    let mut v: Vec<StockRow> = m
        .into_iter()
        .map(|(k, a)| StockRow {
            label: label(&k),
            key: k,
            start: a.start,
            entered: a.entered,
            exited: a.exited,
            end: a.end,
            reclassified: a.end - a.start - a.entered + a.exited,
        })
        .collect();
    v.sort_by(|a, b| order(&a.key, &b.key).then_with(|| a.key.cmp(&b.key)));
    v
}

/// Computes the stock section for the organisations accepted by `inside` (owner organisation).
pub fn section(
    inputs: &ReportInputs,
    ctx: EngineContext<'_>,
    inside: &dyn Fn(&str) -> bool,
    labels: &mut BTreeMap<String, String>,
) -> StockSection {
    let scope = inputs.scope.as_deref();
    let p = inputs.period;
    let mut s = StockSection {
        start_date: p.from().pred_opt(),
        end_date: Some(p.to()),
        ..Default::default()
    };
    let dims = 4;
    let mut acc: Vec<BTreeMap<String, Acc>> = vec![BTreeMap::new(); dims];
    let keys = |owner: &str, level: &str, sector: &str, internal: bool| -> [String; 4] {
        [
            ctx.orgs.rollup(owner, scope),
            level.to_string(),
            sector.to_string(),
            kind_key(internal).0.to_string(),
        ]
    };
    let mut agency_of: BTreeMap<String, String> = BTreeMap::new();
    let mut add = |g: &StockGroup, f: &dyn Fn(&mut Acc, i64)| {
        agency_of
            .entry(g.owner_org.clone())
            .or_insert_with(|| ctx.orgs.rollup(&g.owner_org, scope));
        for (i, k) in keys(&g.owner_org, &g.level, &g.sector_id, g.internal)
            .into_iter()
            .enumerate()
        {
            f(acc[i].entry(k).or_default(), g.n);
        }
    };
    for g in inputs.stock_start.iter().filter(|g| inside(&g.owner_org)) {
        s.start += g.n;
        add(g, &|a, n| a.start += n);
    }
    for g in inputs.stock_end.iter().filter(|g| inside(&g.owner_org)) {
        s.end += g.n;
        add(g, &|a, n| a.end += n);
    }
    for f in inputs.flows.iter().filter(|f| inside(&f.owner_org)) {
        let g = StockGroup {
            owner_org: f.owner_org.clone(),
            sector_id: f.sector_id.clone(),
            level: f.level.clone(),
            internal: f.internal,
            n: 1,
        };
        match f.kind {
            FlowKind::EnteredNew => s.entered_new += 1,
            FlowKind::EnteredReplacing => s.entered_replacing += 1,
            FlowKind::EnteredOther => s.entered_other += 1,
            FlowKind::ExitedAbolished => s.exited_abolished += 1,
            FlowKind::ExitedAnnulled => s.exited_annulled += 1,
            FlowKind::ExitedReplaced => s.exited_replaced += 1,
            FlowKind::ExitedOther => s.exited_other += 1,
        }
        if f.kind.enters() {
            s.entered += 1;
            add(&g, &|a, n| a.entered += n);
        } else {
            s.exited += 1;
            add(&g, &|a, n| a.exited += n);
        }
        s.flows.push(f.clone());
    }
    s.agency_of = agency_of;
    let [agency, level, sector, kind] =
        <[BTreeMap<String, Acc>; 4]>::try_from(acc).unwrap_or_default();
    for k in agency.keys() {
        labels.entry(k.clone()).or_insert_with(|| ctx.orgs.name(k));
    }
    for k in sector.keys() {
        labels
            .entry(k.clone())
            .or_insert_with(|| ctx.sectors.get(k).cloned().unwrap_or_else(|| k.clone()));
    }
    let lab = |k: &str| labels.get(k).cloned().unwrap_or_else(|| k.to_string());
    let by_label = |a: &str, b: &str| sort_key(&lab(a)).cmp(&sort_key(&lab(b)));
    s.by_agency = rows(agency, lab, by_label);
    s.by_level = rows(level, |k| level_label(k).into(), level_order);
    s.by_sector = rows(sector, lab, by_label);
    s.by_kind = rows(
        kind,
        |k| kind_key(k == "internal").1.into(),
        |a, b| a.cmp(b),
    );
    s
}

/// The definitions over plain version spans, for tests.
pub mod reference {
    use chrono::NaiveDate;

    /// One public version: `[from, to]`, and whether it is the last of an abolished code.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub struct SpanLite {
        /// Procedure number.
        pub code: u32,
        /// First day in force.
        pub from: NaiveDate,
        /// Last day in force.
        pub to: Option<NaiveDate>,
    }

    /// Distinct procedures in force at the end of `d`.
    pub fn stock_at(spans: &[SpanLite], d: NaiveDate) -> i64 {
        let mut codes: Vec<u32> = spans
            .iter()
            .filter(|s| s.from <= d && s.to.is_none_or(|t| t >= d))
            .map(|s| s.code)
            .collect();
        codes.sort_unstable();
        codes.dedup();
        codes.len() as i64
    }

    /// `(entered, exited)` in `[from, to]`: first version starting in the period; last
    /// version ending on a day in `[from − 1, to − 1]`.
    pub fn flows(spans: &[SpanLite], from: NaiveDate, to: NaiveDate) -> (i64, i64) {
        let mut first: std::collections::BTreeMap<u32, NaiveDate> = Default::default();
        let mut last: std::collections::BTreeMap<u32, Option<NaiveDate>> = Default::default();
        for s in spans {
            let f = first.entry(s.code).or_insert(s.from);
            if s.from < *f {
                *f = s.from;
            }
            let l = last.entry(s.code).or_insert(s.to);
            *l = match (*l, s.to) {
                (None, _) | (_, None) => None,
                (Some(a), Some(b)) => Some(a.max(b)),
            };
        }
        let entered = first.values().filter(|d| **d >= from && **d <= to).count() as i64;
        let (lo, hi) = (from.pred_opt().unwrap_or(from), to.pred_opt().unwrap_or(to));
        let exited = last
            .values()
            .filter(|d| d.is_some_and(|d| d >= lo && d <= hi))
            .count() as i64;
        (entered, exited)
    }
}

#[cfg(test)]
mod tests {
    use super::reference::*;
    use chrono::{Days, NaiveDate};
    use proptest::prelude::*;

    fn base() -> NaiveDate {
        NaiveDate::from_ymd_opt(2020, 1, 1).expect("date")
    }

    /// Procedures as contiguous version chains: start offset, version lengths, abolished flag.
    fn histories() -> impl Strategy<Value = Vec<SpanLite>> {
        prop::collection::vec(
            (
                0u64..2000,
                prop::collection::vec(1u64..400, 1..4),
                any::<bool>(),
            ),
            0..40,
        )
        .prop_map(|procs| {
            let mut out = Vec::new();
            for (code, (start, lens, abolished)) in procs.into_iter().enumerate() {
                let mut from = base() + Days::new(start);
                for (i, len) in lens.iter().enumerate() {
                    let last = i + 1 == lens.len();
                    let to = if last && !abolished {
                        None
                    } else {
                        Some(from + Days::new(len - 1))
                    };
                    out.push(SpanLite {
                        code: code as u32,
                        from,
                        to,
                    });
                    from = from + Days::new(*len);
                }
            }
            out
        })
    }

    proptest! {
        #[test]
        fn stock_at_the_end_is_stock_at_the_start_plus_entered_minus_exited(
            spans in histories(), a in 0u64..2500, len in 0u64..800
        ) {
            let from = base() + Days::new(a);
            let to = from + Days::new(len);
            let start = stock_at(&spans, from.pred_opt().expect("day"));
            let end = stock_at(&spans, to);
            let (entered, exited) = flows(&spans, from, to);
            prop_assert_eq!(end, start + entered - exited);
        }
    }
}
