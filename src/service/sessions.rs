//! Where sessions live: the `sessions` table by default, Redis with `redis.sessions = true`.
//! The web layer's session store, the flows that sign a person out everywhere, and the list of
//! a person's sessions on the account page all go through here, so none needs to know which.

use sqlx::AnyConnection;

use super::Context;
use crate::db::people::end_sessions_before;
use crate::db::sessions::{
    StoredSession, count_sessions_of, delete_session, delete_sessions_of, insert_session,
    list_sessions_of, load_session, touch_session, update_session,
};
use crate::db::sessions_redis::RedisSessions;
use crate::db::{Db, DbError};
use crate::domain::session_info::SessionInfo;
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

    /// A person's live sessions, newest first.
    pub async fn list_of(
        &self,
        person: &PersonId,
        now: i64,
    ) -> Result<Vec<StoredSession>, DbError> {
        match self {
            Self::Database(db) => list_sessions_of(db.pool(), person, now).await,
            Self::Redis(redis) => Ok(redis.list_sessions_of(person, now).await?),
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

/// Signs a person out everywhere: every session they have is deleted, and any session that
/// signed in before now is refused from now on (`sessions_not_before`), which also covers a
/// session saved by a request still in flight. In the database this joins the caller's
/// transaction; in Redis the deletion happens at once, so a transaction that then fails leaves
/// the person signed out and nothing else changed. Returns how many sessions were deleted.
pub async fn end_sessions_of(
    ctx: &Context,
    conn: &mut AnyConnection,
    person: &PersonId,
) -> Result<u64, DbError> {
    end_sessions_before(&mut *conn, person, ctx.clock.now()).await?;
    match &ctx.redis_sessions {
        Some(redis) => Ok(redis
            .delete_sessions_of(person, None, ctx.clock.now())
            .await?),
        None => delete_sessions_of(conn, person, None).await,
    }
}

/// One of a person's sessions, as the account page lists it.
#[derive(Debug, Clone)]
pub struct SessionSummary {
    /// What its state says: label, browser, address.
    pub info: SessionInfo,
    /// When the person signed in (or, without that, when it was stored).
    pub signed_in_at: i64,
    /// When it was last used.
    pub last_seen_at: i64,
    id: TokenHash,
}

/// A person's live sessions, newest first.
pub async fn list_sessions(
    ctx: &Context,
    person: &PersonId,
) -> Result<Vec<SessionSummary>, DbError> {
    let idle = i64::try_from(ctx.lifetimes.session_idle.as_secs()).unwrap_or(i64::MAX);
    let stored = SessionBackend::of(ctx)
        .list_of(person, ctx.clock.now())
        .await?;
    Ok(stored
        .into_iter()
        .map(|s| {
            let info = SessionInfo::from_stored(&s.state);
            let signed_in_at = info.login_at.unwrap_or(s.created_at);
            SessionSummary {
                info,
                signed_in_at,
                last_seen_at: s.expires_at.saturating_sub(idle).max(signed_in_at),
                id: s.id,
            }
        })
        .collect())
}

/// Ends the person's session with this label; returns whether there was one.
pub async fn end_session(ctx: &Context, person: &PersonId, label: &str) -> Result<bool, DbError> {
    let backend = SessionBackend::of(ctx);
    let Some(found) = list_sessions(ctx, person)
        .await?
        .into_iter()
        .find(|s| s.info.label.as_deref() == Some(label))
    else {
        return Ok(false);
    };
    backend.delete(&found.id).await?;
    Ok(true)
}

/// Ends every session of the person except the one with the label `keep`; returns how many.
pub async fn end_other_sessions(
    ctx: &Context,
    person: &PersonId,
    keep: &str,
) -> Result<u64, DbError> {
    let backend = SessionBackend::of(ctx);
    let mut ended = 0;
    for session in list_sessions(ctx, person).await? {
        if session.info.label.as_deref() != Some(keep) {
            backend.delete(&session.id).await?;
            ended += 1;
        }
    }
    Ok(ended)
}
