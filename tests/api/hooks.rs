//! The web hooks: the right token has its effect, and invalid input is refused with what is
//! wrong; wrong or missing tokens are in `hooks_refusals.rs`.

use latchkey::db::audit::{AuditFilter, list_audit_events};
use latchkey::db::webhooks::replace_webhook_token;
use latchkey::domain::{AuditEvent, PersonStatus, PlainToken, TokenKind};
use serde_json::{Value, json};

use crate::helpers::{START, TestApp, spawn_app};

/// Gives the app a web-hook token and returns it.
pub(crate) async fn set_token(app: &TestApp) -> String {
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

pub(crate) async fn answer(res: reqwest::Response) -> (u16, Value) {
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

pub(crate) async fn audit(app: &TestApp, code: &str) -> Vec<AuditEvent> {
    list_audit_events(
        app.db.pool(),
        &AuditFilter {
            since: None,
            code: Some(code.to_owned()),
            person: None,
            client: None,
            limit: 1000,
        },
    )
    .await
    .unwrap()
}

pub(crate) fn columns(e: &AuditEvent) -> Vec<String> {
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
