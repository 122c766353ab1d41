//! Requests that need two factors (`acr_values` asking for the multi-factor class, or a client
//! registered `--require-second-factor`): a password-only sign-in steps up on the second-step
//! page when the person has a factor, and the relying party hears
//! `unmet_authentication_requirements` when they have none.

use latchkey::clock::Clock;
use latchkey::domain::pkce;
use latchkey::domain::second_factor::{ACR_MULTI_FACTOR, ACR_SINGLE_FACTOR};

use crate::factor_helpers::{code_for, enrol_authenticator, post, second_step};
use crate::helpers::{TestApp, spawn_app};
use crate::oidc_helpers::{
    CALLBACK, Rp, VERIFIER, authorize_url, get, param, redeem, register, registered, sign_in_ada,
    wiki,
};
use crate::oidc_second_factor_helpers::{
    amr, audited, give_authenticator_app, id_claims, pending_second_step,
    prove_second_factor_in_session, set_session_methods,
};

const ADA: &str = "ada@example.org";

/// A client registered `--require-second-factor` (trusted: no consent page).
async fn strict_client(app: &TestApp) -> Rp {
    let mut spec = wiki(false, true);
    spec.require_second_factor = true;
    register(app, spec).await
}

/// `/authorize` for the client with PKCE ([`VERIFIER`]) and `extra` parameters, by the
/// signed-in browser: the status, and the `Location` (or the page).
async fn authorize(app: &TestApp, rp: &Rp, extra: &[(&str, &str)]) -> (u16, String) {
    let challenge = pkce::challenge_of(VERIFIER);
    let mut pairs = vec![
        ("code_challenge", challenge.as_str()),
        ("code_challenge_method", "S256"),
    ];
    pairs.extend_from_slice(extra);
    let (status, location, body) = get(app, &authorize_url(app, &rp.id, &pairs)).await;
    (status, location.unwrap_or(body))
}

/// Asserts a refusal sent to the client's redirect URI, with the request's state and the
/// issuer.
fn assert_refused(app: &TestApp, location: &str, error: &str) {
    assert!(location.starts_with(CALLBACK), "{location}");
    assert_eq!(
        param(location, "error").as_deref(),
        Some(error),
        "{location}"
    );
    assert_eq!(param(location, "state").as_deref(), Some("st4te"));
    assert_eq!(
        param(location, "iss").as_deref(),
        Some(app.address.as_str())
    );
    assert!(param(location, "code").is_none());
}

#[tokio::test]
async fn acr_values_asking_for_two_factors_send_a_person_with_a_factor_to_the_second_step() {
    let app = spawn_app().await;
    let rp = registered(&app, false).await;
    sign_in_ada(&app).await;
    give_authenticator_app(&app, ADA).await;
    let (status, location) = authorize(&app, &rp, &[("acr_values", ACR_MULTI_FACTOR)]).await;
    assert_eq!((status, location.as_str()), (303, "/+login/second-step"));
    assert!(app.signed_in().await, "the sign-in stays while it steps up");
    assert_eq!(audited(&app, "SecondStepStarted").await, 1);
    let pending = pending_second_step(&app, ADA).await;
    assert_eq!(pending["purpose"], "StepUp");
    assert_eq!(pending["methods"], "pwd", "what the sign-in proved so far");
    let next = pending["next"].as_str().unwrap();
    assert!(
        next.starts_with("/authorize?") && next.contains(&rp.id) && next.contains("acr_values="),
        "the request resumes after the step: {next}"
    );
    let page = app.get("/+login/second-step").await;
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    assert!(
        page.contains("id=\"code\""),
        "the authenticator form: {page}"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM authorization_codes")
            .await,
        0,
        "no code before the second step"
    );
}

#[tokio::test]
async fn a_stepped_up_sign_in_gets_a_code_whose_id_token_says_two_factors() {
    let app = spawn_app().await;
    let rp = registered(&app, false).await;
    sign_in_ada(&app).await;
    // A real authenticator app, enrolled by the signed-in person (the session stays
    // password-only: enrolling is not signing in again).
    let secret = enrol_authenticator(&app, &app.client).await;
    let asked = [("acr_values", ACR_MULTI_FACTOR)];
    let (status, location) = authorize(&app, &rp, &asked).await;
    assert_eq!((status, location.as_str()), (303, "/+login/second-step"));
    // The enrolment used this step's code: the next step's code completes the step-up.
    app.clock.advance(30);
    let stepped = second_step(
        &app,
        &app.client,
        "authenticator",
        &code_for(&secret, app.clock.now()),
    )
    .await;
    assert_eq!(stepped.status, 303, "{:?}", stepped.error());
    let resume = stepped.location.expect("where the request resumes");
    assert!(resume.starts_with("/authorize?"), "{resume}");
    let (status, location, body) = get(&app, &format!("{}{resume}", app.address)).await;
    assert_eq!(status, 303, "{body}");
    let location = location.unwrap();
    let code = param(&location, "code").unwrap_or_else(|| panic!("a code: {location}"));
    let (status, body) = redeem(&app, &rp, &code).await;
    assert_eq!(status, 200, "{body}");
    let claims = id_claims(&body);
    assert_eq!(claims["acr"], ACR_MULTI_FACTOR);
    assert_eq!(amr(&claims), ["pwd", "otp", "mfa"], "{claims}");
}

