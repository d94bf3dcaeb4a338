//! Frozen editions. A report for a past period is stored with the hash of its inputs; asking
//! again with unchanged inputs returns the same edition, and a correction (a decision applied
//! late, a back-dated abolition) produces a *new* edition whose changelog lists every number
//! and every counted (decision, procedure) that changed. Editions are written in one
//! transaction by the store, so a failure leaves none half-written.
//!
//! The server calls [`ensure_monthly_edition`] once a day; from the configured day of the
//! month it freezes the previous month (and re-checks earlier months if configured).
//! Sending the edition to subscribers by e-mail belongs to the jobs outbox (not here).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use thutuc_store::{DateBasis, EditionKey, EditionOutcome, NewEdition, Store};

use crate::model::Report;
use crate::service::{ReportEnv, ReportRequest, build};
use crate::{Period, ReportError};

/// One line of a changelog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeLine {
    /// Cell (see [`crate::drill::CellRef`]) or `item` for counted items.
    pub cell: String,
    /// Value in the previous edition.
    pub before: i64,
    /// Value now.
    pub after: i64,
}

/// Changelog between two editions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Changelog {
    /// Numbers that changed.
    pub cells: Vec<ChangeLine>,
    /// Counted items that appeared (`section bucket decision code`).
    pub items_added: Vec<String>,
    /// Counted items that disappeared.
    pub items_removed: Vec<String>,
}

/// Every number of a report by cell name.
pub fn cells(r: &Report) -> BTreeMap<String, i64> {
    let mut m = BTreeMap::new();
    for (name, s) in [("national", &r.national), ("local", &r.local)] {
        let mut put = |dim: &str, key: Option<&str>, c: &crate::model::Counts| {
            let prefix = match key {
                Some(k) => format!("{name}.{dim}.{k}"),
                None => format!("{name}.{dim}"),
            };
            for b in crate::model::Bucket::ALL {
                m.insert(format!("{prefix}.{}", b.as_str()), c.get(b));
            }
        };
        put("total", None, &s.total);
        for (dim, rows) in [
            ("agency", &s.by_agency),
            ("level", &s.by_level),
            ("sector", &s.by_sector),
            ("kind", &s.by_kind),
        ] {
            for row in rows {
                put(dim, Some(&row.key), &row.counts);
            }
        }
    }
    let st = &r.stock;
    for (k, v) in [
        ("start", st.start),
        ("entered", st.entered),
        ("exited", st.exited),
        ("end", st.end),
    ] {
        m.insert(format!("stock.total.{k}"), v);
    }
    for row in &st.by_agency {
        m.insert(format!("stock.agency.{}.start", row.key), row.start);
        m.insert(format!("stock.agency.{}.end", row.key), row.end);
    }
    let c = &r.compliance;
    for (k, v) in [
        ("decisions", c.decisions),
        ("late", c.late),
        ("on_time", c.on_time),
        ("posted_late", c.posted_late),
        ("posted_on_time", c.posted_on_time),
        ("published", c.published),
        ("complete", c.complete),
    ] {
        m.insert(format!("compliance.total.{k}"), v);
    }
    m
}

fn item_keys(r: &Report) -> BTreeSet<String> {
    let mut s = BTreeSet::new();
    for (name, sec) in [("national", &r.national), ("local", &r.local)] {
        for i in &sec.items {
            s.insert(format!(
                "{name} {} {} {}",
                i.bucket.as_str(),
                i.decision_no,
                i.code
            ));
        }
    }
    s
}

/// What changed from `prev` to `next`.
pub fn changelog(prev: &Report, next: &Report) -> Changelog {
    let (a, b) = (cells(prev), cells(next));
    let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    let cells = keys
        .into_iter()
        .filter_map(|k| {
            let (x, y) = (
                a.get(k).copied().unwrap_or(0),
                b.get(k).copied().unwrap_or(0),
            );
            (x != y).then(|| ChangeLine {
                cell: k.clone(),
                before: x,
                after: y,
            })
        })
        .collect();
    let (ia, ib) = (item_keys(prev), item_keys(next));
    Changelog {
        cells,
        items_added: ib.difference(&ia).cloned().collect(),
        items_removed: ia.difference(&ib).cloned().collect(),
    }
}

