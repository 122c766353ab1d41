//! A database of its own for each test: a temporary SQLite file, or a new PostgreSQL database
//! (dropped again when the test ends); and the row counts that show a refusal changed nothing.

use latchkey::db::{Backend, Db};
use sqlx::{AnyConnection, AssertSqlSafe, Connection, Executor};

use super::skip::skip;

/// The local PostgreSQL server of a development machine.
pub const LOCAL_POSTGRES: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// A fresh PostgreSQL database, or `None` when there is none to be had (see `TestDb::postgres`).
pub async fn postgres_test_db() -> Option<TestDb> {
    TestDb::postgres().await
}

/// A database of its own for one test: a temporary SQLite file, or a new PostgreSQL database
/// on the server named by `TEST_DATABASE_URL` (dropped again when the test ends).
pub struct TestDb {
    /// The URL the application connects to.
    pub url: String,
    /// Where the test may put files (the SQLite database lives here).
    pub dir: tempfile::TempDir,
    postgres: Option<PostgresDb>,
}

struct PostgresDb {
    admin_url: String,
    name: String,
}

impl TestDb {
    /// Makes a fresh, empty database.
    pub async fn new() -> Self {
        latchkey::tls::install_default_provider();
        let dir = tempfile::tempdir().expect("temporary directory");
        match std::env::var("TEST_DATABASE_URL") {
            Ok(admin_url) if !admin_url.is_empty() => Self::create_postgres(admin_url, dir).await,
            _ => Self::sqlite().await,
        }
    }

    /// A fresh SQLite database whatever the suite runs on.
    pub async fn sqlite() -> Self {
        let dir = tempfile::tempdir().expect("temporary directory");
        let url = format!("sqlite://{}/latchkey.db", dir.path().display());
        Self {
            url,
            dir,
            postgres: None,
        }
    }

    /// A fresh database on PostgreSQL whatever the suite runs on: `TEST_DATABASE_URL`, else the
    /// local server. `None` (with the reason printed) when none answers, unless strict.
    pub async fn postgres() -> Option<Self> {
        let admin_url = std::env::var("TEST_DATABASE_URL")
            .ok()
            .filter(|u| !u.is_empty())
            .unwrap_or_else(|| LOCAL_POSTGRES.to_owned());
        sqlx::any::install_default_drivers();
        if let Err(e) = AnyConnection::connect(&admin_url).await {
            skip(
                "PostgreSQL",
                format!("{}: {e}", latchkey::db::redact_url(&admin_url)),
            );
            return None;
        }
        let dir = tempfile::tempdir().expect("temporary directory");
        Some(Self::create_postgres(admin_url, dir).await)
    }

    async fn create_postgres(admin_url: String, dir: tempfile::TempDir) -> Self {
        sqlx::any::install_default_drivers();
        let name = format!("lk_test_{}", uuid_simple());
        let mut admin = AnyConnection::connect(&admin_url)
            .await
            .unwrap_or_else(|e| {
                panic!("TEST_DATABASE_URL is set but PostgreSQL cannot be reached: {e}")
            });
        admin
            .execute(AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
            .await
            .expect("create the test database");
        admin.close().await.ok();
        let url = replace_database(&admin_url, &name);
        Self {
            url,
            dir,
            postgres: Some(PostgresDb { admin_url, name }),
        }
    }

    /// Which engine the test runs on.
    pub fn backend(&self) -> Backend {
        if self.postgres.is_some() {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }

    /// Removes the database while the application still uses it (PostgreSQL only: the
    /// server terminates every connection to it).
    pub async fn drop_now(&self) {
        if let Some(pg) = &self.postgres {
            drop_postgres(&pg.admin_url, &pg.name).await;
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(pg) = self.postgres.take() {
            // Drop needs its own runtime: the test's may already be shutting down.
            let _ = std::thread::spawn(move || {
                if let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    rt.block_on(drop_postgres(&pg.admin_url, &pg.name));
                }
            })
            .join();
        }
    }
}

async fn drop_postgres(admin_url: &str, name: &str) {
    if let Ok(mut admin) = AnyConnection::connect(admin_url).await {
        let _ = admin
            .execute(AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
            )))
            .await;
        let _ = admin.close().await;
    }
}

fn replace_database(url: &str, name: &str) -> String {
    let mut parsed = url::Url::parse(url).expect("TEST_DATABASE_URL is a URL");
    parsed.set_path(&format!("/{name}"));
    parsed.to_string()
}

fn uuid_simple() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// Rows in every identity table.
pub async fn row_counts(db: &Db) -> Vec<(&'static str, i64)> {
    let mut counts = Vec::new();
    for (table, sql) in [
        ("people", "SELECT COUNT(*) AS n FROM people"),
        (
            "email_addresses",
            "SELECT COUNT(*) AS n FROM email_addresses",
        ),
        (
            "team_memberships",
            "SELECT COUNT(*) AS n FROM team_memberships",
        ),
        ("login_tokens", "SELECT COUNT(*) AS n FROM login_tokens"),
        ("audit_events", "SELECT COUNT(*) AS n FROM audit_events"),
        ("throttle", "SELECT COUNT(*) AS n FROM throttle"),
    ] {
        let row = sqlx::query(sql).fetch_one(db.pool()).await.unwrap();
        counts.push((table, sqlx::Row::get::<i64, _>(&row, "n")));
    }
    counts
}
