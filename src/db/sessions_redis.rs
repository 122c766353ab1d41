//! Sessions in Redis instead of the `sessions` table (`redis.sessions = true`): one hash per
//! session under the SHA-256 of its key, and per person a sorted set of their sessions scored
//! by expiry, so that a password change can end all of them on every node. Every key starts
//! with the configured prefix (`redis.key_prefix`).

use std::sync::LazyLock;

use redis::Script;

use super::redis_conn::{RedisConn, RedisError};
use super::sessions::StoredSession;
use crate::domain::{PersonId, TokenHash};

/// Writes a session's state and files it under its person, scored by its expiry. With
/// ARGV[7] = 1 only a live session is written (an update); returns whether it was written.
/// Every write also drops the person's entries that have expired, so the index stays as small
/// as the number of live sessions.
static WRITE: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
if ARGV[7] == '1' then
  local expires = tonumber(redis.call('HGET', KEYS[1], 'expires') or '0')
  if expires <= tonumber(ARGV[4]) then return 0 end
end
local old = redis.call('HGET', KEYS[1], 'person') or ''
if old ~= '' and old ~= ARGV[3] then redis.call('ZREM', ARGV[8] .. old, ARGV[1]) end
redis.call('HSET', KEYS[1], 'state', ARGV[2], 'person', ARGV[3], 'expires', ARGV[5])
redis.call('HSETNX', KEYS[1], 'created', ARGV[4])
redis.call('EXPIRE', KEYS[1], ARGV[6])
if ARGV[3] ~= '' then
  local index = ARGV[8] .. ARGV[3]
  redis.call('ZADD', index, ARGV[5], ARGV[1])
  redis.call('ZREMRANGEBYSCORE', index, '-inf', ARGV[4])
  if redis.call('TTL', index) < tonumber(ARGV[6]) then redis.call('EXPIRE', index, ARGV[6]) end
end
return 1
",
    )
});

/// Moves a live session's expiry, in its hash and in its person's index.
static TOUCH: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
local expires = tonumber(redis.call('HGET', KEYS[1], 'expires') or '0')
if expires <= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'expires', ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[3])
local person = redis.call('HGET', KEYS[1], 'person') or ''
if person ~= '' then
  local index = ARGV[4] .. person
  redis.call('ZADD', index, ARGV[2], ARGV[5])
  redis.call('ZREMRANGEBYSCORE', index, '-inf', ARGV[1])
  if redis.call('TTL', index) < tonumber(ARGV[3]) then redis.call('EXPIRE', index, ARGV[3]) end
end
return 1
",
    )
});

/// Deletes one session and its entry in its person's index.
static DELETE: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
local person = redis.call('HGET', KEYS[1], 'person') or ''
if person ~= '' then redis.call('ZREM', ARGV[2] .. person, ARGV[1]) end
return redis.call('DEL', KEYS[1])
",
    )
});

/// Deletes every live session in a person's index except ARGV[2]; returns how many existed.
static DELETE_ALL_OF: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[3])
local n = 0
for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  if id ~= ARGV[2] then
    n = n + redis.call('DEL', ARGV[1] .. id)
    redis.call('ZREM', KEYS[1], id)
  end
end
return n
",
    )
});

/// The sessions in a person's index that are live at ARGV[2], as id, state, created, expires.
static LIST_OF: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[2])
local out = {}
for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  local fields = redis.call('HMGET', ARGV[1] .. id, 'state', 'created', 'expires')
  if fields[3] and tonumber(fields[3]) > tonumber(ARGV[2]) then
    table.insert(out, id)
    table.insert(out, fields[1] or '{}')
    table.insert(out, fields[2] or fields[3])
    table.insert(out, fields[3])
  end
end
return out
",
    )
});

/// The Redis session store: sessions under `PREFIX session:ID`, each person's index under
/// `PREFIX sessions-by-person:PERSON`.
#[derive(Debug, Clone)]
pub struct RedisSessions {
    redis: RedisConn,
    /// The prefix of every session's key.
    sessions: String,
    /// The prefix of every person's index.
    indexes: String,
}

/// Seconds Redis keeps a session: until its expiry by the application's clock, at least one.
fn ttl(now: i64, expires_at: i64) -> i64 {
    expires_at.saturating_sub(now).max(1)
}

impl RedisSessions {
    /// Whether their Redis answers.
    pub async fn ping(&self) -> Result<(), RedisError> {
        self.redis.ping().await
    }

