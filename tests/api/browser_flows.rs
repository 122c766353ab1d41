//! Every flow a person walks through to another site, in headless Chromium against a relying
//! party on another origin (`relying_party.rs`): each must end on the relying party's page with
//! nothing in the browser's console (Chromium applies CSP `form-action` to the redirects after
//! a form post, which an HTTP client never notices). Runs on SQLite: the protocol itself is
//! tested on both backends elsewhere.

use fantoccini::Client;
use latchkey::config::Settings;

use crate::browser::{
    Browser, assert_console_clean, click, element, save_screenshot, start_browser, text_of,
    type_into,
};
use crate::helpers::{TestApp, spawn_app_with};
use crate::relying_party::{DELEGATION_RESULT, RelyingParty};

const EMAIL: &str = "ada@example.org";
const PASSWORD: &str = "correct horse";

/// A browser, a Latchkey and a relying party registered with it; `None` where the test skips.
async fn setup(trusted: bool) -> Option<(Browser, TestApp, RelyingParty)> {
    if std::env::var("TEST_DATABASE_URL").is_ok_and(|v| !v.is_empty()) {
        eprintln!("skipped: the browser flows run once, on SQLite");
        return None;
    }
    let browser = start_browser().await?;
    let app = spawn_app_with(allow_local_callbacks).await;
    let rp = RelyingParty::start(&app, "Browser Wiki", trusted).await;
    Some((browser, app, rp))
}

fn allow_local_callbacks(s: &mut Settings) {
    s.auth_delegation.enabled = true;
    s.auth_delegation.allow_http = true;
    s.auth_delegation.allowed_hosts = vec!["localhost".to_owned(), "127.0.0.1".to_owned()];
}

/// Asserts the browser is on the relying party and the console is clean, with a screenshot.
async fn assert_at_relying_party(c: &Client, rp: &RelyingParty, css: &str, shot: &str) {
    element(c, css).await;
    let url = c.current_url().await.unwrap();
    assert!(
        rp.serves(&url),
        "the browser is on the relying party, not {url}"
    );
    save_screenshot(c, shot).await;
    assert_console_clean(c, shot).await;
}

/// On the login form: types the address and password and logs in.
async fn log_in(c: &Client, shot: &str) {
    type_into(c, "#email", EMAIL).await;
    type_into(c, "#password", PASSWORD).await;
    save_screenshot(c, shot).await;
    assert_console_clean(c, shot).await;
    click(c, "button[value=login]").await;
}

#[tokio::test]
async fn a_person_signs_in_consents_and_the_relying_party_shows_their_name() {
    let Some((browser, app, rp)) = setup(false).await else {
        return;
    };
    let c = &browser.client;
    app.active_person(EMAIL, PASSWORD).await;

    c.goto(&rp.authorize_url(&[])).await.unwrap();
    log_in(c, "allow-1-login.png").await;
    element(c, "button[value=allow]").await;
    let question = text_of(c, "h1").await;
    assert_eq!(question, "Sign in to Browser Wiki as Test Person?");
    save_screenshot(c, "allow-2-consent.png").await;
    assert_console_clean(c, "the consent page").await;
    click(c, "button[value=allow]").await;

    assert_at_relying_party(c, &rp, "#name", "allow-3-relying-party.png").await;
    assert_eq!(text_of(c, "#name").await, "Test Person");
    let arrivals = rp.arrivals();
    assert_eq!(arrivals.len(), 1);
    assert_eq!(arrivals[0].get("state"), Some("rp-state"));
    assert!(arrivals[0].get("code").is_some());
    browser.close().await;
}

#[tokio::test]
async fn deny_on_the_consent_page_sends_access_denied_to_the_relying_party() {
    let Some((browser, app, rp)) = setup(false).await else {
        return;
    };
    let c = &browser.client;
    app.active_person(EMAIL, PASSWORD).await;

    c.goto(&rp.authorize_url(&[])).await.unwrap();
    log_in(c, "deny-1-login.png").await;
    element(c, "button[value=deny]").await;
    save_screenshot(c, "deny-2-consent.png").await;
    click(c, "button[value=deny]").await;

    assert_at_relying_party(c, &rp, "#rp-error", "deny-3-relying-party.png").await;
    assert_eq!(text_of(c, "#rp-error").await, "access_denied");
    let arrivals = rp.arrivals();
    assert_eq!(arrivals.len(), 1);
    assert_eq!(arrivals[0].get("code"), None);
    browser.close().await;
}

