//! Brute-force protection for the login form: refuse attempts on locked keys, count failures,
//! lock with a growing wait, forget after success. The counters live in `ctx.counters`, which
//! hides whether that is the database or Redis.

use super::Context;
use super::Origin;
use crate::db::DbError;
use crate::db::throttle::AFTER_LOCK;
use crate::domain::PersonId;
use crate::domain::device::KnownDevice;
use crate::domain::throttle::{account_key, ip_key, lockout_secs};

/// A key and the number of failures that locks it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limit {
    /// e.g. `account:ada@example.org` or `ip:127.0.0.1`.
    pub key: String,
    /// Failures before the first lockout.
    pub threshold: i64,
}

/// One password attempt, counted before the password is checked.
#[derive(Debug)]
pub enum Attempt {
    /// Check the password, then report with `succeeded` or `failed`.
    Reserved(Reservation),
    /// Refused unchecked: locked, or the attempts in flight used the allowance up; try again
    /// after this many seconds.
    Locked(i64),
}

/// The counts an attempt got on each key when it was reserved.
#[derive(Debug, Default)]
pub struct Reservation {
    counts: Vec<(Limit, i64)>,
}

/// Seconds until the first of these keys is unlocked, if any is locked now.
pub async fn locked_for(ctx: &Context, limits: &[Limit]) -> Result<Option<i64>, DbError> {
    if !ctx.throttle.enabled {
        return Ok(None);
    }
    let now = ctx.clock.now();
    let mut wait = None;
    for limit in limits {
        if let Some(counter) = ctx.counters.find(&limit.key).await?
            && counter.locked_until > now
        {
            let left = counter.locked_until - now;
            wait = Some(wait.map_or(left, |w: i64| w.max(left)));
        }
    }
    Ok(wait)
}

/// The keys a password attempt is counted under: this browser's own when it is a known device
/// of the person, else the address's; and always the client's address.
pub fn password_limits(
    ctx: &Context,
    email_key: &str,
    person: Option<&PersonId>,
    device: Option<&KnownDevice>,
    origin: &Origin,
) -> [Limit; 2] {
    let own = match (device, person) {
        (Some(device), Some(person)) if device.is_of(person) => device.throttle_key(),
        _ => account_key(email_key),
    };
    [
        Limit {
            key: own,
            threshold: ctx.throttle.account_failures,
        },
        Limit {
            key: ip_key(&origin.remote_addr),
            threshold: ctx.throttle.ip_failures,
        },
    ]
}

/// Reserves one attempt on every key before a password is checked. Each key counts the attempt
/// atomically, so however many arrive at once no more than a key's threshold go ahead; the rest
/// are refused unchecked, and a key locked now refuses without counting.
pub async fn reserve(ctx: &Context, limits: &[Limit]) -> Result<Attempt, DbError> {
    if !ctx.throttle.enabled {
        return Ok(Attempt::Reserved(Reservation::default()));
    }
    let now = ctx.clock.now();
    let forget_before = now - secs(ctx.throttle.reset_after);
    let mut counts = Vec::with_capacity(limits.len());
    let mut wait: Option<i64> = None;
    for limit in limits {
        let counter = ctx
            .counters
            .reserve_attempt(&limit.key, now, forget_before)
            .await?;
        let left = if counter.locked_until > now {
            counter.locked_until - now
        } else if limit.threshold > 0
            && counter.failures > limit.threshold
            && counter.locked_until != AFTER_LOCK
        {
            // The attempts already in flight used this key's allowance up (a lock that ran out
            // allows one more, and that one is not this).
            wait_after(ctx, limit.threshold, limit.threshold)
        } else {
            0
        };
        if left > 0 {
            wait = Some(wait.map_or(left, |w| w.max(left)));
        }
        counts.push((limit.clone(), counter.failures));
    }
    Ok(match wait {
        Some(wait) => Attempt::Locked(wait),
        None => Attempt::Reserved(Reservation { counts }),
    })
}

/// Reports a reserved attempt that failed: keys that reached their threshold lock, for longer
/// with each failure beyond it.
pub async fn failed(ctx: &Context, reservation: &Reservation) -> Result<(), DbError> {
    let now = ctx.clock.now();
    for (limit, failures) in &reservation.counts {
        lock_if_due(ctx, limit, *failures, now).await?;
    }
    Ok(())
}

/// Reports a reserved attempt that succeeded: the first key (the account's) forgets the
/// failures up to this attempt, but not attempts that arrived after it; every other key (the
/// client's address) gives back this attempt alone.
pub async fn succeeded(ctx: &Context, reservation: &Reservation) -> Result<(), DbError> {
    for (n, (limit, failures)) in reservation.counts.iter().enumerate() {
        let count = if n == 0 { *failures } else { 1 };
        ctx.counters.forget_attempts(&limit.key, count).await?;
    }
    Ok(())
}

/// Gives back a reserved attempt that neither failed nor completed a sign-in (a right password
/// that waits for a second step): earlier failures stay counted, so passing the first step
/// again and again does not reset the lockout of the second.
pub async fn released(ctx: &Context, reservation: &Reservation) -> Result<(), DbError> {
    for (limit, _) in &reservation.counts {
        ctx.counters.forget_attempts(&limit.key, 1).await?;
    }
    Ok(())
}

/// Counts one event for `key` in a fixed window of `window` seconds that starts with its first
/// event; returns the count so far in the window.
pub async fn count_per_window(ctx: &Context, key: &str, window: i64) -> Result<i64, DbError> {
    let now = ctx.clock.now();
    ctx.counters.count_in_window(key, now, now - window).await
}

/// How long a key locks once it has `failures` (nothing below its threshold).
fn wait_after(ctx: &Context, failures: i64, threshold: i64) -> i64 {
    lockout_secs(
        failures,
        threshold,
        secs(ctx.throttle.wait_increment),
        secs(ctx.throttle.max_wait),
    )
}

/// Locks a key that has just reached `failures`, if that is at or past its threshold.
async fn lock_if_due(ctx: &Context, limit: &Limit, failures: i64, now: i64) -> Result<(), DbError> {
    let wait = wait_after(ctx, failures, limit.threshold);
    if wait > 0 {
        ctx.counters.lock_until(&limit.key, now + wait).await?;
        tracing::warn!(key = %limit.key, failures, wait, "locked out after repeated failures");
    }
    Ok(())
}

/// Counts a failure against every key, locking those that reached their threshold.
pub async fn fail(ctx: &Context, limits: &[Limit]) -> Result<(), DbError> {
    if !ctx.throttle.enabled {
        return Ok(());
    }
    let now = ctx.clock.now();
    let forget_before = now - secs(ctx.throttle.reset_after);
    for limit in limits {
        let failures = ctx
            .counters
            .record_failure(&limit.key, now, forget_before)
            .await?;
        lock_if_due(ctx, limit, failures, now).await?;
    }
    Ok(())
}

fn secs(d: std::time::Duration) -> i64 {
    i64::try_from(d.as_secs()).unwrap_or(i64::MAX)
}
