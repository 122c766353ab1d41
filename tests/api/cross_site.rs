//! Forms that carry a CSRF token are refused with 403 when they come from another site
//! (`Origin` of another site, or `Sec-Fetch-Site: cross-site`), even with a valid token; what
//! relying parties and scripts legitimately send from elsewhere still works.

use crate::helpers::{TestApp, spawn_app};

const EVIL: &str = "https://evil.example";

/// POSTs a form with the browser client and the given extra headers.
async fn post_from(
    app: &TestApp,
    path: &str,
    headers: &[(&str, &str)],
    fields: &[(&str, &str)],
) -> (u16, String) {
    let mut req = app
        .client
        .post(format!("{}{path}", app.address))
        .form(fields);
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    let res = req.send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

async fn login_from(app: &TestApp, headers: &[(&str, &str)]) -> u16 {
    let csrf = app.csrf_from("/+login").await;
    let fields = [
        ("email", "ada@example.org"),
        ("password", "a good password"),
        ("action", "login"),
        ("csrf_token", csrf.as_str()),
    ];
    post_from(app, "/+login", headers, &fields).await.0
}

#[tokio::test]
async fn a_login_from_another_site_is_refused_even_with_a_valid_csrf_token() {
    let app = spawn_app().await;
    app.active_person("ada@example.org", "a good password")
        .await;
    let before = app.row_counts().await;
    for headers in [
        vec![("origin", EVIL)],
        vec![("origin", EVIL), ("sec-fetch-site", "cross-site")],
        vec![("sec-fetch-site", "cross-site")],
        vec![("origin", "null"), ("sec-fetch-site", "cross-site")],
        vec![
            ("origin", app.address.as_str()),
            ("sec-fetch-site", "cross-site"),
        ],
        vec![("origin", "http://127.0.0.1:1")],
    ] {
        assert_eq!(login_from(&app, &headers).await, 403, "{headers:?}");
        assert!(!app.signed_in().await, "{headers:?}");
    }
    assert_eq!(
        app.row_counts().await,
        before,
        "a refused form reaches no use case"
    );
}

#[tokio::test]
async fn the_sites_own_forms_and_clients_without_those_headers_still_log_in() {
    let app = spawn_app().await;
    app.active_person("ada@example.org", "a good password")
        .await;
    let own = app.address.clone();
    for headers in [
        vec![("origin", own.as_str()), ("sec-fetch-site", "same-origin")],
        vec![("origin", own.as_str())],
        // Every page has Referrer-Policy: no-referrer, so browsers send Origin: null.
        vec![("origin", "null"), ("sec-fetch-site", "same-origin")],
        vec![("origin", "null")],
        // The site reached under another name than its public URL.
        vec![
            ("origin", "http://localhost:1"),
            ("sec-fetch-site", "same-origin"),
        ],
        vec![],
    ] {
        assert_eq!(login_from(&app, &headers).await, 303, "{headers:?}");
        assert!(app.signed_in().await, "{headers:?}");
        app.client
            .get(format!("{}/+account", app.address))
            .send()
            .await
            .unwrap();
        let csrf = app.csrf_from("/+account").await;
        let (status, _) = post_from(&app, "/+logout", &[], &[("csrf_token", &csrf)]).await;
        assert!(status < 400, "signed out again");
        assert!(!app.signed_in().await);
    }
}

#[tokio::test]
async fn every_form_with_a_csrf_token_refuses_another_site_and_changes_nothing() {
    let app = spawn_app().await;
    app.active_person("ada@example.org", "a good password")
        .await;
    assert_eq!(login_from(&app, &[]).await, 303);
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
        for headers in [
            [("origin", EVIL), ("sec-fetch-site", "cross-site")],
            [("origin", EVIL), ("x-unused", "")],
        ] {
            let (status, body) = post_from(
                &app,
                path,
                &headers,
                &[
                    ("csrf_token", csrf.as_str()),
                    ("current_password", "a good password"),
                    ("password", "a newer password"),
                    ("password_again", "a newer password"),
                    ("description", "a key"),
                    ("decision", "allow"),
                    ("confirm", "yes"),
                ],
            )
            .await;
            assert_eq!(status, 403, "{path} {headers:?}: {body}");
            assert!(
                body.contains("This form was sent from another site"),
                "{path}"
            );
        }
    }
    assert_eq!(app.row_counts().await, before);
    assert!(app.signed_in().await);
    let answer = app
        .post_login("ada@example.org", "a good password", "login")
        .await;
    assert_eq!(answer.status, 303, "the password is unchanged");
}

#[tokio::test]
async fn relying_parties_and_scripts_may_still_post_from_another_site() {
    let app = spawn_app().await;
    let cross = [("origin", EVIL), ("sec-fetch-site", "cross-site")];
    // A relying party's logout form: no confirmation, so it becomes the GET it stands for.
    let (status, _) = post_from(&app, "/logout", &cross, &[("state", "s")]).await;
    assert_ne!(status, 403);
    let res = app
        .client
        .post(format!("{}/logout", app.address))
        .header("origin", EVIL)
        .header("sec-fetch-site", "cross-site")
        .form(&[("state", "s")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.url().path(), "/logout", "followed to the GET");
    // An authorization request by POST: judged as a request, not refused as a form.
    let (status, body) = post_from(
        &app,
        "/authorize",
        &cross,
        &[
            ("client_id", "unknown"),
            ("redirect_uri", "https://app.example/cb"),
            ("response_type", "code"),
            ("scope", "openid"),
        ],
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert!(!body.contains("another site"));
    for path in ["/token", "/revoke", "/introspect", "/hooks/placeholder"] {
        let (status, body) = post_from(
            &app,
            path,
            &cross,
            &[("client_id", "c"), ("token", "t"), ("csrf_token", "x")],
        )
        .await;
        assert!(!body.contains("another site"), "{path}: {status} {body}");
    }
}
