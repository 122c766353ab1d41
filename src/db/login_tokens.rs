//! Queries on `login_tokens`: the single-use tokens of emailed links and bug-tracker handshakes,
//! stored as hashes, consumed atomically (not OAuth grants, not API keys, not sessions).

use sqlx::{Any, Executor};

use super::{DbError, col};
use crate::domain::{EmailAddress, PersonId, TokenHash, TokenKind};

/// A token to store.
#[derive(Debug, Clone)]
pub struct NewLoginToken<'a> {
    /// The hash of the token handed out.
    pub hash: &'a TokenHash,
    /// What it is for.
    pub kind: TokenKind,
    /// The address it was sent to, if any.
    pub email: Option<&'a EmailAddress>,
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
    pub email: Option<EmailAddress>,
    /// The person it acts for, if any.
    pub requester: Option<PersonId>,
}

fn consumed_from_row(row: &sqlx::any::AnyRow) -> Result<ConsumedToken, DbError> {
    let email: Option<String> = col(row, "email")?;
    let key: Option<String> = col(row, "email_key")?;
    Ok(ConsumedToken {
        email: key.map(|k| EmailAddress::from_stored(email.unwrap_or_else(|| k.clone()), k)),
        requester: col::<Option<String>>(row, "requester_id")?.map(PersonId::from_stored),
    })
}

/// Stores a new token.
pub async fn insert_login_token<'c, E>(conn: E, token: &NewLoginToken<'_>) -> Result<(), DbError>
where
    E: Executor<'c, Database = Any>,
{
    sqlx::query(
        "INSERT INTO login_tokens (token_hash, kind, email_key, email, requester_id, created_at, \
         expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(token.hash.as_str())
    .bind(token.kind.as_str())
    .bind(token.email.map(EmailAddress::key))
    .bind(token.email.map(EmailAddress::as_str))
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
         RETURNING email_key, email, requester_id",
    )
    .bind(now)
    .bind(hash.as_str())
    .bind(kind.as_str())
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(consumed_from_row).transpose()
}

/// A token of the given kind that is unexpired and unused, without consuming it (to show the
/// form its link opens).
pub async fn find_valid_token<'c, E>(
    conn: E,
    hash: &TokenHash,
    kind: TokenKind,
    now: i64,
) -> Result<Option<ConsumedToken>, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let row = sqlx::query(
        "SELECT email_key, email, requester_id FROM login_tokens \
         WHERE token_hash = $1 AND kind = $2 AND consumed_at IS NULL AND expires_at > $3",
    )
    .bind(hash.as_str())
    .bind(kind.as_str())
    .bind(now)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(consumed_from_row).transpose()
}

/// Consumes every outstanding token of a kind for an address; returns how many.
pub async fn consume_tokens_for<'c, E>(
    conn: E,
    email: &EmailAddress,
    kind: TokenKind,
    now: i64,
) -> Result<u64, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let done = sqlx::query(
        "UPDATE login_tokens SET consumed_at = $1 \
         WHERE email_key = $2 AND kind = $3 AND consumed_at IS NULL",
    )
    .bind(now)
    .bind(email.key())
    .bind(kind.as_str())
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// What is known of a token, used or not: its kind, expiry and use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenInfo {
    /// What it is for.
    pub kind: TokenKind,
    /// When it stops working.
    pub expires_at: i64,
    /// When it was used, if it was.
    pub consumed_at: Option<i64>,
}

/// A token's kind and state, without consuming it.
pub async fn token_info<'c, E>(conn: E, hash: &TokenHash) -> Result<Option<TokenInfo>, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let row =
        sqlx::query("SELECT kind, expires_at, consumed_at FROM login_tokens WHERE token_hash = $1")
            .bind(hash.as_str())
            .fetch_optional(conn)
            .await?;
    row.map(|r| {
        let kind: String = col(&r, "kind")?;
        Ok(TokenInfo {
            kind: TokenKind::from_stored(&kind).ok_or_else(|| DbError::Corrupt {
                table: "login_tokens",
                detail: format!("kind {kind}"),
            })?,
            expires_at: col(&r, "expires_at")?,
            consumed_at: col(&r, "consumed_at")?,
        })
    })
    .transpose()
}

/// The addresses of a person's links of a kind that can still be used (e.g. addresses waiting
/// for their confirmation), oldest first, each once.
pub async fn pending_emails_of<'c, E>(
    conn: E,
    requester: &PersonId,
    kind: TokenKind,
    now: i64,
) -> Result<Vec<EmailAddress>, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let rows = sqlx::query(
        "SELECT email_key, email FROM login_tokens \
         WHERE requester_id = $1 AND kind = $2 AND consumed_at IS NULL AND expires_at > $3 \
         AND email_key IS NOT NULL ORDER BY created_at, email_key",
    )
    .bind(requester.as_str())
    .bind(kind.as_str())
    .bind(now)
    .fetch_all(conn)
    .await?;
    let mut pending: Vec<EmailAddress> = Vec::new();
    for row in &rows {
        let key: String = col(row, "email_key")?;
        if pending.iter().all(|e| e.key() != key) {
            let email: Option<String> = col(row, "email")?;
            pending.push(EmailAddress::from_stored(
                email.unwrap_or_else(|| key.clone()),
                key,
            ));
        }
    }
    Ok(pending)
}

/// Consumes every outstanding token of a kind that `requester` asked for an address (other
/// people's links for the same address stay, and say what became of it when followed).
pub async fn consume_tokens_of<'c, E>(
    conn: E,
    requester: &PersonId,
    email: &EmailAddress,
    kind: TokenKind,
    now: i64,
) -> Result<u64, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let done = sqlx::query(
        "UPDATE login_tokens SET consumed_at = $1 \
         WHERE requester_id = $2 AND email_key = $3 AND kind = $4 AND consumed_at IS NULL",
    )
    .bind(now)
    .bind(requester.as_str())
    .bind(email.key())
    .bind(kind.as_str())
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}
