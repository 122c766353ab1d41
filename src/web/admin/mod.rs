//! The administration console at `/+admin`, for the members of `admin.team`. `AdminUser` lets
//! in a member who signed in (or stepped up) with two factors within `admin.reauth_minutes`;
//! anyone else gets 404 on every page (the console's existence is not revealed), and a member
//! whose sign-in is too old or single-factor is sent to the second step (`Purpose::StepUp`).

pub mod audit;
pub mod clients;
pub mod people;
pub mod render;
pub mod search;
pub mod teams;

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::error::InternalError;
use actix_web::http::{Method, StatusCode};
use actix_web::{FromRequest, HttpRequest, web};
use serde::de::DeserializeOwned;

use super::AppState;
use super::csrf_form::CsrfForm;
use super::error::WebError;
use super::forms::see_other;
use super::lang::RequestLang;
use super::session::TypedSession;
use super::signed_in::current_person;
use crate::service::account::AccountView;
use crate::service::admin::Actor;
use crate::service::second_step::{self, PendingSignIn, Purpose};
use crate::service::teams::teams_of;
use crate::web::forms::origin;

/// Registers the console's routes, each area's in its own module.
pub fn routes(cfg: &mut web::ServiceConfig) {
    search::routes(cfg);
    people::routes(cfg);
    teams::routes(cfg);
    clients::routes(cfg);
    audit::routes(cfg);
}

/// A member of `admin.team`, signed in with two factors recently enough.
#[derive(Debug)]
pub struct AdminUser {
    /// Their account.
    pub account: AccountView,
    /// How the audit trail names them.
    pub actor: Actor,
}

/// Why the console was not shown.
enum Gate {
    /// 404: no console, or not a member.
    Hidden,
    /// The member proves a second factor again, then comes back.
    StepUp(Box<PendingSignIn>),
    /// The member has no second factor to step up with.
    NoSecondFactor,
}

impl FromRequest for AdminUser {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = req
                .app_data::<web::Data<AppState>>()
                .ok_or_else(|| WebError::Internal("the application state is missing".into()))?;
            let session = TypedSession::of(&req);
            match admit(state, &req, &session).await? {
                Ok(admin) => Ok(admin),
                Err(Gate::Hidden) => Err(WebError::NOT_FOUND.into()),
                Err(Gate::StepUp(pending)) => {
                    session
                        .begin_second_step(&pending)
                        .map_err(WebError::from)?;
                    let to = see_other("/+login/second-step");
                    Err(InternalError::from_response("step up first", to).into())
                }
                Err(Gate::NoSecondFactor) => {
                    let lang = RequestLang::of(&req);
                    let page = state.message_page(
                        lang,
                        StatusCode::FORBIDDEN,
                        &lang.lang.text("admin-title"),
                        &lang.lang.text("admin-needs-second-factor"),
                    );
                    Err(InternalError::from_response("no second factor", page).into())
                }
            }
        })
    }
}

async fn admit(
    state: &AppState,
    req: &HttpRequest,
    session: &TypedSession,
) -> Result<Result<AdminUser, Gate>, WebError> {
    let ctx = &state.ctx;
    let Some(team) = ctx.admin.team.as_deref() else {
        return Ok(Err(Gate::Hidden));
    };
    let Some(account) = current_person(state, session).await? else {
        return Ok(Err(Gate::Hidden));
    };
    let teams = teams_of(ctx, &account.person.id).await?;
    if !teams.iter().any(|t| t.as_str().eq_ignore_ascii_case(team)) {
        return Ok(Err(Gate::Hidden));
    }
    let now = ctx.clock.now();
    let methods = session.auth_methods();
    if methods.is_multi_factor() && session.authenticated_within(now, ctx.admin.reauth_minutes) {
        let email = account.login_email().map_or_else(
            || account.person.id.as_str().to_owned(),
            ToString::to_string,
        );
        return Ok(Ok(AdminUser {
            actor: Actor::admin(&email, origin(req)),
            account,
        }));
    }
    let email = match account.login_email() {
        Some(email) if second_step::required(ctx, &account.person.id).await? => email,
        _ => return Ok(Err(Gate::NoSecondFactor)),
    };
    let next = come_back_to(req);
    let pending = PendingSignIn::new(
        &account.person.id,
        email,
        &methods,
        now,
        Some(&next),
        Purpose::StepUp,
    );
    Ok(Err(Gate::StepUp(Box::new(pending))))
}

/// The console page to come back to after the step-up: the page itself, or for a form the
/// console's first page.
fn come_back_to(req: &HttpRequest) -> String {
    if *req.method() != Method::GET {
        return "/+admin".to_owned();
    }
    match req.query_string() {
        "" => req.path().to_owned(),
        query => format!("{}?{query}", req.path()),
    }
}

/// A console form: the administrator is checked first (so nobody else learns the console
/// exists, not even from a CSRF refusal), then the form's CSRF token.
#[derive(Debug)]
pub struct AdminForm<T> {
    /// Who posted it.
    pub admin: AdminUser,
    /// The fields.
    pub form: T,
}

impl<T: DeserializeOwned + 'static> FromRequest for AdminForm<T> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let admin = AdminUser::from_request(req, &mut Payload::None);
        let form = CsrfForm::<T>::from_request(req, payload);
        Box::pin(async move {
            let admin = admin.await?;
            let form = form.await?.into_inner();
            Ok(Self { admin, form })
        })
    }
}
