//! How messages leave the process: files in a folder (development) or SMTP (production).

use std::path::PathBuf;
use std::time::Duration;

use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::ExposeSecret;

use crate::config::{MailSettings, MailTransport};
use crate::db::outbox::OutgoingMail;

/// Why a message was not delivered.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// The message can never be delivered (bad address, permanent SMTP refusal).
    #[error("permanent: {0}")]
    Permanent(String),
    /// It may work later (server down, temporary refusal).
    #[error("temporary: {0}")]
    Temporary(String),
}

/// A configured transport. An enum, not a trait object: lettre's transports have associated
/// types.
#[derive(Clone)]
pub enum Mailer {
    /// One `.eml` file per message in a folder.
    File {
        /// The transport.
        transport: AsyncFileTransport<Tokio1Executor>,
        /// The folder.
        dir: PathBuf,
        /// The From header.
        from: Mailbox,
    },
    /// An SMTP server.
    Smtp {
        /// The transport.
        transport: AsyncSmtpTransport<Tokio1Executor>,
        /// The From header.
        from: Mailbox,
    },
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::File { dir, .. } => write!(f, "Mailer::File({})", dir.display()),
            Self::Smtp { .. } => f.write_str("Mailer::Smtp(<redacted>)"),
        }
    }
}

impl Mailer {
    /// Builds the transport the settings ask for.
    pub fn from_settings(settings: &MailSettings) -> Result<Self, MailError> {
        let from: Mailbox = settings
            .from
            .parse()
            .map_err(|e| MailError::Permanent(format!("mail.from is not an address: {e}")))?;
        match settings.transport {
            MailTransport::File => {
                std::fs::create_dir_all(&settings.dir).map_err(|e| {
                    MailError::Permanent(format!("cannot create {}: {e}", settings.dir.display()))
                })?;
                Ok(Self::File {
                    transport: AsyncFileTransport::new(&settings.dir),
                    dir: settings.dir.clone(),
                    from,
                })
            }
            MailTransport::Smtp => {
                let url = settings
                    .smtp_url
                    .as_ref()
                    .ok_or_else(|| MailError::Permanent("mail.smtp_url is not set".to_owned()))?;
                let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose_secret())
                    .map_err(|_| {
                        MailError::Permanent("mail.smtp_url is not an SMTP URL".to_owned())
                    })?
                    .timeout(Some(Duration::from_secs(10)))
                    .build();
                Ok(Self::Smtp { transport, from })
            }
        }
    }

    /// Delivers one queued message.
    pub async fn send(&self, mail: &OutgoingMail) -> Result<(), MailError> {
        let from = match self {
            Self::File { from, .. } | Self::Smtp { from, .. } => from.clone(),
        };
        let to: Mailbox = mail
            .recipient
            .parse()
            .map_err(|e| MailError::Permanent(format!("bad recipient: {e}")))?;
        let message = Message::builder()
            .from(from)
            .to(to)
            .subject(mail.subject.as_str())
            .message_id(Some(mail.message_id.clone()))
            .multipart(MultiPart::alternative_plain_html(
                mail.body_text.clone(),
                mail.body_html.clone(),
            ))
            .map_err(|e| MailError::Permanent(format!("cannot build the message: {e}")))?;
        match self {
            Self::File { transport, dir, .. } => {
                transport
                    .send(message)
                    .await
                    .map_err(|e| MailError::Temporary(e.to_string()))?;
                // Development transport: say where the message went and what it links to, so
                // that `cargo run` works without a mail server.
                let links: Vec<&str> = mail
                    .body_text
                    .lines()
                    .map(str::trim)
                    .filter(|l| l.starts_with("http://") || l.starts_with("https://"))
                    .collect();
                tracing::info!(to = %mail.recipient, dir = %dir.display(), links = ?links, "email written to a file");
                Ok(())
            }
            Self::Smtp { transport, .. } => transport.send(message).await.map(drop).map_err(|e| {
                if e.is_permanent() {
                    MailError::Permanent(e.to_string())
                } else {
                    MailError::Temporary(e.to_string())
                }
            }),
        }
    }
}
