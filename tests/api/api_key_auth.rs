//! Key authentication on `/rest/whoami`: each accepted header, two headers refused, revoked,
//! unknown and missing keys, the query-parameter switch, last use, throttling, and browser pages
//! that ignore keys.

use latchkey::domain::{EmailAddress, StatusChange, TeamName};
use latchkey::service::Origin;
use latchkey::service::people::change_status;
use serde_json::Value;

use crate::api_keys::{TAB, create_key, key_ids, signed_in_ada, whoami_with};
use crate::helpers::{TestApp, spawn_app, spawn_app_with};
use crate::login_helpers::csrf_in;

async fn whoami_query(app: &TestApp, query: &str) -> (u16, Value) {
    let res = reqwest::get(format!("{}/rest/whoami?{query}", app.address))
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap())
}

#[tokio::test]
async fn whoami_answers_for_each_accepted_header() {
    let app = spawn_app().await;
    signed_in_ada(&app).await;
    app.team("analysts", "analysts@example.org").await;
    latchkey::service::admin::teams::add_member(
        &app.ctx,
        &TeamName::parse("analysts").unwrap(),
        &EmailAddress::parse("ada@example.org").unwrap(),
        &latchkey::service::admin::Actor::cli(),
    )
    .await
    .unwrap();
    let key = create_key(&app, "script").await;
    let ada = app.person("ada@example.org").await.unwrap();
    for (header, value) in [
        ("X-API-Key", key.clone()),
        ("Authorization", format!("Bearer {key}")),
        ("X-BUGZILLA-API-KEY", key.clone()),
    ] {
        let (status, me) = whoami_with(&app, header, &value).await;
        assert_eq!(status, 200, "{header}: {me}");
        assert_eq!(me["id"], ada.id.as_str());
        assert_eq!(me["real_name"], ada.display_name.as_str());
        assert_eq!(me["name"], "ada@example.org");
        assert_eq!(me["groups"], serde_json::json!(["analysts"]));
    }
}

#[tokio::test]
async fn two_authorization_headers_on_an_api_route_get_400_even_with_the_same_key() {
    let app = spawn_app().await;
    signed_in_ada(&app).await;
    let key = create_key(&app, "script").await;
    let (status, me) = whoami_with(&app, "Authorization", &format!("bearer {key}")).await;
    assert_eq!(status, 200, "the scheme is case-insensitive: {me}");
    let res = reqwest::Client::new()
        .get(format!("{}/rest/whoami", app.address))
        .header("Authorization", format!("Bearer {key}"))
        .header("Authorization", format!("Bearer {key}"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"], "ambiguous_api_key", "{body}");
}

#[tokio::test]
async fn revoked_unknown_and_missing_keys_get_401_and_a_restored_key_works_again() {
    let app = spawn_app().await;
    signed_in_ada(&app).await;
    let key = create_key(&app, "script").await;
    let page = app.page(TAB).await;
    let id = key_ids(&page).pop().unwrap();
    let csrf = csrf_in(&page);

    let revoked = app
        .post_form(
            &format!("{TAB}/{id}/revoke"),
            &[("csrf_token", csrf.as_str())],
        )
        .await;
    assert_eq!(revoked.status, 303);
    let (status, body) = whoami_with(&app, "X-API-Key", &key).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("invalid_api_key"))
    );
    assert!(app.page(TAB).await.contains("revoked"));

    let restored = app
        .post_form(
            &format!("{TAB}/{id}/restore"),
            &[("csrf_token", csrf.as_str())],
        )
        .await;
    assert_eq!(restored.status, 303);
    assert_eq!(whoami_with(&app, "X-API-Key", &key).await.0, 200);

    let mut unknown = key.clone();
    unknown.pop();
    unknown.push('_');
    for value in [unknown.as_str(), "lk_api_nope", "not a key"] {
        let (status, body) = whoami_with(&app, "X-API-Key", value).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (401, Some("invalid_api_key")),
            "{value}"
        );
    }
    let res = reqwest::get(format!("{}/rest/whoami", app.address))
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    assert!(res.headers().contains_key("www-authenticate"));

    change_status(
        &app.ctx,
        &EmailAddress::parse("ada@example.org").unwrap(),
        StatusChange::Suspend,
        &Origin::cli(),
        latchkey::i18n::Lang::default_lang(),
    )
    .await
    .unwrap();
    assert_eq!(
        whoami_with(&app, "X-API-Key", &key).await.0,
        401,
        "a suspended owner's keys stop working"
    );
}

