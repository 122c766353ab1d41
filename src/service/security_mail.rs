//! Security notices: the mail a person gets when their password is changed, an address is added
//! to or removed from their account, or the account is deactivated. Each is queued inside the
//! transaction of the change (sent only if the change is kept), says what to do if the change
//! was not the person's, and carries no secret: its one link opens the sign-in or account page.

use sqlx::AnyConnection;

use super::Context;
use crate::db::DbError;
use crate::db::outbox::enqueue;
use crate::domain::EmailAddress;
use crate::i18n::Lang;
use crate::mail::{MailKind, render_with};
use crate::templates::RenderError;

/// What changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecurityNotice<'a> {
    /// The password was changed on the account page.
    PasswordChanged,
    /// `address` was added to the account whose preferred address is `account`.
    AddressAdded {
        /// The new address.
        address: &'a EmailAddress,
        /// The account's preferred address.
        account: &'a EmailAddress,
    },
    /// `address` was removed from the account whose preferred address is `account`.
    AddressRemoved {
        /// The address removed.
        address: &'a EmailAddress,
        /// The account's preferred address.
        account: &'a EmailAddress,
    },
    /// The account was deactivated.
    AccountDeactivated,
}

/// Why a notice could not be queued.
#[derive(Debug, thiserror::Error)]
pub enum NoticeError {
    /// Storage failed.
    #[error(transparent)]
    Database(#[from] DbError),
    /// The message could not be rendered.
    #[error(transparent)]
    Render(#[from] RenderError),
}

impl SecurityNotice<'_> {
    /// The message this notice is.
    pub fn kind(self) -> MailKind {
        match self {
            Self::PasswordChanged => MailKind::PasswordChanged,
            Self::AddressAdded { .. } => MailKind::AddressAdded,
            Self::AddressRemoved { .. } => MailKind::AddressRemoved,
            Self::AccountDeactivated => MailKind::AccountDeactivated,
        }
    }

    /// The page its link opens: the account page to look at the addresses, else the sign-in
    /// page, where "I have forgotten my password" recovers the account.
    fn page(self) -> &'static str {
        match self {
            Self::AddressAdded { .. } => "/+account",
            _ => "/+login",
        }
    }
}

/// Queues `notice` to `to`, in `lang`, inside the caller's transaction.
#[tracing::instrument(skip(ctx, conn, to, lang), fields(to = to.as_str()))]
pub async fn notify(
    ctx: &Context,
    conn: &mut AnyConnection,
    to: &EmailAddress,
    lang: Lang,
    notice: SecurityNotice<'_>,
) -> Result<(), NoticeError> {
    let (address, account) = match notice {
        SecurityNotice::AddressAdded { address, account }
        | SecurityNotice::AddressRemoved { address, account } => {
            (address.as_str(), account.as_str())
        }
        SecurityNotice::PasswordChanged | SecurityNotice::AccountDeactivated => ("", ""),
    };
    let mail = render_with(
        &ctx.templates,
        notice.kind(),
        lang,
        to.as_str(),
        &format!("{}{}", ctx.public_url, notice.page()),
        &ctx.public_url,
        &[("address", address), ("account", account)],
    )?;
    enqueue(&mut *conn, &mail, ctx.clock.now()).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::templates::Templates;

    #[test]
    fn every_notice_renders_in_every_language_with_what_changed_and_no_key_left() {
        let templates = Templates::load().unwrap();
        let added = EmailAddress::parse("new@example.org").unwrap();
        let account = EmailAddress::parse("ada@example.org").unwrap();
        let notices = [
            SecurityNotice::PasswordChanged,
            SecurityNotice::AddressAdded {
                address: &added,
                account: &account,
            },
            SecurityNotice::AddressRemoved {
                address: &added,
                account: &account,
            },
            SecurityNotice::AccountDeactivated,
        ];
        for notice in notices {
            for tag in crate::i18n::SUPPORTED {
                let lang = Lang::from_tag(tag).unwrap();
                let link = format!("https://login.example.org{}", notice.page());
                let mail = render_with(
                    &templates,
                    notice.kind(),
                    lang,
                    "ada@example.org",
                    &link,
                    "https://login.example.org",
                    &[
                        ("address", "new@example.org"),
                        ("account", "ada@example.org"),
                    ],
                )
                .unwrap();
                assert!(!mail.subject.is_empty(), "{notice:?} {tag}");
                assert!(mail.body_text.contains(&link), "{notice:?} {tag}");
                assert!(mail.body_html.contains(&link), "{notice:?} {tag}");
                assert!(!mail.body_text.contains("mail-"), "{notice:?} {tag}");
                if matches!(notice, SecurityNotice::AddressAdded { .. })
                    || matches!(notice, SecurityNotice::AddressRemoved { .. })
                {
                    assert!(mail.body_text.contains("new@example.org"), "{tag}");
                }
            }
        }
    }
}
