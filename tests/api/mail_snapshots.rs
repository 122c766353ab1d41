//! Every message Latchkey sends (`templates/email/*`), as the test SMTP listener receives it
//! through the real path (request, outbox, worker, SMTP), compared with a recorded snapshot:
//! the recipient, sender, subject, and both bodies. What varies from run to run is replaced:
//! the server's address by `[latchkey]`, the secret part of each token by `[token]`.

use latchkey::domain::{EmailAddress, StatusChange};
use latchkey::i18n::Lang;
use latchkey::service::Origin;

use crate::api_keys::{create_key, signed_in_ada};
use crate::helpers::{TestApp, spawn_app, spawn_app_with};
use crate::oidc_helpers::{code, redeem, registered};
use crate::smtp::RawEmail;

/// The `nth` message (from 1), once it has arrived, with what varies replaced.
pub(crate) async fn received(app: &TestApp, nth: usize) -> String {
    recorded(app, &app.smtp.wait_for(nth).await)
}

/// A message as its snapshot records it, with what varies replaced.
pub(crate) fn recorded(app: &TestApp, mail: &RawEmail) -> String {
    let header = |name: &str| mail.header(name).unwrap_or_default();
    let part = |kind: &str| mail.part(kind).unwrap_or_default();
    format!(
        "To: {}\nFrom: {}\nSubject: {}\n\n--- text/plain\n{}\n--- text/html\n{}\n",
        header("To"),
        header("From"),
        header("Subject"),
        part("text/plain").trim_end(),
        part("text/html").trim_end(),
    )
    .replace("\r\n", "\n")
    .replace(&app.address, "[latchkey]")
}

/// Compares a message with its snapshot, tokens' secrets redacted.
pub(crate) fn assert_mail_snapshot(name: &str, mail: String) {
    insta::with_settings!({
        filters => vec![(r"\blk_([a-z]+)_[A-Za-z0-9_-]+", "lk_${1}_[token]")],
    }, {
        insta::assert_snapshot!(name, mail);
    });
}

#[tokio::test]
async fn the_new_account_message_is_as_recorded() {
    let app = spawn_app().await;
    app.post_login("newbie@example.org", "", "createaccount")
        .await;
    assert_mail_snapshot("new_account", received(&app, 1).await);
}

#[tokio::test]
async fn the_password_recovery_message_is_as_recorded() {
    let app = spawn_app().await;
    app.active_person("ada@example.org", "correct horse").await;
    app.post_login("ada@example.org", "", "resetpassword").await;
    assert_mail_snapshot("password_recovery", received(&app, 1).await);
}

#[tokio::test]
async fn the_privacy_mode_messages_are_as_recorded() {
    let app = spawn_app_with(|s| s.login.hide_account_existence = true).await;
    app.active_person("ada@example.org", "correct horse").await;
    app.post_login("ada@example.org", "", "createaccount").await;
    assert_mail_snapshot("already_registered", received(&app, 1).await);
    app.post_login("nobody@example.org", "", "resetpassword")
        .await;
    assert_mail_snapshot("no_account", received(&app, 2).await);
}

#[tokio::test]
async fn the_api_key_and_revocation_messages_are_as_recorded() {
    let app = spawn_app().await;
    signed_in_ada(&app).await;
    let rp = registered(&app, false).await;
    let code = code(&app, &rp, "openid offline_access").await;
    assert_eq!(redeem(&app, &rp, &code).await.0, 200);
    create_key(&app, "laptop script").await;
    assert_mail_snapshot("api_key_created", received(&app, 1).await);
    latchkey::service::people::change_status(
        &app.ctx,
        &EmailAddress::parse("ada@example.org").unwrap(),
        StatusChange::Suspend,
        &Origin::cli(),
        Lang::default_lang(),
    )
    .await
    .unwrap();
    assert_mail_snapshot("credentials_revoked", received(&app, 2).await);
}
