//! Queries on `team_memberships`.

use sqlx::{Any, Executor};

use super::people::{person_from_row, select_people};
use super::{DbError, col};
use crate::domain::{Person, PersonId, TeamName};

/// Makes a person a member of a team. Fails with a unique violation if already a member.
pub async fn add_member<'c, E>(
    conn: E,
    team: &PersonId,
    member: &PersonId,
    now: i64,
) -> Result<(), DbError>
where
    E: Executor<'c, Database = Any>,
{
    sqlx::query(
        "INSERT INTO team_memberships (team_id, person_id, created_at) VALUES ($1, $2, $3)",
    )
    .bind(team.as_str())
    .bind(member.as_str())
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// The handles of the teams a person belongs to, sorted.
pub async fn team_names_of<'c, E>(conn: E, member: &PersonId) -> Result<Vec<TeamName>, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let rows = sqlx::query(
        "SELECT t.name FROM team_memberships m JOIN people t ON t.id = m.team_id \
         WHERE m.person_id = $1 ORDER BY t.name",
    )
    .bind(member.as_str())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| Ok(TeamName::from_stored(col(row, "name")?)))
        .collect()
}

/// A team's members, by display name.
pub async fn members_of<'c, E>(conn: E, team: &PersonId) -> Result<Vec<Person>, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let rows = sqlx::query(select_people!(
        "JOIN team_memberships m ON m.person_id = p.id WHERE m.team_id = $1 \
         ORDER BY p.display_name, p.id"
    ))
    .bind(team.as_str())
    .fetch_all(conn)
    .await?;
    rows.iter().map(person_from_row).collect()
}
