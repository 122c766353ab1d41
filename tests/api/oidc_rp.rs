//! A relying party built with the `openidconnect` crate's client signs a person in through
//! Latchkey: discovery, authorize with PKCE, login, consent, code exchange, ID token verified
//! against the JWKS (signature, nonce, at_hash), UserInfo, and refresh.

use latchkey::domain::signing_key::SigningAlg;
use latchkey::service::clients::NewClient;
use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreJwsSigningAlgorithm, CoreProviderMetadata,
    CoreUserInfoClaims,
};
use openidconnect::{
    AccessTokenHash, AuthorizationCode, ClientId, ClientSecret, CsrfToken, IntrospectionUrl,
    IssuerUrl, Nonce, OAuth2TokenResponse, PkceCodeChallenge, RedirectUrl, Scope,
    TokenIntrospectionResponse, TokenResponse,
};

use crate::helpers::{START, TestApp, spawn_app};
use crate::oidc_helpers::{CALLBACK, consent_answer, get, post_authorize, register, wiki};

/// The relying party's HTTP client: reqwest, no redirects followed.
async fn http_client(
    request: openidconnect::HttpRequest,
) -> Result<openidconnect::HttpResponse, reqwest::Error> {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let res = client
        .request(request.method().clone(), request.uri().to_string())
        .headers(request.headers().clone())
        .body(request.body().clone())
        .send()
        .await?;
    let mut builder = http::Response::builder().status(res.status());
    for (name, value) in res.headers() {
        builder = builder.header(name, value);
    }
    Ok(builder
        .body(res.bytes().await?.to_vec())
        .expect("a response"))
}

/// The person's browser: from the relying party's authorize URL, through the login form and
/// the consent page, to the callback; returns the callback URL.
async fn sign_in_and_consent(
    app: &TestApp,
    authorize: &str,
    email: &str,
    password: &str,
) -> url::Url {
    let (status, login, _) = get(app, authorize).await;
    assert_eq!(status, 303);
    let login = login.unwrap();
    let answer = app.sign_in_at(&login, email, password).await;
    assert_eq!(answer.status, 303, "{}", answer.body);
    let back = format!("{}{}", app.address, answer.location.unwrap());
    let (_, _, consent) = get(app, &back).await;
    assert!(consent.contains("Sign in to Wiki as"), "{consent}");
    let (status, location, _) = post_authorize(app, &consent_answer(&consent, "allow")).await;
    assert_eq!(status, 303);
    url::Url::parse(&location.unwrap()).unwrap()
}

