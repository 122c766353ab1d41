//! The account page, password change, logout, deactivation, and the growing lockout; the
//! sessions' tests are in `account_sessions.rs`.

use crate::helpers::{spawn_app, spawn_app_with};

#[tokio::test]
async fn the_account_page_needs_a_signed_in_person() {
    let app = spawn_app().await;
    let res = app
        .client
        .get(format!("{}/+account", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/+login?next=%2F%2Baccount");
}

#[tokio::test]
async fn the_account_page_shows_the_name_and_addresses() {
    let app = spawn_app().await;
    app.active_person("ada@example.org", "correct horse").await;
    app.post_login("ada@example.org", "correct horse", "login")
        .await;
    let html = app.page("/+account").await;
    assert!(html.contains("Test Person"));
    assert!(html.contains("ada@example.org"));
    assert!(html.contains("preferred"));
}

#[tokio::test]
async fn changing_the_password_needs_the_current_one_and_signs_out_other_sessions() {
    let app = spawn_app().await;
    app.active_person("ada@example.org", "correct horse").await;
    app.post_login("ada@example.org", "correct horse", "login")
        .await;
    let other = app.sign_in_other("ada@example.org", "correct horse").await;
    assert_eq!(
        other
            .get(format!("{}/+account", app.address))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );

    let wrong = app.change_password("not it at all", "new password!").await;
    assert_eq!(wrong.status, 400);
    assert_eq!(
        wrong.error().as_deref(),
        Some("The current password is not correct.")
    );

    let done = app.change_password("correct horse", "new password!").await;
    assert_eq!(done.status, 303);
    assert_eq!(
        done.location.as_deref(),
        Some("/+account/security?done=password-changed")
    );
    assert!(
        app.page("/+account/security?done=password-changed")
            .await
            .contains("Your password has been changed.")
    );
    assert!(app.signed_in().await, "this session continues");
    assert_eq!(
        other
            .get(format!("{}/+account", app.address))
            .send()
            .await
            .unwrap()
            .status(),
        303,
        "the other ended"
    );

    app.client
        .post(format!("{}/+logout", app.address))
        .send()
        .await
        .unwrap();
    let csrf = app.csrf_from("/+account").await;
    app.post_form("/+logout", &[("csrf_token", &csrf)]).await;
    assert_eq!(
        app.post_login("ada@example.org", "correct horse", "login")
            .await
            .status,
        200
    );
    assert_eq!(
        app.post_login("ada@example.org", "new password!", "login")
            .await
            .status,
        303
    );
}

#[tokio::test]
async fn logout_ends_the_session_and_needs_the_csrf_token() {
    let app = spawn_app().await;
    app.active_person("ada@example.org", "correct horse").await;
    app.post_login("ada@example.org", "correct horse", "login")
        .await;
    let forged = app.post_form("/+logout", &[("csrf_token", "forged")]).await;
    assert_eq!(forged.status, 403);
    assert!(app.signed_in().await);
    let csrf = app.csrf_from("/+account").await;
    let out = app.post_form("/+logout", &[("csrf_token", &csrf)]).await;
    assert_eq!(out.status, 303);
    assert_eq!(out.location.as_deref(), Some("/+login"));
    assert!(!app.signed_in().await);
}

#[tokio::test]
async fn repeated_failures_lock_the_address_out_with_a_growing_wait() {
    let app = spawn_app().await;
    app.active_person("ada@example.org", "correct horse").await;
    for _ in 0..10 {
        let answer = app
            .post_login("ada@example.org", "wrong guess", "login")
            .await;
        assert_eq!(answer.status, 200);
    }
    // Locked: even the right password is refused, without a password check.
    let locked = app
        .post_login("ada@example.org", "correct horse", "login")
        .await;
    assert_eq!(locked.status, 429);
    assert_eq!(
        locked.error().as_deref(),
        Some("Too many failed attempts. Please try again in 1 minute.")
    );
    app.clock.advance(61);
    // One more failure after the lock doubles the wait.
    app.post_login("ada@example.org", "wrong guess", "login")
        .await;
    let locked = app
        .post_login("ada@example.org", "correct horse", "login")
        .await;
    assert_eq!(locked.status, 429);
    assert_eq!(
        locked.error().as_deref(),
        Some("Too many failed attempts. Please try again in 2 minutes.")
    );
    app.clock.advance(121);
    assert_eq!(
        app.post_login("ada@example.org", "correct horse", "login")
            .await
            .status,
        303
    );
    // Success forgets the address's failures.
    let counters: i64 = app
        .count("SELECT COUNT(*) AS n FROM throttle WHERE key = 'account:ada@example.org'")
        .await;
    assert_eq!(counters, 0);
}

#[tokio::test]
async fn throttling_can_be_turned_off() {
    let app = spawn_app_with(|s| s.throttle.enabled = false).await;
    app.active_person("ada@example.org", "correct horse").await;
    for _ in 0..12 {
        app.post_login("ada@example.org", "wrong guess", "login")
            .await;
    }
    assert_eq!(
        app.post_login("ada@example.org", "correct horse", "login")
            .await
            .status,
        303
    );
}

#[tokio::test]
async fn an_oversized_login_body_is_refused_and_huge_passwords_are_not_hashed() {
    let app = spawn_app().await;
    let csrf = app.csrf_from("/+login").await;
    let big = "x".repeat(64 * 1024);
    let answer = app
        .post_form(
            "/+login",
            &[
                ("email", "ada@example.org"),
                ("password", &big),
                ("action", "login"),
                ("csrf_token", &csrf),
            ],
        )
        .await;
    assert_eq!(answer.status, 413);
    let long = "y".repeat(1025);
    let answer = app
        .post_form(
            "/+login",
            &[
                ("email", "ada@example.org"),
                ("password", &long),
                ("action", "login"),
                ("csrf_token", &csrf),
            ],
        )
        .await;
    assert_eq!(
        answer.error().as_deref(),
        Some("Incorrect password for the provided email address.")
    );
}

#[tokio::test]
async fn a_json_body_on_the_login_form_is_a_client_error() {
    let app = spawn_app().await;
    let res = app
        .client
        .post(format!("{}/+login", app.address))
        .json(&serde_json::json!({"email": "a@b.org", "action": "login"}))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_client_error(), "{}", res.status());
}

#[tokio::test]
async fn failures_from_one_client_lock_it_out_whatever_the_address() {
    let app = spawn_app_with(|s| s.throttle.ip_failures = 5).await;
    app.active_person("ada@example.org", "correct horse").await;
    for n in 0..5 {
        app.post_login(&format!("guess{n}@example.org"), "wrong guess", "login")
            .await;
    }
    let locked = app
        .post_login("ada@example.org", "correct horse", "login")
        .await;
    assert_eq!(locked.status, 429, "the client address is locked");
}

#[tokio::test]
async fn recovery_links_are_limited_to_three_mails_an_hour_with_the_same_answer() {
    let app = spawn_app().await;
    app.active_person("ada@example.org", "correct horse").await;
    for _ in 0..6 {
        let answer = app.post_login("ada@example.org", "", "resetpassword").await;
        assert_eq!(answer.status, 200, "the same neutral answer every time");
        assert!(answer.body.contains("ada@example.org"));
    }
    let tokens: i64 = app.count("SELECT COUNT(*) AS n FROM login_tokens").await;
    assert_eq!(tokens, 3, "three links an hour at the most");
    app.clock.advance(3601);
    app.post_login("ada@example.org", "", "resetpassword").await;
    let tokens: i64 = app.count("SELECT COUNT(*) AS n FROM login_tokens").await;
    assert_eq!(tokens, 4, "a new hour, a new link");
}

/// The sessions listed on the sessions page: (label, this browser?, the entry's text).
pub fn sessions_in(page: &str) -> Vec<(String, bool, String)> {
    page.split("<li class=\"session")
        .skip(1)
        .map(|rest| {
            let entry = rest.split("</li>").next().unwrap();
            let label = entry
                .split("name=\"label\" value=\"")
                .nth(1)
                .and_then(|v| v.split('"').next())
                .unwrap_or("")
                .to_owned();
            (label, entry.starts_with(" current"), entry.to_owned())
        })
        .collect()
}

#[tokio::test]
async fn deactivating_the_account_needs_the_password_and_ends_every_session() {
    let app = spawn_app().await;
    app.active_person("ada@example.org", "correct horse").await;
    app.post_login("ada@example.org", "correct horse", "login")
        .await;
    let other = app.sign_in_other("ada@example.org", "correct horse").await;
    let csrf = app.csrf_from("/+account").await;

    let forged = app
        .post_form(
            "/+account/deactivate",
            &[("password", "correct horse"), ("csrf_token", "forged")],
        )
        .await;
    assert_eq!(forged.status, 403);
    let wrong = app
        .post_form(
            "/+account/deactivate",
            &[("password", "not it"), ("csrf_token", &csrf)],
        )
        .await;
    assert_eq!(wrong.status, 400);
    assert_eq!(
        wrong.error().as_deref(),
        Some("The current password is not correct.")
    );
    assert_eq!(
        app.person("ada@example.org").await.unwrap().status,
        latchkey::domain::PersonStatus::Active,
        "nothing changed"
    );

    let done = app
        .post_form(
            "/+account/deactivate",
            &[("password", "correct horse"), ("csrf_token", &csrf)],
        )
        .await;
    assert_eq!(done.status, 200);
    assert!(
        done.body.contains("Your account is deactivated"),
        "{}",
        done.body
    );
    assert_eq!(
        app.person("ada@example.org").await.unwrap().status,
        latchkey::domain::PersonStatus::Deactivated
    );
    assert!(!app.signed_in().await, "this browser is signed out");
    assert_eq!(
        app.status_as(&other, "/+account").await,
        303,
        "and the other"
    );
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM sessions").await, 0);
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM audit_events WHERE code = 'PersonDeactivated'")
            .await,
        1
    );
    let login = app
        .post_login("ada@example.org", "correct horse", "login")
        .await;
    assert_eq!(
        login.error().as_deref(),
        Some(
            "This account has been deactivated. Use \"I have forgotten my password\" to reactivate it."
        )
    );
}
