//! `/+login/second-step`: the page between a right password and being signed in, for a person
//! with a passkey or an authenticator app (and the step-up page for a signed-in person a
//! relying party asks to prove more). `complete` ends it, whichever factor succeeded.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

use super::AppState;
use super::csrf_form::CsrfForm;
use super::error::WebError;
use super::forms::see_other;
use super::headers::with_sign_in_request_target;
use super::lang::RequestLang;
use super::session::{SignInFrom, TypedSession};
use crate::domain::second_factor::AuthMethods;
use crate::service::oidc::step_up::cancelled;
use crate::service::second_step::{PendingSignIn, Purpose, options};

/// The open second step of this session, or `None` (none begun, or too old: then forgotten).
pub fn open_step(state: &AppState, session: &TypedSession) -> Option<PendingSignIn> {
    let pending = session.second_step()?;
    if pending.is_open(state.ctx.clock.now()) {
        Some(pending)
    } else {
        session.forget_second_step();
        None
    }
}

/// Where a person goes when there is no second step to take: back to the login form.
pub fn start_again(next: Option<&str>) -> HttpResponse {
    match next {
        Some(next) => see_other(&format!(
            "/+login?next={}",
            percent_encoding::utf8_percent_encode(next, percent_encoding::NON_ALPHANUMERIC)
        )),
        None => see_other("/+login"),
    }
}

/// Renders the page with the person's factors and an optional message.
pub async fn page(
    state: &AppState,
    lang: RequestLang,
    session: &TypedSession,
    pending: &PendingSignIn,
    status: StatusCode,
    error: Option<String>,
) -> Result<HttpResponse, WebError> {
    let factors = options(&state.ctx, &pending.person_id()).await?;
    let mut ctx = tera::Context::new();
    ctx.insert("csrf_token", &session.csrf_token()?);
    ctx.insert("email", pending.email());
    ctx.insert("step_up", &(pending.purpose() == Purpose::StepUp));
    ctx.insert("has_passkey", &factors.passkey);
    ctx.insert("has_authenticator", &factors.authenticator_app);
    ctx.insert("has_recovery_codes", &factors.recovery_codes);
    ctx.insert("error", &error);
    let page = state.page(lang, status, "login/second_step.html", ctx);
    with_sign_in_request_target(&state.ctx, page, pending.next()).await
}

/// `GET /+login/second-step`
pub async fn show(
    state: web::Data<AppState>,
    lang: RequestLang,
    session: TypedSession,
) -> Result<HttpResponse, WebError> {
    match open_step(&state, &session) {
        Some(pending) => page(&state, lang, &session, &pending, StatusCode::OK, None).await,
        None => Ok(start_again(None)),
    }
}

/// `POST /+login/second-step/cancel`: gives up; the person is not signed in. A step-up leaves
/// the existing sign-in as it was, and when a relying party's request asked for it, the
/// relying party hears `access_denied` (rather than waiting for an answer that never comes).
pub async fn cancel(
    _form: CsrfForm<super::csrf_form::NoFields>,
    state: web::Data<AppState>,
    session: TypedSession,
) -> Result<HttpResponse, WebError> {
    let pending = session.second_step();
    session.forget_second_step();
    let Some(pending) = pending.filter(|p| p.purpose() == Purpose::StepUp) else {
        return Ok(see_other("/+login"));
    };
    let request = pending
        .next()
        .and_then(|next| next.strip_prefix("/authorize?"))
        .map(|query| {
            url::form_urlencoded::parse(query.as_bytes())
                .into_owned()
                .collect::<Vec<_>>()
        });
    if let Some(pairs) = request
        && let Some(to_client) = cancelled(&state.ctx, &pairs).await?
    {
        return Ok(see_other(&to_client));
    }
    Ok(see_other("/+account"))
}

/// Ends a second step that succeeded with `methods` (the whole sign-in's): signs the person in
/// (a new session id) or records the step-up, and answers with where to go next.
pub fn complete(
    state: &AppState,
    req: &HttpRequest,
    session: &TypedSession,
    pending: &PendingSignIn,
    methods: &AuthMethods,
) -> Result<String, WebError> {
    let now = state.ctx.clock.now();
    match pending.purpose() {
        Purpose::SignIn => {
            session.sign_in_with(&pending.person_id(), now, &SignInFrom::of(req), methods)?
        }
        Purpose::StepUp => session.step_up(methods, now)?,
    }
    Ok(pending.next().unwrap_or("/+account").to_owned())
}
