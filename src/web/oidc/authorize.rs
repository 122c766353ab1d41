//! `GET/POST /authorize`: the relying party's sign-in request, and the consent page's answer
//! sent to the same address.

use actix_web::{Either, HttpRequest, HttpResponse, web};

use super::super::AppState;
use super::super::csrf_form::CsrfForm;
use super::super::enrolment;
use super::super::error::WebError;
use super::super::forms::{Fields, Form, origin};
use super::super::lang::RequestLang;
use super::super::session::TypedSession;
use super::consent::{ConsentAnswer, decide};
use super::step::{answer, signed_in};
use crate::service::oidc::consent::next_step;

/// `GET /authorize`
pub async fn start(
    state: web::Data<AppState>,
    req: HttpRequest,
    lang: RequestLang,
    session: TypedSession,
) -> Result<HttpResponse, WebError> {
    let pairs: Fields = url::form_urlencoded::parse(req.query_string().as_bytes())
        .into_owned()
        .collect();
    authorization_request(&state, &req, lang, &session, &pairs).await
}

/// `POST /authorize`: the consent page's answer when the form carries `decision` (and this
/// session's CSRF token); otherwise a relying party's authorization request sent as a form,
/// which works like `GET` (OIDC Core §3.1.2.1).
pub async fn submit(
    form: Either<CsrfForm<ConsentAnswer>, Form<Fields>>,
    state: web::Data<AppState>,
    req: HttpRequest,
    lang: RequestLang,
    session: TypedSession,
) -> Result<HttpResponse, WebError> {
    match form {
        Either::Left(form) => decide(&state, &req, lang, &session, form.into_inner()).await,
        // A decision without this session's token.
        Either::Right(fields) if fields.iter().any(|(name, _)| name == "decision") => {
            Err(WebError::CSRF)
        }
        Either::Right(fields) => authorization_request(&state, &req, lang, &session, &fields).await,
    }
}

/// A relying party's request: a code straight back, the login form, a step-up, the consent
/// page, or a refusal.
async fn authorization_request(
    state: &AppState,
    req: &HttpRequest,
    lang: RequestLang,
    session: &TypedSession,
    pairs: &[(String, String)],
) -> Result<HttpResponse, WebError> {
    let person = signed_in(state, session).await?;
    // Someone who must first add a second factor is sent to do so, as others to the login form.
    let enrol = enrolment::holds_back(state, person.as_ref()).await?;
    let step = next_step(
        &state.ctx,
        pairs,
        person.as_ref().filter(|_| !enrol),
        &origin(req),
    )
    .await?;
    if enrol && let Some(enrol_first) = enrolment::instead_of_sign_in(session, &step)? {
        return Ok(enrol_first);
    }
    answer(state, lang, session, step)
}
