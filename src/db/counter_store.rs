//! The lockout counters wherever they live: the `throttle` table by default, Redis with
//! `redis.rate_limits = true`. Callers hold one `CounterStore` and never learn which.

use super::redis_conn::RedisConn;
use super::throttle::{self, Counter};
use super::throttle_redis::RedisThrottle;
use super::{Db, DbError};

/// Failure and event counters shared by every node.
#[derive(Debug, Clone)]
pub struct CounterStore(Place);

#[derive(Debug, Clone)]
enum Place {
    Database(Db),
    Redis(RedisThrottle),
}

impl CounterStore {
    /// Counters in the database's `throttle` table.
    pub fn database(db: Db) -> Self {
        Self(Place::Database(db))
    }

    /// Counters in Redis, each dropped `keep_secs` after it was last touched (it would be
    /// forgotten by then anyway).
    pub fn redis(redis: RedisConn, keep_secs: i64) -> Self {
        Self(Place::Redis(RedisThrottle::new(redis, keep_secs)))
    }

    /// Whether the counters' Redis answers; `None` when they are not in Redis.
    pub async fn redis_reachable(&self) -> Option<Result<(), DbError>> {
        match &self.0 {
            Place::Database(_) => None,
            Place::Redis(redis) => Some(redis.ping().await.map_err(DbError::from)),
        }
    }

    /// The counter of a key, if it has failed before.
    pub async fn find(&self, key: &str) -> Result<Option<Counter>, DbError> {
        match &self.0 {
            Place::Database(db) => throttle::find_counter(db.pool(), key).await,
            Place::Redis(redis) => Ok(redis.find_counter(key).await?),
        }
    }

    /// Counts one more failure for a key; a key whose last failure is older than
    /// `forget_before` starts again from one. Returns the new count.
    pub async fn record_failure(
        &self,
        key: &str,
        now: i64,
        forget_before: i64,
    ) -> Result<i64, DbError> {
        match &self.0 {
            Place::Database(db) => {
                throttle::record_failure(db.pool(), key, now, forget_before).await
            }
            Place::Redis(redis) => Ok(redis.record_failure(key, now, forget_before).await?),
        }
    }

    /// Counts one attempt before it is checked, unless the key is locked; the counter after
    /// it (see `throttle::reserve_attempt` for what `locked_until` then says).
    pub async fn reserve_attempt(
        &self,
        key: &str,
        now: i64,
        forget_before: i64,
    ) -> Result<Counter, DbError> {
        match &self.0 {
            Place::Database(db) => {
                throttle::reserve_attempt(db.pool(), key, now, forget_before).await
            }
            Place::Redis(redis) => Ok(redis.reserve_attempt(key, now, forget_before).await?),
        }
    }

    /// Forgets the first `count` attempts of a key; the lock goes with the last of them.
    pub async fn forget_attempts(&self, key: &str, count: i64) -> Result<(), DbError> {
        match &self.0 {
            Place::Database(db) => throttle::forget_attempts(db.pool(), key, count).await,
            Place::Redis(redis) => Ok(redis.forget_attempts(key, count).await?),
        }
    }

    /// Counts one event in a fixed window that starts with its first event and lasts until
    /// `window_start_before` passes it; the count in the current window.
    pub async fn count_in_window(
        &self,
        key: &str,
        now: i64,
        window_start_before: i64,
    ) -> Result<i64, DbError> {
        match &self.0 {
            Place::Database(db) => {
                throttle::count_in_window(db.pool(), key, now, window_start_before).await
            }
            Place::Redis(redis) => Ok(redis.count_in_window(key, now, window_start_before).await?),
        }
    }

    /// Refuses attempts for a key until a time (a longer lock already there stays).
    pub async fn lock_until(&self, key: &str, until: i64) -> Result<(), DbError> {
        match &self.0 {
            Place::Database(db) => throttle::lock_until(db.pool(), key, until).await,
            Place::Redis(redis) => Ok(redis.lock_until(key, until).await?),
        }
    }
}
