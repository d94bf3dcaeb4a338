//! Backend-neutral pieces of the task storage: enum ↔ text columns, the coordinating-orgs
//! column, domain errors → storage errors, and the assignment date of recurring instances.
//! Kept out of the macro so they are compiled and tested once.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use serde::de::DeserializeOwned;
use thutuc_domain::tasks::TaskError;
use thutuc_store::StoreError;

/// A unit-variant enum as its serde name (`"official_letter"`).
pub fn enum_str<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// Parses a unit-variant enum from its serde name, naming the column on failure.
pub fn parse_enum<T: DeserializeOwned>(column: &str, s: &str) -> Result<T, StoreError> {
    serde_json::from_value(serde_json::Value::String(s.to_string()))
        .map_err(|_| StoreError::Other(format!("{column}: giá trị không hợp lệ «{s}»")))
}

/// Organisation ids as a delimited column (`,BTP,BYT,`), searchable with `LIKE '%,x,%'`.
pub fn orgs_text(orgs: &[String]) -> String {
    let mut s = String::from(",");
    for o in orgs {
        s.push_str(o);
        s.push(',');
    }
    s
}

/// Parses the delimited column back.
pub fn orgs_list(s: &str) -> Vec<String> {
    s.split(',')
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect()
}

/// Domain refusals: a field error stays a field error, the rest become `Rule`.
pub fn task_err(e: TaskError) -> StoreError {
    match e {
        TaskError::Invalid { field, message } => StoreError::invalid(field, message),
        other => StoreError::invalid(other.field(), other.to_string()),
    }
}

/// The assignment date of a recurring instance: the first day of its nominal month, never
/// after its deadline (a deadline moved to the previous month's last working day).
pub fn instance_assigned_on(nominal: NaiveDate, deadline: NaiveDate) -> NaiveDate {
    nominal.with_day(1).unwrap_or(nominal).min(deadline)
}

/// Clamps a requested page size to 1–500 (default 50).
pub fn page_limit(limit: Option<i64>) -> i64 {
    limit.unwrap_or(50).clamp(1, 500)
}

/// Parses the packed late groups of one organisation (`"2025-03-31 2025-04-02 3,2025-05-30 - 1"`:
/// deadline, completion or `-` while open, count) into `out`.
pub fn parse_late_groups(
    lead_org: &str,
    packed: &str,
    out: &mut Vec<thutuc_store::LateGroup>,
) -> Result<(), StoreError> {
    let bad = || StoreError::Other(format!("late groups of {lead_org}: «{packed}»"));
    let date = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| bad());
    for item in packed.split(',').filter(|s| !s.is_empty()) {
        let mut it = item.split(' ');
        let (Some(deadline), Some(done), Some(n), None) =
            (it.next(), it.next(), it.next(), it.next())
        else {
            return Err(bad());
        };
        out.push(thutuc_store::LateGroup {
            lead_org: lead_org.to_string(),
            deadline: date(deadline)?,
            done: if done == "-" { None } else { Some(date(done)?) },
            count: n.parse().map_err(|_| bad())?,
        });
    }
    Ok(())
}

/// Polls two futures together (two queries on two pooled connections) and returns both
/// outputs; no runtime or extra crate needed.
pub async fn join2<A: Future, B: Future>(a: A, b: B) -> (A::Output, B::Output) {
    use std::task::Poll;
    let mut a = std::pin::pin!(a);
    let mut b = std::pin::pin!(b);
    let (mut ra, mut rb) = (None, None);
    std::future::poll_fn(move |cx| {
        if ra.is_none()
            && let Poll::Ready(v) = a.as_mut().poll(cx)
        {
            ra = Some(v);
        }
        if rb.is_none()
            && let Poll::Ready(v) = b.as_mut().poll(cx)
        {
            rb = Some(v);
        }
        match (ra.take(), rb.take()) {
            (Some(x), Some(y)) => Poll::Ready((x, y)),
            (x, y) => {
                ra = x;
                rb = y;
                Poll::Pending
            }
        }
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use thutuc_domain::tasks::DirectiveKind;

    #[test]
    fn enums_and_org_lists_round_trip() {
        let s = enum_str(&DirectiveKind::OfficialLetter);
        assert_eq!(s, "official_letter");
        let k: DirectiveKind = parse_enum("kind", &s).expect("parse");
        assert_eq!(k, DirectiveKind::OfficialLetter);
        assert!(parse_enum::<DirectiveKind>("kind", "x").is_err());
        let orgs = vec!["BTP".to_string(), "BYT".to_string()];
        assert_eq!(orgs_list(&orgs_text(&orgs)), orgs);
        assert!(orgs_list(&orgs_text(&[])).is_empty());
    }

    #[test]
    fn packed_late_groups_parse_and_garbage_is_refused() {
        let mut out = Vec::new();
        parse_late_groups("BTP", "2025-03-31 2025-04-02 3,2025-05-30 - 1", &mut out).expect("ok");
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].done, NaiveDate::from_ymd_opt(2025, 4, 2));
        assert_eq!((out[1].done, out[1].count), (None, 1));
        parse_late_groups("BTP", "", &mut out).expect("empty");
        assert_eq!(out.len(), 2);
        assert!(parse_late_groups("BTP", "2025-03-31 x", &mut out).is_err());
    }
}
