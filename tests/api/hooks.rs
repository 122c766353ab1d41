//! The web hooks: the right token has its effect; every wrong or missing token gets one answer,
//! changes nothing, and is audited without the value; floods are throttled and aggregated.

use latchkey::db::audit::{AuditFilter, list_audit_events};
use latchkey::db::webhooks::replace_webhook_token;
use latchkey::domain::{AuditEvent, PersonStatus, PlainToken, TokenKind};
use serde_json::{Value, json};

use crate::helpers::{START, TestApp, spawn_app, spawn_app_with};

/// Gives the app a web-hook token and returns it.
async fn set_token(app: &TestApp) -> String {
    let token = PlainToken::generate(TokenKind::Webhook).unwrap();
    replace_webhook_token(app.db.pool(), &token.hash(), START)
        .await
        .unwrap();
    token.expose().to_owned()
}

/// POSTs JSON to a hook; returns the status and the JSON answer.
pub async fn post_json(app: &TestApp, hook: &str, body: &Value) -> (u16, Value) {
    let res = reqwest::Client::new()
        .post(format!("{}/hooks/{hook}", app.address))
        .json(body)
        .send()
        .await
        .unwrap();
    answer(res).await
}

async fn answer(res: reqwest::Response) -> (u16, Value) {
    let status = res.status().as_u16();
    assert_eq!(
        res.headers()
            .get("cache-control")
            .map(|v| v.to_str().unwrap()),
        Some("no-store")
    );
    let text = res.text().await.unwrap();
    let body = serde_json::from_str(&text).unwrap_or_else(|_| panic!("JSON answer: {text}"));
    (status, body)
}

async fn audit(app: &TestApp, code: &str) -> Vec<AuditEvent> {
    list_audit_events(
        app.db.pool(),
        &AuditFilter {
            since: None,
            code: Some(code.to_owned()),
            limit: 1000,
        },
    )
    .await
    .unwrap()
}

fn columns(e: &AuditEvent) -> Vec<String> {
    vec![
        e.occurred_at.to_string(),
        e.code.clone(),
        e.subsystem.clone(),
        e.person_id
            .as_ref()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_default(),
        e.remote_addr.clone().unwrap_or_default(),
        e.request_path.clone().unwrap_or_default(),
        e.detail.clone(),
    ]
}

const PEOPLE: &str = "SELECT COUNT(*) AS n FROM people";

/// Asks the placeholder hook for mallory@example.org with a token in the body, the header,
/// both or neither.
async fn placeholder_with(
    app: &TestApp,
    in_body: Option<&str>,
    in_header: Option<&str>,
) -> reqwest::Response {
    let mut body = json!({"email": "mallory@example.org"});
    if let Some(value) = in_body {
        body["token"] = json!(value);
    }
    let mut req = reqwest::Client::new()
        .post(format!("{}/hooks/placeholder", app.address))
        .json(&body);
    if let Some(value) = in_header {
        req = req.header("X-Webhook-Token", value);
    }
    req.send().await.unwrap()
}

