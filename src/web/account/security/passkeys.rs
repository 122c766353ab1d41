//! The passkeys section of the security page: the person's passkeys, and adding, renaming and
//! removing one.

use crate::web::AppState;
use crate::web::error::WebError;
use crate::web::lang::RequestLang;
use crate::web::signed_in::SignedIn;

/// Adds the section's values to the security page.
pub async fn add_to_page(
    _state: &AppState,
    _lang: RequestLang,
    _me: &SignedIn,
    ctx: &mut tera::Context,
) -> Result<(), WebError> {
    ctx.insert("passkeys", &Vec::<serde_json::Value>::new());
    Ok(())
}
