//! The language switch of every page in a flow keeps the request in progress: a sign-in
//! request's parameters, the login form's `next`, a logout request, a delegation, an emailed
//! link.

use crate::helpers::spawn_app;
use crate::login_helpers::csrf_in;
use crate::page_policy::{
    WIKI, allow_loopback_callbacks, authorize_path, delegation_path, get, login_path, post,
    signed_in_app, wiki,
};

fn query_value(path: &str, name: &str) -> Option<String> {
    url::Url::parse(&format!("http://x{path}"))
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

#[tokio::test]
async fn the_language_switch_on_the_login_form_keeps_the_sign_in_request() {
    let app = spawn_app().await;
    let id = wiki(&app).await;
    let request = authorize_path(&id, &format!("{WIKI}/cb"));
    let login = get(&app, &login_path(&request)).await;
    let german = login.switch_to("de");
    assert_eq!(
        query_value(&german, "next").as_deref(),
        Some(request.as_str())
    );
    assert_eq!(query_value(&german, "lang").as_deref(), Some("de"));
    let page = get(&app, &german).await;
    assert!(page.body.contains("Anmelden oder ein Konto anlegen"));
    assert!(page.body.contains(&format!(
        "name=\"next\" value=\"{}\"",
        request.replace('&', "&amp;")
    )));

    // After a refused attempt (a page the POST answered) the switch still keeps it.
    let again = post(
        &app,
        "/+login",
        &[
            ("email", "nobody@example.org"),
            ("password", "x"),
            ("action", "login"),
            ("csrf_token", &csrf_in(&page.body)),
            ("next", &request),
        ],
    )
    .await;
    let english = again.switch_to("en");
    assert_eq!(
        query_value(&english, "next").as_deref(),
        Some(request.as_str())
    );
    assert!(english.starts_with("/+login?"));
}

#[tokio::test]
async fn the_language_switch_on_the_consent_page_keeps_the_sign_in_request() {
    let app = signed_in_app(|_| {}).await;
    let id = wiki(&app).await;
    let consent = get(&app, &authorize_path(&id, &format!("{WIKI}/cb"))).await;
    let german = consent.switch_to("de");
    assert!(german.starts_with("/authorize?"));
    assert_eq!(query_value(&german, "client_id"), Some(id));
    let page = get(&app, &german).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Bei Wiki als Test Person anmelden?"));
    assert_eq!(page.form_action(), format!("'self' {WIKI}"));
}

#[tokio::test]
async fn the_language_switch_on_the_logout_and_delegation_pages_keeps_the_request() {
    let app = signed_in_app(allow_loopback_callbacks).await;
    let id = wiki(&app).await;
    let query = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("client_id", &id)
        .append_pair("post_logout_redirect_uri", &format!("{WIKI}/bye"))
        .append_pair("state", "st")
        .finish();
    let logout = get(&app, &format!("/logout?{query}")).await;
    let german = logout.switch_to("de");
    assert_eq!(
        query_value(&german, "post_logout_redirect_uri"),
        Some(format!("{WIKI}/bye"))
    );
    let page = get(&app, &german).await;
    assert!(page.body.contains("Von Latchkey abmelden?"));
    assert!(page.body.contains("value=\"st\""), "the state is kept");

    let delegation = get(&app, &delegation_path("http://127.0.0.1:9/cb")).await;
    let german = delegation.switch_to("de");
    assert_eq!(
        query_value(&german, "callback").as_deref(),
        Some("http://127.0.0.1:9/cb")
    );
    let page = get(&app, &german).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Zugriff geben"));
}

#[tokio::test]
async fn the_language_switch_on_an_emailed_link_page_keeps_the_link() {
    let app = spawn_app().await;
    app.post_login("new@example.org", "", "createaccount").await;
    let link = app.smtp.wait_for(1).await.link();
    let path = link.strip_prefix(&app.address).unwrap();
    let form = get(&app, path).await;
    assert_eq!(form.switch_to("de"), "?lang=de", "the same page in German");
    let page = get(&app, &format!("{path}?lang=de")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Konto anlegen"));
}
