//! How the pages look, in headless Chromium: a tour of the login page, the home page, an error
//! page and every page of the account area, in English and German, at a desktop's 1280 px and a
//! phone's 390 px (the account pages also at 320 px). Each view is saved as a screenshot under
//! `target/tmp/screenshots/tour-*.png` and must not be wider than the window: nothing on a page
//! may make it scroll sideways. Runs on SQLite, like the other browser tests.

use fantoccini::{Client, Locator};
use serde_json::json;

use crate::browser::{click, element, save_screenshot, type_into};
use crate::helpers::TestApp;
use crate::looks_browser::{
    ACCOUNT_PAGES, DevTools, EMAIL, PASSWORD, assert_fits, begin_authenticator, browser_and_app,
    existing, in_language, set_color_scheme, set_viewport, sign_in, sign_in_and_allow,
};
use crate::relying_party::RelyingParty;

const DESKTOP: u32 = 1280;
const PHONE: u32 = 390;
const NARROW: u32 = 320;
const LANGUAGES: [&str; 2] = ["en", "de"];

/// Shows `url` at `width`, saves the whole page as `tour-{name}-{lang}-{width}.png` and asserts
/// that it fits.
async fn look_at(c: &Client, url: &str, name: &str, lang: &str, width: u32) {
    c.goto(url).await.unwrap();
    element(c, &format!("html[lang={lang}] main")).await;
    shoot(c, &format!("{name}-{lang}-{width}"), width).await;
}

/// Saves the page as it is now (its full height) as `tour-{name}.png` and asserts that it fits.
async fn shoot(c: &Client, name: &str, width: u32) {
    assert_fits(c, name).await;
    let height = c
        .execute("return document.documentElement.scrollHeight", vec![])
        .await
        .unwrap()
        .as_u64()
        .unwrap_or(900)
        .clamp(600, 5000);
    set_viewport(c, width, u32::try_from(height).unwrap()).await;
    save_screenshot(c, &format!("tour-{name}.png")).await;
    set_viewport(c, width, 900).await;
}

/// The last path segment of a page, as a screenshot's name.
fn slug(path: &str) -> String {
    let name = path.trim_start_matches('/').replace(['/', '+'], "");
    if name.is_empty() {
        "home".to_owned()
    } else {
        name.replace("account", "account-")
            .trim_end_matches('-')
            .to_owned()
    }
}

#[tokio::test]
async fn every_page_of_the_tour_fits_a_desktop_and_a_phone_in_english_and_german() {
    let Some((browser, app)) = browser_and_app().await else {
        return;
    };
    let c = &browser.client;
    app.active_person(EMAIL, PASSWORD).await;
    let account_pages = existing(&app, &ACCOUNT_PAGES).await;

    // Signed out: the login, home and error pages.
    for lang in LANGUAGES {
        for width in [DESKTOP, PHONE] {
            set_viewport(c, width, 900).await;
            for (path, name) in [
                ("/+login", "login"),
                ("/", "home"),
                ("/no/such/page", "not-found"),
            ] {
                look_at(c, &in_language(&app, path, lang), name, lang, width).await;
            }
        }
    }

    assert_focus_ring_shows(c, &app).await;

    // Signed in, having allowed an application: every account page, the home page and an
    // error page.
    let rp = RelyingParty::start(&app, "Team Wiki", false).await;
    sign_in_and_allow(c, &rp).await;
    for lang in LANGUAGES {
        for width in [DESKTOP, PHONE, NARROW] {
            set_viewport(c, width, 900).await;
            for path in &account_pages {
                look_at(c, &in_language(&app, path, lang), &slug(path), lang, width).await;
            }
            if width == NARROW {
                continue;
            }
            look_at(
                c,
                &in_language(&app, "/", lang),
                "home-signed-in",
                lang,
                width,
            )
            .await;
            look_at(
                c,
                &in_language(&app, "/nope", lang),
                "not-found-signed-in",
                lang,
                width,
            )
            .await;
            // The person's menu in the header, opened.
            if c.find(Locator::Css("details.me-menu > summary"))
                .await
                .is_ok()
            {
                click(c, "details.me-menu > summary").await;
                shoot(c, &format!("me-menu-{lang}-{width}"), width).await;
            }
        }
    }

    // Adding an authenticator app: a QR code, a secret and a long URI.
    c.goto(&in_language(&app, "/+account/security", "de"))
        .await
        .unwrap();
    begin_authenticator(c).await;
    click(c, "details > summary").await;
    for width in [DESKTOP, PHONE, NARROW] {
        set_viewport(c, width, 900).await;
        shoot(c, &format!("security-authenticator-de-{width}"), width).await;
    }

    // The dark scheme, at both widths.
    set_color_scheme(c, "dark").await;
    for width in [DESKTOP, PHONE] {
        set_viewport(c, width, 900).await;
        for path in account_pages.iter().chain(&["/"]) {
            let name = format!("{}-dark", slug(path));
            look_at(c, &in_language(&app, path, "en"), &name, "en", width).await;
        }
    }
    browser.close().await;
}

