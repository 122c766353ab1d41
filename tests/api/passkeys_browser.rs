//! The passkey script in headless Chromium with WebDriver's virtual authenticator (CTAP2,
//! internal transport, resident keys, user verification): a person adds a passkey on the
//! security page, signs in with it alone (the address field's autofill), uses it as the second
//! step after a password, and signs in with the passkey button, with nothing in the console.
//! The virtual authenticator answers an autofill request at once, so the steps that must not
//! sign in by autofill switch its user verification off meanwhile.

use fantoccini::wd::WebDriverCompatibleCommand;
use serde_json::json;

use crate::browser::{
    assert_console_clean, click, save_screenshot, start_browser, text_of, type_into,
};
use crate::helpers::spawn_app_on_localhost;
use crate::passkeys_helpers::{EMAIL, PASSWORD};

/// `POST /session/{id}/webauthn/authenticator`: a platform authenticator that verifies its user.
#[derive(Debug)]
struct AddVirtualAuthenticator;

impl WebDriverCompatibleCommand for AddVirtualAuthenticator {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/webauthn/authenticator",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let options = json!({
            "protocol": "ctap2",
            "transport": "internal",
            "hasResidentKey": true,
            "hasUserVerification": true,
            "isUserConsenting": true,
            "isUserVerified": true,
        });
        (http::Method::POST, Some(options.to_string()))
    }
}

/// `POST /session/{id}/webauthn/authenticator/{authenticatorId}/uv`: whether the virtual
/// authenticator's user verification succeeds.
#[derive(Debug)]
struct SetUserVerified(String, bool);

impl WebDriverCompatibleCommand for SetUserVerified {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/webauthn/authenticator/{}/uv",
            session_id.unwrap_or_default(),
            self.0
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = json!({ "isUserVerified": self.1 });
        (http::Method::POST, Some(body.to_string()))
    }
}

/// Waits until the browser is at `path` (with its query, when it has one) of the site.
async fn wait_for_path(client: &fantoccini::Client, path: &str) {
    for _ in 0..300 {
        let url = client.current_url().await.unwrap();
        let at = match url.query() {
            Some(query) if path.contains('?') => format!("{}?{query}", url.path()),
            _ => url.path().to_owned(),
        };
        if at == path {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the browser did not reach {path}");
}

#[tokio::test]
async fn the_passkey_script_registers_signs_in_and_completes_a_second_step_in_chromium() {
    let Some(browser) = start_browser().await else {
        return;
    };
    let app = spawn_app_on_localhost(|_| {}).await;
    app.active_person(EMAIL, PASSWORD).await;
    let b = &browser.client;
    let added = b.issue_cmd(AddVirtualAuthenticator).await.unwrap();
    let authenticator = added.as_str().expect("an authenticator id").to_owned();
    let site = app.origin();

    b.goto(&format!("{site}/+login")).await.unwrap();
    type_into(b, "#email", EMAIL).await;
    type_into(b, "#password", PASSWORD).await;
    click(b, "button[value=login]").await;
    wait_for_path(b, "/+account").await;
    b.goto(&format!("{site}/+account/security")).await.unwrap();
    type_into(b, "#passkey-name", "Laptop").await;
    click(b, "#passkey-add").await;
    wait_for_path(b, "/+account/security?done=passkey-added").await;
    assert_eq!(text_of(b, "td.name").await, "Laptop");
    assert_console_clean(b, "adding a passkey").await;
    save_screenshot(b, "passkeys-security.png").await;

    b.delete_all_cookies().await.unwrap();
    b.goto(&format!("{site}/+login")).await.unwrap();
    // The virtual authenticator answers the address field's autofill request at once.
    wait_for_path(b, "/+account").await;
    assert_console_clean(b, "signing in with a passkey by autofill").await;

    // Without user verification the autofill request cannot sign in, and the password can.
    b.delete_all_cookies().await.unwrap();
    b.issue_cmd(SetUserVerified(authenticator.clone(), false))
        .await
        .unwrap();
    b.goto(&format!("{site}/+login")).await.unwrap();
    type_into(b, "#email", EMAIL).await;
    type_into(b, "#password", PASSWORD).await;
    click(b, "button[value=login]").await;
    wait_for_path(b, "/+login/second-step").await;
    let uv = |on| SetUserVerified(authenticator.clone(), on);
    b.issue_cmd(uv(true)).await.unwrap();
    click(b, "#passkey-second-step").await;
    wait_for_path(b, "/+account").await;
    assert_console_clean(b, "the second step with a passkey").await;
    let amrs = app.stored_amrs(EMAIL).await;
    assert!(amrs.contains(&"pwd hwk user mfa".to_owned()), "{amrs:?}");

    // The button, once the autofill request has ended without a choice.
    b.delete_all_cookies().await.unwrap();
    b.issue_cmd(uv(false)).await.unwrap();
    b.goto(&format!("{site}/+login")).await.unwrap();
    type_into(b, "#email", "").await;
    save_screenshot(b, "passkeys-login.png").await;
    b.issue_cmd(uv(true)).await.unwrap();
    click(b, "#passkey-sign-in").await;
    wait_for_path(b, "/+account").await;
    assert_console_clean(b, "signing in with the passkey button").await;
    browser.close().await;
}
