//! Passkeys on the security page and as a sign-in without a password, driven by the software
//! authenticator of `passkeys_authenticator` against a server serving `http://localhost:PORT`.

use serde_json::json;

use crate::helpers::spawn_app;
use crate::login_helpers::csrf_in;
use crate::passkeys_authenticator::Authenticator;
use crate::passkeys_helpers::{EMAIL, PASSWORD, data_csrf, signed_in_app, tab};

#[tokio::test]
async fn a_registered_passkey_is_listed_with_its_name_and_audited() {
    let app = signed_in_app().await;
    let mut auth = Authenticator::new(&app.origin());
    let (_, begun) = app.begin_passkey("Laptop").await;
    let options = &begun.body["publicKey"];
    assert_eq!(options["rp"]["id"], "localhost");
    assert_eq!(options["rp"]["name"], "Latchkey");
    assert_eq!(options["authenticatorSelection"]["residentKey"], "required");
    assert_eq!(
        options["authenticatorSelection"]["userVerification"],
        "required"
    );

    let added = app.add_passkey(&mut auth, "  Laptop ").await;
    assert_eq!(added.status, 200, "{}", added.body);
    assert_eq!(added.body["next"], "/+account/security?done=passkey-added");
    let page = app.page("/+account/security?done=passkey-added").await;
    assert!(page.contains("<td class=\"name\">Laptop</td>"), "{page}");
    assert!(page.contains("Your passkey has been added."), "{page}");
    assert_eq!(app.audited("FactorAdded").await, 1);

    let options = &app.begin_passkey("Phone").await.1.body["publicKey"];
    let excluded = options["excludeCredentials"].as_array().unwrap();
    assert_eq!(excluded.len(), 1, "the passkey already added is excluded");
}

#[tokio::test]
async fn a_passkey_signs_in_without_a_password_and_the_session_says_how() {
    let app = signed_in_app().await;
    let mut auth = Authenticator::new(&app.origin());
    assert_eq!(app.add_passkey(&mut auth, "Laptop").await.status, 200);

    let other = tab();
    let login = app.page_as(&other, "/+login").await;
    assert!(
        login.contains("autocomplete=\"username webauthn\""),
        "{login}"
    );
    assert!(login.contains("id=\"passkey-sign-in\""), "{login}");
    assert!(login.contains("<script src=\"/static/js/passkey.js\" defer></script>"));
    let answer = app
        .passkey_sign_in(&other, &mut auth, Some("/+account/security"))
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.body["next"], "/+account/security");
    assert_eq!(app.status_as(&other, "/+account").await, 200);
    assert_eq!(app.audited("LoginSucceeded").await, 2);
    let page = app.page_as(&other, "/+account/security").await;
    assert!(
        !page.contains("<td class=\"last-used\" data-label=\"Last used\">Never</td>"),
        "its last use is shown"
    );

    let synced_tab = tab();
    let answer = app
        .passkey_sign_in(&synced_tab, &mut auth, Some("https://evil.example/"))
        .await;
    assert_eq!(
        answer.body["next"], "/+account",
        "only local targets are followed"
    );
    let amrs = app.stored_amrs(EMAIL).await;
    assert!(amrs.contains(&"hwk user mfa".to_owned()), "{amrs:?}");
}

#[tokio::test]
async fn a_synced_passkey_is_a_software_key() {
    let app = signed_in_app().await;
    let mut auth = Authenticator::new(&app.origin());
    auth.synced = true;
    assert_eq!(app.add_passkey(&mut auth, "Phone").await.status, 200);
    app.client
        .post(format!("{}/+logout", app.address))
        .form(&[("csrf_token", csrf_in(&app.page("/+account").await))])
        .send()
        .await
        .unwrap();
    let answer = app.passkey_sign_in(&tab(), &mut auth, None).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let amrs = app.stored_amrs(EMAIL).await;
    assert_eq!(amrs, ["swk user mfa"]);
}

