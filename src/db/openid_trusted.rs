//! Queries on `openid_trusted_realms`: realms an administrator trusts, whose decision page is
//! skipped.

use sqlx::{Any, Executor};

use super::{DbError, col};

/// One trusted realm as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredTrustedRealm {
    /// The realm.
    pub realm: String,
    /// Who trusted it (`cli:<user>` or `admin:<email>`).
    pub trusted_by: String,
    /// When.
    pub trusted_at: i64,
}

/// Trusts `realm` unless it is trusted already; whether it was new.
pub async fn insert_trusted_realm<'c, E>(
    conn: E,
    realm: &str,
    trusted_by: &str,
    now: i64,
) -> Result<bool, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let done = sqlx::query(
        "INSERT INTO openid_trusted_realms (realm, trusted_by, trusted_at) VALUES ($1, $2, $3) \
         ON CONFLICT (realm) DO NOTHING",
    )
    .bind(realm)
    .bind(trusted_by)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Stops trusting `realm`; whether it was trusted.
pub async fn delete_trusted_realm<'c, E>(conn: E, realm: &str) -> Result<bool, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let done = sqlx::query("DELETE FROM openid_trusted_realms WHERE realm = $1")
        .bind(realm)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Every trusted realm, alphabetically.
pub async fn list_trusted_realms<'c, E>(conn: E) -> Result<Vec<StoredTrustedRealm>, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let rows = sqlx::query(
        "SELECT realm, trusted_by, trusted_at FROM openid_trusted_realms ORDER BY realm",
    )
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(StoredTrustedRealm {
                realm: col(r, "realm")?,
                trusted_by: col(r, "trusted_by")?,
                trusted_at: col(r, "trusted_at")?,
            })
        })
        .collect()
}

/// Whether `realm` is trusted.
pub async fn is_trusted_realm<'c, E>(conn: E, realm: &str) -> Result<bool, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let row = sqlx::query("SELECT realm FROM openid_trusted_realms WHERE realm = $1")
        .bind(realm)
        .fetch_optional(conn)
        .await?;
    Ok(row.is_some())
}
