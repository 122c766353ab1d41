//! An authenticator app in headless Chromium: a person enrols one on the security page (the QR
//! code's secret read back from the page's text, the code computed as a phone would), keeps a
//! recovery code, and then signs in to a relying party on another origin with the password and
//! an app code, and once more with a recovery code. Each ends on the relying party's page with
//! nothing in the console (the second-step form's redirects lead to another origin, which CSP
//! `form-action` must allow), and the ID token says `pwd otp mfa`. Runs on SQLite, like the
//! other browser flows.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use fantoccini::Client;
use latchkey::clock::Clock;
use latchkey::domain::factor_seal::TotpSecret;

use crate::browser::{
    assert_console_clean, click, element, save_screenshot, start_browser, text_of, type_into,
};
use crate::factor_helpers::code_for;
use crate::helpers::{TestApp, spawn_app};
use crate::relying_party::RelyingParty;

const EMAIL: &str = "ada@example.org";
const PASSWORD: &str = "correct horse";

/// On the login form: the address and password, then "Log in".
async fn log_in(c: &Client) {
    type_into(c, "#email", EMAIL).await;
    type_into(c, "#password", PASSWORD).await;
    click(c, "button[value=login]").await;
}

/// Logs out with the header menu's button.
async fn log_out(c: &Client, app: &TestApp) {
    c.goto(&format!("{}/+account", app.address)).await.unwrap();
    click(c, "details.me-menu summary").await;
    click(c, "details.me-menu form button[type=submit]").await;
    element(c, "#email").await;
}

/// The `amr` of the newest ID token the relying party received.
fn last_amr(rp: &RelyingParty) -> Vec<String> {
    let token = rp.id_tokens().pop().expect("an ID token");
    let payload = token.split('.').nth(1).unwrap();
    let claims: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
    claims["amr"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect()
}

/// Enrols an authenticator app on the security page; returns its secret and one recovery code.
async fn enrol(c: &Client, app: &TestApp) -> (Vec<u8>, String) {
    c.goto(&format!("{}/+login", app.address)).await.unwrap();
    log_in(c).await;
    element(c, "details.me-menu").await;
    c.goto(&format!("{}/+account/security", app.address))
        .await
        .unwrap();
    click(c, "#authenticator-begin button[type=submit]").await;
    let shown = text_of(c, "code.totp-secret").await;
    let text: String = shown.split_whitespace().collect();
    let secret = TotpSecret::from_base32(&text)
        .expect("the page shows the secret in base32")
        .expose()
        .to_vec();
    element(c, "img.qr").await;
    save_screenshot(c, "authenticator-enrol.png").await;
    assert_console_clean(c, "the enrolment form").await;
    type_into(c, "#totp-code", &code_for(&secret, app.clock.now())).await;
    type_into(c, "#totp-name", "Phone").await;
    click(c, "#authenticator-confirm button[type=submit]").await;
    let code = text_of(c, "code.recovery-code").await;
    assert_eq!(text_of(c, "dd.app-name").await, "Phone");
    save_screenshot(c, "authenticator-enrolled.png").await;
    assert_console_clean(c, "enrolling").await;
    (secret, code)
}

#[tokio::test]
async fn a_person_enrols_an_app_and_signs_in_to_a_relying_party_with_a_code_and_a_recovery_code() {
    if std::env::var("TEST_DATABASE_URL").is_ok_and(|v| !v.is_empty()) {
        eprintln!("skipped: the browser flows run once, on SQLite");
        return;
    }
    let Some(browser) = start_browser().await else {
        return;
    };
    let app = spawn_app().await;
    app.active_person(EMAIL, PASSWORD).await;
    let rp = RelyingParty::start(&app, "Code Wiki", true).await;
    let c = &browser.client;
    let (secret, recovery_code) = enrol(c, &app).await;

    // The password, then an app code (of the next step: the enrolment used this one's).
    log_out(c, &app).await;
    app.clock.advance(30);
    c.goto(&rp.authorize_url(&[])).await.unwrap();
    log_in(c).await;
    type_into(c, "#code", &code_for(&secret, app.clock.now())).await;
    save_screenshot(c, "authenticator-second-step.png").await;
    assert_console_clean(c, "the second-step page").await;
    click(c, "form:has(#code) button[type=submit]").await;
    element(c, "#name").await;
    let url = c.current_url().await.unwrap();
    assert!(
        rp.serves(&url),
        "the browser is on the relying party, not {url}"
    );
    assert_console_clean(c, "an app code on the way to the relying party").await;
    assert_eq!(last_amr(&rp), ["pwd", "otp", "mfa"]);

    // The password, then a recovery code.
    log_out(c, &app).await;
    c.goto(&rp.authorize_url(&[])).await.unwrap();
    log_in(c).await;
    click(c, "details.card summary").await;
    type_into(c, "#recovery-code", &recovery_code).await;
    click(c, "form:has(#recovery-code) button[type=submit]").await;
    element(c, "#name").await;
    assert_console_clean(c, "a recovery code on the way to the relying party").await;
    assert_eq!(rp.id_tokens().len(), 2);
    assert_eq!(last_amr(&rp), ["pwd", "otp", "mfa"]);
    browser.close().await;
}
