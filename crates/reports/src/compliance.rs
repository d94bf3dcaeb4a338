//! Compliance figures: decisions published on time vs late (the timeliness stored when the
//! decision was applied), posting to the national database (CSDLQG) within the legal number
//! of working days, and the share of published procedures passing the completeness check.
//!
//! **Posting date.** thutuc is the system of record that feeds the CSDLQG, so a decision
//! counts as posted on the day it was *applied* in thutuc (`decisions.applied_on`). The
//! deadline is `signed_on + N working days` with the working-day calendar: N = 10 when a
//! minister signs, 5 for a provincial chair and other bodies, 2 for shortened procedure
//! (Decree 63/2010 Art 24 as amended; the numbers come from [`PublicationRules`]).
//!
//! [`PublicationRules`]: thutuc_domain::params::PublicationRules

use std::collections::BTreeMap;

use chrono::NaiveDate;
use thutuc_domain::decision::IssuerKind;
use thutuc_domain::params::DayRule;
use thutuc_store::DecisionFact;

use crate::ReportError;
use crate::engine::EngineContext;
use crate::inputs::ReportInputs;
use crate::model::{Bucket, ChangeSection, Compliance, DecisionCheck};

/// The posting rule for a decision.
pub fn posting_rule<'a>(
    d: &DecisionFact,
    rules: &'a thutuc_domain::params::PublicationRules,
) -> &'a DayRule {
    if d.shortened {
        &rules.posting_shortened
    } else {
        match d.issuer_kind {
            IssuerKind::Ministry => &rules.posting_ministry,
            IssuerKind::Province | IssuerKind::Other => &rules.posting_province,
        }
    }
}

/// The posting deadline of a decision.
pub fn posting_deadline(
    d: &DecisionFact,
    ctx: EngineContext<'_>,
) -> Result<NaiveDate, ReportError> {
    let rule = posting_rule(d, ctx.rules);
    if rule.working_days {
        ctx.calendar
            .add_working_days(d.signed_on, rule.days)
            .map_err(|e| ReportError::Calendar(e.to_string()))
    } else {
        Ok(d.signed_on + chrono::Duration::days(rule.days))
    }
}

/// Computes the compliance figures for decisions issued inside the scope.
pub fn compute(
    inputs: &ReportInputs,
    ctx: EngineContext<'_>,
    inside: &dyn Fn(&str) -> bool,
    national: &ChangeSection,
    labels: &mut BTreeMap<String, String>,
) -> Result<Compliance, ReportError> {
    let scope = inputs.scope.as_deref();
    let mut c = Compliance::default();
    for d in inputs.decisions.iter().filter(|d| inside(&d.issuer_org)) {
        let deadline = posting_deadline(d, ctx)?;
        let posted_on_time = d.applied_on.map(|a| a <= deadline);
        c.decisions += 1;
        match d.late {
            Some(true) => c.late += 1,
            Some(false) => c.on_time += 1,
            None => c.unknown += 1,
        }
        match posted_on_time {
            Some(true) => c.posted_on_time += 1,
            Some(false) => c.posted_late += 1,
            None => {}
        }
        let agency = ctx.orgs.rollup(&d.issuer_org, scope);
        labels
            .entry(agency.clone())
            .or_insert_with(|| ctx.orgs.name(&agency));
        c.items.push(DecisionCheck {
            number: d.number.clone(),
            issuer_org: d.issuer_org.clone(),
            agency,
            signed_on: d.signed_on,
            local: d.local_republication,
            late: d.late,
            posting_deadline: deadline,
            posted_on: d.applied_on,
            posted_on_time,
        });
    }
    for i in national
        .items
        .iter()
        .filter(|i| i.bucket != Bucket::Abolished)
    {
        c.published += 1;
        if i.complete {
            c.complete += 1;
        }
    }
    c.complete_share = (c.published > 0).then(|| c.complete as f64 / c.published as f64);
    Ok(c)
}
