//! The login form's `createaccount` rows (SPEC §2): an emailed link that registers and signs in,
//! and the refusals for registered and team addresses.

use latchkey::domain::PersonStatus;

use crate::helpers::spawn_app;
use crate::login::{already_registered, state, team_message};

#[tokio::test]
async fn createaccount_for_a_registered_address_says_already_registered() {
    let app = spawn_app().await;
    app.active_person("ada@example.org", "correct horse").await;
    let before = state(&app).await;
    let answer = app.post_login("ada@example.org", "", "createaccount").await;
    assert_eq!(answer.error(), Some(already_registered("ada@example.org")));
    assert_eq!(state(&app).await, before);
}

#[tokio::test]
async fn createaccount_and_resetpassword_for_a_team_address_are_refused_as_a_team() {
    let app = spawn_app().await;
    app.team("admins", "admins@example.org").await;
    let before = state(&app).await;
    for action in ["createaccount", "resetpassword"] {
        let answer = app.post_login("admins@example.org", "", action).await;
        assert_eq!(
            answer.error(),
            Some(team_message("admins@example.org")),
            "{action}"
        );
    }
    assert_eq!(state(&app).await, before);
}

#[tokio::test]
async fn createaccount_for_an_unknown_address_emails_a_link_that_registers_and_signs_in() {
    let app = spawn_app().await;
    let answer = app.post_login("new@example.org", "", "createaccount").await;
    assert_eq!(answer.status, 200);
    assert!(answer.error().is_none());
    assert!(
        answer
            .body
            .contains("We have sent a message to new@example.org.")
    );
    let mail = app.smtp.wait_for(1).await;
    assert_eq!(mail.rcpt_to, vec!["new@example.org"]);
    let link = mail.link();
    assert!(
        link.starts_with(&format!("{}/token/lk_new_", app.address)),
        "{link}"
    );
    assert!(link.ends_with("/+newaccount"));

    let csrf = app.csrf_from(&link).await;
    let answer = app
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
    assert_eq!(answer.status, 303, "{}", answer.body);
    assert_eq!(answer.location.as_deref(), Some("/+account"));
    assert!(app.signed_in().await);
    let person = app.person("new@example.org").await.unwrap();
    assert_eq!(person.status, PersonStatus::Active);
    assert_eq!(person.display_name.as_str(), "New Person");
}

#[tokio::test]
async fn createaccount_for_a_placeholder_keeps_its_id() {
    let app = spawn_app().await;
    let placeholder = app.placeholder("andrelop@debian.org").await;
    let answer = app
        .register("andrelop@debian.org", "Andre", "a new password")
        .await;
    assert_eq!(answer.status, 303);
    let person = app.person("andrelop@debian.org").await.unwrap();
    assert_eq!(
        person.id, placeholder.id,
        "the placeholder's id and history are kept"
    );
    assert_eq!(person.status, PersonStatus::Active);
    let emails = latchkey::db::emails::list_emails(app.db.pool(), &person.id)
        .await
        .unwrap();
    assert_eq!(emails[0].status, latchkey::domain::EmailStatus::Preferred);
}
