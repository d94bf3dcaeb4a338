//! The statistics dashboard of the workspace (issue 7): a month picker, the month's counts of
//! procedures newly issued, amended, replaced and abolished, the stock in force, compliance,
//! the agency table, a 12- or 24-month trend chart, downloads, and a drill-down page listing the
//! procedures and decisions behind every number.
//!
//! Who sees what: the Working Group (oversight) and administrators see every scope, the
//! national one included; an officer or leader sees their own organisation's subtree only.
//! Past months come from their frozen edition. Computed figures are kept for as long as the
//! statistics mirror is unchanged (its version, read at every request, is part of the cache
//! key; at most [`FIGURES_MAX_AGE`]), concurrent viewers of the same uncomputed figures wait
//! for one computation, and trend months are cached one by one, so the page stays cheap under
//! load without ever showing figures older than the data.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use askama::Template;
use axum::extract::{Query, State};
use axum::response::IntoResponse;
use serde::Deserialize;
use thutuc_domain::access::Role;
use thutuc_reports::drill::CellRef;
use thutuc_reports::model::{Counts, Report, TrendPoint};
use thutuc_reports::output::svg::trend_bars;
use thutuc_reports::service::{ReportEnv, ReportRequest, trend};
use thutuc_reports::{DateBasis, Period, ReportError, edition};
use thutuc_store::Store;

use crate::pages::context::{Base, Ctx};
use crate::pages::error::{PageError, PageResult, html};
use crate::pages::fmt::{self, today_vn};
use crate::session::Viewer;
use crate::state::AppState;

/// The longest computed dashboard figures are reused while the data stays the same (organisation
/// and field names are read again after it).
pub const FIGURES_MAX_AGE: Duration = Duration::from_secs(600);

/// Most figures kept (counts only: a few kilobytes each).
const FIGURES_KEPT: usize = 1024;

/// Query of the dashboard and drill-down pages.
#[derive(Debug, Default, Deserialize)]
pub struct StatsQuery {
    /// Month `YYYY-MM` (default: last month).
    pub thang: Option<String>,
    /// Organisation scope (default: national for the Working Group, own org otherwise).
    pub co_quan: Option<String>,
    /// `signed` (default) or `effective`.
    pub ngay: Option<String>,
    /// Trend length: 12 (default) or 24 months.
    pub ky: Option<u32>,
    /// Drill-down cell (`national.agency.BTP.new`).
    pub o: Option<String>,
}

/// The figures of one dashboard, shared by concurrent viewers (the report without its counted
/// items).
struct Figures {
    report: Report,
    edition: Option<i64>,
    trend: Vec<TrendPoint>,
}

/// Figures being or already computed: the first viewer computes, the others await the cell.
type FigureSlot = Arc<tokio::sync::OnceCell<Arc<Figures>>>;
type FigureCache = Mutex<HashMap<String, (Instant, FigureSlot)>>;

fn cache() -> &'static FigureCache {
    static CACHE: std::sync::OnceLock<FigureCache> = std::sync::OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}

/// Trend counts per (scope, basis, month), with the mirror version they were read at.
type TrendCache = Mutex<HashMap<(String, &'static str, String), (String, Counts)>>;

fn trend_cache() -> &'static TrendCache {
    static CACHE: std::sync::OnceLock<TrendCache> = std::sync::OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}

fn bad(msg: String) -> PageError {
    PageError::bad_request(msg)
}

fn report_err(e: ReportError) -> PageError {
    match e {
        ReportError::Store(s) => s.into(),
        e if e.is_bad_request() => bad(e.to_string()),
        e => PageError::internal(format!("dashboard: {e}")),
    }
}

