//! Delivering the outbox: claim due mail under a lease, send each, record the result, back off
//! on failure. Several workers (several servers on one PostgreSQL) never claim the same mail.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use thutuc_store::StoreResult;
use thutuc_store::outbox::OutboxStore;

use crate::mail::{MailError, Mailer};

/// Retry settings (`[mail]` in `thutuc.toml` may override).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeliveryPolicy {
    /// Mails claimed per round.
    pub batch: i64,
    /// Seconds a claim lasts; a worker that dies releases its mail after this.
    pub lease_secs: i64,
    /// Waits after the 1st, 2nd, … failed attempt, in seconds; the last repeats.
    pub backoff_secs: Vec<i64>,
    /// Attempts before a mail is marked dead.
    pub max_attempts: i64,
}

impl Default for DeliveryPolicy {
    fn default() -> Self {
        Self {
            batch: 50,
            lease_secs: 120,
            backoff_secs: vec![30, 120, 600, 1800, 3600, 6 * 3600],
            max_attempts: 12,
        }
    }
}

impl DeliveryPolicy {
    /// When to try again after `attempts` failures, or `None` to give up.
    pub fn retry_at(&self, attempts: i64, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        if attempts >= self.max_attempts {
            return None;
        }
        let idx = usize::try_from(attempts.max(1) - 1).unwrap_or(0);
        let wait = self
            .backoff_secs
            .get(idx)
            .or(self.backoff_secs.last())
            .copied()
            .unwrap_or(60);
        Some(now + Duration::seconds(wait.max(1)))
    }
}

/// What one round did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DeliveryReport {
    /// Mails claimed.
    pub claimed: usize,
    /// Accepted by the server.
    pub sent: usize,
    /// Failed, to be retried.
    pub retried: usize,
    /// Failed for good.
    pub dead: usize,
}

/// Delivers due mail until none is left (or the mailer is disabled). Safe to run concurrently.
pub async fn deliver_due<S: OutboxStore>(
    store: &S,
    mailer: &Mailer,
    policy: &DeliveryPolicy,
    now: DateTime<Utc>,
) -> StoreResult<DeliveryReport> {
    let mut report = DeliveryReport::default();
    if !mailer.is_enabled() {
        return Ok(report);
    }
    let token = claim_token();
    loop {
        let batch = store
            .claim_mail(now, policy.lease_secs, &token, policy.batch)
            .await?;
        if batch.is_empty() {
            return Ok(report);
        }
        report.claimed += batch.len();
        let mut all_failed = true;
        for m in batch {
            match mailer.send(&m).await {
                Ok(()) => {
                    all_failed = false;
                    store.mark_mail_sent(m.id, &token, Utc::now()).await?;
                    report.sent += 1;
                }
                Err(e) => {
                    let retry = match e {
                        MailError::Permanent(_) => None,
                        _ => policy.retry_at(m.attempts, Utc::now()),
                    };
                    tracing::warn!(mail = m.id, attempts = m.attempts, error = %e, "mail delivery failed");
                    if retry.is_some() {
                        report.retried += 1;
                    } else {
                        report.dead += 1;
                    }
                    store
                        .mark_mail_failed(m.id, &token, &e.to_string(), retry)
                        .await?;
                }
            }
        }
        // A server that refuses everything: stop this round and let the backoff work.
        if all_failed {
            return Ok(report);
        }
    }
}

fn claim_token() -> String {
    use rand::RngCore;
    let mut b = [0u8; 12];
    rand::thread_rng().fill_bytes(&mut b);
    hex::encode(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_then_repeats_and_gives_up_at_the_limit() {
        let p = DeliveryPolicy {
            backoff_secs: vec![10, 100],
            max_attempts: 4,
            ..DeliveryPolicy::default()
        };
        let t0 = DateTime::<Utc>::UNIX_EPOCH;
        assert_eq!(p.retry_at(1, t0), Some(t0 + Duration::seconds(10)));
        assert_eq!(p.retry_at(2, t0), Some(t0 + Duration::seconds(100)));
        assert_eq!(p.retry_at(3, t0), Some(t0 + Duration::seconds(100)));
        assert_eq!(p.retry_at(4, t0), None);
    }
}
