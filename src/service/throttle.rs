//! Brute-force protection for the login form: refuse attempts on locked keys, count failures,
//! lock with a growing wait, forget after success. The counters live in the database, or in
//! Redis with `redis.rate_limits = true`.

use super::Context;
use crate::db::DbError;
use crate::db::throttle::{Counter, clear_counter, find_counter, lock_until, record_failure};
use crate::domain::throttle::lockout_secs;

/// A key and the number of failures that locks it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limit {
    /// e.g. `account:ada@example.org` or `ip:127.0.0.1`.
    pub key: String,
    /// Failures before the first lockout.
    pub threshold: i64,
}

/// Seconds until the first of these keys is unlocked, if any is locked now.
pub async fn locked_for(ctx: &Context, limits: &[Limit]) -> Result<Option<i64>, DbError> {
    if !ctx.throttle.enabled {
        return Ok(None);
    }
    let now = ctx.clock.now();
    let mut wait = None;
    for limit in limits {
        if let Some(counter) = counter_of(ctx, &limit.key).await?
            && counter.locked_until > now
        {
            let left = counter.locked_until - now;
            wait = Some(wait.map_or(left, |w: i64| w.max(left)));
        }
    }
    Ok(wait)
}

/// Counts a failure against every key, locking those that reached their threshold.
pub async fn fail(ctx: &Context, limits: &[Limit]) -> Result<(), DbError> {
    if !ctx.throttle.enabled {
        return Ok(());
    }
    let now = ctx.clock.now();
    let forget_before = now - secs(ctx.throttle.reset_after);
    for limit in limits {
        let failures = match &ctx.redis_throttle {
            Some(redis) => redis.record_failure(&limit.key, now, forget_before).await?,
            None => record_failure(ctx.db.pool(), &limit.key, now, forget_before).await?,
        };
        let wait = lockout_secs(
            failures,
            limit.threshold,
            secs(ctx.throttle.wait_increment),
            secs(ctx.throttle.max_wait),
        );
        if wait > 0 {
            match &ctx.redis_throttle {
                Some(redis) => redis.lock_until(&limit.key, now + wait).await?,
                None => lock_until(ctx.db.pool(), &limit.key, now + wait).await?,
            }
            tracing::warn!(key = %limit.key, failures, wait, "locked out after repeated failures");
        }
    }
    Ok(())
}

/// Forgets a key's failures.
pub async fn forget(ctx: &Context, key: &str) -> Result<(), DbError> {
    match &ctx.redis_throttle {
        Some(redis) => Ok(redis.clear_counter(key).await?),
        None => clear_counter(ctx.db.pool(), key).await,
    }
}

/// A key's counter, from Redis when the counters live there, else from the database.
async fn counter_of(ctx: &Context, key: &str) -> Result<Option<Counter>, DbError> {
    match &ctx.redis_throttle {
        Some(redis) => Ok(redis.find_counter(key).await?),
        None => find_counter(ctx.db.pool(), key).await,
    }
}

fn secs(d: std::time::Duration) -> i64 {
    i64::try_from(d.as_secs()).unwrap_or(i64::MAX)
}
