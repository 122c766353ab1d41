//! The console in headless Chromium: an administrator (a member of `admin.team`) signs in with
//! the password and an authenticator code, finds a person by search, suspends and reactivates
//! them, sends them a reset link (which arrives at the loopback SMTP listener), edits a
//! client's redirect URIs, and finds each action in the audit view, with nothing in the
//! browser's console on any page. Someone outside `admin.team` gets 404 for every page
//! (checked over HTTP: a 404 page logs a failed load in the browser's console). Runs on SQLite,
//! like the other browser flows.

use fantoccini::Client;
use fantoccini::Locator;
use latchkey::clock::Clock;

use crate::admin_console::{console_app, member_with_authenticator};
use crate::admin_console_people::{mail_to, person_id};
use crate::browser::{
    assert_console_clean, click, element, save_screenshot, start_browser, text_of, type_into,
};
use crate::factor_helpers::code_for;
use crate::helpers::{TestApp, browser};

const ADMIN: &str = "root@example.org";
const ADA: &str = "ada@example.org";
const PASSWORD: &str = "correct horse battery staple";

/// Signs in on the login form with the password, then an authenticator code.
async fn sign_in(c: &Client, app: &TestApp, secret: &[u8]) {
    c.goto(&format!("{}/+login", app.address)).await.unwrap();
    type_into(c, "#email", ADMIN).await;
    type_into(c, "#password", PASSWORD).await;
    click(c, "button[value=login]").await;
    // A code is accepted once: the next one comes a time step later.
    app.clock.advance(30);
    type_into(c, "#code", &code_for(secret, app.clock.now())).await;
    click(c, "form:has(#code) button[type=submit]").await;
    element(c, "details.me-menu").await;
    assert_console_clean(c, "signing in with two factors").await;
}

/// Opens a console page and checks the browser's console.
async fn open(c: &Client, app: &TestApp, path: &str) {
    c.goto(&format!("{}{path}", app.address)).await.unwrap();
    element(c, "nav.account-nav").await;
    assert_console_clean(c, path).await;
}

/// Waits until the browser is back on a page whose address says `done` (the notice of the
/// action), then checks the notice and the console.
async fn notice(c: &Client, done: &str, step: &str) {
    let deadline = std::time::Instant::now() + crate::browser::PAGE_WAIT;
    loop {
        let url = c.current_url().await.unwrap();
        if url.query().is_some_and(|q| q.contains(done)) {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{step}: still on {url}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(!text_of(c, "p.notice").await.is_empty(), "{step}");
    assert_console_clean(c, step).await;
}

#[tokio::test]
async fn an_admin_suspends_reactivates_resets_and_edits_a_client_and_sees_it_all_audited() {
    if std::env::var("TEST_DATABASE_URL").is_ok_and(|v| !v.is_empty()) {
        eprintln!("skipped: the browser flows run once, on SQLite");
        return;
    }
    let Some(browser) = start_browser().await else {
        return;
    };
    let app = console_app().await;
    app.active_person(ADA, PASSWORD).await;
    let client_id = crate::oidc_helpers::client(&app, false, false).await;
    let secret = member_with_authenticator(&app).await;
    let c = &browser.client;
    sign_in(c, &app, &secret).await;

    open(c, &app, "/+admin").await;
    type_into(c, "#q", "ada@").await;
    click(c, "form[role=search] button[type=submit]").await;
    click(c, "table.admin-people a").await;
    element(c, "#person-heading").await;
    assert_console_clean(c, "the person's page").await;
    let ada = person_id(&app, ADA).await;
    assert!(c.current_url().await.unwrap().path().ends_with(&ada));

    click(c, "#suspend").await;
    notice(c, "done=suspended", "suspending").await;
    assert_eq!(text_of(c, "#person-heading + p .status").await, "suspended");
    assert_eq!(app.person(ADA).await.unwrap().status.as_str(), "suspended");

    click(c, "#reactivate").await;
    notice(c, "done=reactivated", "reactivating").await;
    assert_eq!(app.person(ADA).await.unwrap().status.as_str(), "active");

    let mails = app.smtp.messages().len();
    click(c, "#send-reset").await;
    notice(c, "done=reset", "sending a reset link").await;
    save_screenshot(c, "admin-person.png").await;
    let mail = mail_to(&app, ADA, mails).await;
    assert!(mail.link().contains("/token/"), "{}", mail.link());

    open(c, &app, "/+admin/clients").await;
    let uris = element(c, &format!("#uris-{client_id}")).await;
    uris.clear().await.unwrap();
    let new_uri = "https://rp.example.com/console-callback";
    uris.send_keys(new_uri).await.unwrap();
    click(
        c,
        &format!("form[action='/+admin/clients/{client_id}/redirect-uris'] button[type=submit]"),
    )
    .await;
    // The client's page is another helper's to shape: wait for the change to be stored.
    let deadline = std::time::Instant::now() + crate::browser::PAGE_WAIT;
    loop {
        let stored = latchkey::db::clients::find_client(app.db.pool(), &client_id)
            .await
            .unwrap()
            .unwrap();
        if stored.redirect_uris == vec![new_uri.to_owned()] {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{:?}",
            stored.redirect_uris
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    element(c, "nav.account-nav").await;
    assert_console_clean(c, "saving redirect URIs").await;

    open(c, &app, "/+admin/audit").await;
    let trail = c
        .find(Locator::Css("table.admin-audit"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for expected in [
        "PersonSuspended",
        "PersonReactivated",
        "RecoveryRequested",
        client_id.as_str(),
    ] {
        assert!(trail.contains(expected), "{expected} in {trail}");
    }
    assert!(trail.contains(&format!("admin:{ADMIN}")), "{trail}");
    open(c, &app, "/+admin/teams").await;
    open(c, &app, "/+admin/teams/admins").await;
    save_screenshot(c, "admin-team.png").await;
    browser.close().await;
}

#[tokio::test]
async fn someone_outside_the_admin_team_gets_404_for_every_console_page() {
    let app = console_app().await;
    app.active_person(ADA, PASSWORD).await;
    app.team("ops", "ops@example.org").await;
    let client_id = crate::oidc_helpers::client(&app, false, false).await;
    let ada = person_id(&app, ADA).await;
    let pages = [
        "/+admin".to_owned(),
        "/+admin?q=ada".to_owned(),
        format!("/+admin/people/{ada}"),
        "/+admin/teams".to_owned(),
        "/+admin/teams/ops".to_owned(),
        "/+admin/clients".to_owned(),
        "/+admin/audit".to_owned(),
        "/+admin/audit?code=PersonSuspended".to_owned(),
    ];
    let signed_in = app.sign_in_other(ADA, PASSWORD).await;
    for client in [&browser(), &signed_in] {
        for page in &pages {
            assert_eq!(app.status_as(client, page).await, 404, "{page}");
        }
        let form = client
            .post(format!(
                "{}/+admin/clients/{client_id}/redirect-uris",
                app.address
            ))
            .form(&[
                ("csrf_token", "x"),
                ("redirect_uris", "https://evil.example/"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(form.status().as_u16(), 404);
    }
}
