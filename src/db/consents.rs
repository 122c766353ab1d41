//! Queries on `consents`: what a person agreed to share with a client.

use sqlx::{Any, Executor};

use super::{DbError, col};
use crate::domain::PersonId;
use crate::domain::scope::Scopes;

/// The scopes a person agreed to share with a client, if any.
pub async fn find_consent<'c, E>(
    conn: E,
    person: &PersonId,
    client_id: &str,
) -> Result<Option<Scopes>, DbError>
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
        Ok(Scopes::parse(&scopes))
    })
    .transpose()
}

/// Records (or widens) a consent.
pub async fn save_consent<'c, E>(
    conn: E,
    person: &PersonId,
    client_id: &str,
    scopes: &Scopes,
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
    .bind(scopes.to_string())
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// A consent as listed on the account page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentListing {
    /// The client.
    pub client_id: String,
    /// Its name.
    pub client_name: String,
    /// What was agreed.
    pub scopes: Vec<String>,
    /// When.
    pub granted_at: i64,
}

/// Every consent a person has given, by client name.
pub async fn list_consents<'c, E>(
    conn: E,
    person: &PersonId,
) -> Result<Vec<ConsentListing>, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let rows = sqlx::query(
        "SELECT c.client_id, o.name, c.scopes, c.granted_at FROM consents c \
         JOIN oauth_clients o ON o.client_id = c.client_id WHERE c.person_id = $1 \
         ORDER BY o.name, c.client_id",
    )
    .bind(person.as_str())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            let scopes: String = col(r, "scopes")?;
            Ok(ConsentListing {
                client_id: col(r, "client_id")?,
                client_name: col(r, "name")?,
                scopes: Scopes::parse(&scopes).iter().map(str::to_owned).collect(),
                granted_at: col(r, "granted_at")?,
            })
        })
        .collect()
}

/// Withdraws a consent; returns whether there was one.
pub async fn delete_consent<'c, E>(
    conn: E,
    person: &PersonId,
    client_id: &str,
) -> Result<bool, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let done = sqlx::query("DELETE FROM consents WHERE person_id = $1 AND client_id = $2")
        .bind(person.as_str())
        .bind(client_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}
