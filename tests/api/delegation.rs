//! Auth delegation (`/auth.cgi`) against a real callback server on loopback: consent, delivery
//! of a working key, the redirect back, and every way it must fail safely (the refusals before
//! the confirmation page are in `delegation_refusals.rs`).

use latchkey::config::Settings;

use crate::api_keys::{signed_in_ada, whoami_with};
use crate::callback_server::{Behaviour, CallbackServer, RESULT, refusing_url};
use crate::helpers::{TestApp, spawn_app_with};
use crate::login_helpers::{Answer, unescape};

/// Delegation on, with loopback http callbacks allowed (the test callbacks run there).
async fn delegation_app() -> TestApp {
    spawn_app_with(allow_loopback).await
}

fn allow_loopback(s: &mut Settings) {
    s.auth_delegation.enabled = true;
    s.auth_delegation.allow_http = true;
    s.auth_delegation.allowed_hosts = vec!["127.0.0.1".to_owned()];
    s.auth_delegation.callback_timeout_secs = 1;
}

fn request_path(callback: &str, description: &str) -> String {
    format!(
        "/auth.cgi?{}",
        url::form_urlencoded::Serializer::new(String::new())
            .append_pair("callback", callback)
            .append_pair("description", description)
            .finish()
    )
}

/// `GET /auth.cgi` with the browser client.
pub(crate) async fn ask(app: &TestApp, callback: &str, description: &str) -> (u16, String) {
    let res = app
        .client
        .get(format!(
            "{}{}",
            app.address,
            request_path(callback, description)
        ))
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

fn hidden(page: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = page.find(&marker).unwrap_or_else(|| panic!("no {name}")) + marker.len();
    unescape(page[start..].split('"').next().unwrap())
}

/// Posts the confirmation form of a page, with fields replaced or added as given.
async fn confirm(app: &TestApp, page: &str, replace: &[(&str, &str)]) -> Answer {
    let mut fields: Vec<(String, String)> =
        ["csrf_token", "confirm_token", "callback", "description"]
            .iter()
            .map(|name| ((*name).to_owned(), hidden(page, name)))
            .collect();
    for (name, value) in replace {
        match fields.iter_mut().find(|field| field.0 == *name) {
            Some(field) => field.1 = (*value).to_owned(),
            None => fields.push(((*name).to_owned(), (*value).to_owned())),
        }
    }
    let borrowed: Vec<(&str, &str)> = fields
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    app.post_form("/auth.cgi", &borrowed).await
}

async fn live_keys(app: &TestApp) -> i64 {
    app.count("SELECT COUNT(*) AS n FROM api_keys WHERE revoked_at IS NULL")
        .await
}

#[tokio::test]
async fn a_confirmed_delegation_delivers_a_working_key_and_sends_the_browser_back() {
    let app = delegation_app().await;
    signed_in_ada(&app).await;
    let callback = CallbackServer::start(Behaviour::Accept);
    let with_query = format!("{}?state=abc", callback.url);
    let (status, page) = ask(&app, &with_query, "Bug triage app").await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("<strong class=\"callback-host\">127.0.0.1</strong>"));
    assert!(page.contains(&format!("<code class=\"callback\">{}</code>", callback.url)));
    assert!(page.contains("Bug triage app"));
    assert_eq!(
        live_keys(&app).await,
        0,
        "nothing is made before the person confirms"
    );

    let answer = confirm(&app, &page, &[]).await;
    assert_eq!(answer.status, 303, "{}", answer.body);
    let location = answer.location.unwrap();
    let received = callback.received();
    assert_eq!(received.len(), 1);
    let key = received[0]["client_api_key"].as_str().unwrap().to_owned();
    assert_eq!(received[0]["client_api_login"], "ada@example.org");
    assert!(!location.contains(&key), "the key is never in a URL");
    let redirect = url::Url::parse(&location).unwrap();
    assert_eq!(
        format!(
            "{}://{}{}",
            redirect.scheme(),
            redirect.host_str().unwrap(),
            redirect.path()
        ),
        "http://127.0.0.1/cb"
    );
    let query: Vec<(String, String)> = redirect.query_pairs().into_owned().collect();
    assert_eq!(
        query,
        [
            ("state".to_owned(), "abc".to_owned()),
            ("client_api_login".to_owned(), "ada@example.org".to_owned()),
            ("callback_result".to_owned(), RESULT.to_owned()),
        ]
    );

    let (status, me) = whoami_with(&app, "X-API-Key", &key).await;
    assert_eq!(status, 200, "{me}");
    assert_eq!(me["name"], "ada@example.org");
    let tab = app.page("/+account/api-keys").await;
    assert!(tab.contains("Bug triage app") && tab.contains("given to an application"));
    let mail = app.smtp.wait_for(1).await;
    assert!(mail.data.contains("Bug triage app"));
    assert!(!mail.data.contains(&key[7..]));
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM audit_events WHERE code = 'DelegationSucceeded'")
            .await,
        1
    );
}