/// The request a query asks for, after checking the viewer may see its scope.
fn request<S: Store>(
    st: &AppState<S>,
    viewer: &Viewer,
    q: &StatsQuery,
) -> Result<(ReportRequest, u32), PageError> {
    let month = match q.thang.as_deref().filter(|m| !m.is_empty()) {
        None => Period::previous_month(today_vn()),
        Some(m) if m.len() == 7 => Period::parse(m).map_err(report_err)?,
        Some(m) => {
            return Err(bad(format!(
                "tháng «{m}» không hợp lệ: dùng YYYY-MM / use YYYY-MM"
            )));
        }
    };
    let basis = match q.ngay.as_deref().filter(|x| !x.is_empty()) {
        None => DateBasis::Signed,
        Some(x) => DateBasis::parse(x)
            .ok_or_else(|| bad(format!("ngày tham chiếu «{x}»: dùng signed hoặc effective")))?,
    };
    let sees_all = matches!(viewer.actor.role, Role::Oversight | Role::Admin);
    let scope = match q.co_quan.as_deref().filter(|o| !o.is_empty()) {
        None if sees_all => None,
        None => Some(viewer.actor.org_id.clone()),
        Some(o) => {
            let tree = st.tree();
            if tree.get(o).is_none() {
                return Err(bad(format!(
                    "cơ quan «{o}» không tồn tại / unknown organisation"
                )));
            }
            if !sees_all && !tree.is_within(o, &viewer.actor.org_id) {
                return Err(PageError::forbidden(format!(
                    "bạn không được xem số liệu của «{o}» / you may not see this organisation"
                )));
            }
            Some(o.to_string())
        }
    };
    let ky = match q.ky {
        None | Some(12) => 12,
        Some(24) => 24,
        Some(n) => return Err(bad(format!("kỳ xu hướng «{n}»: dùng 12 hoặc 24 tháng"))),
    };
    Ok((
        ReportRequest {
            period: month,
            basis,
            scope,
        },
        ky,
    ))
}

async fn env<S: Store>(st: &AppState<S>) -> Result<ReportEnv, PageError> {
    Ok(st.report_env().await?)
}

async fn figures<S: Store>(
    st: &AppState<S>,
    req: &ReportRequest,
    ky: u32,
) -> Result<Arc<Figures>, PageError> {
    let today = today_vn();
    // Cheap when nothing changed (two small reads); names the state the figures are read at.
    let version = st.store.refresh_stats(today).await?.version;
    let env = env(st).await?;
    let key = format!(
        "{}|{}|{}|{ky}|{version}|{:p}",
        req.period.key(),
        req.basis.as_str(),
        req.scope.clone().unwrap_or_default(),
        Arc::as_ptr(&env.orgs)
    );
    let slot = {
        let mut m = cache()
            .lock()
            .map_err(|_| PageError::internal("dashboard cache poisoned"))?;
        m.retain(|_, (at, _)| at.elapsed() < FIGURES_MAX_AGE);
        if m.len() >= FIGURES_KEPT && !m.contains_key(&key) {
            let mut ages: Vec<Instant> = m.values().map(|(at, _)| *at).collect();
            ages.sort_unstable();
            let cut = ages[ages.len() / 2];
            m.retain(|_, (at, _)| *at > cut);
        }
        m.entry(key)
            .or_insert_with(|| (Instant::now(), FigureSlot::default()))
            .1
            .clone()
    };
    let f = slot
        .get_or_try_init(|| async {
            let (mut report, edition) = edition::frozen_or_live(&st.store, &env, req, today)
                .await
                .map_err(report_err)?;
            // The page shows counts; the counted items (megabytes for a busy month) are read
            // again by the drill-down page, so many months can be kept.
            report.national.items = Vec::new();
            report.local.items = Vec::new();
            report.stock.flows = Vec::new();
            report.compliance.items = Vec::new();
            let trend = trend_months(st, &env, req, ky, &version).await?;
            Ok::<_, PageError>(Arc::new(Figures {
                report,
                edition,
                trend,
            }))
        })
        .await?;
    Ok(f.clone())
}

