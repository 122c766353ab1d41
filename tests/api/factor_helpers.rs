//! Helpers for authenticator apps and recovery codes: enrol an app through the security page,
//! compute its codes at a given time, and take the second step with a code.

use latchkey::clock::Clock;
use latchkey::domain::factor_seal::TotpSecret;
use latchkey::domain::totp;

use crate::helpers::TestApp;
use crate::login_helpers::{Answer, csrf_in, unescape};

/// The security page.
pub const SECURITY: &str = "/+account/security";

/// The second-step page's error message.
pub fn step_error(reply: &Answer) -> Option<String> {
    let marker = "<p class=\"error\" role=\"alert\" id=\"second-step-error\">";
    let start = reply.body.find(marker)? + marker.len();
    Some(unescape(reply.body[start..].split("</p>").next()?))
}

/// The app's code of `secret` at the Unix time `time`.
pub fn code_for(secret: &[u8], time: i64) -> String {
    totp::code_at(secret, time).expect("a code")
}

/// A well-formed code that is none of the codes accepted at `time` (one step either side).
pub fn wrong_code(secret: &[u8], time: i64) -> String {
    let accepted: Vec<String> = [-30, 0, 30]
        .iter()
        .map(|d| code_for(secret, time + d))
        .collect();
    (0..1_000_000)
        .map(|n| format!("{n:06}"))
        .find(|c| !accepted.contains(c))
        .unwrap()
}

/// GETs a page with `client`.
pub async fn get(app: &TestApp, client: &reqwest::Client, path: &str) -> Answer {
    Answer::of(
        client
            .get(format!("{}{path}", app.address))
            .send()
            .await
            .unwrap(),
    )
    .await
}

/// POSTs a form with `client`, with the CSRF token of the page at `from`.
pub async fn post(
    app: &TestApp,
    client: &reqwest::Client,
    from: &str,
    path: &str,
    fields: &[(&str, &str)],
) -> Answer {
    let csrf = csrf_in(&get(app, client, from).await.body);
    let mut all = vec![("csrf_token", csrf.as_str())];
    all.extend_from_slice(fields);
    Answer::of(
        client
            .post(format!("{}{path}", app.address))
            .form(&all)
            .send()
            .await
            .unwrap(),
    )
    .await
}

/// Submits the login form with `client`.
pub async fn password_step(
    app: &TestApp,
    client: &reqwest::Client,
    email: &str,
    password: &str,
) -> Answer {
    post(
        app,
        client,
        "/+login",
        "/+login",
        &[
            ("email", email),
            ("password", password),
            ("action", "login"),
        ],
    )
    .await
}

/// A new browser past the password, at the second step.
pub async fn at_second_step(app: &TestApp, email: &str, password: &str) -> reqwest::Client {
    let client = crate::helpers::browser();
    let reply = password_step(app, &client, email, password).await;
    assert_eq!(reply.status, 303);
    assert_eq!(reply.location.as_deref(), Some("/+login/second-step"));
    client
}

/// Posts a code at the second step (`kind`: `authenticator` or `recovery`).
pub async fn second_step(
    app: &TestApp,
    client: &reqwest::Client,
    kind: &str,
    code: &str,
) -> Answer {
    post(
        app,
        client,
        "/+login/second-step",
        "/+login/second-step",
        &[("kind", kind), ("code", code)],
    )
    .await
}

/// The secret shown on the enrolment form, read back from its text.
pub fn secret_in(page: &str) -> Vec<u8> {
    let marker = "<code class=\"totp-secret\">";
    let start = page.find(marker).expect("the secret as text") + marker.len();
    let grouped = &page[start..start + page[start..].find('<').unwrap()];
    let text: String = grouped.split_whitespace().collect();
    TotpSecret::from_base32(&text)
        .expect("base32")
        .expose()
        .to_vec()
}

/// The recovery codes a page shows, in order.
pub fn recovery_codes_in(page: &str) -> Vec<String> {
    page.split("<code class=\"recovery-code\">")
        .skip(1)
        .map(|rest| unescape(rest.split('<').next().unwrap()))
        .collect()
}

/// Starts an enrolment on the security page and returns the page with its QR code.
pub async fn begin_enrolment(app: &TestApp, client: &reqwest::Client) -> String {
    let begun = post(
        app,
        client,
        SECURITY,
        "/+account/security/authenticator/begin",
        &[],
    )
    .await;
    assert_eq!(begun.status, 303, "{:?}", begun.error());
    get(app, client, SECURITY).await.body
}

/// Enrols an authenticator app for the person signed in with `client`, confirmed with the
/// current code; returns its secret and the recovery codes shown.
pub async fn enrol_with_codes(app: &TestApp, client: &reqwest::Client) -> (Vec<u8>, Vec<String>) {
    let page = begin_enrolment(app, client).await;
    let secret = secret_in(&page);
    let now = app.clock.now();
    let confirmed = post(
        app,
        client,
        SECURITY,
        "/+account/security/authenticator",
        &[("code", &code_for(&secret, now)), ("name", "")],
    )
    .await;
    assert_eq!(confirmed.status, 200, "{:?}", confirmed.error());
    (secret, recovery_codes_in(&confirmed.body))
}

/// Enrols an authenticator app for the person signed in with `client`; returns its secret.
pub async fn enrol_authenticator(app: &TestApp, client: &reqwest::Client) -> Vec<u8> {
    enrol_with_codes(app, client).await.0
}

/// An active person, signed in with `app.client`.
pub async fn signed_in_person(app: &TestApp, email: &str, password: &str) {
    app.active_person(email, password).await;
    let answer = app.post_login(email, password, "login").await;
    assert_eq!(answer.status, 303);
}
