//! The outbox worker: claims due messages, delivers them, and schedules retries with
//! exponential backoff. Safe to run on every node: a claim is one conditional update.

use std::time::Duration;

use super::{MailError, Mailer};
use crate::clock::SharedClock;
use crate::db::outbox::{claim_due, mark_failed, mark_retry, mark_sent};
use crate::db::{Db, DbError};

/// How long a worker holds a claimed message before another may try it.
const CLAIM_SECS: i64 = 120;
/// Attempts before a message is given up.
pub const MAX_ATTEMPTS: i64 = 12;

/// Seconds to wait before attempt `attempt + 1`: 10 s, 20 s, 40 s … at most an hour.
pub fn backoff_secs(attempt: i64) -> i64 {
    let exp = u32::try_from(attempt.clamp(1, 20) - 1).unwrap_or(0);
    (10_i64.saturating_mul(2_i64.saturating_pow(exp))).min(3600)
}

/// Delivers every message that is due now; returns how many were sent.
pub async fn deliver_due(db: &Db, clock: &SharedClock, mailer: &Mailer) -> Result<usize, DbError> {
    let mut sent = 0;
    while let Some((mail, attempt)) = claim_due(db.pool(), clock.now(), CLAIM_SECS).await? {
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
                let wait = backoff_secs(attempt);
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
pub fn spawn(db: Db, clock: SharedClock, mailer: Mailer, interval: Duration) {
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(interval);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticker.tick().await;
            if let Err(e) = deliver_due(&db, &clock, &mailer).await {
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
        assert_eq!(backoff_secs(1), 10);
        assert_eq!(backoff_secs(2), 20);
        assert_eq!(backoff_secs(3), 40);
        assert_eq!(backoff_secs(12), 3600);
        assert_eq!(backoff_secs(100), 3600);
    }
}