/// The `ky` months of trend ending with the request's month: months already read at this
/// version come from the cache, the others from one query over their range.
async fn trend_months<S: Store>(
    st: &AppState<S>,
    env: &ReportEnv,
    req: &ReportRequest,
    ky: u32,
    version: &str,
) -> Result<Vec<TrendPoint>, PageError> {
    let scope = req.scope.clone().unwrap_or_default();
    let basis = req.basis.as_str();
    let first = req
        .period
        .from()
        .checked_sub_months(chrono::Months::new(ky.saturating_sub(1)))
        .unwrap_or(req.period.from());
    let months: Vec<String> = Period::range(first, req.period.to())
        .map_err(report_err)?
        .months()
        .into_iter()
        .map(|(y, m)| format!("{y}-{m:02}"))
        .collect();
    let mut found: Vec<Option<Counts>> = match trend_cache().lock() {
        Ok(c) => months
            .iter()
            .map(|m| {
                c.get(&(scope.clone(), basis, m.clone()))
                    .filter(|(v, _)| v == version)
                    .map(|(_, counts)| *counts)
            })
            .collect(),
        Err(_) => vec![None; months.len()],
    };
    let missing: Vec<usize> = (0..months.len()).filter(|i| found[*i].is_none()).collect();
    if let (Some(&lo), Some(&hi)) = (missing.first(), missing.last()) {
        let last = Period::parse(&months[hi]).map_err(report_err)?;
        let points = trend(
            &st.store,
            env,
            last,
            (hi - lo + 1) as u32,
            req.basis,
            req.scope.clone(),
        )
        .await
        .map_err(report_err)?;
        if let Ok(mut c) = trend_cache().lock() {
            if c.len() > 20_000 {
                c.clear();
            }
            for p in &points {
                c.insert(
                    (scope.clone(), basis, p.month.clone()),
                    (version.to_string(), p.counts),
                );
            }
        }
        for (i, p) in (lo..=hi).zip(points) {
            found[i] = Some(p.counts);
        }
    }
    Ok(months
        .into_iter()
        .zip(found)
        .map(|(month, counts)| TrendPoint {
            month,
            counts: counts.unwrap_or_default(),
        })
        .collect())
}

/// One row of the agency table.
pub struct AgencyRow {
    /// Agency id.
    pub key: String,
    /// Name.
    pub label: String,
    /// Counts.
    pub counts: Counts,
}

/// One month of the trend table.
pub struct TrendRow {
    /// `MM/YYYY`.
    pub month: String,
    /// Counts.
    pub counts: Counts,
}

#[derive(Template)]
#[template(path = "stats.html")]
struct DashboardPage {
    b: Base,
    month: String,
    month_label: String,
    basis: &'static str,
    basis_note: String,
    scope: String,
    scope_name: String,
    scopes: Vec<(String, String)>,
    ky: u32,
    edition: Option<i64>,
    total: Counts,
    stock_start: i64,
    stock_end: i64,
    entered: i64,
    exited: i64,
    decisions: i64,
    on_time: i64,
    late: i64,
    posted_on_time: i64,
    posted_late: i64,
    complete_share: String,
    agencies: Vec<AgencyRow>,
    chart: String,
    trend: Vec<TrendRow>,
    qs: String,
    api_qs: String,
    subscribed: bool,
}

impl DashboardPage {
    fn drill(&self, cell: &str) -> String {
        format!(
            "/can-bo/thong-ke/chi-tiet?{}&o={}",
            self.qs,
            fmt::q_enc(cell)
        )
    }
}

fn month_label(key: &str) -> String {
    key.split_once('-')
        .map(|(y, m)| format!("{m}/{y}"))
        .unwrap_or_else(|| key.to_string())
}

