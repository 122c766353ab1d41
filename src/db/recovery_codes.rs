//! Queries on `recovery_codes`: a person's set (only hashes), replacing it, and using a code
//! once.

use sqlx::{Any, AnyConnection, Executor};

use super::{DbError, col};
use crate::domain::{PersonId, TokenHash};

/// Replaces a person's set of codes with these hashes (the old codes, used or not, go).
pub async fn replace_recovery_codes(
    conn: &mut AnyConnection,
    person: &PersonId,
    hashes: &[TokenHash],
    now: i64,
) -> Result<(), DbError> {
    delete_recovery_codes(&mut *conn, person).await?;
    for hash in hashes {
        sqlx::query(
            "INSERT INTO recovery_codes (code_hash, person_id, created_at, used_at) \
             VALUES ($1, $2, $3, NULL)",
        )
        .bind(hash.as_str())
        .bind(person.as_str())
        .bind(now)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Removes a person's codes; how many went.
pub async fn delete_recovery_codes<'c, E>(conn: E, person: &PersonId) -> Result<u64, DbError>
where
    E: Executor<'c, Database = Any>,
{
    Ok(
        sqlx::query("DELETE FROM recovery_codes WHERE person_id = $1")
            .bind(person.as_str())
            .execute(conn)
            .await?
            .rows_affected(),
    )
}

/// Uses the unused code of `person` with this hash: one conditional update, so a code works
/// once however many requests present it at once. `true` for the request that used it.
pub async fn use_recovery_code<'c, E>(
    conn: E,
    person: &PersonId,
    hash: &TokenHash,
    now: i64,
) -> Result<bool, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let row = sqlx::query(
        "UPDATE recovery_codes SET used_at = $1 \
         WHERE code_hash = $2 AND person_id = $3 AND used_at IS NULL RETURNING code_hash",
    )
    .bind(now)
    .bind(hash.as_str())
    .bind(person.as_str())
    .fetch_optional(conn)
    .await?;
    Ok(row.is_some())
}

/// How many of a person's codes are unused.
pub async fn count_unused_recovery_codes<'c, E>(conn: E, person: &PersonId) -> Result<i64, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let row = sqlx::query(
        "SELECT COUNT(*) AS n FROM recovery_codes WHERE person_id = $1 AND used_at IS NULL",
    )
    .bind(person.as_str())
    .fetch_one(conn)
    .await?;
    col(&row, "n")
}
