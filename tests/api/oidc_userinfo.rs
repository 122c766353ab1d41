//! `/userinfo` and the `Authorization` header: a live bearer token or 401, the scheme read
//! case-insensitively, and two headers refused, on `/userinfo` and on `/token` alike.

use serde_json::Value;

use crate::helpers::{TestApp, spawn_app};
use crate::oidc_helpers::{code, redeem, registered, userinfo_status};

#[tokio::test]
async fn userinfo_without_a_live_token_is_401() {
    let app = spawn_app().await;
    assert_eq!(userinfo_status(&app, "lk_at_nothing").await, 401);
    let res = reqwest::get(format!("{}/userinfo", app.address))
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    assert!(
        res.headers()["www-authenticate"]
            .to_str()
            .unwrap()
            .starts_with("Bearer")
    );
}

/// `GET /userinfo` with the `Authorization` header values given, one header each.
async fn userinfo_with(app: &TestApp, values: &[&[u8]]) -> (u16, Value) {
    let mut request = reqwest::Client::new().get(format!("{}/userinfo", app.address));
    for value in values {
        request = request.header(
            "authorization",
            reqwest::header::HeaderValue::from_bytes(value).unwrap(),
        );
    }
    let res = request.send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn the_bearer_scheme_is_case_insensitive_and_two_authorization_headers_get_400() {
    let app = spawn_app().await;
    let rp = registered(&app, false).await;
    let code = code(&app, &rp, "openid email").await;
    let (status, body) = redeem(&app, &rp, &code).await;
    assert_eq!(status, 200, "{body}");
    let access = body["access_token"].as_str().unwrap().to_owned();

    for scheme in ["Bearer", "bearer", "BEARER", "bEaReR"] {
        let value = format!("{scheme} {access}");
        let (status, claims) = userinfo_with(&app, &[value.as_bytes()]).await;
        assert_eq!(status, 200, "{scheme}: {claims}");
        assert_eq!(claims["email"], "ada@example.org");
    }

    let one = format!("Bearer {access}");
    for pair in [
        [one.as_str(), one.as_str()],
        [one.as_str(), "Bearer lk_at_other"],
    ] {
        let (status, body) = userinfo_with(&app, &[pair[0].as_bytes(), pair[1].as_bytes()]).await;
        assert_eq!(status, 400, "{pair:?}: {body}");
        assert_eq!(body["error"], "invalid_request");
    }

    let long = format!("Bearer {}", "x".repeat(16 * 1024));
    for malformed in [
        &b"Bearer"[..],
        b"Bearer ",
        b"Bearer  x",
        b"Bearer x y",
        b"Basic eDp5",
        long.as_bytes(),
        b"Bearer \xff\xfe",
    ] {
        let (status, _) = userinfo_with(&app, &[malformed]).await;
        assert_eq!(status, 401, "{:?}", String::from_utf8_lossy(malformed));
    }

    // The client's Basic credentials are read the same way on the token endpoint.
    let secret = rp.secret.clone().unwrap();
    let basic = base64::Engine::encode(
        &base64::engine::general_purpose::STANDARD,
        format!("{}:{secret}", rp.id),
    );
    let exchange = |values: Vec<String>| {
        let mut request = reqwest::Client::new().post(format!("{}/token", app.address));
        for value in values {
            request = request.header("authorization", value);
        }
        request.form(&[("grant_type", "client_credentials")]).send()
    };
    let res = exchange(vec![format!("basic {basic}")]).await.unwrap();
    assert_eq!(
        res.status(),
        200,
        "the Basic scheme is case-insensitive too"
    );
    let res = exchange(vec![format!("Basic {basic}"), format!("Basic {basic}")])
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    assert_eq!(
        res.json::<Value>().await.unwrap()["error"],
        "invalid_request"
    );
}
