//! The test harness: `TestDb` (a fresh database), `spawn_app()` (the server on port 0 with a
//! fixed clock) and `latchkey()` (the real executable against a test database).

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::{Arc, OnceLock};

use latchkey::clock::FixedClock;
use latchkey::config::{MailTransport, Settings};
use latchkey::db::{Backend, Db};
use latchkey::domain::signing_key::{GeneratedKey, SigningAlg, generate};
use latchkey::service::Context;
use latchkey::startup::Application;
use secrecy::SecretString;
use sqlx::{AnyConnection, AssertSqlSafe, Connection, Executor};
use tokio::io::AsyncWriteExt;

use crate::smtp::TestSmtp;

/// The local PostgreSQL server of a development machine.
pub const LOCAL_POSTGRES: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// A fresh PostgreSQL database, or `None` when there is none to be had (see `TestDb::postgres`).
pub async fn postgres_test_db() -> Option<TestDb> {
    TestDb::postgres().await
}

/// The local Redis of a development machine.
pub const LOCAL_REDIS: &str = "redis://127.0.0.1:6379";

/// Whether the local Redis answers; says why a test skips (a failure under
/// LATCHKEY_TEST_STRICT=1).
pub async fn redis_here() -> bool {
    let up = match redis::Client::open(LOCAL_REDIS) {
        Ok(client) => client.get_multiplexed_async_connection().await.is_ok(),
        Err(_) => false,
    };
    if !up {
        assert!(
            !strict(),
            "LATCHKEY_TEST_STRICT=1 and Redis is unreachable at {LOCAL_REDIS}"
        );
        eprintln!("skipped: this test needs Redis at {LOCAL_REDIS}");
    }
    up
}

/// A connection to the local Redis, to look at what Latchkey stored there.
pub async fn redis_conn() -> redis::aio::MultiplexedConnection {
    redis::Client::open(LOCAL_REDIS)
        .unwrap()
        .get_multiplexed_async_connection()
        .await
        .unwrap()
}

/// 2026-01-01T00:00:00Z: tests start here and move the clock by hand.
pub const START: i64 = 1_767_225_600;

/// Whether a missing external component must fail the run instead of skipping.
pub fn strict() -> bool {
    std::env::var("LATCHKEY_TEST_STRICT").is_ok_and(|v| v == "1")
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
            assert!(
                !strict(),
                "LATCHKEY_TEST_STRICT=1 and PostgreSQL is unreachable: {e}"
            );
            eprintln!("skipped: this test needs PostgreSQL at {admin_url}: {e}");
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

/// A running server with its own database, a fixed clock and a real SMTP listener.
pub struct TestApp {
    /// `http://127.0.0.1:PORT`.
    pub address: String,
    /// The private (XML-RPC) listener, `http://127.0.0.1:PORT`.
    pub private_address: String,
    /// The server's storage.
    pub db: Db,
    /// The server's clock.
    pub clock: Arc<FixedClock>,
    /// A browser-like client: keeps cookies, does not follow redirects.
    pub client: reqwest::Client,
    /// The use-case context, for arranging data without going through HTTP.
    pub ctx: Context,
    /// The SMTP listener the server delivers to.
    pub smtp: TestSmtp,
    /// The test database (kept alive as long as the app).
    pub test_db: TestDb,
}

/// A client that keeps cookies and does not follow redirects, like a browser tab.
pub fn browser() -> reqwest::Client {
    latchkey::tls::install_default_provider();
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .unwrap()
}

/// The body of `GET url` with `client`.
pub async fn fetch_text(client: &reqwest::Client, url: &str) -> String {
    client
        .get(url)
        .send()
        .await
        .expect("request sent")
        .text()
        .await
        .expect("a text body")
}

/// Settings for a test server: loopback, port 0, cheap password hashing.
pub fn test_settings(db: &TestDb) -> Settings {
    let mut settings = Settings::default();
    settings.server.public_addr = "127.0.0.1:0".to_owned();
    settings.server.private_addr = "127.0.0.1:0".to_owned();
    settings.database.url = SecretString::from(db.url.clone());
    settings.database.acquire_timeout_secs = 2;
    settings.password.memory_kib = 64;
    settings.password.iterations = 1;
    settings.mail.dir = db.dir.path().join("mail");
    settings
}

/// One RSA and one Ed25519 key per test process: generating a 2048-bit RSA key takes a few
/// hundred milliseconds in a debug build, too long to repeat in every test.
fn shared_keys() -> &'static [GeneratedKey; 2] {
    static KEYS: OnceLock<[GeneratedKey; 2]> = OnceLock::new();
    KEYS.get_or_init(|| {
        [
            generate(SigningAlg::Rs256).expect("an RSA key"),
            generate(SigningAlg::EdDsa).expect("an Ed25519 key"),
        ]
    })
}

