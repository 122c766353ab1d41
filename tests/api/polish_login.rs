//! The pages on the way to a sign-in name the application that asked and the host it sends
//! the browser back to: the login form (for a relying party and for auth delegation) and the
//! consent page. Without a request, or for one that cannot be trusted, they name nothing.

use crate::helpers::{spawn_app, spawn_app_with};
use crate::oidc_helpers::{CALLBACK, authorize_url, client, get, sign_in_ada};

/// The line that names the application.
const APP_LINE: &str = "class=\"requesting-app\"";

/// Follows `/authorize` to the login form it sends a signed-out browser to: its address.
async fn login_detour(app: &crate::helpers::TestApp, start: &str) -> String {
    let (status, location, _) = get(app, start).await;
    assert_eq!(status, 303);
    let login = location.unwrap();
    assert!(login.starts_with("/+login?next="), "{login}");
    login
}

#[tokio::test]
async fn the_login_page_names_the_application_and_its_host_during_a_sign_in_request() {
    let app = spawn_app().await;
    let id = client(&app, false, true).await;
    let login = login_detour(&app, &authorize_url(&app, &id, &[])).await;

    let page = app.page(&login).await;
    assert!(
        page.contains("to continue to Wiki at wiki.example.org"),
        "{page}"
    );

    let german = app.page(&format!("{login}&lang=de")).await;
    assert!(
        german.contains("weiter zu Wiki auf wiki.example.org"),
        "{german}"
    );
}

#[tokio::test]
async fn the_login_page_names_no_application_without_a_request() {
    let app = spawn_app().await;
    for path in ["/+login", "/+login?next=%2F%2Baccount"] {
        let page = app.page(path).await;
        assert!(!page.contains(APP_LINE), "{path}: {page}");
        assert!(!page.contains("to continue to"), "{path}");
    }
}

#[tokio::test]
async fn an_unknown_client_or_unregistered_redirect_uri_names_nothing_and_the_form_still_shows() {
    let app = spawn_app().await;
    let id = client(&app, false, true).await;
    let unknown = authorize_url(&app, "no-such-client", &[]);
    let elsewhere = authorize_url(&app, &id, &[]).replace(
        &url::form_urlencoded::byte_serialize(CALLBACK.as_bytes()).collect::<String>(),
        "https%3A%2F%2Fevil.example.net%2Fcb",
    );
    assert!(elsewhere.contains("evil.example.net"), "{elsewhere}");
    for start in [unknown, elsewhere] {
        let next = start.trim_start_matches(&app.address).to_owned();
        let login = format!(
            "/+login?next={}",
            url::form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>()
        );
        let res = app
            .client
            .get(format!("{}{login}", app.address))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{login}");
        let page = res.text().await.unwrap();
        assert!(page.contains("name=\"password\""), "the form: {page}");
        assert!(!page.contains(APP_LINE), "{login}: {page}");
    }
}

#[tokio::test]
async fn the_consent_page_shows_the_application_s_host() {
    let app = spawn_app().await;
    let id = client(&app, false, false).await;
    sign_in_ada(&app).await;
    let (status, _, page) = get(&app, &authorize_url(&app, &id, &[])).await;
    assert_eq!(status, 200, "{page}");
    assert!(
        page.contains("Wiki is at wiki.example.org: your answer takes you back there."),
        "{page}"
    );
    let (_, _, german) = get(&app, &authorize_url(&app, &id, &[("lang", "de")])).await;
    assert!(
        german.contains("Wiki ist unter wiki.example.org erreichbar"),
        "{german}"
    );
}

#[tokio::test]
async fn the_login_page_names_an_application_that_asks_for_an_api_key() {
    let app = spawn_app_with(|s| {
        s.auth_delegation.enabled = true;
    })
    .await;
    let request = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("callback", "https://tracker.example.com/keys")
        .append_pair("description", "Bug tracker")
        .finish();
    let res = app
        .client
        .get(format!("{}/auth.cgi?{request}", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let login = res.headers()["location"].to_str().unwrap().to_owned();
    let page = app.page(&login).await;
    assert!(
        page.contains("to continue to Bug tracker at tracker.example.com"),
        "{login}: {page}"
    );

    // A callback the confirmation page would refuse names nothing.
    let refused = "/+login?next=%2Fauth.cgi%3Fcallback%3Dhttp%253A%252F%252Ftracker.example.com%252Fk%26description%3DBug%2Btracker";
    let page = app.page(refused).await;
    assert!(!page.contains(APP_LINE), "{page}");
}

#[tokio::test]
async fn a_client_name_and_login_hint_with_markup_are_escaped_and_never_evaluated() {
    let app = spawn_app().await;
    let payload = "<script>alert(1)</script>\"><svg onload=alert(1)>{{7*7}}";
    let mut wiki = crate::oidc_helpers::wiki(false, false);
    wiki.name = payload.to_owned();
    let id = crate::oidc_helpers::register(&app, wiki).await.id;
    let start = authorize_url(&app, &id, &[("login_hint", payload)]);
    let login = login_detour(&app, &start).await;
    let page = app.page(&login).await;
    let line = page
        .split(APP_LINE)
        .nth(1)
        .and_then(|rest| rest.split("</p>").next())
        .unwrap_or_else(|| panic!("no application line: {page}"));
    assert!(line.contains("&lt;script&gt;"), "{line}");
    assert!(
        line.contains("{{7*7}}"),
        "shown as text, not evaluated: {line}"
    );
    assert!(!page.contains("<script>alert"), "{page}");
    assert!(!page.contains("<svg"), "{page}");

    sign_in_ada(&app).await;
    let (status, _, consent) = get(&app, &authorize_url(&app, &id, &[])).await;
    assert_eq!(status, 200, "{consent}");
    assert!(!consent.contains("<script>alert"), "{consent}");
    assert!(!consent.contains("<svg"), "{consent}");
    assert!(consent.contains("{{7*7}}"), "shown as text: {consent}");
}
