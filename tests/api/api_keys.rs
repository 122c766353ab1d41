//! API keys: the tab (create, list, revoke, restore, all behind CSRF, and the password asked
//! again before a change); how keys authenticate is in `api_key_auth.rs`.

use latchkey::domain::TokenHash;
use serde_json::Value;

use crate::helpers::{TestApp, spawn_app, spawn_app_with};
use crate::login_helpers::{csrf_in, error_in};

pub const TAB: &str = "/+account/api-keys";

/// Signs Ada in with the app's browser client.
pub async fn signed_in_ada(app: &TestApp) {
    app.active_person("ada@example.org", "correct horse").await;
    let answer = app
        .post_login("ada@example.org", "correct horse", "login")
        .await;
    assert_eq!(answer.status, 303);
}

/// Creates a key on the tab; returns the status and the page.
pub async fn create_key_page(app: &TestApp, description: &str) -> (u16, String) {
    let csrf = app.csrf_from(TAB).await;
    let answer = app
        .post_form(TAB, &[("description", description), ("csrf_token", &csrf)])
        .await;
    (answer.status, answer.body)
}

/// The key shown once on a page.
pub fn shown_key(page: &str) -> Option<String> {
    let code = &page[page.find("<code class=\"api-key\"")?..];
    let start = code.find('>')? + 1;
    Some(code[start..].split('<').next()?.to_owned())
}

/// Creates a key and returns it.
pub async fn create_key(app: &TestApp, description: &str) -> String {
    let (status, page) = create_key_page(app, description).await;
    assert_eq!(status, 200, "{page}");
    shown_key(&page).expect("the new key is shown")
}

/// The ids of the keys on the tab, in order.
pub fn key_ids(page: &str) -> Vec<String> {
    page.split("data-key-id=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().to_owned())
        .collect()
}

/// `GET /rest/whoami` with one header.
pub async fn whoami_with(app: &TestApp, header: &str, value: &str) -> (u16, Value) {
    let res = reqwest::Client::new()
        .get(format!("{}/rest/whoami", app.address))
        .header(header, value)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap())
}

#[tokio::test]
async fn a_key_is_shown_once_stored_hashed_listed_and_its_owner_is_emailed() {
    let app = spawn_app().await;
    signed_in_ada(&app).await;
    let key = create_key(&app, "Nightly <report> script").await;
    assert!(key.starts_with("lk_api_") && key.len() >= 7 + 43, "{key}");

    let page = app.page(TAB).await;
    assert!(!page.contains(&key), "the key is shown only once");
    assert!(page.contains("Nightly &lt;report&gt; script"), "escaped");
    assert!(
        page.contains(&format!("{}…", &key[..11])),
        "the visible prefix"
    );
    let row = sqlx::query("SELECT key_hash, prefix FROM api_keys")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    let hash: String = sqlx::Row::get(&row, "key_hash");
    assert_eq!(hash, TokenHash::of(&key).as_str());

    let mail = app.smtp.wait_for(1).await;
    assert_eq!(mail.rcpt_to, ["ada@example.org"]);
    assert!(
        mail.header("Subject").unwrap().contains("API key"),
        "{:?}",
        mail.header("Subject")
    );
    assert!(mail.data.contains("Nightly"));
    assert!(!mail.data.contains(&key[7..]), "no secret in the mail");
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM audit_events WHERE code = 'ApiKeyCreated'")
            .await,
        1
    );
}

#[tokio::test]
async fn every_change_on_the_tab_needs_the_csrf_token() {
    let app = spawn_app().await;
    signed_in_ada(&app).await;
    let created = app
        .post_form(TAB, &[("description", "script"), ("csrf_token", "forged")])
        .await;
    assert_eq!(created.status, 403);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM api_keys").await, 0);

    let key = create_key(&app, "script").await;
    let id = key_ids(&app.page(TAB).await).pop().unwrap();
    for action in ["revoke", "restore"] {
        let answer = app
            .post_form(&format!("{TAB}/{id}/{action}"), &[("csrf_token", "forged")])
            .await;
        assert_eq!(answer.status, 403, "{action}");
    }
    assert_eq!(whoami_with(&app, "X-API-Key", &key).await.0, 200);

    let csrf = app.csrf_from(TAB).await;
    let answer = app
        .post_form(
            &format!("{TAB}/no-such-key/revoke"),
            &[("csrf_token", csrf.as_str())],
        )
        .await;
    assert_eq!(answer.status, 404);
}

