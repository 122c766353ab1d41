//! `POST /+logout`: ends this session, then shows the login form ("Not you?" keeps its
//! `next`).

use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use crate::domain::redirect::local_next;
use crate::service::account::record_sign_out;
use crate::web::AppState;
use crate::web::csrf_form::CsrfForm;
use crate::web::error::WebError;
use crate::web::forms::{origin, see_other};
use crate::web::session::TypedSession;

/// The logout form: where to sign in again ("Not you?").
#[derive(Debug, Deserialize)]
pub struct LogoutForm {
    next: Option<String>,
}

/// `POST /+logout`
pub async fn logout(
    form: CsrfForm<LogoutForm>,
    state: web::Data<AppState>,
    req: HttpRequest,
    session: TypedSession,
) -> Result<HttpResponse, WebError> {
    if let Some(person) = session.person_id() {
        record_sign_out(&state.ctx, &person, &origin(&req), "").await?;
    }
    session.sign_out();
    Ok(match form.next.as_deref().and_then(local_next) {
        Some(next) => {
            let query: String = url::form_urlencoded::Serializer::new(String::new())
                .append_pair("next", next)
                .finish();
            see_other(&format!("/+login?{query}"))
        }
        None => see_other("/+login"),
    })
}
