//! Erasing a person: their row goes (every table that refers to `people` follows it by
//! `ON DELETE CASCADE`), with what names them outside those tables; the audit trail, which has
//! no foreign key, is kept and rewritten to a pseudonym.
//!
//! What refers to a person, and what happens to it:
//! - `email_addresses`, `team_memberships`, `sessions`, `consents`, `authorization_codes`,
//!   `oauth_tokens`, `api_keys`, `delegation_requests`, `authorization_requests`, `passkeys`,
//!   `authenticator_apps`, `recovery_codes`, and `login_tokens` they asked for: cascade with
//!   the row;
//! - `login_tokens` sent to one of their addresses for nobody in particular (a new-account
//!   link), `outbox` mail to their addresses, sent or not, and `throttle` counters keyed by
//!   their addresses: deleted here;
//! - `audit_events`: kept; `person_id` and the details are rewritten by the caller
//!   ([`audit_rows_naming`], [`rewrite_audit_row`]);
//! - `webhook_tokens` belongs to the site, not to a person: untouched.

use sqlx::{Any, AnyConnection, Executor};

use super::{DbError, col};
use crate::domain::PersonId;

/// Takes the person's row for the caller's transaction, if it is still an individual's: a
/// write first, so that on SQLite the transaction holds the write lock before it reads (a read
/// first could not become a write once another connection has written), and of two erasures
/// at once only one goes ahead.
pub async fn claim_person(
    conn: &mut AnyConnection,
    person: &PersonId,
    now: i64,
) -> Result<bool, DbError> {
    let done = sqlx::query("UPDATE people SET updated_at = $1 WHERE id = $2 AND kind = 'person'")
        .bind(now)
        .bind(person.as_str())
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Every address that names the person: theirs, and those waiting in a link they asked for
/// (an address being added), as stored and normalised.
pub async fn addresses_of(
    conn: &mut AnyConnection,
    person: &PersonId,
) -> Result<Vec<(String, String)>, DbError> {
    let rows = sqlx::query(
        "SELECT address, normalized_key FROM email_addresses WHERE person_id = $1 \
         UNION SELECT email, email_key FROM login_tokens \
         WHERE requester_id = $1 AND email IS NOT NULL AND email_key IS NOT NULL",
    )
    .bind(person.as_str())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| Ok((col(r, "address")?, col(r, "normalized_key")?)))
        .collect()
}

/// One audit row to rewrite.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRow {
    /// The row's id.
    pub id: i64,
    /// Its code.
    pub code: String,
    /// Whether it is about the person (rather than merely naming one of their addresses).
    pub about_person: bool,
    /// Its detail.
    pub detail: String,
}

/// The audit rows about the person, and those whose detail names one of `addresses`
/// (case-insensitively), each once, oldest first.
pub async fn audit_rows_naming(
    conn: &mut AnyConnection,
    person: &PersonId,
    addresses: &[String],
) -> Result<Vec<AuditRow>, DbError> {
    let mut found: Vec<AuditRow> = Vec::new();
    let own = sqlx::query("SELECT id, code, detail FROM audit_events WHERE person_id = $1")
        .bind(person.as_str())
        .fetch_all(&mut *conn)
        .await?;
    for r in &own {
        found.push(AuditRow {
            id: col(r, "id")?,
            code: col(r, "code")?,
            about_person: true,
            detail: col(r, "detail")?,
        });
    }
    for address in addresses {
        let rows = sqlx::query(
            "SELECT id, code, detail FROM audit_events \
             WHERE (person_id IS NULL OR person_id <> $1) AND LOWER(detail) LIKE $2 ESCAPE '\\'",
        )
        .bind(person.as_str())
        .bind(format!("%{}%", like_escaped(&address.to_lowercase())))
        .fetch_all(&mut *conn)
        .await?;
        for r in &rows {
            let id: i64 = col(r, "id")?;
            if found.iter().all(|f| f.id != id) {
                found.push(AuditRow {
                    id,
                    code: col(r, "code")?,
                    about_person: false,
                    detail: col(r, "detail")?,
                });
            }
        }
    }
    found.sort_by_key(|r| r.id);
    Ok(found)
}

/// Gives one audit row a new detail and, with `person`, a new `person_id` (the pseudonym).
pub async fn rewrite_audit_row<'c, E>(
    conn: E,
    id: i64,
    person: Option<&str>,
    detail: &str,
) -> Result<(), DbError>
where
    E: Executor<'c, Database = Any>,
{
    sqlx::query(
        "UPDATE audit_events SET detail = $1, person_id = COALESCE($2, person_id) WHERE id = $3",
    )
    .bind(detail)
    .bind(person)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// What went with the person.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Removed {
    /// Mail to their addresses (pending or sent).
    pub mail: u64,
    /// Links sent to their addresses for nobody in particular.
    pub links: u64,
}

/// Deletes the person's row (and with it, by cascade, everything that refers to it), the
/// links, mail and lockout counters keyed by `keys` (normalised) and `addresses` (as stored).
/// `false` when the row was gone already: nothing changed.
pub async fn delete_person(
    conn: &mut AnyConnection,
    person: &PersonId,
    addresses: &[(String, String)],
) -> Result<Option<Removed>, DbError> {
    let mut removed = Removed::default();
    for (address, key) in addresses {
        removed.mail += sqlx::query("DELETE FROM outbox WHERE LOWER(recipient) = $1")
            .bind(address.to_lowercase())
            .execute(&mut *conn)
            .await?
            .rows_affected();
        removed.links += sqlx::query("DELETE FROM login_tokens WHERE email_key = $1")
            .bind(key.as_str())
            .execute(&mut *conn)
            .await?
            .rows_affected();
        sqlx::query("DELETE FROM throttle WHERE key = $1 OR key = $2")
            .bind(crate::domain::throttle::account_key(key))
            .bind(crate::domain::throttle::mail_key(key))
            .execute(&mut *conn)
            .await?;
    }
    let done = sqlx::query("DELETE FROM people WHERE id = $1 AND kind = 'person'")
        .bind(person.as_str())
        .execute(&mut *conn)
        .await?;
    Ok((done.rows_affected() == 1).then_some(removed))
}

/// `text` with `LIKE`'s wildcards and the escape character escaped by `\`.
fn like_escaped(text: &str) -> String {
    text.chars()
        .flat_map(|ch| match ch {
            '%' | '_' | '\\' => vec!['\\', ch],
            other => vec![other],
        })
        .collect()
}
