//! The lockout counters in Redis instead of the `throttle` table (`redis.rate_limits = true`):
//! the same counter per key, shared by every node that uses the same Redis.

use redis::AsyncCommands;

use super::redis_conn::{RedisConn, RedisError};
use super::throttle::Counter;

/// Counters under `PREFIX throttle:KEY` (`latchkey:throttle:KEY` by default), each a hash of
/// `failures`, `last` and `locked`.
#[derive(Debug, Clone)]
pub struct RedisThrottle {
    redis: RedisConn,
    /// Seconds after which an untouched counter is dropped (it is forgotten by then anyway).
    keep_secs: i64,
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

/// Counts an attempt before it is checked, unless the key is locked (ARGV[1] = now); returns
/// the failures, last attempt and lock after it, the lock -1 for the one attempt after a lock
/// ran out.
const RESERVE_ATTEMPT: &str = r"
local now = tonumber(ARGV[1])
local n = tonumber(redis.call('HGET', KEYS[1], 'failures') or '0')
local last = tonumber(redis.call('HGET', KEYS[1], 'last') or '0')
local locked = tonumber(redis.call('HGET', KEYS[1], 'locked') or '0')
if locked <= now then
  if last < tonumber(ARGV[2]) then n = 1 else n = n + 1 end
  last = now
  if locked > 0 then locked = -1 else locked = 0 end
  redis.call('HSET', KEYS[1], 'failures', n, 'last', last, 'locked', 0)
end
redis.call('EXPIRE', KEYS[1], ARGV[3])
return {n, last, locked}
";

/// Forgets the first ARGV[1] attempts; the lock goes with the last of them.
const FORGET_ATTEMPTS: &str = r"
local n = tonumber(redis.call('HGET', KEYS[1], 'failures') or '0')
local count = tonumber(ARGV[1])
if n <= count then
  redis.call('DEL', KEYS[1])
else
  redis.call('HSET', KEYS[1], 'failures', n - count)
end
return 0
";

/// Counts an event in a fixed window that starts with its first event (ARGV[2] = the oldest
/// start still current).
const COUNT_IN_WINDOW: &str = r"
local start = tonumber(redis.call('HGET', KEYS[1], 'last') or '0')
local n
if start < tonumber(ARGV[2]) then
  redis.call('HSET', KEYS[1], 'failures', 1, 'last', ARGV[1])
  n = 1
else
  n = redis.call('HINCRBY', KEYS[1], 'failures', 1)
end
redis.call('EXPIRE', KEYS[1], ARGV[3])
return n
";

/// Locks until ARGV[1] unless a longer lock is there.
const LOCK_UNTIL: &str = r"
local locked = tonumber(redis.call('HGET', KEYS[1], 'locked') or '0')
if locked < tonumber(ARGV[1]) then
  redis.call('HSET', KEYS[1], 'locked', ARGV[1])
end
return 0
";

impl RedisThrottle {
    /// Whether their Redis answers.
    pub async fn ping(&self) -> Result<(), RedisError> {
        self.redis.ping().await
    }

    /// Counters on a Redis connection, each dropped `keep_secs` after it was last touched.
    pub fn new(redis: RedisConn, keep_secs: i64) -> Self {
        Self {
            redis,
            keep_secs: keep_secs.max(1),
        }
    }

    fn name(&self, key: &str) -> String {
        self.redis.key(&format!("throttle:{key}"))
    }

    /// The counter of a key, if it has failed before.
    pub async fn find_counter(&self, key: &str) -> Result<Option<Counter>, RedisError> {
        let mut conn = self.redis.handle();
        let fields: std::collections::HashMap<String, i64> = conn.hgetall(self.name(key)).await?;
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
        let mut conn = self.redis.handle();
        Ok(redis::Script::new(RECORD_FAILURE)
            .key(self.name(key))
            .arg(now)
            .arg(forget_before)
            .arg(self.keep_secs)
            .invoke_async(&mut conn)
            .await?)
    }

    /// Counts one attempt before it is checked, unless the key is locked; the counter after it.
    pub async fn reserve_attempt(
        &self,
        key: &str,
        now: i64,
        forget_before: i64,
    ) -> Result<Counter, RedisError> {
        let mut conn = self.redis.handle();
        let (failures, last_failure_at, locked_until): (i64, i64, i64) =
            redis::Script::new(RESERVE_ATTEMPT)
                .key(self.name(key))
                .arg(now)
                .arg(forget_before)
                .arg(self.keep_secs)
                .invoke_async(&mut conn)
                .await?;
        Ok(Counter {
            failures,
            last_failure_at,
            locked_until,
        })
    }

    /// Forgets the first `count` attempts of a key.
    pub async fn forget_attempts(&self, key: &str, count: i64) -> Result<(), RedisError> {
        let mut conn = self.redis.handle();
        let _: i64 = redis::Script::new(FORGET_ATTEMPTS)
            .key(self.name(key))
            .arg(count)
            .invoke_async(&mut conn)
            .await?;
        Ok(())
    }

    /// Counts one event in a fixed window; the count in the current window.
    pub async fn count_in_window(
        &self,
        key: &str,
        now: i64,
        window_start_before: i64,
    ) -> Result<i64, RedisError> {
        let mut conn = self.redis.handle();
        Ok(redis::Script::new(COUNT_IN_WINDOW)
            .key(self.name(key))
            .arg(now)
            .arg(window_start_before)
            .arg(self.keep_secs)
            .invoke_async(&mut conn)
            .await?)
    }

    /// Refuses attempts for a key until a time (a longer lock already there stays).
    pub async fn lock_until(&self, key: &str, until: i64) -> Result<(), RedisError> {
        let mut conn = self.redis.handle();
        let _: i64 = redis::Script::new(LOCK_UNTIL)
            .key(self.name(key))
            .arg(until)
            .invoke_async(&mut conn)
            .await?;
        Ok(())
    }
}
