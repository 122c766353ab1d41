//! `GET/POST /auth.cgi`: Bugzilla-style auth delegation. The GET shows a confirmation page to
//! the signed-in person; the POST gives the app its key and sends the browser back to it.

use actix_web::http::StatusCode;
use actix_web::http::header::{CACHE_CONTROL, LOCATION};
use actix_web::{HttpRequest, HttpResponse, web};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

use super::AppState;
use super::account::reauthentication::{check_again, is_recent};
use super::csrf_form::CsrfForm;
use super::device::DeviceCookie;
use super::error::WebError;
use super::forms::{empty_secret, origin};
use super::headers::with_form_target;
use super::lang::{RequestLang, SWITCH_BASE, switch_base};
use super::session::TypedSession;
use super::signed_in::SignedIn;
use crate::domain::callback::CallbackError;
use crate::service::account::AccountView;
use crate::service::delegation::delivery::DeliveryError;
use crate::service::delegation::{self, Confirmation, DelegationError};

/// The confirmation form (its CSRF token is checked by `CsrfForm`).
#[derive(Debug, Deserialize)]
pub struct ConfirmForm {
    #[serde(default)]
    callback: String,
    #[serde(default)]
    description: String,
    #[serde(default = "empty_secret")]
    confirm_token: SecretString,
    /// Asked for when the password was last entered more than `api_keys.reauth_minutes` ago.
    #[serde(default = "empty_secret")]
    password: SecretString,
}

/// What an app asks for: where its key goes, and what it calls itself.
#[derive(Debug, Default)]
struct AppRequest {
    callback: String,
    description: String,
}

impl AppRequest {
    /// The request of `GET /auth.cgi?callback=URL&description=TEXT` (the first of each).
    fn of_query(query: &str) -> Self {
        let mut request = Self::default();
        for (name, value) in url::form_urlencoded::parse(query.as_bytes()) {
            match name.as_ref() {
                "callback" if request.callback.is_empty() => request.callback = value.into_owned(),
                "description" if request.description.is_empty() => {
                    request.description = value.into_owned();
                }
                _ => {}
            }
        }
        request
    }

    /// The fields as `(name, value)` pairs, for a query.
    fn pairs(&self) -> [(&str, &str); 2] {
        [
            ("callback", self.callback.as_str()),
            ("description", self.description.as_str()),
        ]
    }

    /// The signed-in person, or a sign-in that comes back to this request's confirmation page
    /// (not to a bare `/auth.cgi`, which would have lost it).
    fn signed_in(&self, me: Result<SignedIn, WebError>) -> Result<SignedIn, WebError> {
        me.map_err(|e| match e {
            WebError::SignInFirst { .. } => WebError::SignInFirst {
                next: format!(
                    "/auth.cgi?{}",
                    url::form_urlencoded::Serializer::new(String::new())
                        .extend_pairs(self.pairs())
                        .finish()
                ),
            },
            other => other,
        })
    }
}

/// The 403 page of a site that does not delegate.
fn disabled(state: &AppState, lang: RequestLang) -> HttpResponse {
    let l = lang.lang;
    state.message_page(
        lang,
        StatusCode::FORBIDDEN,
        &l.text("delegation-disabled-heading"),
        &l.text("delegation-disabled"),
    )
}

/// The status, heading and message of the page for a refused or failed delegation; `None`
/// for a failure that is not the request's fault.
fn refusal_page(error: &DelegationError) -> Option<(StatusCode, &'static str, &'static str)> {
    Some(match error {
        DelegationError::Callback(e) => {
            let key = match e {
                CallbackError::Missing => "delegation-error-callback-missing",
                CallbackError::Scheme => "delegation-error-callback-scheme",
                CallbackError::ControlCharacters => "delegation-error-callback-control",
                CallbackError::InternalAddress => "delegation-error-callback-internal",
                CallbackError::Unresolvable => "delegation-error-callback-unresolvable",
                CallbackError::NotAbsolute
                | CallbackError::Credentials
                | CallbackError::Fragment => "delegation-error-callback-url",
            };
            (StatusCode::BAD_REQUEST, "delegation-refused-heading", key)
        }
        DelegationError::Description(_) => (
            StatusCode::BAD_REQUEST,
            "delegation-refused-heading",
            "delegation-error-description",
        ),
        DelegationError::InvalidConfirmation => (
            StatusCode::FORBIDDEN,
            "delegation-refused-heading",
            "delegation-error-confirmation",
        ),
        DelegationError::Delivery(e) => {
            let key = match e {
                DeliveryError::Address(CallbackError::Unresolvable) => {
                    "delegation-error-callback-unresolvable"
                }
                DeliveryError::Address(_) => "delegation-error-callback-internal",
                DeliveryError::Unreachable => "delegation-failed-unreachable",
                DeliveryError::Timeout => "delegation-failed-timeout",
                DeliveryError::Redirect(_) => "delegation-failed-redirect",
                DeliveryError::Status(_) => "delegation-failed-status",
                DeliveryError::TooLarge | DeliveryError::BadAnswer => "delegation-failed-answer",
            };
            (StatusCode::BAD_GATEWAY, "delegation-failed-heading", key)
        }
        _ => return None,
    })
}

