//! Queries on `openid_nonces`: the hashes of response nonces already accepted, each inserted
//! once, so a replayed assertion is refused even by two requests at once.

use sqlx::{Any, Executor};

use super::DbError;

/// Records a nonce's hash; `false` when it was recorded before (already used).
pub async fn record_nonce<'c, E>(
    conn: E,
    nonce_hash: &str,
    expires_at: i64,
) -> Result<bool, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let done = sqlx::query(
        "INSERT INTO openid_nonces (nonce_hash, expires_at) VALUES ($1, $2) \
         ON CONFLICT (nonce_hash) DO NOTHING",
    )
    .bind(nonce_hash)
    .bind(expires_at)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Deletes the nonces whose assertions could no longer be accepted anyway.
pub async fn delete_expired_nonces<'c, E>(conn: E, now: i64) -> Result<u64, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let done = sqlx::query("DELETE FROM openid_nonces WHERE expires_at <= $1")
        .bind(now)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}
