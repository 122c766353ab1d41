//! `checkid_setup` and `checkid_immediate` refused or answered without a page: a `return_to`
//! outside the realm or a realm covering a public suffix gets the error page and no redirect;
//! `checkid_immediate` answers `setup_needed` when nobody is signed in or nothing is remembered;
//! the decision page's answer works once, and Cancel returns `cancel`.

use crate::helpers::{TestApp, spawn_app};
use crate::login_helpers::{Answer, csrf_in};

const RP: &str = "http://127.0.0.1:9";
const SELECT: &str = "http://specs.openid.net/auth/2.0/identifier_select";

fn checkid(mode: &str, realm: &str, return_to: &str) -> String {
    let query = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("openid.ns", "http://specs.openid.net/auth/2.0")
        .append_pair("openid.mode", mode)
        .append_pair("openid.realm", realm)
        .append_pair("openid.return_to", return_to)
        .append_pair("openid.claimed_id", SELECT)
        .append_pair("openid.identity", SELECT)
        .finish();
    format!("/+openid?{query}")
}

async fn get(app: &TestApp, path: &str) -> Answer {
    Answer::of(
        app.client
            .get(format!("{}{path}", app.address))
            .send()
            .await
            .unwrap(),
    )
    .await
}

async fn signed_in_ada(app: &TestApp) {
    app.active_person("ada@example.org", "correct horse battery")
        .await;
    let answer = app
        .post_login("ada@example.org", "correct horse battery", "login")
        .await;
    assert_eq!(answer.status, 303, "{}", answer.body);
}

fn openid_mode(location: &str) -> String {
    url::Url::parse(location)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "openid.mode")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

#[tokio::test]
async fn a_return_to_outside_the_realm_gets_the_error_page_and_no_redirect() {
    let app = spawn_app().await;
    signed_in_ada(&app).await;
    let answer = get(
        &app,
        &checkid(
            "checkid_setup",
            &format!("{RP}/"),
            "https://evil.example.net/finish",
        ),
    )
    .await;
    assert_eq!(answer.status, 400, "{}", answer.body);
    assert!(answer.location.is_none());
    assert!(answer.body.contains("outside"), "{}", answer.body);
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM openid_requests").await,
        0
    );
}

#[tokio::test]
async fn a_realm_that_covers_a_public_suffix_is_refused() {
    let app = spawn_app().await;
    signed_in_ada(&app).await;
    let answer = get(
        &app,
        &checkid(
            "checkid_setup",
            "http://*.com/",
            "http://rp.example.com/finish",
        ),
    )
    .await;
    assert_eq!(answer.status, 400, "{}", answer.body);
    assert!(answer.location.is_none());
}

#[tokio::test]
async fn checkid_immediate_answers_setup_needed_when_nobody_is_signed_in() {
    let app = spawn_app().await;
    let answer = get(
        &app,
        &checkid(
            "checkid_immediate",
            &format!("{RP}/"),
            &format!("{RP}/finish"),
        ),
    )
    .await;
    assert_eq!(answer.status, 303);
    let location = answer.location.unwrap();
    assert!(location.starts_with(&format!("{RP}/finish?")), "{location}");
    assert_eq!(openid_mode(&location), "setup_needed");
}

#[tokio::test]
async fn checkid_immediate_without_a_remembered_decision_answers_setup_needed() {
    let app = spawn_app().await;
    signed_in_ada(&app).await;
    let answer = get(
        &app,
        &checkid(
            "checkid_immediate",
            &format!("{RP}/"),
            &format!("{RP}/finish"),
        ),
    )
    .await;
    assert_eq!(answer.status, 303);
    assert_eq!(openid_mode(&answer.location.unwrap()), "setup_needed");
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM openid_requests").await,
        0
    );
}

#[tokio::test]
async fn checkid_setup_sends_a_signed_out_person_to_the_login_form_and_back() {
    let app = spawn_app().await;
    let request = checkid("checkid_setup", &format!("{RP}/"), &format!("{RP}/finish"));
    let answer = get(&app, &request).await;
    assert_eq!(answer.status, 303);
    let login = answer.location.unwrap();
    assert!(login.starts_with("/+login?next="), "{login}");
    let next: String = url::Url::parse(&format!("http://x{login}"))
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "next")
        .unwrap()
        .1
        .into_owned();
    assert!(next.starts_with("/+openid?"), "{next}");
}

#[tokio::test]
async fn a_decision_is_taken_once_and_cancel_returns_cancel() {
    let app = spawn_app().await;
    signed_in_ada(&app).await;
    let page = get(
        &app,
        &checkid("checkid_setup", &format!("{RP}/"), &format!("{RP}/finish")),
    )
    .await;
    assert_eq!(page.status, 200, "{}", page.body);
    let handle = page
        .body
        .split("name=\"handle\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let csrf = csrf_in(&page.body);
    let fields = [
        ("csrf_token", csrf.as_str()),
        ("handle", handle.as_str()),
        ("decision", "cancel"),
    ];
    let first = app.post_form("/+openid/decide", &fields).await;
    assert_eq!(first.status, 303, "{}", first.body);
    assert_eq!(openid_mode(&first.location.unwrap()), "cancel");
    let again = app.post_form("/+openid/decide", &fields).await;
    assert_eq!(again.status, 400, "{}", again.body);
    assert!(again.location.is_none());
    // Cancelling remembers nothing: the next immediate request still needs the page.
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM openid_decisions")
            .await,
        0
    );
}

#[tokio::test]
async fn a_decision_without_this_sessions_csrf_token_changes_nothing() {
    let app = spawn_app().await;
    signed_in_ada(&app).await;
    let page = get(
        &app,
        &checkid("checkid_setup", &format!("{RP}/"), &format!("{RP}/finish")),
    )
    .await;
    let handle = page
        .body
        .split("name=\"handle\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let forged = app
        .post_form(
            "/+openid/decide",
            &[
                ("csrf_token", "forged"),
                ("handle", &handle),
                ("decision", "allow"),
            ],
        )
        .await;
    assert_eq!(forged.status, 403, "{}", forged.body);
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM openid_decisions")
            .await,
        0
    );
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM openid_requests WHERE answered_at IS NULL")
            .await,
        1
    );
}
