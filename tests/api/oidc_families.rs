//! Grant families: a replayed code revokes every token of the family it started, refreshed
//! ones included; a refresh may narrow the scope, never widen it.

use serde_json::Value;

use crate::helpers::{TestApp, spawn_app};
use crate::oidc_helpers::{code, redeem, refresh, registered, userinfo, userinfo_status};

fn text(body: &Value, name: &str) -> String {
    body[name]
        .as_str()
        .unwrap_or_else(|| panic!("{name} in {body}"))
        .to_owned()
}

#[tokio::test]
async fn a_replayed_code_revokes_tokens_obtained_by_refreshing_too() {
    let app = spawn_app().await;
    let rp = registered(&app, false).await;
    let code = code(&app, &rp, "openid offline_access").await;
    let (status, first) = redeem(&app, &rp, &code).await;
    assert_eq!(status, 200, "{first}");
    let (status, renewed) = refresh(&app, &rp, &text(&first, "refresh_token"), None).await;
    assert_eq!(status, 200, "{renewed}");
    let access = text(&renewed, "access_token");
    assert_eq!(userinfo_status(&app, &access).await, 200);

    let (status, replay) = redeem(&app, &rp, &code).await;
    assert_eq!(
        (status, replay["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    assert_eq!(
        userinfo_status(&app, &access).await,
        401,
        "the refreshed access token is revoked"
    );
    let (status, body) = refresh(&app, &rp, &text(&renewed, "refresh_token"), None).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant")),
        "the rotated refresh token is revoked"
    );
}

#[tokio::test]
async fn a_replayed_code_leaves_other_families_alone() {
    let app = spawn_app().await;
    let rp = registered(&app, false).await;
    let other = code(&app, &rp, "openid offline_access").await;
    let (_, kept) = redeem(&app, &rp, &other).await;
    let code = code(&app, &rp, "openid offline_access").await;
    redeem(&app, &rp, &code).await;
    redeem(&app, &rp, &code).await;
    assert_eq!(
        userinfo_status(&app, &text(&kept, "access_token")).await,
        200
    );
    let (status, body) = refresh(&app, &rp, &text(&kept, "refresh_token"), None).await;
    assert_eq!(status, 200, "{body}");
}

/// The claims `/userinfo` answers with for a live access token.
async fn claims(app: &TestApp, access_token: &str) -> Value {
    let res = userinfo(app, access_token).await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

#[tokio::test]
async fn a_refresh_asking_for_fewer_scopes_narrows_the_new_access_token() {
    let app = spawn_app().await;
    let rp = registered(&app, false).await;
    let code = code(&app, &rp, "openid email offline_access").await;
    let (_, first) = redeem(&app, &rp, &code).await;
    assert!(claims(&app, &text(&first, "access_token")).await["email"].is_string());

    let (status, narrow) = refresh(&app, &rp, &text(&first, "refresh_token"), Some("openid")).await;
    assert_eq!(status, 200, "{narrow}");
    assert_eq!(narrow["scope"], "openid");
    assert!(narrow["id_token"].is_string());
    let claims = claims(&app, &text(&narrow, "access_token")).await;
    assert!(claims.get("email").is_none(), "{claims}");
    let (_, seen) =
        crate::oidc_introspect::introspect(&app, &rp, &text(&narrow, "access_token")).await;
    assert_eq!(seen["scope"], "openid");

    // The new refresh token keeps the original grant (RFC 6749 §6).
    let (status, full) = refresh(&app, &rp, &text(&narrow, "refresh_token"), None).await;
    assert_eq!(status, 200, "{full}");
    assert_eq!(full["scope"], "openid email offline_access");
}

#[tokio::test]
async fn a_refresh_asking_for_a_scope_not_granted_is_invalid_scope_and_spends_nothing() {
    let app = spawn_app().await;
    let rp = registered(&app, false).await;
    let code = code(&app, &rp, "openid offline_access").await;
    let (_, first) = redeem(&app, &rp, &code).await;
    let refresh_token = text(&first, "refresh_token");
    for wider in ["openid profile", "openid offline_access email", "admin"] {
        let (status, body) = refresh(&app, &rp, &refresh_token, Some(wider)).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (400, Some("invalid_scope")),
            "{wider}: {body}"
        );
        assert!(body.get("access_token").is_none());
    }
    assert_eq!(
        userinfo_status(&app, &text(&first, "access_token")).await,
        200,
        "nothing was revoked"
    );
    let (status, body) = refresh(&app, &rp, &refresh_token, None).await;
    assert_eq!(status, 200, "the refresh token was not used up: {body}");
    assert_eq!(body["scope"], "openid offline_access");
}
