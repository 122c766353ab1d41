//! Queries on `openid_requests`: OpenID checkid requests waiting for a person's decision.

use sqlx::{Any, Executor};

use super::{DbError, col};
use crate::domain::{PersonId, TokenHash};

/// A request to hold until the person decides.
#[derive(Debug, Clone)]
pub struct NewOpenIdRequest<'a> {
    /// Hash of the handle the decision page carries.
    pub handle: &'a TokenHash,
    /// The person asked.
    pub person: &'a PersonId,
    /// The request's parameters, form-encoded.
    pub params: &'a str,
    /// Now.
    pub created_at: i64,
    /// When an answer is no longer taken.
    pub expires_at: i64,
}

/// Stores a request waiting for a decision.
pub async fn insert_openid_request<'c, E>(
    conn: E,
    request: &NewOpenIdRequest<'_>,
) -> Result<(), DbError>
where
    E: Executor<'c, Database = Any>,
{
    sqlx::query(
        "INSERT INTO openid_requests (handle_hash, person_id, params, created_at, \
         expires_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(request.handle.as_str())
    .bind(request.person.as_str())
    .bind(request.params)
    .bind(request.created_at)
    .bind(request.expires_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Takes the person's answer to a waiting request, once: one conditional update, so of many
/// answers only one gets the parameters back. `None` when the request is unknown, answered,
/// expired, or another person's.
pub async fn answer_openid_request<'c, E>(
    conn: E,
    handle: &TokenHash,
    person: &PersonId,
    now: i64,
) -> Result<Option<String>, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let row = sqlx::query(
        "UPDATE openid_requests SET answered_at = $1 \
         WHERE handle_hash = $2 AND person_id = $3 AND answered_at IS NULL AND expires_at > $1 \
         RETURNING params",
    )
    .bind(now)
    .bind(handle.as_str())
    .bind(person.as_str())
    .fetch_optional(conn)
    .await?;
    row.map(|r| col(&r, "params")).transpose()
}

/// The parameters of a request still waiting for an answer, without answering it.
pub async fn find_waiting_openid_request<'c, E>(
    conn: E,
    handle: &TokenHash,
    now: i64,
) -> Result<Option<String>, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let row = sqlx::query(
        "SELECT params FROM openid_requests \
         WHERE handle_hash = $1 AND answered_at IS NULL AND expires_at > $2",
    )
    .bind(handle.as_str())
    .bind(now)
    .fetch_optional(conn)
    .await?;
    row.map(|r| col(&r, "params")).transpose()
}

/// Deletes requests expired for a day (a late answer is still recognised as finished until
/// then); returns how many went.
pub async fn delete_expired_openid_requests(
    pool: &sqlx::AnyPool,
    now: i64,
) -> Result<u64, DbError> {
    let done = sqlx::query("DELETE FROM openid_requests WHERE expires_at < $1")
        .bind(now - 86_400)
        .execute(pool)
        .await?;
    Ok(done.rows_affected())
}