/// The tables whose row counts differ.
fn changed_tables(
    before: &[(&'static str, i64)],
    after: &[(&'static str, i64)],
) -> Vec<&'static str> {
    before
        .iter()
        .zip(after)
        .filter(|(b, a)| b != a)
        .map(|(b, _)| b.0)
        .collect()
}

#[tokio::test]
async fn the_placeholder_hook_creates_a_placeholder_once_and_reports_it_after() {
    let app = spawn_app().await;
    let token = set_token(&app).await;
    let body = json!({"token": token, "email": "Ada@Example.org", "display_name": "Ada L."});
    let (status, created) = post_json(&app, "placeholder", &body).await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["result"], "created");
    assert_eq!(created["profile"]["status"], "placeholder");
    assert_eq!(created["profile"]["display_name"], "Ada L.");
    let person = app.person("ada@example.org").await.unwrap();
    assert_eq!(person.status, PersonStatus::Placeholder);
    assert_eq!(created["profile"]["id"], person.id.as_str());

    let (status, again) = post_json(&app, "placeholder", &body).await;
    assert_eq!(status, 200, "{again}");
    assert_eq!(again["result"], "exists");
    assert_eq!(again["profile"]["id"], person.id.as_str());
    assert_eq!(app.count(PEOPLE).await, 1, "idempotent");

    let active = app
        .active_person("grace@example.org", "a good password")
        .await;
    let (status, known) = post_json(
        &app,
        "placeholder",
        &json!({"token": token, "email": "grace@example.org"}),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(known["profile"]["status"], "active");
    assert_eq!(known["profile"]["id"], active.id.as_str());
    assert_eq!(audit(&app, "PlaceholderCreated").await.len(), 1);
}

#[tokio::test]
async fn a_placeholder_made_by_the_hook_registers_through_the_login_form() {
    let app = spawn_app().await;
    let token = set_token(&app).await;
    let form = [("token", token.as_str()), ("email", "andrelop@debian.org")];
    let res = reqwest::Client::new()
        .post(format!("{}/hooks/placeholder", app.address))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let placeholder = app.person("andrelop@debian.org").await.unwrap();

    let answer = app
        .register("andrelop@debian.org", "Andre", "a new password")
        .await;
    assert_eq!(answer.status, 303);
    let person = app.person("andrelop@debian.org").await.unwrap();
    assert_eq!(person.id, placeholder.id);
    assert_eq!(person.status, PersonStatus::Active);
    let answer = app
        .post_login("andrelop@debian.org", "a new password", "login")
        .await;
    assert_eq!(answer.status, 303, "the new account signs in");
}

#[tokio::test]
async fn every_wrong_token_gets_the_same_answer_changes_nothing_and_is_audited_without_it() {
    let app = spawn_app().await;
    let token = set_token(&app).await;
    let mut last = token.clone();
    let last_char = last.pop().unwrap();
    last.push(if last_char == 'A' { 'B' } else { 'A' });
    let prefix = token[..token.len() - 4].to_owned();
    let longer = format!("{token}A");
    let variants: Vec<(&str, Option<&str>, Option<&str>)> = vec![
        ("one character off", Some(&last), None),
        ("a prefix", Some(&prefix), None),
        ("one character more", Some(&longer), None),
        (
            "another kind of token",
            Some("lk_bug_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
            None,
        ),
        ("a wrong header", None, Some(&last)),
        (
            "the right body with a wrong header",
            Some(&token),
            Some(&prefix),
        ),
    ];
    let before = app.row_counts().await;
    let mut answers = Vec::new();
    for (name, in_body, in_header) in &variants {
        let res = placeholder_with(&app, *in_body, *in_header).await;
        let status = res.status().as_u16();
        let text = res.text().await.unwrap();
        assert_eq!(status, 403, "{name}: {text}");
        answers.push(text);
    }
    assert!(answers.iter().all(|a| *a == answers[0]), "{answers:?}");
    assert_eq!(
        serde_json::from_str::<Value>(&answers[0]).unwrap(),
        json!({"error": "authentication_token_mismatch"})
    );

    let (status, missing) = post_json(
        &app,
        "placeholder",
        &json!({"email": "mallory@example.org"}),
    )
    .await;
    assert_eq!(status, 400, "a missing token is a validation error");
    assert_eq!(missing["error"], "missing_token");
    let res = reqwest::Client::new()
        .post(format!("{}/hooks/placeholder", app.address))
        .bearer_auth(&token)
        .json(&json!({"email": "mallory@example.org"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        400,
        "the right token in another header is no token"
    );

    assert!(app.person("mallory@example.org").await.is_none());
    assert_eq!(
        changed_tables(&before, &app.row_counts().await),
        ["audit_events", "throttle"],
        "only the audit trail and the throttle counter change"
    );

    let events = audit(&app, "AuthFail").await;
    assert_eq!(events.len(), 2, "one row per reason, address and minute");
    let event = events
        .iter()
        .find(|e| e.detail.contains("mismatch"))
        .unwrap();
    assert_eq!(
        event.occurrences,
        i64::try_from(variants.len()).unwrap(),
        "every mismatch is counted"
    );
    assert_eq!(event.remote_addr.as_deref(), Some("127.0.0.1"));
    assert_eq!(event.request_path.as_deref(), Some("/hooks/placeholder"));
    assert_eq!(event.occurred_at, START);
    assert!(
        event.detail.contains("placeholder") && event.detail.contains("presented length"),
        "{}",
        event.detail
    );
    for (_, in_body, in_header) in &variants {
        for value in [in_body, in_header].into_iter().flatten() {
            if value.len() < 8 {
                continue;
            }
            for column in events.iter().flat_map(columns) {
                assert!(!column.contains(value), "{column} holds a presented value");
            }
        }
    }
}

#[tokio::test]
async fn an_empty_token_is_a_missing_one_and_the_audit_counts_each_reason_apart() {
    let app = spawn_app().await;
    let token = set_token(&app).await;
    let before = app.row_counts().await;
    let app = &app;
    let send =
        |token, header| async move { answer(placeholder_with(app, token, header).await).await };
    for (token, header) in [
        (Some(""), None),
        (Some("   "), None),
        (None, Some("")),
        (Some(""), Some("")),
        (None, None),
    ] {
        let (status, body) = send(token, header).await;
        assert_eq!(status, 400, "{token:?} {header:?}: {body}");
        assert_eq!(body["error"], "missing_token");
    }
    let form = reqwest::Client::new()
        .post(format!("{}/hooks/placeholder", app.address))
        .form(&[("token", ""), ("email", "mallory@example.org")])
        .send()
        .await
        .unwrap();
    let (status, body) = answer(form).await;
    assert_eq!((status, &body["error"]), (400, &json!("missing_token")));
    for _ in 0..3 {
        let (status, _) = send(Some("lk_hook_wrong"), None).await;
        assert_eq!(status, 403);
    }
    // The first refusal was a missing token; the mismatches after it are counted as such.
    let events = audit(app, "AuthFail").await;
    let count = |reason: &str| {
        events
            .iter()
            .filter(|e| e.detail.contains(reason))
            .map(|e| e.occurrences)
            .collect::<Vec<_>>()
    };
    assert_eq!(count("no token"), [6], "{events:?}");
    assert_eq!(count("token mismatch"), [3], "{events:?}");
    assert_eq!(events.len(), 2);

    assert!(app.person("mallory@example.org").await.is_none());
    assert_eq!(
        changed_tables(&before, &app.row_counts().await),
        ["audit_events", "throttle"]
    );
    let right = json!({"token": token, "email": "mallory@example.org"});
    assert_eq!(post_json(app, "placeholder", &right).await.0, 201);
}

#[tokio::test]
async fn a_flood_of_wrong_tokens_is_throttled_and_audited_once_per_minute() {
    let app = spawn_app_with(|s| s.throttle.hook_failures = 5).await;
    let token = set_token(&app).await;
    let wrong = json!({"token": "lk_hook_wrong", "email": "x@example.org"});
    for _ in 0..5 {
        assert_eq!(post_json(&app, "placeholder", &wrong).await.0, 403);
    }
    for _ in 0..20 {
        let (status, body) = post_json(&app, "placeholder", &wrong).await;
        assert_eq!(status, 429, "{body}");
        assert_eq!(body["error"], "too_many_attempts");
    }
    let right = json!({"token": token, "email": "x@example.org"});
    assert_eq!(
        post_json(&app, "placeholder", &right).await.0,
        429,
        "the address is refused whatever it sends until the wait is over"
    );
    assert!(app.person("x@example.org").await.is_none());
    let events = audit(&app, "AuthFail").await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].occurrences, 5);

    app.clock.advance(61);
    assert_eq!(post_json(&app, "placeholder", &wrong).await.0, 403);
    let events = audit(&app, "AuthFail").await;
    assert_eq!(events.len(), 2, "a new minute starts a new row");
    app.clock.advance(200);
    assert_eq!(post_json(&app, "placeholder", &right).await.0, 201);
}

#[tokio::test]
async fn the_team_address_hook_attaches_an_address_once() {
    let app = spawn_app().await;
    let token = set_token(&app).await;
    let team = app.team("ubuntu-team", "team@ubuntu.example").await;
    let body = json!({"token": token, "team": "ubuntu-team", "email": "contact@ubuntu.example"});
    let (status, added) = post_json(&app, "team-address", &body).await;
    assert_eq!(status, 200, "{added}");
    assert_eq!(added["result"], "added");
    let owner = app.person("contact@ubuntu.example").await.unwrap();
    assert_eq!(owner.id, team.id);

    let (status, again) = post_json(&app, "team-address", &body).await;
    assert_eq!((status, again["result"].as_str()), (200, Some("exists")));

    let (status, unknown) = post_json(
        &app,
        "team-address",
        &json!({"token": token, "team": "no-such-team", "email": "a@ubuntu.example"}),
    )
    .await;
    assert_eq!(
        (status, unknown["error"].as_str()),
        (404, Some("unknown_team"))
    );

    app.active_person("someone@example.org", "a good password")
        .await;
    let (status, taken) = post_json(
        &app,
        "team-address",
        &json!({"token": token, "team": "ubuntu-team", "email": "someone@example.org"}),
    )
    .await;
    assert_eq!(
        (status, taken["error"].as_str()),
        (409, Some("address_taken"))
    );
    assert_eq!(audit(&app, "TeamAddressAdded").await.len(), 1);
}

#[tokio::test]
async fn the_bugtracker_token_hook_issues_a_token_the_tracker_consumes_once() {
    let app = spawn_app().await;
    let token = set_token(&app).await;
    let res = reqwest::Client::new()
        .post(format!("{}/hooks/bugtracker-token", app.address))
        .header("X-Webhook-Token", &token)
        .send()
        .await
        .unwrap();
    let (status, issued) = answer(res).await;
    assert_eq!(status, 201, "{issued}");
    let handshake = issued["token"].as_str().unwrap();
    assert!(handshake.starts_with("lk_bug_"));
    assert_eq!(
        issued["expires_at"].as_i64().unwrap(),
        START + i64::try_from(app.ctx.lifetimes.bug_tracker.as_secs()).unwrap()
    );
    let url = issued["handshake_url"].as_str().unwrap();
    assert_eq!(
        url,
        format!("{}/token/{handshake}/+bugtracker-handshake", app.address)
    );
    let client = reqwest::Client::new();
    assert_eq!(client.post(url).send().await.unwrap().status(), 200);
    assert_eq!(client.post(url).send().await.unwrap().status(), 410);
    let events = audit(&app, "HandshakeTokenIssued").await;
    assert_eq!(events.len(), 1);
    assert!(!columns(&events[0]).iter().any(|c| c.contains(handshake)));
}

#[tokio::test]
async fn invalid_hook_input_is_refused_with_what_is_wrong_and_changes_nothing() {
    let app = spawn_app().await;
    let token = set_token(&app).await;
    let before = app.row_counts().await;
    let cases = [
        (json!({"token": token}), "`email` is required"),
        (
            json!({"token": token, "email": "not an address"}),
            "`email` is invalid",
        ),
        (
            json!({"token": token, "email": "a@example.org", "emial": "x"}),
            "unknown field `emial`",
        ),
        (
            json!({"token": token, "email": 7}),
            "`email` must be a string",
        ),
        (
            json!({"token": token, "email": "a@example.org", "display_name": "x".repeat(500)}),
            "`display_name` is invalid",
        ),
    ];
    for (body, says) in &cases {
        let (status, answer) = post_json(&app, "placeholder", body).await;
        assert_eq!(status, 400, "{body}: {answer}");
        let message = answer["message"].as_str().unwrap();
        assert!(message.contains(says), "{message} should say {says}");
        assert!(!message.contains(&token));
    }
    let (status, answer) = post_json(
        &app,
        "team-address",
        &json!({"token": token, "team": "No Spaces Allowed", "email": "a@example.org"}),
    )
    .await;
    assert_eq!(status, 400, "{answer}");

    let client = reqwest::Client::new();
    let url = format!("{}/hooks/placeholder", app.address);
    let res = client
        .post(&url)
        .header("content-type", "text/plain")
        .body(format!("token={token}&email=a@example.org"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 415);
    let res = client
        .post(&url)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    let res = client
        .post(&url)
        .json(
            &json!({"token": token, "email": "a@example.org", "display_name": "x".repeat(20_000)}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 413);
    let res = client.get(&url).send().await.unwrap();
    assert_eq!(res.status(), 405);
    assert_eq!(app.row_counts().await, before, "nothing changed");
}
