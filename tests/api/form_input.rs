//! Form fields that are not UTF-8 once decoded (`%FF%FE`, an overlong `%C0%AF`, a surrogate
//! `%ED%A0%80`) are refused with a 400 everywhere a form is read, instead of being decoded with
//! U+FFFD in their place; nothing changes.

use latchkey::db::webhooks::replace_webhook_token;
use latchkey::domain::{PlainToken, TokenKind};
use serde_json::Value;

use crate::helpers::{START, TestApp, spawn_app};

const BAD: [&str; 3] = ["%FF%FE", "%C0%AF", "%ED%A0%80"];

/// POSTs a raw form body with the browser client (its cookies come along).
async fn post_raw(app: &TestApp, path: &str, body: String) -> (u16, String) {
    let res = app
        .client
        .post(format!("{}{path}", app.address))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept-language", "de")
        .body(body)
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

#[tokio::test]
async fn a_login_address_that_is_not_utf8_is_a_400_page_not_an_invalid_address() {
    let app = spawn_app().await;
    let csrf = app.csrf_from("/+login").await;
    let before = app.row_counts().await;
    for bad in BAD {
        for action in ["login", "createaccount", "resetpassword"] {
            let (status, body) = post_raw(
                &app,
                "/+login",
                format!("email={bad}&password=x&action={action}&csrf_token={csrf}"),
            )
            .await;
            assert_eq!(status, 400, "{bad} {action}: {body}");
            assert!(
                body.contains("Diese Anfrage konnte nicht gelesen werden"),
                "the localised page: {body}"
            );
        }
    }
    assert_eq!(app.row_counts().await, before);
    assert!(app.smtp.messages().is_empty());
}

#[tokio::test]
async fn every_browser_form_refuses_fields_that_are_not_utf8_and_changes_nothing() {
    let app = spawn_app().await;
    app.active_person("ada@example.org", "a good password")
        .await;
    let answer = app
        .post_login("ada@example.org", "a good password", "login")
        .await;
    assert_eq!(answer.status, 303);
    let csrf = app.csrf_from("/+account").await;
    let before = app.row_counts().await;
    for path in [
        "/+account/password",
        "/+account/apps/revoke",
        "/+account/sessions/end",
        "/+account/sessions/end-others",
        "/+account/deactivate",
        "/+account/emails",
        "/+account/emails/prefer",
        "/+account/emails/remove",
        "/+logout",
        "/+account/api-keys",
        "/+account/api-keys/confirm",
        "/+account/api-keys/k1/revoke",
        "/authorize",
        "/logout",
        "/auth.cgi",
        "/token/lk_new_x/+newaccount",
        "/token/lk_rec_x/+resetpassword",
        "/token/lk_val_x/+validateemail",
    ] {
        for bad in BAD {
            let (status, body) = post_raw(
                &app,
                path,
                format!("csrf_token={csrf}&current_password={bad}&password={bad}&password_again={bad}&description={bad}&confirm=yes&client_id={bad}"),
            )
            .await;
            assert_eq!(status, 400, "{path} {bad}: {body}");
            assert!(
                body.contains("Diese Anfrage konnte nicht gelesen werden"),
                "{path}"
            );
        }
    }
    assert_eq!(app.row_counts().await, before);
    assert!(
        app.signed_in().await,
        "the bad logout left the session alone"
    );
}

#[tokio::test]
async fn a_hook_field_that_is_not_utf8_is_refused_and_nothing_is_stored() {
    let app = spawn_app().await;
    let token = PlainToken::generate(TokenKind::Webhook).unwrap();
    replace_webhook_token(app.db.pool(), &token.hash(), START)
        .await
        .unwrap();
    let before = app.row_counts().await;
    for bad in BAD {
        let res = reqwest::Client::new()
            .post(format!("{}/hooks/placeholder", app.address))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!(
                "token={}&email=a@example.org&display_name={bad}",
                token.expose()
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 400, "{bad}");
        let answer: Value = res.json().await.unwrap();
        assert!(
            answer["message"].as_str().unwrap().contains("UTF-8"),
            "{answer}"
        );
    }
    assert_eq!(app.row_counts().await, before);
}

#[tokio::test]
async fn oauth_endpoints_answer_invalid_request_to_fields_that_are_not_utf8() {
    let app = spawn_app().await;
    for path in ["/token", "/revoke", "/introspect"] {
        for bad in BAD {
            let res = reqwest::Client::new()
                .post(format!("{}{path}", app.address))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(format!(
                    "grant_type=client_credentials&client_id=c{bad}&client_secret=s&token=t"
                ))
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 400, "{path} {bad}");
            let answer: Value = res.json().await.unwrap();
            assert_eq!(answer["error"], "invalid_request", "{path}: {answer}");
        }
    }
}
