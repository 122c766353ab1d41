//! The token endpoint's refusals, each with its RFC 6749 §5.2 error: client authentication,
//! redirect URI, PKCE, code replay, refresh reuse, expiry, and malformed requests.

use latchkey::domain::pkce;
use latchkey::domain::signing_key::SigningAlg;
use latchkey::service::clients::{NewClient, add};
use serde_json::Value;

use crate::helpers::{TestApp, spawn_app};

pub const CALLBACK: &str = "https://wiki.example.org/cb";
pub const VERIFIER: &str = "a-pkce-verifier-that-is-long-enough-to-be-valid-1234567890";

/// A registered relying party: its id and, unless public, its secret.
pub struct Rp {
    pub id: String,
    pub secret: Option<String>,
}

/// Registers a trusted client (no consent page).
pub async fn registered(app: &TestApp, public: bool) -> Rp {
    let (client, secret) = add(
        &app.ctx,
        NewClient {
            name: "Wiki".to_owned(),
            redirect_uris: vec![CALLBACK.to_owned()],
            post_logout_redirect_uris: vec![],
            public,
            trusted: true,
            introspect_any: false,
            alg: SigningAlg::Rs256,
        },
    )
    .await
    .unwrap();
    Rp {
        id: client.client_id,
        secret: secret.map(|s| s.expose().to_owned()),
    }
}

/// A signed-in browser asks for a code (the client is trusted: no consent page).
pub async fn code(app: &TestApp, rp: &Rp, scope: &str) -> String {
    if !app.signed_in().await {
        app.active_person("ada@example.org", "correct horse").await;
        app.post_login("ada@example.org", "correct horse", "login")
            .await;
    }
    let challenge = pkce::challenge_of(VERIFIER);
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    query.extend_pairs([
        ("response_type", "code"),
        ("client_id", rp.id.as_str()),
        ("redirect_uri", CALLBACK),
        ("scope", scope),
        ("code_challenge", challenge.as_str()),
        ("code_challenge_method", "S256"),
    ]);
    let res = app
        .client
        .get(format!("{}/authorize?{}", app.address, query.finish()))
        .send()
        .await
        .unwrap();
    let location = url::Url::parse(res.headers()["location"].to_str().unwrap()).unwrap();
    location
        .query_pairs()
        .find(|(k, _)| k == "code")
        .unwrap()
        .1
        .into_owned()
}

/// Posts to `/token` with the client's credentials (Basic, or `client_id` when public).
pub async fn token(
    app: &TestApp,
    rp: &Rp,
    fields: &[(&str, &str)],
) -> (u16, reqwest::header::HeaderMap, Value) {
    let mut request = reqwest::Client::new().post(format!("{}/token", app.address));
    if let Some(secret) = &rp.secret {
        request = request.basic_auth(&rp.id, Some(secret));
    }
    let mut fields: Vec<(&str, &str)> = fields.to_vec();
    if rp.secret.is_none() {
        fields.push(("client_id", &rp.id));
    }
    let res = request.form(&fields).send().await.unwrap();
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    (status, headers, res.json().await.unwrap())
}

/// Redeems a code with the test verifier.
pub async fn redeem(app: &TestApp, rp: &Rp, code: &str) -> (u16, Value) {
    let (status, _, body) = token(
        app,
        rp,
        &[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", CALLBACK),
            ("code_verifier", VERIFIER),
        ],
    )
    .await;
    (status, body)
}

/// The status `/userinfo` answers for an access token.
pub async fn userinfo_status(app: &TestApp, access_token: &str) -> u16 {
    let res = reqwest::Client::new()
        .get(format!("{}/userinfo", app.address))
        .bearer_auth(access_token)
        .send()
        .await
        .unwrap();
    res.status().as_u16()
}

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
async fn userinfo_without_a_live_token_is_401() {
    let app = spawn_app().await;
    assert_eq!(userinfo_status(&app, "lk_at_nothing").await, 401);
    let res = reqwest::get(format!("{}/userinfo", app.address))
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    assert!(
        res.headers()["www-authenticate"]
            .to_str()
            .unwrap()
            .starts_with("Bearer")
    );
}

