//! The only place with SQL: the connection pool for SQLite or PostgreSQL, migrations, and one
//! file of queries per table group. Every query is one SQL text both backends accept. Sessions
//! and lockout counters may live in Redis instead: `SessionStore` and `CounterStore` hide which.

pub mod admin_console;
pub mod api_keys;
pub mod audit;
pub mod authenticator_apps;
pub mod authorization_codes;
pub mod authorization_requests;
pub mod clients;
pub mod consents;
pub mod counter_store;
pub mod emails;
pub mod erase;
pub mod keys;
pub mod login_tokens;
pub mod merge;
pub mod migrate;
pub mod oauth_grants;
pub mod openid_associations;
pub mod openid_decisions;
pub mod openid_identities;
pub mod openid_nonces;
pub mod openid_requests;
pub mod openid_trusted;
pub mod outbox;
pub mod passkeys;
pub mod people;
pub mod people_admin;
pub mod recovery_codes;
pub mod redis_conn;
pub mod second_factors;
pub mod secrets;
pub mod seed;
pub mod session_store;
pub mod sessions;
mod sessions_redis;
pub mod teams;
pub mod throttle;
mod throttle_redis;
pub mod webhooks;

pub use counter_store::CounterStore;
pub use session_store::SessionStore;

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, ConnectOptions, Executor};

/// Which database engine a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// SQLite, the embedded default.
    Sqlite,
    /// PostgreSQL, for production and several nodes.
    Postgres,
}

/// Why the database could not be used.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// The URL cannot name a database at all.
    #[error("`{0}` is not a database URL: use sqlite://PATH or postgres://USER@HOST/DB")]
    BadUrl(String),
    /// The server or file could not be reached or opened.
    #[error("cannot connect to the database: {0}")]
    Connect(#[source] sqlx::Error),
    /// The schema is not what this version expects.
    #[error("database migration failed: {0}")]
    Migration(String),
    /// A migration's SQL failed.
    #[error("database migration failed: {step}: {source}")]
    MigrationStep {
        /// Which migration, as `NNNN_name`.
        step: String,
        /// Why.
        source: sqlx::Error,
    },
    /// A query failed.
    #[error(transparent)]
    Query(#[from] sqlx::Error),
    /// A stored value is not one this version understands.
    #[error("corrupt row in {table}: {detail}")]
    Corrupt {
        /// Which table.
        table: &'static str,
        /// What was wrong.
        detail: String,
    },
    /// Redis, where it holds the lockout counters or the sessions, failed.
    #[error(transparent)]
    Redis(#[from] redis_conn::RedisError),
}

impl DbError {
    /// Whether the error is a unique-constraint violation (a duplicate).
    pub fn is_unique_violation(&self) -> bool {
        match self {
            Self::Query(e) => e
                .as_database_error()
                .is_some_and(|d| d.is_unique_violation()),
            _ => false,
        }
    }
}

impl Backend {
    /// The backend a URL names, from its scheme.
    pub fn of_url(url: &str) -> Result<Self, DbError> {
        let scheme = url.split_once("://").map(|(s, _)| s);
        match scheme {
            Some("sqlite") => Ok(Self::Sqlite),
            Some("postgres" | "postgresql") => Ok(Self::Postgres),
            _ => Err(DbError::BadUrl(redact_url(url))),
        }
    }
}

/// The URL with any password replaced, fit for messages and logs.
pub fn redact_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            // Setting a password only fails for URLs that cannot have one.
            let _ = parsed.set_password(Some("REDACTED"));
            parsed.to_string()
        }
        Ok(_) => url.to_owned(),
        Err(_) => "<unparseable URL>".to_owned(),
    }
}

/// The shared connection pool and which engine is behind it. Callers never branch on the
/// backend except in the few queries that must (kept visible, in `db`).
#[derive(Debug, Clone)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
}

/// Pool sizing.
#[derive(Debug, Clone, Copy)]
pub struct PoolOptions {
    /// Most connections.
    pub max_connections: u32,
    /// How long to wait for a connection.
    pub acquire_timeout: Duration,
}

impl Db {
    /// Opens a pool and checks that one connection works. A SQLite file (and its folder) is
    /// created if missing; SQLite connections use WAL, a busy timeout and foreign keys.
    pub async fn connect(url: &str, options: PoolOptions) -> Result<Self, DbError> {
        sqlx::any::install_default_drivers();
        let backend = Backend::of_url(url)?;
        let url = match backend {
            Backend::Sqlite => prepare_sqlite_url(url)?,
            Backend::Postgres => url.to_owned(),
        };
        let connect_options = AnyConnectOptions::from_str(&url)
            .map_err(|_| DbError::BadUrl(redact_url(&url)))?
            .disable_statement_logging();
        let pool = AnyPoolOptions::new()
            .max_connections(options.max_connections)
            .acquire_timeout(options.acquire_timeout)
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        conn.execute(
                            "PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000; \
                             PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;",
                        )
                        .await?;
                    }
                    Ok(())
                })
            })
            .connect_with(connect_options)
            .await
            .map_err(DbError::Connect)?;
        Ok(Self { pool, backend })
    }

    /// The pool, for queries.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Which engine is behind the pool.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Whether the database answers a trivial query.
    pub async fn ping(&self) -> Result<(), DbError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Closes every connection; later queries fail.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// `sqlite://path` → the same URL with `mode=rwc`, after creating the file's folder.
fn prepare_sqlite_url(url: &str) -> Result<String, DbError> {
    let rest = url
        .strip_prefix("sqlite://")
        .ok_or_else(|| DbError::BadUrl(url.to_owned()))?;
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path.is_empty() || path == ":memory:" {
        // An in-memory database is private to each pooled connection: useless here.
        return Err(DbError::BadUrl(url.to_owned()));
    }
    if let Some(parent) = Path::new(path).parent()
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent).map_err(|e| DbError::Connect(sqlx::Error::Io(e)))?;
    }
    Ok(if query.is_empty() {
        format!("sqlite://{path}?mode=rwc")
    } else {
        url.to_owned()
    })
}

/// Reads a required column, mapping a decode failure to `DbError`.
pub(crate) fn col<'r, T>(row: &'r sqlx::any::AnyRow, name: &str) -> Result<T, DbError>
where
    T: sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any>,
{
    use sqlx::Row;
    Ok(row.try_get(name)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backends_are_told_apart_by_scheme() {
        assert_eq!(
            Backend::of_url("sqlite://data/x.db").unwrap(),
            Backend::Sqlite
        );
        assert_eq!(
            Backend::of_url("postgres://u@h/d").unwrap(),
            Backend::Postgres
        );
        assert_eq!(
            Backend::of_url("postgresql://u@h/d").unwrap(),
            Backend::Postgres
        );
        assert!(Backend::of_url("posgres://x").is_err());
        assert!(Backend::of_url("nonsense").is_err());
        assert!(Backend::of_url("mysql://u@h/d").is_err());
    }

    #[test]
    fn passwords_are_redacted_from_urls() {
        let shown = redact_url("postgres://app:hunter2@db:5432/latchkey");
        assert!(!shown.contains("hunter2"));
        assert!(shown.contains("app:"));
        assert!(shown.contains("db:5432/latchkey"));
    }

    #[test]
    fn in_memory_sqlite_is_refused() {
        assert!(prepare_sqlite_url("sqlite://:memory:").is_err());
    }
}
