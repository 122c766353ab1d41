//! Behind a reverse proxy: `X-Forwarded-For` names the client only when the peer is a trusted
//! proxy, for the audit trail and for per-client throttling.

use crate::helpers::{TestApp, spawn_app, spawn_app_with};
use crate::login_helpers::csrf_in;

/// A failed login for `email` as seen through a proxy that says the client is `client`.
async fn failed_login_from(app: &TestApp, email: &str, client: &str) -> u16 {
    let form = app.page("/+login").await;
    app.client
        .post(format!("{}/+login", app.address))
        .header("X-Forwarded-For", client)
        .form(&[
            ("email", email),
            ("password", "wrong password"),
            ("action", "login"),
            ("csrf_token", &csrf_in(&form)),
        ])
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

async fn failure_addresses(app: &TestApp) -> Vec<String> {
    let rows =
        sqlx::query("SELECT remote_addr FROM audit_events WHERE code = 'LoginFailed' ORDER BY id")
            .fetch_all(app.db.pool())
            .await
            .unwrap();
    rows.iter()
        .map(|r| sqlx::Row::get::<String, _>(r, "remote_addr"))
        .collect()
}

#[tokio::test]
async fn forwarded_for_is_ignored_unless_the_peer_is_a_trusted_proxy() {
    let app = spawn_app().await;
    app.active_person("ada@example.org", "correct horse").await;
    failed_login_from(&app, "ada@example.org", "203.0.113.7").await;
    assert_eq!(failure_addresses(&app).await, ["127.0.0.1"]);
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_forwarded_client_is_audited_and_throttled() {
    let app = spawn_app_with(|s| {
        s.server.trusted_proxies = vec!["127.0.0.0/8".to_owned()];
        s.throttle.ip_failures = 3;
    })
    .await;
    app.active_person("ada@example.org", "correct horse").await;
    app.active_person("grace@example.org", "a good password")
        .await;
    for _ in 0..3 {
        assert_eq!(
            failed_login_from(&app, "ada@example.org", "6.6.6.6, 203.0.113.7").await,
            200
        );
    }
    assert_eq!(
        failure_addresses(&app).await,
        ["203.0.113.7", "203.0.113.7", "203.0.113.7"],
        "the nearest untrusted hop, not the forged first entry"
    );
    assert_eq!(
        failed_login_from(&app, "grace@example.org", "203.0.113.7").await,
        429,
        "that client is locked out"
    );
    assert_eq!(
        failed_login_from(&app, "grace@example.org", "203.0.113.8").await,
        200,
        "another client behind the same proxy is not"
    );
}
