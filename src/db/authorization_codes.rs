//! Queries on `authorization_codes`: storing a code, redeeming it once, recognising a replay,
//! and voiding a person's unused codes.

use sqlx::{Any, Executor};

use super::{DbError, col};
use crate::domain::grant::{RedeemedCode, SignInProof};
use crate::domain::scope::Scopes;
use crate::domain::{PersonId, TokenHash};

/// An authorization code to store.
#[derive(Debug, Clone)]
pub struct NewCode<'a> {
    /// Hash of the code.
    pub hash: &'a TokenHash,
    /// The client it was issued to.
    pub client_id: &'a str,
    /// The person who signed in.
    pub person: &'a PersonId,
    /// The exact redirect URI of the request.
    pub redirect_uri: &'a str,
    /// Granted scopes, space-separated.
    pub scopes: &'a str,
    /// The request's nonce.
    pub nonce: Option<&'a str>,
    /// PKCE S256 challenge.
    pub code_challenge: Option<&'a str>,
    /// When the person authenticated.
    pub auth_time: i64,
    /// How they proved who they were.
    pub proof: &'a SignInProof,
    /// Now.
    pub created_at: i64,
    /// Expiry.
    pub expires_at: i64,
}

/// Stores a code.
pub async fn insert_code<'c, E>(conn: E, code: &NewCode<'_>) -> Result<(), DbError>
where
    E: Executor<'c, Database = Any>,
{
    sqlx::query(
        "INSERT INTO authorization_codes (code_hash, client_id, person_id, redirect_uri, scopes, \
         nonce, code_challenge, auth_time, amr, acr, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(code.hash.as_str())
    .bind(code.client_id)
    .bind(code.person.as_str())
    .bind(code.redirect_uri)
    .bind(code.scopes)
    .bind(code.nonce)
    .bind(code.code_challenge)
    .bind(code.auth_time)
    .bind(code.proof.methods.to_string())
    .bind(code.proof.acr.as_str())
    .bind(code.created_at)
    .bind(code.expires_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Redeems a code once: one conditional update, so only one of many attempts wins.
pub async fn redeem_code<'c, E>(
    conn: E,
    hash: &TokenHash,
    now: i64,
) -> Result<Option<RedeemedCode>, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let row = sqlx::query(
        "UPDATE authorization_codes SET consumed_at = $1 \
         WHERE code_hash = $2 AND consumed_at IS NULL AND expires_at > $1 \
         RETURNING client_id, person_id, redirect_uri, scopes, nonce, code_challenge, auth_time, \
         amr, acr",
    )
    .bind(now)
    .bind(hash.as_str())
    .fetch_optional(conn)
    .await?;
    row.map(|r| {
        Ok(RedeemedCode {
            client_id: col(&r, "client_id")?,
            person: PersonId::from_stored(col(&r, "person_id")?),
            redirect_uri: col(&r, "redirect_uri")?,
            scopes: Scopes::parse(&col::<String>(&r, "scopes")?),
            nonce: col(&r, "nonce")?,
            code_challenge: col(&r, "code_challenge")?,
            auth_time: col(&r, "auth_time")?,
            proof: SignInProof::from_stored(&col::<String>(&r, "amr")?, &col::<String>(&r, "acr")?),
        })
    })
    .transpose()
}

/// Whether a code exists and was already redeemed (a replay).
pub async fn code_was_redeemed<'c, E>(conn: E, hash: &TokenHash) -> Result<bool, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let row = sqlx::query("SELECT consumed_at FROM authorization_codes WHERE code_hash = $1")
        .bind(hash.as_str())
        .fetch_optional(conn)
        .await?;
    Ok(match row {
        Some(r) => col::<Option<i64>>(&r, "consumed_at")?.is_some(),
        None => false,
    })
}

/// Voids every unused authorization code of a person.
pub async fn void_codes_of_person<'c, E>(
    conn: E,
    person: &PersonId,
    now: i64,
) -> Result<(), DbError>
where
    E: Executor<'c, Database = Any>,
{
    sqlx::query(
        "UPDATE authorization_codes SET consumed_at = $1 WHERE person_id = $2 \
         AND consumed_at IS NULL",
    )
    .bind(now)
    .bind(person.as_str())
    .execute(conn)
    .await?;
    Ok(())
}
