//! The arguments of `person …` and of its list, email, consent and api-key subcommands.

use clap::{Args, Subcommand};

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

/// `person …`
#[derive(Debug, Subcommand)]
pub enum PersonCommand {
    /// Create an active person. The password is read from standard input (one line), or
    /// prompted for twice on a terminal.
    Create {
        /// Their email address (validated and preferred).
        email: String,
        /// Their display name.
        #[arg(long)]
        name: String,
    },
    /// Create a placeholder profile: an address known before its owner registers.
    Placeholder {
        /// The address.
        email: String,
        /// A display name (default: the address's local part).
        #[arg(long)]
        name: Option<String>,
    },
    /// Suspend a person: they can no longer log in or reset their password.
    Suspend {
        /// Their email address.
        email: String,
    },
    /// Deactivate a person's account (password recovery reactivates it).
    Deactivate {
        /// Their email address.
        email: String,
    },
    /// Show a person or team by one of its addresses: status, addresses, teams, how many
    /// sessions and live API keys, consents and second factors.
    /// Exit codes: 0 shown; 1 no person or team has the address.
    Show {
        /// The address.
        email: String,
        /// Print one JSON object instead of text.
        #[arg(long)]
        json: bool,
    },
    /// List people (not teams), oldest first, one page at a time.
    /// Exit codes: 0 listed (perhaps nobody); 1 an unknown status.
    List(PersonListArgs),
    /// Give a person a new display name. Audited.
    /// Exit codes: 0 renamed; 1 no person has the address, it is a team's, or the name is
    /// empty or too long (nothing changed).
    Rename {
        /// Their email address.
        email: String,
        /// The new display name.
        name: String,
    },
    /// Add, remove or prefer one of a person's addresses.
    #[command(subcommand)]
    Email(PersonEmailCommand),
    /// Make a suspended or deactivated person active again. Audited.
    /// Exit codes: 0 reactivated; 1 no person has the address, it is a team's, or the person
    /// is neither suspended nor deactivated (nothing changed).
    Reactivate {
        /// Their email address.
        email: String,
    },
    /// Set a person's password, read from standard input (one line) or prompted for twice on
    /// a terminal, under the same policy as registration. Like a password change, it ends
    /// every session and revokes every application's tokens; the person is emailed. Audited.
    /// Exit codes: 0 set; 1 unknown person, a team's address, a placeholder, or a password the
    /// policy refuses (nothing changed).
    SetPassword {
        /// Their email address.
        email: String,
        /// Revoke their API keys as well.
        #[arg(long)]
        revoke_api_keys: bool,
    },
    /// Email a person a password-recovery link, as the login form's "forgot password" does.
    /// Audited. Exit codes: 0 sent; 1 unknown person, a team's address, or a suspended person
    /// (nothing sent).
    SendReset {
        /// Their email address (the link goes there).
        email: String,
    },
    /// Remove every second factor of a person (passkeys, authenticator app, recovery codes),
    /// for someone who has lost theirs. The removal is audited and the person is emailed. Only
    /// the factors go: sessions already signed in stay signed in (`suspend` ends them).
    /// Exit codes: 0 removed, or there was nothing to remove; 1 no person has the address, or
    /// it is a team's (nothing changed); 4 database unreachable; 5 internal error.
    ResetSecondFactor {
        /// Their email address.
        email: String,
    },
    /// Erase a person: their name, every address (free to register again), password, second
    /// factors, sessions, API keys, consents, application tokens, pending links and mail, and
    /// team memberships. Audit rows stay, naming them by a pseudonym (`erased-<hash>`) instead
    /// of their id, addresses and name; the erasure is audited as `PersonErased`. Asks for the
    /// address again on standard input unless `--yes` is given. Cannot be undone.
    /// Exit codes: 0 erased; 1 no person has the address, it is a team's, or the confirmation
    /// did not match (nothing changed).
    Erase {
        /// Their email address.
        email: String,
        /// Do not ask for confirmation.
        #[arg(long)]
        yes: bool,
    },
    /// End every session of a person: they sign in again (nothing else changes). Audited.
    /// Exit codes: 0 ended (perhaps none was open); 1 no person has the address, or it is a
    /// team's (nothing changed).
    EndSessions {
        /// Their email address.
        email: String,
    },
    /// Revoke a person's consent to a relying party.
    #[command(subcommand)]
    Consent(PersonConsentCommand),
    /// List or revoke a person's API keys.
    #[command(subcommand)]
    ApiKey(PersonApiKeyCommand),
}

/// `person list` options.
#[derive(Debug, Args)]
pub struct PersonListArgs {
    /// Only people with this status: placeholder, active, suspended or deactivated.
    #[arg(long)]
    pub status: Option<String>,
    /// Only members of this team (its handle).
    #[arg(long)]
    pub team: Option<String>,
    /// Only people whose name or one of whose addresses contains this text (any case).
    #[arg(long)]
    pub text: Option<String>,
    /// At most this many people.
    #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(i64).range(1..=10_000))]
    pub limit: i64,
    /// Skip this many people first.
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(i64).range(0..), conflicts_with = "page")]
    pub offset: i64,
    /// Show this page (1 is the first), `--limit` people a page.
    #[arg(long, value_parser = clap::value_parser!(i64).range(1..))]
    pub page: Option<i64>,
    /// Print one JSON object (`total`, `limit`, `offset`, `people`) instead of text.
    #[arg(long)]
    pub json: bool,
}

/// `person email …`
#[derive(Debug, Subcommand)]
pub enum PersonEmailCommand {
    /// Add an address to a person. As an administrator vouches for it, it is added confirmed
    /// (no link is emailed). A team's or another registered person's address is refused; a
    /// placeholder's address brings the placeholder (its teams) into the person. Audited.
    /// Exit codes: 0 added, or already theirs; 1 unknown person, a team's address, or another
    /// person's (nothing changed).
    Add {
        /// The person, by one of their addresses.
        email: String,
        /// The address to add.
        address: String,
    },
    /// Remove one of a person's addresses, never their last confirmed one. Audited.
    /// Exit codes: 0 removed; 1 unknown person, not theirs, or their last confirmed address
    /// (nothing changed).
    Remove {
        /// The person, by one of their addresses.
        email: String,
        /// The address to remove.
        address: String,
    },
    /// Make one of a person's confirmed addresses the preferred one. Audited.
    /// Exit codes: 0 preferred; 1 unknown person, not theirs, or unconfirmed (nothing
    /// changed).
    Prefer {
        /// The person, by one of their addresses.
        email: String,
        /// The address to prefer.
        address: String,
    },
}
