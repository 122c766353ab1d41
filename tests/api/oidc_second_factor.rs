//! What relying parties learn of how a person signed in: `amr` and `acr` in ID tokens (from the
//! code exchange and every refresh), in introspection and in discovery; re-authentication
//! (`max_age`, `prompt=login`) that includes the second step; clients registered
//! `--require-second-factor`.

use latchkey::db::clients::find_client;
use latchkey::domain::second_factor::{ACR_MULTI_FACTOR, ACR_SINGLE_FACTOR};
use serde_json::Value;

use crate::helpers::spawn_app;
use crate::oidc_helpers::{
    CALLBACK, authorize_url, client, code, get, redeem, refresh, registered, sign_in_ada,
};
use crate::oidc_second_factor_helpers::{
    amr, give_authenticator_app, id_claims, introspect, pending_second_step,
    prove_second_factor_for_last_code, prove_second_factor_in_session,
};

const ADA: &str = "ada@example.org";

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

#[tokio::test]
async fn max_age_and_prompt_login_send_a_person_with_a_factor_through_the_second_step_again() {
    let app = spawn_app().await;
    let id = client(&app, false, true).await;
    sign_in_ada(&app).await;
    give_authenticator_app(&app, ADA).await;
    prove_second_factor_in_session(&app, ADA).await;
    app.clock.advance(120);
    for asked in [("max_age", "60"), ("prompt", "login")] {
        let (status, location, _) = get(&app, &authorize_url(&app, &id, &[asked])).await;
        assert_eq!(status, 303);
        let login = location.unwrap();
        assert!(login.starts_with("/+login?next="), "{asked:?}: {login}");
        let answer = app.sign_in_at(&login, ADA, "correct horse").await;
        assert_eq!(
            (answer.status, answer.location.as_deref()),
            (303, Some("/+login/second-step")),
            "{asked:?}: the password alone is not a new sign-in"
        );
        let pending = pending_second_step(&app, ADA).await;
        assert_eq!(pending["purpose"], "SignIn");
        let next = pending["next"].as_str().unwrap();
        assert!(next.starts_with("/authorize?"), "{next}");
        assert!(!next.contains("prompt=login"), "{next}");
        assert_eq!(
            app.count("SELECT COUNT(*) AS n FROM authorization_codes")
                .await,
            0,
            "{asked:?}: no code before the second step"
        );
    }
}

#[tokio::test]
async fn discovery_lists_the_acr_values_and_the_amr_and_acr_claims() {
    let app = spawn_app().await;
    let document: Value =
        serde_json::from_str(&app.page("/.well-known/openid-configuration").await).unwrap();
    assert_eq!(
        document["acr_values_supported"],
        serde_json::json!([ACR_SINGLE_FACTOR, ACR_MULTI_FACTOR])
    );
    let claims = document["claims_supported"].as_array().unwrap();
    for claim in ["amr", "acr"] {
        assert!(claims.contains(&Value::from(claim)), "{claim}");
    }
}

#[tokio::test]
async fn client_add_require_second_factor_is_stored_and_listed() {
    let app = spawn_app().await;
    let add = async |extra: &[&str]| {
        let mut args = vec![
            "client",
            "add",
            "--name",
            "Wiki",
            "--redirect-uri",
            CALLBACK,
        ];
        args.extend_from_slice(extra);
        let out = app.cli(&args).await;
        out.ok()
            .lines()
            .find_map(|l| l.strip_prefix("client_id: "))
            .unwrap()
            .to_owned()
    };
    let strict = add(&["--require-second-factor"]).await;
    let relaxed = add(&[]).await;
    let find = |id: String| {
        let pool = app.db.pool().clone();
        async move { find_client(&pool, &id).await.unwrap().unwrap() }
    };
    assert!(find(strict.clone()).await.require_second_factor);
    assert!(!find(relaxed.clone()).await.require_second_factor);

    let listing = app.cli(&["client", "list"]).await.ok().to_owned();
    let line_of = |id: &str| {
        listing
            .lines()
            .find(|l| l.starts_with(id))
            .unwrap_or_else(|| panic!("{id} in {listing}"))
            .to_owned()
    };
    assert!(
        line_of(&strict).contains("require-second-factor"),
        "{listing}"
    );
    assert!(
        !line_of(&relaxed).contains("require-second-factor"),
        "{listing}"
    );
}