/// The page for a refused or failed delegation; any other failure stays an error.
fn refused(
    state: &AppState,
    lang: RequestLang,
    error: DelegationError,
) -> Result<HttpResponse, WebError> {
    let Some((status, heading, message)) = refusal_page(&error) else {
        return Err(error.into());
    };
    let l = lang.lang;
    Ok(state.message_page(lang, status, &l.text(heading), &l.text(message)))
}

/// `GET /auth.cgi?callback=URL&description=TEXT`
pub async fn start(
    me: Result<SignedIn, WebError>,
    state: web::Data<AppState>,
    req: HttpRequest,
    lang: RequestLang,
    session: TypedSession,
) -> Result<HttpResponse, WebError> {
    if !state.ctx.delegation.enabled {
        return Ok(disabled(&state, lang));
    }
    let request = AppRequest::of_query(req.query_string());
    let me = request.signed_in(me)?;
    confirmation_page(&state, lang, &session, &me, &request, StatusCode::OK, None).await
}

/// The confirmation page for a request, with a fresh single-use token; it asks for the password
/// too when it was last entered too long ago.
async fn confirmation_page(
    state: &AppState,
    lang: RequestLang,
    session: &TypedSession,
    owner: &AccountView,
    request: &AppRequest,
    status: StatusCode,
    error: Option<String>,
) -> Result<HttpResponse, WebError> {
    let checked = match delegation::check(&state.ctx, &request.callback, &request.description).await
    {
        Ok(checked) => checked,
        Err(e) => return refused(state, lang, e),
    };
    let token = delegation::prepare(&state.ctx, owner, &checked).await?;
    let mut ctx = tera::Context::new();
    ctx.insert("csrf_token", &session.csrf_token()?);
    ctx.insert("confirm_token", token.expose());
    ctx.insert("callback", checked.callback.url().as_str());
    ctx.insert("callback_base", &checked.callback.base());
    ctx.insert("host", &checked.callback.host());
    ctx.insert("description", checked.description.as_str());
    ctx.insert("person_name", owner.person.display_name.as_str());
    ctx.insert("needs_password", &!is_recent(state, session));
    // The password field's hidden username, so that password managers know whose it is.
    ctx.insert("username", &owner.login_email().map(|e| e.as_str()));
    ctx.insert("error", &error);
    ctx.insert(SWITCH_BASE, &switch_base("/auth.cgi", request.pairs()));
    let page = state.page(lang, status, "delegation/confirm.html", ctx);
    // Giving access ends at the checked callback.
    Ok(with_form_target(
        page,
        Some(checked.callback.url().as_str()),
    ))
}

/// `POST /auth.cgi`: the person confirmed.
pub async fn submit(
    me: Result<SignedIn, WebError>,
    form: CsrfForm<ConfirmForm>,
    state: web::Data<AppState>,
    req: HttpRequest,
    lang: RequestLang,
    session: TypedSession,
    device: DeviceCookie,
) -> Result<HttpResponse, WebError> {
    if !state.ctx.delegation.enabled {
        return Ok(disabled(&state, lang));
    }
    let ConfirmForm {
        callback,
        description,
        confirm_token,
        password,
    } = form.into_inner();
    let request = AppRequest {
        callback,
        description,
    };
    let me = request.signed_in(me)?;
    if !is_recent(&state, &session)
        && let Some(refusal) =
            check_again(&state, &req, lang, &session, &device, &me, &password).await?
    {
        let error = Some(refusal.message.clone());
        let page =
            confirmation_page(&state, lang, &session, &me, &request, refusal.status, error).await?;
        return Ok(refusal.answer(page));
    }
    let confirmation = Confirmation {
        token: confirm_token.expose_secret(),
        callback: &request.callback,
        description: &request.description,
    };
    match delegation::confirm(&state.ctx, &me, confirmation, lang.lang, &origin(&req)).await {
        Ok(location) => Ok(HttpResponse::SeeOther()
            .insert_header((LOCATION, location))
            .insert_header((CACHE_CONTROL, "no-store"))
            .finish()),
        Err(e) => refused(&state, lang, e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_takes_the_first_of_each_field() {
        let request =
            AppRequest::of_query("description=App&callback=https%3A%2F%2Fa%2Fcb&callback=other");
        assert_eq!(request.callback, "https://a/cb");
        assert_eq!(request.description, "App");
    }

    #[test]
    fn signing_in_first_comes_back_to_the_confirmation_page_of_the_request() {
        let request = AppRequest::of_query("callback=https%3A%2F%2Fa%2Fcb&description=My+app");
        let refused = WebError::SignInFirst {
            next: "/auth.cgi".to_owned(),
        };
        match request.signed_in(Err(refused)) {
            Err(WebError::SignInFirst { next }) => assert_eq!(
                next,
                "/auth.cgi?callback=https%3A%2F%2Fa%2Fcb&description=My+app"
            ),
            other => panic!("not a sign-in: {other:?}"),
        }
    }
}
