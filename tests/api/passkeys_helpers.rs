//! Helpers of the passkey tests, in the pages' language: a person signed in on a server that
//! calls itself `http://localhost:PORT`, and the JSON requests `static/js/passkey.js` makes.

use serde_json::{Value, json};

use crate::helpers::{TestApp, browser, spawn_app_on_localhost};
use crate::login_helpers::csrf_in;
use crate::passkeys_authenticator::Authenticator;

pub const EMAIL: &str = "ada@example.org";
pub const PASSWORD: &str = "correct horse battery";

/// The value of the first `data-csrf` attribute in a page (the passkey buttons carry it).
pub fn data_csrf(html: &str) -> String {
    let marker = "data-csrf=\"";
    let start = html.find(marker).expect("a passkey button") + marker.len();
    html[start..].split('"').next().unwrap().to_owned()
}

/// A JSON request's status and answer.
pub struct JsonAnswer {
    pub status: u16,
    pub body: Value,
}

impl JsonAnswer {
    /// The answer's `error` code.
    pub fn error(&self) -> &str {
        self.body["error"].as_str().unwrap_or("")
    }
}

/// A server as `http://localhost:PORT` with an active person signed in on `app.client`.
pub async fn signed_in_app() -> TestApp {
    let app = spawn_app_on_localhost(|_| {}).await;
    app.active_person(EMAIL, PASSWORD).await;
    let answer = app.post_login(EMAIL, PASSWORD, "login").await;
    assert_eq!(answer.status, 303, "{:?}", answer.error());
    app
}

impl TestApp {
    /// The origin a browser reports for the server's pages.
    pub fn origin(&self) -> String {
        self.address.replace("127.0.0.1", "localhost")
    }

    /// POSTs JSON as the passkey script does, with the CSRF token in `X-CSRF-Token`.
    pub async fn post_json_as(
        &self,
        client: &reqwest::Client,
        path: &str,
        csrf: &str,
        body: &Value,
    ) -> JsonAnswer {
        let res = client
            .post(format!("{}{path}", self.address))
            .header("X-CSRF-Token", csrf)
            .json(body)
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        let body = res.json().await.unwrap_or(Value::Null);
        JsonAnswer { status, body }
    }

    /// Begins adding a passkey on the security page: the server's options (or refusal).
    pub async fn begin_passkey(&self, name: &str) -> (String, JsonAnswer) {
        self.begin_passkey_as(&self.client, name).await
    }

    /// Begins adding a passkey in `client`, signed in there.
    pub async fn begin_passkey_as(
        &self,
        client: &reqwest::Client,
        name: &str,
    ) -> (String, JsonAnswer) {
        let page = self.page_as(client, "/+account/security").await;
        let csrf = data_csrf(&page);
        let path = "/+account/security/passkeys/register/begin";
        let answer = self
            .post_json_as(client, path, &csrf, &json!({ "name": name }))
            .await;
        (csrf, answer)
    }

    /// Adds a passkey named `name` made by `auth`, as the security page's script does.
    pub async fn add_passkey(&self, auth: &mut Authenticator, name: &str) -> JsonAnswer {
        self.add_passkey_as(&self.client, auth, name).await
    }

    /// Adds a passkey in `client`, signed in there.
    pub async fn add_passkey_as(
        &self,
        client: &reqwest::Client,
        auth: &mut Authenticator,
        name: &str,
    ) -> JsonAnswer {
        let (csrf, begun) = self.begin_passkey_as(client, name).await;
        assert_eq!(begun.status, 200, "{}", begun.body);
        let credential = auth.create(&begun.body);
        let path = "/+account/security/passkeys/register/finish";
        let body = json!({ "name": name, "credential": credential });
        self.post_json_as(client, path, &csrf, &body).await
    }

    /// Submits the login form with a password in `client`: its status and `Location`.
    pub async fn password_sign_in(
        &self,
        client: &reqwest::Client,
        email: &str,
        password: &str,
    ) -> (u16, String) {
        let csrf = csrf_in(&self.page_as(client, "/+login").await);
        let res = client
            .post(format!("{}/+login", self.address))
            .form(&[
                ("email", email),
                ("password", password),
                ("action", "login"),
                ("csrf_token", &csrf),
            ])
            .send()
            .await
            .unwrap();
        let location = res
            .headers()
            .get("location")
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        (res.status().as_u16(), location)
    }

    /// Begins a sign-in without a password in `client`: its CSRF token and the options.
    pub async fn begin_passkey_sign_in(&self, client: &reqwest::Client) -> (String, JsonAnswer) {
        let csrf = csrf_in(&self.page_as(client, "/+login").await);
        let begun = self
            .post_json_as(client, "/+login/passkey/begin", &csrf, &json!({}))
            .await;
        (csrf, begun)
    }

    /// Signs in with a passkey of `auth` in `client`, asking to go to `next`.
    pub async fn passkey_sign_in(
        &self,
        client: &reqwest::Client,
        auth: &mut Authenticator,
        next: Option<&str>,
    ) -> JsonAnswer {
        let (csrf, begun) = self.begin_passkey_sign_in(client).await;
        assert_eq!(begun.status, 200, "{}", begun.body);
        let credential = auth.get(&begun.body);
        let body = json!({ "credential": credential, "next": next });
        self.post_json_as(client, "/+login/passkey/finish", &csrf, &body)
            .await
    }

    /// Rows of the audit trail with `code`.
    pub async fn audited(&self, code: &str) -> i64 {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM audit_events WHERE code = $1")
            .bind(code)
            .fetch_one(self.db.pool())
            .await
            .unwrap();
        sqlx::Row::get(&row, "n")
    }

    /// The `amr` each signed-in session of `email` stored.
    pub async fn stored_amrs(&self, email: &str) -> Vec<String> {
        let person = self.person(email).await.unwrap();
        let rows = sqlx::query("SELECT state FROM sessions WHERE person_id = $1")
            .bind(person.id.as_str())
            .fetch_all(self.db.pool())
            .await
            .unwrap();
        rows.iter()
            .filter_map(|row| {
                let state: String = sqlx::Row::get(row, "state");
                let state: Value = serde_json::from_str(&state).unwrap();
                let amr = state["amr"].as_str()?.to_owned();
                Some(serde_json::from_str::<String>(&amr).unwrap_or(amr))
            })
            .collect()
    }
}

/// A new browser tab (no cookies).
pub fn tab() -> reqwest::Client {
    browser()
}
