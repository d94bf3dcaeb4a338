//! The pure engine: [`compute`] turns [`ReportInputs`] into a [`Report`]. No I/O; the
//! definitions are on [`crate::model`].

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Datelike, NaiveDate};
use thutuc_domain::calendar::Calendar;
use thutuc_domain::params::PublicationRules;
use thutuc_domain::text::sort_key;
use thutuc_domain::version::ChangeKind;
use thutuc_store::{ChangeFact, DateBasis};

use crate::inputs::{HashedParams, ReportInputs, inputs_hash};
use crate::model::*;
use crate::orgs::OrgIndex;
use crate::{ReportError, compliance, stock};

/// What the engine needs besides the facts.
#[derive(Clone, Copy)]
pub struct EngineContext<'a> {
    /// Organisations.
    pub orgs: &'a OrgIndex,
    /// Field names by id.
    pub sectors: &'a HashMap<String, String>,
    /// Publication and posting rules.
    pub rules: &'a PublicationRules,
    /// Working-day calendar.
    pub calendar: &'a Calendar,
}

/// Vietnamese label of a level bucket.
pub fn level_label(level: &str) -> &'static str {
    match level {
        "ministry" => "Cấp bộ",
        "province" => "Cấp tỉnh",
        "district" => "Cấp huyện",
        "commune" => "Cấp xã",
        "other" => "Cơ quan khác",
        "multiple" => "Nhiều cấp",
        _ => "Chưa xác định",
    }
}

/// Display order of level buckets.
pub const LEVEL_ORDER: [&str; 7] = [
    "ministry", "province", "district", "commune", "other", "multiple", "none",
];

/// Key and label of external / internal.
pub fn kind_key(internal: bool) -> (&'static str, &'static str) {
    if internal {
        ("internal", "TTHC nội bộ")
    } else {
        ("external", "TTHC (đối với người dân, doanh nghiệp)")
    }
}

/// The statement of the reference date printed on every report.
pub fn basis_note(basis: DateBasis) -> String {
    match basis {
        DateBasis::Signed => "Số liệu tính theo ngày ký quyết định công bố (mặc định).".into(),
        DateBasis::Effective => "Số liệu tính theo ngày có hiệu lực của thủ tục.".into(),
    }
}

fn bucket_of(k: ChangeKind) -> (Bucket, bool) {
    match k {
        ChangeKind::New => (Bucket::New, false),
        ChangeKind::Amended => (Bucket::Amended, false),
        ChangeKind::Replaced => (Bucket::Replaced, false),
        ChangeKind::Abolished => (Bucket::Abolished, false),
        ChangeKind::Annulled => (Bucket::Abolished, true),
    }
}

fn ref_date(f: &ChangeFact, basis: DateBasis) -> NaiveDate {
    match basis {
        DateBasis::Signed => f.signed_on,
        DateBasis::Effective => f.effective_on,
    }
}

/// Distinct counting: one item per key, the last change by (date, decision, line).
fn counted<'a, K: std::hash::Hash + Eq>(
    facts: impl Iterator<Item = &'a ChangeFact>,
    basis: DateBasis,
    key: impl Fn(&ChangeFact, Bucket) -> K,
) -> Vec<(&'a ChangeFact, Bucket, bool)> {
    let mut best: HashMap<K, (&ChangeFact, Bucket, bool)> = HashMap::new();
    for f in facts {
        let (b, annulled) = bucket_of(f.kind);
        let k = key(f, b);
        let rank = |x: &'a ChangeFact| (ref_date(x, basis), x.decision_no.as_str(), x.line);
        match best.get(&k) {
            Some((cur, _, _)) if rank(cur) >= rank(f) => {}
            _ => {
                best.insert(k, (f, b, annulled));
            }
        }
    }
    let mut v: Vec<_> = best.into_values().collect();
    v.sort_by(|a, b| {
        (ref_date(a.0, basis), &a.0.decision_no, a.0.line, a.1).cmp(&(
            ref_date(b.0, basis),
            &b.0.decision_no,
            b.0.line,
            b.1,
        ))
    });
    v
}

fn rows(
    items: &[CountedItem],
    key: impl Fn(&CountedItem) -> String,
    label: impl Fn(&str) -> String,
    order: impl Fn(&str, &str) -> std::cmp::Ordering,
) -> Vec<Row> {
    let mut m: BTreeMap<String, Counts> = BTreeMap::new();
    for i in items {
        m.entry(key(i)).or_default().add(i.bucket, i.annulled);
    }
    let mut out: Vec<Row> = m
        .into_iter()
        .map(|(k, counts)| Row {
            label: label(&k),
            key: k,
            counts,
        })
        .collect();
    out.sort_by(|a, b| order(&a.key, &b.key).then_with(|| a.key.cmp(&b.key)));
    out
}

/// Orders level keys by [`LEVEL_ORDER`].
pub fn level_order(a: &str, b: &str) -> std::cmp::Ordering {
    let pos = |k: &str| LEVEL_ORDER.iter().position(|x| *x == k).unwrap_or(99);
    pos(a).cmp(&pos(b))
}

