//! The console's clients pages: adding a client (its secret shown once), editing every
//! setting, rotating the secret (shown once), removing after a confirmation page; refusals
//! that answer 400 and change nothing; 404 for non-members on every page and form.

use latchkey::db::clients::find_client;

use crate::admin_console::{admin_browser, console_app, member_with_authenticator};
use crate::factor_helpers::{get, post};
use crate::helpers::{TestApp, browser};

pub const ADMIN: &str = "root@example.org";
const ADA: &str = "ada@example.org";
const PASSWORD: &str = "correct horse battery staple";

/// The console's signed-in administrator.
pub async fn admin(app: &TestApp) -> reqwest::Client {
    let secret = member_with_authenticator(app).await;
    admin_browser(app, &secret).await
}

/// The secret a page shows, if it shows one.
pub fn secret_in(body: &str) -> Option<String> {
    let start = body.find("lk_cs_")?;
    let rest = &body[start..];
    let end = rest.find('<')?;
    Some(rest[..end].trim().to_owned())
}

fn client_id_in(body: &str) -> String {
    let marker = "<code class=\"client-id\">";
    let start = body.find(marker).unwrap() + marker.len();
    body[start..][..32].to_owned()
}

/// The fields of the edit form.
pub fn edit_fields<'a>(name: &'a str, uris: &'a str, trusted: bool) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("name", name),
        ("redirect_uris", uris),
        ("post_logout_redirect_uris", "https://rp.example.com/bye"),
        ("scopes", "openid profile email"),
        ("alg", "EdDSA"),
    ];
    if trusted {
        fields.push(("trusted", "on"));
    }
    fields
}

