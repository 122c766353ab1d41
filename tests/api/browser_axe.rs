//! Accessibility, checked by the axe-core engine in headless Chromium: the login, consent,
//! account, error and token pages, in the light and the dark colour scheme, must have no
//! violation of impact "serious" or "critical". axe-core is the npm package `.ci/run` installs
//! under `target/node`; it is injected through WebDriver (the Content Security Policy allows no
//! script that is not the site's own). Skips, saying why, where it or Chromium is missing; fails
//! instead under `LATCHKEY_TEST_STRICT=1`.

use std::path::PathBuf;

use fantoccini::Client;
use latchkey::config::Settings;
use latchkey::service::handshake::new_bugtracker_token;
use serde_json::Value;

use crate::browser::{Browser, click, element, start_browser, text_of, type_into};
use crate::helpers::{TestApp, skip, spawn_app_with};
use crate::looks_browser::{
    ACCOUNT_PAGES, EMAIL, PASSWORD, begin_authenticator, existing, in_language, set_color_scheme,
    sign_in_and_allow,
};
use crate::relying_party::RelyingParty;

/// Where the axe-core package is: `LATCHKEY_AXE`, or the `target/node` folder `.ci/run` fills.
fn axe_path() -> PathBuf {
    if let Some(path) = std::env::var_os("LATCHKEY_AXE") {
        return PathBuf::from(path);
    }
    let tmp = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
    tmp.parent()
        .unwrap_or(tmp)
        .join("node/node_modules/axe-core/axe.min.js")
}

/// The axe-core script, or `None` (with the reason printed) where it is not installed.
fn axe_source() -> Option<String> {
    let path = axe_path();
    match std::fs::read_to_string(&path) {
        Ok(source) => Some(source),
        Err(e) => {
            skip(
                "axe-core",
                format!(
                    "{} cannot be read ({e}); install it with \
                     `npm install --prefix target/node axe-core` (see .ci/run)",
                    path.display()
                ),
            );
            None
        }
    }
}

/// A browser, the axe-core script and a Latchkey with a relying party that asks for consent.
async fn setup() -> Option<(Browser, String, TestApp, RelyingParty)> {
    if std::env::var("TEST_DATABASE_URL").is_ok_and(|v| !v.is_empty()) {
        eprintln!("skipped: the accessibility checks run once, on SQLite");
        return None;
    }
    let axe = axe_source()?;
    let browser = start_browser().await?;
    let app = spawn_app_with(allow_local_callbacks).await;
    let rp = RelyingParty::start(&app, "Accessible Wiki", false).await;
    app.active_person(EMAIL, PASSWORD).await;
    Some((browser, axe, app, rp))
}

fn allow_local_callbacks(s: &mut Settings) {
    s.auth_delegation.enabled = true;
    s.auth_delegation.allow_http = true;
    s.auth_delegation.allowed_hosts = vec!["127.0.0.1".to_owned()];
}

