//! End to end in headless Chromium (Debian's `chromium` and `chromium-driver`): a person opens
//! `/+login`, creates an account, follows the emailed link, sets a password and lands signed
//! in. Screenshots go to the target folder. Skips, saying why, where Chromium is missing;
//! fails instead under `LATCHKEY_TEST_STRICT=1`.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

use crate::helpers::{spawn_app, strict};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// A chromedriver process and a browser session; both end when this is dropped or closed.
struct Browser {
    client: Client,
    _driver: tokio::process::Child,
    _profile: tempfile::TempDir,
}

async fn free_port() -> u16 {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    l.local_addr().unwrap().port()
}

async fn start_browser() -> Option<Browser> {
    for tool in [CHROMIUM, CHROMEDRIVER] {
        if !Path::new(tool).exists() {
            assert!(!strict(), "LATCHKEY_TEST_STRICT=1 and {tool} is missing");
            eprintln!("skipped: this test needs {tool} (apt-get install chromium chromium-driver)");
            return None;
        }
    }
    let port = free_port().await;
    let driver = tokio::process::Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("chromedriver starts");
    let profile = tempfile::tempdir().unwrap();
    let caps = json!({
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
                return Some(Browser {
                    client,
                    _driver: driver,
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

async fn save_screenshot(client: &Client, name: &str) -> PathBuf {
    let png = client.screenshot().await.unwrap();
    assert!(png.starts_with(b"\x89PNG"), "a PNG");
    let path = screenshot_path(name);
    std::fs::write(&path, png).unwrap();
    eprintln!("screenshot: {}", path.display());
    path
}

/// Waits for a field (pages load slowly when the machine is busy), then types into it.
async fn type_into(client: &Client, css: &str, text: &str) {
    client
        .wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::Css(css))
        .await
        .unwrap()
        .send_keys(text)
        .await
        .unwrap();
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
    c.wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::Css("button[value=createaccount]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
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

    browser.client.close().await.unwrap();
}
