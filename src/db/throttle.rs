//! Queries on `throttle`: failure counters for the growing lockout, shared by every node.

use sqlx::{Any, Executor};

use super::{DbError, col};

/// A key's counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counter {
    /// Failures counted so far.
    pub failures: i64,
    /// When the last one happened.
    pub last_failure_at: i64,
    /// Until when attempts are refused.
    pub locked_until: i64,
}

/// The counter of a key, if it has failed before.
pub async fn find_counter<'c, E>(conn: E, key: &str) -> Result<Option<Counter>, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let row =
        sqlx::query("SELECT failures, last_failure_at, locked_until FROM throttle WHERE key = $1")
            .bind(key)
            .fetch_optional(conn)
            .await?;
    row.map(|r| {
        Ok(Counter {
            failures: col(&r, "failures")?,
            last_failure_at: col(&r, "last_failure_at")?,
            locked_until: col(&r, "locked_until")?,
        })
    })
    .transpose()
}

/// Counts one more failure for a key, atomically; a key whose last failure is older than
/// `forget_before` starts again from one. Returns the new count.
pub async fn record_failure<'c, E>(
    conn: E,
    key: &str,
    now: i64,
    forget_before: i64,
) -> Result<i64, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let row = sqlx::query(
        "INSERT INTO throttle (key, failures, last_failure_at, locked_until) VALUES ($1, 1, $2, 0) \
         ON CONFLICT (key) DO UPDATE SET \
         failures = CASE WHEN throttle.last_failure_at < $3 THEN 1 ELSE throttle.failures + 1 END, \
         last_failure_at = excluded.last_failure_at \
         RETURNING failures",
    )
    .bind(key)
    .bind(now)
    .bind(forget_before)
    .fetch_one(conn)
    .await?;
    col(&row, "failures")
}

/// Refuses attempts for a key until a time.
pub async fn lock_until<'c, E>(conn: E, key: &str, until: i64) -> Result<(), DbError>
where
    E: Executor<'c, Database = Any>,
{
    sqlx::query("UPDATE throttle SET locked_until = $1 WHERE key = $2")
        .bind(until)
        .bind(key)
        .execute(conn)
        .await?;
    Ok(())
}

/// Forgets a key's failures (after a success).
pub async fn clear_counter<'c, E>(conn: E, key: &str) -> Result<(), DbError>
where
    E: Executor<'c, Database = Any>,
{
    sqlx::query("DELETE FROM throttle WHERE key = $1")
        .bind(key)
        .execute(conn)
        .await?;
    Ok(())
}
