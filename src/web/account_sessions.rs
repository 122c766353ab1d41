//! The sessions section of `/+account`: where the person is signed in, and
//! `POST /+account/sessions/end` (one) and `POST /+account/sessions/end-others` (all but this).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::AppState;
use super::account::account_page;
use super::current_person::current_person;
use super::errors::internal_error;
use super::forms::{Form, origin, see_other};
use super::lang::RequestLang;
use super::session::TypedSession;
use crate::clock::format_time;
use crate::domain::{AuditCode, PersonId};
use crate::service::account::AccountView;
use crate::service::{audit, sessions};

const SIGN_IN_FIRST: &str = "/+login?next=/%2Baccount";

/// The forms of the section: which session to end (none for "all others").
#[derive(Debug, Deserialize)]
pub struct EndForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    label: String,
}

/// The person's sessions for the page, this one marked.
pub(super) async fn listed(
    state: &AppState,
    session: &TypedSession,
    person: &PersonId,
) -> Result<Vec<serde_json::Value>, HttpResponse> {
    let this = session.label().map_err(|e| internal_error(&e))?;
    let list = sessions::list_sessions(&state.ctx, person)
        .await
        .map_err(|e| internal_error(&e))?;
    Ok(list
        .iter()
        .map(|s| {
            serde_json::json!({
                "label": s.info.label,
                "device": s.info.device,
                "address": s.info.address,
                "signed_in": format_time(s.signed_in_at),
                "last_seen": format_time(s.last_seen_at),
                "current": s.info.label.as_deref() == Some(this.as_str()),
            })
        })
        .collect())
}

/// The signed-in person and this session's label, once the form's CSRF token is checked; or
/// the answer to give instead.
async fn checked(
    state: &web::Data<AppState>,
    lang: RequestLang,
    session: &TypedSession,
    csrf_token: &str,
) -> Result<(AccountView, String), HttpResponse> {
    let view = match current_person(state, session).await {
        Err(e) => return Err(internal_error(&e)),
        Ok(None) => return Err(see_other(SIGN_IN_FIRST)),
        Ok(Some(view)) => view,
    };
    if !session.csrf_matches(csrf_token) {
        let error = Some(lang.lang.text("login-error-csrf"));
        let forbidden = StatusCode::FORBIDDEN;
        return Err(account_page(state, lang, session, &view, forbidden, None, error).await);
    }
    let label = session.label().map_err(|e| internal_error(&e))?;
    Ok((view, label))
}

/// Records in the audit trail that a person signed a session out.
pub(super) async fn audit_ended(
    state: &AppState,
    req: &HttpRequest,
    person: &PersonId,
    detail: &str,
) -> Result<(), HttpResponse> {
    audit::record(
        state.ctx.db.pool(),
        state.ctx.clock.now(),
        AuditCode::SignedOut,
        Some(person),
        &origin(req),
        detail,
    )
    .await
    .map_err(|e| internal_error(&e))
}

/// `POST /+account/sessions/end`: signs one of the person's browsers out. Ending this
/// browser's own session is a logout.
pub async fn end(
    state: web::Data<AppState>,
    req: HttpRequest,
    lang: RequestLang,
    session: TypedSession,
    form: Form<EndForm>,
) -> HttpResponse {
    let (view, this) = match checked(&state, lang, &session, &form.csrf_token).await {
        Ok(checked) => checked,
        Err(answer) => return answer,
    };
    if form.label == this {
        if let Err(answer) = audit_ended(&state, &req, &view.person.id, "").await {
            return answer;
        }
        session.sign_out();
        return see_other("/+login");
    }
    match sessions::end_session(&state.ctx, &view.person.id, &form.label).await {
        Ok(true) => match audit_ended(&state, &req, &view.person.id, "another session").await {
            Ok(()) => see_other("/+account"),
            Err(answer) => answer,
        },
        Ok(false) => {
            let error = lang.lang.text("account-sessions-unknown");
            account_page(
                &state,
                lang,
                &session,
                &view,
                StatusCode::NOT_FOUND,
                None,
                Some(error),
            )
            .await
        }
        Err(e) => internal_error(&e),
    }
}

/// `POST /+account/sessions/end-others`: signs every other browser out.
pub async fn end_others(
    state: web::Data<AppState>,
    req: HttpRequest,
    lang: RequestLang,
    session: TypedSession,
    form: Form<EndForm>,
) -> HttpResponse {
    let (view, this) = match checked(&state, lang, &session, &form.csrf_token).await {
        Ok(checked) => checked,
        Err(answer) => return answer,
    };
    match sessions::end_other_sessions(&state.ctx, &view.person.id, &this).await {
        Ok(0) => see_other("/+account"),
        Ok(n) => {
            match audit_ended(
                &state,
                &req,
                &view.person.id,
                &format!("{n} other sessions"),
            )
            .await
            {
                Ok(()) => see_other("/+account"),
                Err(answer) => answer,
            }
        }
        Err(e) => internal_error(&e),
    }
}
