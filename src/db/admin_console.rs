//! Queries of the administration console: searching people.

use sqlx::{Any, Executor};

use super::DbError;
use super::people::{person_from_row, select_people};
use crate::domain::Person;

/// People (not teams) whose display name or one of whose addresses contains `needle`
/// (case-insensitive), by name, `limit` of them after skipping `offset`.
pub async fn search_people<'c, E>(
    conn: E,
    needle: &str,
    limit: i64,
    offset: i64,
) -> Result<Vec<Person>, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let pattern = format!("%{}%", escape_like(&needle.to_lowercase()));
    let rows = sqlx::query(select_people!(
        "WHERE p.kind = 'person' AND (LOWER(p.display_name) LIKE $1 ESCAPE '\\' \
         OR EXISTS (SELECT 1 FROM email_addresses e WHERE e.person_id = p.id \
                    AND LOWER(e.address) LIKE $1 ESCAPE '\\')) \
         ORDER BY LOWER(p.display_name), p.id LIMIT $2 OFFSET $3"
    ))
    .bind(pattern)
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await?;
    rows.iter().map(person_from_row).collect()
}

/// `%`, `_` and `\` stand for themselves in a search.
fn escape_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape_like;

    #[test]
    fn wildcards_in_a_search_stand_for_themselves() {
        assert_eq!(escape_like("a%b_c\\"), "a\\%b\\_c\\\\");
    }
}
