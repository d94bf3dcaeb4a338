//! Feedback escalation sweep (phản ánh, kiến nghị quá hạn): every tick, open items overdue
//! by the agency's ladder are escalated to the agency's leaders, then to the Working Group.
//! The store raises the level and enqueues the mails and notifications in one transaction,
//! under dedupe keys, so the sweep is idempotent and each mail is sent exactly once.

use async_trait::async_trait;
use thutuc_domain::feedback::DeadlineConfig;
use thutuc_store::Store;
use thutuc_store::feedback::FeedbackClock;

use crate::sweep::{JobError, Sweep, SweepCtx};

/// Escalates overdue feedback items.
#[derive(Debug, Default)]
pub struct FeedbackEscalationSweep {
    /// Deadline and escalation policies per agency.
    pub config: DeadlineConfig,
}

#[async_trait]
impl<S: Store> Sweep<S> for FeedbackEscalationSweep {
    fn name(&self) -> &'static str {
        "feedback_escalation"
    }

    async fn run(&self, ctx: &SweepCtx<'_, S>) -> Result<usize, JobError> {
        let clock = FeedbackClock {
            cal: &ctx.calendar,
            config: &self.config,
        };
        let raised = ctx.store.escalate_feedback(ctx.today(), clock).await?;
        for (item, level) in &raised {
            tracing::info!(item = item.id, org = %item.current_org, level = %level, "feedback escalated");
        }
        Ok(raised.len())
    }
}
