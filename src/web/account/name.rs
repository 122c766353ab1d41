//! `POST /+account/name`: the person changes their display name, checked like a registration's
//! (trimmed, 1–100 characters, no control characters).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::page::{Banner, render_with_name};
use crate::domain::DisplayName;
use crate::service::account::change_display_name;
use crate::web::AppState;
use crate::web::csrf_form::CsrfForm;
use crate::web::error::WebError;
use crate::web::forms::{origin, see_other};
use crate::web::lang::RequestLang;
use crate::web::session::TypedSession;
use crate::web::signed_in::SignedIn;

/// The name form.
#[derive(Debug, Deserialize)]
pub struct NameForm {
    #[serde(default)]
    display_name: String,
}

/// `POST /+account/name`
pub async fn change(
    me: SignedIn,
    form: CsrfForm<NameForm>,
    state: web::Data<AppState>,
    req: HttpRequest,
    lang: RequestLang,
    session: TypedSession,
) -> Result<HttpResponse, WebError> {
    let Ok(name) = DisplayName::parse(&form.display_name) else {
        let error = lang.lang.text("form-error-name");
        let banner = Banner::form_error("name", StatusCode::BAD_REQUEST, error);
        let typed = Some(form.display_name.as_str());
        return render_with_name(&state, lang, &session, &me, typed, banner).await;
    };
    change_display_name(&state.ctx, &me.person.id, &name, &origin(&req)).await?;
    Ok(see_other("/+account?done=name"))
}
