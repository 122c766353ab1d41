//! Grant families: a replayed code revokes every token of the family it started, refreshed
//! ones included; a refresh may narrow the scope, never widen it.

use serde_json::Value;

use crate::helpers::{TestApp, spawn_app};
use crate::oidc_token::{Rp, code, redeem, registered, token, userinfo_status};

async fn refresh(app: &TestApp, rp: &Rp, refresh_token: &str, scope: Option<&str>) -> (u16, Value) {
    let mut fields = vec![
        ("grant_type", "refresh_token"),
        ("refresh_token", refresh_token),
    ];
    if let Some(scope) = scope {
        fields.push(("scope", scope));
    }
    let (status, _, body) = token(app, rp, &fields).await;
    (status, body)
}

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
