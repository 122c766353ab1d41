//! `login.require_second_factor_for_teams`: a signed-in member of a listed team without a
//! second factor is sent to the security page from every other page and from `/authorize`,
//! which waits for them there; once a factor exists, everything goes on as before.

use latchkey::domain::{EmailAddress, TeamName};

use crate::factor_admin::{insert_authenticator, insert_passkey};
use crate::helpers::{TestApp, spawn_app_with};
use crate::login_helpers::unescape;
use crate::oidc_helpers::{CALLBACK, authorize_url, get, param, registered};

const ADA: &str = "ada@example.org";
const ENROL: &str = "/+account/security?enrol=1";

/// A server whose `admins` team requires a second factor, with Ada a member and Grace not;
/// the browser client is signed in as `who`.
async fn policy_app(who: &str) -> TestApp {
    let app = spawn_app_with(|s| {
        s.login.require_second_factor_for_teams = vec!["admins".to_owned()];
    })
    .await;
    app.team("admins", "admins@example.org").await;
    app.team("analysts", "analysts@example.org").await;
    app.active_person(ADA, "correct horse").await;
    app.active_person("grace@example.org", "correct horse")
        .await;
    for (team, member) in [("admins", ADA), ("analysts", "grace@example.org")] {
        latchkey::service::admin::teams::add_member(
            &app.ctx,
            &TeamName::parse(team).unwrap(),
            &EmailAddress::parse(member).unwrap(),
            &latchkey::service::admin::Actor::cli(),
        )
        .await
        .unwrap();
    }
    let answer = app.post_login(who, "correct horse", "login").await;
    assert_eq!(answer.location.as_deref(), Some("/+account"), "signed in");
    app
}

/// Where `GET path` sends the browser client, if anywhere.
async fn sent_from(app: &TestApp, path: &str) -> (u16, Option<String>) {
    let (status, location, _) = get(app, &format!("{}{path}", app.address)).await;
    (status, location)
}

#[tokio::test]
async fn a_member_of_a_listed_team_without_a_factor_is_sent_to_enrol_from_every_other_page() {
    let app = policy_app(ADA).await;
    for path in ["/+account", "/+account/api-keys"] {
        assert_eq!(
            sent_from(&app, path).await,
            (303, Some(ENROL.to_owned())),
            "{path}"
        );
    }
    let page = app.page(ENROL).await;
    assert!(
        page.contains("Members of the team admins must sign in with a second factor"),
        "{page}"
    );
    // Forms of other pages are held back too; logging out is not.
    let csrf = app.csrf_from("/+login").await;
    let answer = app
        .post_form("/+account/sessions/end-others", &[("csrf_token", &csrf)])
        .await;
    assert_eq!(answer.location.as_deref(), Some(ENROL));
    let answer = app.post_form("/+logout", &[("csrf_token", &csrf)]).await;
    assert_eq!(answer.location.as_deref(), Some("/+login"));
    assert!(!app.signed_in().await);
}

#[tokio::test]
async fn a_person_outside_the_listed_teams_is_not_sent_to_enrol() {
    let app = policy_app("grace@example.org").await;
    assert_eq!(sent_from(&app, "/+account").await, (200, None));
    let page = app.page("/+account/security").await;
    assert!(!page.contains("enrol-heading"), "{page}");
    let rp = registered(&app, false).await;
    let (status, location) = sent_from(&app, &authorize_path_of(&app, &rp.id)).await;
    assert_eq!(status, 303);
    assert!(location.unwrap().starts_with(CALLBACK));
}

#[tokio::test]
async fn once_a_factor_exists_the_member_is_no_longer_sent_to_enrol() {
    let app = policy_app(ADA).await;
    assert_eq!(sent_from(&app, "/+account").await.0, 303);
    let ada = app.person(ADA).await.unwrap().id;
    insert_authenticator(&app, &ada, "Phone").await;
    assert_eq!(sent_from(&app, "/+account").await, (200, None));
    let page = app.page(ENROL).await;
    assert!(!page.contains("enrol-heading"), "{page}");
}

#[tokio::test]
async fn recovery_codes_alone_do_not_satisfy_the_policy() {
    let app = policy_app(ADA).await;
    let ada = app.person(ADA).await.unwrap().id;
    crate::factor_admin::insert_recovery_codes(&app, &ada, 10).await;
    assert_eq!(sent_from(&app, "/+account").await.0, 303);
}

/// The wiki's `/authorize` request, as a path.
fn authorize_path_of(app: &TestApp, client_id: &str) -> String {
    authorize_url(app, client_id, &[]).replacen(&app.address, "", 1)
}

#[tokio::test]
async fn authorize_sends_a_member_without_a_factor_to_enrol_and_the_request_waits_there() {
    let app = policy_app(ADA).await;
    let rp = registered(&app, false).await;
    let (status, location) = sent_from(&app, &authorize_path_of(&app, &rp.id)).await;
    assert_eq!((status, location.as_deref()), (303, Some(ENROL)));
    let codes = app
        .count("SELECT COUNT(*) AS n FROM authorization_codes")
        .await;
    assert_eq!(codes, 0, "nothing is issued before the factor");

    let page = app.page(ENROL).await;
    assert!(!page.contains("enrol-resume"), "{page}");
    let ada = app.person(ADA).await.unwrap().id;
    insert_passkey(&app, &ada, "Work laptop", None).await;

    let page = app.page("/+account/security?done=passkey-added").await;
    let resume = page
        .split("id=\"enrol-resume\" href=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .map(unescape)
        .unwrap_or_else(|| panic!("a way back to the request: {page}"));
    assert!(resume.starts_with("/authorize?"), "{resume}");
    let (status, location) = sent_from(&app, &resume).await;
    assert_eq!(status, 303);
    let location = location.unwrap();
    assert!(location.starts_with(CALLBACK), "{location}");
    assert!(param(&location, "code").is_some(), "{location}");
    assert_eq!(param(&location, "state").as_deref(), Some("st4te"));
    // The way back is offered once.
    assert!(
        !app.page("/+account/security")
            .await
            .contains("enrol-resume")
    );
}

#[tokio::test]
async fn a_silent_authorize_request_of_a_member_without_a_factor_gets_login_required() {
    let app = policy_app(ADA).await;
    let rp = registered(&app, false).await;
    let url = authorize_url(&app, &rp.id, &[("prompt", "none")]);
    let (status, location, _) = get(&app, &url).await;
    assert_eq!(status, 303);
    let location = location.unwrap();
    assert!(location.starts_with(CALLBACK), "{location}");
    assert_eq!(param(&location, "error").as_deref(), Some("login_required"));
}
