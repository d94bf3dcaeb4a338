//! Backend-neutral arithmetic for the statistics mirror: the attributes of a version, month
//! ends, and the snapshot difference arrays. Kept out of the macro so it is unit-tested once.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};
use thutuc_domain::org::Sector;
use thutuc_domain::procedure::ProcedureContent;
use thutuc_store::{StoreError, level_bucket};

/// Group key of the stock: owner organisation, field id, level bucket, internal.
pub type GroupKey = (String, String, String, bool);

/// A version as mirrored in `stats_spans`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// Procedure code.
    pub code: String,
    /// Version.
    pub seq: i64,
    /// Group attributes.
    pub group: GroupKey,
    /// Field name.
    pub sector: String,
    /// Passes the completeness check.
    pub complete: bool,
    /// First public version of its code.
    pub first_version: bool,
    /// Last public version of its code.
    pub last_version: bool,
    /// Version status.
    pub status: String,
    /// First day in force.
    pub valid_from: NaiveDate,
    /// Last day in force.
    pub valid_to: Option<NaiveDate>,
    /// Publishing decision.
    pub decision_no: Option<String>,
    /// Change kind.
    pub change_kind: Option<String>,
}

/// Field id, field name, level bucket and completeness of a version's content (JSON).
pub fn content_attrs(json: &str) -> Result<(String, String, String, bool), StoreError> {
    let c: ProcedureContent =
        serde_json::from_str(json).map_err(|e| StoreError::Other(format!("json: {e}")))?;
    let sector_id = c
        .sector_id
        .clone()
        .unwrap_or_else(|| Sector::id_for(&c.sector));
    let level = level_bucket(c.levels.iter().map(|l| l.as_str()));
    let complete = thutuc_domain::completeness::check(&c).complete;
    Ok((sector_id, c.sector, level, complete))
}

/// Month index (months since year 0) of a date.
pub fn month_index(d: NaiveDate) -> i64 {
    i64::from(d.year()) * 12 + i64::from(d.month0())
}

/// The last day of the month with index `m`.
pub fn month_end(m: i64) -> NaiveDate {
    let (y, mo) = (m.div_euclid(12), m.rem_euclid(12) + 1);
    let next = if mo == 12 {
        NaiveDate::from_ymd_opt(y as i32 + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(y as i32, mo as u32 + 1, 1)
    };
    next.and_then(|d| d.pred_opt()).unwrap_or(NaiveDate::MAX)
}

/// The last month end on or before `d`.
pub fn month_end_on_or_before(d: NaiveDate) -> NaiveDate {
    let m = month_index(d);
    if month_end(m) == d {
        d
    } else {
        month_end(m - 1)
    }
}

/// Month indexes `[a, b]` whose month end lies inside the span's validity.
pub fn span_months(from: NaiveDate, to: Option<NaiveDate>) -> (i64, i64) {
    let a = month_index(from);
    let b = match to {
        None => i64::MAX,
        Some(t) if month_end(month_index(t)) == t => month_index(t),
        Some(t) => month_index(t) - 1,
    };
    (a, b)
}

/// Net change of the snapshot counts for months `[first, last]` when the `(sign, span)`
/// items are added (+1) or removed (−1): only non-zero `(month end, group)` cells.
/// Difference arrays per group, so the cost is O(items + groups × months).
pub fn snapshot_deltas<'a>(
    items: impl IntoIterator<Item = (i64, &'a Span)>,
    first: i64,
    last: i64,
) -> BTreeMap<(NaiveDate, GroupKey), i64> {
    let mut diff: HashMap<&GroupKey, BTreeMap<i64, i64>> = HashMap::new();
    for (sign, s) in items {
        let (a, b) = span_months(s.valid_from, s.valid_to);
        let (a, b) = (a.max(first), b.min(last));
        if a > b {
            continue;
        }
        let d = diff.entry(&s.group).or_default();
        *d.entry(a).or_default() += sign;
        *d.entry(b + 1).or_default() -= sign;
    }
    let mut out = BTreeMap::new();
    for (g, d) in diff {
        let mut acc = 0;
        let mut points = d.into_iter().peekable();
        while let Some((m, v)) = points.next() {
            acc += v;
            let until = points
                .peek()
                .map(|(n, _)| *n)
                .unwrap_or(last + 1)
                .min(last + 1);
            if acc != 0 {
                for month in m..until {
                    out.insert((month_end(month), g.clone()), acc);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    fn span(from: &str, to: Option<&str>) -> Span {
        Span {
            code: "1.000001".into(),
            seq: 1,
            group: ("BTP".into(), "ho-tich".into(), "commune".into(), false),
            sector: "Hộ tịch".into(),
            complete: true,
            first_version: true,
            last_version: true,
            status: "published".into(),
            valid_from: d(from),
            valid_to: to.map(d),
            decision_no: None,
            change_kind: None,
        }
    }

    #[test]
    fn month_ends_follow_the_calendar() {
        assert_eq!(month_end(month_index(d("2024-02-10"))), d("2024-02-29"));
        assert_eq!(month_end(month_index(d("2025-12-01"))), d("2025-12-31"));
        assert_eq!(month_end_on_or_before(d("2025-03-31")), d("2025-03-31"));
        assert_eq!(month_end_on_or_before(d("2025-03-30")), d("2025-02-28"));
    }

    #[test]
    fn a_span_counts_at_every_month_end_inside_its_validity() {
        let s = span("2025-01-15", Some("2025-03-30"));
        let out = snapshot_deltas([(1, &s)], month_index(d("2024-12-01")), 1_000_000);
        let months: Vec<NaiveDate> = out.keys().map(|k| k.0).collect();
        assert_eq!(months, vec![d("2025-01-31"), d("2025-02-28")]);
    }

    #[test]
    fn adding_and_removing_the_same_span_changes_nothing() {
        let s = span("2025-01-15", None);
        let out = snapshot_deltas([(1, &s), (-1, &s)], 0, month_index(d("2030-01-01")));
        assert!(out.is_empty());
    }
}