#[tokio::test]
async fn a_trusted_client_gets_the_person_straight_after_login_and_then_with_no_page() {
    let Some((browser, app, rp)) = setup(true).await else {
        return;
    };
    let c = &browser.client;
    app.active_person(EMAIL, PASSWORD).await;

    c.goto(&rp.authorize_url(&[])).await.unwrap();
    log_in(c, "trusted-1-login.png").await;
    assert_at_relying_party(c, &rp, "#name", "trusted-2-relying-party.png").await;
    assert_eq!(text_of(c, "#name").await, "Test Person");

    // Signed in already: the browser goes to Latchkey and straight back.
    c.goto(&rp.authorize_url(&[])).await.unwrap();
    assert_at_relying_party(c, &rp, "#name", "trusted-3-straight-back.png").await;
    assert_eq!(rp.arrivals().len(), 2);
    browser.close().await;
}

#[tokio::test]
async fn a_new_person_registers_from_the_relying_party_and_arrives_back_there() {
    let Some((browser, app, rp)) = setup(true).await else {
        return;
    };
    let c = &browser.client;

    c.goto(&rp.authorize_url(&[])).await.unwrap();
    type_into(c, "#email", "newcomer@example.org").await;
    save_screenshot(c, "register-1-login.png").await;
    click(c, "button[value=createaccount]").await;
    assert!(
        text_of(c, "p.notice")
            .await
            .contains("newcomer@example.org")
    );
    save_screenshot(c, "register-2-check-inbox.png").await;
    assert_console_clean(c, "asking for the link").await;

    let link = app.smtp.wait_for(1).await.link();
    c.goto(&link).await.unwrap();
    type_into(c, "#display_name", "New Comer").await;
    type_into(c, "#password", "a newcomer's password").await;
    type_into(c, "#password_again", "a newcomer's password").await;
    save_screenshot(c, "register-3-set-password.png").await;
    assert_console_clean(c, "the new-account form").await;
    click(c, "button[type=submit]").await;

    assert_at_relying_party(c, &rp, "#name", "register-4-relying-party.png").await;
    assert_eq!(text_of(c, "#name").await, "New Comer");
    browser.close().await;
}

#[tokio::test]
async fn a_forgotten_password_is_reset_from_the_relying_party_and_the_person_arrives_back_there() {
    let Some((browser, app, rp)) = setup(true).await else {
        return;
    };
    let c = &browser.client;
    app.active_person(EMAIL, "an old password").await;

    c.goto(&rp.authorize_url(&[])).await.unwrap();
    type_into(c, "#email", EMAIL).await;
    save_screenshot(c, "reset-1-login.png").await;
    click(c, "button[value=resetpassword]").await;
    element(c, "p.notice").await;
    save_screenshot(c, "reset-2-check-inbox.png").await;
    assert_console_clean(c, "asking for the link").await;

    let link = app.smtp.wait_for(1).await.link();
    c.goto(&link).await.unwrap();
    type_into(c, "#password", PASSWORD).await;
    type_into(c, "#password_again", PASSWORD).await;
    save_screenshot(c, "reset-3-new-password.png").await;
    assert_console_clean(c, "the new-password form").await;
    click(c, "button[type=submit]").await;

    assert_at_relying_party(c, &rp, "#name", "reset-4-relying-party.png").await;
    assert_eq!(text_of(c, "#name").await, "Test Person");
    browser.close().await;
}

