//! A cluster for the multi-node tests: one PostgreSQL database with a person, a client and a
//! web-hook token, three `latchkey serve` processes on it behind one public URL, an SMTP
//! listener, and (with `Shared::Redis`) one Redis key prefix for the three nodes.

use std::sync::Arc;
use std::time::Duration;

use latchkey::clock::{Clock, SystemClock};
use latchkey::db::webhooks::replace_webhook_token;
use latchkey::db::{Db, PoolOptions};
use latchkey::domain::signing_key::SigningAlg;
use latchkey::domain::{DisplayName, EmailAddress, Password, PlainToken, TokenKind};
use latchkey::service::clients::{NewClient, add};
use latchkey::service::people::create_person;
use latchkey::service::{Context, Origin};
use serde_json::Value;

use crate::helpers::{
    LOCAL_REDIS, TestDb, fetch_text, fresh_redis_prefix, redis_here, test_settings,
};
use crate::login_helpers::csrf_in;
use crate::process::{Server, start};
use crate::smtp::TestSmtp;

pub(super) const CALLBACK: &str = "https://wiki.example.org/cb";
pub(super) const PASSWORD: &str = "correct horse";
/// What every node calls itself: the address of the load balancer in front of them.
const PUBLIC_URL: &str = "http://127.0.0.1:1";

/// The relying party of these tests: confidential, asks for consent.
pub fn wiki(alg: SigningAlg) -> NewClient {
    NewClient {
        name: "Wiki".to_owned(),
        redirect_uris: vec![CALLBACK.to_owned()],
        post_logout_redirect_uris: vec![],
        public: false,
        trusted: false,
        introspect_any: false,
        require_second_factor: false,
        alg,
    }
}

/// Where the nodes keep sessions and lockout counters.
#[derive(Clone, Copy)]
pub(super) enum Shared {
    /// The database (the default).
    Database,
    /// Redis (`redis.sessions` and `redis.rate_limits`).
    Redis,
}

/// The three nodes and what the tests need to talk to them.
pub(super) struct Cluster {
    /// The person who signs in.
    pub(super) email: String,
    pub(super) nodes: Vec<Server>,
    /// Each node's own address (the nodes all call themselves `PUBLIC_URL`).
    pub(super) urls: Vec<String>,
    pub(super) client_id: String,
    pub(super) client_secret: String,
    pub(super) hook_token: String,
    pub(super) smtp: TestSmtp,
    pub(super) db: Db,
    _test_db: TestDb,
}

pub(super) async fn cluster() -> Option<Cluster> {
    cluster_on(Shared::Database).await
}

