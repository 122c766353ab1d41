//! Queries on `people`: individuals and teams.

use sqlx::any::AnyRow;
use sqlx::{Any, Executor};

use super::{DbError, col};
use crate::domain::{
    DisplayName, EmailAddress, PasswordHash, Person, PersonId, PersonKind, PersonStatus, TeamName,
};

/// `SELECT <every person column> FROM people p <rest>`, as one static query text.
macro_rules! select_people {
    ($rest:literal) => {
        concat!(
            "SELECT p.id, p.kind, p.name, p.display_name, p.status, p.password_hash, ",
            "p.created_at, p.updated_at, p.sessions_not_before FROM people p ",
            $rest
        )
    };
}
pub(crate) use select_people;

fn corrupt(detail: String) -> DbError {
    DbError::Corrupt {
        table: "people",
        detail,
    }
}

pub(crate) fn person_from_row(row: &AnyRow) -> Result<Person, DbError> {
    let kind: String = col(row, "kind")?;
    let status: String = col(row, "status")?;
    Ok(Person {
        id: PersonId::from_stored(col(row, "id")?),
        kind: PersonKind::from_stored(&kind).ok_or_else(|| corrupt(format!("kind {kind}")))?,
        team_name: col::<Option<String>>(row, "name")?.map(TeamName::from_stored),
        display_name: DisplayName::from_stored(col(row, "display_name")?),
        status: PersonStatus::from_stored(&status)
            .ok_or_else(|| corrupt(format!("status {status}")))?,
        password_hash: col::<Option<String>>(row, "password_hash")?.map(PasswordHash::from_stored),
        created_at: col(row, "created_at")?,
        updated_at: col(row, "updated_at")?,
        sessions_not_before: col(row, "sessions_not_before")?,
    })
}

/// Stores a new person or team.
pub async fn insert_person<'c, E>(conn: E, person: &Person) -> Result<(), DbError>
where
    E: Executor<'c, Database = Any>,
{
    sqlx::query(
        "INSERT INTO people (id, kind, name, display_name, status, password_hash, created_at, \
         updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(person.id.as_str())
    .bind(person.kind.as_str())
    .bind(person.team_name.as_ref().map(TeamName::as_str))
    .bind(person.display_name.as_str())
    .bind(person.status.as_str())
    .bind(person.password_hash.as_ref().map(PasswordHash::as_str))
    .bind(person.created_at)
    .bind(person.updated_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// The person or team that owns an address, by its normalised key.
pub async fn find_person_by_email<'c, E>(
    conn: E,
    email: &EmailAddress,
) -> Result<Option<Person>, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let row = sqlx::query(select_people!(
        "JOIN email_addresses e ON e.person_id = p.id WHERE e.normalized_key = $1"
    ))
    .bind(email.key())
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(person_from_row).transpose()
}

/// A person or team by id.
pub async fn find_person_by_id<'c, E>(conn: E, id: &PersonId) -> Result<Option<Person>, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let row = sqlx::query(select_people!("WHERE p.id = $1"))
        .bind(id.as_str())
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(person_from_row).transpose()
}

/// A team by its handle.
pub async fn find_team_by_name<'c, E>(conn: E, name: &TeamName) -> Result<Option<Person>, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let row = sqlx::query(select_people!("WHERE p.name = $1 AND p.kind = 'team'"))
        .bind(name.as_str())
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(person_from_row).transpose()
}

/// Moves a profile to a new status, only if it is still in `from` (so two concurrent changes
/// cannot both succeed). Returns whether the row changed.
pub async fn update_status<'c, E>(
    conn: E,
    id: &PersonId,
    from: PersonStatus,
    to: PersonStatus,
    now: i64,
) -> Result<bool, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let done =
        sqlx::query("UPDATE people SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4")
            .bind(to.as_str())
            .bind(now)
            .bind(id.as_str())
            .bind(from.as_str())
            .execute(conn)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// How many profiles exist (both kinds).
pub async fn count_people<'c, E>(conn: E) -> Result<i64, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let row = sqlx::query("SELECT COUNT(*) AS n FROM people")
        .fetch_one(conn)
        .await?;
    col(&row, "n")
}

/// Replaces a person's password hash.
pub async fn set_password<'c, E>(
    conn: E,
    id: &PersonId,
    hash: &PasswordHash,
    now: i64,
) -> Result<(), DbError>
where
    E: Executor<'c, Database = Any>,
{
    sqlx::query("UPDATE people SET password_hash = $1, updated_at = $2 WHERE id = $3")
        .bind(hash.as_str())
        .bind(now)
        .bind(id.as_str())
        .execute(conn)
        .await?;
    Ok(())
}

/// Gives an active person a new display name; returns whether it changed (not when the name
/// is the same, or the person is no longer active).
pub async fn set_display_name<'c, E>(
    conn: E,
    id: &PersonId,
    name: &DisplayName,
    now: i64,
) -> Result<bool, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let done = sqlx::query(
        "UPDATE people SET display_name = $1, updated_at = $2 \
         WHERE id = $3 AND kind = 'person' AND status = 'active' AND display_name <> $1",
    )
    .bind(name.as_str())
    .bind(now)
    .bind(id.as_str())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Ends every session of a person that signed in before `at` (see `Person::sessions_not_before`).
pub async fn end_sessions_before<'c, E>(conn: E, id: &PersonId, at: i64) -> Result<(), DbError>
where
    E: Executor<'c, Database = Any>,
{
    sqlx::query("UPDATE people SET sessions_not_before = $1 WHERE id = $2")
        .bind(at)
        .bind(id.as_str())
        .execute(conn)
        .await?;
    Ok(())
}

/// Makes a person active with a name and password (registration of a placeholder, recovery
/// of a deactivated or placeholder account). Only people in one of `from` change; returns
/// whether the row changed.
pub async fn activate<'c, E>(
    conn: E,
    id: &PersonId,
    display_name: Option<&DisplayName>,
    hash: &PasswordHash,
    from: &[PersonStatus],
    now: i64,
) -> Result<bool, DbError>
where
    E: Executor<'c, Database = Any>,
{
    // At most three statuses qualify; unused slots repeat the first.
    let status = |i: usize| from.get(i).or(from.first()).map_or("", |s| s.as_str());
    let done = sqlx::query(
        "UPDATE people SET status = 'active', password_hash = $1, updated_at = $2, \
         display_name = COALESCE($3, display_name) \
         WHERE id = $4 AND kind = 'person' AND status IN ($5, $6, $7)",
    )
    .bind(hash.as_str())
    .bind(now)
    .bind(display_name.map(DisplayName::as_str))
    .bind(id.as_str())
    .bind(status(0))
    .bind(status(1))
    .bind(status(2))
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
