//! Background work, out of the request path: the outbox mail worker and the scheduler of
//! idempotent sweeps.
//!
//! - [`mail`]: the transport (SMTP relay, `.eml` directory, or disabled) and MIME building.
//! - [`worker`]: claim due outbox mail under a lease, send, record, back off.
//! - [`sweep`]: the [`Sweep`] trait and the [`Runner`] that ticks sweeps and delivery.
//! - [`reports`]: freezing the monthly report edition and mailing it to subscribers.
//!
//! Feature sweeps (task reminders and escalation, feedback escalation) live in their own
//! modules and are registered in [`standard_runner`].

pub mod feedback;
pub mod mail;
pub mod reports;
pub mod sweep;
pub mod tasks;
pub mod worker;

use std::sync::Arc;

pub use mail::{MailConfig, MailError, Mailer};
pub use sweep::{CalendarSource, JobError, Runner, Sweep, SweepCtx, TickReport, vn_date};
pub use worker::{DeliveryPolicy, DeliveryReport, deliver_due};

use thutuc_store::Store;

/// Everything the standard sweeps need from the server's configuration.
pub struct JobsSetup {
    /// Monthly report edition, when configured.
    pub monthly_edition: Option<reports::MonthlyEditionSweep>,
    /// Task reminders and escalation (always on; the policy is configurable).
    pub task_reminders: tasks::TaskReminderSweep,
    /// Feedback escalation (always on; deadlines from `[feedback]`).
    pub feedback: feedback::FeedbackEscalationSweep,
}

/// The runner with every standard sweep registered. Features add theirs here.
pub fn standard_runner<S: Store + Send + Sync>(
    store: S,
    mailer: Mailer,
    policy: DeliveryPolicy,
    calendar: CalendarSource,
    setup: JobsSetup,
) -> Runner<S> {
    let mut r =
        Runner::new(store, mailer, policy, calendar).with_sweep(Arc::new(setup.task_reminders));
    r = r.with_sweep(Arc::new(setup.feedback));
    if let Some(m) = setup.monthly_edition {
        r = r.with_sweep(Arc::new(m));
    }
    r
}