#[tokio::test]
async fn a_passkey_answer_for_another_origin_is_refused() {
    let app = signed_in_app().await;
    let mut auth = Authenticator::new(&app.origin());
    assert_eq!(app.add_passkey(&mut auth, "Laptop").await.status, 200);

    auth.origin = app.origin().replace("localhost", "evil.localhost");
    let other = tab();
    let answer = app.passkey_sign_in(&other, &mut auth, None).await;
    assert_eq!(answer.status, 400, "{}", answer.body);
    assert!(
        answer.body["message"]
            .as_str()
            .unwrap()
            .contains("could not sign you in")
    );
    assert_ne!(app.status_as(&other, "/+account").await, 200);
    assert_eq!(app.audited("LoginFailed").await, 1);

    auth.origin = format!("{}1", app.origin());
    let added = app.add_passkey(&mut auth, "Other port").await;
    assert_eq!((added.status, added.error()), (400, "refused"));
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM passkeys").await, 1);
}

#[tokio::test]
async fn a_ceremony_is_finished_once_and_an_old_answer_fits_no_new_challenge() {
    let app = signed_in_app().await;
    let mut auth = Authenticator::new(&app.origin());
    let (csrf, begun) = app.begin_passkey("Laptop").await;
    let body = json!({ "name": "Laptop", "credential": auth.create(&begun.body) });
    let path = "/+account/security/passkeys/register/finish";
    let first = app.post_json_as(&app.client, path, &csrf, &body).await;
    assert_eq!(first.status, 200, "{}", first.body);
    let again = app.post_json_as(&app.client, path, &csrf, &body).await;
    assert_eq!((again.status, again.error()), (400, "no_ceremony"));
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM passkeys").await, 1);

    let other = tab();
    let (csrf, begun) = app.begin_passkey_sign_in(&other).await;
    let old = json!({ "credential": auth.get(&begun.body) });
    let path = "/+login/passkey/finish";
    assert_eq!(
        app.post_json_as(&other, path, &csrf, &old).await.status,
        200
    );
    let csrf = csrf_in(&app.page_as(&other, "/+account").await);
    let replayed = app.post_json_as(&other, path, &csrf, &old).await;
    assert_eq!((replayed.status, replayed.error()), (400, "no_ceremony"));

    let third = tab();
    let (csrf, _) = app.begin_passkey_sign_in(&third).await;
    let stale = app.post_json_as(&third, path, &csrf, &old).await;
    assert_eq!((stale.status, stale.error()), (400, "refused"));
    assert_ne!(app.status_as(&third, "/+account").await, 200);
}

#[tokio::test]
async fn a_signature_counter_that_goes_backwards_is_refused() {
    let app = signed_in_app().await;
    let mut auth = Authenticator::new(&app.origin());
    assert_eq!(app.add_passkey(&mut auth, "Laptop").await.status, 200);
    auth.credentials[0].counter = 4;
    assert_eq!(
        app.passkey_sign_in(&tab(), &mut auth, None).await.status,
        200
    );
    auth.credentials[0].counter = 2;
    let cloned = tab();
    let answer = app.passkey_sign_in(&cloned, &mut auth, None).await;
    assert_eq!(
        answer.status, 400,
        "a cloned authenticator is refused: {}",
        answer.body
    );
    assert_ne!(app.status_as(&cloned, "/+account").await, 200);
}

