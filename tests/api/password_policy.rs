//! The password policy on every form that sets a password and on the command line: at least 8
//! characters, not only whitespace, not one of the most common passwords (zxcvbn); the rules
//! are shown in the person's language; a refused password changes nothing and keeps the link.

use crate::helpers::{TestApp, fetch_text, spawn_app};
use crate::login_helpers::Answer;

const RULES_EN: &str = "Not only spaces, and not one of the most common passwords";
const RULES_DE: &str = "Nicht nur Leerzeichen und keines der häufigsten Passwörter";
const BLANK: &str = "The password must not be only spaces.";
const COMMON: &str = "This password is one of the most common ones, or close to one.";

/// A new-account or recovery link for `email`.
async fn link_for(app: &TestApp, email: &str, action: &str) -> String {
    let sent = app.smtp.messages().len();
    let answer = app.post_login(email, "", action).await;
    assert!(answer.error().is_none(), "{:?}", answer.error());
    app.smtp.wait_for(sent + 1).await.link()
}

async fn set_on_link(app: &TestApp, link: &str, password: &str) -> Answer {
    let csrf = app.csrf_from(link).await;
    app.post_form(
        link,
        &[
            ("display_name", "Newcomer"),
            ("password", password),
            ("password_again", password),
            ("csrf_token", &csrf),
        ],
    )
    .await
}

fn refused_with(answer: &Answer, message: &str, password: &str) {
    assert!(
        answer.error().is_some_and(|e| e.starts_with(message)),
        "{password:?}: {:?}",
        answer.error()
    );
}

#[tokio::test]
async fn registration_refuses_blank_and_common_passwords_and_keeps_the_link() {
    let app = spawn_app().await;
    let link = link_for(&app, "new@example.org", "createaccount").await;
    let before = app.row_counts().await;
    refused_with(
        &set_on_link(&app, &link, "            ").await,
        BLANK,
        "spaces",
    );
    for common in [
        "password1234",
        "P@ssw0rd",
        "qwertyuiop",
        "iloveyou1",
        "drowssap",
    ] {
        refused_with(&set_on_link(&app, &link, common).await, COMMON, common);
    }
    assert_eq!(app.row_counts().await, before, "nothing changed");
    let answer = set_on_link(&app, &link, "a good password").await;
    assert_eq!(
        answer.status,
        303,
        "the link still works: {:?}",
        answer.error()
    );
}

#[tokio::test]
async fn recovery_and_the_account_page_refuse_common_passwords() {
    let app = spawn_app().await;
    app.active_person("ada@example.org", "a good password")
        .await;
    let link = link_for(&app, "ada@example.org", "resetpassword").await;
    refused_with(
        &set_on_link(&app, &link, "password1").await,
        COMMON,
        "password1",
    );
    refused_with(
        &set_on_link(&app, &link, "          ").await,
        BLANK,
        "spaces",
    );
    let answer = set_on_link(&app, &link, "a newer password").await;
    assert_eq!(answer.status, 303, "{:?}", answer.error());

    for common in ["12345678", "sunshine1", "aaaaaaaaaaaa"] {
        let answer = app.change_password("a newer password", common).await;
        assert_eq!(answer.status, 400, "{common}");
        refused_with(&answer, COMMON, common);
    }
    let answer = app.change_password("a newer password", "        ").await;
    refused_with(&answer, BLANK, "spaces");
    let other = app
        .sign_in_other("ada@example.org", "a newer password")
        .await;
    assert_eq!(app.status_as(&other, "/+account").await, 200, "unchanged");
}

#[tokio::test]
async fn every_form_that_sets_a_password_shows_the_rules_in_english_and_german() {
    let app = spawn_app().await;
    let new_account = link_for(&app, "new@example.org", "createaccount").await;
    app.active_person("ada@example.org", "a good password")
        .await;
    let reset = link_for(&app, "ada@example.org", "resetpassword").await;
    let answer = app
        .post_login("ada@example.org", "a good password", "login")
        .await;
    assert_eq!(answer.status, 303);
    let account = format!("{}/+account/security", app.address);
    for page in [new_account, reset, account] {
        let english = fetch_text(&app.client, &format!("{page}?lang=en")).await;
        assert!(english.contains(RULES_EN), "{page}");
        assert!(
            english.contains("aria-describedby=\"password-rules\""),
            "{page}"
        );
        let german = fetch_text(&app.client, &format!("{page}?lang=de")).await;
        assert!(german.contains(RULES_DE), "{page}");
    }
}

#[tokio::test]
async fn the_command_line_refuses_blank_and_common_passwords() {
    let app = spawn_app().await;
    let before = app.row_counts().await;
    for (password, says) in [
        ("password1234\n", "too common"),
        ("          \n", "only spaces"),
    ] {
        let out = app
            .cli_with_stdin(
                &["person", "create", "c@example.org", "--name", "C"],
                password,
            )
            .await;
        assert!(out.fails_with(1).contains(says), "{password:?}");
    }
    assert_eq!(app.row_counts().await, before);
}
