//! The lockout holds against concurrency and cannot be turned against its owner: attempts are
//! reserved before a password is checked (so 60 guesses at once check no more than the
//! threshold), link requests never count as failed logins, a browser the person signed in on
//! keeps working while their address is locked by failures from elsewhere, and the
//! password-change form is throttled and audited like the login form.

use latchkey::config::Settings;
use secrecy::SecretString;
use tokio::task::JoinSet;

use crate::helpers::{LOCAL_REDIS, TestApp, browser, redis_here, spawn_app_with};
use crate::login_helpers::csrf_in;

const THRESHOLD: i64 = 10;

fn guessable(s: &mut Settings) {
    s.throttle.account_failures = THRESHOLD;
    // Every guess comes from 127.0.0.1: the per-address counter is the one under test.
    s.throttle.ip_failures = 1_000_000;
}

fn guessable_with_redis(s: &mut Settings) {
    guessable(s);
    s.redis.url = Some(SecretString::from(LOCAL_REDIS.to_owned()));
    s.redis.rate_limits = true;
}

/// An address no other test or earlier run has used (Redis counters outlive each test).
fn fresh_address(name: &str) -> String {
    format!("{name}{}@example.org", uuid::Uuid::new_v4().simple())
}

/// Passwords checked since the server started, from its `/metrics`.
async fn verifications(app: &TestApp) -> u64 {
    let text = crate::helpers::fetch_text(
        &reqwest::Client::new(),
        &format!("{}/metrics", app.private_address),
    )
    .await;
    text.lines()
        .find_map(|l| l.strip_prefix("latchkey_password_verifications_total "))
        .expect("the metric is published")
        .parse()
        .unwrap()
}

/// Posts `guesses` at once, each from its own browser with its own form; the last is the
/// right password. Returns the statuses.
async fn guess_at_once(app: &TestApp, email: &str, guesses: usize) -> Vec<u16> {
    let mut ready = Vec::new();
    for n in 0..guesses {
        let client = browser();
        let form = crate::helpers::fetch_text(&client, &format!("{}/+login", app.address)).await;
        let password = if n + 1 == guesses {
            "correct horse".to_owned()
        } else {
            format!("wrong guess {n}")
        };
        ready.push((client, csrf_in(&form), password));
    }
    let mut posts = JoinSet::new();
    for (client, csrf, password) in ready {
        let url = format!("{}/+login", app.address);
        let email = email.to_owned();
        posts.spawn(async move {
            client
                .post(url)
                .form(&[
                    ("email", email.as_str()),
                    ("password", password.as_str()),
                    ("action", "login"),
                    ("csrf_token", csrf.as_str()),
                ])
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        });
    }
    posts.join_all().await
}

async fn sixty_guesses_at_once_check_no_more_passwords_than_the_threshold(app: TestApp) {
    let email = fresh_address("race");
    app.active_person(&email, "correct horse").await;
    let statuses = guess_at_once(&app, &email, 60).await;
    let answered = statuses.iter().filter(|s| **s != 429).count();
    assert!(
        answered <= usize::try_from(THRESHOLD).unwrap(),
        "{answered} of 60 guesses at once were answered: {statuses:?}"
    );
    // A fresh server: every password it checked was one of these guesses.
    assert_eq!(
        verifications(&app).await,
        u64::try_from(answered).unwrap(),
        "every guess not refused was checked, every other refused unchecked"
    );
    assert!(statuses.iter().filter(|s| **s == 429).count() >= 50);
}

#[tokio::test]
async fn sixty_concurrent_guesses_check_at_most_the_threshold_of_passwords() {
    sixty_guesses_at_once_check_no_more_passwords_than_the_threshold(
        spawn_app_with(guessable).await,
    )
    .await;
}

#[tokio::test]
async fn sixty_concurrent_guesses_check_at_most_the_threshold_of_passwords_with_redis_counters() {
    if !redis_here().await {
        return;
    }
    sixty_guesses_at_once_check_no_more_passwords_than_the_threshold(
        spawn_app_with(guessable_with_redis).await,
    )
    .await;
}

