//! `GET/POST /authorize`: the relying party's sign-in request and the consent page's answer,
//! and the pages and redirects the decision (`service::oidc::consent`) leads to.

use actix_web::http::StatusCode;
use actix_web::{Either, HttpRequest, HttpResponse, web};

use super::super::AppState;
use super::super::csrf_form::CsrfForm;
use super::super::error::WebError;
use super::super::forms::{Fields, Form, see_other};
use super::super::headers::with_form_target;
use super::super::lang::{RequestLang, SWITCH_BASE, switch_base};
use super::super::session::TypedSession;
use super::super::signed_in::current_person;
use super::consent::{ConsentAnswer, decide};
use crate::service::oidc::consent::{ConsentPrompt, NextStep, Refusal, SignedInPerson, next_step};

/// The consent form's field that names the request waiting for the answer.
pub(super) const CONSENT_REQUEST: &str = "consent_request";

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
    authorization_request(&state, lang, &session, &pairs).await
}

/// `POST /authorize`: the consent page's answer when the form carries `decision` (and this
/// session's CSRF token); otherwise a relying party's authorization request sent as a form,
/// which works like `GET` (OIDC Core §3.1.2.1).
pub async fn submit(
    form: Either<CsrfForm<ConsentAnswer>, Form<Fields>>,
    state: web::Data<AppState>,
    lang: RequestLang,
    session: TypedSession,
) -> Result<HttpResponse, WebError> {
    match form {
        Either::Left(answer) => decide(&state, lang, &session, answer.into_inner()).await,
        // A decision without this session's token.
        Either::Right(fields) if fields.iter().any(|(name, _)| name == "decision") => {
            Err(WebError::CSRF)
        }
        Either::Right(fields) => authorization_request(&state, lang, &session, &fields).await,
    }
}

/// A relying party's request: a code straight back, the login form, the consent page, or a
/// refusal.
async fn authorization_request(
    state: &AppState,
    lang: RequestLang,
    session: &TypedSession,
    pairs: &[(String, String)],
) -> Result<HttpResponse, WebError> {
    let person = signed_in(state, session).await?;
    let step = next_step(&state.ctx, pairs, person.as_ref()).await?;
    answer(state, lang, session, step)
}

/// The person signed in to this session, if any, and when they signed in.
pub(super) async fn signed_in(
    state: &AppState,
    session: &TypedSession,
) -> Result<Option<SignedInPerson>, WebError> {
    Ok(current_person(state, session)
        .await?
        .map(|account| SignedInPerson {
            account,
            auth_time: session.login_at().unwrap_or(0),
        }))
}

/// The answer that carries out a step.
pub(super) fn answer(
    state: &AppState,
    lang: RequestLang,
    session: &TypedSession,
    step: NextStep,
) -> Result<HttpResponse, WebError> {
    Ok(match step {
        NextStep::IssueCode { redirect } | NextStep::Refuse(Refusal::Redirect(redirect)) => {
            see_other(&redirect)
        }
        NextStep::SignIn {
            next, login_hint, ..
        } => {
            let mut query = url::form_urlencoded::Serializer::new(String::new());
            query.append_pair("next", &next);
            if let Some(hint) = login_hint.as_deref() {
                query.append_pair("email", hint);
            }
            see_other(&format!("/+login?{}", query.finish()))
        }
        NextStep::AskConsent(prompt) => consent_page(state, lang, session, &prompt)?,
        NextStep::Refuse(Refusal::Page(message)) => error_page(state, lang, &message),
        NextStep::Refuse(Refusal::Finished) => {
            error_page(state, lang, &lang.lang.text("authorize-error-finished"))
        }
    })
}

fn error_page(state: &AppState, lang: RequestLang, message: &str) -> HttpResponse {
    state.message_page(
        lang,
        StatusCode::BAD_REQUEST,
        &lang.lang.text("authorize-error-title"),
        message,
    )
}

fn consent_page(
    state: &AppState,
    lang: RequestLang,
    session: &TypedSession,
    prompt: &ConsentPrompt,
) -> Result<HttpResponse, WebError> {
    let l = lang.lang;
    let shared: Vec<String> = prompt
        .scopes
        .iter()
        .map(|s| l.text(&format!("consent-scope-{s}")))
        .collect();
    let mut ctx = tera::Context::new();
    ctx.insert("csrf_token", &session.csrf_token()?);
    ctx.insert(CONSENT_REQUEST, prompt.handle.expose());
    ctx.insert("client_name", &prompt.client_name);
    ctx.insert("person_name", &prompt.person_name);
    ctx.insert("shared", &shared);
    ctx.insert("next", &prompt.next);
    ctx.insert(
        SWITCH_BASE,
        &switch_base("/authorize", prompt.params.pairs()),
    );
    let page = state.page(lang, StatusCode::OK, "oidc/consent.html", ctx);
    // Allow and Deny both end at the verified redirect URI.
    Ok(with_form_target(page, Some(&prompt.redirect_uri)))
}
