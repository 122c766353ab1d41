//! The authenticator-app and recovery-code sections of the security page: enrolling an app with
//! its QR code, removing it, and making a new set of recovery codes.

use crate::web::AppState;
use crate::web::error::WebError;
use crate::web::lang::RequestLang;
use crate::web::session::TypedSession;
use crate::web::signed_in::SignedIn;

/// Adds the sections' values to the security page.
pub async fn add_to_page(
    _state: &AppState,
    _lang: RequestLang,
    _session: &TypedSession,
    _me: &SignedIn,
    ctx: &mut tera::Context,
) -> Result<(), WebError> {
    ctx.insert("authenticator", &Option::<serde_json::Value>::None);
    ctx.insert("recovery_codes_left", &0);
    Ok(())
}
