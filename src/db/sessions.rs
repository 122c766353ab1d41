//! Queries on `sessions`: server-side session state keyed by the hash of the cookie's key.

use sqlx::{Any, Executor};

use super::{DbError, col};
use crate::domain::{PersonId, TokenHash};

/// Stores a new session.
pub async fn insert_session<'c, E>(
    conn: E,
    id: &TokenHash,
    person: Option<&PersonId>,
    state: &str,
    now: i64,
    expires_at: i64,
) -> Result<(), DbError>
where
    E: Executor<'c, Database = Any>,
{
    sqlx::query(
        "INSERT INTO sessions (id_hash, person_id, state, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id.as_str())
    .bind(person.map(PersonId::as_str))
    .bind(state)
    .bind(now)
    .bind(expires_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// The state of a live session.
pub async fn load_session<'c, E>(
    conn: E,
    id: &TokenHash,
    now: i64,
) -> Result<Option<String>, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let row = sqlx::query("SELECT state FROM sessions WHERE id_hash = $1 AND expires_at > $2")
        .bind(id.as_str())
        .bind(now)
        .fetch_optional(conn)
        .await?;
    row.map(|r| col(&r, "state")).transpose()
}

/// Replaces a live session's state; returns whether it still existed.
pub async fn update_session<'c, E>(
    conn: E,
    id: &TokenHash,
    person: Option<&PersonId>,
    state: &str,
    now: i64,
    expires_at: i64,
) -> Result<bool, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let done = sqlx::query(
        "UPDATE sessions SET person_id = $1, state = $2, expires_at = $3 \
         WHERE id_hash = $4 AND expires_at > $5",
    )
    .bind(person.map(PersonId::as_str))
    .bind(state)
    .bind(expires_at)
    .bind(id.as_str())
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Moves a live session's expiry (idle timeout).
pub async fn touch_session<'c, E>(
    conn: E,
    id: &TokenHash,
    now: i64,
    expires_at: i64,
) -> Result<(), DbError>
where
    E: Executor<'c, Database = Any>,
{
    sqlx::query("UPDATE sessions SET expires_at = $1 WHERE id_hash = $2 AND expires_at > $3")
        .bind(expires_at)
        .bind(id.as_str())
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}

/// Deletes one session.
pub async fn delete_session<'c, E>(conn: E, id: &TokenHash) -> Result<(), DbError>
where
    E: Executor<'c, Database = Any>,
{
    sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
        .bind(id.as_str())
        .execute(conn)
        .await?;
    Ok(())
}

/// Signs a person out everywhere except (optionally) one session; returns how many ended.
pub async fn delete_sessions_of<'c, E>(
    conn: E,
    person: &PersonId,
    except: Option<&TokenHash>,
) -> Result<u64, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let done =
        sqlx::query("DELETE FROM sessions WHERE person_id = $1 AND ($2 IS NULL OR id_hash <> $2)")
            .bind(person.as_str())
            .bind(except.map(TokenHash::as_str))
            .execute(conn)
            .await?;
    Ok(done.rows_affected())
}

/// Removes expired sessions; returns how many.
pub async fn delete_expired_sessions<'c, E>(conn: E, now: i64) -> Result<u64, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
        .bind(now)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}

/// A stored session of a person, for listing.
#[derive(Debug, Clone)]
pub struct StoredSession {
    /// The SHA-256 of the cookie's key.
    pub id: TokenHash,
    /// The JSON state.
    pub state: String,
    /// When it was first stored.
    pub created_at: i64,
    /// When it ends unless used again.
    pub expires_at: i64,
}

/// A person's live sessions.
pub async fn list_sessions_of<'c, E>(
    conn: E,
    person: &PersonId,
    now: i64,
) -> Result<Vec<StoredSession>, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let rows = sqlx::query(
        "SELECT id_hash, state, created_at, expires_at FROM sessions \
         WHERE person_id = $1 AND expires_at > $2 ORDER BY created_at DESC, id_hash",
    )
    .bind(person.as_str())
    .bind(now)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(StoredSession {
                id: TokenHash::from_stored(col(r, "id_hash")?),
                state: col(r, "state")?,
                created_at: col(r, "created_at")?,
                expires_at: col(r, "expires_at")?,
            })
        })
        .collect()
}