/// Scopes the viewer may pick: national and every ministry/province for the Working Group,
/// their own organisation and its direct units otherwise.
fn scopes<S: Store>(st: &AppState<S>, viewer: &Viewer) -> Vec<(String, String)> {
    let tree = st.tree();
    let mut out = Vec::new();
    if matches!(viewer.actor.role, Role::Oversight | Role::Admin) {
        out.push((String::new(), "Toàn quốc".to_string()));
        for root in tree.roots() {
            for id in tree.children(&root.id) {
                if let Some(o) = tree.get(id) {
                    out.push((o.id.clone(), o.name.clone()));
                }
            }
        }
    } else if let Some(o) = tree.get(&viewer.actor.org_id) {
        out.push((o.id.clone(), o.name.clone()));
        for id in tree.children(&o.id) {
            if let Some(c) = tree.get(id) {
                out.push((c.id.clone(), c.name.clone()));
            }
        }
    }
    out
}

fn query_string(req: &ReportRequest, ky: u32) -> (String, String) {
    let scope = req.scope.clone().unwrap_or_default();
    (
        format!(
            "thang={}&co_quan={}&ngay={}&ky={ky}",
            req.period.key(),
            fmt::q_enc(&scope),
            req.basis.as_str()
        ),
        format!(
            "month={}&org={}&date={}",
            req.period.key(),
            fmt::q_enc(&scope),
            req.basis.as_str()
        ),
    )
}

/// `GET /can-bo/thong-ke`: the dashboard.
pub async fn dashboard<S: Store>(
    State(st): State<AppState<S>>,
    ctx: Ctx,
    Query(q): Query<StatsQuery>,
) -> PageResult {
    let viewer = ctx.viewer()?;
    let (req, ky) = request(&st, viewer, &q)?;
    let f = figures(&st, &req, ky).await?;
    let r = &f.report;
    let mut agencies: Vec<AgencyRow> = r
        .national
        .by_agency
        .iter()
        .map(|row| AgencyRow {
            key: row.key.clone(),
            label: row.label.clone(),
            counts: row.counts,
        })
        .collect();
    agencies.sort_by(|a, b| {
        b.counts.total().cmp(&a.counts.total()).then_with(|| {
            thutuc_domain::text::sort_key(&a.label).cmp(&thutuc_domain::text::sort_key(&b.label))
        })
    });
    let (qs, api_qs) = query_string(&req, ky);
    let title = format!(
        "{} {}",
        ctx.lang.t("stats.title"),
        month_label(&req.period.key())
    );
    let c = &r.compliance;
    let t = DashboardPage {
        b: ctx.base(title, "workspace"),
        month: req.period.key(),
        month_label: month_label(&req.period.key()),
        basis: req.basis.as_str(),
        basis_note: r.meta.basis_note.clone(),
        scope: req.scope.clone().unwrap_or_default(),
        scope_name: r.meta.scope_name.clone(),
        scopes: scopes(&st, viewer),
        ky,
        edition: f.edition,
        total: r.national.total,
        stock_start: r.stock.start,
        stock_end: r.stock.end,
        entered: r.stock.entered,
        exited: r.stock.exited,
        decisions: c.decisions,
        on_time: c.on_time,
        late: c.late,
        posted_on_time: c.posted_on_time,
        posted_late: c.posted_late,
        complete_share: c
            .complete_share
            .map(|x| format!("{:.1} %", x * 100.0).replace('.', ","))
            .unwrap_or_else(|| "—".into()),
        agencies,
        chart: trend_bars(&f.trend, ctx.lang.t("stats.trend"), "trend"),
        trend: f
            .trend
            .iter()
            .map(|p| TrendRow {
                month: month_label(&p.month),
                counts: p.counts,
            })
            .collect(),
        qs,
        api_qs,
        subscribed: st
            .store
            .subscriptions_of(viewer.actor.user_id)
            .await?
            .iter()
            .any(|x| x.scope == req.scope.clone().unwrap_or_default()),
    };
    html(&t)
}

/// The subscription form.
#[derive(Debug, Deserialize)]
pub struct SubscribeForm {
    /// Scope (empty for national).
    #[serde(default)]
    pub co_quan: String,
    /// `1` to subscribe, `0` to stop.
    pub on: u8,
    /// Where to return (the dashboard's query string).
    #[serde(default)]
    pub qs: String,
}

