//! Queries on `people` for administrators: listing them filtered and paged, renaming any person.

use sqlx::{Any, Executor};

use super::people::person_from_row;
use super::{DbError, col};
use crate::domain::{DisplayName, Person, PersonId, TeamName};

/// Which people to list. Empty filters match everyone.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PeopleFilter {
    /// Only this status (its stored spelling).
    pub status: Option<String>,
    /// Only members of this team.
    pub team: Option<TeamName>,
    /// Only people whose display name or one of whose addresses contains this (any case).
    pub text: Option<String>,
}

/// One listed person with their preferred address (their first one when none is preferred).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedPerson {
    /// The profile.
    pub person: Person,
    /// The address to reach them at, if they have one.
    pub address: Option<String>,
}

const FILTER: &str = "WHERE p.kind = 'person' AND ($1 = '' OR p.status = $1) \
     AND ($2 = '' OR EXISTS (SELECT 1 FROM team_memberships m JOIN people t ON t.id = m.team_id \
       WHERE m.person_id = p.id AND t.name = $2)) \
     AND ($3 = '' OR LOWER(p.display_name) LIKE $3 ESCAPE '!' OR EXISTS (SELECT 1 FROM \
       email_addresses f WHERE f.person_id = p.id AND LOWER(f.address) LIKE $3 ESCAPE '!'))";

/// The `LIKE` pattern for a text filter: lower case, wildcards escaped, `%` around.
fn like_pattern(text: Option<&str>) -> String {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => String::new(),
        Some(t) => {
            let escaped: String = t
                .to_lowercase()
                .chars()
                .flat_map(|c| match c {
                    '!' | '%' | '_' => vec!['!', c],
                    c => vec![c],
                })
                .collect();
            format!("%{escaped}%")
        }
    }
}

fn binds(filter: &PeopleFilter) -> (String, String, String) {
    (
        filter.status.clone().unwrap_or_default(),
        filter
            .team
            .as_ref()
            .map(|t| t.as_str().to_owned())
            .unwrap_or_default(),
        like_pattern(filter.text.as_deref()),
    )
}

/// How many people match the filter.
pub async fn count_listed_people<'c, E>(conn: E, filter: &PeopleFilter) -> Result<i64, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let (status, team, text) = binds(filter);
    let sql = sqlx::AssertSqlSafe(format!("SELECT COUNT(*) AS n FROM people p {FILTER}"));
    let row = sqlx::query(sql)
        .bind(status)
        .bind(team)
        .bind(text)
        .fetch_one(conn)
        .await?;
    col(&row, "n")
}

/// One page of the people matching the filter, oldest first.
pub async fn list_people<'c, E>(
    conn: E,
    filter: &PeopleFilter,
    limit: i64,
    offset: i64,
) -> Result<Vec<ListedPerson>, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let (status, team, text) = binds(filter);
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT p.id, p.kind, p.name, p.display_name, p.status, p.password_hash, p.created_at, \
         p.updated_at, p.sessions_not_before, (SELECT e.address FROM email_addresses e \
         WHERE e.person_id = p.id ORDER BY CASE e.status WHEN 'preferred' THEN 0 ELSE 1 END, \
         e.created_at LIMIT 1) AS address FROM people p {FILTER} \
         ORDER BY p.created_at, p.id LIMIT $4 OFFSET $5"
    ));
    let rows = sqlx::query(sql)
        .bind(status)
        .bind(team)
        .bind(text)
        .bind(limit)
        .bind(offset)
        .fetch_all(conn)
        .await?;
    rows.iter()
        .map(|r| {
            Ok(ListedPerson {
                person: person_from_row(r)?,
                address: col(r, "address")?,
            })
        })
        .collect()
}

/// Gives a person (any status, never a team) a new display name; returns whether a person
/// with this id was renamed.
pub async fn rename_person<'c, E>(
    conn: E,
    id: &PersonId,
    name: &DisplayName,
    now: i64,
) -> Result<bool, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let done = sqlx::query(
        "UPDATE people SET display_name = $1, updated_at = $2 WHERE id = $3 AND kind = 'person'",
    )
    .bind(name.as_str())
    .bind(now)
    .bind(id.as_str())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Revokes one of a person's keys if it is live; `false` when the person has no such live key.
pub async fn revoke_live_api_key<'c, E>(
    conn: E,
    person: &PersonId,
    id: &str,
    now: i64,
) -> Result<bool, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let done = sqlx::query(
        "UPDATE api_keys SET revoked_at = $1 \
         WHERE id = $2 AND person_id = $3 AND revoked_at IS NULL",
    )
    .bind(now)
    .bind(id)
    .bind(person.as_str())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

#[cfg(test)]
mod tests {
    use super::like_pattern;

    #[test]
    fn a_text_filter_matches_its_wildcards_literally() {
        assert_eq!(like_pattern(Some(" Ada_%! ")), "%ada!_!%!!%");
        assert_eq!(like_pattern(Some("  ")), "");
        assert_eq!(like_pattern(None), "");
    }
}
