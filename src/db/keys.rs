//! Queries on `signing_keys`.

use sqlx::{Any, Executor};

use super::{DbError, col};
use crate::domain::signing_key::{GeneratedKey, SigningAlg};

/// A stored key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredKey {
    /// Key id.
    pub kid: String,
    /// Algorithm.
    pub alg: SigningAlg,
    /// Private key, PEM.
    pub private_pem: String,
    /// Public JWK, JSON.
    pub public_jwk: String,
    /// When it was made.
    pub created_at: i64,
    /// When it stopped signing, if it has.
    pub retired_at: Option<i64>,
}

fn key_from_row(row: &sqlx::any::AnyRow) -> Result<StoredKey, DbError> {
    let alg: String = col(row, "alg")?;
    Ok(StoredKey {
        kid: col(row, "kid")?,
        alg: SigningAlg::parse(&alg).ok_or_else(|| DbError::Corrupt {
            table: "signing_keys",
            detail: format!("alg {alg}"),
        })?,
        private_pem: col(row, "private_pem")?,
        public_jwk: col(row, "public_jwk")?,
        created_at: col(row, "created_at")?,
        retired_at: col(row, "retired_at")?,
    })
}

/// Stores a new key.
pub async fn insert_key<'c, E>(conn: E, key: &GeneratedKey, now: i64) -> Result<(), DbError>
where
    E: Executor<'c, Database = Any>,
{
    sqlx::query(
        "INSERT INTO signing_keys (kid, alg, private_pem, public_jwk, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(key.kid.as_str())
    .bind(key.alg.as_str())
    .bind(key.pem())
    .bind(key.public_jwk.as_str())
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// The key that signs for an algorithm now: the newest unretired one.
pub async fn active_key<'c, E>(conn: E, alg: SigningAlg) -> Result<Option<StoredKey>, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let row = sqlx::query(
        "SELECT kid, alg, private_pem, public_jwk, created_at, retired_at FROM signing_keys \
         WHERE alg = $1 AND retired_at IS NULL ORDER BY created_at DESC, kid DESC LIMIT 1",
    )
    .bind(alg.as_str())
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(key_from_row).transpose()
}

/// Every key whose public half is still published at `now`, newest first.
pub async fn published_keys<'c, E>(conn: E, now: i64) -> Result<Vec<StoredKey>, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let rows = sqlx::query(
        "SELECT kid, alg, private_pem, public_jwk, created_at, retired_at FROM signing_keys \
         WHERE publish_until IS NULL OR publish_until > $1 ORDER BY created_at DESC, kid",
    )
    .bind(now)
    .fetch_all(conn)
    .await?;
    rows.iter().map(key_from_row).collect()
}

/// Retires every unretired key of an algorithm; their public halves stay published until
/// `publish_until`.
pub async fn retire_keys<'c, E>(
    conn: E,
    alg: SigningAlg,
    now: i64,
    publish_until: i64,
) -> Result<u64, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let done = sqlx::query(
        "UPDATE signing_keys SET retired_at = $1, publish_until = $2 \
         WHERE alg = $3 AND retired_at IS NULL",
    )
    .bind(now)
    .bind(publish_until)
    .bind(alg.as_str())
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// A key as `keys list` shows it: no private half.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedKey {
    /// Key id.
    pub kid: String,
    /// Algorithm.
    pub alg: SigningAlg,
    /// When it was made.
    pub created_at: i64,
    /// When it stopped signing, if it has.
    pub retired_at: Option<i64>,
    /// Until when its public half is published (`None`: while it signs).
    pub publish_until: Option<i64>,
}

/// Every key, newest first.
pub async fn list_keys<'c, E>(conn: E) -> Result<Vec<ListedKey>, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let rows = sqlx::query(
        "SELECT kid, alg, created_at, retired_at, publish_until FROM signing_keys \
         ORDER BY created_at DESC, kid DESC",
    )
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            let alg: String = col(row, "alg")?;
            Ok(ListedKey {
                kid: col(row, "kid")?,
                alg: SigningAlg::parse(&alg).ok_or_else(|| DbError::Corrupt {
                    table: "signing_keys",
                    detail: format!("alg {alg}"),
                })?,
                created_at: col(row, "created_at")?,
                retired_at: col(row, "retired_at")?,
                publish_until: col(row, "publish_until")?,
            })
        })
        .collect()
}

/// Retires one unretired key, unless it is the only unretired key of its algorithm (checked in
/// the same statement, so two retirements at once cannot leave an algorithm without a key);
/// its public half stays published until `publish_until`. Returns whether it was retired.
pub async fn retire_key<'c, E>(
    conn: E,
    kid: &str,
    now: i64,
    publish_until: i64,
) -> Result<bool, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let done = sqlx::query(
        "UPDATE signing_keys SET retired_at = $1, publish_until = $2 \
         WHERE kid = $3 AND retired_at IS NULL AND EXISTS (SELECT 1 FROM signing_keys other \
         WHERE other.alg = signing_keys.alg AND other.kid <> $3 AND other.retired_at IS NULL)",
    )
    .bind(now)
    .bind(publish_until)
    .bind(kid)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
