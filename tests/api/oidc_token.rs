//! The token endpoint's refusals, each with its RFC 6749 §5.2 error: client authentication,
//! redirect URI, PKCE, code replay, refresh reuse, expiry, and malformed requests.

use serde_json::Value;

use crate::helpers::spawn_app;
use crate::oidc_helpers::{CALLBACK, VERIFIER, code, redeem, registered, token, userinfo_status};

#[tokio::test]
async fn a_good_exchange_is_not_cached_and_gives_bearer_tokens() {
    let app = spawn_app().await;
    let rp = registered(&app, false).await;
    let code = code(&app, &rp, "openid email").await;
    let (status, headers, body) = token(
        &app,
        &rp,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", CALLBACK),
            ("code_verifier", VERIFIER),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(headers["cache-control"], "no-store");
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 600);
    assert!(body["access_token"].as_str().unwrap().starts_with("lk_at_"));
    assert!(
        body.get("refresh_token").is_none(),
        "no offline_access, no refresh token"
    );
    assert_eq!(
        userinfo_status(&app, body["access_token"].as_str().unwrap()).await,
        200
    );
}

#[tokio::test]
async fn a_wrong_client_secret_is_invalid_client_with_401() {
    let app = spawn_app().await;
    let mut rp = registered(&app, false).await;
    let code = code(&app, &rp, "openid").await;
    rp.secret = Some("lk_cs_wrong".to_owned());
    let (status, headers, body) = token(
        &app,
        &rp,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", CALLBACK),
        ],
    )
    .await;
    assert_eq!(status, 401);
    assert_eq!(body["error"], "invalid_client");
    assert!(
        headers["www-authenticate"]
            .to_str()
            .unwrap()
            .starts_with("Basic")
    );
}

#[tokio::test]
async fn a_different_redirect_uri_is_invalid_grant() {
    let app = spawn_app().await;
    let rp = registered(&app, false).await;
    let code = code(&app, &rp, "openid").await;
    let (status, _, body) = token(
        &app,
        &rp,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", "https://wiki.example.org/cb/"),
            ("code_verifier", VERIFIER),
        ],
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
}

