//! `/authorize`: request checks, the login detour, consent, and the code sent back.

use crate::helpers::spawn_app;
use crate::oidc_helpers::{
    CALLBACK, authorize_url, authorize_url_of, client, consent_answer, get, param, post_authorize,
    sign_in_ada,
};

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
        let url = authorize_url_of(
            &app,
            &[
                ("response_type", "code"),
                ("client_id", id.as_str()),
                ("redirect_uri", uri),
                ("scope", "openid"),
            ],
        );
        let (status, location, _) = get(&app, &url).await;
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
    let (status, location, _) = post_authorize(&app, &consent_answer(&consent, "allow")).await;
    assert_eq!(status, 303);
    let location = location.unwrap();
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
    sign_in_ada(&app).await;
    let (status, location, _) = get(&app, &authorize_url(&app, &trusted, &[])).await;
    assert_eq!(status, 303);
    assert!(param(&location.unwrap(), "code").is_some());

    let (_, _, consent) = get(&app, &authorize_url(&app, &other, &[])).await;
    let (status, location, _) = post_authorize(&app, &consent_answer(&consent, "deny")).await;
    assert_eq!(status, 303);
    let location = location.unwrap();
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
    sign_in_ada(&app).await;
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
    let url = authorize_url_of(
        &app,
        &[
            ("response_type", "token"),
            ("client_id", confidential.as_str()),
            ("redirect_uri", CALLBACK),
            ("scope", "openid"),
            ("state", "s"),
        ],
    );
    let (_, location, _) = get(&app, &url).await;
    assert_eq!(
        param(&location.unwrap(), "error").as_deref(),
        Some("unsupported_response_type")
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
    sign_in_ada(&app).await;
    assert!(
        app.page("/+account/apps")
            .await
            .contains("You have not allowed any application")
    );
    let start = authorize_url(&app, &id, &[]);
    let (_, _, consent) = get(&app, &start).await;
    post_authorize(&app, &consent_answer(&consent, "allow")).await;

    let account = app.page("/+account/apps").await;
    assert!(
        account.contains("<h3 class=\"app-name\">Wiki</h3>"),
        "{account}"
    );
    assert!(account.contains("<li>Your email address</li>"), "{account}");
    assert!(
        account.contains("allowed just now"),
        "when it was allowed: {account}"
    );
    let csrf = crate::login_helpers::csrf_in(&account);
    let answer = app
        .post_form(
            "/+account/apps/revoke",
            &[("csrf_token", &csrf), ("client_id", &id)],
        )
        .await;
    assert_eq!(answer.status, 303);
    assert_eq!(answer.location.as_deref(), Some("/+account/apps"));
    assert!(
        app.page("/+account/apps")
            .await
            .contains("You have not allowed any application")
    );
    let (status, _, body) = get(&app, &start).await;
    assert_eq!(status, 200, "consent is asked again");
    assert!(body.contains("Sign in to Wiki"));
}

#[tokio::test]
async fn not_you_signs_out_and_returns_to_the_login_form_for_the_same_request() {
    let app = spawn_app().await;
    let id = client(&app, false, false).await;
    sign_in_ada(&app).await;
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
