//! `POST /+account/apps/revoke`: the person withdraws their consent from an application,
//! which loses every token it holds for them.

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::service::account::revoke_app;
use crate::web::AppState;
use crate::web::csrf_form::CsrfForm;
use crate::web::error::WebError;
use crate::web::forms::see_other;
use crate::web::signed_in::SignedIn;

/// The form that withdraws consent from an application.
#[derive(Debug, Deserialize)]
pub struct RevokeAppForm {
    #[serde(default)]
    client_id: String,
}

/// `POST /+account/apps/revoke`
pub async fn revoke(
    me: SignedIn,
    form: CsrfForm<RevokeAppForm>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    revoke_app(&state.ctx, &me.person.id, &form.client_id).await?;
    Ok(see_other("/+account"))
}
