//! Queries on `outbox`: queue a message inside the caller's transaction; claim, deliver,
//! retry or give up in the worker.

use sqlx::{Any, Executor};

use super::{DbError, col};

/// A rendered message to queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingMail {
    /// Unique row id.
    pub id: String,
    /// The Message-ID header, fixed for every delivery attempt.
    pub message_id: String,
    /// The recipient's address.
    pub recipient: String,
    /// Subject line.
    pub subject: String,
    /// Plain-text body.
    pub body_text: String,
    /// HTML body.
    pub body_html: String,
}

/// Queues a message, due at once.
pub async fn enqueue<'c, E>(conn: E, mail: &OutgoingMail, now: i64) -> Result<(), DbError>
where
    E: Executor<'c, Database = Any>,
{
    sqlx::query(
        "INSERT INTO outbox (id, message_id, recipient, subject, body_text, body_html, \
         created_at, next_attempt_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
    )
    .bind(mail.id.as_str())
    .bind(mail.message_id.as_str())
    .bind(mail.recipient.as_str())
    .bind(mail.subject.as_str())
    .bind(mail.body_text.as_str())
    .bind(mail.body_html.as_str())
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Claims the next due message for `claim_secs` (a crashed worker's claim runs out, and the
/// message is tried again). Returns it with the number of this attempt.
pub async fn claim_due<'c, E>(
    conn: E,
    now: i64,
    claim_secs: i64,
) -> Result<Option<(OutgoingMail, i64)>, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let row = sqlx::query(
        "UPDATE outbox SET claimed_until = $1, attempts = attempts + 1 \
         WHERE id = (SELECT id FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL \
                     AND next_attempt_at <= $2 AND (claimed_until IS NULL OR claimed_until <= $2) \
                     ORDER BY next_attempt_at, created_at LIMIT 1) \
         AND (claimed_until IS NULL OR claimed_until <= $2) \
         RETURNING id, message_id, recipient, subject, body_text, body_html, attempts",
    )
    .bind(now + claim_secs)
    .bind(now)
    .fetch_optional(conn)
    .await?;
    row.map(|r| {
        Ok((
            OutgoingMail {
                id: col(&r, "id")?,
                message_id: col(&r, "message_id")?,
                recipient: col(&r, "recipient")?,
                subject: col(&r, "subject")?,
                body_text: col(&r, "body_text")?,
                body_html: col(&r, "body_html")?,
            },
            col(&r, "attempts")?,
        ))
    })
    .transpose()
}

/// Records a delivery. The bodies are emptied: they carry single-use links in clear, which
/// must not outlive their delivery.
pub async fn mark_sent<'c, E>(conn: E, id: &str, now: i64) -> Result<(), DbError>
where
    E: Executor<'c, Database = Any>,
{
    sqlx::query(
        "UPDATE outbox SET sent_at = $1, claimed_until = NULL, last_error = NULL, \
         body_text = '', body_html = '' WHERE id = $2",
    )
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Records a failed attempt and when to try again.
pub async fn mark_retry<'c, E>(
    conn: E,
    id: &str,
    next_attempt_at: i64,
    error: &str,
) -> Result<(), DbError>
where
    E: Executor<'c, Database = Any>,
{
    sqlx::query(
        "UPDATE outbox SET next_attempt_at = $1, claimed_until = NULL, last_error = $2 WHERE id = $3",
    )
    .bind(next_attempt_at)
    .bind(error)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Gives up on a message (permanent refusal, or too many attempts); its bodies are emptied.
pub async fn mark_failed<'c, E>(conn: E, id: &str, now: i64, error: &str) -> Result<(), DbError>
where
    E: Executor<'c, Database = Any>,
{
    sqlx::query(
        "UPDATE outbox SET failed_at = $1, claimed_until = NULL, last_error = $2, \
         body_text = '', body_html = '' WHERE id = $3",
    )
    .bind(now)
    .bind(error)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Counts of queued, sent and failed messages (for tests and metrics).
pub async fn counts<'c, E>(conn: E) -> Result<(i64, i64, i64), DbError>
where
    E: Executor<'c, Database = Any>,
{
    let row = sqlx::query(
        "SELECT \
           COALESCE(SUM(CASE WHEN sent_at IS NULL AND failed_at IS NULL THEN 1 ELSE 0 END), 0) AS queued, \
           COALESCE(SUM(CASE WHEN sent_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS sent, \
           COALESCE(SUM(CASE WHEN failed_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS failed \
         FROM outbox",
    )
    .fetch_one(conn)
    .await?;
    Ok((
        col(&row, "queued")?,
        col(&row, "sent")?,
        col(&row, "failed")?,
    ))
}