#[tokio::test]
async fn a_person_without_a_factor_asked_for_two_gets_unmet_authentication_requirements() {
    let app = spawn_app().await;
    let rp = registered(&app, false).await;
    sign_in_ada(&app).await;
    let (status, location) = authorize(&app, &rp, &[("acr_values", ACR_MULTI_FACTOR)]).await;
    assert_eq!(status, 303);
    assert_refused(&app, &location, "unmet_authentication_requirements");
    assert_eq!(audited(&app, "SecondStepStarted").await, 0);
}

#[tokio::test]
async fn prompt_none_with_a_second_step_needed_gets_interaction_required() {
    let app = spawn_app().await;
    let rp = registered(&app, false).await;
    sign_in_ada(&app).await;
    give_authenticator_app(&app, ADA).await;
    let (status, location) = authorize(
        &app,
        &rp,
        &[("acr_values", ACR_MULTI_FACTOR), ("prompt", "none")],
    )
    .await;
    assert_eq!(status, 303);
    assert_refused(&app, &location, "interaction_required");
}

#[tokio::test]
async fn a_client_that_requires_a_second_factor_steps_up_or_refuses_without_acr_values() {
    let app = spawn_app().await;
    let rp = strict_client(&app).await;
    sign_in_ada(&app).await;
    let (status, location) = authorize(&app, &rp, &[]).await;
    assert_eq!(status, 303);
    assert_refused(&app, &location, "unmet_authentication_requirements");
    let (_, location) = authorize(&app, &rp, &[("acr_values", ACR_SINGLE_FACTOR)]).await;
    assert_refused(&app, &location, "unmet_authentication_requirements");

    give_authenticator_app(&app, ADA).await;
    let (status, location) = authorize(&app, &rp, &[("prompt", "none")]).await;
    assert_eq!(status, 303);
    assert_refused(&app, &location, "interaction_required");
    let (status, location) = authorize(&app, &rp, &[]).await;
    assert_eq!((status, location.as_str()), (303, "/+login/second-step"));
    prove_second_factor_in_session(&app, ADA).await;
    let (_, location) = authorize(&app, &rp, &[]).await;
    let code = param(&location, "code").unwrap_or_else(|| panic!("a code: {location}"));
    let (_, body) = redeem(&app, &rp, &code).await;
    assert_eq!(id_claims(&body)["acr"], ACR_MULTI_FACTOR);
}

#[tokio::test]
async fn acr_values_naming_only_unknown_or_weaker_classes_ask_for_nothing_more() {
    let app = spawn_app().await;
    let rp = registered(&app, false).await;
    sign_in_ada(&app).await;
    give_authenticator_app(&app, ADA).await;
    let either = format!("{ACR_MULTI_FACTOR} {ACR_SINGLE_FACTOR}");
    for asked in ["1 2", "urn:other:gold", ACR_SINGLE_FACTOR, either.as_str()] {
        let (status, location) = authorize(&app, &rp, &[("acr_values", asked)]).await;
        assert_eq!(status, 303);
        let code = param(&location, "code").unwrap_or_else(|| panic!("{asked}: {location}"));
        let (_, body) = redeem(&app, &rp, &code).await;
        let claims = id_claims(&body);
        assert_eq!(
            claims["acr"], ACR_SINGLE_FACTOR,
            "what was reached: {asked}"
        );
        assert_eq!(amr(&claims), ["pwd"]);
    }
}

#[tokio::test]
async fn a_consent_page_answered_after_the_sign_in_weakened_steps_up_instead_of_issuing_a_code() {
    let app = spawn_app().await;
    let rp = register(&app, wiki(false, false)).await;
    sign_in_ada(&app).await;
    give_authenticator_app(&app, ADA).await;
    prove_second_factor_in_session(&app, ADA).await;
    let asked = [("acr_values", ACR_MULTI_FACTOR)];
    let (status, page) = authorize(&app, &rp, &asked).await;
    assert_eq!(status, 200, "the consent page");
    // The session no longer records the second factor (as one from before the factor was
    // added would not).
    set_session_methods(&app, ADA, "pwd").await;
    let fields = crate::oidc_helpers::consent_answer(&page, "allow");
    let (status, location, _) = crate::oidc_helpers::post_authorize(&app, &fields).await;
    assert_eq!(
        (status, location.as_deref()),
        (303, Some("/+login/second-step"))
    );
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM authorization_codes")
            .await,
        0
    );
}

#[tokio::test]
async fn a_cancelled_step_up_tells_the_relying_party_access_denied_and_keeps_the_sign_in() {
    let app = spawn_app().await;
    let rp = registered(&app, false).await;
    sign_in_ada(&app).await;
    give_authenticator_app(&app, ADA).await;
    let (status, location) = authorize(&app, &rp, &[("acr_values", ACR_MULTI_FACTOR)]).await;
    assert_eq!((status, location.as_str()), (303, "/+login/second-step"));
    let cancelled = post(
        &app,
        &app.client,
        "/+login/second-step",
        "/+login/second-step/cancel",
        &[],
    )
    .await;
    assert_eq!(cancelled.status, 303);
    assert_refused(
        &app,
        cancelled.location.as_deref().unwrap(),
        "access_denied",
    );
    assert!(app.signed_in().await, "the password sign-in stays");
    let again = app.get("/+login/second-step").await;
    assert_eq!(again.status(), 303, "the step is over");
}
