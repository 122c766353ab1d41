//! The console's page of a person (`/+admin/people/{id}`): what it shows and its actions
//! (suspend, reactivate, send a reset link, end sessions, revoke a consent or an API key),
//! each through the command line's own service and audited naming the administrator; its
//! refusals (400 with the reason, nothing changed); 404 for everyone else.

use latchkey::db::api_keys::insert_api_key;
use latchkey::db::consents::save_consent;
use latchkey::domain::api_key::{ApiKey, KeyDescription};
use latchkey::domain::scope::Scopes;
use latchkey::service::api_keys::new_secret;

use crate::admin_console::{admin_browser, console_app, member_with_authenticator};
use crate::admin_people_cli::last_audit;
use crate::factor_helpers::{get, post};
use crate::helpers::{TestApp, browser};

const ADMIN: &str = "root@example.org";
const ADA: &str = "ada@example.org";
const PASSWORD: &str = "correct horse battery staple";

pub(crate) async fn person_id(app: &TestApp, email: &str) -> String {
    app.person(email).await.unwrap().id.as_str().to_owned()
}

/// Gives the person with `email` a live API key; returns its id.
pub(crate) async fn give_key(app: &TestApp, email: &str) -> String {
    let person = app.person(email).await.unwrap();
    let (secret, prefix) = new_secret().unwrap();
    let key = ApiKey {
        id: uuid::Uuid::new_v4().to_string(),
        person_id: person.id,
        description: KeyDescription::parse("nightly backup").unwrap(),
        prefix,
        app_id: None,
        created_at: 0,
        last_used_at: None,
        last_used_from: None,
        revoked_at: None,
    };
    insert_api_key(app.db.pool(), &key, &secret.hash())
        .await
        .unwrap();
    key.id
}

/// Records the person's consent to a client (registered first, as a relying party).
pub(crate) async fn give_consent(app: &TestApp, email: &str, client_id: &str) {
    let person = app.person(email).await.unwrap();
    let scopes = Scopes::parse("openid profile email");
    save_consent(app.db.pool(), &person.id, client_id, &scopes, 0)
        .await
        .unwrap();
}

pub(crate) async fn count(app: &TestApp, sql: &'static str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(app.db.pool())
        .await
        .unwrap()
}

/// The first message to `to` after the first `skip` messages, waiting up to 10 s for it.
pub(crate) async fn mail_to(app: &TestApp, to: &str, skip: usize) -> crate::smtp::RawEmail {
    for n in skip + 1.. {
        let mail = app.smtp.wait_for(n).await;
        if mail.rcpt_to.iter().any(|r| r == to) {
            return mail;
        }
    }
    unreachable!("wait_for panics first")
}

