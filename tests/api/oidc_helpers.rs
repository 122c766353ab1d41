//! The relying party's side of the OpenID Connect tests, over plain HTTP: register the wiki as a
//! client, build `/authorize` requests, sign Ada in and take the code from the redirect, answer
//! the consent page, and call `/token` and `/userinfo` with the client's credentials.

use latchkey::domain::pkce;
use latchkey::domain::signing_key::SigningAlg;
use latchkey::service::clients::{NewClient, add};
use serde_json::Value;

use crate::helpers::TestApp;
use crate::login_helpers::consent_fields;

/// The registered redirect URI of the wiki.
pub const CALLBACK: &str = "https://wiki.example.org/cb";
/// The PKCE verifier [`code`] commits to and [`redeem`] presents.
pub const VERIFIER: &str = "a-pkce-verifier-that-is-long-enough-to-be-valid-1234567890";

/// A registered relying party: its id and, unless public, its secret.
pub struct Rp {
    pub id: String,
    pub secret: Option<String>,
}

/// The wiki's registration: redirect URI [`CALLBACK`], RS256, no post-logout URI.
pub fn wiki(public: bool, trusted: bool) -> NewClient {
    NewClient {
        name: "Wiki".to_owned(),
        redirect_uris: vec![CALLBACK.to_owned()],
        post_logout_redirect_uris: vec![],
        public,
        trusted,
        introspect_any: false,
        require_second_factor: false,
        alg: SigningAlg::Rs256,
    }
}

/// Registers a client.
pub async fn register(app: &TestApp, client: NewClient) -> Rp {
    let (client, secret) = add(&app.ctx, client).await.unwrap();
    Rp {
        id: client.client_id,
        secret: secret.map(|s| s.expose().to_owned()),
    }
}

/// Registers the wiki as a trusted client (no consent page).
pub async fn registered(app: &TestApp, public: bool) -> Rp {
    register(app, wiki(public, true)).await
}

/// Registers the wiki; returns its id.
pub async fn client(app: &TestApp, public: bool, trusted: bool) -> String {
    register(app, wiki(public, trusted)).await.id
}

/// `/authorize?…` with exactly these parameters, as a path.
pub fn authorize_path(pairs: &[(&str, &str)]) -> String {
    let query = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs.iter().copied())
        .finish();
    format!("/authorize?{query}")
}

/// `/authorize` with exactly these parameters, as a URL.
pub fn authorize_url_of(app: &TestApp, pairs: &[(&str, &str)]) -> String {
    format!("{}{}", app.address, authorize_path(pairs))
}

/// `/authorize` for the wiki with a state and nonce, plus `extra` parameters.
pub fn authorize_url(app: &TestApp, client_id: &str, extra: &[(&str, &str)]) -> String {
    let mut pairs = vec![
        ("response_type", "code"),
        ("client_id", client_id),
        ("redirect_uri", CALLBACK),
        ("scope", "openid profile email"),
        ("state", "st4te"),
        ("nonce", "n0nce"),
    ];
    pairs.extend_from_slice(extra);
    authorize_url_of(app, &pairs)
}

/// GETs a URL with the browser client: status, `Location`, body.
pub async fn get(app: &TestApp, url: &str) -> (u16, Option<String>, String) {
    seen(app.client.get(url).send().await.unwrap()).await
}

/// POSTs a form to `/authorize` with the browser client: status, `Location`, body.
pub async fn post_authorize(
    app: &TestApp,
    fields: &[(String, String)],
) -> (u16, Option<String>, String) {
    let url = format!("{}/authorize", app.address);
    seen(app.client.post(url).form(fields).send().await.unwrap()).await
}

async fn seen(res: reqwest::Response) -> (u16, Option<String>, String) {
    let status = res.status().as_u16();
    let location = res
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_owned());
    (status, location, res.text().await.unwrap())
}

/// The consent form of a consent page, answered with `decision` (`allow` or `deny`).
pub fn consent_answer(page: &str, decision: &str) -> Vec<(String, String)> {
    let mut fields = consent_fields(page);
    fields.push(("decision".to_owned(), decision.to_owned()));
    fields
}

/// One query parameter of a redirect.
pub fn param(location: &str, name: &str) -> Option<String> {
    url::Url::parse(location)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// Ada, active, signs in with the browser client.
pub async fn sign_in_ada(app: &TestApp) {
    app.active_person("ada@example.org", "correct horse").await;
    app.post_login("ada@example.org", "correct horse", "login")
        .await;
}

/// A signed-in browser (Ada, unless someone already is) asks a trusted client for a code with
/// PKCE ([`VERIFIER`]).
pub async fn code(app: &TestApp, rp: &Rp, scope: &str) -> String {
    if !app.signed_in().await {
        sign_in_ada(app).await;
    }
    let challenge = pkce::challenge_of(VERIFIER);
    let url = authorize_url_of(
        app,
        &[
            ("response_type", "code"),
            ("client_id", rp.id.as_str()),
            ("redirect_uri", CALLBACK),
            ("scope", scope),
            ("code_challenge", challenge.as_str()),
            ("code_challenge_method", "S256"),
        ],
    );
    let (_, location, _) = get(app, &url).await;
    param(&location.unwrap(), "code").unwrap()
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

/// Spends a refresh token, asking for `scope` when given.
pub async fn refresh(
    app: &TestApp,
    rp: &Rp,
    refresh_token: &str,
    scope: Option<&str>,
) -> (u16, Value) {
    let mut fields = vec![
        ("grant_type", "refresh_token"),
        ("refresh_token", refresh_token),
    ];
    if let Some(scope) = scope {
        fields.push(("scope", scope));
    }
    let (status, _, body) = token(app, rp, &fields).await;
    (status, body)
}

/// `GET /userinfo` with an access token.
pub async fn userinfo(app: &TestApp, access_token: &str) -> reqwest::Response {
    reqwest::Client::new()
        .get(format!("{}/userinfo", app.address))
        .bearer_auth(access_token)
        .send()
        .await
        .unwrap()
}

/// The status `/userinfo` answers for an access token.
pub async fn userinfo_status(app: &TestApp, access_token: &str) -> u16 {
    userinfo(app, access_token).await.status().as_u16()
}
