//! The OpenID Connect provider's audit rows: a consent given on the consent page
//! (`ConsentGranted`), withdrawn on `/+account/apps` or by an administrator (`ConsentRevoked`),
//! and a refresh token that comes back after its rotation (`RefreshTokenReused`, its family
//! revoked), each naming the client and the person.

use latchkey::service::admin::Actor;
use latchkey::service::oidc::consents::{Revoker, revoke_consent};

use crate::helpers::{TestApp, spawn_app};
use crate::oidc_helpers::{
    authorize_url, client, code, consent_answer, get, post_authorize, redeem, refresh, registered,
    sign_in_ada,
};

/// Every row with this code, oldest first: person id, origin address and detail.
async fn rows(app: &TestApp, code: &str) -> Vec<(Option<String>, Option<String>, String)> {
    sqlx::query(
        "SELECT person_id, remote_addr, detail FROM audit_events WHERE code = $1 ORDER BY id",
    )
    .bind(code)
    .fetch_all(app.db.pool())
    .await
    .unwrap()
    .iter()
    .map(|r| {
        (
            sqlx::Row::get(r, "person_id"),
            sqlx::Row::get(r, "remote_addr"),
            sqlx::Row::get(r, "detail"),
        )
    })
    .collect()
}

async fn ada_id(app: &TestApp) -> String {
    app.person("ada@example.org")
        .await
        .unwrap()
        .id
        .as_str()
        .to_owned()
}

/// Ada, signed in, allows (or denies) the untrusted wiki on its consent page; returns its id.
async fn answered_consent(app: &TestApp, decision: &str) -> String {
    let id = client(app, false, false).await;
    sign_in_ada(app).await;
    let (status, _, page) = get(app, &authorize_url(app, &id, &[])).await;
    assert_eq!(status, 200, "{page}");
    let (status, _, _) = post_authorize(app, &consent_answer(&page, decision)).await;
    assert_eq!(status, 303);
    id
}

#[tokio::test]
async fn allowing_an_application_on_the_consent_page_is_audited_with_client_and_scopes() {
    let app = spawn_app().await;
    let id = answered_consent(&app, "allow").await;
    let granted = rows(&app, "ConsentGranted").await;
    assert_eq!(granted.len(), 1, "{granted:?}");
    let (person, from, detail) = &granted[0];
    assert_eq!(person.as_deref(), Some(ada_id(&app).await.as_str()));
    assert_eq!(from.as_deref(), Some("127.0.0.1"));
    assert!(detail.contains(&format!("client {id} (Wiki)")), "{detail}");
    assert!(detail.contains("openid profile email"), "{detail}");
    // `audit list --client` finds it by the client id.
    let listed = app.cli(&["audit", "list", "--client", &id, "--json"]).await;
    assert!(listed.ok().contains("ConsentGranted"), "{listed:?}");
}

#[tokio::test]
async fn denying_an_application_grants_nothing_and_records_no_consent() {
    let app = spawn_app().await;
    answered_consent(&app, "deny").await;
    assert!(rows(&app, "ConsentGranted").await.is_empty());
}

#[tokio::test]
async fn withdrawing_an_application_on_the_account_page_is_audited() {
    let app = spawn_app().await;
    let id = answered_consent(&app, "allow").await;
    let csrf = app.csrf_from("/+account/apps").await;
    let answer = app
        .post_form(
            "/+account/apps/revoke",
            &[("csrf_token", &csrf), ("client_id", &id)],
        )
        .await;
    assert_eq!(answer.status, 303, "{}", answer.body);
    let revoked = rows(&app, "ConsentRevoked").await;
    assert_eq!(revoked.len(), 1, "{revoked:?}");
    let (person, from, detail) = &revoked[0];
    assert_eq!(person.as_deref(), Some(ada_id(&app).await.as_str()));
    assert_eq!(from.as_deref(), Some("127.0.0.1"));
    assert!(detail.contains(&format!("client {id} (Wiki)")), "{detail}");
    assert!(!detail.contains("(by "), "the person acted: {detail}");

    // Withdrawing again changes nothing, so nothing more is recorded.
    let csrf = app.csrf_from("/+account/apps").await;
    app.post_form(
        "/+account/apps/revoke",
        &[("csrf_token", &csrf), ("client_id", &id)],
    )
    .await;
    assert_eq!(rows(&app, "ConsentRevoked").await.len(), 1);
}

#[tokio::test]
async fn an_administrator_withdrawing_a_consent_is_named_in_the_audit_row() {
    let app = spawn_app().await;
    let id = answered_consent(&app, "allow").await;
    let ada = app.person("ada@example.org").await.unwrap();
    let actor = Actor::cli();
    let had = revoke_consent(&app.ctx, &ada.id, &id, Revoker::Admin(&actor))
        .await
        .unwrap();
    assert!(had);
    let revoked = rows(&app, "ConsentRevoked").await;
    let (_, from, detail) = &revoked[0];
    assert_eq!(from.as_deref(), Some(actor.label()));
    assert!(
        detail.ends_with(&format!("(by {})", actor.label())),
        "{detail}"
    );
    let consents = app.count("SELECT COUNT(*) AS n FROM consents").await;
    assert_eq!(consents, 0);
}

#[tokio::test]
async fn a_refresh_token_used_twice_revokes_its_family_and_is_audited_once() {
    let app = spawn_app().await;
    let rp = registered(&app, false).await;
    let code = code(&app, &rp, "openid offline_access").await;
    let (status, first) = redeem(&app, &rp, &code).await;
    assert_eq!(status, 200, "{first}");
    let old = first["refresh_token"].as_str().unwrap().to_owned();
    let (status, second) = refresh(&app, &rp, &old, None).await;
    assert_eq!(status, 200, "{second}");
    let new = second["refresh_token"].as_str().unwrap().to_owned();

    let (status, body) = refresh(&app, &rp, &old, None).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "invalid_grant");
    let (status, _) = refresh(&app, &rp, &new, None).await;
    assert_eq!(status, 400, "the whole family is revoked");

    let reused = rows(&app, "RefreshTokenReused").await;
    assert_eq!(reused.len(), 1, "{reused:?}");
    let (person, _, detail) = &reused[0];
    assert_eq!(person.as_deref(), Some(ada_id(&app).await.as_str()));
    assert!(detail.contains(&format!("client {}", rp.id)), "{detail}");
    assert!(
        !detail.contains(&old) && !detail.contains(&new),
        "no secret"
    );

    // Replaying again finds the family revoked already: no second row.
    refresh(&app, &rp, &old, None).await;
    assert_eq!(rows(&app, "RefreshTokenReused").await.len(), 1);
}
