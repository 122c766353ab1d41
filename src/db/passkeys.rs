//! Queries on `passkeys`: a person's WebAuthn credentials, each with its name, its id (base64url)
//! and the relying-party library's stored form of it (JSON: public key, counter, backup flags).

use sqlx::any::AnyRow;
use sqlx::{Any, Executor};

use super::{DbError, col};
use crate::domain::PersonId;
use crate::domain::passkey::PasskeyName;

/// One stored passkey.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredPasskey {
    /// Its own id (a UUID), used in the security page's forms.
    pub id: String,
    /// Whose it is.
    pub person_id: PersonId,
    /// The name the person gave it.
    pub name: PasskeyName,
    /// The WebAuthn credential id, base64url without padding.
    pub credential_id: String,
    /// The stored credential (JSON).
    pub credential: String,
    /// When it was added.
    pub created_at: i64,
    /// When it was last used to sign in, if ever.
    pub last_used_at: Option<i64>,
}

macro_rules! passkey_columns {
    () => {
        "id, person_id, name, credential_id, credential, created_at, last_used_at"
    };
}

fn passkey_from_row(row: &AnyRow) -> Result<StoredPasskey, DbError> {
    Ok(StoredPasskey {
        id: col(row, "id")?,
        person_id: PersonId::from_stored(col(row, "person_id")?),
        name: PasskeyName::from_stored(col(row, "name")?),
        credential_id: col(row, "credential_id")?,
        credential: col(row, "credential")?,
        created_at: col(row, "created_at")?,
        last_used_at: col(row, "last_used_at")?,
    })
}

/// Stores a new passkey; a credential id that is already stored is a unique violation.
pub async fn insert_passkey<'c, E>(conn: E, passkey: &StoredPasskey) -> Result<(), DbError>
where
    E: Executor<'c, Database = Any>,
{
    sqlx::query(
        "INSERT INTO passkeys (id, person_id, name, credential_id, credential, created_at, \
         last_used_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(passkey.id.as_str())
    .bind(passkey.person_id.as_str())
    .bind(passkey.name.as_str())
    .bind(passkey.credential_id.as_str())
    .bind(passkey.credential.as_str())
    .bind(passkey.created_at)
    .bind(passkey.last_used_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// A person's passkeys, oldest first.
pub async fn list_passkeys<'c, E>(conn: E, person: &PersonId) -> Result<Vec<StoredPasskey>, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let rows = sqlx::query(concat!(
        "SELECT ",
        passkey_columns!(),
        " FROM passkeys WHERE person_id = $1 ORDER BY created_at, id"
    ))
    .bind(person.as_str())
    .fetch_all(conn)
    .await?;
    rows.iter().map(passkey_from_row).collect()
}

/// The passkey with a credential id, whoever's it is.
pub async fn find_passkey_by_credential_id<'c, E>(
    conn: E,
    credential_id: &str,
) -> Result<Option<StoredPasskey>, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let row = sqlx::query(concat!(
        "SELECT ",
        passkey_columns!(),
        " FROM passkeys WHERE credential_id = $1"
    ))
    .bind(credential_id)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(passkey_from_row).transpose()
}

/// Renames one of a person's passkeys; `false` when the person has no such passkey.
pub async fn rename_passkey<'c, E>(
    conn: E,
    person: &PersonId,
    id: &str,
    name: &PasskeyName,
) -> Result<bool, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let done = sqlx::query("UPDATE passkeys SET name = $1 WHERE id = $2 AND person_id = $3")
        .bind(name.as_str())
        .bind(id)
        .bind(person.as_str())
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Removes one of a person's passkeys and returns its name; `None` when the person has no such
/// passkey (or it was removed meanwhile).
pub async fn remove_passkey<'c, E>(
    conn: E,
    person: &PersonId,
    id: &str,
) -> Result<Option<PasskeyName>, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let row = sqlx::query("DELETE FROM passkeys WHERE id = $1 AND person_id = $2 RETURNING name")
        .bind(id)
        .bind(person.as_str())
        .fetch_optional(conn)
        .await?;
    row.as_ref()
        .map(|r| Ok(PasskeyName::from_stored(col(r, "name")?)))
        .transpose()
}

/// Records a use of a passkey at `now`, with its stored form as the sign-in left it (a higher
/// counter, a changed backup state).
pub async fn record_passkey_use<'c, E>(
    conn: E,
    id: &str,
    credential: &str,
    now: i64,
) -> Result<(), DbError>
where
    E: Executor<'c, Database = Any>,
{
    sqlx::query("UPDATE passkeys SET credential = $1, last_used_at = $2 WHERE id = $3")
        .bind(credential)
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}