async fn audit_details(app: &TestApp, code: &str) -> Vec<String> {
    sqlx::query_scalar("SELECT detail FROM audit_events WHERE code = $1 ORDER BY id")
        .bind(code)
        .fetch_all(app.db.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn an_admin_adds_a_client_and_sees_its_secret_on_that_page_only() {
    let app = console_app().await;
    let admin = admin(&app).await;
    let form = get(&app, &admin, "/+admin/clients/new").await;
    assert_eq!(form.status, 200);
    let added = post(
        &app,
        &admin,
        "/+admin/clients/new",
        "/+admin/clients/new",
        &[
            ("name", "Bug tracker"),
            ("redirect_uris", "https://bugs.example.com/cb\r\n"),
            ("post_logout_redirect_uris", ""),
            ("alg", "RS256"),
        ],
    )
    .await;
    assert_eq!(added.status, 200, "{}", added.body);
    let secret = secret_in(&added.body).expect("the secret is shown");
    let id = client_id_in(&added.body);
    let stored = find_client(app.db.pool(), &id).await.unwrap().unwrap();
    assert_eq!(stored.name, "Bug tracker");
    assert!(stored.secret_hash.is_some());
    for page in [
        "/+admin/clients".to_owned(),
        format!("/+admin/clients/{id}"),
    ] {
        let again = get(&app, &admin, &page).await;
        assert_eq!(again.status, 200);
        assert!(
            !again.body.contains(&secret),
            "{page} shows the secret again"
        );
        assert!(again.body.contains("Bug tracker"));
    }
    let rows = audit_details(&app, "ClientCreated").await;
    assert_eq!(
        rows,
        [format!(
            "client {id} created (Bug tracker) (by admin:{ADMIN})"
        )]
    );

    let public = post(
        &app,
        &admin,
        "/+admin/clients/new",
        "/+admin/clients/new",
        &[
            ("name", "App"),
            ("redirect_uris", "http://localhost:9/cb"),
            ("public", "on"),
            ("alg", "EdDSA"),
        ],
    )
    .await;
    assert_eq!(public.status, 200);
    assert!(secret_in(&public.body).is_none());
}

#[tokio::test]
async fn adding_a_client_with_bad_input_answers_400_and_adds_nothing() {
    let app = console_app().await;
    let admin = admin(&app).await;
    for fields in [
        vec![
            ("name", "X"),
            ("redirect_uris", "javascript:alert(1)"),
            ("alg", "RS256"),
        ],
        vec![("name", "X"), ("redirect_uris", ""), ("alg", "RS256")],
        vec![
            ("name", ""),
            ("redirect_uris", "https://x.example/cb"),
            ("alg", "RS256"),
        ],
        vec![
            ("name", "X"),
            ("redirect_uris", "https://x.example/cb"),
            ("alg", "HS256"),
        ],
        vec![
            ("name", "X"),
            ("redirect_uris", "https://x.example/cb"),
            ("alg", "RS256"),
            ("public", "on"),
            ("introspect_any", "on"),
        ],
    ] {
        let refused = post(
            &app,
            &admin,
            "/+admin/clients/new",
            "/+admin/clients/new",
            &fields,
        )
        .await;
        assert_eq!(refused.status, 400, "{fields:?}");
        assert!(refused.body.contains("role=\"alert\""), "{fields:?}");
    }
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM oauth_clients")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(count, 0);
}

#[tokio::test]
async fn an_admin_edits_every_setting_of_a_client_and_bad_input_changes_nothing() {
    let app = console_app().await;
    let id = crate::oidc_helpers::client(&app, false, false).await;
    let admin = admin(&app).await;
    let page = format!("/+admin/clients/{id}");
    let uris = "https://rp.example.com/a\nhttps://rp.example.com/b";
    let saved = post(
        &app,
        &admin,
        &page,
        &page,
        &edit_fields("Wiki 2", uris, true),
    )
    .await;
    assert_eq!(saved.status, 303);
    assert_eq!(
        saved.location.as_deref(),
        Some(format!("{page}?done=saved").as_str())
    );
    let stored = find_client(app.db.pool(), &id).await.unwrap().unwrap();
    assert_eq!(stored.name, "Wiki 2");
    assert_eq!(
        stored.redirect_uris,
        ["https://rp.example.com/a", "https://rp.example.com/b"]
    );
    assert_eq!(
        stored.post_logout_redirect_uris,
        ["https://rp.example.com/bye"]
    );
    assert_eq!(stored.allowed_scopes.to_string(), "openid profile email");
    assert!(stored.trusted);
    assert_eq!(stored.id_token_alg.as_str(), "EdDSA");
    let rows = audit_details(&app, "ClientChanged").await;
    assert_eq!(rows.len(), 1);
    assert!(
        rows[0].starts_with(&format!("client {id} changed: name=Wiki 2; ")),
        "{}",
        rows[0]
    );
    assert!(
        rows[0].ends_with(&format!("(by admin:{ADMIN})")),
        "{}",
        rows[0]
    );

    for fields in [
        edit_fields("Wiki 3", "http://rp.example.com/cb", true),
        edit_fields("", uris, true),
        edit_fields("Wiki 3", "", true),
        {
            let mut f = edit_fields("Wiki 3", uris, true);
            f.retain(|(k, _)| *k != "scopes");
            f.push(("scopes", "profile email"));
            f
        },
        {
            let mut f = edit_fields("Wiki 3", uris, true);
            f.retain(|(k, _)| *k != "scopes");
            f.push(("scopes", "openid root"));
            f
        },
    ] {
        let refused = post(&app, &admin, &page, &page, &fields).await;
        assert_eq!(refused.status, 400, "{fields:?}");
        assert!(refused.body.contains("role=\"alert\""));
    }
    assert_eq!(
        find_client(app.db.pool(), &id).await.unwrap().unwrap(),
        stored
    );
    assert_eq!(audit_details(&app, "ClientChanged").await.len(), 1);
    assert_eq!(get(&app, &admin, "/+admin/clients/nope").await.status, 404);
}

#[tokio::test]
async fn an_admin_rotates_a_secret_and_sees_the_new_one_once() {
    let app = console_app().await;
    let id = crate::oidc_helpers::client(&app, false, false).await;
    let public = crate::oidc_helpers::client(&app, true, false).await;
    let admin = admin(&app).await;
    let before = find_client(app.db.pool(), &id).await.unwrap().unwrap();
    let page = format!("/+admin/clients/{id}");
    let rotated = post(&app, &admin, &page, &format!("{page}/rotate-secret"), &[]).await;
    assert_eq!(rotated.status, 200);
    let secret = secret_in(&rotated.body).expect("the new secret is shown");
    let after = find_client(app.db.pool(), &id).await.unwrap().unwrap();
    assert_ne!(after.secret_hash, before.secret_hash);
    assert!(!get(&app, &admin, &page).await.body.contains(&secret));
    assert_eq!(
        audit_details(&app, "ClientSecretRotated").await,
        [format!("client {id} secret rotated (by admin:{ADMIN})")]
    );
    let public_page = format!("/+admin/clients/{public}");
    let refused = post(
        &app,
        &admin,
        &public_page,
        &format!("{public_page}/rotate-secret"),
        &[],
    )
    .await;
    assert_eq!(refused.status, 400);
    assert!(
        find_client(app.db.pool(), &public)
            .await
            .unwrap()
            .unwrap()
            .secret_hash
            .is_none()
    );
}

#[tokio::test]
async fn an_admin_removes_a_client_after_confirming() {
    let app = console_app().await;
    let id = crate::oidc_helpers::client(&app, false, false).await;
    let admin = admin(&app).await;
    let confirm = format!("/+admin/clients/{id}/remove");
    let asked = get(&app, &admin, &confirm).await;
    assert_eq!(asked.status, 200);
    assert!(asked.body.contains(&format!("action=\"{confirm}\"")));
    assert!(find_client(app.db.pool(), &id).await.unwrap().is_some());
    let removed = post(&app, &admin, &confirm, &confirm, &[]).await;
    assert_eq!(removed.status, 303);
    assert_eq!(
        removed.location.as_deref(),
        Some("/+admin/clients?done=removed")
    );
    assert!(find_client(app.db.pool(), &id).await.unwrap().is_none());
    assert_eq!(
        audit_details(&app, "ClientRemoved").await,
        [format!("client {id} removed (by admin:{ADMIN})")]
    );
    assert_eq!(get(&app, &admin, &confirm).await.status, 404);
}

#[tokio::test]
async fn every_clients_page_and_form_is_not_found_for_non_members() {
    let app = console_app().await;
    let id = crate::oidc_helpers::client(&app, false, false).await;
    app.active_person(ADA, PASSWORD).await;
    let anonymous = browser();
    let member_of_nothing = app.sign_in_other(ADA, PASSWORD).await;
    let before = find_client(app.db.pool(), &id).await.unwrap().unwrap();
    let pages = [
        "/+admin/clients".to_owned(),
        "/+admin/clients/new".to_owned(),
        format!("/+admin/clients/{id}"),
        format!("/+admin/clients/{id}/remove"),
    ];
    let forms = [
        "/+admin/clients/new".to_owned(),
        format!("/+admin/clients/{id}"),
        format!("/+admin/clients/{id}/redirect-uris"),
        format!("/+admin/clients/{id}/rotate-secret"),
        format!("/+admin/clients/{id}/remove"),
    ];
    for client in [&anonymous, &member_of_nothing] {
        for page in &pages {
            assert_eq!(app.status_as(client, page).await, 404, "{page}");
        }
        for form in &forms {
            let answer = client
                .post(format!("{}{form}", app.address))
                .form(&[
                    ("csrf_token", "x"),
                    ("name", "Mine"),
                    ("redirect_uris", "https://evil.example/cb"),
                    ("alg", "RS256"),
                ])
                .send()
                .await
                .unwrap();
            assert_eq!(answer.status().as_u16(), 404, "{form}");
        }
    }
    assert_eq!(
        find_client(app.db.pool(), &id).await.unwrap().unwrap(),
        before
    );
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM oauth_clients")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(count, 1);
}
