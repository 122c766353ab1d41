//! The test harness: `spawn_app()` (the server on port 0 with its own database, a fixed clock,
//! a real SMTP listener and its own Redis key prefix), with the pieces it is built from in the
//! submodules: `TestDb` (a fresh database), `latchkey()` (the real executable), the local Redis,
//! and `skip` (how a test without PostgreSQL, Redis, Chromium or Python says so).

mod exe;
mod redis;
mod skip;
mod test_db;

use std::sync::{Arc, OnceLock};

use latchkey::clock::FixedClock;
use latchkey::config::{MailTransport, Settings};
use latchkey::db::Db;
use latchkey::domain::signing_key::{GeneratedKey, SigningAlg, generate};
use latchkey::service::Context;
use latchkey::startup::Application;
use secrecy::SecretString;

pub use exe::{CliOutput, latchkey, latchkey_exe, run_exe};
pub use redis::{LOCAL_REDIS, fresh_redis_prefix, redis_conn, redis_here};
pub use skip::{skip, strict};
pub use test_db::{TestDb, postgres_test_db, row_counts};

use crate::smtp::TestSmtp;

/// 2026-01-01T00:00:00Z: tests start here and move the clock by hand.
pub const START: i64 = 1_767_225_600;

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
    /// What the app's Redis keys start with (`redis.key_prefix`), its own unless the test
    /// gave it another app's.
    pub redis_prefix: String,
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

/// Starts the server as `http://localhost:PORT` while it listens on `127.0.0.1:PORT` (the
/// tests still talk to `app.address`): a name, not an address, because WebAuthn refuses an IP
/// address as relying-party id, so passkeys work only there.
pub async fn spawn_app_on_localhost(adjust: impl FnOnce(&mut Settings)) -> TestApp {
    let port = unused_port();
    spawn_app_with(|settings| {
        settings.server.public_addr = format!("127.0.0.1:{port}");
        settings.server.public_url = Some(format!("http://localhost:{port}"));
        adjust(settings);
    })
    .await
}

/// A loopback port nothing listens on, for a server that must know its port before it binds.
/// Chosen at random below the range the system hands out for port 0 (32768 and up on Linux),
/// so the other tests' listeners cannot take it between this check and the bind.
pub fn unused_port() -> u16 {
    loop {
        let mut bytes = [0u8; 2];
        getrandom::fill(&mut bytes).expect("randomness");
        let port = 20_000 + u16::from_be_bytes(bytes) % 12_000;
        if std::net::TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
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
    settings.redis.key_prefix = fresh_redis_prefix();
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
        redis_prefix: settings.redis.key_prefix,
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

    /// The full name of one of the app's Redis keys, e.g. `redis_key("throttle:ip:127.0.0.1")`.
    pub fn redis_key(&self, name: &str) -> String {
        format!("{}{name}", self.redis_prefix)
    }

    /// Rows in every identity table, to show that a refused command changed nothing.
    pub async fn row_counts(&self) -> Vec<(&'static str, i64)> {
        row_counts(&self.db).await
    }
}