#[tokio::test]
async fn relying_party_logout_ends_at_its_post_logout_page_and_signs_the_person_out() {
    let Some((browser, app, rp)) = setup(true).await else {
        return;
    };
    let c = &browser.client;
    app.active_person(EMAIL, PASSWORD).await;

    // Without a hint the person confirms on a page.
    c.goto(&rp.authorize_url(&[])).await.unwrap();
    log_in(c, "logout-1-login.png").await;
    element(c, "#name").await;
    c.goto(&rp.logout_url(None)).await.unwrap();
    element(c, "button[value=yes]").await;
    save_screenshot(c, "logout-2-confirm.png").await;
    assert_console_clean(c, "the logout confirmation").await;
    click(c, "button[value=yes]").await;
    assert_at_relying_party(c, &rp, "#logged-out", "logout-3-relying-party.png").await;
    assert_eq!(rp.logouts()[0].get("state"), Some("bye"));
    c.goto(&rp.authorize_url(&[])).await.unwrap();
    element(c, "#email").await;

    // With the ID token as hint, the relying party's word is enough.
    log_in(c, "logout-4-login-again.png").await;
    element(c, "#name").await;
    let hint = rp.id_tokens().pop().unwrap();
    c.goto(&rp.logout_url(Some(&hint))).await.unwrap();
    assert_at_relying_party(c, &rp, "#logged-out", "logout-5-with-hint.png").await;
    assert_eq!(rp.logouts().len(), 2);
    c.goto(&rp.authorize_url(&[])).await.unwrap();
    element(c, "#email").await;

    // A form the relying party posts from its own site: the session cookie does not travel
    // with a cross-site POST, yet the person must end up signed out.
    log_in(c, "logout-6-login-again.png").await;
    element(c, "#name").await;
    let hint = rp.id_tokens().pop().unwrap();
    c.goto(&rp.logout_form_url(&hint)).await.unwrap();
    click(c, "#sign-out").await;
    assert_at_relying_party(c, &rp, "#logged-out", "logout-7-form-post.png").await;
    assert_eq!(rp.logouts().len(), 3);
    c.goto(&rp.authorize_url(&[])).await.unwrap();
    element(c, "#email").await;
    browser.close().await;
}

#[tokio::test]
async fn switching_language_mid_flow_keeps_the_request_and_ends_at_the_relying_party_in_german() {
    let Some((browser, app, rp)) = setup(false).await else {
        return;
    };
    let c = &browser.client;
    app.active_person(EMAIL, PASSWORD).await;

    c.goto(&rp.authorize_url(&[])).await.unwrap();
    element(c, "#email").await;
    click(c, "nav.languages a[href*='lang=de']").await;
    element(c, "html[lang=de] #email").await;
    assert_eq!(
        text_of(c, "button[value=login]").await,
        "Anmelden",
        "the login form in German"
    );
    log_in(c, "language-1-login-de.png").await;

    // The consent page in German; switching to English and back keeps the request.
    assert_eq!(
        text_of(c, "html[lang=de] button[value=allow]").await,
        "Erlauben"
    );
    click(c, "nav.languages a[href*='lang=en']").await;
    assert_eq!(
        text_of(c, "html[lang=en] button[value=allow]").await,
        "Allow"
    );
    save_screenshot(c, "language-2-consent-en.png").await;
    click(c, "nav.languages a[href*='lang=de']").await;
    assert_eq!(
        text_of(c, "html[lang=de] button[value=allow]").await,
        "Erlauben"
    );
    save_screenshot(c, "language-3-consent-de.png").await;
    assert_console_clean(c, "the consent page in German").await;
    click(c, "button[value=allow]").await;

    assert_at_relying_party(c, &rp, "#name", "language-4-relying-party.png").await;
    assert_eq!(rp.arrivals().len(), 1);
    assert!(rp.arrivals()[0].get("code").is_some());
    browser.close().await;
}

#[tokio::test]
async fn auth_delegation_signs_the_person_in_and_gives_access_at_the_callback() {
    let Some((browser, app, rp)) = setup(false).await else {
        return;
    };
    let c = &browser.client;
    app.active_person(EMAIL, PASSWORD).await;

    c.goto(&rp.delegation_url()).await.unwrap();
    log_in(c, "delegation-1-login.png").await;
    element(c, "form[action='/auth.cgi'] button.primary").await;
    save_screenshot(c, "delegation-2-confirm.png").await;
    assert_console_clean(c, "the delegation page").await;
    click(c, "form[action='/auth.cgi'] button.primary").await;

    assert_at_relying_party(c, &rp, "#delegated", "delegation-3-callback.png").await;
    assert_eq!(text_of(c, "#result").await, DELEGATION_RESULT);
    let delivered = rp.deliveries();
    assert_eq!(delivered.len(), 1);
    assert_eq!(delivered[0]["client_api_login"], EMAIL);
    browser.close().await;
}
