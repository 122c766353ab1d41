//! The account pages in headless Chromium: every page of the area in English and German, on a
//! desktop (1280 px) and a phone (390 px), saved as screenshots under
//! `target/tmp/screenshots/`; none is wider than the window, none logs to the console, and the
//! header's menu opens and logs out. Runs on SQLite, like the other browser tests.

use fantoccini::Client;

use crate::browser::{
    Browser, assert_console_clean, click, element, save_screenshot, start_browser, text_of,
    type_into,
};
use crate::helpers::{TestApp, spawn_app};
use crate::pages_account::PAGES;

const EMAIL: &str = "ada@example.org";
const PASSWORD: &str = "correct horse";
const CHROME_ON_LINUX: &str = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like \
                               Gecko) Chrome/131.0.0.0 Safari/537.36";

/// The window sizes a person uses: a desktop and a phone.
const SIZES: [(u32, u32); 2] = [(1280, 900), (390, 844)];

/// A browser, and a Latchkey where Ada is signed in there; `None` where the test skips.
async fn signed_in_browser() -> Option<(Browser, TestApp)> {
    if std::env::var("TEST_DATABASE_URL").is_ok_and(|v| !v.is_empty()) {
        eprintln!("skipped: the browser tests run once, on SQLite");
        return None;
    }
    let browser = start_browser().await?;
    let app = spawn_app().await;
    app.active_person(EMAIL, PASSWORD).await;
    // Another session, so that the sessions page has a line to read.
    app.sign_in_as_agent(CHROME_ON_LINUX, EMAIL, PASSWORD).await;
    let c = &browser.client;
    c.goto(&format!("{}/+login", app.address)).await.unwrap();
    type_into(c, "#email", EMAIL).await;
    type_into(c, "#password", PASSWORD).await;
    click(c, "button[value=login]").await;
    element(c, "details.me-menu").await;
    Some((browser, app))
}

/// How wide the page is, and how wide the window shows it.
async fn widths(c: &Client) -> (u64, u64) {
    let answer = c
        .execute(
            "return [document.documentElement.scrollWidth, window.innerWidth];",
            vec![],
        )
        .await
        .unwrap();
    let width = |i: usize| answer[i].as_u64().unwrap();
    (width(0), width(1))
}

#[tokio::test]
async fn every_account_page_fits_a_desktop_and_a_phone_in_english_and_german() {
    let Some((browser, app)) = signed_in_browser().await else {
        return;
    };
    let c = &browser.client;
    for (width, height) in SIZES {
        c.set_window_size(width, height).await.unwrap();
        for lang in ["en", "de"] {
            for (path, _) in PAGES {
                c.goto(&format!("{}{path}?lang={lang}", app.address))
                    .await
                    .unwrap();
                element(c, "nav.account-nav a[aria-current=page]").await;
                let name = path.trim_start_matches("/+").replace('/', "-");
                let shot = format!("{name}-{lang}-{width}.png");
                save_screenshot(c, &shot).await;
                assert_console_clean(c, &shot).await;
                let (page, window) = widths(c).await;
                assert!(
                    page <= window,
                    "{shot}: the page is {page} px wide in a {window} px window"
                );
            }
        }
    }
    browser.close().await;
}

#[tokio::test]
async fn the_name_is_changed_in_a_browser_and_the_header_menu_logs_out() {
    let Some((browser, app)) = signed_in_browser().await else {
        return;
    };
    let c = &browser.client;
    c.goto(&format!("{}/+account", app.address)).await.unwrap();
    click(c, "details.edit-name summary").await;
    let field = element(c, "#display_name").await;
    field.clear().await.unwrap();
    field.send_keys("Ada Lovelace").await.unwrap();
    save_screenshot(c, "account-name-edit.png").await;
    click(c, "details.edit-name button[type=submit]").await;
    element(c, "p.notice").await;
    assert_eq!(text_of(c, "p.display-name").await, "Ada Lovelace");
    assert_eq!(text_of(c, "details.me-menu .me-name").await, "Ada Lovelace");
    assert_console_clean(c, "the name form").await;

    c.goto(&format!("{}/", app.address)).await.unwrap();
    let greeting = element(c, "p.signed-in-as").await.text().await.unwrap();
    assert_eq!(greeting, "You are signed in as Ada Lovelace.");
    click(c, "details.me-menu summary").await;
    save_screenshot(c, "home-menu-open.png").await;
    click(c, "details.me-menu form button[type=submit]").await;
    element(c, "#email").await;
    let url = c.current_url().await.unwrap();
    assert_eq!(url.path(), "/+login");
    assert!(
        c.find(fantoccini::Locator::Css("details.me-menu"))
            .await
            .is_err()
    );
    browser.close().await;
}
