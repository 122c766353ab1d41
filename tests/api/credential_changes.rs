//! What survives a change of credentials: after a password recovery, a password change, a
//! suspension or a deactivation followed by recovery, the OIDC tokens the old password gave
//! stop working, and so do the API keys (on a password change only when the person asks); the
//! person is told by email what was revoked.

use latchkey::domain::{EmailAddress, StatusChange};
use latchkey::i18n::Lang;
use latchkey::service::Origin;

use crate::api_keys::{create_key, signed_in_ada, whoami_with};
use crate::helpers::{TestApp, spawn_app};
use crate::login_helpers::csrf_in;
use crate::oidc_helpers::{Rp, code, redeem, refresh, registered, userinfo_status};

/// What the old password gave: a refresh token, an access token and an API key.
struct Held {
    rp: Rp,
    access: String,
    refresh: String,
    key: String,
}

/// Ada signs in, a trusted wiki gets tokens for her, and she makes an API key.
async fn ada_holding_tokens_and_a_key(app: &TestApp) -> Held {
    signed_in_ada(app).await;
    let rp = registered(app, false).await;
    let code = code(app, &rp, "openid profile offline_access").await;
    let (_, tokens) = redeem(app, &rp, &code).await;
    let key = create_key(app, "laptop script").await;
    Held {
        rp,
        access: tokens["access_token"].as_str().unwrap().to_owned(),
        refresh: tokens["refresh_token"].as_str().unwrap().to_owned(),
        key,
    }
}

/// Whether each thing still works: (refresh, access token at /userinfo, API key).
async fn still_working(app: &TestApp, held: &Held) -> (bool, bool, bool) {
    let (refresh, _) = refresh(app, &held.rp, &held.refresh, None).await;
    let userinfo = userinfo_status(app, &held.access).await;
    let (key, _) = whoami_with(app, "X-BUGZILLA-API-KEY", &held.key).await;
    (refresh == 200, userinfo == 200, key == 200)
}

/// The text of the `nth` mail (from 1) that lists what was revoked, once it has arrived.
async fn revocation_mail(app: &TestApp, nth: usize) -> String {
    for _ in 0..200 {
        let listing: Vec<String> = app
            .smtp
            .messages()
            .iter()
            .filter(|m| {
                m.header("Subject")
                    .is_some_and(|s| s.contains("old Latchkey credentials"))
            })
            .map(|m| m.part("text/plain").unwrap())
            .collect();
        if let Some(body) = listing.get(nth - 1) {
            return body.clone();
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("no mail number {nth} lists what was revoked");
}

/// The recovery links mailed so far, in order.
fn recovery_links(app: &TestApp) -> Vec<String> {
    app.smtp
        .messages()
        .iter()
        .map(crate::smtp::RawEmail::link)
        .filter(|l| l.contains("/+resetpassword"))
        .collect()
}

/// Recovers Ada's password through the emailed link.
async fn recover(app: &TestApp, new_password: &str) {
    let earlier = recovery_links(app).len();
    app.post_login("ada@example.org", "", "resetpassword").await;
    let mut link = None;
    for _ in 0..200 {
        link = recovery_links(app).get(earlier).cloned();
        if link.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let link = link.expect("a recovery link arrives");
    let path = link.strip_prefix(&app.address).unwrap().to_owned();
    let form = app.page(&path).await;
    let answer = app
        .post_form(
            &path,
            &[
                ("password", new_password),
                ("password_again", new_password),
                ("csrf_token", &csrf_in(&form)),
            ],
        )
        .await;
    assert_eq!(answer.status, 303, "{}", answer.body);
}

#[tokio::test]
async fn a_password_recovery_ends_every_token_and_key_the_old_password_gave() {
    let app = spawn_app().await;
    let held = ada_holding_tokens_and_a_key(&app).await;
    assert_eq!(still_working(&app, &held).await, (true, true, true));
    recover(&app, "a brand new password").await;

    assert_eq!(still_working(&app, &held).await, (false, false, false));
    let body = revocation_mail(&app, 1).await;
    assert!(body.contains("Wiki"), "{body}");
    assert!(body.contains("laptop script"), "{body}");
}

#[tokio::test]
async fn a_password_change_ends_every_token_and_the_keys_only_when_asked() {
    let app = spawn_app().await;
    let held = ada_holding_tokens_and_a_key(&app).await;
    let page = app.page("/+account/security").await;
    assert!(
        page.contains(
            "every application you signed in to with Latchkey will ask you to sign in again"
        ),
        "the page says so before the person confirms"
    );
    assert!(page.contains("Also revoke my API keys"));

    let answer = app
        .change_password("correct horse", "a second password")
        .await;
    assert_eq!(answer.status, 303);
    assert_eq!(
        still_working(&app, &held).await,
        (false, false, true),
        "tokens end, the key was left"
    );
    let body = revocation_mail(&app, 1).await;
    assert!(
        body.contains("Wiki") && !body.contains("laptop script"),
        "{body}"
    );

    let key = create_key(&app, "second key").await;
    let csrf = app.csrf_from("/+account").await;
    let answer = app
        .post_form(
            "/+account/password",
            &[
                ("current_password", "a second password"),
                ("password", "a third password"),
                ("password_again", "a third password"),
                ("revoke_api_keys", "yes"),
                ("csrf_token", &csrf),
            ],
        )
        .await;
    assert_eq!(answer.status, 303);
    let (status, _) = whoami_with(&app, "X-BUGZILLA-API-KEY", &key).await;
    assert_eq!(status, 401, "asked for: the keys end too");
}

#[tokio::test]
async fn suspension_and_deactivation_then_recovery_end_every_token_and_key() {
    for change in [StatusChange::Suspend, StatusChange::Deactivate] {
        let app = spawn_app().await;
        let held = ada_holding_tokens_and_a_key(&app).await;
        latchkey::service::people::change_status(
            &app.ctx,
            &EmailAddress::parse("ada@example.org").unwrap(),
            change,
            &Origin::cli(),
            Lang::default_lang(),
        )
        .await
        .unwrap();
        assert_eq!(
            still_working(&app, &held).await,
            (false, false, false),
            "{change:?}"
        );
        let body = revocation_mail(&app, 1).await;
        assert!(
            body.contains("Wiki") && body.contains("laptop script"),
            "{body}"
        );
        if change == StatusChange::Deactivate {
            // Reopened by recovery: nothing the old password gave comes back.
            recover(&app, "a reopened password").await;
            assert_eq!(still_working(&app, &held).await, (false, false, false));
        }
    }
}

#[tokio::test]
async fn withdrawing_consent_on_the_account_page_ends_the_applications_tokens() {
    let app = spawn_app().await;
    let held = ada_holding_tokens_and_a_key(&app).await;
    let csrf = app.csrf_from("/+account").await;
    let answer = app
        .post_form(
            "/+account/apps/revoke",
            &[("client_id", &held.rp.id), ("csrf_token", &csrf)],
        )
        .await;
    assert_eq!(answer.status, 303, "{}", answer.body);
    assert_eq!(
        still_working(&app, &held).await,
        (false, false, true),
        "the application's tokens end; the person's own key stays"
    );
}