/// `POST /can-bo/thong-ke/dang-ky`: opt in or out of the monthly report e-mail for a scope
/// the viewer may see.
pub async fn subscribe<S: Store>(
    State(st): State<AppState<S>>,
    ctx: Ctx,
    axum::Form(f): axum::Form<SubscribeForm>,
) -> PageResult {
    let viewer = ctx.viewer()?;
    let q = StatsQuery {
        co_quan: Some(f.co_quan.clone()),
        ..Default::default()
    };
    let (req, _) = request(&st, viewer, &q)?;
    let scope = req.scope.unwrap_or_default();
    let e = crate::pages::audit::entry(
        &viewer.actor.email,
        if f.on == 1 {
            "report.subscribe"
        } else {
            "report.unsubscribe"
        },
        ("report_subscription", &scope),
        None,
        None,
    );
    let user = viewer.actor.user_id;
    if f.on == 1 {
        crate::pages::audit::audited(&st.store, e, st.store.subscribe_reports(user, &scope))
            .await?;
    } else {
        crate::pages::audit::audited(&st.store, e, st.store.unsubscribe_reports(user, &scope))
            .await?;
    }
    // Back to the same dashboard; only our own query string is accepted.
    let back = if f
        .qs
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "=&-_%.".contains(c))
    {
        format!("/can-bo/thong-ke?{}", f.qs)
    } else {
        "/can-bo/thong-ke".to_string()
    };
    Ok(axum::response::Redirect::to(&back).into_response())
}

/// One line of the drill-down.
pub struct DrillRow {
    /// Procedure code.
    pub code: String,
    /// Procedure name, when known.
    pub name: String,
    /// Decision number.
    pub decision: String,
    /// `dd/mm/yyyy`.
    pub date: String,
}

#[derive(Template)]
#[template(path = "stats_drill.html")]
struct DrillPage {
    b: Base,
    cell: String,
    month_label: String,
    scope_name: String,
    rows: Vec<DrillRow>,
    back: String,
}

/// `GET /can-bo/thong-ke/chi-tiet?…&o=CELL`: the procedures and decisions behind a number.
pub async fn drill<S: Store>(
    State(st): State<AppState<S>>,
    ctx: Ctx,
    Query(q): Query<StatsQuery>,
) -> PageResult {
    let viewer = ctx.viewer()?;
    let (req, ky) = request(&st, viewer, &q)?;
    let cell_s = q.o.clone().unwrap_or_default();
    let cell = CellRef::parse(&cell_s).map_err(report_err)?;
    let env = env(&st).await?;
    let (report, _) = edition::frozen_or_live(&st.store, &env, &req, today_vn())
        .await
        .map_err(report_err)?;
    let items = report.drill(&cell).map_err(report_err)?;
    let mut names: HashMap<String, String> = HashMap::new();
    for i in items.iter().take(2_000) {
        if let Some(code) = &i.code
            && !names.contains_key(code)
            && let Ok(c) = thutuc_domain::TthcCode::parse(code)
            && let Ok(v) = st.store.current_version(&c).await
        {
            names.insert(code.clone(), v.content.name.clone());
        }
    }
    let (qs, _) = query_string(&req, ky);
    let rows = items
        .iter()
        .map(|i| DrillRow {
            name: i
                .code
                .as_ref()
                .and_then(|c| names.get(c).cloned())
                .unwrap_or_default(),
            code: i.code.clone().unwrap_or_default(),
            decision: i.decision_no.clone().unwrap_or_default(),
            date: fmt::date(i.date),
        })
        .collect();
    let t = DrillPage {
        b: ctx.base(ctx.lang.t("stats.drill_title"), "workspace"),
        cell: cell_s,
        month_label: month_label(&req.period.key()),
        scope_name: report.meta.scope_name.clone(),
        rows,
        back: format!("/can-bo/thong-ke?{qs}"),
    };
    html(&t)
}
