//! The command-line grammar (clap derive).

use std::path::PathBuf;

use super::people_args::{PersonApiKeyCommand, PersonConsentCommand};
use clap::{Args, Parser, Subcommand, ValueEnum};

/// Latchkey, a single sign-on identity provider.
#[derive(Debug, Parser)]
#[command(name = "latchkey", version, about, propagate_version = true)]
pub struct Cli {
    /// Settings file (default: ./latchkey.toml when it exists).
    #[arg(
        long,
        short = 'c',
        global = true,
        env = "LATCHKEY_CONFIG",
        value_name = "FILE"
    )]
    pub config: Option<PathBuf>,
    /// What to do (default: serve).
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Top-level commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the server (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Manage people.
    #[command(subcommand)]
    Person(PersonCommand),
    /// Manage teams.
    #[command(subcommand)]
    Team(TeamCommand),
    /// Read the audit trail.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Manage the site's web-hook token.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Manage OpenID Connect signing keys.
    #[command(subcommand)]
    Keys(KeysCommand),
    /// Manage OpenID Connect relying parties.
    #[command(subcommand)]
    Client(ClientCommand),
    /// Print a shell completion script on standard output, e.g.
    /// `latchkey completions bash > /etc/bash_completion.d/latchkey`. Reads no settings.
    /// Exit codes: 0 printed; 2 unknown shell.
    Completions {
        /// The shell: bash, zsh or fish.
        shell: CompletionShell,
    },
}

/// The shells `completions` writes scripts for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CompletionShell {
    /// GNU Bash.
    Bash,
    /// Z shell.
    Zsh,
    /// fish.
    Fish,
}

/// `token …`
#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Replace the site's web-hook token and print the new one. Exit codes: 0 done; 1 the DSN
    /// cannot make a connection pool; 2 connecting failed; 3 no Latchkey schema; 4 not stored.
    Create {
        /// The database: postgres://USER:PASSWORD@HOST:PORT/DB or sqlite://PATH.
        dsn: String,
    },
}

/// `keys …`
#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Make a new signing key; the old one's public key stays published until the tokens it
    /// signed have expired.
    Rotate {
        /// Only this algorithm (RS256 or EdDSA); default: both.
        #[arg(long)]
        alg: Option<String>,
    },
    /// List the signing keys, newest first: kid, algorithm, created, retired, and whether it
    /// is in use. A key is in use while it signs new tokens (the newest unretired key of its
    /// algorithm) or while its public half is still published in the JWKS so that tokens it
    /// signed can be verified (until they have all expired). Exit codes: 0 listed.
    List {
        /// One JSON array on standard output: `[{"kid", "alg", "created_at", "retired_at",
        /// "publish_until" (Unix seconds or null), "signing", "published", "in_use"}]`.
        #[arg(long)]
        json: bool,
    },
    /// Retire a signing key: it stops signing at once, and its public half leaves the JWKS
    /// once the tokens it signed have expired (as after `keys rotate`). Audited. Exit codes:
    /// 0 retired; 1 no such key, already retired, or the only active key of its algorithm
    /// (use `keys rotate` to replace that one).
    Retire {
        /// The key id (`kid`), as `keys list` prints it.
        kid: String,
    },
}

/// `client …`
#[derive(Debug, Subcommand)]
pub enum ClientCommand {
    /// Register a relying party; prints its client id and (unless public) its secret, once.
    Add {
        /// Its name, shown on the consent page.
        #[arg(long)]
        name: String,
        /// An exact redirect URI (repeat for several).
        #[arg(long = "redirect-uri", required = true)]
        redirect_uris: Vec<String>,
        /// An exact post-logout redirect URI (repeat for several).
        #[arg(long = "post-logout-redirect-uri")]
        post_logout_redirect_uris: Vec<String>,
        /// A public client (no secret; PKCE required).
        #[arg(long)]
        public: bool,
        /// Trusted: people are not asked for consent.
        #[arg(long)]
        trusted: bool,
        /// A resource server: may introspect tokens issued to any client (confidential only).
        #[arg(long)]
        introspect_any: bool,
        /// Codes only for sign-ins with two factors: a person who signed in with a password
        /// alone completes a second step first; one without a second factor is refused.
        #[arg(long)]
        require_second_factor: bool,
        /// ID-token signing algorithm: RS256 (default) or EdDSA.
        #[arg(long, default_value = "RS256")]
        alg: String,
    },
    /// List relying parties.
    List {
        /// One JSON array on standard output, each as `client show --json` prints it.
        #[arg(long)]
        json: bool,
    },
    /// Show a relying party (never its secret). Exit codes: 0 shown; 1 no such client.
    Show {
        /// Its client id.
        client_id: String,
        /// One JSON object: `{"client_id", "name", "confidential", "redirect_uris",
        /// "post_logout_redirect_uris", "scopes", "trusted", "introspect_any",
        /// "require_second_factor", "alg", "created_at"}`.
        #[arg(long)]
        json: bool,
    },
    /// Remove a relying party and every consent given to it.
    Remove {
        /// Its client id.
        client_id: String,
    },
    /// Give a confidential client a new secret; the old one stops working at once.
    RotateSecret {
        /// Its client id.
        client_id: String,
    },
    /// Change a relying party's settings: each option given replaces the stored setting, and
    /// is checked as `client add` checks it. Audited (`ClientChanged`, naming what changed).
    /// Exit codes: 0 changed; 1 no such client or a refused value (nothing is changed then);
    /// 2 no option given.
    Update(ClientUpdateArgs),
}

