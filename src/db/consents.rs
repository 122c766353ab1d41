//! Queries on `consents`: what a person agreed to share with a client.

use sqlx::{Any, Executor};

use super::{DbError, col};
use crate::domain::PersonId;

/// The scopes a person agreed to share with a client, if any.
pub async fn find_consent<'c, E>(
    conn: E,
    person: &PersonId,
    client_id: &str,
) -> Result<Option<Vec<String>>, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let row = sqlx::query("SELECT scopes FROM consents WHERE person_id = $1 AND client_id = $2")
        .bind(person.as_str())
        .bind(client_id)
        .fetch_optional(conn)
        .await?;
    row.map(|r| {
        let scopes: String = col(&r, "scopes")?;
        Ok(scopes.split_whitespace().map(str::to_owned).collect())
    })
    .transpose()
}

/// Records (or widens) a consent.
pub async fn save_consent<'c, E>(
    conn: E,
    person: &PersonId,
    client_id: &str,
    scopes: &[String],
    now: i64,
) -> Result<(), DbError>
where
    E: Executor<'c, Database = Any>,
{
    sqlx::query(
        "INSERT INTO consents (person_id, client_id, scopes, granted_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (person_id, client_id) DO UPDATE SET scopes = excluded.scopes, \
         granted_at = excluded.granted_at",
    )
    .bind(person.as_str())
    .bind(client_id)
    .bind(scopes.join(" "))
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}
