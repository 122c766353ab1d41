//! Folding a placeholder profile into the person who confirmed one of its addresses: what the
//! placeholder holds moves, and its row goes.
//!
//! Every table that refers to `people`, and what happens to its rows:
//! - `email_addresses`: move to the person (a preferred one becomes merely confirmed: the
//!   person keeps theirs; unconfirmed ones stay unconfirmed and cannot sign in);
//! - `team_memberships`: move (a team the person is already in is kept once);
//! - `audit_events` (no foreign key): kept as they are; the merge itself is recorded;
//! - `login_tokens` requested for the placeholder, and `sessions`, `consents`,
//!   `authorization_codes`, `oauth_tokens`, `api_keys`, `delegation_requests`,
//!   `authorization_requests`, `passkeys`, `authenticator_apps`, `recovery_codes`: a
//!   placeholder cannot sign in, so it has none of these; should one exist, it would act for
//!   someone other than the person, so it goes with the placeholder's row (`ON DELETE CASCADE`)
//!   instead of moving.

use sqlx::{Any, AnyConnection, Executor};

use super::DbError;
use crate::domain::PersonId;

/// What moved from a placeholder to the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Merged {
    /// Addresses moved.
    pub addresses: u64,
    /// Team memberships moved (memberships the person already had are not counted).
    pub memberships: u64,
}

/// Holds the placeholder's row until the end of the transaction, if it still is a placeholder:
/// of two people merging it at once, or a merge and its registration, only one goes ahead.
async fn claim<'c, E>(conn: E, placeholder: &PersonId, now: i64) -> Result<bool, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let done = sqlx::query(
        "UPDATE people SET updated_at = $1 \
         WHERE id = $2 AND kind = 'person' AND status = 'placeholder'",
    )
    .bind(now)
    .bind(placeholder.as_str())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Merges `placeholder` into `person` inside the caller's transaction. `None` when it is no
/// longer a placeholder (registered or merged meanwhile): nothing changed.
pub async fn merge_placeholder(
    conn: &mut AnyConnection,
    placeholder: &PersonId,
    person: &PersonId,
    now: i64,
) -> Result<Option<Merged>, DbError> {
    if !claim(&mut *conn, placeholder, now).await? {
        return Ok(None);
    }
    // `WHERE` keeps SQLite from reading `ON CONFLICT` as part of the `SELECT`.
    let memberships = sqlx::query(
        "INSERT INTO team_memberships (team_id, person_id, created_at) \
         SELECT team_id, $1, created_at FROM team_memberships WHERE person_id = $2 \
         ON CONFLICT (team_id, person_id) DO NOTHING",
    )
    .bind(person.as_str())
    .bind(placeholder.as_str())
    .execute(&mut *conn)
    .await?
    .rows_affected();
    let addresses = sqlx::query(
        "UPDATE email_addresses SET person_id = $1, \
         status = CASE WHEN status = 'preferred' THEN 'validated' ELSE status END \
         WHERE person_id = $2",
    )
    .bind(person.as_str())
    .bind(placeholder.as_str())
    .execute(&mut *conn)
    .await?
    .rows_affected();
    sqlx::query("DELETE FROM people WHERE id = $1")
        .bind(placeholder.as_str())
        .execute(&mut *conn)
        .await?;
    Ok(Some(Merged {
        addresses,
        memberships,
    }))
}
