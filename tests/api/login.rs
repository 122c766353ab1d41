//! Every row of the login-form table (SPEC §2) over HTTP, with the exact message, the status,
//! and what changed in the database: the `login` rows and the form itself here, the
//! `createaccount` rows in `login_registration.rs`, the `resetpassword` rows in
//! `login_recovery.rs`.

use latchkey::domain::StatusChange;

use crate::helpers::{TestApp, spawn_app, spawn_app_with};

const INVALID: &str = "Please enter a valid email address.";
const INCORRECT: &str = "Incorrect password for the provided email address.";
pub(crate) const SUSPENDED: &str =
    "This account has been suspended. Please contact an administrator.";
const DEACTIVATED: &str =
    "This account has been deactivated. Use \"I have forgotten my password\" to reactivate it.";
pub(crate) const NOT_FOUND: &str =
    "Your account details have not been found. Please check your email address and try again.";

pub(crate) fn team_message(email: &str) -> String {
    format!("The email address {email} can not be used to log in as it belongs to a team.")
}

pub(crate) fn already_registered(email: &str) -> String {
    format!(
        "Sorry, someone has already registered the {email} email address. If this is you and \
         you've forgotten your password, choose \"I have forgotten my password\" and we'll let \
         you change it."
    )
}

/// Rows in the identity tables plus queued mail: a refusal changes none of them.
pub(crate) async fn state(app: &TestApp) -> Vec<(&'static str, i64)> {
    let mut counts = app.row_counts().await;
    counts.retain(|(t, _)| !matches!(*t, "audit_events" | "throttle"));
    let (queued, sent, failed) = latchkey::db::outbox::counts(app.db.pool()).await.unwrap();
    counts.push(("outbox", queued + sent + failed));
    counts
}

#[tokio::test]
async fn any_action_with_an_invalid_address_asks_for_a_valid_one() {
    let app = spawn_app().await;
    let before = state(&app).await;
    for action in ["login", "createaccount", "resetpassword"] {
        for email in ["foo@", "", "not an address", "a\u{0}@b.org"] {
            let answer = app.post_login(email, "whatever1", action).await;
            assert_eq!(answer.status, 200, "{action} {email:?}");
            assert_eq!(
                answer.error().as_deref(),
                Some(INVALID),
                "{action} {email:?}"
            );
        }
    }
    assert_eq!(state(&app).await, before);
}

#[tokio::test]
async fn login_with_an_unknown_or_placeholder_address_or_a_bad_password_is_one_answer() {
    let app = spawn_app().await;
    app.active_person("ada@example.org", "correct horse").await;
    app.placeholder("placeholder@example.org").await;
    let before = state(&app).await;
    let cases = [
        ("nobody@example.org", "correct horse"),
        ("placeholder@example.org", "correct horse"),
        ("ada@example.org", ""),
        ("ada@example.org", "wrong horse"),
    ];
    for (email, password) in cases {
        let answer = app.post_login(email, password, "login").await;
        assert_eq!(answer.status, 200, "{email}");
        assert_eq!(
            answer.error().as_deref(),
            Some(INCORRECT),
            "{email} {password:?}"
        );
        assert!(!app.signed_in().await);
    }
    assert_eq!(state(&app).await, before, "nothing but counters changed");
}

#[tokio::test]
async fn login_with_a_team_address_is_refused_as_a_team() {
    let app = spawn_app().await;
    app.team("admins", "admins@example.org").await;
    let answer = app
        .post_login("Admins@example.org", "anything12", "login")
        .await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.error(), Some(team_message("Admins@example.org")));
}

#[tokio::test]
async fn login_as_a_suspended_person_says_suspended() {
    let app = spawn_app().await;
    app.closed_person("s@example.org", StatusChange::Suspend)
        .await;
    let answer = app
        .post_login("s@example.org", "a good password", "login")
        .await;
    assert_eq!(answer.error().as_deref(), Some(SUSPENDED));
    assert!(!app.signed_in().await);
}

#[tokio::test]
async fn login_as_a_deactivated_person_says_deactivated() {
    let app = spawn_app().await;
    app.closed_person("d@example.org", StatusChange::Deactivate)
        .await;
    let answer = app
        .post_login("d@example.org", "a good password", "login")
        .await;
    assert_eq!(answer.error().as_deref(), Some(DEACTIVATED));
    assert!(!app.signed_in().await);
}

#[tokio::test]
async fn login_with_the_right_password_renews_the_session_and_signs_in() {
    let app = spawn_app().await;
    app.active_person("ada@example.org", "correct horse").await;
    let csrf = app.csrf_from("/+login").await;
    let res = app
        .client
        .post(format!("{}/+login", app.address))
        .form(&[
            ("email", "ADA@example.org"),
            ("password", "correct horse"),
            ("action", "login"),
            ("csrf_token", &csrf),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/+account");
    let cookie = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("lk_session="))
        .expect("a session cookie");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"),
        "{cookie}"
    );
    assert!(app.signed_in().await);
    // The pre-login session was replaced: its CSRF token no longer works.
    let answer = app.post_form("/+logout", &[("csrf_token", &csrf)]).await;
    assert_eq!(
        answer.status, 403,
        "the session id and CSRF token were renewed"
    );
}

