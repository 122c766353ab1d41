//! Bulk data for the benchmark: many active people in one statement per table, the same SQL
//! on both backends (a recursive count instead of a backend's series function).

use sqlx::{Any, Executor};

use super::DbError;
use crate::domain::PasswordHash;

/// Adds `count` active people `PREFIX-N` with addresses `PREFIX-N@bench.example` (N from 1) and
/// one shared password hash. Returns how many people were added.
pub async fn insert_many_people<'c, E>(
    conn: E,
    prefix: &str,
    count: i64,
    hash: &PasswordHash,
    now: i64,
) -> Result<u64, DbError>
where
    E: Executor<'c, Database = Any> + Copy,
{
    let people = sqlx::query(
        "INSERT INTO people (id, kind, name, display_name, status, password_hash, created_at, \
         updated_at) \
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1) \
         SELECT $2 || '-' || i, 'person', NULL, 'Bench person ' || i, 'active', $3, $4, $4 FROM n",
    )
    .bind(count)
    .bind(prefix)
    .bind(hash.as_str())
    .bind(now)
    .execute(conn)
    .await?;
    sqlx::query(
        "INSERT INTO email_addresses (id, address, normalized_key, person_id, status, created_at) \
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1) \
         SELECT $2 || '-e' || i, $2 || '-' || i || '@bench.example', \
                $2 || '-' || i || '@bench.example', $2 || '-' || i, 'preferred', $3 FROM n",
    )
    .bind(count)
    .bind(prefix)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(people.rows_affected())
}
