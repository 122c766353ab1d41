//! What each page lets its forms do: `form-action` stays `'self'` everywhere except on a page
//! whose form ends, through redirects, at a verified target on another site, and then that
//! origin only. The page helpers here serve `language_switch.rs` too.

use latchkey::config::Settings;
use latchkey::domain::content_policy::SAME_SITE_FORMS;
use latchkey::service::clients::NewClient;

use crate::helpers::{TestApp, spawn_app, spawn_app_with};
use crate::login_helpers::{csrf_in, unescape};
use crate::oidc_helpers;

pub(crate) const WIKI: &str = "https://wiki.example.org";

/// What a page answered: status, its one Content-Security-Policy, body.
pub(crate) struct Page {
    pub status: u16,
    pub csp: String,
    pub body: String,
}

impl Page {
    async fn of(res: reqwest::Response) -> Self {
        let policies: Vec<String> = res
            .headers()
            .get_all("content-security-policy")
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect();
        assert_eq!(policies.len(), 1, "exactly one policy: {policies:?}");
        Self {
            status: res.status().as_u16(),
            csp: policies[0].clone(),
            body: res.text().await.unwrap(),
        }
    }

    /// The `form-action` directive's sources.
    pub fn form_action(&self) -> &str {
        self.csp
            .split(';')
            .map(str::trim)
            .find_map(|d| d.strip_prefix("form-action "))
            .unwrap_or_else(|| panic!("no form-action in {}", self.csp))
    }

    /// Where the language switch's link to `lang` leads (unescaped).
    pub fn switch_to(&self, lang: &str) -> String {
        let marker = format!("\" hreflang=\"{lang}\"");
        let end = self
            .body
            .find(&marker)
            .unwrap_or_else(|| panic!("no switch to {lang}"));
        let start = self.body[..end].rfind("href=\"").unwrap() + "href=\"".len();
        unescape(&self.body[start..end])
    }
}

pub(crate) async fn get(app: &TestApp, path: &str) -> Page {
    Page::of(
        app.client
            .get(format!("{}{path}", app.address))
            .send()
            .await
            .unwrap(),
    )
    .await
}

pub(crate) async fn post(app: &TestApp, path: &str, fields: &[(&str, &str)]) -> Page {
    Page::of(
        app.client
            .post(format!("{}{path}", app.address))
            .form(fields)
            .send()
            .await
            .unwrap(),
    )
    .await
}

/// Registers the wiki (consent asked) and returns its id.
pub(crate) async fn wiki(app: &TestApp) -> String {
    let client = NewClient {
        post_logout_redirect_uris: vec![format!("{WIKI}/bye")],
        ..oidc_helpers::wiki(false, false)
    };
    oidc_helpers::register(app, client).await.id
}

pub(crate) fn authorize_path(client_id: &str, redirect_uri: &str) -> String {
    oidc_helpers::authorize_path(&[
        ("response_type", "code"),
        ("client_id", client_id),
        ("redirect_uri", redirect_uri),
        ("scope", "openid profile"),
        ("state", "s1"),
    ])
}

pub(crate) fn login_path(next: &str) -> String {
    let query = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("next", next)
        .finish();
    format!("/+login?{query}")
}

pub(crate) async fn signed_in_app(adjust: impl FnOnce(&mut Settings)) -> TestApp {
    let app = spawn_app_with(adjust).await;
    app.active_person("ada@example.org", "correct horse").await;
    app.post_login("ada@example.org", "correct horse", "login")
        .await;
    app
}

#[tokio::test]
async fn pages_whose_forms_stay_here_allow_forms_to_this_site_only() {
    let app = spawn_app().await;
    let id = wiki(&app).await;
    let foreign = authorize_path(&id, "https://evil.example/cb");
    let unknown = authorize_path("no-such-client", &format!("{WIKI}/cb"));
    let mut paths = vec![
        "/".to_owned(),
        "/+login".to_owned(),
        login_path("/+account"),
        login_path("https://evil.example/"),
        login_path(&foreign),
        login_path(&unknown),
        foreign.clone(),
        "/token/lk_new_unknown/+newaccount".to_owned(),
        "/no-such-page".to_owned(),
        "/.well-known/openid-configuration".to_owned(),
        "/logout?post_logout_redirect_uri=https%3A%2F%2Fevil.example%2Fbye".to_owned(),
    ];
    for path in &paths {
        let page = get(&app, path).await;
        assert_eq!(page.csp, SAME_SITE_FORMS, "{path} ({})", page.status);
    }
    app.active_person("ada@example.org", "correct horse").await;
    app.post_login("ada@example.org", "correct horse", "login")
        .await;
    paths = vec![
        "/+account".to_owned(),
        "/+account/api-keys".to_owned(),
        "/logout".to_owned(),
        format!("/logout?client_id={id}"),
    ];
    for path in &paths {
        let page = get(&app, path).await;
        assert_eq!(page.status, 200, "{path}");
        assert_eq!(page.form_action(), "'self'", "{path}");
    }
}