#[tokio::test]
async fn changing_passkeys_needs_the_password_entered_again() {
    let app = signed_in_app().await;
    let mut auth = Authenticator::new(&app.origin());
    assert_eq!(app.add_passkey(&mut auth, "Laptop").await.status, 200);
    let id: String = {
        let row = sqlx::query("SELECT id FROM passkeys")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
        sqlx::Row::get(&row, "id")
    };
    app.clock.advance(10 * 60 + 1);

    let page = app.page("/+account/security").await;
    assert!(
        page.contains("/+account/security/passkeys/confirm"),
        "{page}"
    );
    assert!(!page.contains("id=\"passkey-add\""));
    let csrf = csrf_in(&page);
    let remove = format!("/+account/security/passkeys/{id}/remove");
    let refused = app.post_form(&remove, &[("csrf_token", &csrf)]).await;
    assert_eq!(refused.status, 403);
    assert!(refused.error().unwrap().contains("password again"));
    let rename = format!("/+account/security/passkeys/{id}/rename");
    let fields = [("csrf_token", csrf.as_str()), ("name", "Work")];
    assert_eq!(app.post_form(&rename, &fields).await.status, 403);
    let begin = "/+account/security/passkeys/register/begin";
    let late = app
        .post_json_as(&app.client, begin, &csrf, &json!({"name": "Phone"}))
        .await;
    assert_eq!((late.status, late.error()), (403, "reauthenticate"));

    let confirm = "/+account/security/passkeys/confirm";
    let wrong = app
        .post_form(confirm, &[("csrf_token", &csrf), ("password", "nope")])
        .await;
    assert_eq!(wrong.status, 400);
    let right = app
        .post_form(confirm, &[("csrf_token", &csrf), ("password", PASSWORD)])
        .await;
    assert_eq!(right.status, 303);

    let renamed = app.post_form(&rename, &fields).await;
    assert_eq!(
        renamed.location.as_deref(),
        Some("/+account/security?done=passkey-renamed")
    );
    assert!(
        app.page("/+account/security")
            .await
            .contains("<td class=\"name\">Work</td>")
    );
    let removed = app.post_form(&remove, &[("csrf_token", &csrf)]).await;
    assert_eq!(
        removed.location.as_deref(),
        Some("/+account/security?done=passkey-removed")
    );
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM passkeys").await, 0);
    assert_eq!(app.audited("FactorRemoved").await, 1);
    let again = app.post_form(&remove, &[("csrf_token", &csrf)]).await;
    assert_eq!(again.status, 404, "a passkey is removed once");
}

#[tokio::test]
async fn a_passkey_request_without_this_sessions_csrf_token_is_refused() {
    let app = signed_in_app().await;
    let path = "/+account/security/passkeys/register/begin";
    let forged = app
        .post_json_as(&app.client, path, "forged", &json!({"name": "x"}))
        .await;
    assert_eq!((forged.status, forged.error()), (403, "csrf"));
    let login = app
        .post_json_as(&tab(), "/+login/passkey/begin", "", &json!({}))
        .await;
    assert_eq!(login.status, 403);
    let csrf = data_csrf(&app.page("/+account/security").await);
    let res = app
        .client
        .post(format!("{}{path}", app.address))
        .form(&[("csrf_token", csrf.as_str()), ("name", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 415, "a form is not JSON");
}

#[tokio::test]
async fn with_an_ip_address_as_public_url_passkeys_are_not_offered() {
    let app = spawn_app().await;
    app.active_person(EMAIL, PASSWORD).await;
    let login = app.page("/+login").await;
    assert!(!login.contains("passkey-sign-in"), "{login}");
    assert!(!login.contains("webauthn"), "{login}");
    assert!(!login.contains("passkey.js"), "{login}");
    let begun = app
        .post_json_as(
            &app.client,
            "/+login/passkey/begin",
            &csrf_in(&login),
            &json!({}),
        )
        .await;
    assert_eq!((begun.status, begun.error()), (404, "passkeys_unavailable"));
    assert!(
        begun.body["message"]
            .as_str()
            .unwrap()
            .contains("not available")
    );

    assert_eq!(app.post_login(EMAIL, PASSWORD, "login").await.status, 303);
    let page = app.page("/+account/security").await;
    assert!(page.contains("domain name"), "{page}");
    assert!(!page.contains("id=\"passkey-add\""));
}
