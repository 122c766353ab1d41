//! The second step with a code: a person with an authenticator app is not signed in by their
//! password alone; the app's current code (one step of drift either way) or a recovery code
//! signs them in, each code once, even when two requests bring it at once; wrong codes count
//! toward the password lockout and are audited.

use latchkey::clock::Clock;
use latchkey::config::Settings;
use tokio::task::JoinSet;

use crate::factor_helpers::{
    at_second_step, code_for, enrol_authenticator, enrol_with_codes, get, password_step,
    second_step, signed_in_person, step_error, wrong_code,
};
use crate::helpers::{TestApp, spawn_app, spawn_app_with};
use crate::login_helpers::{Answer, csrf_in};

const EMAIL: &str = "ada@example.org";
const PASSWORD: &str = "correct horse battery";

/// An app with a person who enrolled an authenticator app; its secret.
async fn enrolled(app: &TestApp) -> Vec<u8> {
    signed_in_person(app, EMAIL, PASSWORD).await;
    enrol_authenticator(app, &app.client).await
}

async fn signed_in(app: &TestApp, client: &reqwest::Client) -> bool {
    get(app, client, "/+account").await.status == 200
}

fn signed_in_reply(reply: &Answer) {
    assert_eq!(reply.status, 303, "{:?}", step_error(reply));
    assert_eq!(reply.location.as_deref(), Some("/+account"));
}

#[tokio::test]
async fn a_password_alone_does_not_sign_in_and_the_right_code_does() {
    let app = spawn_app().await;
    let secret = enrolled(&app).await;
    app.clock.advance(60);
    let browser = at_second_step(&app, EMAIL, PASSWORD).await;
    let account = get(&app, &browser, "/+account").await;
    assert_eq!(account.status, 303, "not signed in after the password");
    assert!(account.location.unwrap().starts_with("/+login"));
    let page = get(&app, &browser, "/+login/second-step").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("name=\"kind\" value=\"authenticator\""));
    assert!(page.body.contains("name=\"kind\" value=\"recovery\""));
    let reply = second_step(
        &app,
        &browser,
        "authenticator",
        &code_for(&secret, app.clock.now()),
    )
    .await;
    signed_in_reply(&reply);
    assert!(signed_in(&app, &browser).await);
}

#[tokio::test]
async fn a_reused_code_is_refused() {
    let app = spawn_app().await;
    let secret = enrolled(&app).await;
    // The code that confirmed the enrolment is used already.
    let first = at_second_step(&app, EMAIL, PASSWORD).await;
    let reply = second_step(
        &app,
        &first,
        "authenticator",
        &code_for(&secret, app.clock.now()),
    )
    .await;
    assert_eq!(reply.status, 400);
    assert!(step_error(&reply).is_some());
    app.clock.advance(30);
    let code = code_for(&secret, app.clock.now());
    signed_in_reply(&second_step(&app, &first, "authenticator", &code).await);
    let second = at_second_step(&app, EMAIL, PASSWORD).await;
    let reply = second_step(&app, &second, "authenticator", &code).await;
    assert_eq!(reply.status, 400, "the same code again");
    assert!(!signed_in(&app, &second).await);
}

#[tokio::test]
async fn a_code_one_step_early_or_late_is_accepted_and_two_steps_are_not() {
    let app = spawn_app().await;
    let secret = enrolled(&app).await;
    for (wait, drift, accepted) in [
        (300, -30, true),
        (300, 30, true),
        (300, -60, false),
        (0, 60, false),
    ] {
        app.clock.advance(wait);
        let browser = at_second_step(&app, EMAIL, PASSWORD).await;
        let code = code_for(&secret, app.clock.now() + drift);
        let reply = second_step(&app, &browser, "authenticator", &code).await;
        assert_eq!(
            reply.status == 303,
            accepted,
            "drift {drift}: {}",
            reply.status
        );
        assert_eq!(signed_in(&app, &browser).await, accepted);
    }
}

fn many_attempts(s: &mut Settings) {
    s.throttle.account_failures = 1_000;
    s.throttle.ip_failures = 1_000_000;
}

