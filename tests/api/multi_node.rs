//! Three Latchkey processes on one PostgreSQL database, as behind a load balancer: whatever one
//! node issues works on every other, single-use things are used once across nodes, lockouts are
//! counted together, and a node that dies loses no session and no queued email. The tests that
//! touch sessions and lockouts run twice: with both in the database, and with both in Redis.

mod cluster;

use std::time::Duration;

use latchkey::domain::pkce;
use serde_json::Value;

use cluster::{CALLBACK, PASSWORD, Shared, cluster, cluster_on};

use crate::helpers::{browser, fetch_text};
use crate::login_helpers::{consent_fields, csrf_in};

const VERIFIER: &str = "a-pkce-verifier-that-is-long-enough-to-be-valid-1234567890";

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
    for n in 0..12 {
        let tab = browser();
        let form = fetch_text(&tab, &format!("{a_url}/+login")).await;
        let email = format!("new{n}@example.org");
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
