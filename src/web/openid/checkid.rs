//! The browser's side of `checkid_setup`/`checkid_immediate` at `/+openid`, and `POST
//! /+openid/decide`, the decision page's answer: each step of `service::openid::checkid` as a
//! response.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

use super::super::AppState;
use super::super::csrf_form::CsrfForm;
use super::super::enrolment;
use super::super::error::ENROL_PAGE;
use super::super::error::WebError;
use super::super::forms::{origin, see_other};
use super::super::lang::RequestLang;
use super::super::oidc::step::signed_in;
use super::super::session::TypedSession;
use super::decision::{Decision, DecisionAnswer, DecisionPrompt, decision_page};
use crate::service::openid::checkid::{self, OpenIdStep};

/// A checkid request's pairs: the login form, the decision page, an answer back to the relying
/// party, or the error page.
pub async fn answer(
    state: &AppState,
    req: &HttpRequest,
    lang: RequestLang,
    session: &TypedSession,
    pairs: &[(String, String)],
) -> Result<HttpResponse, WebError> {
    let person = signed_in(state, session).await?;
    // Someone who must first add a second factor is treated as signed out, then sent to enrol.
    let enrol = enrolment::holds_back(state, person.as_ref()).await?;
    let held_back = person.as_ref().filter(|_| !enrol);
    let step = checkid::next_step(&state.ctx, pairs, held_back, &origin(req)).await?;
    if enrol && let OpenIdStep::SignIn { next } = &step {
        session.set_pending_next(next)?;
        return Ok(see_other(ENROL_PAGE));
    }
    respond(state, lang, session, step)
}

/// `POST /+openid/decide`
pub async fn decide(
    form: CsrfForm<DecisionAnswer>,
    state: web::Data<AppState>,
    req: HttpRequest,
    lang: RequestLang,
    session: TypedSession,
) -> Result<HttpResponse, WebError> {
    let form = form.into_inner();
    let allow = form.decision == Decision::Allow;
    let person = signed_in(&state, &session).await?;
    let step = checkid::answer(
        &state.ctx,
        &form.handle,
        person.as_ref(),
        allow,
        &form.share,
        &origin(&req),
    )
    .await?;
    respond(&state, lang, &session, step)
}

fn respond(
    state: &AppState,
    lang: RequestLang,
    session: &TypedSession,
    step: OpenIdStep,
) -> Result<HttpResponse, WebError> {
    let l = lang.lang;
    Ok(match step {
        OpenIdStep::Return { location } => see_other(&location),
        OpenIdStep::SignIn { next } => {
            let mut query = url::form_urlencoded::Serializer::new(String::new());
            query.append_pair("next", &next);
            see_other(&format!("/+login?{}", query.finish()))
        }
        OpenIdStep::Decide(ask) => decision_page(
            state,
            lang,
            session,
            &DecisionPrompt {
                handle: ask.handle.expose().to_owned(),
                realm: ask.realm.clone(),
                person_name: ask.person_name.clone(),
                fields: ask
                    .fields
                    .iter()
                    .map(|(field, required)| (field.name().to_owned(), *required))
                    .collect(),
                return_to: ask.return_to.clone(),
                discovery_warning: ask.discovery_warning.clone(),
                next: ask.next.clone(),
            },
        )?,
        OpenIdStep::Refuse(message) => state.message_page(
            lang,
            StatusCode::BAD_REQUEST,
            &l.text("openid-error-title"),
            &message,
        ),
        OpenIdStep::Finished => state.message_page(
            lang,
            StatusCode::BAD_REQUEST,
            &l.text("openid-error-title"),
            &l.text("openid-error-finished"),
        ),
    })
}

/// Registers `POST /+openid/decide`.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(super::super::post_only("/+openid/decide", decide));
}
