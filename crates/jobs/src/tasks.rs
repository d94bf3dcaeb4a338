//! The task reminder and escalation sweep (nhắc việc, đôn đốc, báo cáo vượt cấp). Every tick it
//! reads the open tasks that can need a reminder today, asks the pure schedule
//! (`thutuc_domain::tasks::due_reminders`) what is due, and enqueues one mail per recipient
//! and one in-app notification per organisation, in batches of one transaction each. Keys are
//! `task:{id}:{deadline}:{step}` (plus `:u{user}` for mail), so a second run, a run on another
//! server, or a rerun after a crash between two batches adds nothing that already exists, and
//! every reminder is mailed exactly once by the outbox worker.
//!
//! Catch-up window: a step whose day lies more than `lookback_days` (calendar days) in the past
//! is not enqueued again. Every step is enqueued by the first sweep on or after its day, so the
//! window only matters after an outage longer than it; it keeps the daily sweep to the steps of
//! the last days instead of re-offering years of old escalations to the dedupe index (and keeps a
//! first deployment from mailing escalations about tasks overdue for years).
//!
//! Recipients: "before" and "overdue" reminders go to the lead organisation's officers and
//! leaders; the first escalation to its leaders (officers when it has none); the second to the
//! Working Group (users with the oversight role).

use std::collections::HashMap;

use async_trait::async_trait;
use thutuc_domain::access::Role;
use thutuc_domain::tasks::{Reminder, ReminderKind, ReminderPolicy, ReminderTarget, due_reminders};
use thutuc_store::outbox::{NewNotification, OutgoingMail};
use thutuc_store::{Store, TaskRecord, User};

use crate::sweep::{JobError, Sweep, SweepCtx};

/// Rows per transaction when enqueueing.
const BATCH: usize = 500;

/// The reminder sweep with its policy.
#[derive(Debug, Clone)]
pub struct TaskReminderSweep {
    /// Working days before the deadline, overdue interval and escalation thresholds.
    pub policy: ReminderPolicy,
    /// Steps older than this many calendar days are not enqueued again (see the module docs).
    pub lookback_days: i64,
}

impl Default for TaskReminderSweep {
    fn default() -> Self {
        Self {
            policy: ReminderPolicy::default(),
            lookback_days: 14,
        }
    }
}

fn recipients<'a>(
    r: &Reminder,
    lead: &str,
    by_org: &'a HashMap<String, Vec<(User, Role)>>,
    oversight: &'a [User],
) -> Vec<&'a User> {
    let org_users = by_org.get(lead).map(Vec::as_slice).unwrap_or(&[]);
    let with = |pred: &dyn Fn(Role) -> bool| -> Vec<&'a User> {
        org_users
            .iter()
            .filter(|(_, role)| pred(*role))
            .map(|(u, _)| u)
            .collect()
    };
    match r.target {
        ReminderTarget::LeadOrg => with(&|r| matches!(r, Role::Officer | Role::Leader)),
        ReminderTarget::LeadOrgLeader => {
            let leaders = with(&|r| r == Role::Leader);
            if leaders.is_empty() {
                with(&|r| r == Role::Officer)
            } else {
                leaders
            }
        }
        ReminderTarget::WorkingGroup => oversight.iter().collect(),
    }
}

