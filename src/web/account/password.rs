//! `POST /+account/password`: the person changes their password after entering the current
//! one; every other session ends and this one continues under a new id. Refusals are shown in
//! the password card of the security page.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

use super::page::Banner;
use super::security::render;
use crate::domain::Password;
use crate::service::account::{NewPassword, PasswordChange, change_password};
use crate::web::AppState;
use crate::web::csrf_form::CsrfForm;
use crate::web::device::DeviceCookie;
use crate::web::error::WebError;
use crate::web::forms::{empty_secret, origin, password_refusal, see_other};
use crate::web::lang::RequestLang;
use crate::web::lockout::{locked_message, with_retry_after};
use crate::web::session::{SignInFrom, TypedSession};
use crate::web::signed_in::SignedIn;

/// The password-change form (its CSRF token is checked by `CsrfForm`).
#[derive(Debug, Deserialize)]
pub struct PasswordForm {
    #[serde(default = "empty_secret")]
    current_password: SecretString,
    #[serde(default = "empty_secret")]
    password: SecretString,
    #[serde(default = "empty_secret")]
    password_again: SecretString,
    /// `yes` when the person ticked "Also revoke my API keys".
    #[serde(default)]
    revoke_api_keys: String,
}

/// `POST /+account/password`
pub async fn change(
    me: SignedIn,
    form: CsrfForm<PasswordForm>,
    state: web::Data<AppState>,
    req: HttpRequest,
    lang: RequestLang,
    session: TypedSession,
    device: DeviceCookie,
) -> Result<HttpResponse, WebError> {
    let l = lang.lang;
    let refuse = |status, error: String| {
        let banner = Banner::form_error("password", status, error);
        render(&state, lang, &session, &me, banner)
    };
    if form.password.expose_secret() != form.password_again.expose_secret() {
        return refuse(
            StatusCode::BAD_REQUEST,
            l.text("form-error-password-mismatch"),
        )
        .await;
    }
    let new = match Password::parse(form.password.expose_secret()) {
        Ok(p) => p,
        Err(e) => return refuse(StatusCode::BAD_REQUEST, password_refusal(l, &e)).await,
    };
    let change = NewPassword {
        current: form.current_password.expose_secret(),
        new,
        revoke_api_keys: form.revoke_api_keys == "yes",
        lang: l,
    };
    match change_password(&state.ctx, &me, change, &origin(&req), device.device()).await? {
        PasswordChange::WrongCurrentPassword => {
            refuse(
                StatusCode::BAD_REQUEST,
                l.text("account-error-current-password"),
            )
            .await
        }
        PasswordChange::LockedOut(wait) => {
            let page = refuse(StatusCode::TOO_MANY_REQUESTS, locked_message(lang, wait)).await?;
            Ok(with_retry_after(page, wait))
        }
        PasswordChange::Changed => {
            // Every session ended in the database; this one continues under a new id.
            session.sign_in(&me.person.id, state.ctx.clock.now(), &SignInFrom::of(&req))?;
            Ok(see_other("/+account/security?done=password-changed"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_change_never_prints_its_passwords() {
        let form: PasswordForm = serde_urlencoded::from_str(
            "current_password=old-secret-1&password=new-secret-2&password_again=new-secret-2",
        )
        .expect("a password form");
        let printed = format!("{form:?}");
        assert!(
            !printed.contains("secret-1") && !printed.contains("secret-2"),
            "{printed}"
        );
    }
}
