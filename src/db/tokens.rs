//! Queries on `login_tokens`: single-use tokens, stored as hashes, consumed atomically.

use sqlx::{Any, Executor};

use super::{DbError, col};
use crate::domain::{PersonId, TokenHash, TokenKind};

/// A token to store.
#[derive(Debug, Clone)]
pub struct NewLoginToken<'a> {
    /// The hash of the token handed out.
    pub hash: &'a TokenHash,
    /// What it is for.
    pub kind: TokenKind,
    /// The normalised address it was sent to, if any.
    pub email_key: Option<&'a str>,
    /// The person it acts for, if any.
    pub requester: Option<&'a PersonId>,
    /// Unix time of creation.
    pub created_at: i64,
    /// Unix time after which it is worthless.
    pub expires_at: i64,
}

/// A token that was just consumed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsumedToken {
    /// The address it was sent to, if any.
    pub email_key: Option<String>,
    /// The person it acts for, if any.
    pub requester: Option<PersonId>,
}

/// Stores a new token.
pub async fn insert_login_token<'c, E>(conn: E, token: &NewLoginToken<'_>) -> Result<(), DbError>
where
    E: Executor<'c, Database = Any>,
{
    sqlx::query(
        "INSERT INTO login_tokens (token_hash, kind, email_key, requester_id, created_at, \
         expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(token.hash.as_str())
    .bind(token.kind.as_str())
    .bind(token.email_key)
    .bind(token.requester.map(PersonId::as_str))
    .bind(token.created_at)
    .bind(token.expires_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Consumes a token of the given kind if it exists, is unexpired and unused: one conditional
/// `UPDATE … RETURNING`, so of many concurrent attempts exactly one succeeds.
pub async fn consume_login_token<'c, E>(
    conn: E,
    hash: &TokenHash,
    kind: TokenKind,
    now: i64,
) -> Result<Option<ConsumedToken>, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let row = sqlx::query(
        "UPDATE login_tokens SET consumed_at = $1 \
         WHERE token_hash = $2 AND kind = $3 AND consumed_at IS NULL AND expires_at > $1 \
         RETURNING email_key, requester_id",
    )
    .bind(now)
    .bind(hash.as_str())
    .bind(kind.as_str())
    .fetch_optional(conn)
    .await?;
    row.map(|row| {
        Ok(ConsumedToken {
            email_key: col(&row, "email_key")?,
            requester: col::<Option<String>>(&row, "requester_id")?.map(PersonId::from_stored),
        })
    })
    .transpose()
}