#[tokio::test]
async fn someone_elses_key_cannot_be_revoked() {
    let app = spawn_app().await;
    signed_in_ada(&app).await;
    let key = create_key(&app, "ada's script").await;
    let id = key_ids(&app.page(TAB).await).pop().unwrap();

    app.active_person("grace@example.org", "a good password")
        .await;
    let grace = app
        .sign_in_other("grace@example.org", "a good password")
        .await;
    let tab = app.page_as(&grace, TAB).await;
    assert!(key_ids(&tab).is_empty(), "Grace sees only her keys");
    let res = grace
        .post(format!("{}{TAB}/{id}/revoke", app.address))
        .form(&[("csrf_token", csrf_in(&tab).as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    assert_eq!(whoami_with(&app, "X-API-Key", &key).await.0, 200);
}

#[tokio::test]
async fn bad_descriptions_are_refused_and_nothing_is_made() {
    let app = spawn_app().await;
    signed_in_ada(&app).await;
    for bad in ["", "   ", &"x".repeat(256), "two\nlines"] {
        let (status, page) = create_key_page(&app, bad).await;
        assert_eq!(status, 400, "{bad:?}");
        assert!(error_in(&page).is_some());
        assert!(shown_key(&page).is_none());
    }
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM api_keys").await, 0);
}

/// The id of the only key on the tab, and the tab's CSRF token.
async fn only_key(app: &TestApp) -> (String, String) {
    let page = app.page(TAB).await;
    let mut ids = key_ids(&page);
    assert_eq!(ids.len(), 1, "{page}");
    (ids.pop().unwrap(), csrf_in(&page))
}

async fn revoked_keys(app: &TestApp) -> i64 {
    app.count("SELECT COUNT(*) AS n FROM api_keys WHERE revoked_at IS NOT NULL")
        .await
}

#[tokio::test]
async fn changing_keys_needs_the_password_entered_within_the_last_ten_minutes() {
    let app = spawn_app().await;
    signed_in_ada(&app).await;
    create_key(&app, "script").await;
    app.clock.advance(10 * 60 + 1);

    let page = app.page(TAB).await;
    assert!(
        page.contains("action=\"/+account/api-keys/confirm\""),
        "{page}"
    );
    assert!(!page.contains("/revoke\""), "no revoke button while stale");
    assert!(
        !page.contains("name=\"description\""),
        "no create form while stale"
    );
    let (id, csrf) = only_key(&app).await;
    let revoke = app
        .post_form(&format!("{TAB}/{id}/revoke"), &[("csrf_token", &csrf)])
        .await;
    assert_eq!(revoke.status, 403);
    assert_eq!(
        revoke.error().as_deref(),
        Some("Enter your password again first: it was last entered too long ago.")
    );
    let create = app
        .post_form(TAB, &[("description", "another"), ("csrf_token", &csrf)])
        .await;
    assert_eq!(create.status, 403);
    assert_eq!(revoked_keys(&app).await, 0, "nothing revoked");
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM api_keys").await, 1);

    let wrong = app
        .post_form(
            &format!("{TAB}/confirm"),
            &[("password", "not it"), ("csrf_token", &csrf)],
        )
        .await;
    assert_eq!(wrong.status, 400);
    assert_eq!(
        wrong.error().as_deref(),
        Some("The current password is not correct.")
    );
    let forged = app
        .post_form(
            &format!("{TAB}/confirm"),
            &[("password", "correct horse"), ("csrf_token", "forged")],
        )
        .await;
    assert_eq!(forged.status, 403);
    let right = app
        .post_form(
            &format!("{TAB}/confirm"),
            &[("password", "correct horse"), ("csrf_token", &csrf)],
        )
        .await;
    assert_eq!(right.status, 303);
    assert_eq!(right.location.as_deref(), Some(TAB));

    let revoke = app
        .post_form(&format!("{TAB}/{id}/revoke"), &[("csrf_token", &csrf)])
        .await;
    assert_eq!(revoke.status, 303);
    assert_eq!(revoked_keys(&app).await, 1);
    assert_eq!(
        app.count(
            "SELECT COUNT(*) AS n FROM audit_events \
             WHERE code = 'LoginFailed' AND detail = 'reauthentication'"
        )
        .await,
        1,
        "the wrong password is in the audit trail"
    );

    // The confirmation lasts ten minutes too.
    app.clock.advance(10 * 60 + 1);
    let restore = app
        .post_form(&format!("{TAB}/{id}/restore"), &[("csrf_token", &csrf)])
        .await;
    assert_eq!(restore.status, 403);
    assert_eq!(revoked_keys(&app).await, 1);
}

#[tokio::test]
async fn wrong_passwords_on_the_confirmation_lock_this_browser_out_and_no_other() {
    let app = spawn_app_with(|s| s.throttle.account_failures = 3).await;
    signed_in_ada(&app).await;
    app.clock.advance(11 * 60);
    let csrf = app.csrf_from(TAB).await;
    for _ in 0..3 {
        let wrong = app
            .post_form(
                &format!("{TAB}/confirm"),
                &[("password", "guess"), ("csrf_token", &csrf)],
            )
            .await;
        assert_eq!(wrong.status, 400);
    }
    let locked = app
        .post_form(
            &format!("{TAB}/confirm"),
            &[("password", "correct horse"), ("csrf_token", &csrf)],
        )
        .await;
    assert_eq!(locked.status, 429, "even the right password waits");
    assert!(
        locked
            .error()
            .unwrap()
            .starts_with("Too many failed attempts."),
        "{:?}",
        locked.error()
    );
    let other = crate::helpers::browser();
    let form = crate::helpers::fetch_text(&other, &format!("{}/+login", app.address)).await;
    let login = other
        .post(format!("{}/+login", app.address))
        .form(&[
            ("email", "ada@example.org"),
            ("password", "correct horse"),
            ("action", "login"),
            ("csrf_token", &csrf_in(&form)),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        login.status(),
        303,
        "failures in a browser Ada signed in on count against that browser, not her address"
    );
}
