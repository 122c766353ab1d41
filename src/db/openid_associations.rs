//! Queries on `openid_associations`: MAC keys by random handle, stored sealed, shared with a
//! relying party or private to the provider, deleted once expired.

use sqlx::{Any, Executor};

use super::{DbError, col};

/// An association as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAssociation {
    /// The random handle.
    pub handle: String,
    /// `HMAC-SHA1` or `HMAC-SHA256`.
    pub assoc_type: String,
    /// The MAC key sealed under the site key.
    pub sealed_secret: String,
    /// Kept by the provider for check_authentication (true) or shared with a relying party.
    pub private: bool,
    /// Unix time after which it is worthless.
    pub expires_at: i64,
}

/// Stores a new association made at `now`.
pub async fn insert_association<'c, E>(
    conn: E,
    assoc: &StoredAssociation,
    now: i64,
) -> Result<(), DbError>
where
    E: Executor<'c, Database = Any>,
{
    sqlx::query(
        "INSERT INTO openid_associations (handle, assoc_type, sealed_secret, private, \
         created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&assoc.handle)
    .bind(&assoc.assoc_type)
    .bind(&assoc.sealed_secret)
    .bind(i64::from(assoc.private))
    .bind(now)
    .bind(assoc.expires_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// The unexpired association with that handle.
pub async fn find_live_association<'c, E>(
    conn: E,
    handle: &str,
    now: i64,
) -> Result<Option<StoredAssociation>, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let row = sqlx::query(
        "SELECT handle, assoc_type, sealed_secret, private, expires_at \
         FROM openid_associations WHERE handle = $1 AND expires_at > $2",
    )
    .bind(handle)
    .bind(now)
    .fetch_optional(conn)
    .await?;
    row.map(|row| {
        Ok(StoredAssociation {
            handle: col(&row, "handle")?,
            assoc_type: col(&row, "assoc_type")?,
            sealed_secret: col(&row, "sealed_secret")?,
            private: col::<i64>(&row, "private")? != 0,
            expires_at: col(&row, "expires_at")?,
        })
    })
    .transpose()
}

/// Deletes every association expired at `now`; returns how many.
pub async fn delete_expired_associations<'c, E>(conn: E, now: i64) -> Result<u64, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let done = sqlx::query("DELETE FROM openid_associations WHERE expires_at <= $1")
        .bind(now)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}