/// The edition series of a request.
pub fn key_of(req: &ReportRequest) -> EditionKey {
    EditionKey {
        report_kind: req.period.kind().into(),
        period: req.period.key(),
        scope: req.scope.clone().unwrap_or_default(),
        basis: req.basis.as_str().into(),
    }
}

fn to_json<T: Serialize>(v: &T) -> Result<serde_json::Value, ReportError> {
    serde_json::to_value(v).map_err(|e| ReportError::Output(e.to_string()))
}

/// Computes the report from live data and freezes it: unchanged inputs return the latest
/// edition; changed inputs create the next edition with its changelog.
pub async fn freeze<S: Store>(
    store: &S,
    env: &ReportEnv,
    req: &ReportRequest,
    today: NaiveDate,
    reason: &str,
) -> Result<EditionOutcome, ReportError> {
    let report = build(store, env, req, today).await?;
    let key = key_of(req);
    let prev = store.editions(&key).await?.into_iter().last();
    let log = match &prev {
        Some(p) => {
            let before: Report = serde_json::from_value(p.body.clone())
                .map_err(|e| ReportError::Output(format!("ấn bản {}: {e}", p.edition_no)))?;
            changelog(&before, &report)
        }
        None => Changelog::default(),
    };
    let reason = if prev.is_some() && reason == "scheduled" {
        "correction"
    } else {
        reason
    };
    Ok(store
        .save_edition(&NewEdition {
            key,
            previous_no: prev.as_ref().map(|p| p.edition_no).unwrap_or(0),
            inputs_hash: report.meta.inputs_hash.clone(),
            body: to_json(&report)?,
            changelog: to_json(&log)?,
            reason: reason.into(),
        })
        .await?)
}

/// The latest frozen edition of a past period, or the live report (with `None`).
pub async fn frozen_or_live<S: Store>(
    store: &S,
    env: &ReportEnv,
    req: &ReportRequest,
    today: NaiveDate,
) -> Result<(Report, Option<i64>), ReportError> {
    if req.period.is_past(today)
        && let Some(e) = store.editions(&key_of(req)).await?.into_iter().last()
    {
        let r: Report = serde_json::from_value(e.body)
            .map_err(|x| ReportError::Output(format!("ấn bản {}: {x}", e.edition_no)))?;
        return Ok((r, Some(e.edition_no)));
    }
    Ok((build(store, env, req, today).await?, None))
}

/// When and for whom the monthly edition is produced (from `thutuc.toml`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditionSchedule {
    /// Day of the month from which last month's edition is produced (1–28).
    pub day_of_month: u32,
    /// Organisation scopes; the empty string is the national report.
    pub scopes: Vec<String>,
    /// Reference date.
    #[serde(default)]
    pub basis: DateBasis,
    /// How many months before last month are re-checked for corrections (0 = none).
    #[serde(default)]
    pub recheck_months: u32,
}

impl Default for EditionSchedule {
    fn default() -> Self {
        Self {
            day_of_month: 5,
            scopes: vec![String::new()],
            basis: DateBasis::Signed,
            recheck_months: 2,
        }
    }
}

/// The schedule with the environment it runs in.
#[derive(Clone)]
pub struct EditionJob {
    /// Schedule.
    pub schedule: EditionSchedule,
    /// Rules, calendar, organisations.
    pub env: ReportEnv,
}

/// Called daily by the server: from the configured day, freezes last month's edition for each
/// scope (idempotent: unchanged inputs write nothing) and re-checks the configured number of
/// earlier months, recording corrections as new editions. Returns what was written or found.
pub async fn ensure_monthly_edition<S: Store>(
    store: &S,
    today: NaiveDate,
    cfg: &EditionJob,
) -> Result<Vec<EditionOutcome>, ReportError> {
    let s = &cfg.schedule;
    if today.day() < s.day_of_month.clamp(1, 28) {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    let mut month = Period::previous_month(today);
    for _ in 0..=s.recheck_months {
        for scope in &s.scopes {
            let req = ReportRequest {
                period: month,
                basis: s.basis,
                scope: (!scope.is_empty()).then(|| scope.clone()),
            };
            out.push(freeze(store, &cfg.env, &req, today, "scheduled").await?);
        }
        month = Period::previous_month(month.from());
    }
    Ok(out)
}
