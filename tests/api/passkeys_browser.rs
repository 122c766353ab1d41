//! Passkeys in headless Chromium with WebDriver's virtual authenticator (CTAP2, internal
//! transport, resident keys, user verification; `virtual_authenticator.rs`): a person adds a
//! passkey on the security page (and sees the recovery codes that come with a first factor),
//! signs in with it alone (the address field's autofill, and the button), uses it as the second
//! step after a password, and signs in to a relying party on another origin whose ID token says
//! how (`amr`, `acr`), with nothing in the console. Latchkey is served as `http://localhost:PORT`
//! (WebAuthn refuses an IP address as relying-party id). Runs on SQLite, like the other browser
//! flows; the passkey rules themselves are tested on both backends in `passkeys*.rs`.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use fantoccini::Client;
use serde_json::Value;

use crate::browser::{
    Browser, assert_console_clean, click, element, save_screenshot, start_browser, text_of,
    type_into,
};
use crate::helpers::{TestApp, spawn_app_on_localhost};
use crate::passkeys_helpers::{EMAIL, PASSWORD};
use crate::relying_party::RelyingParty;
use crate::virtual_authenticator::VirtualAuthenticator;

/// A browser with a virtual authenticator, and Latchkey on `localhost` with one person.
async fn setup() -> Option<(Browser, TestApp, VirtualAuthenticator)> {
    if std::env::var("TEST_DATABASE_URL").is_ok_and(|v| !v.is_empty()) {
        eprintln!("skipped: the browser flows run once, on SQLite");
        return None;
    }
    let browser = start_browser().await?;
    let app = spawn_app_on_localhost(|_| {}).await;
    app.active_person(EMAIL, PASSWORD).await;
    let authenticator = VirtualAuthenticator::add(&browser.client).await;
    Some((browser, app, authenticator))
}

