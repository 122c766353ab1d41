//! `POST /+login/second-step`: the second step with a code, from the authenticator app or a
//! recovery code. Each attempt is reserved under the same lockout as a password before the code
//! is checked; a wrong code is counted and audited.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::AppState;
use super::csrf_form::CsrfForm;
use super::device::DeviceCookie;
use super::error::WebError;
use super::forms::{origin, see_other};
use super::lang::RequestLang;
use super::lockout::{locked_message, with_retry_after};
use super::second_step::{complete, open_step, page, start_again};
use super::session::TypedSession;
use crate::domain::second_factor::{AuthMethod, AuthMethods};
use crate::service::second_step::{failed, reserve, succeeded};
use crate::service::throttle::Attempt;
use crate::service::{authenticator, recovery_codes};

/// The form: which kind of code, and the code.
#[derive(Debug, Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    code: String,
}

/// Which kind of code was typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Authenticator,
    Recovery,
}

impl Kind {
    fn parse(kind: &str) -> Option<Self> {
        match kind {
            "authenticator" => Some(Self::Authenticator),
            "recovery" => Some(Self::Recovery),
            _ => None,
        }
    }

    /// How the audit trail names it.
    fn as_str(self) -> &'static str {
        match self {
            Self::Authenticator => "authenticator app",
            Self::Recovery => "recovery code",
        }
    }
}

/// `POST /+login/second-step`
pub async fn submit(
    form: CsrfForm<CodeForm>,
    state: web::Data<AppState>,
    req: HttpRequest,
    lang: RequestLang,
    session: TypedSession,
    device: DeviceCookie,
) -> Result<HttpResponse, WebError> {
    let Some(pending) = open_step(&state, &session) else {
        return Ok(start_again(None));
    };
    let refused = async |status, error: String| {
        page(&state, lang, &session, &pending, status, Some(error)).await
    };
    let Some(kind) = Kind::parse(&form.kind) else {
        let error = lang.lang.text("second-step-error-kind");
        return refused(StatusCode::BAD_REQUEST, error).await;
    };
    let ctx = &state.ctx;
    let origin = origin(&req);
    let reservation = match reserve(ctx, &pending, device.device(), &origin).await? {
        Attempt::Reserved(reservation) => reservation,
        Attempt::Locked(wait) => {
            let error = locked_message(lang, wait);
            let locked = refused(StatusCode::TOO_MANY_REQUESTS, error).await?;
            return Ok(with_retry_after(locked, wait));
        }
    };
    let person = pending.person_id();
    let right = match kind {
        Kind::Authenticator => authenticator::verify(ctx, &person, &form.code).await?,
        Kind::Recovery => recovery_codes::use_code(ctx, &person, &form.code, lang.lang, &origin)
            .await?
            .is_some(),
    };
    if !right {
        failed(ctx, &pending, &reservation, &origin, kind.as_str()).await?;
        let error = lang.lang.text("second-step-error-code");
        return refused(StatusCode::BAD_REQUEST, error).await;
    }
    // Both kinds prove `otp`: a recovery code is a one-time password too, and RFC 8176 has no
    // value of its own for it.
    let proved = AuthMethods::default().with([AuthMethod::Otp]);
    let methods = succeeded(ctx, &pending, &reservation, &origin, &proved).await?;
    let next = complete(&state, &req, &session, &pending, &methods)?;
    Ok(see_other(&next))
}
