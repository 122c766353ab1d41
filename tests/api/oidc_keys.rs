//! Signing keys: the JWKS publishes the keys made on first start, rotation adds new ones, and
//! a rotated key stays published while tokens it signed may still be checked.

use latchkey::domain::signing_key::SigningAlg;
use openidconnect::core::CoreJsonWebKeySet;
use serde_json::Value;

use crate::helpers::{TestApp, spawn_app};
use crate::oidc_helpers::{code, redeem, registered};

async fn jwks(app: &TestApp) -> Vec<Value> {
    let body = app.page("/jwks.json").await;
    let _: CoreJsonWebKeySet = serde_json::from_str(&body).unwrap();
    let json: Value = serde_json::from_str(&body).unwrap();
    json["keys"].as_array().unwrap().clone()
}

#[tokio::test]
async fn the_jwks_publishes_an_rsa_and_an_ed25519_key_made_on_first_start() {
    let app = spawn_app().await;
    let keys = jwks(&app).await;
    assert_eq!(keys.len(), 2);
    let kinds: Vec<&str> = keys.iter().map(|k| k["kty"].as_str().unwrap()).collect();
    assert!(
        kinds.contains(&"RSA") && kinds.contains(&"OKP"),
        "{kinds:?}"
    );
    for k in &keys {
        assert!(
            k.get("d").is_none() && k.get("p").is_none(),
            "public halves only: {k}"
        );
        assert!(k["kid"].as_str().is_some_and(|kid| !kid.is_empty()));
    }
}

#[tokio::test]
async fn a_rotated_key_stays_published_until_its_tokens_have_expired() {
    let app = spawn_app().await;
    let before: Vec<String> = jwks(&app)
        .await
        .iter()
        .map(|k| k["kid"].as_str().unwrap().to_owned())
        .collect();
    let rotated = latchkey::service::keys::rotate(&app.ctx, None)
        .await
        .unwrap();
    assert_eq!(rotated.len(), 2);
    let during: Vec<String> = jwks(&app)
        .await
        .iter()
        .map(|k| k["kid"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(during.len(), 4, "old and new keys are both published");
    for kid in &before {
        assert!(during.contains(kid));
    }
    // Access tokens live ten minutes; a minute of skew on top.
    app.clock.advance(10 * 60 + 61);
    let after: Vec<String> = jwks(&app)
        .await
        .iter()
        .map(|k| k["kid"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(after.len(), 2);
    for (_, kid) in &rotated {
        assert!(after.contains(kid));
    }
}

#[tokio::test]
async fn keys_rotate_on_the_command_line_adds_new_keys() {
    let app = spawn_app().await;
    let out = app.cli(&["keys", "rotate", "--alg", "eddsa"]).await;
    assert!(out.ok().starts_with("new EdDSA signing key "));
    assert_eq!(jwks(&app).await.len(), 3);
    let bad = app.cli(&["keys", "rotate", "--alg", "HS256"]).await;
    assert!(bad.fails_with(1).contains("unknown algorithm"));
}

fn kid_of(id_token: &str) -> String {
    let header = id_token.split('.').next().unwrap();
    let bytes =
        base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, header).unwrap();
    let header: Value = serde_json::from_slice(&bytes).unwrap();
    header["kid"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_token_signed_before_a_key_rotation_still_verifies_and_new_tokens_use_the_new_key() {
    use openidconnect::core::{CoreIdToken, CoreIdTokenVerifier, CoreJsonWebKeySet};
    use openidconnect::{ClientId, ClientSecret, IssuerUrl, Nonce};
    use std::str::FromStr;

    let app = spawn_app().await;
    let rp = registered(&app, false).await;
    let first = code(&app, &rp, "openid").await;
    let (_, before) = redeem(&app, &rp, &first).await;
    let old_token = before["id_token"].as_str().unwrap().to_owned();

    let rotated = latchkey::service::keys::rotate(&app.ctx, Some(SigningAlg::Rs256))
        .await
        .unwrap();
    let second = code(&app, &rp, "openid").await;
    let (_, after) = redeem(&app, &rp, &second).await;
    let new_token = after["id_token"].as_str().unwrap().to_owned();
    assert_eq!(
        kid_of(&new_token),
        rotated[0].1,
        "new tokens use the new key"
    );
    assert_ne!(kid_of(&old_token), kid_of(&new_token));

    let jwks: CoreJsonWebKeySet = serde_json::from_str(&app.page("/jwks.json").await).unwrap();
    let verifier = CoreIdTokenVerifier::new_confidential_client(
        ClientId::new(rp.id.clone()),
        ClientSecret::new(rp.secret.clone().unwrap()),
        IssuerUrl::new(app.address.clone()).unwrap(),
        jwks,
    )
    .set_time_fn(|| latchkey::service::oidc::claims::time(crate::helpers::START + 5));
    let no_nonce = |_: Option<&Nonce>| -> Result<(), String> { Ok(()) };
    for token in [&old_token, &new_token] {
        let parsed = CoreIdToken::from_str(token).unwrap();
        parsed
            .claims(&verifier, no_nonce)
            .expect("verifies against the published keys");
    }
}