/// `GET /userinfo` with the `Authorization` header values given, one header each.
async fn userinfo_with(app: &TestApp, values: &[&[u8]]) -> (u16, Value) {
    let mut request = reqwest::Client::new().get(format!("{}/userinfo", app.address));
    for value in values {
        request = request.header(
            "authorization",
            reqwest::header::HeaderValue::from_bytes(value).unwrap(),
        );
    }
    let res = request.send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn the_bearer_scheme_is_case_insensitive_and_two_authorization_headers_get_400() {
    let app = spawn_app().await;
    let rp = registered(&app, false).await;
    let code = code(&app, &rp, "openid email").await;
    let (status, body) = redeem(&app, &rp, &code).await;
    assert_eq!(status, 200, "{body}");
    let access = body["access_token"].as_str().unwrap().to_owned();

    for scheme in ["Bearer", "bearer", "BEARER", "bEaReR"] {
        let value = format!("{scheme} {access}");
        let (status, claims) = userinfo_with(&app, &[value.as_bytes()]).await;
        assert_eq!(status, 200, "{scheme}: {claims}");
        assert_eq!(claims["email"], "ada@example.org");
    }

    let one = format!("Bearer {access}");
    for pair in [
        [one.as_str(), one.as_str()],
        [one.as_str(), "Bearer lk_at_other"],
    ] {
        let (status, body) = userinfo_with(&app, &[pair[0].as_bytes(), pair[1].as_bytes()]).await;
        assert_eq!(status, 400, "{pair:?}: {body}");
        assert_eq!(body["error"], "invalid_request");
    }

    let long = format!("Bearer {}", "x".repeat(16 * 1024));
    for malformed in [
        &b"Bearer"[..],
        b"Bearer ",
        b"Bearer  x",
        b"Bearer x y",
        b"Basic eDp5",
        long.as_bytes(),
        b"Bearer \xff\xfe",
    ] {
        let (status, _) = userinfo_with(&app, &[malformed]).await;
        assert_eq!(status, 401, "{:?}", String::from_utf8_lossy(malformed));
    }

    // The client's Basic credentials are read the same way on the token endpoint.
    let secret = rp.secret.clone().unwrap();
    let basic = base64::Engine::encode(
        &base64::engine::general_purpose::STANDARD,
        format!("{}:{secret}", rp.id),
    );
    let exchange = |values: Vec<String>| {
        let mut request = reqwest::Client::new().post(format!("{}/token", app.address));
        for value in values {
            request = request.header("authorization", value);
        }
        request.form(&[("grant_type", "client_credentials")]).send()
    };
    let res = exchange(vec![format!("basic {basic}")]).await.unwrap();
    assert_eq!(
        res.status(),
        200,
        "the Basic scheme is case-insensitive too"
    );
    let res = exchange(vec![format!("Basic {basic}"), format!("Basic {basic}")])
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    assert_eq!(
        res.json::<Value>().await.unwrap()["error"],
        "invalid_request"
    );
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

#[tokio::test]
async fn rp_initiated_logout_with_a_valid_hint_signs_out_and_returns_to_the_registered_uri() {
    let app = spawn_app().await;
    let (client, secret) = add(
        &app.ctx,
        NewClient {
            name: "Wiki".to_owned(),
            redirect_uris: vec![CALLBACK.to_owned()],
            post_logout_redirect_uris: vec!["https://wiki.example.org/bye".to_owned()],
            public: false,
            trusted: true,
            introspect_any: false,
            alg: SigningAlg::EdDsa,
        },
    )
    .await
    .unwrap();
    let rp = Rp {
        id: client.client_id,
        secret: secret.map(|s| s.expose().to_owned()),
    };
    let code = code(&app, &rp, "openid").await;
    let (_, tokens) = redeem(&app, &rp, &code).await;
    let hint = tokens["id_token"].as_str().unwrap();
    assert!(app.signed_in().await);

    // An unregistered destination is refused on a page, and nothing happens.
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    query.extend_pairs([
        ("id_token_hint", hint),
        ("post_logout_redirect_uri", "https://evil.example/"),
    ]);
    let res = app
        .client
        .get(format!("{}/logout?{}", app.address, query.finish()))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    assert!(app.signed_in().await);
    // A forged hint likewise.
    let forged = format!("{}x", hint);
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    query.extend_pairs([("id_token_hint", forged.as_str())]);
    let res = app
        .client
        .get(format!("{}/logout?{}", app.address, query.finish()))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    assert!(app.signed_in().await);

    let mut query = url::form_urlencoded::Serializer::new(String::new());
    query.extend_pairs([
        ("id_token_hint", hint),
        ("post_logout_redirect_uri", "https://wiki.example.org/bye"),
        ("state", "s1"),
    ]);
    let res = app
        .client
        .get(format!("{}/logout?{}", app.address, query.finish()))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(
        res.headers()["location"],
        "https://wiki.example.org/bye?state=s1"
    );
    assert!(!app.signed_in().await);
}

#[tokio::test]
async fn rp_initiated_logout_without_a_hint_asks_the_person_first() {
    let app = spawn_app().await;
    app.active_person("ada@example.org", "correct horse").await;
    app.post_login("ada@example.org", "correct horse", "login")
        .await;
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
