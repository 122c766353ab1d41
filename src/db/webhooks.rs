//! Queries on `webhook_tokens`: the site's one web-hook secret, stored as a hash.

use sqlx::{Any, Executor};

use super::{DbError, col};
use crate::domain::TokenHash;

/// Replaces the site's web-hook token.
pub async fn replace_webhook_token<'c, E>(
    conn: E,
    hash: &TokenHash,
    now: i64,
) -> Result<(), DbError>
where
    E: Executor<'c, Database = Any>,
{
    sqlx::query(
        "INSERT INTO webhook_tokens (id, token_hash, created_at) VALUES ('site', $1, $2) \
         ON CONFLICT (id) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at",
    )
    .bind(hash.as_str())
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// The hash of the site's web-hook token, if one was made.
pub async fn webhook_token_hash<'c, E>(conn: E) -> Result<Option<TokenHash>, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let row = sqlx::query("SELECT token_hash FROM webhook_tokens WHERE id = 'site'")
        .fetch_optional(conn)
        .await?;
    row.map(|r| Ok(TokenHash::from_stored(col(&r, "token_hash")?)))
        .transpose()
}
