//! Security notices about second factors: the mail a person gets when a factor is added or
//! removed, when a recovery code is used, and when an administrator removes every factor.
//!
//! A notice names what changed (the factor's kind and the name the person gave it) and what to
//! do if the change was not theirs; it never carries a code, a secret or a link that acts.

use sqlx::AnyConnection;

use super::Context;
use crate::db::DbError;
use crate::db::outbox::enqueue;
use crate::domain::EmailAddress;
use crate::domain::second_factor::FactorKind;
use crate::i18n::Lang;
use crate::mail::{MailKind, render_with};
use crate::templates::RenderError;

/// What changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FactorChange {
    /// A passkey or authenticator app was added (its name).
    Added(FactorKind, String),
    /// A passkey or authenticator app was removed (its name).
    Removed(FactorKind, String),
    /// A recovery code was used; this many are left.
    RecoveryCodeUsed(i64),
    /// A new set of recovery codes replaced the old one.
    RecoveryCodesRenewed,
    /// An administrator removed every factor.
    AllRemoved,
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

/// The localised lines of a notice: its subject, what happened, a further detail (or nothing),
/// and what to do if it was not the person.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Lines {
    subject: String,
    what: String,
    detail: String,
    advice: String,
}

impl FactorChange {
    /// The notice's lines in `lang`, about the account of `email`.
    fn lines(&self, lang: Lang, email: &str) -> Lines {
        let with = |key: &str, kind: FactorKind, name: &str| {
            let args = [("kind", kind.as_str()), ("name", name), ("email", email)];
            lang.text_with(key, &args)
        };
        let plain = |key: &str| lang.text_with(key, &[("email", email)]);
        let (subject, what, detail) = match self {
            Self::Added(kind, name) => (
                with("mail-factor-added-subject", *kind, name),
                with("mail-factor-added-body", *kind, name),
                String::new(),
            ),
            Self::Removed(kind, name) => (
                with("mail-factor-removed-subject", *kind, name),
                with("mail-factor-removed-body", *kind, name),
                String::new(),
            ),
            Self::RecoveryCodeUsed(left) => (
                plain("mail-factor-code-used-subject"),
                plain("mail-factor-code-used-body"),
                codes_left(lang, *left),
            ),
            Self::RecoveryCodesRenewed => (
                plain("mail-factor-codes-renewed-subject"),
                plain("mail-factor-codes-renewed-body"),
                String::new(),
            ),
            Self::AllRemoved => (
                plain("mail-factor-all-removed-subject"),
                plain("mail-factor-all-removed-body"),
                String::new(),
            ),
        };
        let advice = match self {
            Self::AllRemoved => lang.text("mail-factor-advice-admin"),
            _ => lang.text("mail-factor-advice"),
        };
        Lines {
            subject,
            what,
            detail,
            advice,
        }
    }
}

/// "One recovery code is left", and so on: the message chooses its form by the number.
fn codes_left(lang: Lang, left: i64) -> String {
    lang.count("mail-factor-codes-left", "left", left.max(0))
}

