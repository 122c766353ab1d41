//! Client authentication at `/token`, `/revoke` and `/introspect`: failures are audited and
//! throttled per client and per address, and a locked client or address gets 429 with
//! `Retry-After` in RFC 6749 JSON.

use serde_json::Value;

use crate::helpers::{TestApp, spawn_app_with};
use crate::oidc_helpers::registered;

/// A client-authenticated POST, as seen through a trusted proxy that names `from`.
async fn post_as(
    app: &TestApp,
    path: &str,
    (client_id, secret): (&str, &str),
    fields: &[(&str, &str)],
    from: &str,
) -> (u16, reqwest::header::HeaderMap, Value) {
    let res = reqwest::Client::new()
        .post(format!("{}{path}", app.address))
        .header("X-Forwarded-For", from)
        .basic_auth(client_id, Some(secret))
        .form(fields)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    let body = res.json().await.unwrap_or(Value::Null);
    (status, headers, body)
}

const CREDENTIALS: &[(&str, &str)] = &[("grant_type", "client_credentials")];
const TOKEN: &[(&str, &str)] = &[("token", "lk_at_unknown")];

async fn throttled_app() -> TestApp {
    spawn_app_with(|s| {
        s.server.trusted_proxies = vec!["127.0.0.0/8".to_owned()];
        s.throttle.client_auth_failures = 3;
    })
    .await
}

fn assert_throttled(status: u16, headers: &reqwest::header::HeaderMap, body: &Value) {
    assert_eq!(status, 429, "{body}");
    assert_eq!(body["error"], "invalid_client");
    assert!(body["error_description"].as_str().is_some());
    let wait: i64 = headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!(wait > 0);
    assert_eq!(headers["cache-control"], "no-store");
}

#[tokio::test]
async fn client_secret_guesses_are_throttled_per_client_at_every_endpoint_and_audited() {
    let app = throttled_app().await;
    let rp = registered(&app, false).await;
    let secret = rp.secret.clone().unwrap();
    let wrong = (rp.id.as_str(), "lk_cs_guess");
    for (path, fields, from) in [
        ("/token", CREDENTIALS, "203.0.113.1"),
        ("/revoke", TOKEN, "203.0.113.2"),
        ("/introspect", TOKEN, "203.0.113.3"),
    ] {
        let (status, _, body) = post_as(&app, path, wrong, fields, from).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (401, Some("invalid_client"))
        );
    }
    // The client is locked wherever the next request comes from, even with the right secret.
    let right = (rp.id.as_str(), secret.as_str());
    let (status, headers, body) = post_as(&app, "/token", right, CREDENTIALS, "198.51.100.9").await;
    assert_throttled(status, &headers, &body);
    assert!(body.get("access_token").is_none());
    let (status, headers, body) = post_as(
        &app,
        "/introspect",
        right,
        &[("token", "x")],
        "198.51.100.9",
    )
    .await;
    assert_throttled(status, &headers, &body);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM oauth_tokens").await, 0);

    let rows = sqlx::query(
        "SELECT detail, remote_addr FROM audit_events WHERE code = 'ClientAuthFailed' ORDER BY id",
    )
    .fetch_all(app.db.pool())
    .await
    .unwrap();
    assert_eq!(rows.len(), 3, "one row per address and endpoint");
    for row in &rows {
        let detail: String = sqlx::Row::get(row, "detail");
        assert!(
            detail.contains(&rp.id) && detail.contains("wrong secret"),
            "{detail}"
        );
        assert!(!detail.contains("lk_cs_guess") && !detail.contains(&secret));
    }

    app.clock.advance(3600);
    let (status, _, body) = post_as(&app, "/token", right, CREDENTIALS, "198.51.100.9").await;
    assert_eq!(status, 200, "the wait is over: {body}");
}

#[tokio::test]
async fn an_address_that_keeps_failing_is_throttled_whatever_client_it_names() {
    let app = throttled_app().await;
    let rp = registered(&app, false).await;
    let secret = rp.secret.clone().unwrap();
    let right = (rp.id.as_str(), secret.as_str());
    for n in 0..3 {
        let unknown = format!("no-such-client-{n}");
        let (status, _, body) =
            post_as(&app, "/token", (&unknown, "x"), CREDENTIALS, "203.0.113.7").await;
        assert_eq!(
            (status, body["error"].as_str()),
            (401, Some("invalid_client"))
        );
    }
    let (status, headers, body) = post_as(&app, "/token", right, CREDENTIALS, "203.0.113.7").await;
    assert_throttled(status, &headers, &body);
    let (status, _, body) = post_as(&app, "/token", right, CREDENTIALS, "198.51.100.9").await;
    assert_eq!(status, 200, "another address is not locked: {body}");

    let row =
        sqlx::query("SELECT detail, occurrences FROM audit_events WHERE code = 'ClientAuthFailed'")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!(sqlx::Row::get::<i64, _>(&row, "occurrences"), 3);
    let detail: String = sqlx::Row::get(&row, "detail");
    assert!(
        detail.contains("unknown client") && !detail.contains("no-such-client"),
        "{detail}"
    );
}