/// Builds a section (totals, breakdowns, items) from counted items.
pub fn section(items: Vec<CountedItem>, labels: &BTreeMap<String, String>) -> ChangeSection {
    let mut total = Counts::default();
    for i in &items {
        total.add(i.bucket, i.annulled);
    }
    let lab = |k: &str| labels.get(k).cloned().unwrap_or_else(|| k.to_string());
    let by_label = |a: &str, b: &str| sort_key(&lab(a)).cmp(&sort_key(&lab(b)));
    ChangeSection {
        total,
        by_agency: rows(&items, |i| i.agency.clone(), lab, by_label),
        by_level: rows(
            &items,
            |i| i.level.clone(),
            |k| level_label(k).into(),
            level_order,
        ),
        by_sector: rows(&items, |i| i.sector_id.clone(), lab, by_label),
        by_kind: rows(
            &items,
            |i| kind_key(i.internal).0.into(),
            |k| kind_key(k == "internal").1.into(),
            |a, b| a.cmp(b),
        ),
        items,
    }
}

fn item(
    f: &ChangeFact,
    b: Bucket,
    annulled: bool,
    basis: DateBasis,
    agency: String,
) -> CountedItem {
    CountedItem {
        bucket: b,
        annulled,
        decision_no: f.decision_no.clone(),
        code: f.code.to_string(),
        date: ref_date(f, basis),
        issuer_org: f.issuer_org.clone(),
        agency,
        level: f.level.clone(),
        sector_id: f.sector_id.clone(),
        internal: f.internal,
        complete: f.complete,
        replaces: f.replaces.as_ref().map(|c| c.to_string()),
    }
}

/// Computes the report.
pub fn compute(inputs: &ReportInputs, ctx: EngineContext<'_>) -> Result<Report, ReportError> {
    let scope = inputs.scope.as_deref();
    let within: Option<HashSet<String>> = match scope {
        Some(s) if ctx.orgs.get(s).is_none() => return Err(ReportError::UnknownOrg(s.into())),
        Some(s) => Some(ctx.orgs.subtree(s)),
        None => None,
    };
    let inside = |org: &str| within.as_ref().is_none_or(|w| w.contains(org));
    let basis = inputs.basis;
    let changes: Vec<&ChangeFact> = inputs
        .changes
        .iter()
        .filter(|f| inside(&f.issuer_org))
        .collect();

    let mut labels: BTreeMap<String, String> = BTreeMap::new();
    let label_org = |id: &str, labels: &mut BTreeMap<String, String>| {
        labels
            .entry(id.to_string())
            .or_insert_with(|| ctx.orgs.name(id));
    };
    for f in &changes {
        let name = ctx
            .sectors
            .get(&f.sector_id)
            .cloned()
            .unwrap_or_else(|| f.sector.clone());
        labels.entry(f.sector_id.clone()).or_insert(name);
    }

    let to_items = |v: Vec<(&ChangeFact, Bucket, bool)>, labels: &mut BTreeMap<String, String>| {
        v.into_iter()
            .map(|(f, b, a)| {
                let agency = ctx.orgs.rollup(&f.issuer_org, scope);
                label_org(&agency, labels);
                item(f, b, a, basis, agency)
            })
            .collect::<Vec<_>>()
    };
    let national = counted(
        changes.iter().copied().filter(|f| !f.local_republication),
        basis,
        |f, b| (b, f.code.clone()),
    );
    let national = to_items(national, &mut labels);
    let local = counted(
        changes.iter().copied().filter(|f| f.local_republication),
        basis,
        |f, b| (b, f.issuer_org.clone(), f.code.clone()),
    );
    let local = to_items(local, &mut labels);

    let mut by_month: HashMap<(i32, u32), Vec<&ChangeFact>> = HashMap::new();
    for f in changes.iter().copied().filter(|f| !f.local_republication) {
        let d = ref_date(f, basis);
        by_month.entry((d.year(), d.month())).or_default().push(f);
    }
    let mut trend = Vec::new();
    for (y, m) in inputs.period.months() {
        let key = format!("{y}-{m:02}");
        let month = counted(
            by_month.get(&(y, m)).into_iter().flatten().copied(),
            basis,
            |f, b| (b, f.code.clone()),
        );
        let mut counts = Counts::default();
        for (_, b, a) in month {
            counts.add(b, a);
        }
        trend.push(TrendPoint { month: key, counts });
    }

    let stock = stock::section(inputs, ctx, &inside, &mut labels);
    let national = section(national, &labels);
    let local = section(local, &labels);
    let compliance = compliance::compute(inputs, ctx, &inside, &national, &mut labels)?;

    let fingerprint = ctx.calendar.fingerprint();
    let hash = inputs_hash(
        inputs,
        &HashedParams {
            rules: ctx.rules,
            calendar: &fingerprint,
            labels: &labels,
        },
    );
    let p = inputs.period;
    Ok(Report {
        meta: ReportMeta {
            kind: p.kind().into(),
            period: p.key(),
            period_label: p.label_vi(),
            from: p.from(),
            to: p.to(),
            basis,
            basis_note: basis_note(basis),
            scope: inputs.scope.clone(),
            scope_name: match scope {
                Some(s) => ctx.orgs.name(s),
                None => "Toàn quốc".into(),
            },
            inputs_hash: hash,
        },
        national,
        local,
        stock,
        compliance,
        trend,
        labels,
    })
}