/// Tabbing from the password field to the login button shows a focus ring on it.
async fn assert_focus_ring_shows(c: &Client, app: &TestApp) {
    set_viewport(c, PHONE, 900).await;
    c.goto(&in_language(app, "/+login", "en")).await.unwrap();
    element(c, "#password")
        .await
        .send_keys("\u{E004}")
        .await
        .unwrap();
    let ring = c
        .execute(
            "const el = document.activeElement;
             const style = getComputedStyle(el);
             return [el.matches('button[value=login]:focus-visible'), style.outlineStyle,
                     parseFloat(style.outlineWidth)];",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        ring[0],
        json!(true),
        "the login button has the keyboard focus: {ring}"
    );
    assert_ne!(ring[1], json!("none"), "a focus ring: {ring}");
    assert!(
        ring[2].as_f64().unwrap() >= 2.0,
        "a ring at least 2 px wide: {ring}"
    );
    save_screenshot(c, "tour-focus-ring-en-390.png").await;
}

#[tokio::test]
async fn a_new_api_key_wraps_on_a_phone_and_its_copy_button_copies_it() {
    let Some((browser, app)) = browser_and_app().await else {
        return;
    };
    let c = &browser.client;
    app.active_person(EMAIL, PASSWORD).await;
    sign_in(c, &app).await;
    set_viewport(c, PHONE, 900).await;

    c.goto(&in_language(&app, "/+account/api-keys", "en"))
        .await
        .unwrap();
    if c.find(Locator::Css("form[action$='/confirm'] #password"))
        .await
        .is_ok()
    {
        type_into(c, "form[action$='/confirm'] #password", PASSWORD).await;
        click(c, "form[action$='/confirm'] button[type=submit]").await;
    }
    type_into(
        c,
        "#description",
        "A deployment robot named Überlangerautomatisierungsdienstbezeichnungsname",
    )
    .await;
    click(c, "form[action='/+account/api-keys'] button[type=submit]").await;
    let key = element(c, "#new-api-key").await.text().await.unwrap();
    assert!(key.starts_with("lk_api_"), "{key}");
    for width in [DESKTOP, PHONE, NARROW] {
        set_viewport(c, width, 900).await;
        shoot(c, &format!("api-keys-new-key-en-{width}"), width).await;
    }

    // The copy button appears with the script, copies, and says so.
    c.issue_cmd(DevTools(
        "Browser.grantPermissions",
        json!({"permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]}),
    ))
    .await
    .unwrap();
    let button = element(c, "button.copy[data-copy-target='new-api-key']").await;
    assert!(
        button.is_displayed().await.unwrap(),
        "the copy button shows"
    );
    assert_eq!(button.text().await.unwrap(), "Copy");
    button.click().await.unwrap();
    element(c, "button.copy[data-state='copied']").await;
    assert_eq!(button.text().await.unwrap(), "Copied");
    assert_eq!(
        element(c, ".copyable [role=status]")
            .await
            .text()
            .await
            .unwrap(),
        "Copied",
        "screen readers hear it too"
    );
    let copied = c
        .execute_async(
            "const done = arguments[arguments.length - 1];
             navigator.clipboard.readText().then(done, e => done('failed: ' + e));",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(copied, json!(key), "the clipboard holds the key");
    shoot(c, "api-keys-copied-en-narrow", NARROW).await;
    crate::browser::assert_console_clean(c, "the copy button").await;
    browser.close().await;
}
