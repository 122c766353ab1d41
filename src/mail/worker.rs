//! The outbox worker: claims due messages, delivers them, and schedules retries with
//! exponential backoff. Safe to run on every node: a claim is one conditional update.

use std::time::Duration;

use super::{MailError, Mailer};
use crate::clock::SharedClock;
use crate::db::outbox::{claim_due, mark_failed, mark_retry, mark_sent};
use crate::db::{Db, DbError};

/// Attempts before a message is given up.
pub const MAX_ATTEMPTS: i64 = 12;

/// When deliveries are claimed and retried (`mail.claim_secs`, `mail.retry_base_secs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    /// How long a worker holds a claimed message before another may try it.
    pub claim_secs: i64,
    /// The wait before the first retry.
    pub retry_base_secs: i64,
}

impl Default for Schedule {
    fn default() -> Self {
        Self {
            claim_secs: 120,
            retry_base_secs: 10,
        }
    }
}

impl Schedule {
    /// From the settings (each at least a second).
    pub fn of(settings: &crate::config::MailSettings) -> Self {
        let secs = |v: u64| i64::try_from(v.max(1)).unwrap_or(i64::MAX);
        Self {
            claim_secs: secs(settings.claim_secs),
            retry_base_secs: secs(settings.retry_base_secs),
        }
    }

    /// Seconds to wait before attempt `attempt + 1`: the base, doubling with each further
    /// failure, at most an hour.
    pub fn backoff_secs(self, attempt: i64) -> i64 {
        let exp = u32::try_from(attempt.clamp(1, 20) - 1).unwrap_or(0);
        (self
            .retry_base_secs
            .saturating_mul(2_i64.saturating_pow(exp)))
        .min(3600)
    }
}

/// Delivers every message that is due now; returns how many were sent.
pub async fn deliver_due(
    db: &Db,
    clock: &SharedClock,
    mailer: &Mailer,
    schedule: Schedule,
) -> Result<usize, DbError> {
    let mut sent = 0;
    while let Some((mail, attempt)) = claim_due(db.pool(), clock.now(), schedule.claim_secs).await?
    {
        match mailer.send(&mail).await {
            Ok(()) => {
                mark_sent(db.pool(), &mail.id, clock.now()).await?;
                tracing::info!(message_id = %mail.message_id, attempt, "email delivered");
                sent += 1;
            }
            Err(MailError::Permanent(e)) => {
                tracing::error!(message_id = %mail.message_id, error = %e, "email refused for good");
                mark_failed(db.pool(), &mail.id, clock.now(), &e).await?;
            }
            Err(MailError::Temporary(e)) if attempt >= MAX_ATTEMPTS => {
                tracing::error!(message_id = %mail.message_id, error = %e, attempt, "email given up");
                mark_failed(db.pool(), &mail.id, clock.now(), &e).await?;
            }
            Err(MailError::Temporary(e)) => {
                let wait = schedule.backoff_secs(attempt);
                tracing::warn!(message_id = %mail.message_id, error = %e, attempt, wait, "email will be retried");
                mark_retry(db.pool(), &mail.id, clock.now() + wait, &e).await?;
                // The transport is failing: stop this round rather than fail every message.
                break;
            }
        }
    }
    Ok(sent)
}

/// Runs `deliver_due` every `interval` until the process ends.
pub fn spawn(db: Db, clock: SharedClock, mailer: Mailer, interval: Duration, schedule: Schedule) {
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(interval);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticker.tick().await;
            if let Err(e) = deliver_due(&db, &clock, &mailer, schedule).await {
                tracing::warn!(error = %e, "outbox round failed");
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_an_hour() {
        let s = Schedule::default();
        assert_eq!(s.backoff_secs(1), 10);
        assert_eq!(s.backoff_secs(2), 20);
        assert_eq!(s.backoff_secs(3), 40);
        assert_eq!(s.backoff_secs(12), 3600);
        assert_eq!(s.backoff_secs(100), 3600);
        let quick = Schedule {
            claim_secs: 2,
            retry_base_secs: 1,
        };
        assert_eq!(quick.backoff_secs(3), 4);
    }
}
