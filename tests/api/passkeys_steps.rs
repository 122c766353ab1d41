//! Passkeys at the second step of a password sign-in, the lockout of sign-ins without a
//! password, and a ceremony that begins on one node and finishes on another.

use std::sync::Arc;

use latchkey::startup::Application;
use secrecy::SecretString;
use serde_json::json;

use crate::helpers::{
    LOCAL_REDIS, fresh_redis_prefix, redis_here, spawn_app_on_localhost, test_settings,
};
use crate::passkeys_authenticator::{Authenticator, b64};
use crate::passkeys_helpers::{EMAIL, PASSWORD, data_csrf, signed_in_app, tab};

const STEP_BEGIN: &str = "/+login/second-step/passkey/begin";
const STEP_FINISH: &str = "/+login/second-step/passkey/finish";

#[tokio::test]
async fn a_passkey_completes_the_second_step_of_a_password_sign_in() {
    let app = signed_in_app().await;
    let mut auth = Authenticator::new(&app.origin());
    assert_eq!(app.add_passkey(&mut auth, "Laptop").await.status, 200);

    let other = tab();
    let (status, location) = app.password_sign_in(&other, EMAIL, PASSWORD).await;
    assert_eq!((status, location.as_str()), (303, "/+login/second-step"));
    assert_ne!(
        app.status_as(&other, "/+account").await,
        200,
        "not signed in yet"
    );
    let page = app.page_as(&other, "/+login/second-step").await;
    let csrf = data_csrf(&page);
    let begun = app
        .post_json_as(&other, STEP_BEGIN, &csrf, &json!({}))
        .await;
    assert_eq!(begun.status, 200, "{}", begun.body);
    let allowed = begun.body["publicKey"]["allowCredentials"]
        .as_array()
        .unwrap();
    assert_eq!(allowed.len(), 1, "only this person's passkeys");

    let body = json!({ "credential": auth.get(&begun.body) });
    let done = app.post_json_as(&other, STEP_FINISH, &csrf, &body).await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert_eq!(done.body["next"], "/+account");
    assert_eq!(app.status_as(&other, "/+account").await, 200);
    let amrs = app.stored_amrs(EMAIL).await;
    assert!(amrs.contains(&"pwd hwk user mfa".to_owned()), "{amrs:?}");
}

#[tokio::test]
async fn another_persons_passkey_is_refused_at_the_second_step() {
    let app = signed_in_app().await;
    let mut ada = Authenticator::new(&app.origin());
    assert_eq!(app.add_passkey(&mut ada, "Laptop").await.status, 200);
    let bob_email = "bob@example.org";
    app.active_person(bob_email, PASSWORD).await;
    let bob_tab = tab();
    assert_eq!(
        app.password_sign_in(&bob_tab, bob_email, PASSWORD).await.0,
        303
    );
    let mut bob = Authenticator::new(&app.origin());
    let added = app.add_passkey_as(&bob_tab, &mut bob, "Bob's key").await;
    assert_eq!(added.status, 200, "{}", added.body);

    let other = tab();
    assert_eq!(app.password_sign_in(&other, EMAIL, PASSWORD).await.0, 303);
    let csrf = data_csrf(&app.page_as(&other, "/+login/second-step").await);
    let begun = app
        .post_json_as(&other, STEP_BEGIN, &csrf, &json!({}))
        .await;
    let body = json!({ "credential": bob.get_with(0, &begun.body) });
    let refused = app.post_json_as(&other, STEP_FINISH, &csrf, &body).await;
    assert_eq!((refused.status, refused.error()), (400, "refused"));
    assert_ne!(app.status_as(&other, "/+account").await, 200);
    assert_eq!(app.audited("SecondStepFailed").await, 1);

    let begun = app
        .post_json_as(&other, STEP_BEGIN, &csrf, &json!({}))
        .await;
    let body = json!({ "credential": ada.get(&begun.body) });
    assert_eq!(
        app.post_json_as(&other, STEP_FINISH, &csrf, &body)
            .await
            .status,
        200
    );
    assert_eq!(app.status_as(&other, "/+account").await, 200);
}

