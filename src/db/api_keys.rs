//! Queries on `api_keys` and `delegation_requests`.

use sqlx::any::AnyRow;
use sqlx::{Any, Executor};

use super::{DbError, col};
use crate::domain::api_key::{ApiKey, KeyDescription};
use crate::domain::{PersonId, TokenHash};

/// The columns `key_from_row` reads, spliced into each query at compile time.
macro_rules! key_columns {
    () => {
        "id, person_id, description, prefix, app_id, created_at, last_used_at, last_used_from, \
         revoked_at"
    };
}

fn key_from_row(row: &AnyRow) -> Result<ApiKey, DbError> {
    Ok(ApiKey {
        id: col(row, "id")?,
        person_id: PersonId::from_stored(col(row, "person_id")?),
        description: KeyDescription::from_stored(col(row, "description")?),
        prefix: col(row, "prefix")?,
        app_id: col(row, "app_id")?,
        created_at: col(row, "created_at")?,
        last_used_at: col(row, "last_used_at")?,
        last_used_from: col(row, "last_used_from")?,
        revoked_at: col(row, "revoked_at")?,
    })
}

/// Stores a new key (live) under its hash.
pub async fn insert_api_key<'c, E>(conn: E, key: &ApiKey, hash: &TokenHash) -> Result<(), DbError>
where
    E: Executor<'c, Database = Any>,
{
    sqlx::query(
        "INSERT INTO api_keys (id, person_id, description, key_hash, prefix, app_id, created_at, \
         revoked_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(key.id.as_str())
    .bind(key.person_id.as_str())
    .bind(key.description.as_str())
    .bind(hash.as_str())
    .bind(key.prefix.as_str())
    .bind(key.app_id.as_deref())
    .bind(key.created_at)
    .bind(key.revoked_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// A person's keys, newest first.
pub async fn list_api_keys<'c, E>(conn: E, person: &PersonId) -> Result<Vec<ApiKey>, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let rows = sqlx::query(concat!(
        "SELECT ",
        key_columns!(),
        " FROM api_keys WHERE person_id = $1 ORDER BY created_at DESC, id"
    ))
    .bind(person.as_str())
    .fetch_all(conn)
    .await?;
    rows.iter().map(key_from_row).collect()
}

/// The key stored under a hash, whatever its state.
pub async fn find_api_key_by_hash<'c, E>(
    conn: E,
    hash: &TokenHash,
) -> Result<Option<ApiKey>, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let row = sqlx::query(concat!(
        "SELECT ",
        key_columns!(),
        " FROM api_keys WHERE key_hash = $1"
    ))
    .bind(hash.as_str())
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(key_from_row).transpose()
}

/// The live key a person gave an app, if any.
pub async fn find_live_app_key<'c, E>(
    conn: E,
    person: &PersonId,
    app_id: &str,
) -> Result<Option<(ApiKey, TokenHash)>, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let row = sqlx::query(concat!(
        "SELECT ",
        key_columns!(),
        ", key_hash FROM api_keys WHERE person_id = $1 AND app_id = $2 AND revoked_at IS NULL \
         ORDER BY created_at DESC LIMIT 1"
    ))
    .bind(person.as_str())
    .bind(app_id)
    .fetch_optional(conn)
    .await?;
    row.as_ref()
        .map(|r| {
            Ok((
                key_from_row(r)?,
                TokenHash::from_stored(col(r, "key_hash")?),
            ))
        })
        .transpose()
}

/// Revokes (`Some(time)`) or restores (`None`) one of a person's keys. `false` when the person
/// has no such key.
pub async fn set_api_key_revoked<'c, E>(
    conn: E,
    person: &PersonId,
    id: &str,
    revoked_at: Option<i64>,
) -> Result<bool, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let done = sqlx::query("UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND person_id = $3")
        .bind(revoked_at)
        .bind(id)
        .bind(person.as_str())
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Revokes every live key of a person; returns their descriptions.
pub async fn revoke_all_api_keys<'c, E>(
    conn: E,
    person: &PersonId,
    now: i64,
) -> Result<Vec<String>, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let rows = sqlx::query(
        "UPDATE api_keys SET revoked_at = $1 WHERE person_id = $2 AND revoked_at IS NULL \
         RETURNING description",
    )
    .bind(now)
    .bind(person.as_str())
    .fetch_all(conn)
    .await?;
    rows.iter().map(|r| col(r, "description")).collect()
}

/// Gives a key entry a new secret (an app asking again receives a fresh one: only hashes are
/// kept, so the old secret cannot be sent twice).
pub async fn replace_api_key_hash<'c, E>(
    conn: E,
    id: &str,
    hash: &TokenHash,
    prefix: &str,
) -> Result<(), DbError>
where
    E: Executor<'c, Database = Any>,
{
    sqlx::query("UPDATE api_keys SET key_hash = $1, prefix = $2 WHERE id = $3")
        .bind(hash.as_str())
        .bind(prefix)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Records when and from where a key was last used (only ever moves forward).
pub async fn record_api_key_use<'c, E>(
    conn: E,
    id: &str,
    at: i64,
    from: &str,
) -> Result<(), DbError>
where
    E: Executor<'c, Database = Any>,
{
    sqlx::query(
        "UPDATE api_keys SET last_used_at = $1, last_used_from = $2 \
         WHERE id = $3 AND (last_used_at IS NULL OR last_used_at <= $1)",
    )
    .bind(at)
    .bind(from)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// A pending delegation confirmation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DelegationRequest {
    /// Who saw the confirmation page.
    pub person_id: PersonId,
    /// The callback it showed.
    pub callback: String,
    /// The description it showed.
    pub description: String,
}

/// Stores a confirmation token's binding.
pub async fn insert_delegation_request<'c, E>(
    conn: E,
    hash: &TokenHash,
    request: &DelegationRequest,
    now: i64,
    expires_at: i64,
) -> Result<(), DbError>
where
    E: Executor<'c, Database = Any>,
{
    sqlx::query(
        "INSERT INTO delegation_requests (token_hash, person_id, callback, description, \
         created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(hash.as_str())
    .bind(request.person_id.as_str())
    .bind(request.callback.as_str())
    .bind(request.description.as_str())
    .bind(now)
    .bind(expires_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Consumes a confirmation token once: of concurrent attempts exactly one gets the request.
pub async fn consume_delegation_request<'c, E>(
    conn: E,
    hash: &TokenHash,
    now: i64,
) -> Result<Option<DelegationRequest>, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let row = sqlx::query(
        "UPDATE delegation_requests SET consumed_at = $1 \
         WHERE token_hash = $2 AND consumed_at IS NULL AND expires_at > $1 \
         RETURNING person_id, callback, description",
    )
    .bind(now)
    .bind(hash.as_str())
    .fetch_optional(conn)
    .await?;
    row.map(|r| {
        Ok(DelegationRequest {
            person_id: PersonId::from_stored(col(&r, "person_id")?),
            callback: col(&r, "callback")?,
            description: col(&r, "description")?,
        })
    })
    .transpose()
}

/// Forgets confirmation tokens that expired before `now`.
pub async fn delete_expired_delegation_requests<'c, E>(conn: E, now: i64) -> Result<u64, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let done = sqlx::query("DELETE FROM delegation_requests WHERE expires_at <= $1")
        .bind(now)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}
