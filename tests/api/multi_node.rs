//! Three Latchkey processes on one PostgreSQL database, as behind a load balancer: whatever one
//! node issues works on every other, single-use things are used once across nodes, lockouts are
//! counted together, and a node that dies loses no session and no queued email. The tests that
//! touch sessions and lockouts run twice: with both in the database, and with both in Redis.

use std::sync::Arc;
use std::time::Duration;

use latchkey::clock::{Clock, SystemClock};
use latchkey::db::webhooks::replace_webhook_token;
use latchkey::db::{Db, PoolOptions};
use latchkey::domain::signing_key::SigningAlg;
use latchkey::domain::{DisplayName, EmailAddress, Password, PlainToken, TokenKind, pkce};
use latchkey::service::clients::{NewClient, add};
use latchkey::service::people::create_person;
use latchkey::service::{Context, Origin};
use serde_json::Value;

use crate::helpers::{
    LOCAL_REDIS, TestDb, browser, fetch_text, fresh_redis_prefix, redis_here, test_settings,
};
use crate::login_helpers::{consent_fields, csrf_in};
use crate::process::{Server, start};
use crate::smtp::TestSmtp;

const CALLBACK: &str = "https://wiki.example.org/cb";
const VERIFIER: &str = "a-pkce-verifier-that-is-long-enough-to-be-valid-1234567890";
const PASSWORD: &str = "correct horse";
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
        alg,
    }
}

/// Where the nodes keep sessions and lockout counters.
#[derive(Clone, Copy)]
enum Shared {
    /// The database (the default).
    Database,
    /// Redis (`redis.sessions` and `redis.rate_limits`).
    Redis,
}

struct Cluster {
    /// The person who signs in (unique per cluster: Redis outlives each test's database).
    email: String,
    nodes: Vec<Server>,
    /// Each node's own address (the nodes all call themselves `PUBLIC_URL`).
    urls: Vec<String>,
    client_id: String,
    client_secret: String,
    hook_token: String,
    smtp: TestSmtp,
    db: Db,
    _test_db: TestDb,
}

async fn cluster() -> Option<Cluster> {
    cluster_on(Shared::Database).await
}

