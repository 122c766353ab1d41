//! The administration console at `/+admin`: hidden (404) from everyone but the members of
//! `admin.team`, who need a recent two-factor sign-in; its people search, suspension and
//! audit view; its forms' CSRF tokens.

use latchkey::clock::Clock;
use latchkey::domain::{EmailAddress, TeamName};
use latchkey::service::admin::Actor;
use latchkey::service::admin::teams::add_member;

use crate::factor_helpers::{
    at_second_step, code_for, enrol_authenticator, get, post, second_step,
};
use crate::helpers::{TestApp, browser, spawn_app_with};

const ADMIN: &str = "root@example.org";
const ADA: &str = "ada@example.org";
const PASSWORD: &str = "correct horse battery staple";
const PAGES: [&str; 3] = ["/+admin", "/+admin/audit", "/+admin?q=ada"];

/// An app whose console belongs to the team `admins`.
pub async fn console_app() -> TestApp {
    let app = spawn_app_with(|s| s.admin.team = Some("admins".to_owned())).await;
    app.team("admins", "admins@example.org").await;
    app
}

/// Makes the person with `email` a member of `admins`.
pub async fn join_admins(app: &TestApp, email: &str) {
    add_member(
        &app.ctx,
        &TeamName::parse("admins").unwrap(),
        &EmailAddress::parse(email).unwrap(),
        &Actor::cli(),
    )
    .await
    .unwrap();
}

/// A member of `admins` with an authenticator app, signed in with `app.client` by password
/// alone; returns the app's secret.
pub async fn member_with_authenticator(app: &TestApp) -> Vec<u8> {
    app.active_person(ADMIN, PASSWORD).await;
    join_admins(app, ADMIN).await;
    let answer = app.post_login(ADMIN, PASSWORD, "login").await;
    assert_eq!(answer.status, 303);
    enrol_authenticator(app, &app.client).await
}

/// A new browser signed in as the administrator with password and authenticator code.
pub async fn admin_browser(app: &TestApp, secret: &[u8]) -> reqwest::Client {
    // A code is accepted once: the next one comes a time step later.
    app.clock.advance(30);
    let client = at_second_step(app, ADMIN, PASSWORD).await;
    let done = second_step(
        app,
        &client,
        "authenticator",
        &code_for(secret, app.clock.now()),
    )
    .await;
    assert_eq!(done.status, 303, "{:?}", done.error());
    client
}

async fn person_id(app: &TestApp, email: &str) -> String {
    app.person(email).await.unwrap().id.as_str().to_owned()
}

#[tokio::test]
async fn every_console_page_is_not_found_for_anonymous_people_and_non_members() {
    let app = console_app().await;
    app.active_person(ADA, PASSWORD).await;
    let ada = person_id(&app, ADA).await;
    let anonymous = browser();
    let member_of_nothing = app.sign_in_other(ADA, PASSWORD).await;
    let person_page = format!("/+admin/people/{ada}");
    for client in [&anonymous, &member_of_nothing] {
        for page in PAGES.iter().copied().chain([person_page.as_str()]) {
            assert_eq!(app.status_as(client, page).await, 404, "{page}");
        }
        let suspend = client
            .post(format!("{}/+admin/people/{ada}/suspend", app.address))
            .form(&[("csrf_token", "x")])
            .send()
            .await
            .unwrap();
        assert_eq!(suspend.status().as_u16(), 404);
    }
    assert_eq!(app.person(ADA).await.unwrap().status.as_str(), "active");
}

#[tokio::test]
async fn without_an_admin_team_there_is_no_console_even_for_a_strong_sign_in() {
    let app = spawn_app_with(|_| {}).await;
    app.team("admins", "admins@example.org").await;
    let secret = member_with_authenticator(&app).await;
    let admin = admin_browser(&app, &secret).await;
    for page in PAGES {
        assert_eq!(app.status_as(&admin, page).await, 404, "{page}");
    }
}

#[tokio::test]
async fn a_member_signed_in_with_a_password_alone_steps_up_before_the_console_opens() {
    let app = console_app().await;
    let secret = member_with_authenticator(&app).await;
    let asked = get(&app, &app.client, "/+admin/audit").await;
    assert_eq!(asked.status, 303);
    assert_eq!(asked.location.as_deref(), Some("/+login/second-step"));
    app.clock.advance(30);
    let code = code_for(&secret, app.clock.now());
    let done = second_step(&app, &app.client, "authenticator", &code).await;
    assert_eq!(done.status, 303, "{:?}", done.error());
    assert_eq!(done.location.as_deref(), Some("/+admin/audit"));
    assert_eq!(get(&app, &app.client, "/+admin/audit").await.status, 200);
}