/// `client update CLIENT_ID …`
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("changes").required(true).multiple(true)))]
pub struct ClientUpdateArgs {
    /// Its client id.
    pub client_id: String,
    /// A new name, shown on the consent page.
    #[arg(long, group = "changes")]
    pub name: Option<String>,
    /// An exact redirect URI; repeat for several. Replaces every redirect URI.
    #[arg(long = "redirect-uri", group = "changes")]
    pub redirect_uris: Vec<String>,
    /// An exact post-logout redirect URI; repeat for several. Replaces every one.
    #[arg(
        long = "post-logout-redirect-uri",
        group = "changes",
        conflicts_with = "no_post_logout_redirect_uris"
    )]
    pub post_logout_redirect_uris: Vec<String>,
    /// Remove every post-logout redirect URI.
    #[arg(long, group = "changes")]
    pub no_post_logout_redirect_uris: bool,
    /// The scopes it may ask for, among openid, profile, email, groups, offline_access;
    /// repeat or separate with spaces or commas. openid is required.
    #[arg(long = "scope", group = "changes", value_name = "SCOPE")]
    pub scopes: Vec<String>,
    /// Trusted (people are not asked for consent): on or off.
    #[arg(long, group = "changes", value_name = "on|off", value_parser = parse_on_off)]
    pub trusted: Option<bool>,
    /// ID-token signing algorithm: RS256 or EdDSA.
    #[arg(long, group = "changes")]
    pub alg: Option<String>,
    /// Print the updated client as one JSON object, as `client show --json` prints it.
    #[arg(long)]
    pub json: bool,
}

/// `on` or `off` (also `true`/`false`, `yes`/`no`).
fn parse_on_off(value: &str) -> Result<bool, String> {
    match value.to_ascii_lowercase().as_str() {
        "on" | "true" | "yes" => Ok(true),
        "off" | "false" | "no" => Ok(false),
        _ => Err(format!("`{value}` is neither on nor off")),
    }
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

/// `team …`
#[derive(Debug, Subcommand)]
pub enum TeamCommand {
    /// Create a team with a contact address.
    Create {
        /// The team's handle: lower-case letters, digits, `-`, `.`, `+`.
        name: String,
        /// The team's contact address.
        #[arg(long)]
        email: String,
        /// A display name (default: the handle).
        #[arg(long)]
        display_name: Option<String>,
    },
    /// Make a person a member of a team.
    AddMember {
        /// The team's handle.
        team: String,
        /// The person's email address.
        email: String,
    },
    /// Attach another contact address to a team.
    AddAddress {
        /// The team's handle.
        team: String,
        /// The address.
        email: String,
    },
    /// List teams with their number of members.
    List {
        /// One JSON array on standard output: `[{"name", "display_name", "members"}]`.
        #[arg(long)]
        json: bool,
    },
    /// Show a team's members and addresses. Exit codes: 0 shown; 1 no such team.
    Show {
        /// The team's handle.
        team: String,
        /// One JSON object: `{"name", "display_name", "addresses", "members": [{"display_name",
        /// "email"}]}`.
        #[arg(long)]
        json: bool,
    },
    /// End a person's membership. Exit codes: 0 removed; 1 no such team, person or
    /// membership (nothing changed).
    RemoveMember {
        /// The team's handle.
        team: String,
        /// The person's email address.
        email: String,
    },
    /// Remove one of a team's contact addresses. Exit codes: 0 removed; 1 no such team, not
    /// its address, or its last one (nothing changed).
    RemoveAddress {
        /// The team's handle.
        team: String,
        /// The address.
        address: String,
    },
    /// Give a team a new handle. Exit codes: 0 renamed; 1 no such team, or the new handle is
    /// invalid or taken (nothing changed).
    Rename {
        /// The team's handle.
        team: String,
        /// The new handle.
        new_name: String,
    },
    /// Delete a team with its addresses and memberships. Exit codes: 0 deleted; 1 no such
    /// team, or it still has members and `--force` was not given (nothing changed).
    Delete {
        /// The team's handle.
        team: String,
        /// Delete it even though it has members.
        #[arg(long)]
        force: bool,
    },
}

/// `audit …`
#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// List audit events, oldest first. Exit codes: 0 listed; 1 a filter is invalid or names
    /// no one (unknown code, time or address).
    List(AuditListArgs),
}

/// Filters for `audit list`.
#[derive(Debug, Args)]
pub struct AuditListArgs {
    /// Only events since a time (RFC 3339, e.g. 2026-01-31T12:00:00Z) or for a duration
    /// back from now (e.g. 1h, 7days).
    #[arg(long)]
    pub since: Option<String>,
    /// Only events with this code (e.g. PersonCreated).
    #[arg(long)]
    pub code: Option<String>,
    /// Only events about the person (or team) with this address.
    #[arg(long, value_name = "EMAIL")]
    pub person: Option<String>,
    /// Only events naming this relying party (`client <ID>` in their detail).
    #[arg(long, value_name = "ID")]
    pub client: Option<String>,
    /// One JSON array on standard output: `[{"occurred_at" (Unix seconds), "time" (RFC 3339),
    /// "code", "subsystem", "person_id", "remote_addr", "request_path", "detail",
    /// "occurrences"}]`.
    #[arg(long)]
    pub json: bool,
    /// At most this many of the newest events.
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(i64).range(1..=100_000))]
    pub limit: i64,
}
