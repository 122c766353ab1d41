//! Queries on `openid_identities`: each person's random, stable claimed-identifier part.

use sqlx::{Any, Executor};

use super::{DbError, col};
use crate::domain::PersonId;

/// Stores `opaque` as `person`'s identifier unless they have one already (a concurrent first
/// use may have stored another: the caller reads back whichever won).
pub async fn insert_identity_if_absent<'c, E>(
    conn: E,
    person: &PersonId,
    opaque: &str,
) -> Result<(), DbError>
where
    E: Executor<'c, Database = Any>,
{
    sqlx::query(
        "INSERT INTO openid_identities (person_id, opaque) VALUES ($1, $2) \
         ON CONFLICT (person_id) DO NOTHING",
    )
    .bind(person.as_str())
    .bind(opaque)
    .execute(conn)
    .await?;
    Ok(())
}

/// The identifier part stored for `person`, if any.
pub async fn find_opaque_of<'c, E>(conn: E, person: &PersonId) -> Result<Option<String>, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let row = sqlx::query("SELECT opaque FROM openid_identities WHERE person_id = $1")
        .bind(person.as_str())
        .fetch_optional(conn)
        .await?;
    row.map(|r| col(&r, "opaque")).transpose()
}

/// The active individual whose identifier part is `opaque`; teams, closed accounts,
/// placeholders and unknown parts give `None`.
pub async fn find_active_person_by_opaque<'c, E>(
    conn: E,
    opaque: &str,
) -> Result<Option<PersonId>, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let row = sqlx::query(
        "SELECT i.person_id FROM openid_identities i JOIN people p ON p.id = i.person_id \
         WHERE i.opaque = $1 AND p.kind = 'person' AND p.status = 'active'",
    )
    .bind(opaque)
    .fetch_optional(conn)
    .await?;
    row.map(|r| col::<String>(&r, "person_id").map(PersonId::from_stored))
        .transpose()
}
