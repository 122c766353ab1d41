//! The email-address section of the profile page: the person's addresses, each with how far it
//! is confirmed, and the forms that add, verify, prefer and remove one.

use crate::domain::EmailStatus;
use crate::service::account::AccountView;
use crate::web::AppState;
use crate::web::error::WebError;
use crate::web::lang::RequestLang;
use crate::web::session::TypedSession;

/// Adds the section's values (`emails`) to a page that includes `account/emails.html`.
pub async fn add_to_page(
    _state: &AppState,
    lang: RequestLang,
    _session: &TypedSession,
    view: &AccountView,
    ctx: &mut tera::Context,
) -> Result<(), WebError> {
    let l = lang.lang;
    let emails: Vec<serde_json::Value> = view
        .emails
        .iter()
        .map(|e| {
            let status = match e.status {
                EmailStatus::Preferred => l.text("account-email-preferred"),
                EmailStatus::Validated => l.text("account-email-validated"),
                EmailStatus::New => l.text("account-email-new"),
            };
            serde_json::json!({"address": e.address.as_str(), "status": status})
        })
        .collect();
    ctx.insert("emails", &emails);
    Ok(())
}
