//! Sessions: their idle and absolute lifetimes, removal from the store, the secure cookie over
//! HTTPS, and the list on the account page where one, all others or this browser's own can be
//! ended.

use latchkey::clock::Clock;

use crate::account::sessions_in;
use crate::helpers::{spawn_app, spawn_app_with};

#[tokio::test]
async fn a_session_ends_after_its_idle_time() {
    let app = spawn_app().await;
    app.active_person("ada@example.org", "correct horse").await;
    app.post_login("ada@example.org", "correct horse", "login")
        .await;
    app.clock.advance(2 * 3600 - 60);
    assert!(app.signed_in().await, "used within the idle time");
    app.clock.advance(2 * 3600 + 1);
    assert!(!app.signed_in().await, "idle for more than two hours");
}

#[tokio::test]
async fn a_session_ends_after_its_absolute_lifetime_even_when_busy() {
    let app = spawn_app().await;
    app.active_person("ada@example.org", "correct horse").await;
    app.post_login("ada@example.org", "correct horse", "login")
        .await;
    for _ in 0..11 {
        app.clock.advance(3600);
        assert!(app.signed_in().await);
    }
    app.clock.advance(3600);
    assert!(!app.signed_in().await, "twelve hours after signing in");
}

#[tokio::test]
async fn expired_sessions_are_removed_from_the_store() {
    let app = spawn_app().await;
    app.active_person("ada@example.org", "correct horse").await;
    app.post_login("ada@example.org", "correct horse", "login")
        .await;
    app.clock.advance(3 * 3600);
    let removed = latchkey::db::sessions::delete_expired_sessions(app.db.pool(), app.clock.now())
        .await
        .unwrap();
    assert!(removed >= 1);
    let left: i64 = app.count("SELECT COUNT(*) AS n FROM sessions").await;
    assert_eq!(left, 0);
}

#[tokio::test]
async fn a_suspended_person_is_signed_out_at_the_next_request() {
    let app = spawn_app().await;
    app.active_person("ada@example.org", "correct horse").await;
    app.post_login("ada@example.org", "correct horse", "login")
        .await;
    latchkey::service::people::change_status(
        &app.ctx,
        &latchkey::domain::EmailAddress::parse("ada@example.org").unwrap(),
        latchkey::domain::StatusChange::Suspend,
        &latchkey::service::Origin::cli(),
        latchkey::i18n::Lang::default_lang(),
    )
    .await
    .unwrap();
    assert!(!app.signed_in().await);
}

#[tokio::test]
async fn over_https_the_session_cookie_is_host_prefixed_and_secure() {
    let app =
        spawn_app_with(|s| s.server.public_url = Some("https://login.example.org".to_owned()))
            .await;
    let res = app
        .client
        .get(format!("{}/+login", app.address))
        .send()
        .await
        .unwrap();
    let cookie = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.contains("lk_session"))
        .expect("a session cookie");
    assert!(cookie.starts_with("__Host-lk_session="), "{cookie}");
    for flag in ["Secure", "HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(flag), "{flag}: {cookie}");
    }
    assert!(!cookie.contains("Domain"), "{cookie}");
    assert!(res.headers().contains_key("strict-transport-security"));
}

/// The label of the one session that is not this browser's.
fn other_label(page: &str) -> String {
    let others: Vec<String> = sessions_in(page)
        .into_iter()
        .filter(|(_, current, _)| !current)
        .map(|(label, _, _)| label)
        .collect();
    assert_eq!(others.len(), 1, "{page}");
    others[0].clone()
}

#[tokio::test]
async fn the_account_page_lists_where_the_person_is_signed_in() {
    let app = spawn_app().await;
    app.active_person("ada@example.org", "correct horse").await;
    app.post_login("ada@example.org", "correct horse", "login")
        .await;
    app.clock.advance(60);
    app.sign_in_as_agent("Firefox/140 <laptop>", "ada@example.org", "correct horse")
        .await;
    let page = app.page("/+account/sessions").await;
    let sessions = sessions_in(&page);
    assert_eq!(sessions.len(), 2, "{page}");
    let (this, others): (Vec<_>, Vec<_>) = sessions.iter().partition(|(_, current, _)| *current);
    assert_eq!(this.len(), 1);
    assert!(this[0].2.contains("this browser"));
    let other = &others[0].2;
    assert!(
        other.contains("title=\"Firefox/140 &lt;laptop&gt;\""),
        "the whole user agent, escaped: {other}"
    );
    assert!(other.contains(">Unknown browser</span>"), "{other}");
    assert!(other.contains("127.0.0.1"), "{other}");
    assert!(
        other.contains("datetime=\"2026-01-01T00:01:00Z\""),
        "{other}"
    );
    assert!(
        other.contains("title=\"1 January 2026, 00:01 UTC\">signed in just now</time>"),
        "{other}"
    );
    assert!(
        !sessions[0].1,
        "newest first: the other browser signed in later"
    );
    assert!(page.contains("action=\"/+account/sessions/end-others\""));
}

