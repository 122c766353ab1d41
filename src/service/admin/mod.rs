//! Administrative use cases, shared by the command line and the console: each takes the
//! [`Actor`] who asks, and names it in the audit trail.

pub mod people;
pub mod people_emails;

use super::Origin;

/// Who makes an administrative change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// Someone at the command line, by operating-system user.
    Cli {
        /// The OS user running the command.
        os_user: String,
    },
    /// A signed-in administrator in the console.
    Admin {
        /// Their address.
        email: String,
        /// Where their request came from.
        origin: Origin,
    },
}

impl Actor {
    /// The command line, as the OS user running it (`USER`, `LOGNAME` or `USERNAME`).
    pub fn cli() -> Self {
        let os_user = ["USER", "LOGNAME", "USERNAME"]
            .into_iter()
            .find_map(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
            .unwrap_or_else(|| "unknown".to_owned());
        Self::Cli { os_user }
    }

    /// How the audit trail names the actor: `cli:<OS user>` or `admin:<email>`.
    pub fn label(&self) -> String {
        match self {
            Self::Cli { os_user } => format!("cli:{os_user}"),
            Self::Admin { email, .. } => format!("admin:{email}"),
        }
    }

    /// Where the change came from, for the audit row: the command line's origin names the OS
    /// user, so rows recorded by shared account services name it too.
    pub fn origin(&self) -> Origin {
        match self {
            Self::Cli { .. } => Origin {
                remote_addr: self.label(),
                request_path: None,
            },
            Self::Admin { origin, .. } => origin.clone(),
        }
    }
}
