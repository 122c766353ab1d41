//! `/token/{t}/+bugtracker-handshake`: the seed's sequence over HTTP, atomic consumption under
//! concurrency, expiry, and the token page.

use latchkey::db::login_tokens::token_info;
use latchkey::domain::PlainToken;
use latchkey::service::handshake::new_bugtracker_token;

use crate::helpers::{TestApp, spawn_app};

async fn new_token(app: &TestApp) -> String {
    new_bugtracker_token(&app.ctx)
        .await
        .unwrap()
        .expose()
        .to_owned()
}

async fn handshake(
    app: &TestApp,
    method: reqwest::Method,
    token: &str,
) -> (u16, Option<String>, String) {
    let res = reqwest::Client::new()
        .request(
            method,
            format!("{}/token/{token}/+bugtracker-handshake", app.address),
        )
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let allow = res
        .headers()
        .get("allow")
        .map(|v| v.to_str().unwrap().to_owned());
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    (status, allow, res.text().await.unwrap())
}

async fn consumed(app: &TestApp, token: &str) -> bool {
    let info = token_info(app.db.pool(), &PlainToken::from_presented(token).hash())
        .await
        .unwrap()
        .unwrap();
    info.consumed_at.is_some()
}

#[tokio::test]
async fn the_seed_sequence_plays_out_over_http() {
    let app = spawn_app().await;
    let token = new_token(&app).await;
    assert!(token.starts_with("lk_bug_"));
    assert_eq!(
        handshake(&app, reqwest::Method::POST, &token).await,
        (200, None, "Handshake token validated.".to_owned())
    );
    assert!(consumed(&app, &token).await);
    assert_eq!(
        handshake(&app, reqwest::Method::POST, &token).await,
        (
            410,
            None,
            "Token has already been used or is invalid.".to_owned()
        )
    );

    let token = new_token(&app).await;
    for method in [
        reqwest::Method::GET,
        reqwest::Method::PUT,
        reqwest::Method::DELETE,
    ] {
        let (status, allow, body) = handshake(&app, method, &token).await;
        assert_eq!((status, allow.as_deref()), (405, Some("POST")));
        assert_eq!(
            body,
            "Only POST requests are accepted for bugtracker handshakes."
        );
    }
    assert!(
        !consumed(&app, &token).await,
        "other methods leave the token alone"
    );
    assert_eq!(handshake(&app, reqwest::Method::POST, &token).await.0, 200);
}

#[tokio::test]
async fn unknown_malformed_expired_and_other_kind_tokens_get_410() {
    let app = spawn_app().await;
    let expiring = new_token(&app).await;
    app.clock.advance(24 * 3600);
    for token in [
        expiring.as_str(),
        "lk_bug_unknown",
        "nonsense",
        "lk_new_notahandshake",
        "%00",
    ] {
        let (status, _, body) = handshake(&app, reqwest::Method::POST, token).await;
        assert_eq!(status, 410, "{token}");
        assert_eq!(body, "Token has already been used or is invalid.");
    }
}

#[tokio::test]
async fn handshake_tokens_are_independent_of_one_another() {
    let app = spawn_app().await;
    let a = new_token(&app).await;
    let b = new_token(&app).await;
    assert_eq!(handshake(&app, reqwest::Method::POST, &a).await.0, 200);
    assert!(!consumed(&app, &b).await);
    assert_eq!(handshake(&app, reqwest::Method::POST, &b).await.0, 200);
}

#[tokio::test]
async fn of_32_simultaneous_posts_exactly_one_wins_in_each_of_20_rounds() {
    let app = spawn_app().await;
    let client = reqwest::Client::new();
    for round in 0..20 {
        let token = new_token(&app).await;
        let url = format!("{}/token/{token}/+bugtracker-handshake", app.address);
        let posts: Vec<_> = (0..32)
            .map(|_| {
                let (client, url) = (client.clone(), url.clone());
                tokio::spawn(
                    async move { client.post(&url).send().await.unwrap().status().as_u16() },
                )
            })
            .collect();
        let mut statuses = Vec::new();
        for p in posts {
            statuses.push(p.await.unwrap());
        }
        assert_eq!(
            statuses.iter().filter(|s| **s == 200).count(),
            1,
            "round {round}: {statuses:?}"
        );
        assert_eq!(
            statuses.iter().filter(|s| **s == 410).count(),
            31,
            "round {round}: {statuses:?}"
        );
    }
}

#[tokio::test]
async fn the_token_page_says_what_a_token_is_for_without_using_it() {
    let app = spawn_app().await;
    let token = new_token(&app).await;
    let html = app.page(&format!("/token/{token}")).await;
    assert!(html.contains("external bug tracker"), "{html}");
    assert!(html.contains("It can still be used."));
    assert!(!consumed(&app, &token).await);
    handshake(&app, reqwest::Method::POST, &token).await;
    assert!(
        app.page(&format!("/token/{token}"))
            .await
            .contains("It has already been used.")
    );
    let res = app
        .client
        .get(format!("{}/token/lk_bug_nothing", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
}

#[tokio::test]
async fn the_public_listener_does_not_serve_bugs() {
    let app = spawn_app().await;
    let res = reqwest::Client::new()
        .post(format!("{}/bugs", app.address))
        .body("<methodCall/>")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
}