/// Subject and body of a reminder, in Vietnamese (the official language of the letters).
pub fn reminder_text(r: &Reminder, t: &TaskRecord) -> (String, String) {
    let deadline = t.task.deadline.format("%d/%m/%Y");
    let subject = match r.kind {
        ReminderKind::BeforeDeadline { working_days: 0 } => {
            format!("Nhắc việc: hôm nay là hạn hoàn thành «{}»", t.task.title)
        }
        ReminderKind::BeforeDeadline { working_days } => format!(
            "Nhắc việc: còn {working_days} ngày làm việc đến hạn «{}» ({deadline})",
            t.task.title
        ),
        ReminderKind::Overdue { working_days } => format!(
            "Đôn đốc: nhiệm vụ «{}» quá hạn {working_days} ngày làm việc",
            t.task.title
        ),
        ReminderKind::EscalateLeader { working_days } => format!(
            "Báo cáo lãnh đạo: nhiệm vụ «{}» của {} quá hạn từ {working_days} ngày làm việc",
            t.task.title, t.task.lead_org
        ),
        ReminderKind::EscalateGroup { working_days } => format!(
            "Báo cáo Tổ công tác: nhiệm vụ «{}» của {} quá hạn từ {working_days} ngày làm việc",
            t.task.title, t.task.lead_org
        ),
    };
    let body = format!(
        "Kính gửi: {lead}\n\n{subject}.\nCơ quan giao: {assigner}. Hạn hoàn thành: {deadline}. Tiến độ báo cáo: {progress}%.\n\
         Đề nghị cập nhật tiến độ hoặc báo cáo hoàn thành tại /can-bo/nhiem-vu/{id}.\n\n\
         Thư này được gửi tự động; mỗi nhắc việc chỉ gửi một lần.",
        lead = t.task.lead_org,
        assigner = t.task.assigner_org,
        progress = t.task.progress,
        id = t.id,
    );
    (subject, body)
}

#[async_trait]
impl<S: Store> Sweep<S> for TaskReminderSweep {
    fn name(&self) -> &'static str {
        "task-reminders"
    }

    async fn run(&self, ctx: &SweepCtx<'_, S>) -> Result<usize, JobError> {
        let today = ctx.today();
        let cal = &ctx.calendar;
        let furthest = self.policy.before.iter().copied().max().unwrap_or(0).max(0);
        let horizon = cal
            .add_working_days(today, furthest + 1)
            .map_err(|e| JobError::Other(e.to_string()))?;
        let tasks = ctx.store.reminder_candidates(today, horizon).await?;
        if tasks.is_empty() {
            return Ok(0);
        }
        let mut by_org: HashMap<String, Vec<(User, Role)>> = HashMap::new();
        let mut oversight = Vec::new();
        for u in ctx.store.list_users(None).await? {
            match Role::parse(&u.role) {
                Some(Role::Oversight) => oversight.push(u),
                Some(role) => by_org.entry(u.org_id.clone()).or_default().push((u, role)),
                None => {}
            }
        }
        let (mut mails, mut notes) = (Vec::new(), Vec::new());
        let mut created = 0;
        for t in &tasks {
            let due = due_reminders(t.id, &t.task, &self.policy, cal, today)
                .map_err(|e| JobError::Other(e.to_string()))?;
            for r in due
                .into_iter()
                .filter(|r| (today - r.fire_on).num_days() <= self.lookback_days)
            {
                let (subject, body) = reminder_text(&r, t);
                for u in recipients(&r, &t.task.lead_org, &by_org, &oversight) {
                    mails.push(OutgoingMail {
                        dedupe_key: format!("{}:u{}", r.dedupe_key, u.id),
                        to: u.email.clone(),
                        subject: subject.clone(),
                        body_text: body.clone(),
                        attachment: None,
                    });
                }
                let org = match r.target {
                    ReminderTarget::WorkingGroup => t.task.assigner_org.clone(),
                    _ => t.task.lead_org.clone(),
                };
                notes.push(NewNotification {
                    dedupe_key: r.dedupe_key.clone(),
                    user_id: None,
                    org_id: Some(org),
                    title: subject,
                    body: format!("Hạn {}", t.task.deadline.format("%d/%m/%Y")),
                    link: format!("/can-bo/nhiem-vu/{}", t.id),
                });
            }
            if mails.len() + notes.len() >= BATCH {
                created += ctx.store.enqueue_reminders(&mails, &notes).await?;
                mails.clear();
                notes.clear();
            }
        }
        if !mails.is_empty() || !notes.is_empty() {
            created += ctx.store.enqueue_reminders(&mails, &notes).await?;
        }
        Ok(created)
    }
}