async fn link_requests_lock_nothing_and_a_locked_address_still_gets_one(app: TestApp) {
    let ada = fresh_address("ada");
    let nobody = fresh_address("nobody");
    app.active_person(&ada, "correct horse").await;
    // Recovery requests are not failed logins (two of the three mails an hour).
    for _ in 0..2 {
        app.post_login(&ada, "", "resetpassword").await;
    }
    for _ in 0..3 {
        app.post_login(&nobody, "", "createaccount").await;
    }
    let login = app.post_login(&ada, "correct horse", "login").await;
    assert_eq!(login.status, 303, "link requests lock nothing");

    // Someone else locks Ada's address; she can still get a link.
    for _ in 0..THRESHOLD {
        app.post_login(&ada, "wrong", "login").await;
    }
    assert_eq!(
        app.post_login(&ada, "correct horse", "login").await.status,
        429
    );
    let links = "SELECT COUNT(*) AS n FROM login_tokens WHERE kind = 'password_recovery'";
    let before = app.count(links).await;
    let answer = app.post_login(&ada, "", "resetpassword").await;
    assert_eq!(answer.status, 200);
    assert_eq!(
        app.count(links).await,
        before + 1,
        "a new recovery link is made"
    );
}

#[tokio::test]
async fn a_locked_address_can_still_ask_for_a_recovery_link_and_link_requests_lock_nothing() {
    link_requests_lock_nothing_and_a_locked_address_still_gets_one(spawn_app_with(guessable).await)
        .await;
}

#[tokio::test]
async fn with_redis_counters_link_requests_lock_nothing_and_a_locked_address_still_gets_one() {
    if !redis_here().await {
        return;
    }
    link_requests_lock_nothing_and_a_locked_address_still_gets_one(
        spawn_app_with(guessable_with_redis).await,
    )
    .await;
}

