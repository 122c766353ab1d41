//! Rendering a localised message (subject, text and HTML bodies) from
//! `templates/email/<kind>/`.

use crate::db::outbox::OutgoingMail;
use crate::i18n::Lang;
use crate::templates::{RenderError, Templates};

/// The messages Latchkey sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailKind {
    /// A link to finish registering.
    NewAccount,
    /// A link to set a new password.
    PasswordRecovery,
    /// Privacy mode: someone tried to register an address that has an account.
    AlreadyRegistered,
    /// Privacy mode: someone asked to reset the password of an address with no account.
    NoAccount,
    /// A new API key was created on the person's account (never the key itself).
    ApiKeyCreated,
    /// The person's OIDC grants (and API keys) were revoked after a change of credentials.
    CredentialsRevoked,
    /// A second factor was added or removed, a recovery code used, or every factor removed.
    FactorChanged,
    /// A link that confirms an address a person is adding to their account.
    VerifyAddress,
    /// The password was changed on the account page.
    PasswordChanged,
    /// An address was added to the account (to the new address and to the preferred one).
    AddressAdded,
    /// An address was removed from the account (to it and to the preferred one).
    AddressRemoved,
    /// The account was deactivated.
    AccountDeactivated,
}

impl MailKind {
    fn folder(self) -> &'static str {
        match self {
            Self::NewAccount => "new_account",
            Self::PasswordRecovery => "password_recovery",
            Self::AlreadyRegistered => "already_registered",
            Self::NoAccount => "no_account",
            Self::ApiKeyCreated => "api_key_created",
            Self::CredentialsRevoked => "credentials_revoked",
            Self::FactorChanged => "factor_changed",
            Self::VerifyAddress => "verify_address",
            Self::PasswordChanged => "password_changed",
            Self::AddressAdded => "address_added",
            Self::AddressRemoved => "address_removed",
            Self::AccountDeactivated => "account_deactivated",
        }
    }
}

/// Renders a message to `recipient` with a link in it. `site` is the configured public URL:
/// links are never built from a request's Host header.
pub fn render(
    templates: &Templates,
    kind: MailKind,
    lang: Lang,
    recipient: &str,
    link: &str,
    site: &str,
) -> Result<OutgoingMail, RenderError> {
    render_with(templates, kind, lang, recipient, link, site, &[])
}

/// `render`, with more named values for the templates (e.g. a key's description).
pub fn render_with(
    templates: &Templates,
    kind: MailKind,
    lang: Lang,
    recipient: &str,
    link: &str,
    site: &str,
    details: &[(&str, &str)],
) -> Result<OutgoingMail, RenderError> {
    let mut ctx = tera::Context::new();
    for (name, value) in details {
        ctx.insert((*name).to_owned(), value);
    }
    ctx.insert("lang", lang.tag());
    ctx.insert("email", recipient);
    ctx.insert("link", link);
    ctx.insert("site", site);
    let folder = kind.folder();
    let subject = templates.render(&format!("email/{folder}/subject.txt"), &ctx)?;
    let body_text = templates.render(&format!("email/{folder}/body.txt"), &ctx)?;
    let body_html = templates.render(&format!("email/{folder}/body.html"), &ctx)?;
    let host = url::Url::parse(site)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_else(|| "localhost".to_owned());
    let id = uuid::Uuid::new_v4().to_string();
    Ok(OutgoingMail {
        message_id: format!("<{id}@{host}>"),
        id,
        recipient: recipient.to_owned(),
        // One line, whatever a translation holds.
        subject: subject.lines().map(str::trim).collect::<Vec<_>>().join(" "),
        body_text,
        body_html,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_renders_in_every_language_with_its_link() {
        let templates = Templates::load().unwrap();
        for kind in [
            MailKind::NewAccount,
            MailKind::PasswordRecovery,
            MailKind::AlreadyRegistered,
            MailKind::NoAccount,
            MailKind::ApiKeyCreated,
            MailKind::CredentialsRevoked,
            MailKind::VerifyAddress,
            MailKind::PasswordChanged,
            MailKind::AddressAdded,
            MailKind::AddressRemoved,
            MailKind::AccountDeactivated,
        ] {
            for tag in crate::i18n::SUPPORTED {
                let lang = Lang::from_tag(tag).unwrap();
                let link = "https://login.example.org/token/lk_x/+go";
                let mail = render(
                    &templates,
                    kind,
                    lang,
                    "a@b.org",
                    link,
                    "https://login.example.org",
                )
                .unwrap();
                assert!(!mail.subject.is_empty() && !mail.subject.contains('\n'));
                assert!(mail.body_text.contains(link), "{kind:?} {tag}");
                assert!(mail.body_html.contains(link), "{kind:?} {tag}");
                assert!(mail.message_id.ends_with("@login.example.org>"));
            }
        }
    }
}
