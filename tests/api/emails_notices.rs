//! Security notices: a password change and a deactivation are emailed, without secrets and with
//! what to do if it was not the person; every new message (the confirmation link, the address
//! added and removed, the password changed, the account deactivated) is as recorded, in English
//! and German.

use crate::api_keys::signed_in_ada;
use crate::helpers::{TestApp, spawn_app};
use crate::login_helpers::Answer;
use crate::mail_snapshots::{assert_mail_snapshot, recorded};
use crate::smtp::RawEmail;

/// Waits for `n` messages after the first `before`, and returns them.
async fn new_mails(app: &TestApp, before: usize, n: usize) -> Vec<RawEmail> {
    app.smtp.wait_for(before + n).await;
    app.smtp.messages()[before..].to_vec()
}

/// The one of `mails` sent to `to`.
fn to<'a>(mails: &'a [RawEmail], to: &str) -> &'a RawEmail {
    mails
        .iter()
        .find(|m| m.header("To").as_deref() == Some(to))
        .unwrap_or_else(|| panic!("no message to {to}"))
}

async fn deactivate(app: &TestApp, password: &str) -> Answer {
    let csrf = app.csrf_from("/+account").await;
    app.post_form(
        "/+account/deactivate",
        &[("password", password), ("csrf_token", &csrf)],
    )
    .await
}

#[tokio::test]
async fn a_password_change_is_emailed_without_the_password() {
    let app = spawn_app().await;
    signed_in_ada(&app).await;
    let done = app
        .change_password("correct horse", "a brand new one")
        .await;
    assert_eq!(done.status, 303);
    let mail = app
        .mail_to("ada@example.org", "Your Latchkey password was changed")
        .await;
    let text = mail.part("text/plain").unwrap();
    assert!(text.contains("If you did not change it"), "{text}");
    assert!(text.contains(&format!("{}/+login", app.address)), "{text}");
    assert!(!mail.data.contains("correct horse") && !mail.data.contains("a brand new one"));
}

#[tokio::test]
async fn a_deactivation_is_emailed_with_how_to_reopen_the_account() {
    let app = spawn_app().await;
    signed_in_ada(&app).await;
    let done = deactivate(&app, "correct horse").await;
    assert_eq!(done.status, 200);
    let mail = app
        .mail_to("ada@example.org", "Your Latchkey account was deactivated")
        .await;
    let text = mail.part("text/plain").unwrap();
    assert!(
        text.contains("reopen it with \"I have forgotten my password\""),
        "{text}"
    );
    assert!(!mail.data.contains("correct horse"));
}

#[tokio::test]
async fn the_address_and_security_notices_are_as_recorded_in_both_languages() {
    for lang in ["en", "de"] {
        let app = spawn_app().await;
        signed_in_ada(&app).await;
        app.page(&format!("/+account?lang={lang}")).await;

        assert_eq!(app.add_address("second@example.org").await.status, 303);
        let sent = new_mails(&app, 0, 1).await;
        let link = sent[0].link();
        assert_mail_snapshot(&format!("verify_address_{lang}"), recorded(&app, &sent[0]));

        assert_eq!(app.confirm_address(&link).await.status, 303);
        let added = new_mails(&app, 1, 2).await;
        let mail = to(&added, "ada@example.org");
        assert_mail_snapshot(&format!("address_added_{lang}"), recorded(&app, mail));
        to(&added, "second@example.org");

        assert_eq!(
            app.remove_address("second@example.org", "").await.status,
            303
        );
        let removed = new_mails(&app, 3, 2).await;
        let mail = to(&removed, "ada@example.org");
        assert_mail_snapshot(&format!("address_removed_{lang}"), recorded(&app, mail));
        to(&removed, "second@example.org");

        let changed = app
            .change_password("correct horse", "a brand new one")
            .await;
        assert_eq!(changed.status, 303);
        let mail = &new_mails(&app, 5, 1).await[0];
        assert_mail_snapshot(&format!("password_changed_{lang}"), recorded(&app, mail));

        assert_eq!(deactivate(&app, "a brand new one").await.status, 200);
        let mail = &new_mails(&app, 6, 1).await[0];
        assert_mail_snapshot(&format!("account_deactivated_{lang}"), recorded(&app, mail));
    }
}
