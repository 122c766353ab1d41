//! The login form's `resetpassword` rows (SPEC §2): an emailed link that sets a new password,
//! uses up every other recovery link and ends other sessions, and the refusals.

use latchkey::domain::{PersonStatus, StatusChange};

use crate::helpers::spawn_app;
use crate::login::{NOT_FOUND, SUSPENDED, recover, state};

#[tokio::test]
async fn resetpassword_for_an_unknown_address_says_not_found() {
    let app = spawn_app().await;
    let before = state(&app).await;
    let answer = app
        .post_login("nobody@debian.org", "", "resetpassword")
        .await;
    assert_eq!(answer.error().as_deref(), Some(NOT_FOUND));
    assert_eq!(state(&app).await, before);
}

#[tokio::test]
async fn resetpassword_for_a_suspended_person_says_suspended() {
    let app = spawn_app().await;
    app.closed_person("s@example.org", StatusChange::Suspend)
        .await;
    let before = state(&app).await;
    let answer = app.post_login("s@example.org", "", "resetpassword").await;
    assert_eq!(answer.error().as_deref(), Some(SUSPENDED));
    assert_eq!(state(&app).await, before);
}

#[tokio::test]
async fn resetpassword_works_for_active_deactivated_and_placeholder_people() {
    let app = spawn_app().await;
    app.active_person("a@example.org", "old password").await;
    app.closed_person("d@example.org", StatusChange::Deactivate)
        .await;
    let placeholder = app.placeholder("p@example.org").await;
    // The first message tells d@ that the account was deactivated; the links follow.
    app.smtp.wait_for(1).await;
    for (n, email) in ["a@example.org", "d@example.org", "p@example.org"]
        .into_iter()
        .enumerate()
    {
        let answer = recover(&app, email, "brand new password", n + 2).await;
        assert_eq!(answer.status, 303, "{email}: {}", answer.body);
        assert_eq!(answer.location.as_deref(), Some("/+account"));
        assert!(app.signed_in().await, "{email}");
        let person = app.person(email).await.unwrap();
        assert_eq!(person.status, PersonStatus::Active, "{email}");
        app.client
            .post(format!("{}/+logout", app.address))
            .send()
            .await
            .unwrap();
        let login = app.post_login(email, "brand new password", "login").await;
        assert_eq!(login.status, 303, "{email} logs in with the new password");
    }
    assert_eq!(
        app.person("p@example.org").await.unwrap().id,
        placeholder.id
    );
}

#[tokio::test]
async fn a_recovery_uses_up_every_other_recovery_link_and_ends_other_sessions() {
    let app = spawn_app().await;
    app.active_person("a@example.org", "old password").await;
    // Another browser is signed in with the old password.
    let other = app.sign_in_other("a@example.org", "old password").await;
    assert_eq!(
        other
            .get(format!("{}/+account", app.address))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );

    // Two recovery links; the second is used.
    app.post_login("a@example.org", "", "resetpassword").await;
    let first_link = app.smtp.wait_for(1).await.link();
    let answer = recover(&app, "a@example.org", "brand new password", 2).await;
    assert_eq!(answer.status, 303);

    let res = app.client.get(&first_link).send().await.unwrap();
    assert_eq!(res.status(), 410, "the other link was used up");
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("This link can no longer be used")
    );
    let res = other
        .get(format!("{}/+account", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303, "the other browser was signed out");
    assert!(app.signed_in().await, "this browser stays signed in");
}

#[tokio::test]
async fn a_used_or_expired_link_shows_a_friendly_page() {
    let app = spawn_app().await;
    app.post_login("new@example.org", "", "createaccount").await;
    let link = app.smtp.wait_for(1).await.link();
    app.clock.advance(24 * 3600);
    let res = app.client.get(&link).send().await.unwrap();
    assert_eq!(res.status(), 410);
    let html = res.text().await.unwrap();
    assert!(html.contains("The link has expired or has already been used."));
    assert!(html.contains("href=\"/+login\""), "it offers a new link");
    assert!(app.person("new@example.org").await.is_none());
}
