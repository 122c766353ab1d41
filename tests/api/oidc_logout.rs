//! RP-initiated logout (`/logout`): with a valid ID token hint it signs out and returns to a
//! registered URI; without one it asks the person first.

use latchkey::domain::signing_key::SigningAlg;
use latchkey::service::clients::NewClient;

use crate::helpers::TestApp;
use crate::helpers::spawn_app;
use crate::oidc_helpers::{code, get, redeem, register, sign_in_ada, wiki};

/// `/logout` with these parameters.
fn logout_url(app: &TestApp, pairs: &[(&str, &str)]) -> String {
    let query = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs.iter().copied())
        .finish();
    format!("{}/logout?{query}", app.address)
}

#[tokio::test]
async fn rp_initiated_logout_with_a_valid_hint_signs_out_and_returns_to_the_registered_uri() {
    let app = spawn_app().await;
    let rp = register(
        &app,
        NewClient {
            post_logout_redirect_uris: vec!["https://wiki.example.org/bye".to_owned()],
            alg: SigningAlg::EdDsa,
            ..wiki(false, true)
        },
    )
    .await;
    let code = code(&app, &rp, "openid").await;
    let (_, tokens) = redeem(&app, &rp, &code).await;
    let hint = tokens["id_token"].as_str().unwrap();
    assert!(app.signed_in().await);

    // An unregistered destination is refused on a page, and nothing happens.
    let (status, _, _) = get(
        &app,
        &logout_url(
            &app,
            &[
                ("id_token_hint", hint),
                ("post_logout_redirect_uri", "https://evil.example/"),
            ],
        ),
    )
    .await;
    assert_eq!(status, 400);
    assert!(app.signed_in().await);
    // A forged hint likewise.
    let forged = format!("{}x", hint);
    let (status, _, _) = get(
        &app,
        &logout_url(&app, &[("id_token_hint", forged.as_str())]),
    )
    .await;
    assert_eq!(status, 400);
    assert!(app.signed_in().await);

    let (status, location, _) = get(
        &app,
        &logout_url(
            &app,
            &[
                ("id_token_hint", hint),
                ("post_logout_redirect_uri", "https://wiki.example.org/bye"),
                ("state", "s1"),
            ],
        ),
    )
    .await;
    assert_eq!(status, 303);
    assert_eq!(
        location.as_deref(),
        Some("https://wiki.example.org/bye?state=s1")
    );
    assert!(!app.signed_in().await);
}

#[tokio::test]
async fn rp_initiated_logout_without_a_hint_asks_the_person_first() {
    let app = spawn_app().await;
    sign_in_ada(&app).await;
    let html = app.page("/logout").await;
    assert!(html.contains("Sign out of Latchkey?"));
    assert!(app.signed_in().await, "not signed out without confirmation");
    let csrf = crate::login_helpers::csrf_in(&html);
    let answer = app
        .post_form("/logout", &[("csrf_token", &csrf), ("confirm", "yes")])
        .await;
    assert_eq!(answer.status, 200);
    assert!(
        answer
            .body
            .contains("You have been signed out of Latchkey.")
    );
    assert!(!app.signed_in().await);
}