/// Migrates the test database and stores the shared keys, so that the server finds keys on
/// start instead of generating them (the `serve` and `keys rotate` tests still generate).
async fn seed_signing_keys(test_db: &TestDb) {
    let db = Db::connect(
        &test_db.url,
        latchkey::db::PoolOptions {
            max_connections: 1,
            acquire_timeout: std::time::Duration::from_secs(5),
        },
    )
    .await
    .expect("the test database opens");
    latchkey::db::migrate::run(&db)
        .await
        .expect("migrations apply");
    for key in shared_keys() {
        latchkey::db::keys::insert_key(db.pool(), key, START)
            .await
            .expect("key stored");
    }
    db.close().await;
}

/// Starts the server on a free loopback port against a fresh database.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Starts the server with adjusted settings.
pub async fn spawn_app_with(adjust: impl FnOnce(&mut Settings)) -> TestApp {
    latchkey::tls::install_default_provider();
    latchkey::telemetry::init(&latchkey::config::LogSettings {
        level: "warn".to_owned(),
        ..Default::default()
    });
    let test_db = TestDb::new().await;
    let smtp = TestSmtp::start().await;
    let mut settings = test_settings(&test_db);
    settings.mail.transport = MailTransport::Smtp;
    settings.mail.smtp_url = Some(SecretString::from(smtp.url()));
    settings.mail.poll_interval_ms = 50;
    adjust(&mut settings);
    seed_signing_keys(&test_db).await;
    let clock = Arc::new(FixedClock::at(START));
    let app = Application::build(&settings, clock.clone())
        .await
        .expect("the application starts");
    let address = format!("http://127.0.0.1:{}", app.port());
    let private_address = format!("http://127.0.0.1:{}", app.private_port());
    let db = app.db().clone();
    let ctx = Context::new(&settings, db.clone(), clock.clone(), address.clone()).unwrap();
    tokio::spawn(app.run_until_stopped());
    TestApp {
        address,
        private_address,
        db,
        clock,
        client: browser(),
        ctx,
        smtp,
        test_db,
    }
}

impl TestApp {
    /// GET a path.
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.address))
            .send()
            .await
            .expect("request sent")
    }

    /// Runs the `latchkey` executable against this app's database.
    pub async fn cli(&self, args: &[&str]) -> CliOutput {
        latchkey(&self.test_db, args, None).await
    }

    /// Runs the executable with text on its standard input.
    pub async fn cli_with_stdin(&self, args: &[&str], stdin: &str) -> CliOutput {
        latchkey(&self.test_db, args, Some(stdin)).await
    }

    /// Rows in every identity table, to show that a refused command changed nothing.
    pub async fn row_counts(&self) -> Vec<(&'static str, i64)> {
        row_counts(&self.db).await
    }
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

/// What a run of the executable printed and returned.
#[derive(Debug)]
pub struct CliOutput {
    /// The exit code (-1 if killed by a signal).
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl CliOutput {
    /// Asserts success and returns standard output.
    #[track_caller]
    pub fn ok(&self) -> &str {
        assert_eq!(self.code, 0, "expected success: {self:#?}");
        &self.stdout
    }

    /// Asserts a given failure code and returns standard error.
    #[track_caller]
    pub fn fails_with(&self, code: i32) -> &str {
        assert_eq!(self.code, code, "expected exit code {code}: {self:#?}");
        assert!(!self.stderr.trim().is_empty(), "a failure explains itself");
        assert_eq!(
            self.stderr.trim().lines().count(),
            1,
            "one-line error: {}",
            self.stderr
        );
        &self.stderr
    }
}

/// The built `latchkey` executable.
pub fn latchkey_exe() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_latchkey"))
}

/// Runs the executable in the test's directory (so no stray `latchkey.toml` is read) with the
/// test database and cheap hashing, and no other `LATCHKEY__` variables.
pub async fn latchkey(db: &TestDb, args: &[&str], stdin: Option<&str>) -> CliOutput {
    run_exe(
        db.dir.path(),
        args,
        &[("LATCHKEY__DATABASE__URL", db.url.as_str())],
        stdin,
    )
    .await
}

/// Runs the executable in `dir` with exactly the given `LATCHKEY__` variables.
pub async fn run_exe(
    dir: &Path,
    args: &[&str],
    env: &[(&str, &str)],
    stdin: Option<&str>,
) -> CliOutput {
    let mut cmd = tokio::process::Command::new(latchkey_exe());
    cmd.args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .env("LATCHKEY__PASSWORD__MEMORY_KIB", "64")
        .env("LATCHKEY__PASSWORD__ITERATIONS", "1")
        .env_remove("RUST_LOG")
        .env_remove("LATCHKEY_CONFIG");
    for (key, _) in std::env::vars() {
        if key.starts_with("LATCHKEY__") {
            cmd.env_remove(key);
        }
    }
    for (key, value) in env {
        cmd.env(key, value);
    }
    let mut child = cmd.spawn().expect("latchkey starts");
    let mut input = child.stdin.take().expect("stdin");
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).await.expect("write stdin");
    }
    drop(input);
    let out = tokio::time::timeout(std::time::Duration::from_secs(60), child.wait_with_output())
        .await
        .expect("latchkey finished within a minute")
        .expect("latchkey ran");
    CliOutput {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}
