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

/// Counts one attempt for a key before it is checked, in one statement, unless the key is
/// locked now; a counter whose last attempt is older than `forget_before` starts again from
/// one. Returns the counter as it stands after this attempt: concurrent attempts each get their
/// own count, so no more than the threshold can go ahead whatever the concurrency. The first
/// attempt after a lock has run out is told so by `locked_until == AFTER_LOCK` (it may go
/// ahead beyond the threshold; the ones racing it may not).
pub async fn reserve_attempt<'c, E>(
    conn: E,
    key: &str,
    now: i64,
    forget_before: i64,
) -> Result<Counter, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let row = sqlx::query(
        "INSERT INTO throttle (key, failures, last_failure_at, locked_until) VALUES ($1, 1, $2, 0) \
         ON CONFLICT (key) DO UPDATE SET \
         failures = CASE WHEN throttle.locked_until > $2 THEN throttle.failures \
                         WHEN throttle.last_failure_at < $3 THEN 1 \
                         ELSE throttle.failures + 1 END, \
         last_failure_at = CASE WHEN throttle.locked_until > $2 THEN throttle.last_failure_at \
                                ELSE excluded.last_failure_at END, \
         locked_until = CASE WHEN throttle.locked_until > $2 THEN throttle.locked_until \
                             WHEN throttle.locked_until > 0 THEN -1 ELSE 0 END \
         RETURNING failures, last_failure_at, locked_until",
    )
    .bind(key)
    .bind(now)
    .bind(forget_before)
    .fetch_one(conn)
    .await?;
    Ok(Counter {
        failures: col(&row, "failures")?,
        last_failure_at: col(&row, "last_failure_at")?,
        locked_until: col(&row, "locked_until")?,
    })
}

/// The `locked_until` that `reserve_attempt` gives the one attempt after a lock ran out.
pub const AFTER_LOCK: i64 = -1;

/// Forgets the first `count` attempts of a key (a success forgets the failures before it, but
/// not attempts that arrived after it); the counter and its lock go with the last of them.
pub async fn forget_attempts<'c, E>(conn: E, key: &str, count: i64) -> Result<(), DbError>
where
    E: Executor<'c, Database = Any> + Copy,
{
    // Two statements, each safe on its own: a counter with nothing left goes; one with later
    // attempts keeps them (and its lock).
    sqlx::query("DELETE FROM throttle WHERE key = $1 AND failures <= $2")
        .bind(key)
        .bind(count)
        .execute(conn)
        .await?;
    sqlx::query("UPDATE throttle SET failures = failures - $2 WHERE key = $1 AND failures > $2")
        .bind(key)
        .bind(count)
        .execute(conn)
        .await?;
    Ok(())
}

/// Counts one event in a fixed window: the window starts with the first event and lasts until
/// `window_start_before` passes it. Returns the count in the current window.
pub async fn count_in_window<'c, E>(
    conn: E,
    key: &str,
    now: i64,
    window_start_before: i64,
) -> Result<i64, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let row = sqlx::query(
        "INSERT INTO throttle (key, failures, last_failure_at, locked_until) VALUES ($1, 1, $2, 0) \
         ON CONFLICT (key) DO UPDATE SET \
         failures = CASE WHEN throttle.last_failure_at < $3 THEN 1 \
                         ELSE throttle.failures + 1 END, \
         last_failure_at = CASE WHEN throttle.last_failure_at < $3 THEN excluded.last_failure_at \
                                ELSE throttle.last_failure_at END \
         RETURNING failures",
    )
    .bind(key)
    .bind(now)
    .bind(window_start_before)
    .fetch_one(conn)
    .await?;
    col(&row, "failures")
}

/// Refuses attempts for a key until a time (a longer lock already there stays).
pub async fn lock_until<'c, E>(conn: E, key: &str, until: i64) -> Result<(), DbError>
where
    E: Executor<'c, Database = Any>,
{
    sqlx::query(
        "UPDATE throttle SET locked_until = CASE WHEN locked_until > $1 THEN locked_until \
         ELSE $1 END WHERE key = $2",
    )
    .bind(until)
    .bind(key)
    .execute(conn)
    .await?;
    Ok(())
}