/// Queues the notice for `change` to `to`, in `lang`, inside the caller's transaction: it is
/// sent only if the change is kept.
#[tracing::instrument(skip(ctx, conn, to, lang), fields(to = to.as_str()))]
pub async fn notify(
    ctx: &Context,
    conn: &mut AnyConnection,
    to: &EmailAddress,
    lang: Lang,
    change: &FactorChange,
) -> Result<(), NoticeError> {
    let lines = change.lines(lang, to.as_str());
    let mail = render_with(
        &ctx.templates,
        MailKind::FactorChanged,
        lang,
        to.as_str(),
        &format!("{}/+account/security", ctx.public_url),
        &ctx.public_url,
        &[
            ("subject", lines.subject.as_str()),
            ("what", lines.what.as_str()),
            ("detail", lines.detail.as_str()),
            ("advice", lines.advice.as_str()),
        ],
    )?;
    enqueue(&mut *conn, &mail, ctx.clock.now()).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::templates::Templates;

    fn every_change() -> Vec<FactorChange> {
        vec![
            FactorChange::Added(FactorKind::Passkey, "Laptop".to_owned()),
            FactorChange::Added(FactorKind::AuthenticatorApp, "Phone".to_owned()),
            FactorChange::Removed(FactorKind::Passkey, "Laptop".to_owned()),
            FactorChange::Removed(FactorKind::AuthenticatorApp, "Phone".to_owned()),
            FactorChange::RecoveryCodeUsed(0),
            FactorChange::RecoveryCodeUsed(1),
            FactorChange::RecoveryCodeUsed(7),
            FactorChange::RecoveryCodesRenewed,
            FactorChange::AllRemoved,
        ]
    }

    #[test]
    fn every_notice_renders_in_every_language_with_the_security_page() {
        let templates = Templates::load().unwrap();
        for change in every_change() {
            for tag in crate::i18n::SUPPORTED {
                let lang = Lang::from_tag(tag).unwrap();
                let lines = change.lines(lang, "a@b.org");
                let link = "https://login.example.org/+account/security";
                let mail = render_with(
                    &templates,
                    MailKind::FactorChanged,
                    lang,
                    "a@b.org",
                    link,
                    "https://login.example.org",
                    &[
                        ("subject", lines.subject.as_str()),
                        ("what", lines.what.as_str()),
                        ("detail", lines.detail.as_str()),
                        ("advice", lines.advice.as_str()),
                    ],
                )
                .unwrap();
                assert!(!mail.subject.is_empty(), "{change:?} {tag}");
                assert!(!mail.subject.contains('\n'), "{change:?} {tag}");
                assert!(mail.body_text.contains(&lines.what), "{change:?} {tag}");
                assert!(mail.body_text.contains(link), "{change:?} {tag}");
                assert!(mail.body_html.contains(link), "{change:?} {tag}");
                for line in [&lines.subject, &lines.what, &lines.advice] {
                    assert!(!line.contains("mail-factor"), "{change:?} {tag}: {line}");
                }
            }
        }
    }

    #[test]
    fn a_notice_names_the_factor_and_how_many_codes_are_left() {
        let en = Lang::default_lang();
        let added = FactorChange::Added(FactorKind::Passkey, "Laptop".to_owned());
        assert!(added.lines(en, "a@b.org").what.contains("“Laptop”"));
        let used = FactorChange::RecoveryCodeUsed(7).lines(en, "a@b.org");
        assert!(used.detail.contains('7'), "{used:?}");
        let last = FactorChange::RecoveryCodeUsed(0).lines(en, "a@b.org");
        assert!(last.detail.contains("No recovery codes"), "{last:?}");
    }

    #[test]
    fn a_factor_name_is_escaped_in_the_html_part() {
        let templates = Templates::load().unwrap();
        let name = "<img src=x onerror=alert(1)>";
        let change = FactorChange::Added(FactorKind::Passkey, name.to_owned());
        let lines = change.lines(Lang::default_lang(), "a@b.org");
        let mail = render_with(
            &templates,
            MailKind::FactorChanged,
            Lang::default_lang(),
            "a@b.org",
            "https://login.example.org/+account/security",
            "https://login.example.org",
            &[
                ("subject", &lines.subject),
                ("what", &lines.what),
                ("detail", ""),
                ("advice", ""),
            ],
        )
        .unwrap();
        assert!(!mail.body_html.contains("<img"), "{}", mail.body_html);
        assert!(mail.body_html.contains("&lt;img"), "{}", mail.body_html);
        assert!(mail.body_text.contains(name));
    }

    #[test]
    fn a_reset_by_an_administrator_says_to_contact_them() {
        let lines = FactorChange::AllRemoved.lines(Lang::default_lang(), "a@b.org");
        assert!(lines.advice.contains("administrator"), "{lines:?}");
        let own = FactorChange::RecoveryCodesRenewed.lines(Lang::default_lang(), "a@b.org");
        assert!(own.advice.contains("review your security page"), "{own:?}");
    }
}