/// Four browsers at the second step post `code` of `kind` at once; their statuses.
async fn four_at_once(app: &TestApp, kind: &'static str, code: &str) -> Vec<u16> {
    let mut ready = Vec::new();
    for _ in 0..4 {
        let browser = at_second_step(app, EMAIL, PASSWORD).await;
        let page = get(app, &browser, "/+login/second-step").await;
        ready.push((browser, csrf_in(&page.body)));
    }
    let mut posts = JoinSet::new();
    for (browser, csrf) in ready {
        let url = format!("{}/+login/second-step", app.address);
        let code = code.to_owned();
        posts.spawn(async move {
            browser
                .post(url)
                .form(&[
                    ("csrf_token", csrf.as_str()),
                    ("kind", kind),
                    ("code", &code),
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

fn exactly_one_signed_in(statuses: &[u16], round: usize) {
    assert_eq!(
        statuses.iter().filter(|s| **s == 303).count(),
        1,
        "round {round}: {statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 400).count(),
        3,
        "{statuses:?}"
    );
}

#[tokio::test]
async fn of_four_requests_with_one_code_at_once_exactly_one_signs_in() {
    let app = spawn_app_with(many_attempts).await;
    let secret = enrolled(&app).await;
    for round in 0..5 {
        app.clock.advance(30);
        let code = code_for(&secret, app.clock.now());
        exactly_one_signed_in(&four_at_once(&app, "authenticator", &code).await, round);
    }
}

#[tokio::test]
async fn of_four_requests_with_one_recovery_code_at_once_exactly_one_signs_in() {
    let app = spawn_app_with(many_attempts).await;
    signed_in_person(&app, EMAIL, PASSWORD).await;
    let (_, codes) = enrol_with_codes(&app, &app.client).await;
    for (round, code) in codes.iter().take(5).enumerate() {
        exactly_one_signed_in(&four_at_once(&app, "recovery", code).await, round);
    }
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM recovery_codes WHERE used_at IS NULL")
            .await,
        5
    );
}

#[tokio::test]
async fn a_recovery_code_signs_in_once() {
    let app = spawn_app().await;
    signed_in_person(&app, EMAIL, PASSWORD).await;
    let (_, codes) = enrol_with_codes(&app, &app.client).await;
    assert_eq!(codes.len(), 10);
    let typed = format!(" {} ", codes[3].to_uppercase().replace('-', " - "));
    let browser = at_second_step(&app, EMAIL, PASSWORD).await;
    signed_in_reply(&second_step(&app, &browser, "recovery", &typed).await);
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM audit_events WHERE code = 'RecoveryCodeUsed'")
            .await,
        1
    );
    let again = at_second_step(&app, EMAIL, PASSWORD).await;
    let reply = second_step(&app, &again, "recovery", &codes[3]).await;
    assert_eq!(reply.status, 400);
    assert!(!signed_in(&app, &again).await);
    signed_in_reply(&second_step(&app, &again, "recovery", &codes[4]).await);
}

#[tokio::test]
async fn repeated_wrong_codes_lock_the_second_step_like_wrong_passwords_and_are_audited() {
    let app = spawn_app().await;
    let secret = enrolled(&app).await;
    let threshold = app.ctx.throttle.account_failures;
    app.clock.advance(60);
    let browser = at_second_step(&app, EMAIL, PASSWORD).await;
    for n in 0..threshold {
        let wrong = wrong_code(&secret, app.clock.now());
        let kind = if n % 2 == 0 {
            "authenticator"
        } else {
            "recovery"
        };
        let reply = second_step(&app, &browser, kind, &wrong).await;
        assert_eq!(reply.status, 400, "attempt {n}");
    }
    let right = code_for(&secret, app.clock.now());
    let reply = second_step(&app, &browser, "authenticator", &right).await;
    assert_eq!(reply.status, 429, "locked after {threshold} wrong codes");
    assert!(step_error(&reply).is_some());
    assert!(!signed_in(&app, &browser).await);
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM audit_events WHERE code = 'SecondStepFailed'")
            .await,
        threshold
    );
    // The lockout is the password's: the password step is locked for this browser as well.
    let login = password_step(&app, &browser, EMAIL, PASSWORD).await;
    assert_eq!(login.status, 429);
}

#[tokio::test]
async fn malformed_codes_and_kinds_are_refused_without_harm() {
    let app = spawn_app().await;
    enrolled(&app).await;
    let browser = at_second_step(&app, EMAIL, PASSWORD).await;
    for (kind, code) in [
        ("authenticator", ""),
        ("authenticator", "abcdef"),
        ("authenticator", "1234567890123"),
        ("authenticator", "１２３４５６"),
        ("recovery", ""),
        ("recovery", "not a code at all"),
        ("recovery", &"x".repeat(500)),
    ] {
        let reply = second_step(&app, &browser, kind, code).await;
        assert_eq!(reply.status, 400, "{kind} {code:?}");
        assert!(step_error(&reply).is_some());
    }
    let reply = second_step(&app, &browser, "sms", "123456").await;
    assert_eq!(reply.status, 400);
    assert!(!signed_in(&app, &browser).await);
    let no_token = browser
        .post(format!("{}/+login/second-step", app.address))
        .form(&[("kind", "authenticator"), ("code", "123456")])
        .send()
        .await
        .unwrap();
    assert_eq!(no_token.status(), 403);
}

#[tokio::test]
async fn without_an_open_second_step_a_code_leads_back_to_the_login_form() {
    let app = spawn_app().await;
    let browser = crate::helpers::browser();
    let reply = crate::factor_helpers::post(
        &app,
        &browser,
        "/+login",
        "/+login/second-step",
        &[("kind", "authenticator"), ("code", "123456")],
    )
    .await;
    assert_eq!(reply.status, 303);
    assert_eq!(reply.location.as_deref(), Some("/+login"));
}
