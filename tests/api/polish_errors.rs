//! Every error page a browser sees is the styled, localised page with a way home and a
//! labelled reference (the request id): unknown addresses and tokens, unserved methods, what
//! actix cannot read, bodies over the limit, failures. API clients keep their answers.

use reqwest::Method;

use crate::helpers::{TestApp, spawn_app};

/// What a browser sees: status, `X-Request-Id`, `Content-Type`, body.
struct Seen {
    status: u16,
    reference: String,
    content_type: String,
    body: String,
}

impl Seen {
    async fn of(res: reqwest::Response) -> Self {
        let header = |name: &str| {
            res.headers()
                .get(name)
                .map(|v| v.to_str().unwrap().to_owned())
                .unwrap_or_default()
        };
        let (status, reference, content_type) = (
            res.status().as_u16(),
            header("x-request-id"),
            header("content-type"),
        );
        Self {
            status,
            reference,
            content_type,
            body: res.text().await.unwrap(),
        }
    }

    /// The styled page in `lang`, with its heading, a way home and the labelled reference.
    fn assert_page(&self, lang: &str, heading: &str) {
        let page = &self.body;
        assert!(self.content_type.starts_with("text/html"), "{page}");
        assert!(page.contains(&format!("<html lang=\"{lang}\">")), "{page}");
        assert!(page.contains("/static/css/latchkey.css"), "styled: {page}");
        assert!(page.contains(&format!("<h1>{heading}</h1>")), "{page}");
        let (home, label) = match lang {
            "de" => ("Zur Startseite", "Referenz"),
            _ => ("Go to the home page", "Reference"),
        };
        assert!(
            page.contains(&format!("<a href=\"/\">{home}</a>")),
            "a way home: {page}"
        );
        assert!(!self.reference.is_empty());
        assert!(
            page.contains(&format!("{label}: {}", self.reference)),
            "the labelled reference: {page}"
        );
    }
}

/// `method path` as a browser asking for pages in `lang` sends it, with an optional form body.
async fn as_browser(
    app: &TestApp,
    method: Method,
    path: &str,
    lang: &str,
    form: Option<String>,
) -> Seen {
    let mut req = app
        .client
        .request(method, format!("{}{path}", app.address))
        .header("accept", "text/html,application/xhtml+xml,*/*;q=0.8")
        .header("accept-language", lang);
    if let Some(body) = form {
        req = req
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body);
    }
    Seen::of(req.send().await.unwrap()).await
}

#[tokio::test]
async fn an_unknown_address_shows_the_page_with_a_way_home_and_its_reference() {
    let app = spawn_app().await;
    let en = as_browser(&app, Method::GET, "/nowhere", "en", None).await;
    assert_eq!(en.status, 404);
    en.assert_page("en", "Page not found");
    let de = as_browser(&app, Method::GET, "/nowhere", "de", None).await;
    de.assert_page("de", "Seite nicht gefunden");
}

#[tokio::test]
async fn a_method_a_path_does_not_serve_shows_a_labelled_reference_not_a_bare_id() {
    let app = spawn_app().await;
    for (lang, heading) in [
        ("en", "This address does not answer that kind of request"),
        (
            "de",
            "Diese Adresse beantwortet diese Art von Anfrage nicht",
        ),
    ] {
        let seen = as_browser(&app, Method::PUT, "/+login", lang, None).await;
        assert_eq!(seen.status, 405);
        seen.assert_page(lang, heading);
    }
}

#[tokio::test]
async fn an_address_that_cannot_be_read_shows_the_bad_request_page() {
    let app = spawn_app().await;
    let path = "/+login?next=%2Fa&next=%2Fb";
    for (lang, heading) in [
        ("en", "This request could not be read"),
        ("de", "Diese Anfrage konnte nicht gelesen werden"),
    ] {
        let seen = as_browser(&app, Method::GET, path, lang, None).await;
        assert_eq!(seen.status, 400, "{}", seen.body);
        seen.assert_page(lang, heading);
    }
}

#[tokio::test]
async fn a_form_that_cannot_be_read_shows_the_bad_request_page_with_its_reference() {
    let app = spawn_app().await;
    for (lang, heading) in [
        ("en", "This request could not be read"),
        ("de", "Diese Anfrage konnte nicht gelesen werden"),
    ] {
        let body = "email=%FF%FE&password=x&action=login".to_owned();
        let seen = as_browser(&app, Method::POST, "/+login", lang, Some(body)).await;
        assert_eq!(seen.status, 400, "{}", seen.body);
        seen.assert_page(lang, heading);
    }
}

#[tokio::test]
async fn a_body_over_the_limit_shows_the_too_large_page() {
    let app = spawn_app().await;
    for (lang, heading) in [
        ("en", "This request is too large"),
        ("de", "Diese Anfrage ist zu groß"),
    ] {
        let body = format!("email=a%40b.c&password={}", "x".repeat(64 * 1024));
        let seen = as_browser(&app, Method::POST, "/+login", lang, Some(body)).await;
        assert_eq!(seen.status, 413);
        seen.assert_page(lang, heading);
    }
}

#[tokio::test]
async fn a_failure_shows_the_internal_page_with_a_labelled_reference() {
    let app = spawn_app().await;
    app.active_person("ada@example.org", "correct horse").await;
    app.post_login("ada@example.org", "correct horse", "login")
        .await;
    app.lose_database().await;
    for (lang, heading) in [
        ("en", "Something went wrong"),
        ("de", "Etwas ist schiefgegangen"),
    ] {
        let seen = as_browser(&app, Method::GET, "/+account", lang, None).await;
        assert_eq!(seen.status, 500);
        seen.assert_page(lang, heading);
    }
}

#[tokio::test]
async fn an_unknown_token_shows_the_localised_page_to_every_client() {
    let app = spawn_app().await;
    for (lang, heading) in [
        ("en", "This token is not known"),
        ("de", "Dieses Token ist unbekannt"),
    ] {
        let seen = as_browser(&app, Method::GET, "/token/lk_bug_nothing", lang, None).await;
        assert_eq!(seen.status, 404);
        seen.assert_page(lang, heading);
    }
    let plain = app
        .client
        .get(format!("{}/token/lk_bug_nothing?lang=de", app.address))
        .send()
        .await
        .unwrap();
    let seen = Seen::of(plain).await;
    assert_eq!(seen.status, 404);
    seen.assert_page("de", "Dieses Token ist unbekannt");
}

#[tokio::test]
async fn oauth_and_api_answers_keep_their_shape_for_a_browser_too() {
    let app = spawn_app().await;
    let token = app
        .client
        .post(format!("{}/token", app.address))
        .header("accept", "text/html")
        .form(&[("grant_type", "authorization_code"), ("code", "nope")])
        .send()
        .await
        .unwrap();
    assert_eq!(token.status(), 401);
    assert!(
        token.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );

    let api = app
        .client
        .put(format!("{}/+login", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), 405);
    assert_eq!(api.text().await.unwrap(), "Method not allowed");

    let unread = app
        .client
        .post(format!("{}/+login", app.address))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("password={}", "x".repeat(64 * 1024)))
        .send()
        .await
        .unwrap();
    assert_eq!(unread.status(), 413);
    assert!(
        unread.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain"),
        "an API client keeps the short answer"
    );
}
