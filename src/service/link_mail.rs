//! Sending an emailed link: a single-use token and the message that carries it, stored in one
//! transaction (the token is never valid without its message queued, nor the reverse). What
//! the link's page does once followed is `email_links`.

use super::Context;
use crate::db::DbError;
use crate::db::login_tokens::{NewLoginToken, insert_login_token};
use crate::db::outbox::enqueue;
use crate::domain::{EmailAddress, PersonId, PlainToken, TokenKind};
use crate::i18n::Lang;
use crate::mail::{MailKind, render};
use crate::templates::RenderError;

/// Why a link could not be issued.
#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    /// Storage failed.
    #[error(transparent)]
    Database(#[from] DbError),
    /// The message could not be rendered.
    #[error(transparent)]
    Render(#[from] RenderError),
    /// The random source failed.
    #[error("no randomness")]
    Random(#[source] getrandom::Error),
}

/// The page a token kind's link opens.
pub fn link_path(kind: TokenKind) -> &'static str {
    match kind {
        TokenKind::NewAccount => "+newaccount",
        TokenKind::PasswordRecovery => "+resetpassword",
        TokenKind::ValidateEmail => "+validateemail",
        TokenKind::BugTracker => "+bugtracker-handshake",
        _ => "",
    }
}

/// Creates a token of `kind` for `email`, and queues `mail` with its link.
pub async fn send_link(
    ctx: &Context,
    kind: TokenKind,
    mail: MailKind,
    email: &EmailAddress,
    requester: Option<&PersonId>,
    lang: Lang,
) -> Result<(), LinkError> {
    let token = PlainToken::generate(kind).map_err(LinkError::Random)?;
    let lifetime = match kind {
        TokenKind::NewAccount => ctx.lifetimes.new_account,
        TokenKind::PasswordRecovery => ctx.lifetimes.password_recovery,
        _ => ctx.lifetimes.validate_email,
    };
    let now = ctx.clock.now();
    let link = format!(
        "{}/token/{}/{}",
        ctx.public_url,
        token.expose(),
        link_path(kind)
    );
    let message = render(
        &ctx.templates,
        mail,
        lang,
        email.as_str(),
        &link,
        &ctx.public_url,
    )?;
    let mut tx = ctx.db.pool().begin().await.map_err(DbError::from)?;
    insert_login_token(
        &mut *tx,
        &NewLoginToken {
            hash: &token.hash(),
            kind,
            email: Some(email),
            requester,
            created_at: now,
            expires_at: now + i64::try_from(lifetime.as_secs()).unwrap_or(i64::MAX),
        },
    )
    .await?;
    enqueue(&mut *tx, &message, now).await?;
    tx.commit().await.map_err(DbError::from)?;
    Ok(())
}
