//! Queries on `authenticator_apps`: a person's one authenticator app, its sealed secret and the
//! last step whose code was accepted.

use sqlx::{Any, Executor};

use super::{DbError, col};
use crate::domain::PersonId;

/// A stored authenticator app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredApp {
    /// The name the person gave it.
    pub name: String,
    /// The secret, sealed with the site's factor key (`domain::factor_seal`).
    pub sealed_secret: String,
    /// The last step whose code was accepted.
    pub last_step: Option<i64>,
    /// When it was added.
    pub created_at: i64,
    /// When a code of it was last accepted.
    pub last_used_at: Option<i64>,
}

/// Stores a person's app, with the step whose code confirmed it as used; `false` (and nothing
/// changed) when the person has one already.
pub async fn insert_authenticator_app<'c, E>(
    conn: E,
    person: &PersonId,
    name: &str,
    sealed_secret: &str,
    confirmed_step: i64,
    now: i64,
) -> Result<bool, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let inserted = sqlx::query(
        "INSERT INTO authenticator_apps \
         (person_id, name, sealed_secret, last_step, created_at, last_used_at) \
         VALUES ($1, $2, $3, $4, $5, NULL) ON CONFLICT (person_id) DO NOTHING",
    )
    .bind(person.as_str())
    .bind(name)
    .bind(sealed_secret)
    .bind(confirmed_step)
    .bind(now)
    .execute(conn)
    .await?
    .rows_affected();
    Ok(inserted == 1)
}

/// A person's app, if they have one.
pub async fn find_authenticator_app<'c, E>(
    conn: E,
    person: &PersonId,
) -> Result<Option<StoredApp>, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let row = sqlx::query(
        "SELECT name, sealed_secret, last_step, created_at, last_used_at \
         FROM authenticator_apps WHERE person_id = $1",
    )
    .bind(person.as_str())
    .fetch_optional(conn)
    .await?;
    row.map(|row| {
        Ok(StoredApp {
            name: col(&row, "name")?,
            sealed_secret: col(&row, "sealed_secret")?,
            last_step: col(&row, "last_step")?,
            created_at: col(&row, "created_at")?,
            last_used_at: col(&row, "last_used_at")?,
        })
    })
    .transpose()
}

/// Records that the code of `step` was accepted, only if no code of that step or a later one
/// was accepted before: one conditional update, so of two requests with one code only one
/// changes the row. `true` for the request that did.
pub async fn use_step<'c, E>(
    conn: E,
    person: &PersonId,
    step: i64,
    now: i64,
) -> Result<bool, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let changed = sqlx::query(
        "UPDATE authenticator_apps SET last_step = $1, last_used_at = $2 \
         WHERE person_id = $3 AND (last_step IS NULL OR last_step < $1)",
    )
    .bind(step)
    .bind(now)
    .bind(person.as_str())
    .execute(conn)
    .await?
    .rows_affected();
    Ok(changed == 1)
}

/// Removes a person's app; its name, or `None` when there was none.
pub async fn delete_authenticator_app<'c, E>(
    conn: E,
    person: &PersonId,
) -> Result<Option<String>, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let row = sqlx::query("DELETE FROM authenticator_apps WHERE person_id = $1 RETURNING name")
        .bind(person.as_str())
        .fetch_optional(conn)
        .await?;
    row.map(|row| col(&row, "name")).transpose()
}
