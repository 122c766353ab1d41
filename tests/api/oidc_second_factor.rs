//! What relying parties learn of how a person signed in: `amr` and `acr` in ID tokens (from the
//! code exchange and every refresh) and in introspection.

use latchkey::domain::second_factor::{ACR_MULTI_FACTOR, ACR_SINGLE_FACTOR};
use serde_json::Value;

use crate::helpers::spawn_app;
use crate::oidc_helpers::{code, redeem, refresh, registered};
use crate::oidc_second_factor_helpers::{
    amr, id_claims, introspect, prove_second_factor_for_last_code,
};

fn text(body: &Value, name: &str) -> String {
    body[name]
        .as_str()
        .unwrap_or_else(|| panic!("{name} in {body}"))
        .to_owned()
}

#[tokio::test]
async fn a_password_sign_in_gives_an_id_token_with_amr_pwd_and_the_single_factor_class() {
    let app = spawn_app().await;
    let rp = registered(&app, false).await;
    let code = code(&app, &rp, "openid offline_access").await;
    let (status, body) = redeem(&app, &rp, &code).await;
    assert_eq!(status, 200, "{body}");
    let claims = id_claims(&body);
    assert_eq!(amr(&claims), ["pwd"]);
    assert_eq!(claims["acr"], ACR_SINGLE_FACTOR);

    let answer = introspect(&app, &rp, &text(&body, "access_token")).await;
    assert_eq!(answer["acr"], ACR_SINGLE_FACTOR, "{answer}");
    assert!(answer["auth_time"].is_i64(), "{answer}");
}

#[tokio::test]
async fn a_refresh_keeps_the_amr_and_acr_of_the_sign_in_the_grant_came_from() {
    let app = spawn_app().await;
    let rp = registered(&app, false).await;
    let code = code(&app, &rp, "openid offline_access").await;
    prove_second_factor_for_last_code(&app).await;
    let (status, first) = redeem(&app, &rp, &code).await;
    assert_eq!(status, 200, "{first}");
    let claims = id_claims(&first);
    assert_eq!(amr(&claims), ["pwd", "otp", "mfa"]);
    assert_eq!(claims["acr"], ACR_MULTI_FACTOR);

    let (status, renewed) = refresh(&app, &rp, &text(&first, "refresh_token"), None).await;
    assert_eq!(status, 200, "{renewed}");
    let again = id_claims(&renewed);
    assert_eq!(amr(&again), ["pwd", "otp", "mfa"], "{again}");
    assert_eq!(again["acr"], ACR_MULTI_FACTOR);
    assert_eq!(again["auth_time"], claims["auth_time"]);
    let (status, third) = refresh(&app, &rp, &text(&renewed, "refresh_token"), None).await;
    assert_eq!(status, 200, "{third}");
    assert_eq!(id_claims(&third)["acr"], ACR_MULTI_FACTOR);
    let answer = introspect(&app, &rp, &text(&third, "refresh_token")).await;
    assert_eq!(answer["acr"], ACR_MULTI_FACTOR, "{answer}");
}
