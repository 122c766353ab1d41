//! Headless Chromium for end-to-end tests (Debian's `chromium` and `chromium-driver`): the
//! harness every browser test uses (a chromedriver of its own, a fresh profile, the browser's
//! console log, screenshots under the target folder), and the first flow: a person opens
//! `/+login`, creates an account, follows the emailed link, sets a password and lands signed in.
//! Skips, saying why, where Chromium is missing; fails instead under `LATCHKEY_TEST_STRICT=1`.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use fantoccini::elements::Element;
use fantoccini::wd::{TimeoutConfiguration, WebDriverCompatibleCommand};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

use crate::helpers::{skip, spawn_app};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// How long a page may take to appear on a busy two-core machine.
pub const PAGE_WAIT: Duration = Duration::from_secs(30);

/// A chromedriver process and a browser session; both end when this is dropped or closed.
pub struct Browser {
    /// The WebDriver session.
    pub client: Client,
    driver: tokio::process::Child,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Ends the browser session (the processes end when this is dropped).
    pub async fn close(&self) {
        self.client.clone().close().await.unwrap();
    }
}

impl Drop for Browser {
    /// Ends chromedriver and every Chromium process it started (its process group), so that a
    /// test that fails half-way leaves no browser behind to slow the tests after it.
    fn drop(&mut self) {
        if let Some(pid) = self.driver.id() {
            let _ = std::process::Command::new("kill")
                .args(["-KILL", "--", &format!("-{pid}")])
                .stderr(Stdio::null())
                .status();
        }
    }
}

async fn free_port() -> u16 {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    l.local_addr().unwrap().port()
}

/// Starts chromedriver and a headless Chromium that records its console; `None` (with the
/// reason printed) where either is missing, unless strict.
pub async fn start_browser() -> Option<Browser> {
    for tool in [CHROMIUM, CHROMEDRIVER] {
        if !Path::new(tool).exists() {
            skip(
                "Chromium",
                format!("{tool} is missing (apt-get install chromium chromium-driver)"),
            );
            return None;
        }
    }
    let port = free_port().await;
    let driver = tokio::process::Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .kill_on_drop(true)
        .spawn()
        .expect("chromedriver starts");
    let profile = tempfile::tempdir().unwrap();
    let caps = json!({
        "goog:loggingPrefs": {"browser": "ALL"},
        "goog:chromeOptions": {
            "binary": CHROMIUM,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--no-first-run", "--window-size=1000,900",
                format!("--user-data-dir={}", profile.path().display()),
            ]
        }
    });
    let serde_json::Value::Object(caps) = caps else {
        unreachable!()
    };
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    let url = format!("http://127.0.0.1:{port}");
    let mut last = None;
    for _ in 0..100 {
        match ClientBuilder::new(connector.clone())
            .capabilities(caps.clone())
            .connect(&url)
            .await
        {
            Ok(client) => {
                client
                    .update_timeouts(TimeoutConfiguration::new(
                        Some(PAGE_WAIT),
                        Some(PAGE_WAIT),
                        None,
                    ))
                    .await
                    .unwrap();
                return Some(Browser {
                    client,
                    driver,
                    _profile: profile,
                });
            }
            Err(e) => last = Some(e),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("chromedriver did not start a session: {last:?}");
}

fn screenshot_path(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// Saves what the browser shows as `target/tmp/screenshots/{name}`.
pub async fn save_screenshot(client: &Client, name: &str) -> PathBuf {
    let png = client.screenshot().await.unwrap();
    assert!(png.starts_with(b"\x89PNG"), "a PNG");
    let path = screenshot_path(name);
    std::fs::write(&path, png).unwrap();
    eprintln!("screenshot: {}", path.display());
    path
}

/// Waits for an element (pages load slowly when the machine is busy).
pub async fn element(client: &Client, css: &str) -> Element {
    match client
        .wait()
        .at_most(PAGE_WAIT)
        .for_element(Locator::Css(css))
        .await
    {
        Ok(e) => e,
        Err(e) => {
            let url = client.current_url().await.map(|u| u.to_string());
            let console = console_log(client).await;
            panic!("no `{css}` on {url:?}: {e}; console: {console:?}")
        }
    }
}

/// Waits for a field, then types into it.
pub async fn type_into(client: &Client, css: &str, text: &str) {
    element(client, css).await.send_keys(text).await.unwrap();
}

/// Waits for a button or link, then clicks it.
pub async fn click(client: &Client, css: &str) {
    element(client, css).await.click().await.unwrap();
}

/// The text of an element, once it is there.
pub async fn text_of(client: &Client, css: &str) -> String {
    element(client, css).await.text().await.unwrap()
}

/// chromedriver's `POST /session/{id}/se/log`: the console entries since the last call.
#[derive(Debug)]
struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/se/log",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(r#"{"type":"browser"}"#.to_owned()))
    }
}

/// The browser console's entries since the last call, as `LEVEL message` lines.
pub async fn console_log(client: &Client) -> Vec<String> {
    let Ok(entries) = client.issue_cmd(BrowserLog).await else {
        return vec!["(the console log could not be read)".to_owned()];
    };
    entries
        .as_array()
        .map(|list| {
            list.iter()
                .map(|e| {
                    format!(
                        "{} {}",
                        e["level"].as_str().unwrap_or("?"),
                        e["message"].as_str().unwrap_or("")
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Asserts that the console holds no error since the last look, and above all no Content
/// Security Policy violation.
pub async fn assert_console_clean(client: &Client, step: &str) {
    let entries = console_log(client).await;
    let bad: Vec<&String> = entries
        .iter()
        .filter(|e| e.starts_with("SEVERE") || e.contains("Content Security Policy"))
        .collect();
    assert!(bad.is_empty(), "console errors after {step}: {bad:#?}");
}

#[tokio::test]
async fn a_person_creates_an_account_in_a_real_browser_and_lands_signed_in() {
    let Some(browser) = start_browser().await else {
        return;
    };
    let app = spawn_app().await;
    let c = &browser.client;

    c.goto(&format!("{}/+login", app.address)).await.unwrap();
    save_screenshot(c, "login-en.png").await;
    type_into(c, "#email", "browser@example.org").await;
    click(c, "button[value=createaccount]").await;
    let notice = c
        .wait()
        .for_element(Locator::Css("p.notice"))
        .await
        .unwrap();
    assert!(notice.text().await.unwrap().contains("browser@example.org"));

    let link = app.smtp.wait_for(1).await.link();
    c.goto(&link).await.unwrap();
    type_into(c, "#display_name", "Browser Person").await;
    type_into(c, "#password", "a browser password").await;
    type_into(c, "#password_again", "a browser password").await;
    c.find(Locator::Css("button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait()
        .for_element(Locator::Css(".display-name"))
        .await
        .unwrap();
    let url = c.current_url().await.unwrap();
    assert_eq!(url.path(), "/+account");
    let name = c
        .find(Locator::Css(".display-name"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(name, "Browser Person");
    save_screenshot(c, "account-signed-in.png").await;

    // The same form in German.
    c.goto(&format!("{}/+login?lang=de", app.address))
        .await
        .unwrap();
    let button = c
        .wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::Css("button[value=resetpassword]"))
        .await
        .unwrap();
    assert_eq!(
        button.text().await.unwrap(),
        "Ich habe mein Passwort vergessen"
    );
    save_screenshot(c, "login-de.png").await;

    browser.close().await;
}