async fn relying_party_signs_in(alg: SigningAlg) {
    let app = spawn_app().await;
    let person = app.active_person("ada@example.org", "correct horse").await;
    app.team("analysts", "analysts@example.org").await;
    latchkey::service::admin::teams::add_member(
        &app.ctx,
        &latchkey::domain::TeamName::parse("analysts").unwrap(),
        &latchkey::domain::EmailAddress::parse("ada@example.org").unwrap(),
        &latchkey::service::admin::Actor::cli(),
    )
    .await
    .unwrap();
    let registered = register(
        &app,
        NewClient {
            alg,
            ..wiki(false, false)
        },
    )
    .await;
    let secret_text = registered.secret.clone().unwrap();

    // Discovery (and the JWKS with it).
    let metadata = CoreProviderMetadata::discover_async(
        IssuerUrl::new(app.address.clone()).unwrap(),
        &http_client,
    )
    .await
    .unwrap();
    let client = CoreClient::from_provider_metadata(
        metadata,
        ClientId::new(registered.id.clone()),
        Some(ClientSecret::new(secret_text.clone())),
    )
    .set_redirect_uri(RedirectUrl::new(CALLBACK.to_owned()).unwrap());

    // Authorize with PKCE.
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (authorize_url, csrf, nonce) = client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scope(Scope::new("profile".to_owned()))
        .add_scope(Scope::new("email".to_owned()))
        .add_scope(Scope::new("groups".to_owned()))
        .add_scope(Scope::new("offline_access".to_owned()))
        .set_pkce_challenge(challenge)
        .url();
    let callback = sign_in_and_consent(
        &app,
        authorize_url.as_str(),
        "ada@example.org",
        "correct horse",
    )
    .await;
    let get = |name: &str| {
        callback
            .query_pairs()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    };
    assert_eq!(get("state").as_deref(), Some(csrf.secret().as_str()));
    let code = get("code").expect("a code");

    // Exchange the code.
    let tokens = client
        .exchange_code(AuthorizationCode::new(code))
        .unwrap()
        .set_pkce_verifier(verifier)
        .request_async(&http_client)
        .await
        .unwrap();
    let id_token = tokens.id_token().expect("an ID token");
    let verifier = client
        .id_token_verifier()
        .set_allowed_algs(vec![
            CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
            CoreJwsSigningAlgorithm::EdDsa,
        ])
        // The server's clock is fixed; verify against it.
        .set_time_fn(|| latchkey::service::oidc::claims::time(START + 5));
    let claims = id_token
        .claims(&verifier, &nonce)
        .expect("a valid ID token");
    assert_eq!(claims.subject().as_str(), person.id.as_str());
    assert_eq!(claims.issuer().as_str(), app.address);
    assert!(claims.auth_time().is_some());
    let expected_alg = match alg {
        SigningAlg::Rs256 => CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
        SigningAlg::EdDsa => CoreJwsSigningAlgorithm::EdDsa,
    };
    assert_eq!(id_token.signing_alg().unwrap(), &expected_alg);
    let at_hash = AccessTokenHash::from_token(
        tokens.access_token(),
        id_token.signing_alg().unwrap(),
        id_token.signing_key(&verifier).unwrap(),
    )
    .unwrap();
    assert_eq!(claims.access_token_hash(), Some(&at_hash));
    assert_eq!(claims.email().map(|e| e.as_str()), Some("ada@example.org"));
    let payload = id_token.to_string().split('.').nth(1).unwrap().to_owned();
    let payload: serde_json::Value = serde_json::from_slice(
        &base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, payload)
            .unwrap(),
    )
    .unwrap();
    assert_eq!(payload["groups"], serde_json::json!(["analysts"]));

    // UserInfo.
    let info: CoreUserInfoClaims = client
        .user_info(
            tokens.access_token().clone(),
            Some(claims.subject().clone()),
        )
        .unwrap()
        .request_async(&http_client)
        .await
        .unwrap();
    assert_eq!(
        info.name().and_then(|n| n.get(None)).map(|n| n.as_str()),
        Some("Test Person")
    );
    assert_eq!(info.email_verified(), Some(true));

    // Refresh: a new pair, and the old refresh token is spent.
    let refresh = tokens
        .refresh_token()
        .expect("offline_access gives a refresh token");
    let renewed = client
        .exchange_refresh_token(refresh)
        .unwrap()
        .request_async(&http_client)
        .await
        .unwrap();
    assert_ne!(
        renewed.access_token().secret(),
        tokens.access_token().secret()
    );
    let new_refresh = renewed
        .refresh_token()
        .expect("a rotated refresh token")
        .clone();

    // Revoke the refresh token: its whole family ends; introspection then says inactive.
    drop(verifier);
    let client = client.set_introspection_url(
        IntrospectionUrl::new(format!("{}/introspect", app.address)).unwrap(),
    );
    let live = client
        .introspect(renewed.access_token())
        .request_async(&http_client)
        .await
        .unwrap();
    assert!(live.active());
    // oauth2 insists on https for revocation, so the relying party posts this one itself.
    let res = reqwest::Client::new()
        .post(format!("{}/revoke", app.address))
        .basic_auth(&registered.id, Some(&secret_text))
        .form(&[
            ("token", new_refresh.secret().as_str()),
            ("token_type_hint", "refresh_token"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let dead = client
        .introspect(renewed.access_token())
        .request_async(&http_client)
        .await
        .unwrap();
    assert!(
        !dead.active(),
        "revoking the refresh token revoked its access token too"
    );
}

#[tokio::test]
async fn a_relying_party_signs_a_person_in_with_rs256() {
    relying_party_signs_in(SigningAlg::Rs256).await;
}

#[tokio::test]
async fn a_relying_party_signs_a_person_in_with_eddsa() {
    relying_party_signs_in(SigningAlg::EdDsa).await;
}
