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

/// Every team, by handle, with its number of members.
pub async fn list_teams<'c, E>(conn: E) -> Result<Vec<(Person, i64)>, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let rows = sqlx::query(
        "SELECT p.id, p.kind, p.name, p.display_name, p.status, p.password_hash, \
         p.created_at, p.updated_at, p.sessions_not_before, \
         (SELECT COUNT(*) FROM team_memberships m WHERE m.team_id = p.id) AS members \
         FROM people p WHERE p.kind = 'team' ORDER BY p.name",
    )
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| Ok((person_from_row(row)?, col(row, "members")?)))
        .collect()
}

/// Ends a membership. Returns whether there was one.
pub async fn remove_member<'c, E>(
    conn: E,
    team: &PersonId,
    member: &PersonId,
) -> Result<bool, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let done = sqlx::query("DELETE FROM team_memberships WHERE team_id = $1 AND person_id = $2")
        .bind(team.as_str())
        .bind(member.as_str())
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Gives a team a new handle. Fails with a unique violation if another team has it.
pub async fn rename_team<'c, E>(
    conn: E,
    team: &PersonId,
    name: &TeamName,
    now: i64,
) -> Result<bool, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let done =
        sqlx::query("UPDATE people SET name = $1, updated_at = $2 WHERE id = $3 AND kind = 'team'")
            .bind(name.as_str())
            .bind(now)
            .bind(team.as_str())
            .execute(conn)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// Deletes a team; its addresses and memberships go with it. With `only_if_empty`, only when
/// it has no members (checked in the same statement). Returns whether it was deleted.
pub async fn delete_team<'c, E>(
    conn: E,
    team: &PersonId,
    only_if_empty: bool,
) -> Result<bool, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let done = sqlx::query(
        "DELETE FROM people WHERE id = $1 AND kind = 'team' AND (NOT $2 OR NOT EXISTS (\
             SELECT 1 FROM team_memberships m WHERE m.team_id = $1))",
    )
    .bind(team.as_str())
    .bind(only_if_empty)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
