//! `/healthz`, `/readyz`, static files, the 404 page and response headers.

use crate::helpers::spawn_app;
use latchkey::db::Backend;

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
    match app.test_db.backend() {
        // PostgreSQL: the database is dropped and every connection to it terminated.
        Backend::Postgres => app.test_db.drop_now().await,
        // SQLite: open files survive unlinking, so the pool itself goes away.
        Backend::Sqlite => app.db.close().await,
    }
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