#[tokio::test]
async fn ending_one_session_signs_only_that_browser_out() {
    let app = spawn_app().await;
    app.active_person("ada@example.org", "correct horse").await;
    app.post_login("ada@example.org", "correct horse", "login")
        .await;
    let other = app.sign_in_other("ada@example.org", "correct horse").await;
    let page = app.page("/+account/sessions").await;
    let label = other_label(&page);
    let csrf = crate::login_helpers::csrf_in(&page);

    let forged = app
        .post_form(
            "/+account/sessions/end",
            &[("label", &label), ("csrf_token", "forged")],
        )
        .await;
    assert_eq!(forged.status, 403);
    assert_eq!(
        app.status_as(&other, "/+account").await,
        200,
        "nothing ended"
    );

    let ended = app
        .post_form(
            "/+account/sessions/end",
            &[("label", &label), ("csrf_token", &csrf)],
        )
        .await;
    assert_eq!(ended.status, 303);
    assert_eq!(ended.location.as_deref(), Some("/+account/sessions"));
    assert_eq!(
        app.status_as(&other, "/+account").await,
        303,
        "that browser is out"
    );
    assert!(app.signed_in().await, "this one is not");
    assert_eq!(sessions_in(&app.page("/+account/sessions").await).len(), 1);

    let again = app
        .post_form(
            "/+account/sessions/end",
            &[("label", &label), ("csrf_token", &csrf)],
        )
        .await;
    assert_eq!(again.status, 404);
    assert_eq!(
        again.error().as_deref(),
        Some("That session has already ended.")
    );
}

#[tokio::test]
async fn signing_out_everywhere_else_keeps_only_this_browser() {
    let app = spawn_app().await;
    app.active_person("ada@example.org", "correct horse").await;
    let others = [
        app.sign_in_other("ada@example.org", "correct horse").await,
        app.sign_in_other("ada@example.org", "correct horse").await,
    ];
    app.post_login("ada@example.org", "correct horse", "login")
        .await;
    // Someone else's session is not touched.
    app.active_person("bob@example.org", "battery staple").await;
    let bob = app.sign_in_other("bob@example.org", "battery staple").await;

    let csrf = app.csrf_from("/+account/sessions").await;
    let done = app
        .post_form("/+account/sessions/end-others", &[("csrf_token", &csrf)])
        .await;
    assert_eq!(done.status, 303);
    for other in &others {
        assert_eq!(app.status_as(other, "/+account").await, 303);
    }
    assert!(app.signed_in().await);
    assert_eq!(
        app.status_as(&bob, "/+account").await,
        200,
        "Bob stays signed in"
    );
    let page = app.page("/+account/sessions").await;
    let sessions = sessions_in(&page);
    assert_eq!(sessions.len(), 1);
    assert!(sessions[0].1, "the one left is this browser");
    assert!(!page.contains("end-others"), "nothing else to sign out");
}

#[tokio::test]
async fn ending_this_browsers_own_session_is_a_logout() {
    let app = spawn_app().await;
    app.active_person("ada@example.org", "correct horse").await;
    app.post_login("ada@example.org", "correct horse", "login")
        .await;
    let page = app.page("/+account/sessions").await;
    let (label, current, _) = sessions_in(&page).remove(0);
    assert!(current);
    let csrf = crate::login_helpers::csrf_in(&page);
    let out = app
        .post_form(
            "/+account/sessions/end",
            &[("label", &label), ("csrf_token", &csrf)],
        )
        .await;
    assert_eq!(out.status, 303);
    assert_eq!(out.location.as_deref(), Some("/+login"));
    assert!(!app.signed_in().await);
}

#[tokio::test]
async fn a_session_from_before_the_persons_sessions_were_ended_is_refused_even_if_still_stored() {
    let app = spawn_app().await;
    let ada = app.active_person("ada@example.org", "correct horse").await;
    let other = app.sign_in_other("ada@example.org", "correct horse").await;
    app.clock.advance(10);
    // As a request that was still in flight during a password change would leave it: the
    // session row stays, but the person's sessions were ended after it signed in.
    latchkey::db::people::end_sessions_before(app.db.pool(), &ada.id, app.clock.now())
        .await
        .unwrap();
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM sessions").await, 1);
    assert_eq!(app.status_as(&other, "/+account").await, 303);
    app.post_login("ada@example.org", "correct horse", "login")
        .await;
    assert!(app.signed_in().await, "a sign-in after that works");
}
