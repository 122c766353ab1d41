//! Outgoing email: rendering localised messages, queueing them in the outbox (inside the
//! caller's transaction), and the worker that delivers them with retries.

pub mod message;
pub mod transport;
pub mod worker;

pub use message::{MailKind, render, render_with};
pub use transport::{MailError, Mailer};
