//! Queries of the administration console: searching people and paging the audit trail.

use sqlx::{Any, Executor};

use super::people::{person_from_row, select_people};
use super::{DbError, col};
use crate::domain::{AuditEvent, Person, PersonId};

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

/// Which audit events a console page lists.
#[derive(Debug, Clone, Default)]
pub struct AuditPage {
    /// Only this code.
    pub code: Option<String>,
    /// Only events about this person.
    pub person: Option<PersonId>,
    /// Only events whose detail mentions this text (a client id, an address).
    pub mentions: Option<String>,
    /// How many.
    pub limit: i64,
    /// How many of the newest to skip.
    pub offset: i64,
}

/// Audit events matching `page`, newest first.
pub async fn audit_page<'c, E>(conn: E, page: &AuditPage) -> Result<Vec<AuditEvent>, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let mentions = page
        .mentions
        .as_deref()
        .map(|m| format!("%{}%", escape_like(m)));
    // NULL parameters switch a condition off, so one static text serves every filter.
    let rows = sqlx::query(
        "SELECT occurred_at, code, subsystem, person_id, remote_addr, request_path, detail, \
         occurrences FROM audit_events \
         WHERE ($1 IS NULL OR code = $1) AND ($2 IS NULL OR person_id = $2) \
         AND ($3 IS NULL OR detail LIKE $3 ESCAPE '\\') \
         ORDER BY id DESC LIMIT $4 OFFSET $5",
    )
    .bind(page.code.as_deref())
    .bind(page.person.as_ref().map(PersonId::as_str))
    .bind(mentions)
    .bind(page.limit)
    .bind(page.offset)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(AuditEvent {
                occurred_at: col(row, "occurred_at")?,
                code: col(row, "code")?,
                subsystem: col(row, "subsystem")?,
                person_id: col::<Option<String>>(row, "person_id")?.map(PersonId::from_stored),
                remote_addr: col(row, "remote_addr")?,
                request_path: col(row, "request_path")?,
                detail: col(row, "detail")?,
                occurrences: col(row, "occurrences")?,
            })
        })
        .collect()
}

/// Replaces a client's redirect URIs; returns whether the client exists.
pub async fn set_redirect_uris<'c, E>(
    conn: E,
    client_id: &str,
    uris: &[String],
) -> Result<bool, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let text = serde_json::to_string(uris).map_err(|e| DbError::Corrupt {
        table: "oauth_clients",
        detail: e.to_string(),
    })?;
    let done = sqlx::query("UPDATE oauth_clients SET redirect_uris = $1 WHERE client_id = $2")
        .bind(text)
        .bind(client_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

#[cfg(test)]
mod tests {
    use super::escape_like;

    #[test]
    fn wildcards_in_a_search_stand_for_themselves() {
        assert_eq!(escape_like("a%b_c\\"), "a\\%b\\_c\\\\");
    }
}
