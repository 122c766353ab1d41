//! `/authorize` parameters refused whatever the client: request objects, and a `state` or
//! `nonce` that cannot be stored and echoed safely. Once the redirect URI is verified the refusal
//! goes back there, never carrying a bad `state`.

use serde_json::Value;

use crate::helpers::{TestApp, spawn_app};
use crate::oidc_helpers::{CALLBACK, authorize_url_of, client, get, param};

/// `/authorize` with the baseline parameters, each replaced by `over` when named there.
fn authorize_url(app: &TestApp, client_id: &str, over: &[(&str, &str)]) -> String {
    let challenge = latchkey::domain::pkce::challenge_of(&"v".repeat(43));
    let mut pairs = vec![
        ("response_type", "code"),
        ("client_id", client_id),
        ("redirect_uri", CALLBACK),
        ("scope", "openid email"),
        ("state", "st4te"),
        ("nonce", "n0nce"),
        ("code_challenge", challenge.as_str()),
        ("code_challenge_method", "S256"),
    ];
    pairs.retain(|(name, _)| !over.iter().any(|(o, _)| o == name));
    pairs.extend_from_slice(over);
    authorize_url_of(app, &pairs)
}

/// The refusal sent back to the client: its error, and its state if any.
async fn refusal(app: &TestApp, url: &str) -> (String, Option<String>) {
    let (status, location, body) = get(app, url).await;
    assert_eq!(status, 303, "{body}");
    let location = location.unwrap();
    assert!(location.starts_with(&format!("{CALLBACK}?")), "{location}");
    assert!(param(&location, "code").is_none(), "{location}");
    assert_eq!(
        param(&location, "iss").as_deref(),
        Some(app.ctx.public_url.as_str())
    );
    (
        param(&location, "error").unwrap(),
        param(&location, "state"),
    )
}

#[tokio::test]
async fn request_objects_and_unsafe_state_or_nonce_are_refused_at_the_verified_redirect_uri() {
    let app = spawn_app().await;
    // A trusted client and a signed-in person: anything let through would get a code at once.
    let id = client(&app, false, true).await;
    app.active_person("ada@example.org", "correct horse").await;
    app.post_login("ada@example.org", "correct horse", "login")
        .await;

    let request_object = "eyJhbGciOiJub25lIn0.eyJzdGF0ZSI6Im90aGVyIn0.";
    for (over, error) in [
        (("request", request_object), "request_not_supported"),
        (
            ("request_uri", "https://wiki.example.org/request.jwt"),
            "request_uri_not_supported",
        ),
    ] {
        let (got, state) = refusal(&app, &authorize_url(&app, &id, &[over])).await;
        assert_eq!(got, error);
        assert_eq!(state.as_deref(), Some("st4te"));
    }

    let long = "x".repeat(2049);
    for bad in [
        long.as_str(),
        "a\0b",
        "a\r\nLocation: https://evil.example/",
        "\u{1b}[31m",
    ] {
        let (error, state) = refusal(&app, &authorize_url(&app, &id, &[("state", bad)])).await;
        assert_eq!(error, "invalid_request", "state {bad:?}");
        assert_eq!(state, None, "a bad state is not echoed: {bad:?}");
        let (error, state) = refusal(&app, &authorize_url(&app, &id, &[("nonce", bad)])).await;
        assert_eq!(error, "invalid_request", "nonce {bad:?}");
        assert_eq!(state.as_deref(), Some("st4te"));
    }
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM authorization_codes")
            .await,
        0,
        "nothing was issued"
    );

    // Without a verified redirect URI there is no one to tell: an error page.
    for client_id in ["no-such-client", "a\0b"] {
        let url = authorize_url(&app, client_id, &[("state", "a\0b"), ("request", "x")]);
        let (status, location, _) = get(&app, &url).await;
        assert_eq!((status, location), (400, None), "{client_id:?}");
    }

    // At the limit, and with odd but printable characters, both are echoed exactly.
    let longest = "y".repeat(2048);
    let odd = "a b&c=d<>\"'é";
    for value in [longest.as_str(), odd] {
        let url = authorize_url(&app, &id, &[("state", value), ("nonce", value)]);
        let (status, location, _) = get(&app, &url).await;
        assert_eq!(status, 303);
        let location = location.unwrap();
        assert!(param(&location, "code").is_some(), "{location}");
        assert_eq!(param(&location, "state").as_deref(), Some(value));
    }
}

#[tokio::test]
async fn discovery_says_request_objects_are_not_supported() {
    let app = spawn_app().await;
    let body = app.page("/.well-known/openid-configuration").await;
    let json: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["request_parameter_supported"], Value::Bool(false));
    assert_eq!(json["request_uri_parameter_supported"], Value::Bool(false));
}
