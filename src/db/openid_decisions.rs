//! Queries on `openid_decisions`: a person's remembered "Sign in" per realm, with what they
//! chose to share.

use sqlx::{Any, Executor};

use super::{DbError, col};
use crate::domain::PersonId;

/// One stored decision; `shared` is the space-separated field names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredDecision {
    /// The realm (trust root) signed in to.
    pub realm: String,
    /// Space-separated field names the person agreed to share.
    pub shared: String,
    /// When the person decided (last changed what is shared).
    pub decided_at: i64,
    /// When the decision was last used.
    pub last_used_at: i64,
}

fn decision_of(row: &sqlx::any::AnyRow) -> Result<StoredDecision, DbError> {
    Ok(StoredDecision {
        realm: col(row, "realm")?,
        shared: col(row, "shared")?,
        decided_at: col(row, "decided_at")?,
        last_used_at: col(row, "last_used_at")?,
    })
}

/// `person`'s decision for `realm`, if remembered.
pub async fn find_decision<'c, E>(
    conn: E,
    person: &PersonId,
    realm: &str,
) -> Result<Option<StoredDecision>, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let row = sqlx::query(
        "SELECT realm, shared, decided_at, last_used_at FROM openid_decisions \
         WHERE person_id = $1 AND realm = $2",
    )
    .bind(person.as_str())
    .bind(realm)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(decision_of).transpose()
}

/// Remembers (or renews) `person`'s decision for `realm` at `now`: the decision time moves
/// only when what is shared changes; the last use always moves.
pub async fn upsert_decision<'c, E>(
    conn: E,
    person: &PersonId,
    realm: &str,
    shared: &str,
    now: i64,
) -> Result<(), DbError>
where
    E: Executor<'c, Database = Any>,
{
    sqlx::query(
        "INSERT INTO openid_decisions (person_id, realm, shared, decided_at, last_used_at) \
         VALUES ($1, $2, $3, $4, $4) \
         ON CONFLICT (person_id, realm) DO UPDATE SET \
         decided_at = CASE WHEN openid_decisions.shared = excluded.shared \
         THEN openid_decisions.decided_at ELSE excluded.decided_at END, \
         shared = excluded.shared, last_used_at = excluded.last_used_at",
    )
    .bind(person.as_str())
    .bind(realm)
    .bind(shared)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Every decision `person` made, most recently used first.
pub async fn list_decisions<'c, E>(
    conn: E,
    person: &PersonId,
) -> Result<Vec<StoredDecision>, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let rows = sqlx::query(
        "SELECT realm, shared, decided_at, last_used_at FROM openid_decisions \
         WHERE person_id = $1 ORDER BY last_used_at DESC, realm",
    )
    .bind(person.as_str())
    .fetch_all(conn)
    .await?;
    rows.iter().map(decision_of).collect()
}

/// Forgets `person`'s decision for `realm`; whether there was one.
pub async fn delete_decision<'c, E>(
    conn: E,
    person: &PersonId,
    realm: &str,
) -> Result<bool, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let done = sqlx::query("DELETE FROM openid_decisions WHERE person_id = $1 AND realm = $2")
        .bind(person.as_str())
        .bind(realm)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() > 0)
}
