//! When a relying party asks for a fresh login: `prompt=login` and `max_age` send a signed-in
//! person back to the login form, and the code carries the new sign-in time.

use latchkey::clock::Clock;

use crate::helpers::{TestApp, spawn_app};
use crate::oidc_helpers::{CALLBACK, authorize_url, client, get, param, sign_in_ada};

/// The `auth_time` of the newest authorization code.
async fn last_auth_time(app: &TestApp) -> i64 {
    let row = sqlx::query(
        "SELECT auth_time FROM authorization_codes ORDER BY created_at DESC, auth_time DESC",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    sqlx::Row::get(&row, "auth_time")
}

#[tokio::test]
async fn prompt_login_asks_a_signed_in_person_to_sign_in_again_without_signing_them_out() {
    let app = spawn_app().await;
    let id = client(&app, false, true).await;
    sign_in_ada(&app).await;
    let first_login = app.clock.now();
    app.clock.advance(100);
    let (status, location, _) = get(&app, &authorize_url(&app, &id, &[("prompt", "login")])).await;
    assert_eq!(status, 303);
    let login = location.unwrap();
    assert!(login.starts_with("/+login?next="));
    assert!(
        !login.contains("prompt%3Dlogin"),
        "the way back does not ask again: {login}"
    );
    assert!(
        app.signed_in().await,
        "a link to /authorize?prompt=login signs nobody out"
    );

    // A wrong password, or giving up, leaves the person signed in as before.
    let wrong = app
        .sign_in_at(&login, "ada@example.org", "wrong horse")
        .await;
    assert_eq!(wrong.status, 200);
    assert!(app.signed_in().await);

    let answer = app
        .sign_in_at(&login, "ada@example.org", "correct horse")
        .await;
    let back = answer.location.unwrap();
    let (status, location, _) = get(&app, &format!("{}{back}", app.address)).await;
    assert_eq!(status, 303);
    assert!(location.unwrap().starts_with(CALLBACK));
    assert_eq!(
        last_auth_time(&app).await,
        first_login + 100,
        "the code carries the new sign-in"
    );
}

#[tokio::test]
async fn max_age_sends_a_person_who_signed_in_too_long_ago_back_to_the_login_form() {
    let app = spawn_app().await;
    let id = client(&app, false, true).await;
    sign_in_ada(&app).await;
    app.clock.advance(120);
    let (status, location, _) = get(&app, &authorize_url(&app, &id, &[("max_age", "300")])).await;
    assert_eq!(status, 303);
    assert!(
        location.unwrap().starts_with(CALLBACK),
        "recent enough: a code"
    );
    let (status, location, _) = get(&app, &authorize_url(&app, &id, &[("max_age", "60")])).await;
    assert_eq!(status, 303);
    let login = location.unwrap();
    assert!(login.starts_with("/+login?next="), "too old: sign in again");
    assert!(
        app.signed_in().await,
        "still signed in until the new login succeeds"
    );
    let answer = app
        .sign_in_at(&login, "ada@example.org", "correct horse")
        .await;
    let (status, location, _) = get(
        &app,
        &format!("{}{}", app.address, answer.location.unwrap()),
    )
    .await;
    assert_eq!(status, 303);
    assert!(location.unwrap().starts_with(CALLBACK), "fresh: a code");
    assert_eq!(last_auth_time(&app).await, app.clock.now());
}

#[tokio::test]
async fn max_age_zero_asks_for_a_new_login_even_in_the_second_of_the_last_one() {
    let app = spawn_app().await;
    let id = client(&app, false, true).await;
    sign_in_ada(&app).await;
    let (status, location, _) = get(&app, &authorize_url(&app, &id, &[("max_age", "0")])).await;
    assert_eq!(status, 303);
    let login = location.unwrap();
    assert!(login.starts_with("/+login?next="), "{login}");
    assert!(
        !login.contains("max_age"),
        "the way back does not ask again"
    );
    app.clock.advance(1);
    let answer = app
        .sign_in_at(&login, "ada@example.org", "correct horse")
        .await;
    app.clock.advance(1);
    let back = answer.location.unwrap();
    let (status, location, _) = get(&app, &format!("{}{back}", app.address)).await;
    assert_eq!(status, 303);
    assert!(location.unwrap().starts_with(CALLBACK), "no second detour");

    // With prompt=none it never shows a page, and no earlier login satisfies it, even one in
    // the same second.
    app.post_login("ada@example.org", "correct horse", "login")
        .await;
    let (status, location, _) = get(
        &app,
        &authorize_url(&app, &id, &[("max_age", "0"), ("prompt", "none")]),
    )
    .await;
    assert_eq!(status, 303);
    assert_eq!(
        param(&location.unwrap(), "error").as_deref(),
        Some("login_required")
    );
}
