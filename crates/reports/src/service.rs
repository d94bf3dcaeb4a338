//! Gathering a report's inputs from the store and computing it.
//!
//! Cost of one report: one index probe for changes since the last refresh, the period's
//! entries and decisions (index range on the reference date), two stock reads (one monthly
//! snapshot + versions that started or ended since it) and the flows of the period. None of
//! these grows with the length of the history; they grow with the activity in the period and
//! the number of (organisation × field × level) groups.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;
use thutuc_domain::calendar::Calendar;
use thutuc_domain::params::PublicationRules;
use thutuc_store::{DateBasis, Page, StockItem, Store};

use crate::engine::{EngineContext, compute};
use crate::inputs::ReportInputs;
use crate::model::{Counts, Report, TrendPoint};
use crate::orgs::OrgIndex;
use crate::{Period, ReportError};

/// What to report on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportRequest {
    /// Period.
    pub period: Period,
    /// Reference date (signing by default).
    pub basis: DateBasis,
    /// Organisation subtree, or `None` for the national report.
    pub scope: Option<String>,
}

/// Long-lived context: rules, calendar, organisations and field names (cache it).
#[derive(Clone)]
pub struct ReportEnv {
    /// Publication and posting rules.
    pub rules: Arc<PublicationRules>,
    /// Working-day calendar.
    pub calendar: Arc<Calendar>,
    /// Organisations.
    pub orgs: Arc<OrgIndex>,
    /// Field names by id.
    pub sectors: Arc<HashMap<String, String>>,
}

impl ReportEnv {
    /// Loads organisations and fields from the store.
    pub async fn load<S: Store>(
        store: &S,
        rules: Arc<PublicationRules>,
        calendar: Arc<Calendar>,
    ) -> Result<Self, ReportError> {
        let orgs = OrgIndex::new(store.all_orgs().await?);
        let sectors = store
            .sectors()
            .await?
            .into_iter()
            .map(|s| (s.id, s.name))
            .collect();
        Ok(Self {
            rules,
            calendar,
            orgs: Arc::new(orgs),
            sectors: Arc::new(sectors),
        })
    }

    /// The engine context borrowed from this environment.
    pub fn ctx(&self) -> EngineContext<'_> {
        EngineContext {
            orgs: &self.orgs,
            sectors: &self.sectors,
            rules: &self.rules,
            calendar: &self.calendar,
        }
    }
}

/// Refreshes the statistics mirror (snapshots up to `today`) and reads the inputs.
pub async fn gather<S: Store>(
    store: &S,
    env: &ReportEnv,
    req: &ReportRequest,
    today: NaiveDate,
) -> Result<ReportInputs, ReportError> {
    if let Some(s) = &req.scope
        && env.orgs.get(s).is_none()
    {
        return Err(ReportError::UnknownOrg(s.clone()));
    }
    store.refresh_stats(today).await?;
    let (from, to) = (req.period.from(), req.period.to());
    let before = from.pred_opt().unwrap_or(from);
    // Five independent reads, run concurrently (each on its own pooled connection).
    let (changes, decisions, stock_start, stock_end, flows) = tokio::try_join!(
        store.change_facts(from, to, req.basis),
        store.decision_facts(from, to, req.basis),
        store.stock_at(before),
        store.stock_at(to),
        store.stock_flows(from, to),
    )?;
    Ok(ReportInputs {
        period: req.period,
        basis: req.basis,
        scope: req.scope.clone(),
        changes,
        decisions,
        stock_start,
        stock_end,
        flows,
    })
}

/// Gathers and computes a report from live data.
pub async fn build<S: Store>(
    store: &S,
    env: &ReportEnv,
    req: &ReportRequest,
    today: NaiveDate,
) -> Result<Report, ReportError> {
    let inputs = gather(store, env, req, today).await?;
    compute(&inputs, env.ctx())
}

/// The procedures in force at the start (`at_end = false`) or end of a report's period within
/// its scope: the drill-down of the stock figures.
pub async fn stock_drill<S: Store>(
    store: &S,
    env: &ReportEnv,
    report: &Report,
    at_end: bool,
    limit: i64,
    offset: i64,
) -> Result<Page<StockItem>, ReportError> {
    let date = if at_end {
        report.meta.to
    } else {
        report.meta.from.pred_opt().unwrap_or(report.meta.from)
    };
    let owners: Option<Vec<String>> = report
        .meta
        .scope
        .as_deref()
        .map(|s| env.orgs.subtree(s).into_iter().collect());
    Ok(store
        .stock_list(date, owners.as_deref(), limit, offset)
        .await?)
}

/// National counts for each of the `months` months ending with `last` (12 or 24 for the
/// dashboard charts), within a scope, from the statistics mirror as last refreshed (callers
/// refresh it first, as [`build`] does).
pub async fn trend<S: Store>(
    store: &S,
    env: &ReportEnv,
    last: Period,
    months: u32,
    basis: DateBasis,
    scope: Option<String>,
) -> Result<Vec<TrendPoint>, ReportError> {
    if let Some(s) = &scope
        && env.orgs.get(s).is_none()
    {
        return Err(ReportError::UnknownOrg(s.clone()));
    }
    let to = last.to();
    let first = last
        .from()
        .checked_sub_months(chrono::Months::new(months.saturating_sub(1)))
        .unwrap_or(last.from());
    let period = Period::range(first, to)?;
    let issuers: Option<Vec<String>> = scope
        .as_deref()
        .map(|s| env.orgs.subtree(s).into_iter().collect());
    let cells = store
        .trend_counts(first, to, basis, issuers.as_deref())
        .await?;
    let mut by_month: HashMap<&str, Counts> = HashMap::new();
    for c in &cells {
        let counts = by_month.entry(c.month.as_str()).or_default();
        match c.bucket.as_str() {
            "new" => counts.new += c.n,
            "amended" => counts.amended += c.n,
            "replaced" => counts.replaced += c.n,
            _ => {
                counts.abolished += c.n;
                counts.annulled_included += c.annulled;
            }
        }
    }
    Ok(period
        .months()
        .into_iter()
        .map(|(y, m)| {
            let month = format!("{y}-{m:02}");
            let counts = by_month.get(month.as_str()).copied().unwrap_or_default();
            TrendPoint { month, counts }
        })
        .collect())
}

/// Sum of a trend (a consistency helper for callers and tests).
pub fn trend_total(points: &[TrendPoint]) -> Counts {
    let mut c = Counts::default();
    for p in points {
        c.new += p.counts.new;
        c.amended += p.counts.amended;
        c.replaced += p.counts.replaced;
        c.abolished += p.counts.abolished;
        c.annulled_included += p.counts.annulled_included;
    }
    c
}