#[tokio::test]
async fn the_query_parameter_is_refused_by_default() {
    let app = spawn_app().await;
    signed_in_ada(&app).await;
    let key = create_key(&app, "script").await;
    for name in ["Bugzilla_api_key", "api_key"] {
        let (status, body) = whoami_query(&app, &format!("{name}={key}")).await;
        assert_eq!(status, 400, "{name}: {body}");
        assert_eq!(body["error"], "api_key_in_url_not_allowed");
    }
}

#[tokio::test]
async fn the_query_parameter_works_when_the_operator_allows_it() {
    let app = spawn_app_with(|s| s.api_keys.allow_query_parameter = true).await;
    signed_in_ada(&app).await;
    let key = create_key(&app, "script").await;
    for name in ["Bugzilla_api_key", "api_key"] {
        let (status, body) = whoami_query(&app, &format!("{name}={key}")).await;
        assert_eq!(status, 200, "{name}: {body}");
        assert_eq!(body["name"], "ada@example.org");
    }
    let (status, _) = whoami_query(&app, "api_key=lk_api_wrong").await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn last_use_is_recorded_without_a_write_per_request_and_shown_on_the_tab() {
    let app = spawn_app().await;
    signed_in_ada(&app).await;
    let key = create_key(&app, "script").await;
    app.clock.advance(90);
    for _ in 0..5 {
        assert_eq!(whoami_with(&app, "X-API-Key", &key).await.0, 200);
    }
    let unwritten = app
        .count("SELECT COUNT(*) AS n FROM api_keys WHERE last_used_at IS NOT NULL")
        .await;
    assert_eq!(unwritten, 0, "requests do not write the last use");
    let page = app.page(TAB).await;
    assert!(
        page.contains(
            "<time datetime=\"2026-01-01T00:01:30Z\">1 January 2026, 00:01 UTC</time> (127.0.0.1)"
        ),
        "the tab shows when and where: {page}"
    );
    let written = app
        .count("SELECT COUNT(*) AS n FROM api_keys WHERE last_used_at IS NOT NULL")
        .await;
    assert_eq!(written, 1);
}

#[tokio::test]
async fn bad_keys_are_throttled_per_address() {
    let app = spawn_app_with(|s| s.throttle.api_key_failures = 3).await;
    signed_in_ada(&app).await;
    let key = create_key(&app, "script").await;
    for _ in 0..3 {
        assert_eq!(whoami_with(&app, "X-API-Key", "lk_api_guess").await.0, 401);
    }
    let (status, body) = whoami_with(&app, "X-API-Key", "lk_api_guess").await;
    assert_eq!(
        (status, body["error"].as_str()),
        (429, Some("too_many_attempts"))
    );
    assert_eq!(whoami_with(&app, "X-API-Key", &key).await.0, 429);
    let refused = app
        .count("SELECT COUNT(*) AS n FROM audit_events WHERE code = 'ApiKeyRefused'")
        .await;
    assert_eq!(refused, 1, "one audit row per address and minute");
    app.clock.advance(3600);
    assert_eq!(whoami_with(&app, "X-API-Key", &key).await.0, 200);
}

#[tokio::test]
async fn browser_pages_ignore_api_keys() {
    let app = spawn_app().await;
    signed_in_ada(&app).await;
    let key = create_key(&app, "script").await;
    let res = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(format!("{}/+account", app.address))
        .header("X-API-Key", &key)
        .bearer_auth(&key)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303, "a key is not a session");
}
