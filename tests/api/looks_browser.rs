//! The browser helpers of the tour and the accessibility test: the account area's pages, a
//! person to sign in as, the viewport's size and colour scheme (through chromedriver's DevTools
//! endpoint), and the check that a page is no wider than its window.

use std::time::Duration;

use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, Locator};
use serde_json::{Value, json};

use crate::browser::{Browser, click, element, start_browser, type_into};
use crate::helpers::{TestApp, spawn_app};
use crate::relying_party::RelyingParty;

/// Every page of the account area, in the order of its navigation.
pub const ACCOUNT_PAGES: [&str; 5] = [
    "/+account",
    "/+account/security",
    "/+account/sessions",
    "/+account/apps",
    "/+account/api-keys",
];

/// The person the tours sign in as.
pub const EMAIL: &str = "tour@example.org";
/// Their password.
pub const PASSWORD: &str = "a tour password";

/// A browser and a Latchkey; `None` where the test skips (no Chromium, or a PostgreSQL run:
/// the pages are the same on both backends).
pub async fn browser_and_app() -> Option<(Browser, TestApp)> {
    if std::env::var("TEST_DATABASE_URL").is_ok_and(|v| !v.is_empty()) {
        eprintln!("skipped: the browser tours run once, on SQLite");
        return None;
    }
    let browser = start_browser().await?;
    Some((browser, spawn_app().await))
}

/// The paths among `paths` that the server has, printing the ones it answers 404 (or 405) to,
/// so that a tour covers the account area's pages as they come.
pub async fn existing(app: &TestApp, paths: &[&'static str]) -> Vec<&'static str> {
    let mut found = Vec::new();
    let mut skipped = Vec::new();
    for path in paths {
        // A fresh client: signed out, every existing page answers with a redirect to the login.
        let status = crate::helpers::browser()
            .get(format!("{}{path}", app.address))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16();
        if matches!(status, 404 | 405) {
            skipped.push(*path);
        } else {
            found.push(*path);
        }
    }
    if !skipped.is_empty() {
        eprintln!("skipped pages that do not exist yet: {skipped:?}");
    }
    found
}

/// Signs in at an application's request and allows it, so that the applications page lists
/// one; the browser ends on the application's page.
pub async fn sign_in_and_allow(c: &Client, rp: &RelyingParty) {
    c.goto(&rp.authorize_url(&[])).await.unwrap();
    type_into(c, "#email", EMAIL).await;
    type_into(c, "#password", PASSWORD).await;
    click(c, "button[value=login]").await;
    click(c, "button[value=allow]").await;
    element(c, "#name").await;
}

/// Signs in through the login form and waits until the browser has left it.
pub async fn sign_in(c: &Client, app: &TestApp) {
    c.goto(&format!("{}/+login", app.address)).await.unwrap();
    type_into(c, "#email", EMAIL).await;
    type_into(c, "#password", PASSWORD).await;
    click(c, "button[value=login]").await;
    wait_until_not_on(c, "/+login").await;
}

async fn wait_until_not_on(c: &Client, path: &str) {
    for _ in 0..300 {
        if c.current_url().await.unwrap().path() != path {
            element(c, "body").await;
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("still on {path}");
}

/// On the security page: starts adding an authenticator app (the password again if asked).
pub async fn begin_authenticator(c: &Client) {
    if c.find(Locator::Css("#authenticator-begin-password"))
        .await
        .is_ok()
    {
        type_into(c, "#authenticator-begin-password", PASSWORD).await;
    }
    click(c, "#authenticator-begin button[type=submit]").await;
    element(c, "code.otpauth-uri").await;
}

/// `path` with the language parameter (it also sets the language cookie for what follows).
pub fn in_language(app: &TestApp, path: &str, lang: &str) -> String {
    let sep = if path.contains('?') { '&' } else { '?' };
    format!("{}{path}{sep}lang={lang}", app.address)
}

/// chromedriver's `POST /session/{id}/goog/cdp/execute`: one DevTools command.
#[derive(Debug)]
pub struct DevTools(pub &'static str, pub Value);

impl WebDriverCompatibleCommand for DevTools {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        let session = session.unwrap_or_default();
        base.join(&format!("session/{session}/goog/cdp/execute"))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = json!({"cmd": self.0, "params": self.1});
        (http::Method::POST, Some(body.to_string()))
    }
}

/// Makes the page as wide as a device `width` CSS pixels wide, `height` tall (the window, and
/// the viewport the page sees, which the window alone cannot make narrower than Chromium's
/// smallest window).
pub async fn set_viewport(c: &Client, width: u32, height: u32) {
    c.set_window_size(width, height).await.unwrap();
    c.issue_cmd(DevTools(
        "Emulation.setDeviceMetricsOverride",
        json!({"width": width, "height": height, "deviceScaleFactor": 1, "mobile": false}),
    ))
    .await
    .unwrap();
    let inner = c.execute("return window.innerWidth", vec![]).await.unwrap();
    assert_eq!(inner, json!(width), "the viewport is {width} px wide");
}

/// Switches the page between the light and the dark colour scheme.
pub async fn set_color_scheme(c: &Client, scheme: &str) {
    c.issue_cmd(DevTools(
        "Emulation.setEmulatedMedia",
        json!({"features": [{"name": "prefers-color-scheme", "value": scheme}]}),
    ))
    .await
    .unwrap();
}

/// The page's width, the viewport's, and the elements whose right edge is beyond the viewport.
const STICKING_OUT: &str = r"
    const width = window.innerWidth;
    const out = [];
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.right > width + 0.5) {
        const classes = typeof el.className === 'string' && el.className.trim()
          ? '.' + el.className.trim().split(/ +/).join('.') : '';
        out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + classes +
                 ' right=' + Math.round(r.right));
      }
    }
    return [document.documentElement.scrollWidth, width, out.slice(0, 12)];";

/// Asserts that the page is no wider than the viewport, naming the elements that stick out.
pub async fn assert_fits(c: &Client, what: &str) {
    let answer = c.execute(STICKING_OUT, vec![]).await.unwrap();
    let scroll = answer[0].as_u64().unwrap();
    let inner = answer[1].as_u64().unwrap();
    assert!(
        scroll <= inner,
        "{what} is {scroll} px wide in a {inner} px window; sticking out: {:#?}",
        answer[2]
    );
}
