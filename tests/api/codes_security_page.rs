//! The security page's authenticator-app and recovery-code sections: enrolment with a QR code
//! confirmed by a current code, the recovery codes shown once, how many are left, new codes
//! voiding the old, removal only after the password again, and the secret sealed at rest.

use latchkey::clock::Clock;
use latchkey::domain::totp;

use crate::factor_helpers::{
    SECURITY, at_second_step, begin_enrolment, code_for, enrol_with_codes, get, post,
    recovery_codes_in, second_step, secret_in, signed_in_person, wrong_code,
};
use crate::helpers::{TestApp, spawn_app};
use crate::login_helpers::Answer;

const EMAIL: &str = "ada@example.org";
const PASSWORD: &str = "correct horse battery";
const CONFIRM: &str = "/+account/security/authenticator";

async fn count(app: &TestApp, sql: &'static str) -> i64 {
    app.count(sql).await
}

/// How many authenticator apps are stored.
async fn apps(app: &TestApp) -> i64 {
    count(app, "SELECT COUNT(*) AS n FROM authenticator_apps").await
}

/// Submits a form of the security page with the signed-in browser.
async fn submit(app: &TestApp, path: &str, fields: &[(&str, &str)]) -> Answer {
    post(app, &app.client, SECURITY, path, fields).await
}

/// Moves past `api_keys.reauth_minutes`, so the next sensitive change asks for the password.
fn wait_past_reauthentication(app: &TestApp) {
    let minutes = i64::try_from(app.ctx.api_keys.reauth_minutes).unwrap();
    app.clock.advance(minutes * 60 + 60);
}

#[tokio::test]
async fn enrolment_refuses_wrong_codes_and_the_right_code_enrols_and_shows_recovery_codes() {
    let app = spawn_app().await;
    signed_in_person(&app, EMAIL, PASSWORD).await;
    let page = begin_enrolment(&app, &app.client).await;
    assert!(
        page.contains("src=\"data:image/svg+xml;base64,"),
        "a QR code drawn here"
    );
    assert!(page.contains("otpauth://totp/"));
    let secret = secret_in(&page);
    assert_eq!(secret.len(), totp::SECRET_BYTES);
    let now = app.clock.now();
    for typed in [
        wrong_code(&secret, now),
        String::new(),
        "abcdef".into(),
        "1234567".into(),
    ] {
        let reply = submit(&app, CONFIRM, &[("code", &typed), ("name", "")]).await;
        assert_eq!(reply.status, 400, "{typed:?}");
        assert!(reply.error().is_some());
        assert!(
            reply.body.contains(&totp::base32(&secret)[..4]),
            "the enrolment stays open"
        );
    }
    let long_name = "n".repeat(61);
    let right = code_for(&secret, now);
    let reply = submit(&app, CONFIRM, &[("code", &right), ("name", &long_name)]).await;
    assert_eq!(reply.status, 400);
    assert_eq!(apps(&app).await, 0);

    let reply = submit(&app, CONFIRM, &[("code", &right), ("name", " Phone ")]).await;
    assert_eq!(reply.status, 200, "{:?}", reply.error());
    let codes = recovery_codes_in(&reply.body);
    assert_eq!(codes.len(), 10);
    for code in &codes {
        assert_eq!(code.len(), 11, "{code}");
        assert_eq!(code.as_bytes()[5], b'-');
    }
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) AS n FROM recovery_codes WHERE used_at IS NULL"
        )
        .await,
        10
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) AS n FROM audit_events WHERE code = 'FactorAdded'"
        )
        .await,
        1
    );

    let again = get(&app, &app.client, SECURITY).await.body;
    assert!(
        recovery_codes_in(&again).is_empty(),
        "the codes are shown once"
    );
    assert!(again.contains("<dd class=\"app-name\">Phone</dd>"));
    assert!(again.contains("10 unused recovery codes"));
    let stored = count(
        &app,
        "SELECT COUNT(*) AS n FROM recovery_codes WHERE code_hash LIKE '%-%'",
    )
    .await;
    assert_eq!(stored, 0, "only hashes are stored");
}

#[tokio::test]
async fn the_stored_secret_is_sealed_not_the_base32_secret() {
    let app = spawn_app().await;
    signed_in_person(&app, EMAIL, PASSWORD).await;
    let (secret, _) = enrol_with_codes(&app, &app.client).await;
    let row = sqlx::query("SELECT sealed_secret FROM authenticator_apps")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    let sealed: String = sqlx::Row::get(&row, "sealed_secret");
    assert!(sealed.starts_with("v1:"), "{sealed}");
    assert!(!sealed.contains(&totp::base32(&secret)));
    assert!(
        !sealed
            .to_lowercase()
            .contains(&totp::base32(&secret).to_lowercase())
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) AS n FROM site_secrets WHERE name = 'factor_key'"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn a_second_app_cannot_be_enrolled_over_the_first() {
    let app = spawn_app().await;
    signed_in_person(&app, EMAIL, PASSWORD).await;
    enrol_with_codes(&app, &app.client).await;
    let begun = submit(&app, "/+account/security/authenticator/begin", &[]).await;
    assert_eq!(begun.status, 303);
    let page = get(&app, &app.client, SECURITY).await.body;
    assert!(!page.contains("totp-secret"), "no second enrolment begins");
    let reply = submit(&app, CONFIRM, &[("code", "123456")]).await;
    assert_eq!(reply.status, 400);
    assert_eq!(apps(&app).await, 1);
}

