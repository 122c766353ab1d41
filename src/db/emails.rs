//! Queries on `email_addresses`: people's addresses and teams' contact addresses.

use sqlx::{Any, Executor};

use super::{DbError, col};
use crate::domain::{EmailAddress, EmailStatus, PersonId};

/// An address with its status, as `list_emails` returns it (the type lives in the domain).
pub use crate::domain::StoredEmail;

/// Attaches an address to a person or team. Fails with a unique violation if any profile
/// already has an address with the same normalised key.
pub async fn insert_email<'c, E>(
    conn: E,
    owner: &PersonId,
    email: &EmailAddress,
    status: EmailStatus,
    now: i64,
) -> Result<(), DbError>
where
    E: Executor<'c, Database = Any>,
{
    sqlx::query(
        "INSERT INTO email_addresses (id, address, normalized_key, person_id, status, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(email.as_str())
    .bind(email.key())
    .bind(owner.as_str())
    .bind(status.as_str())
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Every address of a person or team, preferred first, then oldest first.
pub async fn list_emails<'c, E>(conn: E, owner: &PersonId) -> Result<Vec<StoredEmail>, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let rows = sqlx::query(
        "SELECT address, normalized_key, status FROM email_addresses WHERE person_id = $1 \
         ORDER BY CASE status WHEN 'preferred' THEN 0 ELSE 1 END, created_at, address",
    )
    .bind(owner.as_str())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            let status: String = col(row, "status")?;
            Ok(StoredEmail {
                address: EmailAddress::from_stored(
                    col(row, "address")?,
                    col(row, "normalized_key")?,
                ),
                status: EmailStatus::from_stored(&status).ok_or_else(|| DbError::Corrupt {
                    table: "email_addresses",
                    detail: format!("status {status}"),
                })?,
            })
        })
        .collect()
}

/// The stored spelling of an address, found by its normalised key: mail goes there, not to
/// the spelling someone typed.
pub async fn find_stored_email<'c, E>(
    conn: E,
    email: &EmailAddress,
) -> Result<Option<EmailAddress>, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let row = sqlx::query(
        "SELECT address, normalized_key FROM email_addresses WHERE normalized_key = $1",
    )
    .bind(email.key())
    .fetch_optional(conn)
    .await?;
    row.map(|row| {
        Ok(EmailAddress::from_stored(
            col(&row, "address")?,
            col(&row, "normalized_key")?,
        ))
    })
    .transpose()
}

/// Marks an address as confirmed by its owner: preferred if its owner has no preferred
/// address yet, else validated. Addresses already confirmed are left alone.
pub async fn confirm_email<'c, E>(conn: E, email: &EmailAddress) -> Result<(), DbError>
where
    E: Executor<'c, Database = Any>,
{
    sqlx::query(
        "UPDATE email_addresses SET status = CASE WHEN EXISTS (\
             SELECT 1 FROM email_addresses p \
             WHERE p.person_id = email_addresses.person_id AND p.status = 'preferred') \
           THEN 'validated' ELSE 'preferred' END \
         WHERE normalized_key = $1 AND status = 'new'",
    )
    .bind(email.key())
    .execute(conn)
    .await?;
    Ok(())
}