/// Requests a recovery link for `email` and sets `password` through it.
pub(crate) async fn recover(
    app: &TestApp,
    email: &str,
    password: &str,
    nth_mail: usize,
) -> crate::login_helpers::Answer {
    let answer = app.post_login(email, "", "resetpassword").await;
    assert!(answer.error().is_none(), "{:?}", answer.error());
    assert!(answer.body.contains("We have sent a message to"));
    let link = app.smtp.wait_for(nth_mail).await.link();
    assert!(link.ends_with("/+resetpassword"), "{link}");
    let csrf = app.csrf_from(&link).await;
    app.post_form(
        &link,
        &[
            ("password", password),
            ("password_again", password),
            ("csrf_token", &csrf),
        ],
    )
    .await
}

#[tokio::test]
async fn a_form_without_its_csrf_token_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    app.active_person("ada@example.org", "correct horse").await;
    app.client
        .get(format!("{}/+login", app.address))
        .send()
        .await
        .unwrap();
    let before = state(&app).await;
    for token in ["", "forged"] {
        let answer = app
            .post_form(
                "/+login",
                &[
                    ("email", "ada@example.org"),
                    ("password", "correct horse"),
                    ("action", "login"),
                    ("csrf_token", token),
                ],
            )
            .await;
        assert_eq!(answer.status, 403);
        assert!(!app.signed_in().await);
    }
    assert_eq!(state(&app).await, before);
}

#[tokio::test]
async fn the_next_target_is_followed_only_when_local() {
    let app = spawn_app().await;
    app.active_person("ada@example.org", "correct horse").await;
    for (next, expected) in [
        ("/+account?x=1", "/+account?x=1"),
        ("https://evil.example/", "/+account"),
        ("//evil.example/", "/+account"),
        ("/\\evil.example", "/+account"),
    ] {
        let csrf = app.csrf_from("/+login").await;
        let answer = app
            .post_form(
                "/+login",
                &[
                    ("email", "ada@example.org"),
                    ("password", "correct horse"),
                    ("action", "login"),
                    ("csrf_token", &csrf),
                    ("next", next),
                ],
            )
            .await;
        assert_eq!(answer.status, 303);
        assert_eq!(answer.location.as_deref(), Some(expected), "{next}");
    }
}

#[tokio::test]
async fn privacy_mode_answers_check_your_email_and_explains_by_email() {
    let app = spawn_app_with(|s| s.login.hide_account_existence = true).await;
    app.active_person("ada@example.org", "correct horse").await;
    let registered = app.post_login("ada@example.org", "", "createaccount").await;
    let unknown = app
        .post_login("nobody@example.org", "", "resetpassword")
        .await;
    for answer in [&registered, &unknown] {
        assert_eq!(answer.status, 200);
        assert!(answer.error().is_none());
        assert!(answer.body.contains("We have sent a message to"));
    }
    let first = app.smtp.wait_for(1).await;
    let second = app.smtp.wait_for(2).await;
    assert!(
        first
            .part("text/plain")
            .unwrap()
            .contains("which already has one")
    );
    assert!(first.link().ends_with("/+resetpassword"));
    assert!(
        second
            .part("text/plain")
            .unwrap()
            .contains("there is no account for this address")
    );
    assert!(second.link().ends_with("/+newaccount"));
}

#[tokio::test]
async fn the_form_is_localised_by_parameter_cookie_and_accept_language() {
    let app = spawn_app().await;
    let html = app.page("/+login?lang=de").await;
    assert!(html.contains("Ich habe mein Passwort vergessen"));
    // The choice is remembered in a cookie.
    let html = app.page("/+login").await;
    assert!(html.contains("<html lang=\"de\">"));
    let fresh = crate::helpers::browser();
    let html = fresh
        .get(format!("{}/+login", app.address))
        .header("accept-language", "fr, de;q=0.8")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Anmelden"));
    let csrf = crate::login_helpers::csrf_in(&html);
    let res = fresh
        .post(format!("{}/+login", app.address))
        .header("accept-language", "de")
        .form(&[
            ("email", "foo@"),
            ("action", "login"),
            ("csrf_token", &csrf),
        ])
        .send()
        .await
        .unwrap();
    let html = res.text().await.unwrap();
    assert_eq!(
        crate::login_helpers::error_in(&html).as_deref(),
        Some("Bitte geben Sie eine gültige E-Mail-Adresse ein.")
    );
}

#[tokio::test]
async fn login_pages_are_not_cached_and_carry_security_headers() {
    let app = spawn_app().await;
    let res = app
        .client
        .get(format!("{}/+login", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["cache-control"], "no-store");
    assert!(
        res.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("frame-ancestors 'none'")
    );
    assert!(
        !res.text().await.unwrap().contains("<script"),
        "no script on the page"
    );
}
