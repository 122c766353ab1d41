//! Queries on `site_secrets`: values generated once and shared by every node.

use sqlx::{Any, Executor};

use super::{DbError, col};

/// The stored secret of that name; `candidate` is stored first if there is none yet (the
/// first node to start wins, and every node reads the winner).
pub async fn get_or_create_secret(
    pool: &sqlx::AnyPool,
    name: &str,
    candidate: &str,
    now: i64,
) -> Result<String, DbError> {
    insert_if_missing(pool, name, candidate, now).await?;
    let row = sqlx::query("SELECT value FROM site_secrets WHERE name = $1")
        .bind(name)
        .fetch_one(pool)
        .await?;
    col(&row, "value")
}

async fn insert_if_missing<'c, E>(conn: E, name: &str, value: &str, now: i64) -> Result<(), DbError>
where
    E: Executor<'c, Database = Any>,
{
    sqlx::query(
        "INSERT INTO site_secrets (name, value, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (name) DO NOTHING",
    )
    .bind(name)
    .bind(value)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}