async fn a_known_browser_is_not_locked_out_by_failures_from_elsewhere(app: TestApp) {
    let email = fresh_address("ada");
    app.active_person(&email, "correct horse").await;
    // Ada signs in on her own browser, which is then known, and signs out.
    let ada = browser();
    let form = crate::helpers::fetch_text(&ada, &format!("{}/+login", app.address)).await;
    let answer = ada
        .post(format!("{}/+login", app.address))
        .form(&[
            ("email", email.as_str()),
            ("password", "correct horse"),
            ("action", "login"),
            ("csrf_token", &csrf_in(&form)),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 303);
    let device = answer
        .headers()
        .get_all("set-cookie")
        .iter()
        .any(|c| c.to_str().unwrap().starts_with("lk_device="));
    assert!(device, "signing in remembers the browser");
    let account = crate::helpers::fetch_text(&ada, &format!("{}/+account", app.address)).await;
    ada.post(format!("{}/+logout", app.address))
        .form(&[("csrf_token", csrf_in(&account))])
        .send()
        .await
        .unwrap();

    // An attacker (the harness's own client, no device cookie) locks her address.
    for _ in 0..THRESHOLD {
        app.post_login(&email, "guess", "login").await;
    }
    assert_eq!(
        app.post_login(&email, "correct horse", "login")
            .await
            .status,
        429,
        "unknown browsers are locked out"
    );

    // Ada's browser is not.
    let form = crate::helpers::fetch_text(&ada, &format!("{}/+login", app.address)).await;
    let answer = ada
        .post(format!("{}/+login", app.address))
        .form(&[
            ("email", email.as_str()),
            ("password", "correct horse"),
            ("action", "login"),
            ("csrf_token", &csrf_in(&form)),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 303, "a known browser signs in");
}

#[tokio::test]
async fn a_browser_the_person_signed_in_on_is_not_locked_out_by_failures_from_elsewhere() {
    a_known_browser_is_not_locked_out_by_failures_from_elsewhere(spawn_app_with(guessable).await)
        .await;
}

#[tokio::test]
async fn with_redis_counters_a_known_browser_is_not_locked_out_by_failures_from_elsewhere() {
    if !redis_here().await {
        return;
    }
    a_known_browser_is_not_locked_out_by_failures_from_elsewhere(
        spawn_app_with(guessable_with_redis).await,
    )
    .await;
}

/// Logs Ada in with a client that keeps no cookies, sending the session cookie the form gave
/// plus `extra_cookie` by hand (cookies a cookie store would refuse over plain http, or forged).
async fn log_in_by_hand(app: &TestApp, extra_cookie: Option<&str>) -> reqwest::Response {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let form = client
        .get(format!("{}/+login", app.address))
        .send()
        .await
        .unwrap();
    let mut cookies: Vec<String> = form
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|c| c.to_str().unwrap().split(';').next().unwrap().to_owned())
        .collect();
    cookies.extend(extra_cookie.map(str::to_owned));
    let csrf = csrf_in(&form.text().await.unwrap());
    client
        .post(format!("{}/+login", app.address))
        .header("cookie", cookies.join("; "))
        .form(&[
            ("email", "ada@example.org"),
            ("password", "correct horse"),
            ("action", "login"),
            ("csrf_token", csrf.as_str()),
        ])
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_forged_device_cookie_is_ignored() {
    let app = spawn_app_with(guessable).await;
    let ada = app.active_person("ada@example.org", "correct horse").await;
    for _ in 0..THRESHOLD {
        app.post_login("ada@example.org", "guess", "login").await;
    }
    let forged = format!(
        "lk_device={}.0123456789abcdef0123456789abcdef",
        ada.id.as_str()
    );
    let answer = log_in_by_hand(&app, Some(&forged)).await;
    assert_eq!(
        answer.status(),
        429,
        "an unsigned device cookie counts for nothing"
    );
}

#[tokio::test]
async fn wrong_current_passwords_on_the_password_form_are_throttled_and_audited() {
    let app = spawn_app_with(|s| {
        guessable(s);
        s.throttle.account_failures = 3;
    })
    .await;
    app.active_person("bob@example.org", "correct horse").await;
    app.post_login("bob@example.org", "correct horse", "login")
        .await;
    for _ in 0..3 {
        let answer = app.change_password("wrong", "a new password").await;
        assert_eq!(answer.status, 400);
    }
    let locked = app.change_password("correct horse", "a new password").await;
    assert_eq!(locked.status, 429, "even the right password waits");
    assert_eq!(
        verifications(&app).await,
        4,
        "the login, then the three wrong current passwords; the fourth waited unchecked"
    );
    let audited = app
        .count(
            "SELECT COUNT(*) AS n FROM audit_events WHERE code = 'LoginFailed' \
             AND detail = 'password change'",
        )
        .await;
    assert_eq!(audited, 3);
}

#[tokio::test]
async fn thirty_concurrent_re_authentications_check_at_most_the_threshold_of_passwords() {
    let app = spawn_app_with(|s| {
        guessable(s);
        s.api_keys.reauth_minutes = 1;
    })
    .await;
    crate::api_keys::signed_in_ada(&app).await;
    app.clock.advance(120);
    let csrf = app.csrf_from("/+account/api-keys").await;
    let before = verifications(&app).await;
    let mut posts = JoinSet::new();
    for n in 0..30 {
        let client = app.client.clone();
        let url = format!("{}/+account/api-keys/confirm", app.address);
        let csrf = csrf.clone();
        posts.spawn(async move {
            client
                .post(url)
                .form(&[("password", format!("guess {n}")), ("csrf_token", csrf)])
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        });
    }
    let statuses = posts.join_all().await;
    let checked = verifications(&app).await - before;
    assert!(
        checked <= THRESHOLD as u64,
        "{checked} checked: {statuses:?}"
    );
    assert!(statuses.iter().filter(|s| **s == 429).count() >= 20);
}

#[tokio::test]
async fn over_https_the_device_cookie_is_host_prefixed_secure_and_signed() {
    let app =
        spawn_app_with(|s| s.server.public_url = Some("https://login.example.org".to_owned()))
            .await;
    app.active_person("ada@example.org", "correct horse").await;
    let answer = log_in_by_hand(&app, None).await;
    assert_eq!(answer.status(), 303);
    let device = answer
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.contains("lk_device"))
        .expect("a device cookie");
    assert!(device.starts_with("__Host-lk_device="), "{device}");
    for flag in ["Secure", "HttpOnly", "SameSite=Lax", "Path=/", "Max-Age="] {
        assert!(device.contains(flag), "{flag}: {device}");
    }
    let value = device.split(';').next().unwrap();
    assert!(
        !value.ends_with(&format!(".{}", "0".repeat(32))) && value.len() > 60,
        "the value carries a signature besides the person and nonce: {value}"
    );
}