    /// Sessions on a Redis connection.
    pub fn new(redis: RedisConn) -> Self {
        Self {
            sessions: redis.key("session:"),
            indexes: redis.key("sessions-by-person:"),
            redis,
        }
    }

    fn session_key(&self, id: &TokenHash) -> String {
        format!("{}{}", self.sessions, id.as_str())
    }

    fn index_key(&self, person: &PersonId) -> String {
        format!("{}{}", self.indexes, person.as_str())
    }

    async fn write(
        &self,
        id: &TokenHash,
        person: Option<&PersonId>,
        state: &str,
        (now, expires_at): (i64, i64),
        only_live: bool,
    ) -> Result<bool, RedisError> {
        let mut conn = self.redis.handle();
        let written: i64 = WRITE
            .key(self.session_key(id))
            .arg(id.as_str())
            .arg(state)
            .arg(person.map_or("", PersonId::as_str))
            .arg(now)
            .arg(expires_at)
            .arg(ttl(now, expires_at))
            .arg(if only_live { "1" } else { "0" })
            .arg(&self.indexes)
            .invoke_async(&mut conn)
            .await?;
        Ok(written == 1)
    }

    /// Stores a new session.
    pub async fn insert(
        &self,
        id: &TokenHash,
        person: Option<&PersonId>,
        state: &str,
        now: i64,
        expires_at: i64,
    ) -> Result<(), RedisError> {
        self.write(id, person, state, (now, expires_at), false)
            .await
            .map(drop)
    }

    /// The state of a live session.
    pub async fn load(&self, id: &TokenHash, now: i64) -> Result<Option<String>, RedisError> {
        let mut conn = self.redis.handle();
        let (state, expires): (Option<String>, Option<i64>) = redis::cmd("HMGET")
            .arg(self.session_key(id))
            .arg("state")
            .arg("expires")
            .query_async(&mut conn)
            .await?;
        Ok(state.filter(|_| expires.is_some_and(|e| e > now)))
    }

    /// Replaces a live session's state; returns whether it still existed.
    pub async fn update(
        &self,
        id: &TokenHash,
        person: Option<&PersonId>,
        state: &str,
        now: i64,
        expires_at: i64,
    ) -> Result<bool, RedisError> {
        self.write(id, person, state, (now, expires_at), true).await
    }

    /// Moves a live session's expiry (idle timeout).
    pub async fn touch(&self, id: &TokenHash, now: i64, expires_at: i64) -> Result<(), RedisError> {
        let mut conn = self.redis.handle();
        let _: i64 = TOUCH
            .key(self.session_key(id))
            .arg(now)
            .arg(expires_at)
            .arg(ttl(now, expires_at))
            .arg(&self.indexes)
            .arg(id.as_str())
            .invoke_async(&mut conn)
            .await?;
        Ok(())
    }

    /// Deletes one session.
    pub async fn delete(&self, id: &TokenHash) -> Result<(), RedisError> {
        let mut conn = self.redis.handle();
        let _: i64 = DELETE
            .key(self.session_key(id))
            .arg(id.as_str())
            .arg(&self.indexes)
            .invoke_async(&mut conn)
            .await?;
        Ok(())
    }

    /// Signs a person out everywhere except (optionally) one session; returns how many ended.
    pub async fn delete_sessions_of(
        &self,
        person: &PersonId,
        except: Option<&TokenHash>,
        now: i64,
    ) -> Result<u64, RedisError> {
        let mut conn = self.redis.handle();
        Ok(DELETE_ALL_OF
            .key(self.index_key(person))
            .arg(&self.sessions)
            .arg(except.map_or("", TokenHash::as_str))
            .arg(now)
            .invoke_async(&mut conn)
            .await?)
    }

    /// A person's live sessions, newest first.
    pub async fn list_sessions_of(
        &self,
        person: &PersonId,
        now: i64,
    ) -> Result<Vec<StoredSession>, RedisError> {
        let mut conn = self.redis.handle();
        let flat: Vec<String> = LIST_OF
            .key(self.index_key(person))
            .arg(&self.sessions)
            .arg(now)
            .invoke_async(&mut conn)
            .await?;
        let mut sessions: Vec<StoredSession> = flat
            .chunks_exact(4)
            .map(|f| StoredSession {
                id: TokenHash::from_stored(f[0].clone()),
                state: f[1].clone(),
                created_at: f[2].parse().unwrap_or(0),
                expires_at: f[3].parse().unwrap_or(0),
            })
            .collect();
        sessions.sort_by(|a, b| (b.created_at, a.id.as_str()).cmp(&(a.created_at, b.id.as_str())));
        Ok(sessions)
    }
}
