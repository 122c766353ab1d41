//! How a lockout shows on a page: the "too many failed attempts" message with its wait in
//! minutes, `Retry-After`, and the refusal of a password entered again (used by the login form
//! and every form that asks for the password again).

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::http::header::RETRY_AFTER;

use super::lang::RequestLang;
use crate::domain::throttle::minutes_to_wait;
use crate::service::account::Reauthentication;

/// "Too many failed attempts", with the wait in whole minutes.
pub fn locked_message(lang: RequestLang, wait: i64) -> String {
    lang.lang
        .count("login-error-locked", "minutes", minutes_to_wait(wait))
}

/// Adds `Retry-After` (seconds) to a lockout answer.
pub fn with_retry_after(mut res: HttpResponse, wait: i64) -> HttpResponse {
    if let Ok(value) = wait.to_string().parse() {
        res.headers_mut().insert(RETRY_AFTER, value);
    }
    res
}

/// Why a password entered again is refused: the status, the message, and the lockout's wait;
/// `None` when it was confirmed.
pub fn reauthentication_refusal(
    lang: RequestLang,
    outcome: &Reauthentication,
) -> Option<(StatusCode, String, Option<i64>)> {
    match outcome {
        Reauthentication::Confirmed => None,
        Reauthentication::WrongPassword => Some((
            StatusCode::BAD_REQUEST,
            lang.lang.text("account-error-current-password"),
            None,
        )),
        Reauthentication::LockedOut(wait) => Some((
            StatusCode::TOO_MANY_REQUESTS,
            locked_message(lang, *wait),
            Some(*wait),
        )),
    }
}

/// Adds `Retry-After` when the refusal was a lockout.
pub fn with_lockout_wait(res: HttpResponse, wait: Option<i64>) -> HttpResponse {
    match wait {
        Some(wait) => with_retry_after(res, wait),
        None => res,
    }
}
