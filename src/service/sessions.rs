//! Where sessions live: the `sessions` table by default, Redis with `redis.sessions = true`.
//! The web layer's session store and the flows that sign a person out everywhere both go
//! through here, so neither needs to know which.

use sqlx::AnyConnection;

use super::Context;
use crate::db::sessions::{
    count_sessions_of, delete_session, delete_sessions_of, insert_session, load_session,
    touch_session, update_session,
};
use crate::db::sessions_redis::RedisSessions;
use crate::db::{Db, DbError};
use crate::domain::{PersonId, TokenHash};

/// The store that holds sessions.
#[derive(Debug, Clone)]
pub enum SessionBackend {
    /// The `sessions` table of the identity store.
    Database(Db),
    /// Redis, shared by every node that uses it.
    Redis(RedisSessions),
}

impl SessionBackend {
    /// The store the context is configured with.
    pub fn of(ctx: &Context) -> Self {
        match &ctx.redis_sessions {
            Some(redis) => Self::Redis(redis.clone()),
            None => Self::Database(ctx.db.clone()),
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
        match self {
            Self::Database(db) => {
                insert_session(db.pool(), id, person, state, now, expires_at).await
            }
            Self::Redis(redis) => Ok(redis.insert(id, person, state, now, expires_at).await?),
        }
    }

    /// The state of a live session.
    pub async fn load(&self, id: &TokenHash, now: i64) -> Result<Option<String>, DbError> {
        match self {
            Self::Database(db) => load_session(db.pool(), id, now).await,
            Self::Redis(redis) => Ok(redis.load(id, now).await?),
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
        match self {
            Self::Database(db) => {
                update_session(db.pool(), id, person, state, now, expires_at).await
            }
            Self::Redis(redis) => Ok(redis.update(id, person, state, now, expires_at).await?),
        }
    }

    /// Moves a live session's expiry.
    pub async fn touch(&self, id: &TokenHash, now: i64, expires_at: i64) -> Result<(), DbError> {
        match self {
            Self::Database(db) => touch_session(db.pool(), id, now, expires_at).await,
            Self::Redis(redis) => Ok(redis.touch(id, now, expires_at).await?),
        }
    }

    /// Deletes one session.
    pub async fn delete(&self, id: &TokenHash) -> Result<(), DbError> {
        match self {
            Self::Database(db) => delete_session(db.pool(), id).await,
            Self::Redis(redis) => Ok(redis.delete(id).await?),
        }
    }

    /// Live sessions of a person.
    pub async fn count_of(&self, person: &PersonId, now: i64) -> Result<i64, DbError> {
        match self {
            Self::Database(db) => count_sessions_of(db.pool(), person, now).await,
            Self::Redis(redis) => Ok(redis.count_sessions_of(person, now).await?),
        }
    }
}

/// Signs a person out everywhere. In the database this joins the caller's transaction; in
/// Redis it happens at once, so a transaction that then fails leaves the person signed out
/// and nothing else changed. Returns how many sessions ended.
pub async fn end_sessions_of(
    ctx: &Context,
    conn: &mut AnyConnection,
    person: &PersonId,
) -> Result<u64, DbError> {
    match &ctx.redis_sessions {
        Some(redis) => Ok(redis.delete_sessions_of(person, None).await?),
        None => delete_sessions_of(conn, person, None).await,
    }
}