#[tokio::test]
async fn a_missing_or_wrong_pkce_verifier_is_invalid_grant() {
    let app = spawn_app().await;
    let rp = registered(&app, true).await;
    let first = code(&app, &rp, "openid").await;
    let (status, _, body) = token(
        &app,
        &rp,
        &[
            ("grant_type", "authorization_code"),
            ("code", &first),
            ("redirect_uri", CALLBACK),
        ],
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    let second = code(&app, &rp, "openid").await;
    let wrong = "b".repeat(50);
    let (status, _, body) = token(
        &app,
        &rp,
        &[
            ("grant_type", "authorization_code"),
            ("code", &second),
            ("redirect_uri", CALLBACK),
            ("code_verifier", &wrong),
        ],
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    let third = code(&app, &rp, "openid").await;
    assert_eq!(
        redeem(&app, &rp, &third).await.0,
        200,
        "a public client with the right verifier"
    );
}

#[tokio::test]
async fn a_replayed_code_is_refused_and_revokes_the_tokens_it_gave() {
    let app = spawn_app().await;
    let rp = registered(&app, false).await;
    let code = code(&app, &rp, "openid offline_access").await;
    let (status, first) = redeem(&app, &rp, &code).await;
    assert_eq!(status, 200);
    let access = first["access_token"].as_str().unwrap().to_owned();
    assert_eq!(userinfo_status(&app, &access).await, 200);
    let (status, replay) = redeem(&app, &rp, &code).await;
    assert_eq!(
        (status, replay["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    assert_eq!(
        userinfo_status(&app, &access).await,
        401,
        "the first tokens are revoked"
    );
    let refresh = first["refresh_token"].as_str().unwrap();
    let (status, _, body) = token(
        &app,
        &rp,
        &[("grant_type", "refresh_token"), ("refresh_token", refresh)],
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
}

#[tokio::test]
async fn a_reused_refresh_token_revokes_its_whole_family() {
    let app = spawn_app().await;
    let rp = registered(&app, false).await;
    let code = code(&app, &rp, "openid offline_access").await;
    let (_, first) = redeem(&app, &rp, &code).await;
    let old = first["refresh_token"].as_str().unwrap().to_owned();
    let (status, _, second) = token(
        &app,
        &rp,
        &[("grant_type", "refresh_token"), ("refresh_token", &old)],
    )
    .await;
    assert_eq!(status, 200);
    let new_refresh = second["refresh_token"].as_str().unwrap().to_owned();
    let new_access = second["access_token"].as_str().unwrap().to_owned();
    let (status, _, reuse) = token(
        &app,
        &rp,
        &[("grant_type", "refresh_token"), ("refresh_token", &old)],
    )
    .await;
    assert_eq!(
        (status, reuse["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    let (status, _, body) = token(
        &app,
        &rp,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", &new_refresh),
        ],
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant")),
        "the family is revoked"
    );
    assert_eq!(userinfo_status(&app, &new_access).await, 401);
}

#[tokio::test]
async fn an_expired_code_is_invalid_grant() {
    let app = spawn_app().await;
    let rp = registered(&app, false).await;
    let code = code(&app, &rp, "openid").await;
    app.clock.advance(61);
    let (status, body) = redeem(&app, &rp, &code).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
}

#[tokio::test]
async fn client_credentials_works_for_confidential_clients_only() {
    let app = spawn_app().await;
    let confidential = registered(&app, false).await;
    let (status, _, body) =
        token(&app, &confidential, &[("grant_type", "client_credentials")]).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.get("id_token").is_none() && body.get("refresh_token").is_none());
    let public = registered(&app, true).await;
    let (status, _, body) = token(&app, &public, &[("grant_type", "client_credentials")]).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("unauthorized_client"))
    );
    let (status, _, body) = token(&app, &confidential, &[("grant_type", "password")]).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("unsupported_grant_type"))
    );
}

#[tokio::test]
async fn malformed_token_requests_are_invalid_request() {
    let app = spawn_app().await;
    let rp = registered(&app, false).await;
    let url = format!("{}/token", app.address);
    let secret = rp.secret.clone().unwrap();
    let client = reqwest::Client::new();
    let dup = client
        .post(&url)
        .basic_auth(&rp.id, Some(&secret))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("grant_type=authorization_code&code=a&code=b")
        .send()
        .await
        .unwrap();
    assert_eq!(dup.status(), 400);
    assert_eq!(
        dup.json::<Value>().await.unwrap()["error"],
        "invalid_request"
    );
    let json = client
        .post(&url)
        .basic_auth(&rp.id, Some(&secret))
        .json(&serde_json::json!({"grant_type": "client_credentials"}))
        .send()
        .await
        .unwrap();
    assert_eq!(json.status(), 400);
    assert_eq!(
        json.json::<Value>().await.unwrap()["error"],
        "invalid_request"
    );
    let both = client
        .post(&url)
        .basic_auth(&rp.id, Some(&secret))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_secret", secret.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        both.json::<Value>().await.unwrap()["error"],
        "invalid_request"
    );
    let body = client
        .post(format!("{url}?code=x"))
        .basic_auth(&rp.id, Some(&secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(
        body.json::<Value>().await.unwrap()["error"],
        "invalid_request"
    );
}

#[tokio::test]
async fn expired_codes_and_tokens_are_cleaned_up() {
    let app = spawn_app().await;
    let rp = registered(&app, false).await;
    let code = code(&app, &rp, "openid").await;
    redeem(&app, &rp, &code).await;
    let now = latchkey::clock::Clock::now(app.clock.as_ref());
    assert_eq!(
        latchkey::db::oauth_grants::delete_expired_grants(app.db.pool(), now)
            .await
            .unwrap(),
        0
    );
    app.clock.advance(2 * 86_400);
    let now = latchkey::clock::Clock::now(app.clock.as_ref());
    assert_eq!(
        latchkey::db::oauth_grants::delete_expired_grants(app.db.pool(), now)
            .await
            .unwrap(),
        2,
        "one code, one access token"
    );
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM oauth_tokens").await, 0);
}

#[tokio::test]
async fn client_secret_post_authenticates_like_basic() {
    let app = spawn_app().await;
    let rp = registered(&app, false).await;
    let code = code(&app, &rp, "openid").await;
    let secret = rp.secret.clone().unwrap();
    let res = reqwest::Client::new()
        .post(format!("{}/token", app.address))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("redirect_uri", CALLBACK),
            ("code_verifier", VERIFIER),
            ("client_id", rp.id.as_str()),
            ("client_secret", secret.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let wrong = reqwest::Client::new()
        .post(format!("{}/token", app.address))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", rp.id.as_str()),
            ("client_secret", "lk_cs_nope"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    assert!(
        wrong.headers().get("www-authenticate").is_none(),
        "no Basic challenge when Basic was not used"
    );
}