/// Waits until the browser is at `path` (with its query, when it has one) of the site.
async fn wait_for_path(client: &Client, path: &str) {
    for _ in 0..300 {
        if let Ok(url) = client.current_url().await {
            let at = match url.query() {
                Some(query) if path.contains('?') => format!("{}?{query}", url.path()),
                _ => url.path().to_owned(),
            };
            if at == path {
                return;
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let url = client.current_url().await.map(|u| u.to_string());
    panic!("the browser did not reach {path}; it is at {url:?}");
}

/// On the login form: the address and password, then "Log in".
async fn log_in_with_password(b: &Client) {
    type_into(b, "#email", EMAIL).await;
    type_into(b, "#password", PASSWORD).await;
    click(b, "button[value=login]").await;
}

/// Signs in with the password and adds a passkey named `name` on the security page; the first
/// passkey's recovery codes are shown once, and the person goes on to the list.
async fn add_passkey(b: &Client, app: &TestApp, authenticator: &VirtualAuthenticator, name: &str) {
    let site = app.origin();
    authenticator.set_user_verified(b, false).await;
    b.goto(&format!("{site}/+login")).await.unwrap();
    log_in_with_password(b).await;
    wait_for_path(b, "/+account").await;
    authenticator.set_user_verified(b, true).await;
    b.goto(&format!("{site}/+account/security")).await.unwrap();
    type_into(b, "#passkey-name", name).await;
    click(b, "#passkey-add").await;
    element(b, "#passkey-fresh-codes li code.recovery-code").await;
    let codes = text_of(b, "#passkey-fresh-codes ul").await;
    assert_eq!(codes.lines().count(), 10, "ten recovery codes: {codes}");
    save_screenshot(b, "passkeys-recovery-codes.png").await;
    assert_console_clean(b, "adding a passkey").await;
    click(b, "#passkey-fresh-continue").await;
    wait_for_path(b, "/+account/security?done=passkey-added").await;
    assert_eq!(text_of(b, "td.name").await, name);
    let credentials = authenticator.credentials(b).await;
    assert_eq!(credentials.len(), 1, "one credential: {credentials:?}");
    assert_eq!(credentials[0]["isResidentCredential"], true);
    assert_eq!(credentials[0]["rpId"], "localhost");
    save_screenshot(b, "passkeys-security.png").await;
}

/// The claims of a compact JWT (its signature was checked by the relying party).
fn claims(jwt: &str) -> Value {
    let payload = jwt.split('.').nth(1).expect("a JWT has a payload");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

fn amr(token: &Value) -> Vec<&str> {
    token["amr"]
        .as_array()
        .expect("the ID token carries amr")
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn the_passkey_script_registers_signs_in_and_completes_a_second_step_in_chromium() {
    let Some((browser, app, authenticator)) = setup().await else {
        return;
    };
    let b = &browser.client;
    let site = app.origin();
    add_passkey(b, &app, &authenticator, "Laptop").await;

    // Log out with the header's menu: the login page it ends on offers the passkey by
    // autofill, which the virtual authenticator answers at once.
    assert_eq!(app.stored_amrs(EMAIL).await, ["pwd"]);
    b.goto(&format!("{site}/+account")).await.unwrap();
    click(b, "details.me-menu summary").await;
    click(b, "details.me-menu form button[type=submit]").await;
    // The password's session ends; the one signed in next is the passkey's alone.
    let mut sessions = Vec::new();
    for _ in 0..300 {
        sessions = app.stored_amrs(EMAIL).await;
        if sessions == ["hwk user mfa"] {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(sessions, ["hwk user mfa"]);
    wait_for_path(b, "/+account").await;
    assert_console_clean(b, "signing in with a passkey by autofill").await;

    // Without user verification the autofill request cannot sign in, and the password can.
    b.delete_all_cookies().await.unwrap();
    authenticator.set_user_verified(b, false).await;
    b.goto(&format!("{site}/+login")).await.unwrap();
    log_in_with_password(b).await;
    wait_for_path(b, "/+login/second-step").await;
    save_screenshot(b, "passkeys-second-step.png").await;
    authenticator.set_user_verified(b, true).await;
    click(b, "#passkey-second-step").await;
    wait_for_path(b, "/+account").await;
    assert_console_clean(b, "the second step with a passkey").await;
    let amrs = app.stored_amrs(EMAIL).await;
    assert!(amrs.contains(&"pwd hwk user mfa".to_owned()), "{amrs:?}");

    // The button, once the autofill request has ended without a choice.
    b.delete_all_cookies().await.unwrap();
    authenticator.set_user_verified(b, false).await;
    b.goto(&format!("{site}/+login")).await.unwrap();
    type_into(b, "#email", "").await;
    save_screenshot(b, "passkeys-login.png").await;
    authenticator.set_user_verified(b, true).await;
    click(b, "#passkey-sign-in").await;
    wait_for_path(b, "/+account").await;
    assert_eq!(text_of(b, ".display-name").await, "Test Person");
    assert_console_clean(b, "signing in with the passkey button").await;
    browser.close().await;
}

#[tokio::test]
async fn a_relying_party_learns_that_a_person_signed_in_with_a_passkey() {
    let Some((browser, app, authenticator)) = setup().await else {
        return;
    };
    let b = &browser.client;
    add_passkey(b, &app, &authenticator, "Phone").await;
    let rp = RelyingParty::start(&app, "Passkey Wiki", true).await;
    // The relying party sends the browser to Latchkey by its name, where passkeys work.
    let authorize = rp.authorize_url(&[]).replace(&app.address, &app.origin());

    // The passkey alone, by the login page's autofill.
    b.delete_all_cookies().await.unwrap();
    b.goto(&authorize).await.unwrap();
    element(b, "#name").await;
    let url = b.current_url().await.unwrap();
    assert!(
        rp.serves(&url),
        "the browser is on the relying party, not {url}"
    );
    save_screenshot(b, "passkeys-relying-party.png").await;
    assert_console_clean(b, "a passkey sign-in at the relying party").await;
    let tokens = rp.id_tokens();
    assert_eq!(tokens.len(), 1);
    let token = claims(&tokens[0]);
    assert_eq!(amr(&token), ["hwk", "user", "mfa"]);
    assert_eq!(token["acr"], "urn:latchkey:acr:multi-factor");

    // The password, then the passkey as the second step.
    b.delete_all_cookies().await.unwrap();
    authenticator.set_user_verified(b, false).await;
    b.goto(&authorize).await.unwrap();
    log_in_with_password(b).await;
    wait_for_path(b, "/+login/second-step").await;
    authenticator.set_user_verified(b, true).await;
    click(b, "#passkey-second-step").await;
    element(b, "#name").await;
    assert_console_clean(b, "the second step on the way to the relying party").await;
    let tokens = rp.id_tokens();
    assert_eq!(tokens.len(), 2);
    let token = claims(&tokens[1]);
    assert_eq!(amr(&token), ["pwd", "hwk", "user", "mfa"]);
    assert_eq!(token["acr"], "urn:latchkey:acr:multi-factor");
    browser.close().await;
}