#[tokio::test]
async fn used_recovery_codes_are_counted_on_the_security_page() {
    let app = spawn_app().await;
    signed_in_person(&app, EMAIL, PASSWORD).await;
    let (_, codes) = enrol_with_codes(&app, &app.client).await;
    for code in &codes[..2] {
        let browser = at_second_step(&app, EMAIL, PASSWORD).await;
        assert_eq!(
            second_step(&app, &browser, "recovery", code).await.status,
            303
        );
    }
    let page = get(&app, &app.client, SECURITY).await.body;
    assert!(page.contains("8 unused recovery codes"), "{page}");
}

#[tokio::test]
async fn making_new_codes_needs_the_password_again_and_voids_the_old_codes() {
    let app = spawn_app().await;
    signed_in_person(&app, EMAIL, PASSWORD).await;
    let (_, old) = enrol_with_codes(&app, &app.client).await;
    wait_past_reauthentication(&app);
    let renew = "/+account/security/recovery-codes";
    let reply = submit(&app, renew, &[]).await;
    assert_eq!(reply.status, 403);
    assert!(reply.error().is_some());
    let reply = submit(&app, renew, &[("password", "wrong password")]).await;
    assert_eq!(reply.status, 400);
    assert!(recovery_codes_in(&reply.body).is_empty());

    let reply = submit(&app, renew, &[("password", PASSWORD)]).await;
    assert_eq!(reply.status, 200, "{:?}", reply.error());
    let new = recovery_codes_in(&reply.body);
    assert_eq!(new.len(), 10);
    assert!(new.iter().all(|c| !old.contains(c)));
    assert!(recovery_codes_in(&get(&app, &app.client, SECURITY).await.body).is_empty());

    let browser = at_second_step(&app, EMAIL, PASSWORD).await;
    assert_eq!(
        second_step(&app, &browser, "recovery", &old[0])
            .await
            .status,
        400
    );
    assert_eq!(
        second_step(&app, &browser, "recovery", &new[0])
            .await
            .status,
        303
    );
}

#[tokio::test]
async fn removing_the_app_needs_the_password_again() {
    let app = spawn_app().await;
    signed_in_person(&app, EMAIL, PASSWORD).await;
    enrol_with_codes(&app, &app.client).await;
    wait_past_reauthentication(&app);
    let remove = "/+account/security/authenticator/remove";
    let page = get(&app, &app.client, SECURITY).await.body;
    assert!(page.contains("id=\"authenticator-remove-password\""));
    let reply = submit(&app, remove, &[]).await;
    assert_eq!(reply.status, 403);
    let reply = submit(&app, remove, &[("password", "wrong password")]).await;
    assert_eq!(reply.status, 400);
    assert_eq!(apps(&app).await, 1);
    // The refusal is shown in the app's section, and nowhere else.
    let section = crate::pages_account::card(&reply.body, "authenticator");
    assert!(section.contains("class=\"error\""), "{section}");
    assert_eq!(
        reply
            .body
            .matches("class=\"error\" role=\"alert\">")
            .count(),
        1
    );

    let reply = submit(&app, remove, &[("password", PASSWORD)]).await;
    assert_eq!(reply.status, 303, "{:?}", reply.error());
    assert_eq!(
        reply.location.as_deref(),
        Some("/+account/security?done=authenticator-removed")
    );
    assert_eq!(apps(&app).await, 0);
    assert_eq!(
        count(&app, "SELECT COUNT(*) AS n FROM recovery_codes").await,
        0
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) AS n FROM audit_events WHERE code = 'FactorRemoved'"
        )
        .await,
        1
    );
    let login = app.sign_in_other(EMAIL, PASSWORD).await;
    assert_eq!(
        app.status_as(&login, "/+account").await,
        200,
        "a password is enough again"
    );
}

#[tokio::test]
async fn every_form_of_the_sections_needs_its_csrf_token() {
    let app = spawn_app().await;
    signed_in_person(&app, EMAIL, PASSWORD).await;
    for path in [
        "/+account/security/authenticator/begin",
        CONFIRM,
        "/+account/security/authenticator/cancel",
        "/+account/security/authenticator/remove",
        "/+account/security/recovery-codes",
    ] {
        let res = app
            .client
            .post(format!("{}{path}", app.address))
            .form(&[("code", "123456")])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403, "{path}");
    }
    assert_eq!(apps(&app).await, 0);
}
