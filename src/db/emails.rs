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

/// The owner of an address and how far it is confirmed, by its normalised key.
pub async fn find_email_owner<'c, E>(
    conn: E,
    email: &EmailAddress,
) -> Result<Option<(PersonId, EmailStatus)>, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let row =
        sqlx::query("SELECT person_id, status FROM email_addresses WHERE normalized_key = $1")
            .bind(email.key())
            .fetch_optional(conn)
            .await?;
    row.map(|row| {
        let status: String = col(&row, "status")?;
        Ok((
            PersonId::from_stored(col(&row, "person_id")?),
            EmailStatus::from_stored(&status).ok_or_else(|| DbError::Corrupt {
                table: "email_addresses",
                detail: format!("status {status}"),
            })?,
        ))
    })
    .transpose()
}

/// Holds the row of `owner` until the end of the transaction, so that changes to one person's
/// addresses happen one after the other: on PostgreSQL two concurrent removals would otherwise
/// each see the other's address still there and remove the last two confirmed ones (SQLite
/// runs one writing transaction at a time anyway).
pub async fn lock_owner<'c, E>(conn: E, owner: &PersonId, now: i64) -> Result<bool, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let done = sqlx::query("UPDATE people SET updated_at = $1 WHERE id = $2")
        .bind(now)
        .bind(owner.as_str())
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Marks one of `owner`'s unconfirmed addresses as confirmed; returns whether it was one.
pub async fn confirm_own_email<'c, E>(
    conn: E,
    owner: &PersonId,
    email: &EmailAddress,
) -> Result<bool, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let done = sqlx::query(
        "UPDATE email_addresses SET status = 'validated' \
         WHERE person_id = $1 AND normalized_key = $2 AND status = 'new'",
    )
    .bind(owner.as_str())
    .bind(email.key())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The preferred address of `owner` becomes merely confirmed, unless it is `keep`. First half
/// of choosing another preferred address (`prefer_email`), in the same transaction.
pub async fn demote_preferred<'c, E>(
    conn: E,
    owner: &PersonId,
    keep: &EmailAddress,
) -> Result<(), DbError>
where
    E: Executor<'c, Database = Any>,
{
    sqlx::query(
        "UPDATE email_addresses SET status = 'validated' \
         WHERE person_id = $1 AND status = 'preferred' AND normalized_key <> $2",
    )
    .bind(owner.as_str())
    .bind(keep.key())
    .execute(conn)
    .await?;
    Ok(())
}

/// A confirmed address of `owner` becomes the preferred one (after `demote_preferred`);
/// returns whether it was a confirmed, not yet preferred, address of theirs.
pub async fn prefer_email<'c, E>(
    conn: E,
    owner: &PersonId,
    email: &EmailAddress,
) -> Result<bool, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let done = sqlx::query(
        "UPDATE email_addresses SET status = 'preferred' \
         WHERE person_id = $1 AND normalized_key = $2 AND status = 'validated'",
    )
    .bind(owner.as_str())
    .bind(email.key())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Removes an address of `owner`, unless it is their last confirmed one (an unconfirmed
/// address can always go). Returns whether it was removed.
pub async fn delete_email<'c, E>(
    conn: E,
    owner: &PersonId,
    email: &EmailAddress,
) -> Result<bool, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let done = sqlx::query(
        "DELETE FROM email_addresses \
         WHERE person_id = $1 AND normalized_key = $2 AND (status = 'new' OR EXISTS (\
             SELECT 1 FROM email_addresses o \
             WHERE o.person_id = $1 AND o.normalized_key <> $2 AND o.status <> 'new'))",
    )
    .bind(owner.as_str())
    .bind(email.key())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// When `owner` has no preferred address (it was just removed), their oldest confirmed one
/// becomes preferred.
pub async fn prefer_oldest_if_none<'c, E>(conn: E, owner: &PersonId) -> Result<(), DbError>
where
    E: Executor<'c, Database = Any>,
{
    sqlx::query(
        "UPDATE email_addresses SET status = 'preferred' WHERE id = (\
             SELECT id FROM email_addresses \
             WHERE person_id = $1 AND status = 'validated' \
             ORDER BY created_at, address LIMIT 1) \
         AND NOT EXISTS (\
             SELECT 1 FROM email_addresses p WHERE p.person_id = $1 AND p.status = 'preferred')",
    )
    .bind(owner.as_str())
    .execute(conn)
    .await?;
    Ok(())
}
