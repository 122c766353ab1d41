//! Administrative use cases, shared by the command line and the console: each takes the
//! [`Actor`] who asks, and names it in the audit row it writes.

pub mod clients;
pub mod console_audit;
pub mod console_clients;
pub mod console_people;
pub mod erase;
pub mod keys;
pub mod people;
pub mod people_access;
pub mod people_emails;
pub mod teams;

use super::Origin;

/// Who makes an administrative change, and from where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// `cli:<OS user>` or `admin:<email of the signed-in administrator>`.
    name: String,
    /// Where the change came from.
    origin: Origin,
}

impl Actor {
    /// The operator running the command line, named by their OS user (`USER`, `LOGNAME` or
    /// `USERNAME`). Audit rows it writes name that user as their origin too.
    pub fn cli() -> Self {
        let name = format!("cli:{}", os_user());
        let origin = Origin {
            remote_addr: name.clone(),
            request_path: None,
        };
        Self { name, origin }
    }

    /// A signed-in administrator of the console.
    pub fn admin(email: &str, origin: Origin) -> Self {
        Self {
            name: format!("admin:{email}"),
            origin,
        }
    }

    /// How the audit trail names the actor: `cli:<OS user>` or `admin:<email>`.
    pub fn label(&self) -> &str {
        &self.name
    }

    /// Where the change came from, for the audit row.
    pub fn origin(&self) -> &Origin {
        &self.origin
    }

    /// An audit detail naming the actor: `<what> (by cli:alice)`.
    pub fn detail(&self, what: &str) -> String {
        format!("{what} (by {})", self.name)
    }
}

/// The OS user running the process (`unknown` when the environment does not say).
fn os_user() -> String {
    ["USER", "LOGNAME", "USERNAME"]
        .into_iter()
        .find_map(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
        .unwrap_or_else(|| "unknown".to_owned())
}
