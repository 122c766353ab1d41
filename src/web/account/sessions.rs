//! The sessions section of `/+account`: `POST /+account/sessions/end` signs one of the
//! person's browsers out, `POST /+account/sessions/end-others` every browser but this one.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::page::{Banner, render};
use crate::service::account::record_sign_out;
use crate::service::sessions::{end_other_sessions, end_session};
use crate::web::AppState;
use crate::web::csrf_form::CsrfForm;
use crate::web::error::WebError;
use crate::web::forms::{origin, see_other};
use crate::web::lang::RequestLang;
use crate::web::session::TypedSession;
use crate::web::signed_in::SignedIn;

/// The forms of the section: which session to end (none for "all others").
#[derive(Debug, Deserialize)]
pub struct EndForm {
    #[serde(default)]
    label: String,
}

/// `POST /+account/sessions/end`: ending this browser's own session is a logout.
pub async fn end(
    me: SignedIn,
    form: CsrfForm<EndForm>,
    state: web::Data<AppState>,
    req: HttpRequest,
    lang: RequestLang,
    session: TypedSession,
) -> Result<HttpResponse, WebError> {
    let person = &me.person.id;
    if form.label == session.label()? {
        record_sign_out(&state.ctx, person, &origin(&req), "").await?;
        session.sign_out();
        return Ok(see_other("/+login"));
    }
    if end_session(&state.ctx, person, &form.label).await? {
        record_sign_out(&state.ctx, person, &origin(&req), "another session").await?;
        return Ok(see_other("/+account"));
    }
    let error = lang.lang.text("account-sessions-unknown");
    let banner = Banner::error(StatusCode::NOT_FOUND, error);
    render(&state, lang, &session, &me, banner).await
}

/// `POST /+account/sessions/end-others`
pub async fn end_others(
    me: SignedIn,
    _form: CsrfForm<EndForm>,
    state: web::Data<AppState>,
    req: HttpRequest,
    session: TypedSession,
) -> Result<HttpResponse, WebError> {
    let this = session.label()?;
    let ended = end_other_sessions(&state.ctx, &me.person.id, &this).await?;
    if ended > 0 {
        let detail = format!("{ended} other sessions");
        record_sign_out(&state.ctx, &me.person.id, &origin(&req), &detail).await?;
    }
    Ok(see_other("/+account"))
}