/// One violation as a readable paragraph: impact, rule, what it means, and where.
fn describe(violation: &Value) -> String {
    let nodes: Vec<String> = violation["nodes"]
        .as_array()
        .map(|nodes| {
            nodes
                .iter()
                .take(5)
                .map(|n| {
                    format!(
                        "    at {}\n      {}\n      {}",
                        n["target"],
                        n["html"].as_str().unwrap_or(""),
                        n["failureSummary"]
                            .as_str()
                            .unwrap_or("")
                            .replace('\n', "\n      ")
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    format!(
        "[{}] {}: {}\n  {}\n{}",
        violation["impact"].as_str().unwrap_or("?"),
        violation["id"].as_str().unwrap_or("?"),
        violation["help"].as_str().unwrap_or(""),
        violation["helpUrl"].as_str().unwrap_or(""),
        nodes.join("\n")
    )
}

/// Runs axe-core on the page the browser shows and asserts that it finds nothing serious or
/// critical; lesser findings are printed.
async fn assert_accessible(c: &Client, axe: &str, what: &str) {
    element(c, "main").await;
    // Injected as a WebDriver script: no script tag, which the page's policy would refuse.
    let loaded = c
        .execute(&format!("{axe}\nreturn typeof axe;"), vec![])
        .await
        .unwrap();
    assert_eq!(loaded, "object", "axe-core loads into {what}");
    let answer = c
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, {resultTypes: ['violations']})
               .then(r => done({violations: r.violations}), e => done({error: String(e)}));",
            vec![],
        )
        .await
        .unwrap();
    assert!(
        answer["error"].is_null(),
        "axe-core failed on {what}: {answer}"
    );
    let violations = answer["violations"].as_array().cloned().unwrap_or_default();
    let (bad, minor): (Vec<&Value>, Vec<&Value>) = violations
        .iter()
        .partition(|v| matches!(v["impact"].as_str(), Some("serious" | "critical")));
    for v in &minor {
        eprintln!("axe, {what}, not failing: {}", describe(v));
    }
    let report: Vec<String> = bad.iter().map(|v| describe(v)).collect();
    assert!(
        report.is_empty(),
        "axe-core finds {} serious or critical violations on {what}:\n{}",
        report.len(),
        report.join("\n")
    );
}

/// Checks the page at `url` in both colour schemes.
async fn check(c: &Client, axe: &str, url: &str, what: &str) {
    c.goto(url).await.unwrap();
    check_here(c, axe, what).await;
}

/// Checks the page the browser shows now in both colour schemes.
async fn check_here(c: &Client, axe: &str, what: &str) {
    for scheme in ["light", "dark"] {
        set_color_scheme(c, scheme).await;
        assert_accessible(c, axe, &format!("{what} ({scheme})")).await;
    }
    set_color_scheme(c, "light").await;
}

#[tokio::test]
async fn the_login_consent_error_and_token_pages_have_no_serious_accessibility_violations() {
    let Some((browser, axe, app, rp)) = setup().await else {
        return;
    };
    let c = &browser.client;
    let token = new_bugtracker_token(&app.ctx).await.unwrap();

    for lang in ["en", "de"] {
        check(
            c,
            &axe,
            &in_language(&app, "/+login", lang),
            "the login page",
        )
        .await;
        check(c, &axe, &in_language(&app, "/", lang), "the home page").await;
        let page = format!("the 404 page ({lang})");
        check(c, &axe, &in_language(&app, "/no/such/page", lang), &page).await;
        let page = format!("an unknown token's page ({lang})");
        check(
            c,
            &axe,
            &in_language(&app, "/token/lk_bug_nothing", lang),
            &page,
        )
        .await;
        let page = format!("an unknown emailed link's page ({lang})");
        let path = "/token/lk_nothing/+resetpassword";
        check(c, &axe, &in_language(&app, path, lang), &page).await;
        let path = format!("/token/{}", token.expose());
        let page = format!("a token's page ({lang})");
        check(c, &axe, &in_language(&app, &path, lang), &page).await;
    }

    // A sign-in request: the login page that names the application, then its consent page.
    c.goto(&rp.authorize_url(&[])).await.unwrap();
    check_here(c, &axe, "the login page of a sign-in request").await;
    type_into(c, "#email", EMAIL).await;
    type_into(c, "#password", PASSWORD).await;
    click(c, "button[value=login]").await;
    element(c, "button[value=allow]").await;
    check_here(c, &axe, "the consent page").await;
    click(c, "button[value=allow]").await;
    element(c, "#name").await;

    // An application asks for an API key: the delegation page, with its callback and Cancel.
    c.goto(&rp.delegation_url()).await.unwrap();
    element(c, "form[action='/auth.cgi']").await;
    check_here(c, &axe, "the delegation page").await;
    browser.close().await;
}

#[tokio::test]
async fn every_account_page_has_no_serious_accessibility_violations() {
    let Some((browser, axe, app, rp)) = setup().await else {
        return;
    };
    let c = &browser.client;

    sign_in_and_allow(c, &rp).await;

    let pages = existing(&app, &ACCOUNT_PAGES).await;
    for lang in ["en", "de"] {
        for path in &pages {
            let page = format!("{path} ({lang})");
            check(c, &axe, &in_language(&app, path, lang), &page).await;
        }
        check(
            c,
            &axe,
            &in_language(&app, "/nope", lang),
            "the 404 page, signed in",
        )
        .await;
    }

    // The security page while an authenticator app is being added: QR code, secret, URI.
    c.goto(&in_language(&app, "/+account/security", "en"))
        .await
        .unwrap();
    begin_authenticator(c).await;
    check_here(c, &axe, "the security page adding an authenticator app").await;

    // The API keys page with a new key on it, and the table of keys.
    c.goto(&in_language(&app, "/+account/api-keys", "en"))
        .await
        .unwrap();
    if c.find(fantoccini::Locator::Css(
        "form[action$='/confirm'] #password",
    ))
    .await
    .is_ok()
    {
        type_into(c, "form[action$='/confirm'] #password", PASSWORD).await;
        click(c, "form[action$='/confirm'] button[type=submit]").await;
    }
    type_into(c, "#description", "Deployment robot").await;
    click(c, "form[action='/+account/api-keys'] button[type=submit]").await;
    assert!(text_of(c, "#new-api-key").await.starts_with("lk_api_"));
    check_here(c, &axe, "the API keys page with a new key").await;
    browser.close().await;
}

#[tokio::test]
async fn the_pages_of_registration_and_recovery_have_no_serious_accessibility_violations() {
    let Some((browser, axe, app, _rp)) = setup().await else {
        return;
    };
    let c = &browser.client;

    // A refused login shows its message on the form.
    c.goto(&in_language(&app, "/+login", "de")).await.unwrap();
    type_into(c, "#email", EMAIL).await;
    type_into(c, "#password", "not the password").await;
    click(c, "button[value=login]").await;
    element(c, "p.error").await;
    check_here(c, &axe, "the login page with an error").await;

    // Registration: the page that says to look in the inbox, then the emailed link's form.
    c.goto(&in_language(&app, "/+login", "en")).await.unwrap();
    type_into(c, "#email", "newcomer@example.org").await;
    click(c, "button[value=createaccount]").await;
    element(c, "p.notice").await;
    check_here(c, &axe, "the check-your-inbox page").await;
    c.goto(&app.smtp.wait_for(1).await.link()).await.unwrap();
    element(c, "#display_name").await;
    check_here(c, &axe, "the new-account page").await;

    // Recovery: the emailed link's new-password form.
    c.goto(&in_language(&app, "/+login", "en")).await.unwrap();
    type_into(c, "#email", EMAIL).await;
    click(c, "button[value=resetpassword]").await;
    element(c, "p.notice").await;
    c.goto(&app.smtp.wait_for(2).await.link()).await.unwrap();
    element(c, "#password_again").await;
    check_here(c, &axe, "the new-password page").await;
    browser.close().await;
}
