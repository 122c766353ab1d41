//! Introspection (RFC 7662): only clients that authenticate with a secret may ask, and they
//! learn only about their own tokens unless registered as a resource server.

use serde_json::Value;

use crate::helpers::{TestApp, spawn_app};
use crate::oidc_helpers::{Rp, code, redeem, registered};

/// Posts a token to `/introspect` with the client's credentials (Basic, or `client_id` alone
/// when public).
pub async fn introspect(app: &TestApp, rp: &Rp, token: &str) -> (u16, Value) {
    let mut request = reqwest::Client::new().post(format!("{}/introspect", app.address));
    let mut fields = vec![("token", token)];
    match &rp.secret {
        Some(secret) => request = request.basic_auth(&rp.id, Some(secret)),
        None => fields.push(("client_id", &rp.id)),
    }
    let res = request.form(&fields).send().await.unwrap();
    (res.status().as_u16(), res.json().await.unwrap())
}

/// A client's tokens from a fresh code: (access, refresh).
async fn tokens_of(app: &TestApp, rp: &Rp) -> (String, String) {
    let code = code(app, rp, "openid offline_access").await;
    let (status, body) = redeem(app, rp, &code).await;
    assert_eq!(status, 200, "{body}");
    (
        body["access_token"].as_str().unwrap().to_owned(),
        body["refresh_token"].as_str().unwrap().to_owned(),
    )
}

/// `client add` for a gateway, with `extra` options.
fn add_gateway<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "client",
        "add",
        "--name",
        "Gateway",
        "--redirect-uri",
        "https://gateway.example.org/cb",
    ];
    args.extend_from_slice(extra);
    args
}

/// Registers a client with the command line; returns its id and secret.
async fn cli_client(app: &TestApp, extra: &[&str]) -> Rp {
    let out = app.cli(&add_gateway(extra)).await;
    let stdout = out.ok();
    let value = |name: &str| {
        stdout
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .unwrap()
            .trim()
            .to_owned()
    };
    Rp {
        id: value("client_id:"),
        secret: Some(value("client_secret:")),
    }
}

#[tokio::test]
async fn a_public_client_cannot_introspect_even_its_own_tokens() {
    let app = spawn_app().await;
    let public = registered(&app, true).await;
    let (access, _) = tokens_of(&app, &public).await;
    let (status, body) = introspect(&app, &public, &access).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("invalid_client"))
    );
    assert!(
        body.get("active").is_none() && body.get("sub").is_none(),
        "{body}"
    );
}

#[tokio::test]
async fn a_confidential_client_learns_only_about_its_own_tokens() {
    let app = spawn_app().await;
    let owner = registered(&app, false).await;
    let other = registered(&app, false).await;
    let (access, refresh) = tokens_of(&app, &owner).await;

    let (status, body) = introspect(&app, &other, &access).await;
    assert_eq!(status, 200);
    assert_eq!(body, serde_json::json!({"active": false}), "nothing leaks");

    let (status, body) = introspect(&app, &owner, &access).await;
    assert_eq!(status, 200);
    assert_eq!(body["active"], true);
    assert_eq!(body["token_type"], "Bearer", "RFC 7662 §2.2 names the type");
    assert_eq!(body["token_use"], "access_token");
    assert_eq!(body["client_id"], owner.id.as_str());
    assert_eq!(body["scope"], "openid offline_access");
    let (_, body) = introspect(&app, &owner, &refresh).await;
    assert_eq!(
        (body["active"].as_bool(), body["token_type"].as_str()),
        (Some(true), Some("Bearer"))
    );
    assert_eq!(body["token_use"], "refresh_token");

    let wrong = Rp {
        id: owner.id.clone(),
        secret: Some("lk_cs_wrong".to_owned()),
    };
    let (status, body) = introspect(&app, &wrong, &access).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("invalid_client"))
    );
}

#[tokio::test]
async fn a_resource_server_registered_introspect_any_sees_every_clients_tokens() {
    let app = spawn_app().await;
    let owner = registered(&app, false).await;
    let (access, _) = tokens_of(&app, &owner).await;
    let gateway = cli_client(&app, &["--introspect-any"]).await;
    let (status, body) = introspect(&app, &gateway, &access).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["active"], true);
    assert_eq!(body["client_id"], owner.id.as_str());
    assert!(body["sub"].as_str().is_some_and(|s| !s.is_empty()));

    let plain = cli_client(&app, &[]).await;
    let (_, body) = introspect(&app, &plain, &access).await;
    assert_eq!(body["active"], false);
    let listed = app.cli(&["client", "list"]).await;
    assert!(
        listed
            .ok()
            .lines()
            .any(|l| l.starts_with(&gateway.id) && l.contains("introspect-any")),
        "{}",
        listed.stdout
    );
}

#[tokio::test]
async fn a_public_client_cannot_be_registered_to_introspect_any() {
    let app = spawn_app().await;
    let out = app
        .cli(&add_gateway(&["--public", "--introspect-any"]))
        .await;
    assert!(out.fails_with(1).contains("public client"), "{out:?}");
    assert!(app.cli(&["client", "list"]).await.ok().trim().is_empty());
}
