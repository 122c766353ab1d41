//! `latchkey person end-sessions | consent revoke | api-key list | api-key revoke` on the real
//! executable: what each does, its audit row naming `cli:<OS user>`, the `--json` of
//! `api-key list`, and the refusals (exit 1, nothing changed).

use serde_json::Value;

use crate::admin_console_people::{count, everything, give_consent, give_key};
use crate::admin_people_cli::{admin, last_audit};
use crate::helpers::spawn_app;

const ADA: &str = "ada@example.org";
const PASSWORD: &str = "correct horse battery staple";

#[tokio::test]
async fn person_end_sessions_signs_the_person_out_everywhere_and_audits_the_os_user() {
    let app = spawn_app().await;
    app.active_person(ADA, PASSWORD).await;
    let signed_in = app.sign_in_other(ADA, PASSWORD).await;
    assert_eq!(app.status_as(&signed_in, "/+account").await, 200);
    let out = admin(&app, &["person", "end-sessions", ADA], None).await;
    assert!(out.ok().contains("ended 1 session(s)"), "{out:?}");
    assert_eq!(app.status_as(&signed_in, "/+account").await, 303);
    let (remote, detail) = last_audit(&app, "SessionsEnded").await;
    assert_eq!(remote, "cli:operator");
    assert_eq!(
        detail,
        format!("{ADA}: every session ended (by cli:operator)")
    );

    app.team("ops", "ops@example.org").await;
    let before = everything(&app).await;
    for who in ["nobody@example.org", "ops@example.org", "not an address"] {
        let out = admin(&app, &["person", "end-sessions", who], None).await;
        out.fails_with(1);
    }
    assert_eq!(everything(&app).await, before);
}

#[tokio::test]
async fn person_consent_revoke_withdraws_one_consent_and_refuses_an_unknown_one() {
    let app = spawn_app().await;
    app.active_person(ADA, PASSWORD).await;
    let client_id = crate::oidc_helpers::client(&app, false, false).await;
    give_consent(&app, ADA, &client_id).await;
    let before = everything(&app).await;
    let out = admin(
        &app,
        &["person", "consent", "revoke", ADA, "no-such-client"],
        None,
    )
    .await;
    assert!(out.fails_with(1).contains("no consent"), "{out:?}");
    let out = admin(
        &app,
        &["person", "consent", "revoke", "no@example.org", &client_id],
        None,
    )
    .await;
    out.fails_with(1);
    assert_eq!(everything(&app).await, before);

    let out = admin(
        &app,
        &["person", "consent", "revoke", ADA, &client_id],
        None,
    )
    .await;
    assert!(out.ok().contains("revoked the consent"), "{out:?}");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM consents").await, 0);
    let (remote, detail) = last_audit(&app, "ConsentRevoked").await;
    assert_eq!(remote, "cli:operator");
    assert!(detail.contains(&format!("client {client_id}")), "{detail}");
    let again = admin(
        &app,
        &["person", "consent", "revoke", ADA, &client_id],
        None,
    )
    .await;
    again.fails_with(1);
}

#[tokio::test]
async fn person_api_key_lists_as_json_and_revokes_a_live_key_once() {
    let app = spawn_app().await;
    app.active_person(ADA, PASSWORD).await;
    let key = give_key(&app, ADA).await;
    let out = admin(&app, &["person", "api-key", "list", ADA, "--json"], None).await;
    let listed: Value = serde_json::from_str(out.ok()).unwrap();
    assert_eq!(listed[0]["id"], key.as_str());
    assert_eq!(listed[0]["description"], "nightly backup");
    assert!(listed[0]["revoked_at"].is_null());
    let text = admin(&app, &["person", "api-key", "list", ADA], None).await;
    assert!(text.ok().contains("live"), "{text:?}");

    let before = everything(&app).await;
    let out = admin(
        &app,
        &["person", "api-key", "revoke", ADA, "no-such-key"],
        None,
    )
    .await;
    assert!(out.fails_with(1).contains("no API key"), "{out:?}");
    assert_eq!(everything(&app).await, before);

    let out = admin(&app, &["person", "api-key", "revoke", ADA, &key], None).await;
    assert!(out.ok().contains("revoked the API key"), "{out:?}");
    let (remote, detail) = last_audit(&app, "ApiKeyRevoked").await;
    assert_eq!(remote, "cli:operator");
    assert!(detail.contains(&key), "{detail}");
    let before = everything(&app).await;
    let again = admin(&app, &["person", "api-key", "revoke", ADA, &key], None).await;
    assert!(again.fails_with(1).contains("revoked already"), "{again:?}");
    assert_eq!(everything(&app).await, before);
    let out = admin(&app, &["person", "api-key", "list", ADA, "--json"], None).await;
    let listed: Value = serde_json::from_str(out.ok()).unwrap();
    assert!(listed[0]["revoked_at"].is_i64());
}

#[tokio::test]
async fn the_new_person_commands_have_help_with_their_exit_codes() {
    let app = spawn_app().await;
    for args in [
        vec!["person", "end-sessions", "--help"],
        vec!["person", "consent", "revoke", "--help"],
        vec!["person", "api-key", "list", "--help"],
        vec!["person", "api-key", "revoke", "--help"],
    ] {
        let out = admin(&app, &args, None).await;
        assert!(out.ok().contains("Exit codes"), "{args:?}: {out:?}");
    }
}
