//! The scheduler: every tick it runs each registered sweep, then delivers due mail. A sweep is
//! idempotent — it derives what *should* exist (a reminder, an escalation, a frozen report) and
//! writes it under a dedupe key — so running it twice, or on two servers, or again after a crash
//! half-way, changes nothing the second time.

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use thutuc_domain::calendar::Calendar;
use thutuc_store::Store;

use crate::mail::Mailer;
use crate::worker::{DeliveryPolicy, DeliveryReport, deliver_due};

/// Errors of a sweep (logged; the next tick tries again).
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] thutuc_store::StoreError),
    /// Anything else, with its explanation.
    #[error("{0}")]
    Other(String),
}

/// What a sweep sees.
pub struct SweepCtx<'a, S> {
    /// The store.
    pub store: &'a S,
    /// The working-day calendar in force.
    pub calendar: Arc<Calendar>,
    /// Now.
    pub now: DateTime<Utc>,
}

impl<S> SweepCtx<'_, S> {
    /// Today's date in Vietnam (UTC+7), which is what deadlines are counted in.
    pub fn today(&self) -> NaiveDate {
        vn_date(self.now)
    }
}

/// The date in Vietnam (UTC+7, no daylight saving) at an instant.
pub fn vn_date(t: DateTime<Utc>) -> NaiveDate {
    (t + chrono::Duration::hours(7)).date_naive()
}

/// A periodic, idempotent piece of background work.
#[async_trait]
pub trait Sweep<S: Store>: Send + Sync {
    /// Name for logs and `/metrics`.
    fn name(&self) -> &'static str;
    /// Runs once; returns how many items it wrote (0 when everything already existed).
    async fn run(&self, ctx: &SweepCtx<'_, S>) -> Result<usize, JobError>;
}

/// The calendar source (the server swaps its calendar when officers edit days off).
pub type CalendarSource = Arc<dyn Fn() -> Arc<Calendar> + Send + Sync>;

/// What one tick did.
#[derive(Debug, Default)]
pub struct TickReport {
    /// Per sweep: its name and what it wrote (or its error).
    pub sweeps: Vec<(&'static str, Result<usize, String>)>,
    /// Mail delivery.
    pub delivery: DeliveryReport,
}

/// Runs sweeps and mail delivery on a fixed interval.
pub struct Runner<S: Store> {
    store: S,
    mailer: Mailer,
    policy: DeliveryPolicy,
    calendar: CalendarSource,
    sweeps: Vec<Arc<dyn Sweep<S>>>,
}

impl<S: Store> Runner<S> {
    /// A runner with no sweeps yet.
    pub fn new(store: S, mailer: Mailer, policy: DeliveryPolicy, calendar: CalendarSource) -> Self {
        Self {
            store,
            mailer,
            policy,
            calendar,
            sweeps: Vec::new(),
        }
    }

    /// Adds a sweep.
    pub fn with_sweep(mut self, sweep: Arc<dyn Sweep<S>>) -> Self {
        self.sweeps.push(sweep);
        self
    }

    /// Names of the registered sweeps.
    pub fn sweep_names(&self) -> Vec<&'static str> {
        self.sweeps.iter().map(|s| s.name()).collect()
    }

    /// One tick at `now`: every sweep, then delivery. Errors are reported, never fatal.
    pub async fn tick(&self, now: DateTime<Utc>) -> TickReport {
        let ctx = SweepCtx {
            store: &self.store,
            calendar: (self.calendar)(),
            now,
        };
        let mut report = TickReport::default();
        for s in &self.sweeps {
            let r = s.run(&ctx).await.map_err(|e| e.to_string());
            if let Err(e) = &r {
                tracing::warn!(sweep = s.name(), error = %e, "sweep failed");
            }
            report.sweeps.push((s.name(), r));
        }
        match deliver_due(&self.store, &self.mailer, &self.policy, now).await {
            Ok(d) => report.delivery = d,
            Err(e) => tracing::warn!(error = %e, "mail delivery round failed"),
        }
        report
    }

    /// Ticks forever every `every`, starting at once.
    pub fn spawn(self, every: std::time::Duration) -> tokio::task::JoinHandle<()>
    where
        S: Send + Sync,
    {
        tokio::spawn(async move {
            let mut iv = tokio::time::interval(every);
            iv.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                iv.tick().await;
                let r = self.tick(Utc::now()).await;
                if r.delivery.claimed > 0 {
                    tracing::info!(?r.delivery, "mail delivered");
                }
            }
        })
    }
}
