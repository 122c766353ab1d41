//! The email-address section of the profile page: the person's addresses, each with how far it
//! is confirmed, the addresses waiting for their link, and what the section's last form said.
//! The forms' handlers are `email_forms`; the page of the confirming link is `email_link`.
//!
//! Each form's outcome is shown next to it: the handler keeps it in the session, and the
//! section takes it from there when the page is drawn (right away for a refusal, after the
//! redirect for a success).

use serde::{Deserialize, Serialize};

use super::reauthentication::is_recent;
use crate::domain::{EmailAddress, EmailStatus};
use crate::service::account::AccountView;
use crate::service::emails;
use crate::web::AppState;
use crate::web::error::WebError;
use crate::web::lang::RequestLang;
use crate::web::session::TypedSession;

/// Where the section is: a success answers with a redirect here.
pub const SECTION: &str = "/+account#emails";

/// The session key of the last form's outcome.
const NOTE: &str = "emails_note";

/// What the section says after one of its forms: which form, and its notice or error.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct Note {
    /// `add`, `prefer`, `remove` or `verify`.
    form: String,
    notice: Option<String>,
    error: Option<String>,
    /// What was typed into the add form, to fill it in again.
    typed: String,
}

impl Note {
    /// A success of `form`.
    pub fn done(form: &str, notice: String) -> Self {
        Self {
            form: form.to_owned(),
            notice: Some(notice),
            ..Self::default()
        }
    }

    /// A refusal of `form`.
    pub fn refused(form: &str, error: String) -> Self {
        Self {
            form: form.to_owned(),
            error: Some(error),
            ..Self::default()
        }
    }

    /// The same note, with what was typed into the add form.
    pub fn with_typed(self, typed: &str) -> Self {
        Self {
            typed: typed.trim().to_owned(),
            ..self
        }
    }

    /// Keeps the note for the section's next drawing, in this request or the next.
    pub fn keep(&self, session: &TypedSession) -> Result<(), WebError> {
        session.set_ceremony(NOTE, self)?;
        Ok(())
    }
}

/// Adds the section's values to a page that includes `account/emails.html`: `emails` (each
/// address with its status, then those waiting for their link), `emails_preferable`,
/// `emails_removable`, `emails_fresh` (no password needed to remove) and `emails_note`.
pub async fn add_to_page(
    state: &AppState,
    lang: RequestLang,
    session: &TypedSession,
    view: &AccountView,
    ctx: &mut tera::Context,
) -> Result<(), WebError> {
    let l = lang.lang;
    let entry = |address: &EmailAddress, status: &str, preferred: bool| serde_json::json!({"address": address.as_str(), "status": status, "preferred": preferred});
    let mut listed: Vec<serde_json::Value> = view
        .emails
        .iter()
        .map(|e| {
            let status = match e.status {
                EmailStatus::Preferred => l.text("account-email-preferred"),
                EmailStatus::Validated => l.text("account-email-validated"),
                EmailStatus::New => l.text("account-email-new"),
            };
            entry(&e.address, &status, e.status == EmailStatus::Preferred)
        })
        .collect();
    let pending_status = l.text("emails-pending");
    for address in emails::pending(&state.ctx, view).await? {
        if view.emails.iter().all(|e| e.address.key() != address.key()) {
            listed.push(entry(&address, &pending_status, false));
        }
    }
    let confirmed: Vec<&EmailAddress> = view
        .emails
        .iter()
        .filter(|e| e.status != EmailStatus::New)
        .map(|e| &e.address)
        .collect();
    let removable: Vec<&str> = view
        .emails
        .iter()
        .filter(|e| e.status == EmailStatus::New || confirmed.len() > 1)
        .map(|e| e.address.as_str())
        .collect();
    let preferable: Vec<serde_json::Value> = if confirmed.len() > 1 {
        view.emails
            .iter()
            .filter(|e| e.status != EmailStatus::New)
            .map(|e| entry(&e.address, "", e.status == EmailStatus::Preferred))
            .collect()
    } else {
        Vec::new()
    };
    ctx.insert("emails", &listed);
    ctx.insert("emails_preferable", &preferable);
    ctx.insert("emails_removable", &removable);
    ctx.insert("emails_fresh", &is_recent(state, session));
    let note = session.take_ceremony::<Note>(NOTE).unwrap_or_default();
    ctx.insert("emails_note", &note);
    Ok(())
}