#[tokio::test]
async fn the_same_app_asking_again_gets_its_key_entry_back_with_a_fresh_secret() {
    let app = delegation_app().await;
    signed_in_ada(&app).await;
    let callback = CallbackServer::start(Behaviour::Accept);
    for _ in 0..2 {
        let (_, page) = ask(&app, &callback.url, "Bug triage app").await;
        assert_eq!(confirm(&app, &page, &[]).await.status, 303);
    }
    let received = callback.received();
    let first = received[0]["client_api_key"].as_str().unwrap();
    let second = received[1]["client_api_key"].as_str().unwrap();
    assert_ne!(first, second);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM api_keys").await, 1);
    assert_eq!(whoami_with(&app, "X-API-Key", second).await.0, 200);
    assert_eq!(whoami_with(&app, "X-API-Key", first).await.0, 401);

    let (_, page) = ask(&app, &callback.url, "Another app").await;
    assert_eq!(confirm(&app, &page, &[]).await.status, 303);
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM api_keys").await,
        2,
        "another description is another app"
    );
    // The mail is queued before the browser is sent back, so the outbox already holds every
    // mail these three delegations will ever send.
    let (queued, sent, failed) = latchkey::db::outbox::counts(app.db.pool()).await.unwrap();
    assert_eq!(queued + sent + failed, 2, "one mail per new key");
    app.smtp.wait_for(2).await;
}

#[tokio::test]
async fn every_callback_failure_shows_an_error_page_and_leaves_no_live_key() {
    let app = delegation_app().await;
    signed_in_ada(&app).await;
    let refused = refusing_url();
    let cases = [
        Behaviour::Stall,
        Behaviour::Fail,
        Behaviour::NotJson,
        Behaviour::NoResult,
        Behaviour::Redirect,
        Behaviour::Huge,
    ];
    let mut servers = Vec::new();
    let mut urls = vec![("refused".to_owned(), refused)];
    for behaviour in cases {
        let server = CallbackServer::start(behaviour);
        urls.push((format!("{behaviour:?}"), server.url.clone()));
        servers.push(server);
    }
    for (name, url) in &urls {
        let (status, page) = ask(&app, url, "Flaky app").await;
        assert_eq!(status, 200, "{name}: {page}");
        let answer = confirm(&app, &page, &[]).await;
        assert_eq!(answer.status, 502, "{name}: {}", answer.body);
        assert!(answer.location.is_none());
        assert!(
            answer.body.contains("did not get a key"),
            "{name}: {}",
            answer.body
        );
        assert_eq!(
            live_keys(&app).await,
            0,
            "{name}: no live key is left behind"
        );
    }
    assert_eq!(
        servers.iter().map(|s| s.received().len()).sum::<usize>(),
        cases.len(),
        "each callback was called once, and the redirect was not followed"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM audit_events WHERE code = 'DelegationFailed'")
            .await,
        i64::try_from(urls.len()).unwrap()
    );
    assert!(
        app.smtp.messages().is_empty(),
        "no 'new key' mail for keys never handed out"
    );
}

