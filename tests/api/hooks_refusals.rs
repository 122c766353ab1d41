//! Wrong or missing web-hook tokens: every one gets the same answer, changes nothing, and is
//! audited without the value, each reason counted apart; a flood is throttled and audited once
//! a minute.

use serde_json::{Value, json};

use crate::helpers::{START, TestApp, spawn_app, spawn_app_with};
use crate::hooks::{answer, audit, columns, post_json, set_token};

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
