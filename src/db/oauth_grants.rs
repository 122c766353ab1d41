//! Queries on `oauth_tokens`: the access and refresh tokens of a grant, stored as hashes;
//! finding a live one, rotating a refresh token, and revoking one token, a family or everything
//! a person holds.

use sqlx::{Any, Executor};

use super::{DbError, col};
use crate::domain::grant::{Grant, GrantKind, SignInProof};
use crate::domain::scope::Scopes;
use crate::domain::{PersonId, TokenHash};

/// A token to store.
#[derive(Debug, Clone)]
pub struct NewGrant<'a> {
    /// Hash of the token.
    pub hash: &'a TokenHash,
    /// Access or refresh.
    pub kind: GrantKind,
    /// The client.
    pub client_id: &'a str,
    /// The person, unless the client acts for itself.
    pub person: Option<&'a PersonId>,
    /// Granted scopes.
    pub scopes: &'a Scopes,
    /// Rotation family.
    pub family_id: &'a str,
    /// The code it was made from, if any.
    pub code_hash: Option<&'a TokenHash>,
    /// When the person authenticated.
    pub auth_time: Option<i64>,
    /// How the person proved who they were; `None` for a client acting for itself.
    pub proof: Option<&'a SignInProof>,
    /// Now.
    pub created_at: i64,
    /// Hard expiry.
    pub expires_at: i64,
    /// Idle expiry (refresh tokens).
    pub idle_expires_at: Option<i64>,
}

/// Stores a token.
pub async fn insert_grant<'c, E>(conn: E, grant: &NewGrant<'_>) -> Result<(), DbError>
where
    E: Executor<'c, Database = Any>,
{
    sqlx::query(
        "INSERT INTO oauth_tokens (token_hash, kind, client_id, person_id, scopes, family_id, \
         code_hash, auth_time, amr, acr, created_at, expires_at, idle_expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(grant.hash.as_str())
    .bind(grant.kind.as_str())
    .bind(grant.client_id)
    .bind(grant.person.map(PersonId::as_str))
    .bind(grant.scopes.to_string())
    .bind(grant.family_id)
    .bind(grant.code_hash.map(TokenHash::as_str))
    .bind(grant.auth_time)
    .bind(
        grant
            .proof
            .map_or_else(String::new, |p| p.methods.to_string()),
    )
    .bind(grant.proof.map_or("", |p| p.acr.as_str()))
    .bind(grant.created_at)
    .bind(grant.expires_at)
    .bind(grant.idle_expires_at)
    .execute(conn)
    .await?;
    Ok(())
}

fn grant_from_row(r: &sqlx::any::AnyRow) -> Result<Grant, DbError> {
    Ok(Grant {
        client_id: col(r, "client_id")?,
        person: col::<Option<String>>(r, "person_id")?.map(PersonId::from_stored),
        scopes: Scopes::parse(&col::<String>(r, "scopes")?),
        family_id: col(r, "family_id")?,
        auth_time: col(r, "auth_time")?,
        proof: SignInProof::from_stored(&col::<String>(r, "amr")?, &col::<String>(r, "acr")?),
        expires_at: col(r, "expires_at")?,
        created_at: col(r, "created_at")?,
    })
}

/// A live (unexpired, unrevoked, not rotated away) token of a kind.
pub async fn find_live_grant<'c, E>(
    conn: E,
    hash: &TokenHash,
    kind: GrantKind,
    now: i64,
) -> Result<Option<Grant>, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let found = find_any_live_grant(conn, hash, now).await?;
    Ok(found.filter(|(k, _)| *k == kind).map(|(_, grant)| grant))
}

/// Uses a refresh token up (rotation): one conditional update. `None` when it is not live.
pub async fn use_refresh_token<'c, E>(
    conn: E,
    hash: &TokenHash,
    now: i64,
) -> Result<Option<Grant>, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let row = sqlx::query(
        "UPDATE oauth_tokens SET used_at = $1 \
         WHERE token_hash = $2 AND kind = 'refresh' AND used_at IS NULL AND revoked_at IS NULL \
         AND expires_at > $1 AND (idle_expires_at IS NULL OR idle_expires_at > $1) \
         RETURNING client_id, person_id, scopes, family_id, auth_time, amr, acr, expires_at, \
         created_at",
    )
    .bind(now)
    .bind(hash.as_str())
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(grant_from_row).transpose()
}

/// A refresh token that was already rotated away: its family, client and person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReusedToken {
    /// The family to revoke.
    pub family_id: String,
    /// The client it was issued to.
    pub client_id: String,
    /// The person it was issued for (`None` for a client's own tokens).
    pub person: Option<PersonId>,
}

