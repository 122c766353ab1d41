//! Embedded, paired migrations (`migrations/sqlite` and `migrations/postgres`, same numbers and
//! names), applied in order at start and by `latchkey migrate`.

use sqlx::Executor;

use super::{Backend, Db, DbError, col};
use crate::domain::TokenHash;

/// One migration step, as embedded in the binary.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    /// Its number, from the file name.
    pub version: i64,
    /// Its name, from the file name.
    pub name: &'static str,
    /// The SQL, one or more statements.
    pub sql: &'static str,
}

macro_rules! migrations {
    ($dir:literal: $(($version:literal, $name:literal, $file:literal)),* $(,)?) => {
        &[$(Migration {
            version: $version,
            name: $name,
            sql: include_str!(concat!("../../migrations/", $dir, "/", $file)),
        }),*]
    };
}

/// The SQLite steps.
pub const SQLITE: &[Migration] = migrations!("sqlite":
    (1, "identity", "0001_identity.sql"),
    (2, "login_service", "0002_login_service.sql"),
    (3, "oidc", "0003_oidc.sql"),
    (4, "oidc_grants", "0004_oidc_grants.sql"),
    (5, "webhooks", "0005_webhooks.sql"),
    (6, "audit_aggregates", "0006_audit_aggregates.sql"),
    (7, "api_keys", "0007_api_keys.sql"),
    (8, "sessions_not_before", "0008_sessions_not_before.sql"),
    (9, "client_introspection", "0009_client_introspection.sql"),
    (10, "authorization_requests", "0010_authorization_requests.sql"),
    (11, "second_factors", "0011_second_factors.sql"),
    (12, "address_changes", "0012_address_changes.sql"),
    (13, "openid", "0013_openid.sql"),
);

/// The PostgreSQL steps.
pub const POSTGRES: &[Migration] = migrations!("postgres":
    (1, "identity", "0001_identity.sql"),
    (2, "login_service", "0002_login_service.sql"),
    (3, "oidc", "0003_oidc.sql"),
    (4, "oidc_grants", "0004_oidc_grants.sql"),
    (5, "webhooks", "0005_webhooks.sql"),
    (6, "audit_aggregates", "0006_audit_aggregates.sql"),
    (7, "api_keys", "0007_api_keys.sql"),
    (8, "sessions_not_before", "0008_sessions_not_before.sql"),
    (9, "client_introspection", "0009_client_introspection.sql"),
    (10, "authorization_requests", "0010_authorization_requests.sql"),
    (11, "second_factors", "0011_second_factors.sql"),
    (12, "address_changes", "0012_address_changes.sql"),
    (13, "openid", "0013_openid.sql"),
);

/// The steps for a backend.
pub fn migrations_for(backend: Backend) -> &'static [Migration] {
    match backend {
        Backend::Sqlite => SQLITE,
        Backend::Postgres => POSTGRES,
    }
}

/// A fixed key for PostgreSQL's advisory lock, so that nodes starting together migrate once.
const ADVISORY_LOCK_KEY: i64 = 0x6c61_7463_686b_6579; // "latchkey"

/// The SHA-256 of a step's SQL, in hex (the same digest tokens are stored under).
fn checksum(sql: &str) -> String {
    TokenHash::of(sql).as_str().to_owned()
}

/// Applies every step not yet applied; returns how many were applied now.
///
/// A step whose SQL changed since it was applied is an error: migrations are append-only.
pub async fn run(db: &Db) -> Result<usize, DbError> {
    let mut conn = db.pool().acquire().await.map_err(DbError::Connect)?;
    if db.backend() == Backend::Postgres {
        sqlx::query("SELECT pg_advisory_lock($1)")
            .bind(ADVISORY_LOCK_KEY)
            .execute(&mut *conn)
            .await?;
    }
    let result = apply_pending(db.backend(), &mut conn).await;
    if db.backend() == Backend::Postgres {
        sqlx::query("SELECT pg_advisory_unlock($1)")
            .bind(ADVISORY_LOCK_KEY)
            .execute(&mut *conn)
            .await?;
    }
    result
}

async fn apply_pending(backend: Backend, conn: &mut sqlx::AnyConnection) -> Result<usize, DbError> {
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
            version BIGINT PRIMARY KEY,
            name TEXT NOT NULL,
            checksum TEXT NOT NULL,
            applied_at BIGINT NOT NULL
        )",
    )
    .await?;
    let rows =
        sqlx::query("SELECT version, name, checksum FROM schema_migrations ORDER BY version")
            .fetch_all(&mut *conn)
            .await?;
    let mut applied = Vec::with_capacity(rows.len());
    for row in &rows {
        let version: i64 = col(row, "version")?;
        let name: String = col(row, "name")?;
        let sum: String = col(row, "checksum")?;
        applied.push((version, name, sum));
    }
    let steps = migrations_for(backend);
    if let Some((version, name, _)) = applied
        .iter()
        .find(|(v, _, _)| !steps.iter().any(|m| m.version == *v))
    {
        return Err(DbError::Migration(format!(
            "the database has migration {version:04}_{name}, which this version of latchkey does \
             not know: it was made by a newer version"
        )));
    }
    let mut count = 0;
    for step in steps {
        let sum = checksum(step.sql);
        if let Some((_, _, stored)) = applied.iter().find(|(v, _, _)| *v == step.version) {
            if *stored != sum {
                return Err(DbError::Migration(format!(
                    "migration {:04}_{} was changed after it was applied",
                    step.version, step.name
                )));
            }
            continue;
        }
        let mut tx = sqlx::Connection::begin(&mut *conn).await?;
        sqlx::raw_sql(step.sql)
            .execute(&mut *tx)
            .await
            .map_err(|source| DbError::MigrationStep {
                step: format!("{:04}_{}", step.version, step.name),
                source,
            })?;
        sqlx::query(
            "INSERT INTO schema_migrations (version, name, checksum, applied_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(step.version)
        .bind(step.name)
        .bind(sum)
        .bind(crate::clock::Clock::now(&crate::clock::SystemClock))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        tracing::info!(
            version = step.version,
            name = step.name,
            "applied migration"
        );
        count += 1;
    }
    Ok(count)
}

/// Whether every embedded step has been applied (the schema is the one this binary expects).
pub async fn is_current(db: &Db) -> Result<bool, DbError> {
    let applied = sqlx::query("SELECT COUNT(*) AS n FROM schema_migrations")
        .fetch_one(db.pool())
        .await;
    match applied {
        Ok(row) => {
            let n: i64 = col(&row, "n")?;
            Ok(usize::try_from(n).ok() == Some(migrations_for(db.backend()).len()))
        }
        // No bookkeeping table: nothing was ever migrated.
        Err(sqlx::Error::Database(_)) => Ok(false),
        Err(e) => Err(e.into()),
    }
}