/// What a refused action must leave as it was: the identity tables' rows, the statuses,
/// consents, live keys, queued mail and live sessions.
pub(crate) async fn everything(app: &TestApp) -> (Vec<(&'static str, i64)>, Vec<i64>, String) {
    let mut counts = Vec::new();
    for sql in [
        "SELECT COUNT(*) FROM consents",
        "SELECT COUNT(*) FROM api_keys WHERE revoked_at IS NULL",
        "SELECT COUNT(*) FROM outbox",
        "SELECT COUNT(*) FROM sessions",
        "SELECT COUNT(*) FROM oauth_clients",
    ] {
        counts.push(count(app, sql).await);
    }
    let statuses: Vec<String> = sqlx::query_scalar("SELECT status FROM people ORDER BY id")
        .fetch_all(app.db.pool())
        .await
        .unwrap();
    (app.row_counts().await, counts, statuses.join(","))
}

/// Every action's path on the person `id`, with its fields.
fn actions(id: &str) -> Vec<(String, Vec<(&'static str, &'static str)>)> {
    let base = format!("/+admin/people/{id}");
    vec![
        (format!("{base}/suspend"), vec![]),
        (format!("{base}/reactivate"), vec![]),
        (format!("{base}/send-reset"), vec![]),
        (format!("{base}/end-sessions"), vec![]),
        (
            format!("{base}/consents/revoke"),
            vec![("client_id", "wiki")],
        ),
        (format!("{base}/api-keys/revoke"), vec![("key_id", "k")]),
    ]
}

#[tokio::test]
async fn every_person_page_and_action_is_not_found_for_non_members() {
    let app = console_app().await;
    app.active_person(ADA, PASSWORD).await;
    let ada = person_id(&app, ADA).await;
    let anonymous = browser();
    let member_of_nothing = app.sign_in_other(ADA, PASSWORD).await;
    let before = everything(&app).await;
    for client in [&anonymous, &member_of_nothing] {
        let page = format!("/+admin/people/{ada}");
        assert_eq!(app.status_as(client, &page).await, 404, "{page}");
        for (path, fields) in actions(&ada) {
            let mut form = vec![("csrf_token", "x")];
            form.extend(fields);
            let res = client
                .post(format!("{}{path}", app.address))
                .form(&form)
                .send()
                .await
                .unwrap();
            assert_eq!(res.status().as_u16(), 404, "{path}");
        }
    }
    assert_eq!(everything(&app).await, before, "nothing changed");
}

#[tokio::test]
async fn the_person_page_shows_consents_and_keys_and_each_action_is_audited_as_the_admin() {
    let app = console_app().await;
    app.active_person(ADA, PASSWORD).await;
    let client_id = crate::oidc_helpers::client(&app, false, false).await;
    give_consent(&app, ADA, &client_id).await;
    let key = give_key(&app, ADA).await;
    let ada_browser = app.sign_in_other(ADA, PASSWORD).await;
    let secret = member_with_authenticator(&app).await;
    let admin = admin_browser(&app, &secret).await;
    let ada = person_id(&app, ADA).await;
    let page = format!("/+admin/people/{ada}");
    let shown = get(&app, &admin, &page).await;
    assert_eq!(shown.status, 200);
    for expected in [
        &client_id,
        "nightly backup",
        ADA,
        "/send-reset",
        "/end-sessions",
        "aria-label=\"Revoke the API key nightly backup\"",
    ] {
        assert!(shown.body.contains(expected), "{expected}: {}", shown.body);
    }
    let by = format!("(by admin:{ADMIN})");

    let ended = post(&app, &admin, &page, &format!("{page}/end-sessions"), &[]).await;
    assert_eq!(
        ended.location.as_deref(),
        Some(&*format!("{page}?done=sessions"))
    );
    assert_eq!(
        app.status_as(&ada_browser, "/+account").await,
        303,
        "signed out"
    );
    let (_, detail) = last_audit(&app, "SessionsEnded").await;
    assert_eq!(detail, format!("{ADA}: every session ended {by}"));

    let revoked = post(
        &app,
        &admin,
        &page,
        &format!("{page}/consents/revoke"),
        &[("client_id", &client_id)],
    )
    .await;
    assert_eq!(revoked.status, 303);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM consents").await, 0);
    let (_, detail) = last_audit(&app, "ConsentRevoked").await;
    assert_eq!(
        detail,
        format!("{ADA}: consent to client {client_id} revoked {by}")
    );

    let revoked = post(
        &app,
        &admin,
        &page,
        &format!("{page}/api-keys/revoke"),
        &[("key_id", &key)],
    )
    .await;
    assert_eq!(revoked.status, 303);
    let live = "SELECT COUNT(*) FROM api_keys WHERE revoked_at IS NULL";
    assert_eq!(count(&app, live).await, 0);
    let (_, detail) = last_audit(&app, "ApiKeyRevoked").await;
    assert_eq!(
        detail,
        format!("{ADA}: API key {key} (nightly backup) revoked {by}")
    );

    let mails = app.smtp.messages().len();
    let sent = post(&app, &admin, &page, &format!("{page}/send-reset"), &[]).await;
    assert_eq!(sent.status, 303);
    let mail = mail_to(&app, ADA, mails).await;
    assert!(mail.link().contains("/token/"), "{}", mail.link());
    let (remote, detail) = last_audit(&app, "RecoveryRequested").await;
    assert_eq!(
        detail,
        format!("{ADA}: recovery link sent by admin:{ADMIN}")
    );
    assert_eq!(remote, "127.0.0.1");

    let suspended = post(&app, &admin, &page, &format!("{page}/suspend"), &[]).await;
    assert_eq!(suspended.status, 303);
    let shown = get(&app, &admin, &suspended.location.unwrap()).await;
    assert!(shown.body.contains("/reactivate"), "{}", shown.body);
    assert!(!shown.body.contains("/suspend\""), "{}", shown.body);
    let back = post(&app, &admin, &page, &format!("{page}/reactivate"), &[]).await;
    assert_eq!(back.status, 303);
    assert_eq!(app.person(ADA).await.unwrap().status.as_str(), "active");
    let (_, detail) = last_audit(&app, "PersonReactivated").await;
    assert_eq!(
        detail,
        format!("{ADA}: suspended to active by admin:{ADMIN}")
    );
    let generic = "SELECT COUNT(*) FROM audit_events WHERE code = 'AdminAction'";
    assert_eq!(count(&app, generic).await, 0);
}

#[tokio::test]
async fn refused_actions_answer_400_with_the_reason_and_change_nothing() {
    let app = console_app().await;
    app.active_person(ADA, PASSWORD).await;
    let key = give_key(&app, ADA).await;
    let secret = member_with_authenticator(&app).await;
    let admin = admin_browser(&app, &secret).await;
    let ada = person_id(&app, ADA).await;
    let page = format!("/+admin/people/{ada}");
    let before = everything(&app).await;
    let refusals = [
        ("reactivate", vec![], "only a suspended or deactivated"),
        ("consents/revoke", vec![("client_id", "nope")], "no consent"),
        (
            "api-keys/revoke",
            vec![("key_id", "nope")],
            "no API key nope",
        ),
        ("api-keys/revoke", vec![("key_id", "")], "no API key"),
    ];
    for (action, fields, reason) in refusals {
        let answer = post(&app, &admin, &page, &format!("{page}/{action}"), &fields).await;
        assert_eq!(answer.status, 400, "{action}");
        let error = answer.error().unwrap_or_default();
        assert!(error.contains(reason), "{action}: {error}");
    }
    assert_eq!(everything(&app).await, before, "nothing changed");

    post(
        &app,
        &admin,
        &page,
        &format!("{page}/api-keys/revoke"),
        &[("key_id", &key)],
    )
    .await;
    post(&app, &admin, &page, &format!("{page}/suspend"), &[]).await;
    let before = everything(&app).await;
    let mails = app.smtp.messages().len();
    for (action, fields, reason) in [
        (
            "api-keys/revoke",
            vec![("key_id", key.as_str())],
            "revoked already",
        ),
        ("suspend", vec![], "it cannot be suspended"),
        ("send-reset", vec![], "cannot recover"),
    ] {
        let answer = post(&app, &admin, &page, &format!("{page}/{action}"), &fields).await;
        assert_eq!(answer.status, 400, "{action}");
        let error = answer.error().unwrap_or_default();
        assert!(error.contains(reason), "{action}: {error}");
    }
    assert_eq!(everything(&app).await, before, "nothing changed");
    assert_eq!(app.smtp.messages().len(), mails, "no mail was sent");

    let nobody = "/+admin/people/no-such-id";
    assert_eq!(get(&app, &admin, nobody).await.status, 404);
    let answer = post(&app, &admin, &page, &format!("{nobody}/suspend"), &[]).await;
    assert_eq!(answer.status, 404);
}
