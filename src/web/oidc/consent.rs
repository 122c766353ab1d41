//! `POST /authorize` with `decision`: the person's answer on the consent page, bound to the
//! request held for them and taken once.

use actix_web::{HttpResponse, web};

use super::super::AppState;
use super::super::errors::internal_error;
use super::super::forms::see_other;
use super::super::lang::RequestLang;
use super::super::session::TypedSession;
use super::super::signed_in::current_person;
use super::authorize::{
    CONSENT_REQUEST, Parsed, checked, error_page, login_redirect, refuse_to_client,
};
use crate::db::consents::save_consent;
use crate::service::oidc::authorize::issue_code;
use crate::service::oidc::pending;

/// Allow or Deny: a code or `access_denied` back to the client, for a request still waiting
/// for this person; anything else changes nothing.
pub(super) async fn decide(
    state: &web::Data<AppState>,
    lang: RequestLang,
    session: &TypedSession,
    fields: &[(String, String)],
) -> HttpResponse {
    let field = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or_default()
    };
    if !session.csrf_matches(field("csrf_token")) {
        return error_page(state, lang, &lang.lang.text("login-error-csrf"));
    }
    let allow = match field("decision") {
        "allow" => true,
        "deny" => false,
        _ => return error_page(state, lang, &lang.lang.text("login-error-bad-request")),
    };
    let handle = field(CONSENT_REQUEST);
    let ctx = &state.ctx;
    let view = match current_person(state, session).await {
        Ok(Some(view)) => view,
        // Signed out meanwhile: sign in, then the request is asked again.
        Ok(None) => {
            return match pending::waiting(ctx, handle).await {
                Ok(Some(params)) => match checked(state, lang, params).await {
                    Parsed::Ready(params, request) => login_redirect(&params, &request),
                    Parsed::Answer(res) => res,
                },
                Ok(None) => finished(state, lang),
                Err(e) => internal_error(&e),
            };
        }
        Err(e) => return internal_error(&e),
    };
    let params = match pending::answer(ctx, handle, &view.person.id).await {
        Ok(Some(params)) => params,
        Ok(None) => return finished(state, lang),
        Err(e) => return internal_error(&e),
    };
    let request = match checked(state, lang, params).await {
        Parsed::Ready(_, request) => request,
        Parsed::Answer(res) => return res,
    };
    if !allow {
        return refuse_to_client(
            state,
            &request,
            "access_denied",
            "the person denied the request",
        );
    }
    if let Err(e) = save_consent(
        ctx.db.pool(),
        &view.person.id,
        &request.client.client_id,
        &request.scopes,
        ctx.clock.now(),
    )
    .await
    {
        return internal_error(&e);
    }
    let auth_time = session.login_at().unwrap_or(0);
    match issue_code(ctx, &request, &view.person.id, auth_time).await {
        Ok(location) => see_other(&location),
        Err(e) => internal_error(&e),
    }
}

/// The answer to a request that is not waiting: answered already, expired, or unknown.
fn finished(state: &AppState, lang: RequestLang) -> HttpResponse {
    error_page(state, lang, &lang.lang.text("authorize-error-finished"))
}
