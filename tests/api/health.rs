//! `/healthz`, `/readyz`, static files, the 404 page and response headers.

use crate::helpers::spawn_app;

#[tokio::test]
async fn healthz_answers_200_while_the_process_runs() {
    let app = spawn_app().await;
    let res = app.get("/healthz").await;
    assert_eq!(res.status(), 200);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["status"], "ok");
}

#[tokio::test]
async fn readyz_answers_200_when_the_database_answers() {
    let app = spawn_app().await;
    let res = app.get("/readyz").await;
    assert_eq!(res.status(), 200);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["database"], "ok");
    assert!(body.get("redis").is_none(), "no Redis configured: {body}");
}

#[tokio::test]
async fn readyz_turns_503_when_the_database_is_gone() {
    let app = spawn_app().await;
    assert_eq!(app.get("/readyz").await.status(), 200);
    app.lose_database().await;
    let res = app.get("/readyz").await;
    assert_eq!(res.status(), 503);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["database"], "unreachable");
    // The process is still up.
    assert_eq!(app.get("/healthz").await.status(), 200);
}

#[tokio::test]
async fn every_response_carries_security_headers_and_a_request_id() {
    let app = spawn_app().await;
    for path in ["/", "/healthz", "/static/css/latchkey.css", "/no-such-page"] {
        let res = app.get(path).await;
        let h = res.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(csp.contains("object-src 'none'"), "{path}: {csp}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["referrer-policy"], "no-referrer", "{path}");
        assert!(!h["x-request-id"].is_empty(), "{path}");
        assert!(
            h.get("strict-transport-security").is_none(),
            "no HSTS over http"
        );
    }
}

#[tokio::test]
async fn request_ids_differ_between_requests() {
    let app = spawn_app().await;
    let a = app.get("/healthz").await.headers()["x-request-id"].clone();
    let b = app.get("/healthz").await.headers()["x-request-id"].clone();
    assert_ne!(a, b);
}

#[tokio::test]
async fn the_stylesheet_is_served_from_the_binary() {
    let app = spawn_app().await;
    let res = app.get("/static/css/latchkey.css").await;
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/css")
    );
    assert!(res.text().await.unwrap().contains("--accent"));
}

#[tokio::test]
async fn static_paths_cannot_escape_the_embedded_folder() {
    let app = spawn_app().await;
    for path in [
        "/static/../Cargo.toml",
        "/static/%2e%2e/Cargo.toml",
        "/static/css/../../src/main.rs",
        "/static/nothing.css",
    ] {
        let res = app.get(path).await;
        assert_eq!(res.status(), 404, "{path}");
    }
}

#[tokio::test]
async fn the_home_page_renders_with_the_base_layout() {
    let app = spawn_app().await;
    let res = app.get("/").await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "text/html; charset=utf-8");
    let html = res.text().await.unwrap();
    assert!(html.contains("<link rel=\"stylesheet\" href=\"/static/css/latchkey.css\">"));
    assert!(html.contains("Latchkey"));
}

#[tokio::test]
async fn an_unknown_page_gets_a_404_page() {
    let app = spawn_app().await;
    let res = app.get("/no/such/page").await;
    assert_eq!(res.status(), 404);
    assert!(res.text().await.unwrap().contains("Page not found"));
}

#[tokio::test]
async fn trace_is_refused_with_405() {
    let app = spawn_app().await;
    let res = app
        .client
        .request(reqwest::Method::TRACE, format!("{}/healthz", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 405);
}

#[tokio::test]
async fn a_method_a_route_does_not_serve_gets_405_with_allow() {
    let app = spawn_app().await;
    for path in ["/healthz", "/readyz", "/", "/static/css/latchkey.css"] {
        for method in [
            reqwest::Method::POST,
            reqwest::Method::PUT,
            reqwest::Method::DELETE,
        ] {
            let res = app
                .client
                .request(method.clone(), format!("{}{path}", app.address))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(vec![b'a'; 64 * 1024])
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 405, "{method} {path}");
            assert_eq!(res.headers()["allow"], "GET, HEAD", "{method} {path}");
        }
    }
    assert_eq!(app.get("/healthz").await.status(), 200, "still serving");
}

#[tokio::test]
async fn head_is_answered_like_get_without_a_body() {
    let app = spawn_app().await;
    let res = app
        .client
        .head(format!("{}/healthz", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.bytes().await.unwrap().is_empty());
}

/// `method path` as a browser asking for German pages would send it.
async fn as_german_browser(
    app: &crate::helpers::TestApp,
    method: reqwest::Method,
    path: &str,
) -> reqwest::Response {
    app.client
        .request(method, format!("{}{path}", app.address))
        .header("accept", "text/html,application/xhtml+xml,*/*;q=0.8")
        .header("accept-language", "de")
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_browser_gets_the_localised_page_for_a_method_a_path_does_not_serve() {
    let app = spawn_app().await;
    let res = as_german_browser(&app, reqwest::Method::PUT, "/+login").await;
    assert_eq!(res.status(), 405);
    assert_eq!(res.headers()["allow"], "GET, HEAD, POST");
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(res.headers().contains_key("content-security-policy"));
    let page = res.text().await.unwrap();
    assert!(
        page.contains("Diese Adresse beantwortet diese Art von Anfrage nicht"),
        "{page}"
    );

    let api = reqwest::Client::new()
        .put(format!("{}/+login", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), 405);
    assert_eq!(
        api.text().await.unwrap(),
        "Method not allowed",
        "API clients get the short answer"
    );
}

#[tokio::test]
async fn a_failure_shows_browsers_the_error_page_with_its_reference_and_nobody_its_cause() {
    let app = spawn_app().await;
    app.active_person("ada@example.org", "correct horse").await;
    app.post_login("ada@example.org", "correct horse", "login")
        .await;
    app.lose_database().await;
    let res = as_german_browser(&app, reqwest::Method::GET, "/+account").await;
    assert_eq!(res.status(), 500);
    let reference = res.headers()["x-request-id"].to_str().unwrap().to_owned();
    let page = res.text().await.unwrap();
    assert!(page.contains("Etwas ist schiefgegangen"), "{page}");
    assert!(page.contains(&reference), "the reference to quote: {page}");
    assert!(!page.to_lowercase().contains("pool"), "no cause: {page}");

    let plain = app
        .client
        .get(format!("{}/+account", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(plain.status(), 500);
    assert!(plain.headers().contains_key("content-security-policy"));
    assert_eq!(
        plain.text().await.unwrap(),
        "Internal error. The problem has been logged.",
        "clients that do not ask for HTML get the short answer, also without the cause"
    );
}
