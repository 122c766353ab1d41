//! The arguments of `person consent …` and `person api-key …`.

use clap::Subcommand;

/// `person consent …`
#[derive(Debug, Subcommand)]
pub enum PersonConsentCommand {
    /// Withdraw a person's consent to a relying party and revoke every token it holds for
    /// them (it asks for consent again at the next sign-in). `person show` lists the consents.
    /// Audited. Exit codes: 0 revoked; 1 unknown person, a team's address, or no consent to
    /// that client (nothing changed).
    Revoke {
        /// The person, by one of their addresses.
        email: String,
        /// The relying party's client id.
        client_id: String,
    },
}

/// `person api-key …`
#[derive(Debug, Subcommand)]
pub enum PersonApiKeyCommand {
    /// List a person's API keys, newest first: id, state, prefix, description.
    /// Exit codes: 0 listed (perhaps none); 1 unknown person or a team's address.
    List {
        /// The person, by one of their addresses.
        email: String,
        /// One JSON array: `[{"id", "description", "prefix", "created_at", "last_used_at",
        /// "revoked_at"}]` (Unix seconds or null).
        #[arg(long)]
        json: bool,
    },
    /// Revoke one of a person's API keys. Audited. Exit codes: 0 revoked; 1 unknown person,
    /// a team's address, no such key, or it is revoked already (nothing changed).
    Revoke {
        /// The person, by one of their addresses.
        email: String,
        /// The key's id (`person api-key list` shows it).
        key_id: String,
    },
}
