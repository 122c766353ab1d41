//! Sessions wherever they live: the `sessions` table by default, Redis with
//! `redis.sessions = true`. Callers hold one `SessionStore` and never learn which.

use sqlx::AnyConnection;

use super::redis_conn::RedisConn;
use super::sessions::{self, StoredSession};
use super::sessions_redis::RedisSessions;
use super::{Db, DbError};
use crate::domain::{PersonId, TokenHash};

/// Server-side session state shared by every node, keyed by the SHA-256 of the cookie's key.
#[derive(Debug, Clone)]
pub struct SessionStore(Place);

#[derive(Debug, Clone)]
enum Place {
    Database(Db),
    Redis(RedisSessions),
}

impl SessionStore {
    /// Sessions in the database's `sessions` table.
    pub fn database(db: Db) -> Self {
        Self(Place::Database(db))
    }

    /// Sessions in Redis.
    pub fn redis(redis: RedisConn) -> Self {
        Self(Place::Redis(RedisSessions::new(redis)))
    }

    /// Whether the sessions' Redis answers; `None` when they are not in Redis.
    pub async fn redis_reachable(&self) -> Option<Result<(), DbError>> {
        match &self.0 {
            Place::Database(_) => None,
            Place::Redis(redis) => Some(redis.ping().await.map_err(DbError::from)),
        }
    }

    /// Stores a new session.
    pub async fn insert(
        &self,
        id: &TokenHash,
        person: Option<&PersonId>,
        state: &str,
        now: i64,
        expires_at: i64,
    ) -> Result<(), DbError> {
        match &self.0 {
            Place::Database(db) => {
                sessions::insert_session(db.pool(), id, person, state, now, expires_at).await
            }
            Place::Redis(redis) => Ok(redis.insert(id, person, state, now, expires_at).await?),
        }
    }

    /// The state of a live session.
    pub async fn load(&self, id: &TokenHash, now: i64) -> Result<Option<String>, DbError> {
        match &self.0 {
            Place::Database(db) => sessions::load_session(db.pool(), id, now).await,
            Place::Redis(redis) => Ok(redis.load(id, now).await?),
        }
    }

    /// Replaces a live session's state; returns whether it still existed.
    pub async fn update(
        &self,
        id: &TokenHash,
        person: Option<&PersonId>,
        state: &str,
        now: i64,
        expires_at: i64,
    ) -> Result<bool, DbError> {
        match &self.0 {
            Place::Database(db) => {
                sessions::update_session(db.pool(), id, person, state, now, expires_at).await
            }
            Place::Redis(redis) => Ok(redis.update(id, person, state, now, expires_at).await?),
        }
    }

    /// Moves a live session's expiry (idle timeout).
    pub async fn touch(&self, id: &TokenHash, now: i64, expires_at: i64) -> Result<(), DbError> {
        match &self.0 {
            Place::Database(db) => sessions::touch_session(db.pool(), id, now, expires_at).await,
            Place::Redis(redis) => Ok(redis.touch(id, now, expires_at).await?),
        }
    }

    /// Deletes one session.
    pub async fn delete(&self, id: &TokenHash) -> Result<(), DbError> {
        match &self.0 {
            Place::Database(db) => sessions::delete_session(db.pool(), id).await,
            Place::Redis(redis) => Ok(redis.delete(id).await?),
        }
    }

    /// Deletes every session of a person; returns how many. In the database this joins the
    /// caller's transaction (`conn`); in Redis it happens at once, whatever becomes of it.
    pub async fn delete_all_of(
        &self,
        conn: &mut AnyConnection,
        person: &PersonId,
        now: i64,
    ) -> Result<u64, DbError> {
        match &self.0 {
            Place::Database(_) => sessions::delete_sessions_of(conn, person, None).await,
            Place::Redis(redis) => Ok(redis.delete_sessions_of(person, None, now).await?),
        }
    }

    /// A person's live sessions, newest first.
    pub async fn list_of(
        &self,
        person: &PersonId,
        now: i64,
    ) -> Result<Vec<StoredSession>, DbError> {
        match &self.0 {
            Place::Database(db) => sessions::list_sessions_of(db.pool(), person, now).await,
            Place::Redis(redis) => Ok(redis.list_sessions_of(person, now).await?),
        }
    }
}
