//! The answers the authorization endpoint's decision (`service::oidc::consent`) leads to: a
//! redirect back to the client, the login form, the second step of a step-up, the consent
//! page, or the error page.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;

use super::super::AppState;
use super::super::error::WebError;
use super::super::forms::see_other;
use super::super::headers::with_form_target;
use super::super::lang::{RequestLang, SWITCH_BASE, switch_base};
use super::super::session::TypedSession;
use super::super::signed_in::current_person;
use crate::domain::application::host_of;
use crate::service::oidc::consent::{ConsentPrompt, NextStep, Refusal, SignedInPerson};

/// The consent form's field that names the request waiting for the answer.
const CONSENT_REQUEST: &str = "consent_request";

/// The person signed in to this session, if any, when and how they signed in.
pub(crate) async fn signed_in(
    state: &AppState,
    session: &TypedSession,
) -> Result<Option<SignedInPerson>, WebError> {
    Ok(current_person(state, session)
        .await?
        .map(|account| SignedInPerson {
            account,
            auth_time: session.login_at().unwrap_or(0),
            methods: session.auth_methods(),
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
        NextStep::StepUp(pending) => {
            session.begin_second_step(&pending)?;
            see_other("/+login/second-step")
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
    ctx.insert(
        "client_host",
        &host_of(&prompt.redirect_uri).unwrap_or_default(),
    );
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