/// The family, client and person of a refresh token that was already rotated away (a reuse),
/// if it was: what the audit row of the reuse names.
pub async fn reused_token<'c, E>(conn: E, hash: &TokenHash) -> Result<Option<ReusedToken>, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let row = sqlx::query(
        "SELECT family_id, client_id, person_id FROM oauth_tokens WHERE token_hash = $1 \
         AND kind = 'refresh' AND used_at IS NOT NULL",
    )
    .bind(hash.as_str())
    .fetch_optional(conn)
    .await?;
    row.map(|r| {
        Ok(ReusedToken {
            family_id: col(&r, "family_id")?,
            client_id: col(&r, "client_id")?,
            person: col::<Option<String>>(&r, "person_id")?.map(PersonId::from_stored),
        })
    })
    .transpose()
}

/// Revokes every token of a family; returns how many.
pub async fn revoke_family<'c, E>(conn: E, family_id: &str, now: i64) -> Result<u64, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let done = sqlx::query(
        "UPDATE oauth_tokens SET revoked_at = $1 WHERE family_id = $2 AND revoked_at IS NULL",
    )
    .bind(now)
    .bind(family_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// Revokes every token of the families a code started, those obtained later by refreshing
/// included (they carry the family, not the code); returns how many.
pub async fn revoke_by_code<'c, E>(conn: E, code: &TokenHash, now: i64) -> Result<u64, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let done = sqlx::query(
        "UPDATE oauth_tokens SET revoked_at = $1 WHERE revoked_at IS NULL AND family_id IN \
         (SELECT family_id FROM oauth_tokens WHERE code_hash = $2)",
    )
    .bind(now)
    .bind(code.as_str())
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// A live token of either kind, with its kind.
pub async fn find_any_live_grant<'c, E>(
    conn: E,
    hash: &TokenHash,
    now: i64,
) -> Result<Option<(GrantKind, Grant)>, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let row = sqlx::query(
        "SELECT kind, client_id, person_id, scopes, family_id, auth_time, amr, acr, expires_at, \
         created_at FROM oauth_tokens WHERE token_hash = $1 AND revoked_at IS NULL \
         AND used_at IS NULL AND expires_at > $2 \
         AND (idle_expires_at IS NULL OR idle_expires_at > $2)",
    )
    .bind(hash.as_str())
    .bind(now)
    .fetch_optional(conn)
    .await?;
    row.map(|r| {
        let kind = GrantKind::from_stored(&col::<String>(&r, "kind")?);
        Ok((kind, grant_from_row(&r)?))
    })
    .transpose()
}

/// Revokes one token; returns whether it was live.
pub async fn revoke_token<'c, E>(conn: E, hash: &TokenHash, now: i64) -> Result<bool, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let done = sqlx::query(
        "UPDATE oauth_tokens SET revoked_at = $1 WHERE token_hash = $2 AND revoked_at IS NULL",
    )
    .bind(now)
    .bind(hash.as_str())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Revokes every live token a client holds for a person; returns how many.
pub async fn revoke_for_person<'c, E>(
    conn: E,
    person: &PersonId,
    client_id: &str,
    now: i64,
) -> Result<u64, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let done = sqlx::query(
        "UPDATE oauth_tokens SET revoked_at = $1 WHERE person_id = $2 AND client_id = $3 \
         AND revoked_at IS NULL",
    )
    .bind(now)
    .bind(person.as_str())
    .bind(client_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// Revokes every live token of a person, whatever the client; returns the clients whose
/// tokens were revoked (one entry per token).
pub async fn revoke_all_of_person<'c, E>(
    conn: E,
    person: &PersonId,
    now: i64,
) -> Result<Vec<String>, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let rows = sqlx::query(
        "UPDATE oauth_tokens SET revoked_at = $1 WHERE person_id = $2 AND revoked_at IS NULL \
         RETURNING client_id",
    )
    .bind(now)
    .bind(person.as_str())
    .fetch_all(conn)
    .await?;
    rows.iter().map(|r| col(r, "client_id")).collect()
}

/// Deletes codes and tokens that can no longer be used (expired for a day, so that a replay
/// shortly after expiry is still recognised); returns how many rows went.
pub async fn delete_expired_grants(pool: &sqlx::AnyPool, now: i64) -> Result<u64, DbError> {
    let cutoff = now - 86_400;
    let codes = sqlx::query("DELETE FROM authorization_codes WHERE expires_at < $1")
        .bind(cutoff)
        .execute(pool)
        .await?;
    let tokens = sqlx::query("DELETE FROM oauth_tokens WHERE expires_at < $1")
        .bind(cutoff)
        .execute(pool)
        .await?;
    Ok(codes.rows_affected() + tokens.rows_affected())
}