#[tokio::test]
async fn a_second_step_passkey_needs_a_second_step_waiting() {
    let app = signed_in_app().await;
    let csrf = crate::login_helpers::csrf_in(&app.page("/+login").await);
    let begun = app
        .post_json_as(&tab(), STEP_BEGIN, &csrf, &json!({}))
        .await;
    assert_eq!(begun.status, 403, "another tab has no CSRF token");
    let begun = app
        .post_json_as(&app.client, STEP_BEGIN, &csrf, &json!({}))
        .await;
    assert_eq!((begun.status, begun.error()), (400, "no_second_step"));
}

#[tokio::test]
async fn failed_passkey_sign_ins_lock_the_client_address() {
    let app = spawn_app_on_localhost(|s| s.throttle.ip_failures = 3).await;
    app.active_person(EMAIL, PASSWORD).await;
    let mut stranger = Authenticator::new(&app.origin());
    let nowhere = json!({"publicKey": {
        "rp": {"id": "localhost"},
        "challenge": b64(b"not a real challenge"),
        "user": {"id": b64(b"nobody")},
    }});
    stranger.create(&nowhere);
    let client = tab();
    for attempt in 1..=3 {
        let answer = app.passkey_sign_in(&client, &mut stranger, None).await;
        assert_eq!(
            (answer.status, answer.error()),
            (400, "refused"),
            "attempt {attempt}"
        );
    }
    let locked = app.passkey_sign_in(&client, &mut stranger, None).await;
    assert_eq!(
        (locked.status, locked.error()),
        (429, "locked"),
        "{}",
        locked.body
    );
    assert!(
        locked.body["message"]
            .as_str()
            .unwrap()
            .contains("Too many failed attempts")
    );
    assert_eq!(app.audited("LoginFailed").await, 3);
    assert_eq!(app.audited("LoginLockedOut").await, 1);
}

#[tokio::test]
async fn a_passkey_ceremony_begun_on_one_node_finishes_on_another() {
    if !redis_here().await {
        return;
    }
    let prefix = fresh_redis_prefix();
    let shared = |s: &mut latchkey::config::Settings| {
        s.redis.url = Some(SecretString::from(LOCAL_REDIS.to_owned()));
        s.redis.sessions = true;
        s.redis.rate_limits = true;
        s.redis.key_prefix = prefix.clone();
    };
    let a = spawn_app_on_localhost(shared).await;
    let mut settings = test_settings(&a.test_db);
    shared(&mut settings);
    settings.server.public_url = Some(a.origin());
    let node_b = Application::build(&settings, Arc::clone(&a.clock) as _)
        .await
        .expect("the second node starts");
    let b_address = format!("http://127.0.0.1:{}", node_b.port());
    tokio::spawn(node_b.run_until_stopped());
    a.active_person(EMAIL, PASSWORD).await;
    assert_eq!(a.password_sign_in(&a.client, EMAIL, PASSWORD).await.0, 303);

    // Cookies are per host, not per port: one tab talks to both nodes.
    let mut auth = Authenticator::new(&a.origin());
    let (csrf, begun) = a.begin_passkey("Laptop").await;
    assert_eq!(begun.status, 200, "{}", begun.body);
    let body = json!({ "name": "Laptop", "credential": auth.create(&begun.body) });
    let finished = a
        .client
        .post(format!(
            "{b_address}/+account/security/passkeys/register/finish"
        ))
        .header("X-CSRF-Token", &csrf)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(finished.status(), 200, "node B finishes what node A began");

    let other = tab();
    let (csrf, begun) = a.begin_passkey_sign_in(&other).await;
    let body = json!({ "credential": auth.get(&begun.body) });
    let signed_in = other
        .post(format!("{b_address}/+login/passkey/finish"))
        .header("X-CSRF-Token", &csrf)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), 200);
    let account = other
        .get(format!("{}/+account", a.address))
        .send()
        .await
        .unwrap();
    assert_eq!(
        account.status(),
        200,
        "signed in on node B, known on node A"
    );
}