#[tokio::test]
async fn a_confirmation_token_is_single_use_and_bound_to_its_callback_and_person() {
    let app = delegation_app().await;
    signed_in_ada(&app).await;
    let callback = CallbackServer::start(Behaviour::Accept);
    let elsewhere = callback.url.replace("/cb", "/elsewhere");

    let (_, page) = ask(&app, &callback.url, "Bug triage app").await;
    let moved = confirm(&app, &page, &[("callback", &elsewhere)]).await;
    assert_eq!(moved.status, 403, "another callback");
    let after = confirm(&app, &page, &[]).await;
    assert_eq!(
        after.status, 403,
        "the token was used up by the refused attempt"
    );

    let (_, page) = ask(&app, &callback.url, "Bug triage app").await;
    let renamed = confirm(&app, &page, &[("description", "Other app")]).await;
    assert_eq!(renamed.status, 403, "another description");

    let (_, page) = ask(&app, &callback.url, "Bug triage app").await;
    let forged = confirm(&app, &page, &[("csrf_token", "forged")]).await;
    assert_eq!(forged.status, 403, "no CSRF token");
    assert_eq!(confirm(&app, &page, &[]).await.status, 303);
    assert_eq!(confirm(&app, &page, &[]).await.status, 403, "replayed");

    let (_, page) = ask(&app, &callback.url, "Bug triage app").await;
    app.active_person("grace@example.org", "a good password")
        .await;
    let grace = app
        .sign_in_other("grace@example.org", "a good password")
        .await;
    let grace_page = app.page_as(&grace, "/+account").await;
    let res = grace
        .post(format!("{}/auth.cgi", app.address))
        .form(&[
            ("csrf_token", hidden(&grace_page, "csrf_token")),
            ("confirm_token", hidden(&page, "confirm_token")),
            ("callback", hidden(&page, "callback")),
            ("description", hidden(&page, "description")),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403, "Ada's token is not Grace's");
    assert_eq!(
        callback.received().len(),
        1,
        "only the one good confirmation delivered"
    );
}

#[tokio::test]
async fn without_a_session_the_person_signs_in_and_then_sees_the_confirmation_page() {
    let app = delegation_app().await;
    app.active_person("ada@example.org", "correct horse").await;
    let callback = CallbackServer::start(Behaviour::Accept);
    let (status, _) = ask(&app, &callback.url, "Bug triage app").await;
    assert_eq!(status, 303);
    let res = app
        .client
        .get(format!(
            "{}{}",
            app.address,
            request_path(&callback.url, "Bug triage app")
        ))
        .send()
        .await
        .unwrap();
    let login = res.headers()["location"].to_str().unwrap().to_owned();
    assert!(login.starts_with("/+login?next=%2Fauth.cgi%3F"), "{login}");
    let answer = app
        .sign_in_at(&login, "ada@example.org", "correct horse")
        .await;
    assert_eq!(answer.status, 303);
    let back = answer.location.unwrap();
    assert!(back.starts_with("/auth.cgi?"), "{back}");
    let page = app.page(&back).await;
    assert!(
        page.contains("confirm_token"),
        "the confirmation page, never an auto-confirm"
    );
    assert!(callback.received().is_empty());
    assert_eq!(live_keys(&app).await, 0);
}

#[tokio::test]
async fn a_delegation_asks_for_the_password_when_it_was_entered_long_ago() {
    let app = delegation_app().await;
    signed_in_ada(&app).await;
    app.clock.advance(10 * 60 + 1);
    let callback = CallbackServer::start(Behaviour::Accept);
    let (status, page) = ask(&app, &callback.url, "Bug triage app").await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("name=\"password\""), "{page}");
    assert!(
        page.contains(
            "<input type=\"text\" name=\"username\" autocomplete=\"username\" \
             value=\"ada@example.org\" readonly hidden>"
        ),
        "password managers learn whose password it is: {page}"
    );

    let without = confirm(&app, &page, &[]).await;
    assert_eq!(without.status, 400);
    assert_eq!(
        without.error().as_deref(),
        Some("The current password is not correct.")
    );
    let wrong = confirm(&app, &without.body, &[("password", "not it")]).await;
    assert_eq!(wrong.status, 400);
    assert!(callback.received().is_empty(), "nothing delivered");
    assert_eq!(live_keys(&app).await, 0, "nothing made");

    let right = confirm(&app, &wrong.body, &[("password", "correct horse")]).await;
    assert_eq!(right.status, 303, "{}", right.body);
    assert_eq!(callback.received().len(), 1);
    assert_eq!(live_keys(&app).await, 1);
    let (_, again) = ask(&app, &callback.url, "Another app").await;
    assert!(
        !again.contains("name=\"password\""),
        "entered just now: not asked again"
    );
}
