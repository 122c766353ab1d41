//! The sessions section of `/+account`: where the person is signed in, and
//! `POST /+account/sessions/end` (one) and `POST /+account/sessions/end-others` (all but this).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::AppState;
use super::account::account_page;
use super::csrf_form::CsrfForm;
use super::error::WebError;
use super::forms::{origin, see_other};
use super::lang::RequestLang;
use super::session::TypedSession;
use super::signed_in::SignedIn;
use crate::clock::format_time;
use crate::domain::{AuditCode, PersonId};
use crate::service::{audit, sessions};

/// The forms of the section: which session to end (none for "all others").
#[derive(Debug, Deserialize)]
pub struct EndForm {
    #[serde(default)]
    label: String,
}

/// The person's sessions for the page, this one marked.
pub(super) async fn listed(
    state: &AppState,
    session: &TypedSession,
    person: &PersonId,
) -> Result<Vec<serde_json::Value>, WebError> {
    let this = session.label()?;
    let list = sessions::list_sessions(&state.ctx, person).await?;
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

/// Records in the audit trail that a person signed a session out.
pub(super) async fn audit_ended(
    state: &AppState,
    req: &HttpRequest,
    person: &PersonId,
    detail: &str,
) -> Result<(), WebError> {
    audit::record(
        state.ctx.db.pool(),
        state.ctx.clock.now(),
        AuditCode::SignedOut,
        Some(person),
        &origin(req),
        detail,
    )
    .await?;
    Ok(())
}

/// `POST /+account/sessions/end`: signs one of the person's browsers out. Ending this
/// browser's own session is a logout.
pub async fn end(
    me: SignedIn,
    form: CsrfForm<EndForm>,
    state: web::Data<AppState>,
    req: HttpRequest,
    lang: RequestLang,
    session: TypedSession,
) -> Result<HttpResponse, WebError> {
    let this = session.label()?;
    if form.label == this {
        audit_ended(&state, &req, &me.person.id, "").await?;
        session.sign_out();
        return Ok(see_other("/+login"));
    }
    if sessions::end_session(&state.ctx, &me.person.id, &form.label).await? {
        audit_ended(&state, &req, &me.person.id, "another session").await?;
        return Ok(see_other("/+account"));
    }
    let error = lang.lang.text("account-sessions-unknown");
    account_page(
        &state,
        lang,
        &session,
        &me,
        StatusCode::NOT_FOUND,
        None,
        Some(error),
    )
    .await
}

/// `POST /+account/sessions/end-others`: signs every other browser out.
pub async fn end_others(
    me: SignedIn,
    _form: CsrfForm<EndForm>,
    state: web::Data<AppState>,
    req: HttpRequest,
    session: TypedSession,
) -> Result<HttpResponse, WebError> {
    let this = session.label()?;
    let ended = sessions::end_other_sessions(&state.ctx, &me.person.id, &this).await?;
    if ended > 0 {
        let detail = format!("{ended} other sessions");
        audit_ended(&state, &req, &me.person.id, &detail).await?;
    }
    Ok(see_other("/+account"))
}