async fn cluster_on(shared: Shared) -> Option<Cluster> {
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
    fn url(&self, node: usize, path: &str) -> String {
        format!("{}{path}", self.urls[node])
    }

    async fn token(&self, node: usize, fields: &[(&str, &str)]) -> (u16, Value) {
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
    async fn count(&self, sql: &'static str) -> i64 {
        let row = sqlx::query(sql).fetch_one(self.db.pool()).await.unwrap();
        sqlx::Row::get(&row, "n")
    }

    /// Waits (at most 30 s) until the outbox records `n` messages as sent and none queued.
    async fn wait_until_all_mail_is_sent(&self, n: i64) {
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
    async fn assert_kept_in(&self, shared: Shared, sql: &'static str) {
        let rows = self.count(sql).await;
        match shared {
            Shared::Database => assert!(rows > 0, "{sql}: {rows}"),
            Shared::Redis => assert_eq!(rows, 0, "{sql}: kept in Redis instead"),
        }
    }

    /// Signs in with the login form of `node`; returns the answer's status.
    async fn login(&self, tab: &reqwest::Client, node: usize, password: &str, next: &str) -> u16 {
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

#[tokio::test]
async fn a_session_from_one_node_consents_on_another_and_a_third_redeems_the_code() {
    sign_in_consent_and_redeem_on_three_nodes(Shared::Database).await;
}

#[tokio::test]
async fn with_redis_a_session_from_one_node_consents_on_another_and_a_third_redeems_the_code() {
    sign_in_consent_and_redeem_on_three_nodes(Shared::Redis).await;
}

async fn sign_in_consent_and_redeem_on_three_nodes(shared: Shared) {
    let Some(cluster) = cluster_on(shared).await else {
        return;
    };
    let challenge = pkce::challenge_of(VERIFIER);
    let query = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs([
            ("response_type", "code"),
            ("client_id", cluster.client_id.as_str()),
            ("redirect_uri", CALLBACK),
            ("scope", "openid email offline_access"),
            ("code_challenge", challenge.as_str()),
            ("code_challenge_method", "S256"),
        ])
        .finish();
    let tab = browser();
    let authorize = format!("/authorize?{query}");
    let res = tab.get(cluster.url(0, &authorize)).send().await.unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(cluster.login(&tab, 0, PASSWORD, &authorize).await, 303);

    let consent = fetch_text(&tab, &cluster.url(1, &authorize)).await;
    let mut fields = consent_fields(&consent);
    fields.push(("decision".to_owned(), "allow".to_owned()));
    let res = tab
        .post(cluster.url(1, "/authorize"))
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303, "node B knows node A's session");
    let location = url::Url::parse(res.headers()["location"].to_str().unwrap()).unwrap();
    let code = location
        .query_pairs()
        .find(|(k, _)| k == "code")
        .unwrap()
        .1
        .into_owned();

    let (status, tokens) = cluster
        .token(
            2,
            &[
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("redirect_uri", CALLBACK),
                ("code_verifier", VERIFIER),
            ],
        )
        .await;
    assert_eq!(status, 200, "{tokens}");
    let access = tokens["access_token"].as_str().unwrap();
    let res = reqwest::Client::new()
        .get(cluster.url(0, "/userinfo"))
        .bearer_auth(access)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);

    let first = tokens["refresh_token"].as_str().unwrap();
    let (status, rotated) = cluster
        .token(
            0,
            &[("grant_type", "refresh_token"), ("refresh_token", first)],
        )
        .await;
    assert_eq!(status, 200, "{rotated}");
    let second = rotated["refresh_token"].as_str().unwrap();
    let (status, reused) = cluster
        .token(
            1,
            &[("grant_type", "refresh_token"), ("refresh_token", first)],
        )
        .await;
    assert_eq!(
        (status, reused["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    let (status, _) = cluster
        .token(
            2,
            &[("grant_type", "refresh_token"), ("refresh_token", second)],
        )
        .await;
    assert_eq!(status, 400, "reuse on B revoked the family issued on A");
}

#[tokio::test]
async fn a_handshake_token_consumed_on_two_nodes_at_once_is_accepted_once() {
    let Some(cluster) = cluster().await else {
        return;
    };
    let client = reqwest::Client::new();
    for _ in 0..10 {
        let issued: Value = client
            .post(cluster.url(0, "/hooks/bugtracker-token"))
            .header("X-Webhook-Token", &cluster.hook_token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let token = issued["token"].as_str().unwrap();
        let path = format!("/token/{token}/+bugtracker-handshake");
        let (b, c) = tokio::join!(
            client.post(cluster.url(1, &path)).send(),
            client.post(cluster.url(2, &path)).send()
        );
        let mut statuses = [b.unwrap().status().as_u16(), c.unwrap().status().as_u16()];
        statuses.sort_unstable();
        assert_eq!(statuses, [200, 410]);
    }
}

#[tokio::test]
async fn failed_logins_on_every_node_count_toward_one_lockout() {
    lockout_across_nodes(Shared::Database).await;
}

#[tokio::test]
async fn with_redis_failed_logins_on_every_node_count_toward_one_lockout() {
    lockout_across_nodes(Shared::Redis).await;
}

async fn lockout_across_nodes(shared: Shared) {
    let Some(cluster) = cluster_on(shared).await else {
        return;
    };
    for attempt in 0..10 {
        let status = cluster
            .login(&browser(), attempt % 3, "wrong horse", "")
            .await;
        assert_eq!(status, 200, "attempt {attempt} is refused");
    }
    for node in 0..3 {
        let status = cluster.login(&browser(), node, PASSWORD, "").await;
        assert_eq!(
            status, 429,
            "node {node} is locked out by failures counted on all three"
        );
    }
    cluster
        .assert_kept_in(shared, "SELECT COUNT(*) AS n FROM throttle")
        .await;
}

#[tokio::test]
async fn a_node_killed_mid_load_loses_no_session_and_no_queued_email() {
    kill_a_node_mid_load(Shared::Database).await;
}

#[tokio::test]
async fn with_redis_a_node_killed_mid_load_loses_no_session_and_no_queued_email() {
    kill_a_node_mid_load(Shared::Redis).await;
}

async fn kill_a_node_mid_load(shared: Shared) {
    let Some(mut cluster) = cluster_on(shared).await else {
        return;
    };
    let signed_in = browser();
    assert_eq!(cluster.login(&signed_in, 0, PASSWORD, "").await, 303);
    cluster.smtp.stop();

    // Registrations on node A queue mail while the mail server is down; then A dies.
    let a = cluster.nodes.remove(0);
    let a_url = cluster.urls.remove(0);
    let mut asked = 0;
    // Fresh addresses every run: with Redis, counted requests outlive each test's database.
    let run = uuid::Uuid::new_v4().simple().to_string();
    for n in 0..12 {
        let tab = browser();
        let form = fetch_text(&tab, &format!("{a_url}/+login")).await;
        let email = format!("new{n}-{run}@example.org");
        let res = tab
            .post(format!("{a_url}/+login"))
            .form(&[
                ("email", email.as_str()),
                ("action", "createaccount"),
                ("csrf_token", &csrf_in(&form)),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        asked += 1;
    }
    a.kill().await;
    let queued = cluster.count("SELECT COUNT(*) AS n FROM outbox").await;
    assert_eq!(queued, asked, "every registration queued its mail");

    // The survivors deliver everything, once.
    cluster.smtp.resume().await;
    cluster
        .smtp
        .wait_for_within(12, Duration::from_secs(60))
        .await;
    // A delivery reaches the mail server before its node records it as sent: once every
    // message is recorded, every delivery that will ever be made has been.
    cluster.wait_until_all_mail_is_sent(12).await;
    let mut recipients: Vec<String> = cluster
        .smtp
        .messages()
        .iter()
        .flat_map(|m| m.rcpt_to.clone())
        .collect();
    recipients.sort();
    let total = recipients.len();
    recipients.dedup();
    assert_eq!(total, 12, "no message delivered twice");
    assert_eq!(recipients.len(), 12, "no message lost");

    let account = signed_in
        .get(cluster.url(0, "/+account"))
        .send()
        .await
        .unwrap();
    assert_eq!(account.status(), 200, "the session lives on without node A");
    cluster
        .assert_kept_in(shared, "SELECT COUNT(*) AS n FROM sessions")
        .await;
}