pub(super) async fn cluster_on(shared: Shared) -> Option<Cluster> {
    if matches!(shared, Shared::Redis) && !redis_here().await {
        return None;
    }
    let test_db = TestDb::postgres().await?;
    let db = Db::connect(
        &test_db.url,
        PoolOptions {
            max_connections: 2,
            acquire_timeout: Duration::from_secs(10),
        },
    )
    .await
    .unwrap();
    latchkey::db::migrate::run(&db).await.unwrap();
    let settings = test_settings(&test_db);
    let ctx = Context::new(
        &settings,
        db.clone(),
        Arc::new(SystemClock),
        PUBLIC_URL.to_owned(),
    )
    .unwrap();
    let email = format!("ada{}@example.org", uuid::Uuid::new_v4().simple());
    create_person(
        &ctx,
        &EmailAddress::parse(&email).unwrap(),
        DisplayName::parse("Ada").unwrap(),
        Password::parse(PASSWORD).unwrap(),
        &Origin::cli(),
    )
    .await
    .unwrap();
    let (client, secret) = add(&ctx, wiki(SigningAlg::Rs256)).await.unwrap();
    let hook = PlainToken::generate(TokenKind::Webhook).unwrap();
    replace_webhook_token(db.pool(), &hook.hash(), SystemClock.now())
        .await
        .unwrap();
    let smtp = TestSmtp::start().await;
    let smtp_url = smtp.url();
    // One prefix for the three nodes, which share their Redis keys; none for other tests.
    let redis_prefix = fresh_redis_prefix();
    let mut env = vec![
        ("LATCHKEY__DATABASE__URL", test_db.url.as_str()),
        ("LATCHKEY__SERVER__PUBLIC_URL", PUBLIC_URL),
        ("LATCHKEY__PASSWORD__MEMORY_KIB", "64"),
        ("LATCHKEY__PASSWORD__ITERATIONS", "1"),
        ("LATCHKEY__MAIL__TRANSPORT", "smtp"),
        ("LATCHKEY__MAIL__SMTP_URL", smtp_url.as_str()),
        ("LATCHKEY__MAIL__POLL_INTERVAL_MS", "50"),
        // A dead node's claim and the retry after a failed delivery last seconds, not minutes.
        ("LATCHKEY__MAIL__CLAIM_SECS", "2"),
        ("LATCHKEY__MAIL__RETRY_BASE_SECS", "1"),
        ("LATCHKEY__LOG__LEVEL", "warn"),
    ];
    if matches!(shared, Shared::Redis) {
        env.extend([
            ("LATCHKEY__REDIS__URL", LOCAL_REDIS),
            ("LATCHKEY__REDIS__SESSIONS", "true"),
            ("LATCHKEY__REDIS__RATE_LIMITS", "true"),
            ("LATCHKEY__REDIS__KEY_PREFIX", redis_prefix.as_str()),
        ]);
    }
    let mut nodes = Vec::new();
    let mut urls = Vec::new();
    for _ in 0..3 {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let addr = format!("127.0.0.1:{port}");
        let mut node_env = env.clone();
        node_env.push(("LATCHKEY__SERVER__PUBLIC_ADDR", addr.as_str()));
        nodes.push(start(test_db.dir.path(), &["serve"], &node_env).await);
        urls.push(format!("http://{addr}"));
    }
    Some(Cluster {
        email,
        nodes,
        urls,
        client_id: client.client_id,
        client_secret: secret.unwrap().expose().to_owned(),
        hook_token: hook.expose().to_owned(),
        smtp,
        db,
        _test_db: test_db,
    })
}

impl Cluster {
    pub(super) fn url(&self, node: usize, path: &str) -> String {
        format!("{}{path}", self.urls[node])
    }

    pub(super) async fn token(&self, node: usize, fields: &[(&str, &str)]) -> (u16, Value) {
        let res = reqwest::Client::new()
            .post(self.url(node, "/token"))
            .basic_auth(&self.client_id, Some(&self.client_secret))
            .form(fields)
            .send()
            .await
            .unwrap();
        (res.status().as_u16(), res.json().await.unwrap())
    }

    /// Rows in the shared database that a query counts.
    pub(super) async fn count(&self, sql: &'static str) -> i64 {
        let row = sqlx::query(sql).fetch_one(self.db.pool()).await.unwrap();
        sqlx::Row::get(&row, "n")
    }

    /// Waits (at most 30 s) until the outbox records `n` messages as sent and none queued.
    pub(super) async fn wait_until_all_mail_is_sent(&self, n: i64) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        loop {
            let counts = latchkey::db::outbox::counts(self.db.pool()).await.unwrap();
            if counts == (0, n, 0) {
                return;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "the outbox still has (queued, sent, failed) = {counts:?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Asserts that rows of a table that `shared` keeps elsewhere are (or are not) in the
    /// database.
    pub(super) async fn assert_kept_in(&self, shared: Shared, sql: &'static str) {
        let rows = self.count(sql).await;
        match shared {
            Shared::Database => assert!(rows > 0, "{sql}: {rows}"),
            Shared::Redis => assert_eq!(rows, 0, "{sql}: kept in Redis instead"),
        }
    }

    /// Signs in with the login form of `node`; returns the answer's status.
    pub(super) async fn login(
        &self,
        tab: &reqwest::Client,
        node: usize,
        password: &str,
        next: &str,
    ) -> u16 {
        let form = fetch_text(tab, &self.url(node, "/+login")).await;
        let mut fields = vec![
            ("email", self.email.as_str()),
            ("password", password),
            ("action", "login"),
        ];
        let csrf = csrf_in(&form);
        fields.push(("csrf_token", &csrf));
        if !next.is_empty() {
            fields.push(("next", next));
        }
        tab.post(self.url(node, "/+login"))
            .form(&fields)
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    }
}
