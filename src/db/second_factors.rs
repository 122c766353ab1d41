//! Queries across every kind of second factor (`passkeys`, `authenticator_apps`,
//! `recovery_codes`): what a person has enrolled, and removing all of it.

use sqlx::{Any, Executor};

use super::{DbError, col};
use crate::domain::PersonId;
use crate::domain::second_factor::{FactorKind, FactorSummary};

/// Every factor a person has: passkeys and the authenticator app by name, and the recovery
/// codes as one entry named by how many are left (none listed when all are used).
pub async fn factors_of<'c, E>(conn: E, person: &PersonId) -> Result<Vec<FactorSummary>, DbError>
where
    E: Executor<'c, Database = Any> + Copy,
{
    let mut factors = Vec::new();
    let rows = sqlx::query(
        "SELECT name, created_at, last_used_at FROM passkeys WHERE person_id = $1 \
         ORDER BY created_at, id",
    )
    .bind(person.as_str())
    .fetch_all(conn)
    .await?;
    for row in &rows {
        factors.push(FactorSummary {
            kind: FactorKind::Passkey,
            name: col(row, "name")?,
            created_at: col(row, "created_at")?,
            last_used_at: col(row, "last_used_at")?,
        });
    }
    let app = sqlx::query(
        "SELECT name, created_at, last_used_at FROM authenticator_apps WHERE person_id = $1",
    )
    .bind(person.as_str())
    .fetch_optional(conn)
    .await?;
    if let Some(row) = app {
        factors.push(FactorSummary {
            kind: FactorKind::AuthenticatorApp,
            name: col(&row, "name")?,
            created_at: col(&row, "created_at")?,
            last_used_at: col(&row, "last_used_at")?,
        });
    }
    let codes = sqlx::query(
        "SELECT COUNT(*) AS left_over, MIN(created_at) AS created_at, \
         (SELECT MAX(used_at) FROM recovery_codes WHERE person_id = $1) AS last_used_at \
         FROM recovery_codes WHERE person_id = $1 AND used_at IS NULL",
    )
    .bind(person.as_str())
    .fetch_one(conn)
    .await?;
    let left: i64 = col(&codes, "left_over")?;
    if left > 0 {
        factors.push(FactorSummary {
            kind: FactorKind::RecoveryCodes,
            name: format!("{left} left"),
            created_at: col(&codes, "created_at")?,
            last_used_at: col(&codes, "last_used_at")?,
        });
    }
    Ok(factors)
}

/// Whether a person has a passkey or an authenticator app (recovery codes alone do not make
/// a second step: they only stand in for a lost factor).
pub async fn has_second_factor<'c, E>(conn: E, person: &PersonId) -> Result<bool, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let row = sqlx::query(
        "SELECT (SELECT COUNT(*) FROM passkeys WHERE person_id = $1) \
         + (SELECT COUNT(*) FROM authenticator_apps WHERE person_id = $1) AS n",
    )
    .bind(person.as_str())
    .fetch_one(conn)
    .await?;
    Ok(col::<i64>(&row, "n")? > 0)
}

/// Removes every factor of a person (passkeys, authenticator app, recovery codes); how many
/// rows went.
pub async fn remove_all_factors(
    tx: &mut sqlx::Transaction<'_, Any>,
    person: &PersonId,
) -> Result<u64, DbError> {
    let mut removed = 0;
    for sql in [
        "DELETE FROM passkeys WHERE person_id = $1",
        "DELETE FROM authenticator_apps WHERE person_id = $1",
        "DELETE FROM recovery_codes WHERE person_id = $1",
    ] {
        removed += sqlx::query(sql)
            .bind(person.as_str())
            .execute(&mut **tx)
            .await?
            .rows_affected();
    }
    Ok(removed)
}
