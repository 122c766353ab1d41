//! `/authorize`: request checks, the login detour, consent, and the code sent back.

use latchkey::domain::signing_key::SigningAlg;
use latchkey::service::clients::{NewClient, add};

use latchkey::clock::Clock;

use crate::helpers::{TestApp, spawn_app};

/// The registered redirect URI of the test client.
pub const CALLBACK: &str = "https://wiki.example.org/cb";

/// Registers the test client; returns its id.
pub async fn client(app: &TestApp, public: bool, trusted: bool) -> String {
    let (client, _) = add(
        &app.ctx,
        NewClient {
            name: "Wiki".to_owned(),
            redirect_uris: vec![CALLBACK.to_owned()],
            post_logout_redirect_uris: vec![],
            public,
            trusted,
            introspect_any: false,
            alg: SigningAlg::Rs256,
        },
    )
    .await
    .unwrap();
    client.client_id
}

/// `/authorize` for the test client with a state and nonce, plus `extra` parameters.
pub fn authorize_url(app: &TestApp, client_id: &str, extra: &[(&str, &str)]) -> String {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    query.extend_pairs([
        ("response_type", "code"),
        ("client_id", client_id),
        ("redirect_uri", CALLBACK),
        ("scope", "openid profile email"),
        ("state", "st4te"),
        ("nonce", "n0nce"),
    ]);
    query.extend_pairs(extra.iter().copied());
    format!("{}/authorize?{}", app.address, query.finish())
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

fn query_of(location: &str) -> Vec<(String, String)> {
    let url = url::Url::parse(location).unwrap();
    url.query_pairs().into_owned().collect()
}

/// One query parameter of a redirect.
pub fn param(location: &str, name: &str) -> Option<String> {
    query_of(location)
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

#[tokio::test]
async fn an_unknown_client_or_unregistered_redirect_uri_gets_an_error_page_not_a_redirect() {
    let app = spawn_app().await;
    let id = client(&app, false, false).await;
    let (status, location, body) = get(&app, &authorize_url(&app, "nope", &[])).await;
    assert_eq!((status, location), (400, None));
    assert!(body.contains("not registered"));
    for uri in [
        "https://wiki.example.org/cb/x",
        "https://wiki.example.org/cb?a=1",
        "https://WIKI.example.org/cb",
    ] {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        query.extend_pairs([
            ("response_type", "code"),
            ("client_id", id.as_str()),
            ("redirect_uri", uri),
            ("scope", "openid"),
        ]);
        let (status, location, _) = get(
            &app,
            &format!("{}/authorize?{}", app.address, query.finish()),
        )
        .await;
        assert_eq!((status, location), (400, None), "{uri}");
    }
}

#[tokio::test]
async fn a_signed_out_person_signs_in_consents_and_the_client_gets_a_code() {
    let app = spawn_app().await;
    let id = client(&app, false, false).await;
    app.active_person("ada@example.org", "correct horse").await;
    let start = authorize_url(&app, &id, &[("login_hint", "ada@example.org")]);
    let (status, location, _) = get(&app, &start).await;
    assert_eq!(status, 303);
    let login = location.unwrap();
    assert!(login.starts_with("/+login?next=%2Fauthorize%3F"), "{login}");
    let html = app.page(&login).await;
    assert!(
        html.contains("value=\"ada@example.org\""),
        "the login hint fills the form"
    );
    let answer = app
        .sign_in_at(&login, "ada@example.org", "correct horse")
        .await;
    assert_eq!(answer.status, 303);
    let back = answer.location.unwrap();
    assert!(back.starts_with("/authorize?"), "{back}");

    let (status, _, consent) = get(&app, &format!("{}{back}", app.address)).await;
    assert_eq!(status, 200);
    assert!(
        consent.contains("Sign in to Wiki as Test Person?"),
        "{consent}"
    );
    assert!(consent.contains("Your email address") && consent.contains("Your name"));
    let mut fields = crate::login_helpers::consent_fields(&consent);
    fields.push(("decision".to_owned(), "allow".to_owned()));
    let res = app
        .client
        .post(format!("{}/authorize", app.address))
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with(CALLBACK), "{location}");
    assert!(param(&location, "code").unwrap().starts_with("lk_ac_"));
    assert_eq!(param(&location, "state").as_deref(), Some("st4te"));
    assert_eq!(param(&location, "iss"), Some(app.address.clone()));

    // Consent is remembered: the next request goes straight back with a code.
    let (status, location, _) = get(&app, &authorize_url(&app, &id, &[])).await;
    assert_eq!(status, 303);
    assert!(param(&location.unwrap(), "code").is_some());
    // prompt=consent asks again.
    let (status, _, body) = get(&app, &authorize_url(&app, &id, &[("prompt", "consent")])).await;
    assert_eq!(status, 200);
    assert!(body.contains("Sign in to Wiki"));
}

#[tokio::test]
async fn a_trusted_client_skips_consent_and_deny_sends_access_denied() {
    let app = spawn_app().await;
    let trusted = client(&app, false, true).await;
    let other = client(&app, false, false).await;
    app.active_person("ada@example.org", "correct horse").await;
    app.post_login("ada@example.org", "correct horse", "login")
        .await;
    let (status, location, _) = get(&app, &authorize_url(&app, &trusted, &[])).await;
    assert_eq!(status, 303);
    assert!(param(&location.unwrap(), "code").is_some());

    let (_, _, consent) = get(&app, &authorize_url(&app, &other, &[])).await;
    let mut fields = crate::login_helpers::consent_fields(&consent);
    fields.push(("decision".to_owned(), "deny".to_owned()));
    let res = app
        .client
        .post(format!("{}/authorize", app.address))
        .form(&fields)
        .send()
        .await
        .unwrap();
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(param(&location, "error").as_deref(), Some("access_denied"));
    assert_eq!(param(&location, "state").as_deref(), Some("st4te"));
    assert!(param(&location, "code").is_none());
}

#[tokio::test]
async fn prompt_none_answers_login_required_or_consent_required() {
    let app = spawn_app().await;
    let id = client(&app, false, false).await;
    let (status, location, _) = get(&app, &authorize_url(&app, &id, &[("prompt", "none")])).await;
    assert_eq!(status, 303);
    let location = location.unwrap();
    assert_eq!(param(&location, "error").as_deref(), Some("login_required"));
    assert_eq!(param(&location, "state").as_deref(), Some("st4te"));
    app.active_person("ada@example.org", "correct horse").await;
    app.post_login("ada@example.org", "correct horse", "login")
        .await;
    let (_, location, _) = get(&app, &authorize_url(&app, &id, &[("prompt", "none")])).await;
    assert_eq!(
        param(&location.unwrap(), "error").as_deref(),
        Some("consent_required")
    );
}

#[tokio::test]
async fn protocol_errors_are_sent_back_to_a_verified_redirect_uri() {
    let app = spawn_app().await;
    let public = client(&app, true, false).await;
    let (status, location, _) = get(&app, &authorize_url(&app, &public, &[])).await;
    assert_eq!(status, 303);
    let location = location.unwrap();
    assert!(location.starts_with(CALLBACK));
    assert_eq!(
        param(&location, "error").as_deref(),
        Some("invalid_request")
    );
    let (_, location, _) = get(
        &app,
        &authorize_url(&app, &public, &[("response_type", "token")]),
    )
    .await;
    // response_type appears twice in this URL: refused on a page, never "first wins".
    assert!(location.is_none());
    let confidential = client(&app, false, false).await;
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    query.extend_pairs([
        ("response_type", "token"),
        ("client_id", confidential.as_str()),
        ("redirect_uri", CALLBACK),
        ("scope", "openid"),
        ("state", "s"),
    ]);
    let (_, location, _) = get(
        &app,
        &format!("{}/authorize?{}", app.address, query.finish()),
    )
    .await;
    assert_eq!(
        param(&location.unwrap(), "error").as_deref(),
        Some("unsupported_response_type")
    );
}

/// The `auth_time` of the newest authorization code.
async fn last_auth_time(app: &TestApp) -> i64 {
    let row = sqlx::query(
        "SELECT auth_time FROM authorization_codes ORDER BY created_at DESC, auth_time DESC",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    sqlx::Row::get(&row, "auth_time")
}

#[tokio::test]
async fn prompt_login_asks_a_signed_in_person_to_sign_in_again_without_signing_them_out() {
    let app = spawn_app().await;
    let id = client(&app, false, true).await;
    app.active_person("ada@example.org", "correct horse").await;
    app.post_login("ada@example.org", "correct horse", "login")
        .await;
    let first_login = app.clock.now();
    app.clock.advance(100);
    let (status, location, _) = get(&app, &authorize_url(&app, &id, &[("prompt", "login")])).await;
    assert_eq!(status, 303);
    let login = location.unwrap();
    assert!(login.starts_with("/+login?next="));
    assert!(
        !login.contains("prompt%3Dlogin"),
        "the way back does not ask again: {login}"
    );
    assert!(
        app.signed_in().await,
        "a link to /authorize?prompt=login signs nobody out"
    );

    // A wrong password, or giving up, leaves the person signed in as before.
    let wrong = app
        .sign_in_at(&login, "ada@example.org", "wrong horse")
        .await;
    assert_eq!(wrong.status, 200);
    assert!(app.signed_in().await);

    let answer = app
        .sign_in_at(&login, "ada@example.org", "correct horse")
        .await;
    let back = answer.location.unwrap();
    let (status, location, _) = get(&app, &format!("{}{back}", app.address)).await;
    assert_eq!(status, 303);
    assert!(location.unwrap().starts_with(CALLBACK));
    assert_eq!(
        last_auth_time(&app).await,
        first_login + 100,
        "the code carries the new sign-in"
    );
}

#[tokio::test]
async fn a_new_person_registers_from_a_relying_party_and_comes_back_to_it() {
    let app = spawn_app().await;
    let id = client(&app, false, false).await;
    let (_, location, _) = get(&app, &authorize_url(&app, &id, &[])).await;
    let html = app.page(&location.unwrap()).await;
    let next = crate::login_helpers::unescape(
        html.split("name=\"next\" value=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap(),
    );
    let csrf = crate::login_helpers::csrf_in(&html);
    let answer = app
        .post_form(
            "/+login",
            &[
                ("email", "newbie@example.org"),
                ("action", "createaccount"),
                ("csrf_token", &csrf),
                ("next", &next),
            ],
        )
        .await;
    assert!(
        answer
            .body
            .contains("We have sent a message to newbie@example.org.")
    );
    let link = app.smtp.wait_for(1).await.link();
    let csrf = app.csrf_from(&link).await;
    let done = app
        .post_form(
            &link,
            &[
                ("display_name", "New Person"),
                ("password", "a new password"),
                ("password_again", "a new password"),
                ("csrf_token", &csrf),
            ],
        )
        .await;
    assert_eq!(done.status, 303);
    let back = done.location.unwrap();
    assert!(
        back.starts_with("/authorize?"),
        "back to the relying party's request: {back}"
    );
    let consent = app.page(&back).await;
    assert!(
        consent.contains("Sign in to Wiki as New Person?"),
        "{consent}"
    );
}

#[tokio::test]
async fn consents_are_listed_on_the_account_page_and_can_be_revoked() {
    let app = spawn_app().await;
    let id = client(&app, false, false).await;
    app.active_person("ada@example.org", "correct horse").await;
    app.post_login("ada@example.org", "correct horse", "login")
        .await;
    assert!(
        app.page("/+account")
            .await
            .contains("You have not allowed any application")
    );
    let start = authorize_url(&app, &id, &[]);
    let (_, _, consent) = get(&app, &start).await;
    let mut fields = crate::login_helpers::consent_fields(&consent);
    fields.push(("decision".to_owned(), "allow".to_owned()));
    app.client
        .post(format!("{}/authorize", app.address))
        .form(&fields)
        .send()
        .await
        .unwrap();

    let account = app.page("/+account").await;
    assert!(
        account.contains("<span class=\"app-name\">Wiki</span>"),
        "{account}"
    );
    assert!(account.contains("Your email address"));
    let csrf = crate::login_helpers::csrf_in(&account);
    let answer = app
        .post_form(
            "/+account/apps/revoke",
            &[("csrf_token", &csrf), ("client_id", &id)],
        )
        .await;
    assert_eq!(answer.status, 303);
    assert!(
        app.page("/+account")
            .await
            .contains("You have not allowed any application")
    );
    let (status, _, body) = get(&app, &start).await;
    assert_eq!(status, 200, "consent is asked again");
    assert!(body.contains("Sign in to Wiki"));
}

#[tokio::test]
async fn max_age_sends_a_person_who_signed_in_too_long_ago_back_to_the_login_form() {
    let app = spawn_app().await;
    let id = client(&app, false, true).await;
    app.active_person("ada@example.org", "correct horse").await;
    app.post_login("ada@example.org", "correct horse", "login")
        .await;
    app.clock.advance(120);
    let (status, location, _) = get(&app, &authorize_url(&app, &id, &[("max_age", "300")])).await;
    assert_eq!(status, 303);
    assert!(
        location.unwrap().starts_with(CALLBACK),
        "recent enough: a code"
    );
    let (status, location, _) = get(&app, &authorize_url(&app, &id, &[("max_age", "60")])).await;
    assert_eq!(status, 303);
    let login = location.unwrap();
    assert!(login.starts_with("/+login?next="), "too old: sign in again");
    assert!(
        app.signed_in().await,
        "still signed in until the new login succeeds"
    );
    let answer = app
        .sign_in_at(&login, "ada@example.org", "correct horse")
        .await;
    let (status, location, _) = get(
        &app,
        &format!("{}{}", app.address, answer.location.unwrap()),
    )
    .await;
    assert_eq!(status, 303);
    assert!(location.unwrap().starts_with(CALLBACK), "fresh: a code");
    assert_eq!(last_auth_time(&app).await, app.clock.now());
}

#[tokio::test]
async fn not_you_signs_out_and_returns_to_the_login_form_for_the_same_request() {
    let app = spawn_app().await;
    let id = client(&app, false, false).await;
    app.active_person("ada@example.org", "correct horse").await;
    app.post_login("ada@example.org", "correct horse", "login")
        .await;
    let (_, _, consent) = get(&app, &authorize_url(&app, &id, &[])).await;
    assert!(consent.contains("Not Test Person? Sign in as someone else"));
    let csrf = crate::login_helpers::csrf_in(&consent);
    let next = crate::login_helpers::unescape(
        consent
            .split("name=\"next\" value=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap(),
    );
    let answer = app
        .post_form("/+logout", &[("csrf_token", &csrf), ("next", &next)])
        .await;
    assert_eq!(answer.status, 303);
    let login = answer.location.unwrap();
    assert!(login.starts_with("/+login?next=%2Fauthorize%3F"), "{login}");
    assert!(!app.signed_in().await);
}

#[tokio::test]
async fn max_age_zero_asks_for_a_new_login_even_in_the_second_of_the_last_one() {
    let app = spawn_app().await;
    let id = client(&app, false, true).await;
    app.active_person("ada@example.org", "correct horse").await;
    app.post_login("ada@example.org", "correct horse", "login")
        .await;
    let (status, location, _) = get(&app, &authorize_url(&app, &id, &[("max_age", "0")])).await;
    assert_eq!(status, 303);
    let login = location.unwrap();
    assert!(login.starts_with("/+login?next="), "{login}");
    assert!(
        !login.contains("max_age"),
        "the way back does not ask again"
    );
    app.clock.advance(1);
    let answer = app
        .sign_in_at(&login, "ada@example.org", "correct horse")
        .await;
    app.clock.advance(1);
    let back = answer.location.unwrap();
    let (status, location, _) = get(&app, &format!("{}{back}", app.address)).await;
    assert_eq!(status, 303);
    assert!(location.unwrap().starts_with(CALLBACK), "no second detour");

    // With prompt=none it never shows a page, and no earlier login satisfies it, even one in
    // the same second.
    app.post_login("ada@example.org", "correct horse", "login")
        .await;
    let (status, location, _) = get(
        &app,
        &authorize_url(&app, &id, &[("max_age", "0"), ("prompt", "none")]),
    )
    .await;
    assert_eq!(status, 303);
    assert_eq!(
        param(&location.unwrap(), "error").as_deref(),
        Some("login_required")
    );
}