#[tokio::test]
async fn the_login_and_consent_pages_of_a_sign_in_request_allow_its_redirect_origin_only() {
    let app = spawn_app().await;
    let id = wiki(&app).await;
    let request = authorize_path(&id, &format!("{WIKI}/cb"));
    let login = get(&app, &login_path(&request)).await;
    assert_eq!(login.status, 200);
    assert_eq!(login.form_action(), format!("'self' {WIKI}"));
    assert_eq!(
        login.csp.replace(&format!(" {WIKI}"), ""),
        SAME_SITE_FORMS,
        "nothing else changes"
    );

    // A refused attempt shows the form again, still able to finish.
    app.active_person("ada@example.org", "correct horse").await;
    let csrf = csrf_in(&login.body);
    let again = post(
        &app,
        "/+login",
        &[
            ("email", "ada@example.org"),
            ("password", "wrong"),
            ("action", "login"),
            ("csrf_token", &csrf),
            ("next", &request),
        ],
    )
    .await;
    assert_eq!(again.form_action(), format!("'self' {WIKI}"));

    app.post_login("ada@example.org", "correct horse", "login")
        .await;
    let consent = get(&app, &request).await;
    assert!(consent.body.contains("Sign in to Wiki"));
    assert_eq!(consent.form_action(), format!("'self' {WIKI}"));
}

#[tokio::test]
async fn an_emailed_link_for_a_waiting_sign_in_request_allows_its_redirect_origin_only() {
    let app = spawn_app().await;
    let id = wiki(&app).await;
    let request = authorize_path(&id, &format!("{WIKI}/cb"));
    let login = get(&app, &login_path(&request)).await;
    let answer = post(
        &app,
        "/+login",
        &[
            ("email", "new@example.org"),
            ("action", "createaccount"),
            ("csrf_token", &csrf_in(&login.body)),
            ("next", &request),
        ],
    )
    .await;
    assert_eq!(answer.status, 200);
    let link = app.smtp.wait_for(1).await.link();
    let path = link.strip_prefix(&app.address).unwrap();
    let form = get(&app, path).await;
    assert_eq!(form.status, 200);
    assert_eq!(form.form_action(), format!("'self' {WIKI}"));

    // The same link opened in a browser with no request waiting stays here.
    let other = crate::helpers::browser();
    let res = other.get(&link).send().await.unwrap();
    assert_eq!(Page::of(res).await.csp, SAME_SITE_FORMS);
}

#[tokio::test]
async fn the_logout_confirmation_allows_the_registered_post_logout_origin_only() {
    let app = signed_in_app(|_| {}).await;
    let id = wiki(&app).await;
    let query = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("client_id", &id)
        .append_pair("post_logout_redirect_uri", &format!("{WIKI}/bye"))
        .finish();
    let page = get(&app, &format!("/logout?{query}")).await;
    assert!(page.body.contains("Sign out of Latchkey?"));
    assert_eq!(page.form_action(), format!("'self' {WIKI}"));

    let unregistered = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("client_id", &id)
        .append_pair("post_logout_redirect_uri", "https://evil.example/bye")
        .finish();
    let page = get(&app, &format!("/logout?{unregistered}")).await;
    assert_eq!(page.status, 400);
    assert_eq!(page.csp, SAME_SITE_FORMS);
}

pub(crate) fn allow_loopback_callbacks(s: &mut Settings) {
    s.auth_delegation.enabled = true;
    s.auth_delegation.allow_http = true;
    s.auth_delegation.allowed_hosts = vec!["127.0.0.1".to_owned()];
}

pub(crate) fn delegation_path(callback: &str) -> String {
    let query = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("callback", callback)
        .append_pair("description", "Tracker")
        .finish();
    format!("/auth.cgi?{query}")
}

#[tokio::test]
async fn the_delegation_page_allows_the_checked_callback_origin_only() {
    let app = signed_in_app(allow_loopback_callbacks).await;
    let page = get(&app, &delegation_path("http://127.0.0.1:9/cb")).await;
    assert_eq!(page.status, 200);
    assert_eq!(page.form_action(), "'self' http://127.0.0.1:9");

    let refused = get(&app, &delegation_path("javascript:alert(1)")).await;
    assert_eq!(refused.status, 400);
    assert_eq!(refused.csp, SAME_SITE_FORMS);
}
