//! The WebAuthn WebDriver extension (W3C WebAuthn §11): a virtual CTAP2 authenticator with an
//! internal transport, resident keys and user verification, added to a Chromium session so
//! that real pages can create and use passkeys without a person touching a device.

use fantoccini::Client;
use fantoccini::wd::WebDriverCompatibleCommand;
use serde_json::{Value, json};

/// `POST /session/{id}/webauthn/authenticator`.
#[derive(Debug)]
struct AddAuthenticator;

impl WebDriverCompatibleCommand for AddAuthenticator {
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

/// `GET /session/{id}/webauthn/authenticator/{authenticatorId}/credentials`.
#[derive(Debug)]
struct Credentials(String);

impl WebDriverCompatibleCommand for Credentials {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/webauthn/authenticator/{}/credentials",
            session_id.unwrap_or_default(),
            self.0
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::GET, None)
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

/// A virtual authenticator attached to a browser session.
#[derive(Debug, Clone)]
pub struct VirtualAuthenticator {
    id: String,
}

impl VirtualAuthenticator {
    /// Adds a CTAP2 platform authenticator (internal transport, resident keys, user
    /// verification that always succeeds) to the browser.
    pub async fn add(client: &Client) -> Self {
        let answer = client
            .issue_cmd(AddAuthenticator)
            .await
            .expect("chromedriver adds a virtual authenticator");
        let id = answer.as_str().expect("an authenticator id").to_owned();
        Self { id }
    }

    /// The credentials it holds (each with `credentialId`, `isResidentCredential`, `rpId`,
    /// `userHandle`, `signCount`).
    pub async fn credentials(&self, client: &Client) -> Vec<Value> {
        let answer = client
            .issue_cmd(Credentials(self.id.clone()))
            .await
            .expect("chromedriver lists the credentials");
        answer.as_array().cloned().unwrap_or_default()
    }

    /// Makes user verification succeed or fail from now on. The virtual authenticator answers
    /// the login page's autofill request at once, so steps that must not sign in that way turn
    /// it off meanwhile.
    pub async fn set_user_verified(&self, client: &Client, verified: bool) {
        client
            .issue_cmd(SetUserVerified(self.id.clone(), verified))
            .await
            .expect("chromedriver sets user verification");
    }
}
