//! The lockout counters in Redis instead of the `throttle` table (`redis.rate_limits = true`):
//! the same counter per key, shared by every node that uses the same Redis.

use redis::AsyncCommands;
use redis::aio::ConnectionManager;

use super::redis_conn::RedisError;
use super::throttle::Counter;

/// Counters under `latchkey:throttle:KEY`, each a hash of `failures`, `last` and `locked`.
#[derive(Clone)]
pub struct RedisThrottle {
    conn: ConnectionManager,
    /// Seconds after which an untouched counter is dropped (it is forgotten by then anyway).
    keep_secs: i64,
}

impl std::fmt::Debug for RedisThrottle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RedisThrottle")
    }
}

fn name(key: &str) -> String {
    format!("latchkey:throttle:{key}")
}

/// Counts a failure atomically: a counter whose last failure is older than ARGV[2] starts
/// again from one.
const RECORD_FAILURE: &str = r"
local last = tonumber(redis.call('HGET', KEYS[1], 'last') or '0')
local n
if last < tonumber(ARGV[2]) then
  redis.call('HSET', KEYS[1], 'failures', 1)
  n = 1
else
  n = redis.call('HINCRBY', KEYS[1], 'failures', 1)
end
redis.call('HSET', KEYS[1], 'last', ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[3])
return n
";

impl RedisThrottle {
    /// Whether their Redis answers.
    pub async fn ping(&self) -> Result<(), RedisError> {
        super::redis_conn::ping(&self.conn).await
    }

    /// Counters on a Redis connection.
    pub fn new(conn: ConnectionManager, keep_secs: i64) -> Self {
        Self {
            conn,
            keep_secs: keep_secs.max(1),
        }
    }

    /// The counter of a key, if it has failed before.
    pub async fn find_counter(&self, key: &str) -> Result<Option<Counter>, RedisError> {
        let mut conn = self.conn.clone();
        let fields: std::collections::HashMap<String, i64> = conn.hgetall(name(key)).await?;
        Ok(fields.get("failures").map(|failures| Counter {
            failures: *failures,
            last_failure_at: fields.get("last").copied().unwrap_or(0),
            locked_until: fields.get("locked").copied().unwrap_or(0),
        }))
    }

    /// Counts one more failure; returns the new count.
    pub async fn record_failure(
        &self,
        key: &str,
        now: i64,
        forget_before: i64,
    ) -> Result<i64, RedisError> {
        let mut conn = self.conn.clone();
        Ok(redis::Script::new(RECORD_FAILURE)
            .key(name(key))
            .arg(now)
            .arg(forget_before)
            .arg(self.keep_secs)
            .invoke_async(&mut conn)
            .await?)
    }

    /// Refuses attempts for a key until a time.
    pub async fn lock_until(&self, key: &str, until: i64) -> Result<(), RedisError> {
        let mut conn = self.conn.clone();
        let _: usize = conn.hset(name(key), "locked", until).await?;
        Ok(())
    }

    /// Forgets a key's failures.
    pub async fn clear_counter(&self, key: &str) -> Result<(), RedisError> {
        let mut conn = self.conn.clone();
        let _: usize = conn.del(name(key)).await?;
        Ok(())
    }
}