#[tokio::test]
async fn a_member_whose_two_factor_sign_in_is_too_old_steps_up_again() {
    let app = console_app().await;
    let secret = member_with_authenticator(&app).await;
    let admin = admin_browser(&app, &secret).await;
    assert_eq!(get(&app, &admin, "/+admin").await.status, 200);
    app.clock.advance(16 * 60);
    let asked = get(&app, &admin, "/+admin").await;
    assert_eq!(asked.status, 303);
    assert_eq!(asked.location.as_deref(), Some("/+login/second-step"));
}

#[tokio::test]
async fn a_member_without_a_second_factor_is_refused_the_console() {
    let app = console_app().await;
    app.active_person(ADMIN, PASSWORD).await;
    join_admins(&app, ADMIN).await;
    let member = app.sign_in_other(ADMIN, PASSWORD).await;
    let refused = get(&app, &member, "/+admin").await;
    assert_eq!(refused.status, 403);
    assert!(refused.body.contains("second factor"), "{}", refused.body);
}

#[tokio::test]
async fn an_admin_finds_a_person_suspends_them_and_sees_it_in_the_audit_view() {
    let app = console_app().await;
    app.active_person(ADA, PASSWORD).await;
    let secret = member_with_authenticator(&app).await;
    let admin = admin_browser(&app, &secret).await;
    let ada = person_id(&app, ADA).await;
    let found = get(&app, &admin, "/+admin?q=ADA%40example").await;
    assert_eq!(found.status, 200);
    assert!(
        found.body.contains(&format!("/+admin/people/{ada}")),
        "{}",
        found.body
    );
    let by_name = get(&app, &admin, "/+admin?q=test+person").await;
    assert!(by_name.body.contains(ADA));
    let page = format!("/+admin/people/{ada}");
    let suspended = post(&app, &admin, &page, &format!("{page}/suspend"), &[]).await;
    assert_eq!(suspended.status, 303);
    assert_eq!(app.person(ADA).await.unwrap().status.as_str(), "suspended");
    let audit = get(&app, &admin, "/+admin/audit?code=PersonSuspended").await;
    assert!(
        audit
            .body
            .contains(&format!("{ADA}: active to suspended (by admin:{ADMIN})")),
        "{}",
        audit.body
    );
    let rows: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_events WHERE code = 'PersonSuspended' \
         AND detail LIKE '%(by admin:%'",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(rows, 1);
    let generic: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_events WHERE code = 'AdminAction'")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!(generic, 0, "no generic AdminAction row");
}

#[tokio::test]
async fn a_console_form_without_the_sessions_csrf_token_is_refused() {
    let app = console_app().await;
    app.active_person(ADA, PASSWORD).await;
    let secret = member_with_authenticator(&app).await;
    let admin = admin_browser(&app, &secret).await;
    let ada = person_id(&app, ADA).await;
    let refused = admin
        .post(format!("{}/+admin/people/{ada}/suspend", app.address))
        .form(&[("csrf_token", "not-this-sessions")])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status().as_u16(), 403);
    assert_eq!(app.person(ADA).await.unwrap().status.as_str(), "active");
}

#[tokio::test]
async fn an_admin_edits_a_clients_redirect_uris_and_sees_it_in_the_audit_view() {
    let app = console_app().await;
    let client_id = crate::oidc_helpers::client(&app, false, false).await;
    let secret = member_with_authenticator(&app).await;
    let admin = admin_browser(&app, &secret).await;
    let list = get(&app, &admin, "/+admin/clients").await;
    assert_eq!(list.status, 200);
    assert!(list.body.contains(&client_id));
    let form = format!("/+admin/clients/{client_id}/redirect-uris");
    let refused = post(
        &app,
        &admin,
        "/+admin/clients",
        &form,
        &[("redirect_uris", "javascript:alert(1)")],
    )
    .await;
    assert_eq!(refused.status, 400);
    let new_uri = "https://rp.example.com/new-callback";
    let saved = post(
        &app,
        &admin,
        "/+admin/clients",
        &form,
        &[("redirect_uris", &format!("{new_uri}\n"))],
    )
    .await;
    assert_eq!(saved.status, 303);
    let stored = latchkey::db::clients::find_client(app.db.pool(), &client_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.redirect_uris, vec![new_uri.to_owned()]);
    let audit = get(&app, &admin, &format!("/+admin/audit?client={client_id}")).await;
    assert!(
        audit.body.contains(&format!(
            "client {client_id} changed: redirect_uris={new_uri} (by admin:{ADMIN})"
        )),
        "{}",
        audit.body
    );
}
